"""Compare: a counterfactual run beside the current one (same scenario and seed, one lever
changed), stepped in lockstep, with the two cohesion curves overlaid."""

from __future__ import annotations

import solara
from solara.alias import rv

from soviet_cohesion.parameters import PARAMETERS

from .charts import comparison_option, comparison_update
from .live_chart import LiveEcharts
from .session import ALL_LABELS, format_value
from .state import TabState


def comparison_summary(session) -> str:
    """One sentence: where cohesion stands in each run now."""
    if session.counterfactual_history is None:
        return ""
    actual = session.history.values["cohesion"][-1]
    other = session.counterfactual_history.values["cohesion"][-1]
    return (f"{session.period}: cohesion {actual:.2f} in this run, {other:.2f} with "
            f"{session.comparison.describe()}.")


@solara.component
def CompareChart(state: TabState, height: str = "260px"):
    run_id = state.run_id.value  # the comparison starts or stops
    session = state.session
    if session.counterfactual_history is None:
        return
    tick = state.tick.value  # both curves grow with every step
    presentation = state.presentation.value
    model = session.model

    def build_option():
        timeline = model.timeline
        return comparison_option(session.history, session.counterfactual_history, session.comparison.describe(),
                                 timeline.events, timeline.start, timeline.end, presentation,
                                 session.file_stem() + "_comparison")

    def build_update():
        return comparison_update(session.history, session.counterfactual_history)

    with solara.Card("Compare: cohesion in this run and in the counterfactual", margin=0,
                     classes=["sc-card", "sc-compare-card"]):
        LiveEcharts(build_option, [run_id, presentation], build_update, [tick],
                    attributes={"style": f"width: 100%; height: {height};", "class": "sc-compare-chart"})
        solara.Text(comparison_summary(session), classes=["sc-compare-summary"])


@solara.component
def ComparePanel(state: TabState):
    """Choose a lever and a value, then run the counterfactual beside this run."""
    session = state.session
    lever = solara.use_reactive("responsibility_shared")
    value = solara.use_reactive(1.0)
    from_now = solara.use_reactive(False)
    parameter = PARAMETERS[lever.value]
    is_switch = parameter.kind is bool

    def pick(name):
        if name in PARAMETERS:
            lever.set(name)
            default = session.lever_value(name)
            value.set(bool(default) if PARAMETERS[name].kind is bool else float(default))

    def run():
        state.compare(lever.value, value.value, from_now.value)

    state.run_id.value  # the Stop button follows the comparison
    with solara.Card("Compare: what if one lever were different?", margin=0, classes=["sc-card", "sc-compare"]):
        items = [{"text": label, "value": name} for name, label in ALL_LABELS.items()]
        rv.Select(label="Lever", items=items, v_model=lever.value, on_v_model=pick, dense=True,
                  hide_details=True, outlined=True, class_="sc-compare-lever")
        if is_switch:
            solara.Switch(label="on" if value.value else "off", value=bool(value.value),
                          on_value=lambda v: value.set(bool(v)))
        else:
            with solara.Row(style={"justify-content": "space-between"}):
                solara.Text("Value in the counterfactual")
                solara.Text(f"{float(value.value):.2f}", classes=["sc-num"])
            rv.Slider(v_model=float(value.value), on_v_model=lambda v: value.set(round(float(v), 4)),
                      min=float(parameter.low), max=float(parameter.high), step=0.01, dense=True,
                      hide_details=True, class_="sc-compare-value")
        solara.Checkbox(label="from the current quarter (not from the start)", value=from_now)
        with solara.Row():
            solara.Button("Run comparison", icon_name="mdi-compare", on_click=run, color="primary",
                          outlined=True, classes=["sc-compare-run"])
            if session.comparison is not None:
                solara.Button("Stop comparing", on_click=state.stop_comparing, text=True,
                              classes=["sc-compare-stop"])
        if session.comparison is not None:
            solara.Text(f"Counterfactual: {session.comparison.describe()} "
                        f"(this run has {ALL_LABELS.get(session.comparison.lever, session.comparison.lever)} = "
                        f"{format_value(session.lever_value(session.comparison.lever))}).",
                        style={"font-size": "0.85em"})
