"""Stopping a sweep: Ctrl-C, SIGTERM and SIGHUP all stop it the same clean way.

SLURM, systemd, Kubernetes and ``kill`` send SIGTERM; closing a terminal sends SIGHUP. While a
sweep runs (in the main thread), each of them raises :class:`SweepInterrupted` (a
``KeyboardInterrupt``), so the sweep records an ``interrupted`` session, stops its workers,
releases its semaphores and exits with status 128 + the signal's number, keeping every finished
run. A signal that arrives while a chunk is being committed takes effect right after the
commit, so a chunk is never left half recorded. Handlers someone else installed (or ``nohup``'s
ignored SIGHUP) are left alone.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None),
                            getattr(signal, "SIGHUP", None)) if s is not None)


class SweepInterrupted(KeyboardInterrupt):
    """The sweep was stopped by a signal; the finished runs are kept."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


class Guard:
    """Turns signals into :class:`SweepInterrupted`, except inside :meth:`commit`."""

    def __init__(self):
        self.depth = 0
        self.pending: int | None = None

    def handler(self, signum, frame) -> None:
        if self.depth:
            self.pending = signum
            return
        raise SweepInterrupted(signum)

    @contextlib.contextmanager
    def commit(self) -> Iterator[None]:
        """A section a signal must not cut short (it is delivered at the end)."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
        if not self.depth and self.pending is not None:
            signum, self.pending = self.pending, None
            raise SweepInterrupted(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[Guard]:
    """Install the guard's handler for SIGINT, SIGTERM and SIGHUP while the block runs (main
    thread only; elsewhere signals cannot be handled and the guard does nothing)."""
    guard = Guard()
    if threading.current_thread() is not threading.main_thread():
        yield guard
        return
    previous = {}
    for sig in SIGNALS:
        current = signal.getsignal(sig)
        default = signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL
        if current is default:
            previous[sig] = current
            signal.signal(sig, guard.handler)
    try:
        yield guard
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
