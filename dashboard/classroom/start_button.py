"""The dashboard's way into a class session: a "Play it in class" button.

It starts a class session's server beside the dashboard (listening on the school network, the
port 8766 if free) and shows, in the tab that pressed it only, the teacher's address (with the
teacher key) to open. One session per dashboard server: another tab that presses the button is
told it runs, not given its key. The session ends with the dashboard.
"""

from __future__ import annotations

import html
import logging
import os
import threading

import solara

from ..i18n import catalogue

logger = logging.getLogger(__name__)

#: where a session started from the dashboard listens (tests set 127.0.0.1)
ENV_HOST = "SOVIET_COHESION_CLASSROOM_HOST"

_lock = threading.Lock()
_session = None  # the ClassSession started from this dashboard server


def start_session():
    """Start the session (or return None if one started from this server is still running)."""
    global _session
    from soviet_cohesion.classroom_launcher import DEFAULT_HOST, ClassSession

    with _lock:
        if _session is not None and _session.running:
            return None
        _session = ClassSession(host=os.environ.get(ENV_HOST) or DEFAULT_HOST)
    if not _session.wait_ready(120):
        raise RuntimeError("the class session's server did not start")
    print(f"Class session started from the dashboard: teacher's page {_session.teacher_url}; "
          f"students open {_session.join_url} (code {_session.code})", flush=True)
    return _session


@solara.component
def ClassroomButton(tr=None):
    """The button, then the teacher's address (in this tab only), in the page's language
    (``tr``: the tab's catalogue; English without one)."""
    tr = tr or catalogue("en")
    started = solara.use_reactive(None)  # (teacher url, join url, code)
    problem = solara.use_reactive("")
    busy = solara.use_reactive(False)

    def start():
        busy.value = True
        try:
            session = start_session()
        except Exception as exc:
            logger.exception("could not start the class session")
            problem.value = tr("class_button.failed", error=str(exc))
            return
        finally:
            busy.value = False
        if session is None:
            problem.value = tr("class_button.running")
        else:
            started.value = (session.teacher_url, session.join_url, session.code)

    if started.value is None:
        with solara.Row(style={"align-items": "center", "gap": "6px"}, classes=["sc-classroom"]):
            solara.Button(tr("class_button.start"), icon_name="mdi-account-group", outlined=True, disabled=busy.value,
                          on_click=start, classes=["sc-classroom-start"])
            if problem.value:
                solara.Text(problem.value, style={"font-size": "0.85em", "max-width": "320px"})
        return
    teacher, join, code = started.value
    with solara.Column(gap="0px", classes=["sc-classroom"]):
        solara.HTML(tag="a", unsafe_innerHTML=html.escape(tr("class_button.teacher")),
                    attributes={"href": teacher, "target": "_blank", "rel": "noopener"},
                    classes=["sc-classroom-teacher"])
        solara.Text(tr("class_button.join", join=join, code=code), style={"font-size": "0.8em"})
