"""The centre's levers on the teacher's page. A lever acts from the next quarter, on the class's
run and on the model's own run alike (so the debrief compares like with like), and then holds."""

from __future__ import annotations

import solara
from solara.alias import rv

from soviet_cohesion.parameters import PARAMETERS

from .levers import CLASS_LEVERS, MORE_CLASS_LEVERS
from .signals import use_session_version

#: slider resolution; the value shown is rounded to it, so the slider never "snaps" by itself
STEP = 0.01


def on_grid(value) -> float:
    return round(float(value) / STEP) * STEP


def moved(shown, new) -> bool:
    """True when the slider's new value is the teacher's move, not the slider snapping to its grid."""
    return abs(float(new) - on_grid(shown)) > STEP / 2


@solara.component
def ClassLever(classroom, key: str, name: str, label: str, attempt, version=None):
    """One lever; ``version`` (the session's lever counter) makes it redraw when a lever moves."""
    value = classroom.lever_value(name)
    held = any(moved_name == name for _, moved_name, _ in classroom.interventions)
    parameter = PARAMETERS[name]

    def change(new):
        if new is not None and moved(value, new):
            attempt(lambda: classroom.set_lever(key, name, round(float(new), 4)))

    with solara.Column(gap="0px", classes=["cl-lever", f"cl-lever-{name}"]):
        with solara.Row(style={"justify-content": "space-between"}):
            with solara.Tooltip(parameter.meaning):
                solara.Text(label + ("  (held)" if held else ""))
            solara.Text(f"{float(value):.2f}", classes=["cl-num"])
        low = 0.0 if parameter.low is None else float(parameter.low)  # every class lever has both bounds
        high = 1.0 if parameter.high is None else float(parameter.high)
        rv.Slider(v_model=on_grid(value), on_v_model=change, min=low, max=high, step=STEP, dense=True,
                  hide_details=True, class_=f"cl-slider-{name}")


@solara.component
def LeverPanel(classroom, key: str, attempt):
    version = use_session_version(classroom, ("levers", "quarter"))
    with solara.Card("The centre's levers (you are Moscow)", margin=0, classes=["cl-card", "cl-levers"]):
        solara.Text("A lever acts from the next quarter and then holds.", style={"font-size": "0.85em"})
        for name, label in CLASS_LEVERS.items():
            ClassLever(classroom, key, name, label, attempt, version)
        with solara.Details("More levers"):
            for name, label in MORE_CLASS_LEVERS.items():
                ClassLever(classroom, key, name, label, attempt, version)
