"""The teacher's map: the regions by stance, with a dot on each region a student plays, filled
once they have answered this quarter, hollow while they have not. The tiles are sent again when a
quarter closes; when a student answers or joins, only the dots."""

from __future__ import annotations

import solara

from ..live_chart import LiveEcharts
from .chart_options import MapLayout, map_cells, map_option, student_dots
from .signals import use_session_version


@solara.component
def ClassMap(classroom):
    version = use_session_version(classroom, ("quarter", "answers", "roster"))
    quarter_version = classroom.version("quarter")
    model = classroom.model
    layout = solara.use_memo(lambda: MapLayout.of(model.world), [model])
    tiles_sent = solara.use_ref(None)

    def build_option():
        with classroom.lock:
            option = map_option(layout, model.stance, classroom.roster(), f"class_{classroom.scenario}_map")
        tiles_sent.current = (model, quarter_version)
        return option

    def build_update():
        series = [{"id": "students", "data": student_dots(layout, classroom.roster())}]
        if tiles_sent.current != (model, quarter_version):
            with classroom.lock:
                series.insert(0, {"id": "regions", "data": map_cells(layout, model.stance)})
            tiles_sent.current = (model, quarter_version)
        return {"series": series}

    style = f"width: 100%; aspect-ratio: {layout.width} / {layout.height + 1.5};"
    with solara.Card("The regions by stance (a dot: a student; filled: answered)", margin=0,
                     classes=["cl-card", "cl-map-card"]):
        LiveEcharts(build_option, [model], build_update, [version], attributes={"style": style, "class": "cl-map"})
