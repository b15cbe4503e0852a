"""Time plots drawn in the browser: the indicators, and the regions by stance.

The whole chart (axes, legend, the scenario's dated events) is sent once per run; each step
sends only the series' points.
"""

from __future__ import annotations

import solara

from .charts import indicators_option, indicators_update, stances_option, stances_update
from .live_chart import LiveEcharts
from .state import TabState


@solara.component
def IndicatorPlot(state: TabState, height: str = "300px", only_cohesion: bool = False):
    """Cohesion, compliance, plan fulfilment, the centre's authority and reserves, with the
    scenario's dated events on the time axis."""
    tick = state.tick.value
    presentation = state.presentation.value
    session = state.session
    model = session.model

    def build_option():
        timeline = model.timeline
        return indicators_option(session.history, timeline.events, timeline.start, timeline.end,
                                 presentation, session.file_stem() + "_indicators", only_cohesion)

    def build_update():
        return indicators_update(session.history, only_cohesion)

    LiveEcharts(build_option, [model, presentation, only_cohesion], build_update, [tick],
                attributes={"style": f"width: 100%; height: {height};", "class": "sc-indicators"})


@solara.component
def StancePlot(state: TabState, height: str = "200px"):
    """How many regions obey, manage risk, or are autonomous (stacked)."""
    tick = state.tick.value
    presentation = state.presentation.value
    session = state.session
    model = session.model

    def build_option():
        timeline = model.timeline
        return stances_option(session.history, timeline.events, timeline.start, timeline.end,
                              model.world.n, presentation, session.file_stem() + "_stances")

    def build_update():
        return stances_update(session.history)

    LiveEcharts(build_option, [model, presentation], build_update, [tick],
                attributes={"style": f"width: 100%; height: {height};", "class": "sc-stances"})
