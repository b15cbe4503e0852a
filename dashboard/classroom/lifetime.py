"""A class session started from the dashboard ends with it: the server watches the process that
started it (``SOVIET_COHESION_CLASSROOM_PARENT_PID``) and exits when that process has gone, so
that no server is left listening on the network after the dashboard is closed."""

from __future__ import annotations

import logging
import os
import threading
import time

logger = logging.getLogger(__name__)

ENV_PARENT = "SOVIET_COHESION_CLASSROOM_PARENT_PID"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def watch_parent(env=None, every: float = 2.0) -> threading.Thread | None:
    """Start the watch if the environment names a parent; returns the thread (None otherwise)."""
    env = os.environ if env is None else env
    try:
        parent = int(env.get(ENV_PARENT, ""))
    except ValueError:
        return None

    def watch():
        while alive(parent) and os.getppid() == parent:
            time.sleep(every)
        logger.warning("the program that started this class session has ended: ending the session")
        os._exit(0)

    thread = threading.Thread(target=watch, daemon=True, name="classroom-parent-watch")
    thread.start()
    return thread
