"""Compare: a counterfactual run beside the current one (same scenario and seed, one lever
changed), stepped in lockstep, with the two cohesion curves overlaid."""

from __future__ import annotations

import solara
from solara.alias import rv

from soviet_cohesion.parameters import PARAMETERS

from .charts import comparison_option, comparison_update
from .live_chart import LiveEcharts
from .plots import calendar, export_names
from .session import ALL_LEVERS
from .state import TabState


def value_text(value, tr) -> str:
    if isinstance(value, bool):
        return tr("compare.on") if value else tr("compare.off")
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def describe(state: TabState) -> str:
    """The counterfactual in words: "Audits = 0.30 from the start"."""
    tr, c = state.tr, state.session.comparison
    assert c is not None, "describe() is called only while comparing"
    when = tr("compare.from_start") if c.from_step == 0 else tr(
        "compare.from_quarter", quarter=state.quarter(c.from_step + 1))
    return tr("compare.describe", lever=tr(f"lever.{c.lever}"), value=value_text(c.value, tr), when=when)


def comparison_summary(state: TabState) -> str:
    """One sentence: where cohesion stands in each run at the quarter shown."""
    session = state.session
    if session.counterfactual_history is None:
        return ""
    step = state.view_step
    actual = session.history.values["cohesion"][step]
    values = session.counterfactual_history.values["cohesion"]
    other = values[min(step, len(values) - 1)]
    return state.tr("compare.summary", quarter=state.quarter(step), actual=f"{actual:.2f}",
                    other=f"{other:.2f}", describe=describe(state))


@solara.component
def CompareChart(state: TabState, height: str = "260px"):
    tr = state.tr
    run_id = state.run_id.value  # the comparison starts or stops
    session = state.session
    lang = state.lang.value
    if session.counterfactual_history is None:
        return
    tick = state.tick.value  # both curves grow with every step
    view_step = state.view.value
    presentation = state.presentation.value
    model = session.model
    dates, quarters = calendar(state)

    def build_option():
        timeline = model.timeline
        step = state.view_step
        title, file = export_names(state, "comparison", step)
        return comparison_option(session.history.upto(step), session.counterfactual_history.upto(step),
                                 tr("compare.counterfactual", describe=describe(state)), timeline.events,
                                 timeline.start, timeline.end, tr, dates, presentation, title, file,
                                 comparison_summary(state), quarters, per_year=state.calendar().per_year)

    def build_update():
        step = state.view_step
        title, file = export_names(state, "comparison", step)
        return comparison_update(session.history.upto(step), session.counterfactual_history.upto(step),
                                 {"title": title, "file": file, "alt": comparison_summary(state)})

    with solara.Card(tr("compare.chart_title"), margin=0, classes=["sc-card", "sc-compare-card"]):
        LiveEcharts(build_option, [run_id, presentation, lang], build_update, [tick, view_step],
                    attributes={"style": f"width: 100%; height: {height};", "class": "sc-compare-chart"},
                    save_label=tr("export.save_png"), aria_label=tr("compare.chart_title"))
        solara.Text(comparison_summary(state), classes=["sc-compare-summary"])


@solara.component
def ComparePanel(state: TabState):
    """Choose a lever and a value, then run the counterfactual beside this run."""
    tr = state.tr
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
    with solara.Card(tr("compare.title"), margin=0, classes=["sc-card", "sc-compare"]):
        items = [{"text": tr(f"lever.{name}"), "value": name} for name in ALL_LEVERS]
        rv.Select(label=tr("compare.lever"), items=items, v_model=lever.value, on_v_model=pick, dense=True,
                  hide_details=True, outlined=True, class_="sc-compare-lever",
                  attributes={"aria-label": tr("compare.lever")})
        if is_switch:
            solara.Switch(label=tr("compare.on") if value.value else tr("compare.off"), value=bool(value.value),
                          on_value=lambda v: value.set(bool(v)))
        else:
            with solara.Row(style={"justify-content": "space-between"}):
                solara.Text(tr("compare.value"))
                solara.Text(f"{float(value.value):.2f}", classes=["sc-num"])
            rv.Slider(v_model=float(value.value), on_v_model=lambda v: value.set(round(float(v), 4)),
                      min=float(parameter.low), max=float(parameter.high), step=0.01, dense=True,
                      hide_details=True, class_="sc-compare-value", attributes={"aria-label": tr("compare.value")})
        solara.Checkbox(label=tr("compare.from_now"), value=from_now)
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.Button(tr("compare.run"), icon_name="mdi-compare", on_click=run, color="primary",
                          outlined=True, classes=["sc-compare-run"])
            if session.comparison is not None:
                solara.Button(tr("compare.stop"), on_click=state.stop_comparing, text=True,
                              classes=["sc-compare-stop"])
        if session.comparison is not None:
            solara.Text(tr("compare.now", describe=describe(state), lever=tr(f"lever.{session.comparison.lever}"),
                           value=value_text(session.lever_value(session.comparison.lever), tr)),
                        style={"font-size": "0.85em"})
