"""Time plots drawn in the browser: the indicators (with the seed band), and the regions by
stance; and the key to the scenario's numbered events, which every mode shows.

The whole chart (axes, legend, the scenario's dated events) is sent once per run or language;
each step sends only the series' points. When the timeline looks back, the plots show the run
as it was then (their points up to that quarter).
"""

from __future__ import annotations

import html

import solara

from .charts import (
    REPUBLIC_SERIES,
    indicators_option,
    indicators_update,
    republics_option,
    republics_update,
    stances_option,
    stances_update,
    year_to_date,
)
from .live_chart import LiveEcharts
from .state import TabState


def calendar(state: TabState) -> tuple[list[str], dict]:
    """Every point's date on the time axis (one per quarter of the scenario, the start
    included), and the quarter each date stands for (the state at the end of that quarter)."""
    model = state.session.model
    cal = state.calendar()
    tr = state.tr
    dates, quarters = [], {}
    for step in range(model.n_steps + 1):
        date = year_to_date(cal.start + step / cal.per_year)
        dates.append(date)
        quarters[date] = tr("date.start", quarter=state.quarter(0)) if step == 0 else state.quarter(step)
    return dates, quarters


def scenario_title(state: TabState) -> str:
    """The scenario's title in the page's language (from the catalogue if it has one)."""
    name, title = state.session.scenario, state.session.model.timeline.title
    return state.tr.get(f"scenario_title.{name}", title)


def export_names(state: TabState, what: str, step: int) -> tuple[str, str]:
    """A chart's PNG title (what, scenario, seed, quarter) and file name."""
    tr, session = state.tr, state.session
    title = tr("export.title", what=tr(f"chart.{what}"), scenario=scenario_title(state),
               seed=session.seed, quarter=state.quarter(step))
    return title, f"{session.file_stem()}_{state.compact_quarter(step)}_{what}"


def trend_text(tr, name: str, values: list[float], labels: list[str]) -> str:
    """One series in words: where it started, where it is, its lowest point."""
    if not values:
        return ""
    low = min(range(len(values)), key=lambda i: values[i])
    return tr("alt.series", name=name, first=f"{values[0]:.2f}", last=f"{values[-1]:.2f}", quarter=labels[-1],
              low=f"{values[low]:.2f}", low_quarter=labels[low])


def indicators_alt(state: TabState, view, band) -> str:
    tr = state.tr
    labels = [state.quarter(i) for i in range(len(view))]
    parts = [trend_text(tr, tr(f"indicator.{key}"), view.values[key], labels)
             for key in ("cohesion", "compliance", "authority")]
    if band is not None:
        parts.append(tr("alt.band", n=len(band.seeds), low=f"{band.low[-1]:.2f}", high=f"{band.high[-1]:.2f}"))
    return " ".join(parts)


@solara.component
def IndicatorPlot(state: TabState, height: str = "300px", only_cohesion: bool = False):
    """Cohesion, compliance, plan fulfilment, the centre's authority and reserves, with the
    scenario's dated events on the time axis, and the band of 20 seeds when there is one."""
    tr = state.tr
    tick = state.tick.value
    view_step = state.view.value
    lang = state.lang.value
    band_state = state.band.value
    band = band_state.result if band_state.status == "done" else None
    presentation = state.presentation.value
    session = state.session
    model = session.model
    dates, quarters = solara.use_memo(lambda: calendar(state), [model, lang])

    def build_option():
        step = state.view_step
        view = session.history.upto(step)
        timeline = model.timeline
        title, file = export_names(state, "indicators", step)
        return indicators_option(view, timeline.events, timeline.start, timeline.end, tr, dates, presentation, band,
                                 only_cohesion, title, file, indicators_alt(state, view, band), quarters,
                                 per_year=state.calendar().per_year)

    def build_update():
        step = state.view_step
        view = session.history.upto(step)
        title, file = export_names(state, "indicators", step)
        return indicators_update(view, only_cohesion,
                                 {"title": title, "file": file, "alt": indicators_alt(state, view, band)})

    LiveEcharts(build_option, [model, presentation, only_cohesion, lang, band], build_update, [tick, view_step],
                attributes={"style": f"width: 100%; height: {height};", "class": "sc-indicators"},
                save_label=tr("export.save_png"), aria_label=tr("chart.indicators_aria"))


@solara.component
def StancePlot(state: TabState, height: str = "200px"):
    """How many regions obey, manage risk, or are autonomous (stacked)."""
    tr = state.tr
    tick = state.tick.value
    view_step = state.view.value
    lang = state.lang.value
    presentation = state.presentation.value
    session = state.session
    model = session.model
    dates, quarters = solara.use_memo(lambda: calendar(state), [model, lang])

    def alt(view):
        labels = [state.quarter(i) for i in range(len(view))]
        return " ".join(trend_text(tr, tr(f"stance.{s}"), [float(c) for c in view.stance_counts[s]], labels)
                        for s in view.stance_counts)

    def build_option():
        step = state.view_step
        view = session.history.upto(step)
        timeline = model.timeline
        title, file = export_names(state, "stances", step)
        return stances_option(view, timeline.events, timeline.start, timeline.end, model.world.n, tr, dates,
                              presentation, title, file, alt(view), quarters, per_year=state.calendar().per_year)

    def build_update():
        step = state.view_step
        view = session.history.upto(step)
        title, file = export_names(state, "stances", step)
        return stances_update(view, {"title": title, "file": file, "alt": alt(view)})

    LiveEcharts(build_option, [model, presentation, lang], build_update, [tick, view_step],
                attributes={"style": f"width: 100%; height: {height};", "class": "sc-stances"},
                save_label=tr("export.save_png"), aria_label=tr("chart.stances_aria"))


def republics_alt(state: TabState, view) -> str:
    """The republics chart in words: each line where it started, where it is and its highest
    point (with its quarter)."""
    tr = state.tr
    labels = [state.quarter(i) for i in range(len(view))]
    parts = []
    for key, _, _ in REPUBLIC_SERIES:
        values = list(view.republics[key])
        if not values or any(v != v for v in values):
            continue
        high = max(range(len(values)), key=lambda i: values[i])
        shown = (lambda v: f"{v:.0f}") if key == "counter_mobilised" else (lambda v: f"{v:.2f}")
        parts.append(tr("alt.series_high", name=tr(f"republics_chart.{key}"), first=shown(values[0]),
                        last=shown(values[-1]), quarter=labels[-1], high=shown(values[high]),
                        high_quarter=labels[high]))
    return " ".join(parts)


@solara.component
def RepublicPlot(state: TabState, height: str = "220px"):
    """The republics: the population shares in republics that have declared sovereignty and
    independence, and how many regions side with the centre against their republic."""
    tr = state.tr
    tick = state.tick.value
    view_step = state.view.value
    lang = state.lang.value
    presentation = state.presentation.value
    session = state.session
    model = session.model
    dates, quarters = solara.use_memo(lambda: calendar(state), [model, lang])

    def build_option():
        step = state.view_step
        view = session.history.upto(step)
        timeline = model.timeline
        title, file = export_names(state, "republics", step)
        return republics_option(view, timeline.events, timeline.start, timeline.end, tr, dates, presentation,
                                title, file, republics_alt(state, view), quarters, per_year=state.calendar().per_year)

    def build_update():
        step = state.view_step
        view = session.history.upto(step)
        title, file = export_names(state, "republics", step)
        return republics_update(view, {"title": title, "file": file, "alt": republics_alt(state, view)})

    LiveEcharts(build_option, [model, presentation, lang], build_update, [tick, view_step],
                attributes={"style": f"width: 100%; height: {height};", "class": "sc-republics"},
                save_label=tr("export.save_png"), aria_label=tr("chart.republics_aria"))


def event_key_html(state: TabState) -> str:
    """The numbered events of the scenario with their quarters; those already run in bold."""
    tr = state.tr
    timeline = state.session.model.timeline
    cal = state.calendar()
    shown = state.view_step
    items = []
    for i, event in enumerate(timeline.events):
        step = round((event.year - cal.start) * cal.per_year) + 1  # the step the event starts in
        quarter = state.quarter_of_year(event.year)
        css = "sc-event-past" if step <= shown else "sc-event-future"
        items.append(f"<li class='{css}'><span class='sc-event-number'>{i + 1}</span> "
                     f"<span class='sc-event-date'>{html.escape(quarter)}</span> {html.escape(event.label)}</li>")
    if not items:
        return ""
    return (f"<details class='sc-event-key' open><summary>{html.escape(tr('events.key'))}</summary>"
            f"<ol>{''.join(items)}</ol></details>")


@solara.component
def EventKey(state: TabState):
    """The key to the numbered dashed lines (shown in every mode, presentation included)."""
    state.lang.value
    state.run_id.value
    state.view.value
    state.log_version.value  # an event ran
    solara.HTML(tag="div", unsafe_innerHTML=event_key_html(state), classes=["sc-event-key-box"])
