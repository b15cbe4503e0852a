"""The centre's levers as controls that act on the running model.

A slider shows the lever's current value, which the scenario's dated events move (glasnost
raises openness in 1986-87, say) until a visitor moves it: from then on the visitor's value
holds ("held") and the scenario's later changes to that lever are skipped.
"""

from __future__ import annotations

import solara
from solara.alias import rv

from soviet_cohesion.parameters import PARAMETERS

from .session import LOOP_SWITCHES, MORE_LEVERS, TEACHER_LEVERS
from .state import TabState

#: slider resolution; the value shown is rounded to it, so the slider never "snaps" by itself
STEP = 0.01


def on_grid(value: float) -> float:
    return round(float(value) / STEP) * STEP if STEP else float(value)


def moved(shown: float, new: float) -> bool:
    """True when the slider's new value is a visitor's move, not the slider snapping to its grid."""
    return abs(float(new) - on_grid(shown)) > STEP / 2


@solara.component
def LeverSlider(state: TabState, name: str, label: str):
    """One lever: redrawn only when its own value (or its held mark) changes."""
    value, held = state.levers[name].value
    parameter = PARAMETERS[name]

    def change(new):
        if new is not None and moved(value, new):
            state.set_lever(name, round(float(new), 4))

    with solara.Column(gap="0px", classes=["sc-lever", f"sc-lever-{name}"]):
        with solara.Row(style={"justify-content": "space-between"}, classes=["sc-lever-label"]):
            with solara.Tooltip(parameter.meaning):  # hover the name for what the lever means
                solara.Text(label + ("  (held)" if held else ""))
            solara.Text(f"{value:.2f}", classes=["sc-num"])
        rv.Slider(v_model=on_grid(value), on_v_model=change, min=float(parameter.low),
                  max=float(parameter.high), step=STEP, dense=True, hide_details=True,
                  class_=f"sc-slider-{name}")


@solara.component
def LoopSwitch(state: TabState, name: str, label: str):
    value, held = state.levers[name].value

    def change(new):
        if bool(new) != bool(value):
            state.set_lever(name, bool(new))

    with solara.Row(style={"align-items": "center"}, classes=["sc-loop", f"sc-lever-{name}"]):
        solara.Switch(label=label + ("  (held)" if held else ""), value=bool(value), on_value=change,
                      classes=[f"sc-switch-{name}"])
        with solara.Tooltip(PARAMETERS[name].meaning):
            rv.Icon(children=["mdi-information-outline"], small=True)


@solara.component
def LeverPanel(state: TabState, show_more: bool = True):
    """Sliders for the teacher-facing levers; the rest and the loop switches under "More"."""
    with solara.Card("The centre's levers", margin=0, classes=["sc-card", "sc-levers"]):
        solara.Text("Move a lever at any time: it acts from the next quarter and then holds.",
                    style={"font-size": "0.85em"})
        for name, label in TEACHER_LEVERS.items():
            LeverSlider(state, name, label)
        if show_more:
            with solara.Details("More levers and the feedback loops"):
                for name, label in MORE_LEVERS.items():
                    LeverSlider(state, name, label)
                solara.Text("Feedback loops (switch one off to see what the collapse needs):",
                            style={"font-size": "0.85em"})
                for name, label in LOOP_SWITCHES.items():
                    LoopSwitch(state, name, label)
