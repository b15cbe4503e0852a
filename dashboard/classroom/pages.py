"""The classroom's addresses (Solara routes):

* ``/`` the join page (``/?code=...`` from the QR code);
* ``/play?seat=TOKEN`` a student's page;
* ``/teacher?key=KEY`` the teacher's page;
* ``/debrief?key=KEY`` the debrief (the teacher's).
"""

from __future__ import annotations

import solara

from .debrief_page import DebriefPage
from .join_page import JoinPage
from .student_page import StudentPage
from .style import CSS
from .teacher_page import TeacherPage


@solara.component
def Layout(children: list | None = None):
    """No app bar or navigation: each page is whole by itself (a phone has no room to spare).
    The style sheet is set here, once per page, not at every redraw of the page."""
    return solara.Column(children=[solara.Style(CSS), *(children or [])], style={"padding": "0", "gap": "0"})


routes = [
    solara.Route(path="/", component=JoinPage, label="Join", layout=Layout),
    solara.Route(path="play", component=StudentPage, label="Your region"),
    solara.Route(path="teacher", component=TeacherPage, label="Teacher"),
    solara.Route(path="debrief", component=DebriefPage, label="Debrief"),
]
