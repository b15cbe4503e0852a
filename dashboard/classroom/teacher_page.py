"""The teacher's page (``/teacher?key=...``): the join panel, the quarter and its controls, who
has answered, the map, the class run's chart and the centre's levers.

Without the session's teacher key in the address the page shows no control at all; and every
action checks the key again in the session itself, so no other page can step the run or move
a lever.
"""

from __future__ import annotations

import logging

import solara
from solara.alias import rv

from . import settings
from .class_chart import ClassChart
from .class_map import ClassMap
from .join_page import query_value
from .join_panel import JoinPanel
from .lever_panel import LeverPanel
from .roster_panel import RosterPanel
from .run_panel import RestartPanel, RunPanel

logger = logging.getLogger(__name__)


@solara.component
def NotTheTeacher():
    with solara.Column(classes=["cl-page", "cl-student"]):
        solara.Error("This is the teacher's page: it opens only with the teacher's own address (the one the "
                     "classroom command printed, which holds the teacher key). Students join at the class's "
                     "join address.", classes=["cl-not-teacher"])
        with solara.Link("/"):
            solara.Button("Go to the join page", outlined=True)


@solara.component
def TeacherPage():
    router = solara.use_router()
    key = query_value(router.search, "key")
    classroom = settings.current()
    message = solara.use_reactive("")
    solara.Title("Class: teacher")
    if not classroom.is_teacher(key):
        NotTheTeacher()
        return

    def attempt(action) -> bool:
        try:
            action()
        except Exception as exc:  # every error the teacher can cause is shown, not raised
            if not isinstance(exc, (ValueError, PermissionError)):
                logger.exception("teacher action failed")
            message.value = str(exc)
            return False
        message.value = ""
        return True

    with solara.Column(classes=["cl-page", "cl-teacher"], gap="6px"):
        solara.Text("Soviet cohesion: the class. You are the centre; your students are the regional officials.",
                    classes=["cl-title"])
        if message.value:
            with solara.Row(style={"align-items": "center"}, classes=["cl-message"]):
                solara.Error(message.value, dense=True)
                solara.Button("Dismiss", text=True, on_click=lambda: message.set(""))
        with rv.Row(dense=True):
            with rv.Col(cols=12, md=5, lg=4):
                JoinPanel(classroom)
                RunPanel(classroom, key, attempt)
                RestartPanel(classroom, key, attempt)
            with rv.Col(cols=12, md=7, lg=5):
                ClassMap(classroom)
                ClassChart(classroom)
            with rv.Col(cols=12, md=12, lg=3):
                RosterPanel(classroom, key, attempt)
                LeverPanel(classroom, key, attempt)
