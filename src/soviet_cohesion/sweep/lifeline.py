"""Local worker processes die with the sweep that started them.

Workers are forked by multiprocessing's fork server, so they are not the sweep's children and
nothing tells them when the sweep dies: after a ``kill -9`` (or the OOM killer) they used to
live on under PID 1, with the fork server and the resource tracker, holding the terminal's
pipe open so that ``soviet-cohesion sweep ... | tee log`` never ended.

Each worker therefore watches the sweep's process (:func:`watch`): a thread waits on a
``pidfd`` of it (Linux 5.3+; elsewhere it polls once a second) and ends the worker the moment
the sweep is gone. With the workers gone the fork server and the resource tracker see their
pipes close and exit too. Workers leave Ctrl-C and SIGHUP (which a terminal sends to the whole
process group) to the sweep, which stops them itself; they keep SIGTERM's default, since the
process pool itself ends workers with SIGTERM when it breaks.
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time

#: exit status of a worker whose sweep died
ORPHANED = 75


def start_worker(parent_pid: int) -> None:
    """Initialiser of a local worker process: leave Ctrl-C and SIGHUP to the sweep, watch it."""
    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    watch(parent_pid)


def start_helpers() -> None:
    """Start multiprocessing's resource tracker and fork server with SIGHUP ignored, as the
    workers do: a closed terminal sends SIGHUP to the whole process group, and the sweep, not
    they, must decide what happens (a killed tracker would be relaunched and then complain
    about every semaphore it never saw)."""
    from multiprocessing import forkserver, resource_tracker

    hup = getattr(signal, "SIGHUP", None)
    try:
        previous = signal.signal(hup, signal.SIG_IGN) if hup is not None else None
    except ValueError:  # not the main thread: signals cannot be changed here
        previous = None
    try:
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    finally:
        if hup is not None and previous is not None:
            signal.signal(hup, previous)


def watch(pid: int) -> None:
    """End this process as soon as process ``pid`` has ended."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
        if not _alive(pid):
            os._exit(ORPHANED)
    threading.Thread(target=_wait_pidfd if fd is not None else _poll, args=(fd if fd is not None else pid,),
                     name="sweep-lifeline", daemon=True).start()


def _wait_pidfd(fd: int) -> None:
    select.select([fd], [], [])  # readable when the process has ended
    os._exit(ORPHANED)


def _poll(pid: int) -> None:
    while _alive(pid):
        time.sleep(1.0)
    os._exit(ORPHANED)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
