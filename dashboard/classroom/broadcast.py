"""Telling every open page that the class session changed.

The session is shared by all pages (the teacher's and every student's), but each page is drawn
in its own Solara kernel. A page subscribes a callback for the topics it shows ("quarter",
"answers", "roster", "clock", "levers"); :meth:`Broadcaster.publish` marks the subscribers of a
topic as due and returns at once; a few delivery threads then call each due callback once, in
the order they became due. Rules:

* the publisher never waits for a page (a step with 40 students returns at once; the class is
  redrawn behind it);
* a page due several times before its turn is drawn once (the callback reads the latest state);
* one callback is never run by two threads at the same time, and a slow page (a phone on a weak
  connection) holds up only the thread that serves it, not the others;
* a callback that returns ``False`` or raises is unsubscribed (its page has gone).

With ``workers=0`` the callbacks run in the publishing thread (the component tests use this).
"""

from __future__ import annotations

import collections
import itertools
import logging
import threading
from collections.abc import Callable, Iterable

logger = logging.getLogger(__name__)

#: delivery threads of a server's session
DEFAULT_WORKERS = 4


class Broadcaster:
    def __init__(self, workers: int = DEFAULT_WORKERS):
        self._mutex = threading.Lock()
        self._ready = threading.Condition(self._mutex)
        self._listeners: dict[int, tuple[Callable[[], object], frozenset[str]]] = {}
        self._due: collections.OrderedDict[int, None] = collections.OrderedDict()
        self._running: set[int] = set()  # being delivered now
        self._again: set[int] = set()  # became due again while being delivered
        self._ids = itertools.count(1)
        self._closed = False
        self._threads = [threading.Thread(target=self._work, daemon=True, name=f"classroom-broadcast-{i}")
                         for i in range(workers)]
        for thread in self._threads:
            thread.start()

    # ------------------------------------------------------------------ subscribers
    def subscribe(self, callback: Callable[[], object], topics: Iterable[str]) -> Callable[[], None]:
        """Call ``callback()`` after each publication of one of ``topics``; returns the function
        that unsubscribes it."""
        key = next(self._ids)
        with self._mutex:
            self._listeners[key] = (callback, frozenset(topics))
        return lambda: self._remove(key)

    def _remove(self, key: int) -> None:
        with self._mutex:
            self._listeners.pop(key, None)
            self._due.pop(key, None)
            self._again.discard(key)

    @property
    def subscribers(self) -> int:
        with self._mutex:
            return len(self._listeners)

    # ------------------------------------------------------------------ publishing
    def publish(self, *topics: str) -> None:
        """Mark every subscriber of one of ``topics`` as due (and wake the delivery threads)."""
        wanted = set(topics)
        with self._mutex:
            due = [key for key, (_, their) in self._listeners.items() if their & wanted]
            for key in due:
                if key in self._running:
                    self._again.add(key)
                else:
                    self._due[key] = None
            if due:
                self._ready.notify_all()
        if not self._threads:
            self._drain()

    def _take(self) -> tuple[int, Callable[[], object]] | None:
        """The next due callback, marked as being delivered (the mutex is held)."""
        while self._due:
            key, _ = self._due.popitem(last=False)
            entry = self._listeners.get(key)
            if entry is not None:
                self._running.add(key)
                return key, entry[0]
        return None

    def _finish(self, key: int) -> None:
        """A delivery is over; if the callback became due meanwhile, it is due again (mutex held)."""
        self._running.discard(key)
        if key in self._again:
            self._again.discard(key)
            if key in self._listeners:
                self._due[key] = None
                self._ready.notify()

    def _drain(self) -> None:
        """Deliver everything due in this thread (``workers=0``)."""
        while True:
            with self._mutex:
                job = self._take()
            if job is None:
                return
            try:
                self._deliver(*job)
            finally:
                with self._mutex:
                    self._finish(job[0])

    def _work(self) -> None:
        while True:
            with self._mutex:
                job = None
                while job is None:
                    if self._closed:
                        return
                    job = self._take()
                    if job is None:
                        self._ready.wait()
            try:
                self._deliver(*job)
            finally:
                with self._mutex:
                    self._finish(job[0])

    def _deliver(self, key: int, callback: Callable[[], object]) -> None:
        try:
            keep = callback()
        except Exception:
            logger.exception("a page could not be updated; it is no longer told of changes")
            keep = False
        if keep is False:
            self._remove(key)

    def idle(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is due or being delivered (tests); True if so within ``timeout``."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._mutex:
                if not self._due and not self._running:
                    return True
            time.sleep(0.005)
        return False

    def close(self) -> None:
        with self._mutex:
            self._closed = True
            self._ready.notify_all()
