"""The play loop: one thread per browser tab that advances the run at the chosen speed.

Solara serves every tab from one process; each tab is a virtual kernel. The thread enters its
tab's kernel context (so the widgets it updates are sent to that tab only) and takes the
context's lock for each step, the same lock Solara holds while it handles a message from the
page: a click on Pause or Reset is never handled in the middle of a step.

The pause between two steps is measured from the end of one step and its redraw, so a busy
server slows every player down a little instead of queueing work it cannot do.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Callable

logger = logging.getLogger(__name__)

#: speeds offered on the page, in steps (quarters) per second
SPEEDS = (0.5, 1, 2, 4, 8)
DEFAULT_SPEED = 4


def _current_kernel_context():
    """The Solara kernel context of the calling tab, or None outside a Solara server."""
    try:
        from solara.server import kernel_context

        return kernel_context.get_current_context()
    except Exception:  # not under a Solara server (tests with solara.render, scripts)
        return None


class Player:
    """Calls ``advance()`` every ``1 / speed`` seconds until it returns False or ``pause()``.

    Args:
        advance: one step and its redraw; returns True while there is more to run.
        on_stop: called (in the kernel context) when the run stops by itself, at the end of the
            scenario or on an error (with the error's message), not when paused.
    """

    def __init__(self, advance: Callable[[], bool], on_stop: Callable[[str | None], None]):
        self.advance = advance
        self.on_stop = on_stop
        self.speed: float = DEFAULT_SPEED
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def playing(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def play(self, speed: float | None = None) -> None:
        """Start playing (in a new thread); a no-op while already playing."""
        if speed is not None:
            self.speed = float(speed)
        if self.playing or self._closed:
            return
        context = _current_kernel_context()
        if context is not None and not getattr(self, "_close_hooked", False):
            context.on_close(self.close)  # a culled or closed tab stops its player
            self._close_hooked = True
        self._stop = stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(context, stop), daemon=True,
                                        name="soviet-cohesion-player")
        self._thread.start()

    def pause(self) -> None:
        """Stop after the current step. Never waits for the thread (the caller may hold the
        kernel's lock, which the thread needs to finish its step)."""
        self._stop.set()

    def close(self) -> None:
        self._closed = True
        self._stop.set()

    def _run(self, context, stop: threading.Event) -> None:
        entered = context if context is not None else contextlib.nullcontext()
        lock = context.lock if context is not None else contextlib.nullcontext()
        while not stop.is_set():
            message = None
            with entered, lock:
                if stop.is_set() or (context is not None and context.closed_event.is_set()):
                    return
                try:
                    more = self.advance()
                except Exception as exc:  # never let a step kill the page silently
                    logger.exception("step failed")
                    more, message = False, f"The run stopped: {exc}"
                if not more:
                    stop.set()
                    self._notify(message)
                    return
            stop.wait(1.0 / max(self.speed, 0.01))

    def _notify(self, message: str | None) -> None:
        try:
            self.on_stop(message)
        except Exception:
            logger.exception("on_stop failed")
