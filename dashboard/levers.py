"""The centre's levers as controls that act on the running model.

A slider shows the lever's current value, which the scenario's dated events move (glasnost
raises openness in 1986-87, say) until a visitor moves it: from then on the visitor's value
holds ("held") and the scenario's later changes to that lever are skipped.

Only a visitor's own move changes a lever: the sliders listen to the browser's ``change``
event, which Vuetify sends for a click, a drag's end or a key press on the slider, and never
for a value the server set. A slider echoing a value back (it rounds 0.8300000000000001 to
0.83, and on a slow network the echo can arrive after the scenario has moved the lever again)
therefore never holds a lever by itself, and a run left alone stays the model's run for its
seed.
"""

from __future__ import annotations

import solara
from solara.alias import rv

from soviet_cohesion.parameters import PARAMETERS

from .session import LOOP_SWITCHES, MORE_LEVERS, TEACHER_LEVERS
from .state import TabState

#: slider resolution
STEP = 0.01


def on_grid(value: float) -> float:
    """The value the slider shows: rounded to its resolution (as the browser would)."""
    return round(round(float(value) / STEP) * STEP, 6)


def use_user_event(element, event: str, handler) -> None:
    """Call ``handler(data)`` when the browser sends ``event`` from ``element``'s widget.

    The browser sends a slider's ``change`` event before the ``v_model`` it moved to; the
    widget takes that value first, as if the browser had sent it (without echoing it back), so
    that the redraw the handler causes never sends the slider an older value while a key is
    held down (which would make it jump back)."""
    current = solara.use_ref(handler)
    current.current = handler

    def attach():
        widget = solara.get_widget(element)

        def listener(_widget, _event, data):
            if isinstance(data, (int, float)) and not isinstance(data, bool) and hasattr(widget, "_lock_property"):
                with widget._lock_property(v_model=data):
                    widget.v_model = data
            current.current(data)

        widget.on_event(event, listener)
        return lambda: widget.on_event(event, listener, remove=True)

    solara.use_effect(attach, [])


def lever_name(tr, name: str) -> str:
    return tr(f"lever.{name}")


@solara.component
def LeverSlider(state: TabState, name: str):
    """One lever: redrawn only when its own value (or its held mark), or the language, changes."""
    tr = state.tr
    value, held = state.levers[name].value
    parameter = PARAMETERS[name]
    label = lever_name(tr, name)

    def moved_by_visitor(new):
        if new is None:
            return
        new = float(new[0] if isinstance(new, list) else new)
        if abs(new - float(state.session.lever_value(name))) > STEP / 2 or name not in state.session.held_levers:
            state.set_lever(name, round(new, 4))

    with solara.Column(gap="0px", classes=["sc-lever", f"sc-lever-{name}"]):
        with solara.Row(style={"justify-content": "space-between"}, classes=["sc-lever-label"]):
            with solara.Tooltip(tr.get(f"lever_meaning.{name}", parameter.meaning)):
                solara.Text(label + ("  " + tr("levers.held") if held else ""))
            solara.Text(f"{value:.2f}", classes=["sc-num"])
        slider = rv.Slider(v_model=on_grid(value), min=float(parameter.low), max=float(parameter.high), step=STEP,
                           dense=True, hide_details=True, class_=f"sc-slider-{name}",
                           attributes={"aria-label": label})
        use_user_event(slider, "change", moved_by_visitor)


@solara.component
def LoopSwitch(state: TabState, name: str):
    tr = state.tr
    value, held = state.levers[name].value
    label = lever_name(tr, name)

    def switched_by_visitor(new):
        if bool(new) != bool(state.session.lever_value(name)):
            state.set_lever(name, bool(new))

    with solara.Row(style={"align-items": "center"}, classes=["sc-loop", f"sc-lever-{name}"]):
        switch = rv.Switch(label=label + ("  " + tr("levers.held") if held else ""), v_model=bool(value),
                           dense=True, hide_details=True, class_=f"sc-switch-{name}")
        use_user_event(switch, "change", switched_by_visitor)
        with solara.Tooltip(tr.get(f"lever_meaning.{name}", PARAMETERS[name].meaning)):
            rv.Icon(children=["mdi-information-outline"], small=True)


@solara.component
def LeverPanel(state: TabState, show_more: bool = True):
    """Sliders for the teacher-facing levers; the rest and the loop switches under "More"."""
    tr = state.tr
    with solara.Card(tr("levers.title"), margin=0, classes=["sc-card", "sc-levers"]):
        solara.Text(tr("levers.intro"), style={"font-size": "0.85em"})
        for name in TEACHER_LEVERS:
            LeverSlider(state, name)
        if show_more:
            with solara.Details(tr("levers.more")):
                for name in MORE_LEVERS:
                    LeverSlider(state, name)
                solara.Text(tr("levers.loops_intro"), style={"font-size": "0.85em"})
                for name in LOOP_SWITCHES:
                    LoopSwitch(state, name)
