"""The debrief page (``/debrief?key=...``, the teacher's): the class's run beside the model's own
run of the same seed, the order in which students stopped obeying, and each student's choices
beside the model's official; exported as CSV (choices, and the two runs) and as a printable page."""

from __future__ import annotations

import solara

from ..live_chart import LiveEcharts
from . import settings
from .chart_options import runs_option, runs_update
from .debrief import build, choices_csv, runs_csv
from .debrief_html import choices_grid_html, printable_page, stop_order_html, summary_html
from .join_page import query_value
from .signals import use_session_version
from .teacher_page import NotTheTeacher


@solara.component
def RunsChart(classroom, version):
    model = classroom.model

    def build_option():
        timeline = model.timeline
        with classroom.lock:
            return runs_option(classroom.history, classroom.baseline_history, timeline.events, timeline.start,
                               timeline.end, f"class_{classroom.scenario}_seed{classroom.seed}_debrief")

    def build_update():
        with classroom.lock:
            return runs_update(classroom.history, classroom.baseline_history)

    LiveEcharts(build_option, [model], build_update, [version],
                attributes={"style": "width: 100%; height: 320px;", "class": "cl-debrief-chart"})


@solara.component
def DebriefPage():
    router = solara.use_router()
    key = query_value(router.search, "key")
    classroom = settings.current()
    version = use_session_version(classroom, ("quarter", "roster"))
    solara.Title("Debrief")
    if not classroom.is_teacher(key):
        NotTheTeacher()
        return
    debrief = build(classroom)
    stem = f"class_{debrief.scenario}_seed{debrief.seed}"
    with solara.Column(classes=["cl-page", "cl-teacher", "cl-debrief"], gap="8px"):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between", "flex-wrap": "wrap"}):
            solara.Text(f"Debrief: {debrief.title}, seed {debrief.seed}", classes=["cl-title"])
            with solara.Row(classes=["cl-no-print"], style={"gap": "8px", "flex-wrap": "wrap"}):
                solara.Button("Back to the class", icon_name="mdi-arrow-left", outlined=True, classes=["cl-back"],
                              on_click=lambda: router.push(f"/teacher?key={key}"))
                solara.FileDownload(lambda: choices_csv(build(classroom)), filename=f"{stem}_choices.csv",
                                    label="Choices CSV")
                solara.FileDownload(lambda: runs_csv(build(classroom)), filename=f"{stem}_runs.csv",
                                    label="Both runs CSV")
                solara.FileDownload(lambda: printable_page(build(classroom)), filename=f"{stem}_debrief.html",
                                    label="Printable page")
        solara.HTML(tag="div", unsafe_innerHTML=summary_html(debrief), classes=["cl-summary"])
        with solara.Card("Cohesion: the class's run against the model's own run (same seed, same levers)",
                         margin=0, classes=["cl-card"]):
            RunsChart(classroom, version)
        with solara.Card("The order in which students stopped obeying", margin=0, classes=["cl-card"]):
            solara.HTML(tag="div", unsafe_innerHTML=stop_order_html(debrief), classes=["cl-stop-order-box"])
        with solara.Card("Each student's choices beside the model's official", margin=0, classes=["cl-card"]):
            solara.HTML(tag="div", unsafe_innerHTML=choices_grid_html(debrief), classes=["cl-grid-box"])
