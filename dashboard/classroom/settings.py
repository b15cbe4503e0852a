"""The session a server runs, set up from the environment the launcher gives the server process.

``soviet-cohesion classroom`` makes the teacher key and the join code, works out the address
students can reach, and passes them (with the scenario, seed and timer) in these variables.
Started without them (``solara run dashboard/classroom/app.py``), the server makes its own key
and code and logs the teacher's address.
"""

from __future__ import annotations

import logging
import os
import threading

from .classroom import DEFAULT_TIMER, Classroom

logger = logging.getLogger(__name__)

ENV_KEY = "SOVIET_COHESION_CLASSROOM_KEY"
ENV_CODE = "SOVIET_COHESION_CLASSROOM_CODE"
ENV_JOIN_URL = "SOVIET_COHESION_CLASSROOM_JOIN_URL"
ENV_SCENARIO = "SOVIET_COHESION_CLASSROOM_SCENARIO"
ENV_SEED = "SOVIET_COHESION_CLASSROOM_SEED"
ENV_TIMER = "SOVIET_COHESION_CLASSROOM_TIMER"
#: development only: every class run in this world ("synthetic" needs no USSR data)
ENV_WORLD = "SOVIET_COHESION_DASHBOARD_WORLD"

_lock = threading.Lock()
_current: Classroom | None = None


def from_environment(env=None) -> Classroom:
    env = os.environ if env is None else env
    timer = env.get(ENV_TIMER, str(DEFAULT_TIMER))
    classroom = Classroom(
        env.get(ENV_SCENARIO) or "gorbachev", int(env.get(ENV_SEED) or 1),
        teacher_key=env.get(ENV_KEY) or None, join_code=env.get(ENV_CODE) or None,
        join_url=env.get(ENV_JOIN_URL) or "", world=env.get(ENV_WORLD) or None,
        timer=None if timer in ("", "none", "0") else int(timer))
    if not env.get(ENV_KEY):
        logger.warning("class session: teacher page at /teacher?key=%s (join code %s)",
                       classroom.teacher_key, classroom.join_code)
    return classroom


def current() -> Classroom:
    """The server's class session (made on first use)."""
    global _current
    with _lock:
        if _current is None:
            _current = from_environment()
        return _current


def use(classroom: Classroom | None) -> None:
    """Make ``classroom`` the server's session (tests); None forgets it."""
    global _current
    with _lock:
        _current = classroom
