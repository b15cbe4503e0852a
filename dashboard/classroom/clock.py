"""The quarter clock: while the teacher plays, it closes each quarter when its time is up (or
soon after every student has answered) and runs the model's next step.

One daemon thread per session. It sleeps until the session's next deadline, or until it is
poked (the teacher pressed Play or changed the timer, a student answered); all the deciding is
done by :meth:`Classroom.tick`, under the session's lock.
"""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger(__name__)

#: longest sleep between two looks at the session (a safety net; a poke wakes it at once)
IDLE_WAIT = 5.0


class QuarterClock:
    def __init__(self, tick):
        """``tick()`` closes the quarter if it is due and returns the seconds until it should be
        called again (None: nothing is timed)."""
        self._tick = tick
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="classroom-clock")
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def close(self) -> None:
        self._closed.set()
        self._wake.set()

    def _run(self) -> None:
        while not self._closed.is_set():
            try:
                wait = self._tick()
            except Exception:  # the clock must keep going whatever one step did
                logger.exception("the quarter clock could not close a quarter")
                wait = IDLE_WAIT
            wait = IDLE_WAIT if wait is None else min(max(wait, 0.01), IDLE_WAIT)
            self._wake.wait(wait)
            self._wake.clear()
