"""Time plots drawn in the browser: the indicators, and the regions by stance."""

from __future__ import annotations

import solara

from .charts import indicators_option, stances_option
from .live_chart import LiveEcharts
from .state import TabState


@solara.component
def IndicatorPlot(state: TabState, height: str = "300px", only_cohesion: bool = False):
    """Cohesion, compliance, plan fulfilment, the centre's authority and reserves, with the
    scenario's dated events on the time axis."""
    tick = state.tick.value
    presentation = state.presentation.value
    session = state.session

    def build():
        timeline = session.model.timeline
        return indicators_option(session.history, timeline.events, timeline.start, timeline.end,
                                 presentation, session.file_stem() + "_indicators", only_cohesion)

    LiveEcharts(build, [tick, presentation, only_cohesion],
                attributes={"style": f"width: 100%; height: {height};", "class": "sc-indicators"})


@solara.component
def StancePlot(state: TabState, height: str = "200px"):
    """How many regions obey, manage risk, or are autonomous (stacked)."""
    tick = state.tick.value
    presentation = state.presentation.value
    session = state.session

    def build():
        timeline = session.model.timeline
        return stances_option(session.history, timeline.events, timeline.start, timeline.end,
                              session.model.world.n, presentation, session.file_stem() + "_stances")

    LiveEcharts(build, [tick, presentation],
                attributes={"style": f"width: 100%; height: {height};", "class": "sc-stances"})
