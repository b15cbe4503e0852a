"""The class run's indicators over time (the dashboard's chart, fed the class's history)."""

from __future__ import annotations

import solara

from ..live_chart import LiveEcharts
from .chart_options import indicators_option, indicators_update
from .signals import use_session_version


@solara.component
def ClassChart(classroom, height: str = "300px"):
    version = use_session_version(classroom, ("quarter",))
    model = classroom.model

    def build_option():
        timeline = model.timeline
        with classroom.lock:
            return indicators_option(classroom.history, timeline.events, timeline.start, timeline.end,
                                     f"class_{classroom.scenario}_indicators")

    def build_update():
        with classroom.lock:
            return indicators_update(classroom.history)

    with solara.Card("Cohesion and its parts (the class's run)", margin=0, classes=["cl-card"]):
        LiveEcharts(build_option, [model], build_update, [version],
                    attributes={"style": f"width: 100%; height: {height};", "class": "cl-indicators"})
