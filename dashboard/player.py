"""The play loop: one thread per browser tab that advances the run at the chosen speed.

Solara serves every tab from one process; each tab is a virtual kernel. The thread enters its
tab's kernel context (so the widgets it updates are sent to that tab only) and takes the
context's lock for each step, the same lock Solara holds while it handles a message from the
page: a click on Pause or Reset is never handled in the middle of a step.

Many tabs playing at once share one core (one Python process). Two rules keep every tab
responsive when a whole class plays together:

* a tab steps at the speed chosen, each step due ``1 / speed`` seconds after the previous one
  began; when the server cannot keep up, the next step starts as soon as the last one has
  finished and redrawn (a busy server slows players down; it never queues work to catch up),
  and :attr:`Player.rate` says how fast the tab really plays, for the page to show;
* all players of the process take turns through one :class:`PlayGate`: one play step at a time,
  in arrival order, and play steps may fill at most ``PLAY_SHARE`` of the time. The rest is left
  to what visitors click (Pause, Step, Reset, a lever), which never waits for the gate.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import threading
import time
from typing import Callable

logger = logging.getLogger(__name__)

#: speeds offered on the page, in steps (quarters) per second
SPEEDS = (0.5, 1, 2, 4, 8)
DEFAULT_SPEED = 4
#: the largest share of the server's time that play steps (of all tabs together) may take
PLAY_SHARE = 0.5


class PlayGate:
    """A fair (first come, first served) turn for play steps across all tabs of the process.

    After a turn that took ``t`` seconds the gate stays closed for ``t * (1 - share) / share``
    more, so play steps fill at most ``share`` of the time however many tabs play.
    """

    def __init__(self, share: float = PLAY_SHARE):
        self.share = share
        self._mutex = threading.Lock()
        self._waiting: collections.deque[threading.Event] = collections.deque()
        self._busy = False

    def _acquire(self) -> None:
        with self._mutex:
            if not self._busy:
                self._busy = True
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # the previous holder hands the gate over directly (no barging)

    def _release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._busy = False

    @contextlib.contextmanager
    def turn(self):
        self._acquire()
        started = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - started
            rest = spent * (1 - self.share) / self.share
            if rest > 0.0005:
                time.sleep(rest)
            self._release()

    @property
    def waiting(self) -> int:
        return len(self._waiting)


#: shared by every tab of this server process
GATE = PlayGate()


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
        on_stop: called (in the kernel context) when the run stops by itself: at the end of the
            scenario, when ``advance`` asks to stop (a lesson's pause), or on an error (with the
            exception); not when paused.
        gate: the turn shared with the other tabs (default: the process-wide one).
    """

    def __init__(self, advance: Callable[[], bool], on_stop: Callable[[Exception | None], None],
                 gate: PlayGate | None = None):
        self.advance = advance
        self.on_stop = on_stop
        self.gate = gate or GATE
        self.speed: float = DEFAULT_SPEED
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._close_hooked = False
        self._started: collections.deque[float] = collections.deque(maxlen=12)  # when recent steps began

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
        if context is not None and not self._close_hooked:
            context.on_close(self.close)  # a culled or closed tab stops its player
            self._close_hooked = True
        self._stop = stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(context, stop), daemon=True,
                                        name="soviet-cohesion-player")
        self._thread.start()

    @property
    def rate(self) -> float | None:
        """Steps per second over the last few steps while playing (None until there are three)."""
        times = list(self._started)
        if not self.playing or len(times) < 3 or times[-1] <= times[0]:
            return None
        return (len(times) - 1) / (times[-1] - times[0])

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
        self._started.clear()
        due = time.perf_counter()
        while not stop.is_set():
            began = time.perf_counter()
            self._started.append(began)
            with self.gate.turn():  # take the turn before the tab's lock: a click is never kept waiting
                with entered, lock:
                    if stop.is_set() or (context is not None and context.closed_event.is_set()):
                        return
                    message = None
                    try:
                        more = self.advance()
                    except Exception as exc:  # never let a step kill the page silently
                        logger.exception("step failed")
                        more, message = False, exc
                    if not more:
                        stop.set()
                        self._notify(message)
                        return
            # the next step is due one interval after this one began; never earlier than now
            due = max(due + 1.0 / max(self.speed, 0.01), time.perf_counter())
            stop.wait(max(0.0, due - time.perf_counter()))

    def _notify(self, message: Exception | None) -> None:
        try:
            self.on_stop(message)
        except Exception:
            logger.exception("on_stop failed")
