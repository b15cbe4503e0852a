"""Where runs execute, behind one interface: a ``concurrent.futures.Executor``.

* ``Serial``: in this process, one chunk after the other (``--workers 1``).
* ``LocalPool``: a ``ProcessPoolExecutor`` of ``--workers`` processes (the default; nothing
  to set up). Started with ``forkserver``, the model imported once in the server.
* ``Cluster``: an existing Dask distributed cluster (``--scheduler tcp://HOST:PORT``) through
  ``Client(address).get_executor()``; the scheduler reassigns the work of a lost worker.

:func:`dispatch` feeds chunks to any of them with a bounded number in flight (results are
written as they come, never gathered), resubmits the chunks of a worker that died, and
isolates a run that keeps killing its worker.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable

from .runner import Task, run_chunk, worker_info
from .spec import SweepError

#: a single run whose worker died this many times while it ran alone is recorded as failed
GIVE_UP_AFTER = 2
#: seconds without a result after which the backend is checked (a lost Dask scheduler)
HEALTH_CHECK_S = 5.0
#: a chunk that fails this many times for another reason (not a run's error) stops the sweep
INFRA_ATTEMPTS = 3


class Serial(cf.Executor):
    """Runs each submitted call at once, in this process."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - KeyboardInterrupt and the like propagate
            future.set_exception(exc)
        return future


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the main process, which stops the sweep cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Backend:
    """An executor plus how many calls it runs at once."""

    kind = "serial"

    def __init__(self):
        self.executor: cf.Executor = Serial()
        self.slots = 1

    @property
    def window(self) -> int:
        """Chunks kept in flight: enough that no worker waits for the next."""
        return 1 if isinstance(self.executor, Serial) else 2 * self.slots

    def describe(self) -> str:
        return "1 worker (in this process)"

    def restart(self) -> None:
        pass

    def check(self) -> None:
        """Raise :class:`SweepError` if the backend can no longer run anything."""

    def close(self, cancel: bool = False) -> None:
        self.executor.shutdown(wait=not cancel, cancel_futures=cancel)


class LocalPool(Backend):
    kind = "local"

    def __init__(self, workers: int):
        self.slots = workers
        self.executor = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["soviet_cohesion.sweep.runner", "soviet_cohesion.model"])
        else:  # (Windows) each worker imports the model itself
            ctx = multiprocessing.get_context("spawn")
        return cf.ProcessPoolExecutor(max_workers=self.slots, mp_context=ctx, initializer=_ignore_sigint)

    def describe(self) -> str:
        return f"{self.slots} local worker processes"

    def restart(self) -> None:
        self.close(cancel=True)
        self.executor = self._start()

    def close(self, cancel: bool = False) -> None:
        if cancel:
            # stop at once: the chunks in flight are redone on resume
            processes = list((getattr(self.executor, "_processes", None) or {}).values())
            self.executor.shutdown(wait=False, cancel_futures=True)
            for p in processes:
                if p.is_alive():
                    p.terminate()
            for p in processes:
                p.join(timeout=5)
        else:
            self.executor.shutdown(wait=True)


class Cluster(Backend):
    kind = "dask"

    def __init__(self, address: str, wait_s: float = 60, connect_s: float = 15):
        try:
            from distributed import Client
        except ImportError:
            raise SweepError("--scheduler needs dask distributed; install the sweep extra: "
                             "pip install 'soviet-cohesion[sweep]'") from None
        self.address = address
        try:
            self.client = Client(address, timeout=connect_s)
        except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, ...
            raise SweepError(f"--scheduler {address}: cannot reach the Dask scheduler "
                             f"({type(exc).__name__}: {' '.join(str(exc).split())})") from None
        try:
            self.client.wait_for_workers(1, timeout=wait_s)
        except Exception:  # noqa: BLE001
            self.client.close()
            raise SweepError(f"--scheduler {address}: no worker joined within {wait_s:g} s; start "
                             f"some with: dask worker {address}") from None
        self.slots = max(1, sum(self.client.nthreads().values()))
        self.executor = self.client.get_executor(pure=False)

    def describe(self) -> str:
        n = len(self.client.nthreads())
        return f"Dask cluster {self.address} ({n} workers, {self.slots} threads)"

    def check(self) -> None:
        if self.client.status in ("closing", "closed"):
            raise SweepError(f"lost the Dask scheduler at {self.address}; the finished runs are saved: "
                             "start the cluster again and run the same command to resume")

    def check_workers(self, code: str) -> str | None:
        """Run a probe on a worker: can it import the model, and is it the same code?"""
        try:
            info = self.executor.submit(worker_info).result(timeout=120)
        except Exception as exc:  # noqa: BLE001
            raise SweepError(f"--scheduler {self.address}: the workers cannot run the model "
                             f"({type(exc).__name__}: {' '.join(str(exc).split())}); install "
                             "soviet-cohesion on every worker") from None
        if info["code"] != code:
            return (f"warning: worker {info['host']} runs different model code ({info['code']}) "
                    f"than this machine ({code}); results follow the workers' version")
        return None

    def close(self, cancel: bool = False) -> None:
        try:
            self.executor.shutdown(wait=not cancel)
        except Exception:  # noqa: BLE001 - the scheduler may already be gone
            pass
        finally:
            self.client.close()


def make_backend(workers: int | None, scheduler: str | None) -> Backend:
    if scheduler:
        return Cluster(scheduler)
    workers = workers or os.cpu_count() or 1
    return Backend() if workers == 1 else LocalPool(workers)


# ====================================================================== dispatch
def _lost_worker(exc: BaseException) -> bool:
    """The worker running the chunk died (not an error of the runs themselves)."""
    return isinstance(exc, (BrokenProcessPool, cf.CancelledError)) or type(exc).__name__ == "KilledWorker"


def _outcome(future: cf.Future) -> BaseException | None:
    if future.cancelled():
        return cf.CancelledError()
    return future.exception()


def dispatch(backend: Backend, chunks: Iterable[list[Task]], config: dict,
             on_result: Callable[[dict], None], on_given_up: Callable[[list[Task], str], None],
             note: Callable[[str], None] = lambda text: None) -> None:
    """Run every chunk on ``backend``; hand each result to ``on_result`` as soon as it arrives.

    When a worker dies, the chunks it may have been running become suspects. A suspect runs
    alone (nothing else in flight), so a death is blamed on the right chunk: a suspect chunk
    that dies alone is split into single runs, and a single run that dies alone
    ``GIVE_UP_AFTER`` times is recorded as failed. The other suspects finish normally.
    """
    fresh = iter(chunks)  # drawn as needed: a million runs are never all in memory as tasks
    queue: deque[tuple[list[Task], int]] = deque()  # chunks to redo: chunk, infra failures
    suspects: deque[tuple[list[Task], int, int]] = deque()  # chunk, deaths alone, infra failures
    inflight: dict[cf.Future, tuple[list[Task], int, int, bool]] = {}  # ..., alone

    def lost(chunk, deaths, n_failed, alone, why):
        if not alone:
            suspects.append((chunk, 0, n_failed))
        elif len(chunk) > 1:
            suspects.extend(([task], 0, n_failed) for task in chunk)
        elif deaths + 1 >= GIVE_UP_AFTER:
            on_given_up(chunk, f"WorkerLost: the worker process died each of the {deaths + 1} times "
                               f"it ran this run alone ({why}; killed, out of memory or crashed)")
        else:
            suspects.append((chunk, deaths + 1, n_failed))

    def top_up() -> None:
        if not queue:
            chunk = next(fresh, None)
            if chunk is not None:
                queue.append((chunk, 0))

    top_up()
    while queue or suspects or inflight:
        pending: list[tuple[list[Task], int, int, bool]] = []
        if suspects:
            if not inflight:
                chunk, deaths, n_failed = suspects.popleft()
                pending.append((chunk, deaths, n_failed, True))
        elif not any(alone for *_, alone in inflight.values()):
            while queue and len(inflight) + len(pending) < backend.window:
                chunk, n_failed = queue.popleft()
                pending.append((chunk, 0, n_failed, False))
                top_up()
        broken = False
        for k, item in enumerate(pending):
            try:
                inflight[backend.executor.submit(run_chunk, item[0], config)] = item
            except BrokenProcessPool:  # the pool broke since the last look: submit these later
                for chunk, deaths, n_failed, alone in pending[k:]:
                    if alone:
                        suspects.appendleft((chunk, deaths, n_failed))
                    else:
                        queue.appendleft((chunk, n_failed))
                broken = True
                break
        done = set()
        if not broken:
            done = cf.wait(list(inflight), timeout=HEALTH_CHECK_S, return_when=cf.FIRST_COMPLETED)[0]
            if not done:
                backend.check()  # nothing for a while: is the cluster still there?
        for future in done:
            chunk, deaths, n_failed, alone = inflight.pop(future)
            exc = _outcome(future)
            if exc is None:
                on_result(future.result())
            elif _lost_worker(exc):
                broken |= isinstance(exc, BrokenProcessPool)
                lost(chunk, deaths, n_failed, alone, type(exc).__name__)
            else:
                n_failed += 1
                message = " ".join(f"{type(exc).__name__}: {exc}".split())
                if n_failed >= INFRA_ATTEMPTS:
                    raise SweepError(f"runs cannot be executed on the workers ({message}); "
                                     "fix this and run the same command again to resume")
                note(f"retrying runs {chunk[0][0]}..{chunk[-1][0]} after: {message}")
                if alone:
                    suspects.append((chunk, deaths, n_failed))
                else:
                    queue.append((chunk, n_failed))
        if broken:
            note("a worker process died; restarting the pool and redoing its runs")
            cf.wait(list(inflight), timeout=30)  # a broken pool fails all its futures at once
            for future, (chunk, deaths, n_failed, alone) in inflight.items():
                if future.done() and _outcome(future) is None:
                    on_result(future.result())
                else:
                    lost(chunk, deaths, n_failed, alone, "BrokenProcessPool")
            inflight.clear()
            backend.restart()
        top_up()
