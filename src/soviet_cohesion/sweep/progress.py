"""Progress of a sweep: runs done, runs failed, rate and time remaining.

On a terminal a tqdm bar; in a log file (no terminal) a plain line every 10% or 30 seconds,
so a long sweep on a cluster shows it is not stuck.
"""

from __future__ import annotations

import sys
import time


def _duration(seconds: float) -> str:
    if seconds != seconds or seconds == float("inf"):
        return "?"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


class Progress:
    """Counts finished runs; ``mode``: ``"bar"``, ``"log"``, ``None`` (silent) or ``"auto"``."""

    def __init__(self, total: int, done: int = 0, failed: int = 0, mode: str | None = "auto",
                 desc: str = "sweep", stream=None):
        self.total, self.start_done, self.done, self.failed = total, done, done, failed
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "bar" if getattr(self.stream, "isatty", lambda: False)() else "log"
        self.mode = mode
        self.t0 = time.monotonic()
        self._last_log = self.t0
        self._last_fraction = done / total if total else 1.0
        self.desc = desc
        self.bar = None
        if mode == "bar":
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, initial=done, desc=desc, unit="run", file=self.stream,
                            dynamic_ncols=True, smoothing=0.1)
            self.bar.set_postfix(failed=failed, refresh=False)

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.t0
        return (self.done - self.start_done) / elapsed if elapsed > 0 else 0.0

    @property
    def remaining_s(self) -> float:
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 else float("inf")

    def line(self) -> str:
        return (f"{self.desc}: {self.done}/{self.total} runs done, {self.failed} failed, "
                f"{self.rate:.1f} runs/s, {_duration(self.remaining_s)} left")

    def update(self, ok: int, failed: int) -> None:
        self.done += ok + failed
        self.failed += failed
        if self.bar is not None:
            if failed:
                self.bar.set_postfix(failed=self.failed, refresh=False)
            self.bar.update(ok + failed)
        elif self.mode == "log":
            now = time.monotonic()
            fraction = self.done / self.total if self.total else 1.0
            if now - self._last_log >= 30 or fraction - self._last_fraction >= 0.1 or self.done == self.total:
                self._last_log, self._last_fraction = now, fraction
                print(self.line(), file=self.stream, flush=True)

    def note(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        elif self.mode is not None:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
