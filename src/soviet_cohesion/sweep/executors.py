"""Where runs execute, behind one interface: a ``concurrent.futures.Executor``.

* ``Serial``: in this process, one chunk after the other (``--workers 1``).
* ``LocalPool``: a ``ProcessPoolExecutor`` of ``--workers`` processes (the default; nothing
  to set up). Started with ``forkserver``, the model imported once in the server; each worker
  dies with the sweep (:mod:`.lifeline`).
* ``Cluster``: an existing Dask distributed cluster (``--scheduler tcp://HOST:PORT``) through
  ``Client(address).get_executor()``; the scheduler reassigns the work of a lost worker, and
  workers that join while the sweep runs get work (the number of chunks in flight follows the
  cluster's current size).

:func:`dispatch` feeds chunks to any of them with a bounded number in flight (results are
written as they come, never gathered), resubmits the chunks of a worker that died, and
isolates a run that keeps killing its worker.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import re
import socket
import time
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Callable, Iterable

from . import lifeline
from .runner import Task, execute_chunk, worker_info
from .spec import SweepError

#: a single run whose worker died this many times while it ran alone is recorded as failed
GIVE_UP_AFTER = 2
#: seconds without a result after which the backend is checked (a lost Dask scheduler)
HEALTH_CHECK_S = 5.0
#: a chunk that fails this many times for another reason (not a run's error) stops the sweep
INFRA_ATTEMPTS = 3
#: seconds to wait for the first answer of a TCP connection to the scheduler
CONNECT_PROBE_S = 5.0
#: default seconds to wait for a cluster worker to answer (``--wait-workers``)
WAIT_WORKERS_S = 10.0
SCHEDULER = re.compile(r"^(?:(?P<scheme>tcp|tls|ws|wss|ucx)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+)"
                       r":(?P<port>\d{1,5})/?$")


def available_cores() -> int:
    """Cores this process may use (its CPU affinity: a container's or a batch job's share)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Serial(cf.Executor):
    """Runs each submitted call at once, in this process."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - KeyboardInterrupt and the like propagate
            future.set_exception(exc)
        return future


class Backend:
    """An executor plus how many calls it runs at once."""

    kind = "serial"

    def __init__(self):
        self.executor: cf.Executor = Serial()
        self.slots = 1

    @property
    def window(self) -> int:
        """Chunks kept in flight: enough that no worker waits for the next."""
        return 1 if isinstance(self.executor, Serial) else 2 * max(1, self.slots)

    #: seconds the dispatcher waits for a result before it looks around again
    poll_s = HEALTH_CHECK_S

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
        ctx: multiprocessing.context.BaseContext
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["soviet_cohesion.sweep.runner", "soviet_cohesion.model"])
            lifeline.start_helpers()
        else:  # (Windows) each worker imports the model itself
            ctx = multiprocessing.get_context("spawn")
        return cf.ProcessPoolExecutor(max_workers=self.slots, mp_context=ctx,
                                      initializer=lifeline.start_worker, initargs=(os.getpid(),))

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
                    p.kill()
            for p in processes:
                p.join(timeout=5)
        else:
            self.executor.shutdown(wait=True)


def parse_scheduler(address: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of a scheduler address, or a one-line :class:`SweepError`."""
    m = SCHEDULER.match(address.strip())
    if not m or not 1 <= int(m["port"]) <= 65535:
        raise SweepError(f"--scheduler {address!r}: not a scheduler address; expected tcp://HOST:PORT "
                         "(e.g. tcp://10.0.0.5:8786, as printed by 'dask scheduler')")
    return m["scheme"] or "tcp", m["host"].strip("[]"), int(m["port"])


def probe_scheduler(address: str, timeout: float = CONNECT_PROBE_S) -> None:
    """Open and close a TCP connection to the scheduler: a refused connection, an unknown host
    or silence is reported at once, in one line, before Dask's own retries."""
    scheme, host, port = parse_scheduler(address)
    if scheme not in ("tcp", "tls"):
        return
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except ConnectionRefusedError:
        why = "connection refused: no scheduler listens there; is 'dask scheduler' running?"
    except socket.gaierror:
        why = f"unknown host {host!r}"
    except TimeoutError:
        why = f"no answer within {timeout:g} s; a firewall, or the wrong address?"
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
    else:
        return
    raise SweepError(f"--scheduler {address}: cannot reach the Dask scheduler ({why})")


class Cluster(Backend):
    kind = "dask"
    poll_s = 1.0  # look for workers that joined often

    def __init__(self, address: str, wait_workers_s: float = WAIT_WORKERS_S, connect_s: float = 10):
        parse_scheduler(address)
        try:
            from distributed import Client
        except ImportError:
            raise SweepError("--scheduler needs dask distributed; install the sweep extra: "
                             "pip install 'soviet-cohesion[sweep]'") from None
        probe_scheduler(address)
        self.address = address
        self.wait_workers_s = wait_workers_s
        try:
            self.client = Client(address, timeout=connect_s)
        except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, ...
            raise SweepError(f"--scheduler {address}: cannot reach the Dask scheduler "
                             f"({type(exc).__name__}: {' '.join(str(exc).split())})") from None
        self.executor = self.client.get_executor(pure=False)
        self._slots, self._counted = 0, 0.0
        self.probe = self._probe()

    def _probe(self) -> dict:
        """Run :func:`worker_info` on a worker: is there one, and can it import the model?"""
        future = self.executor.submit(worker_info)
        try:
            return future.result(timeout=self.wait_workers_s)
        except cf.TimeoutError:
            future.cancel()
            n = len(self._nthreads())
            self.close(cancel=True)
            if n == 0:
                raise SweepError(f"--scheduler {self.address}: the cluster has no workers (none joined "
                                 f"within {self.wait_workers_s:g} s); start some with: dask worker "
                                 f"{self.address} (or wait longer with --wait-workers SECONDS)") from None
            raise SweepError(f"--scheduler {self.address}: none of its {n} workers answered within "
                             f"{self.wait_workers_s:g} s; are they busy with other work? (wait longer "
                             "with --wait-workers SECONDS)") from None
        except Exception as exc:  # noqa: BLE001
            self.close(cancel=True)
            raise SweepError(f"--scheduler {self.address}: the workers cannot run the model "
                             f"({type(exc).__name__}: {' '.join(str(exc).split())}); install "
                             "soviet-cohesion on every worker") from None

    def _nthreads(self) -> dict:
        try:
            return self.client.nthreads()
        except Exception:  # noqa: BLE001 - the scheduler is going away; check() will say so
            return {}

    @property
    def slots(self) -> int:
        """Worker threads of the cluster now (counted again every 2 seconds)."""
        if time.monotonic() - self._counted > 2.0:
            counted = sum(self._nthreads().values())
            self._slots, self._counted = counted or self._slots, time.monotonic()
        return max(1, self._slots)

    def describe(self) -> str:
        n = self._nthreads()
        return f"Dask cluster {self.address} ({len(n)} workers, {sum(n.values())} threads)"

    def check(self) -> None:
        if self.client.status in ("closing", "closed"):
            raise SweepError(f"lost the Dask scheduler at {self.address}; the finished runs are saved: "
                             "start the cluster again and run the same command to resume")

    def check_workers(self, build: dict) -> str | None:
        """A warning if the probed worker runs other model code or libraries than this machine."""
        from . import provenance

        theirs = self.probe.get("build", {})
        diff = provenance.differences(build, theirs)
        if diff:
            return (f"warning: worker {self.probe.get('host')} differs from this machine "
                    f"({'; '.join(diff)}); results follow the workers' version")
        return None

    def close(self, cancel: bool = False) -> None:
        try:
            self.executor.shutdown(wait=not cancel)
        except Exception:  # noqa: BLE001 - the scheduler may already be gone
            pass
        finally:
            self.client.close()


def make_backend(workers: int | None, scheduler: str | None, wait_workers_s: float = WAIT_WORKERS_S) -> Backend:
    if scheduler:
        return Cluster(scheduler, wait_workers_s=wait_workers_s)
    workers = workers or available_cores()
    return Backend() if workers == 1 else LocalPool(workers)


# ====================================================================== dispatch
@dataclass
class Job:
    """A chunk of runs and what happened to it so far."""

    tasks: list[Task]
    failures: int = 0  # infrastructure errors (not the runs' own errors)
    lost_together: int = 0  # times a worker died while it was in flight with other chunks
    deaths_alone: int = 0  # times its worker died while it ran alone
    alone: bool = False


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

    When a worker dies, the chunks in flight are retried once with the others (a worker killed
    from outside costs nothing more). Chunks in flight at a second death become suspects and
    run alone, so a death is blamed on the right chunk: a suspect chunk that dies alone is cut
    in halves, and a single run that dies alone ``GIVE_UP_AFTER`` times is recorded as failed.
    """
    fresh = iter(chunks)  # drawn as needed: a million runs are never all in memory as tasks
    queue: deque[Job] = deque()
    suspects: deque[Job] = deque()
    inflight: dict[cf.Future, Job] = {}
    last_result = time.monotonic()

    def lost(job: Job, why: str) -> None:
        if not job.alone:
            job.lost_together += 1
            if job.lost_together >= 2:
                suspects.append(job)
            else:
                queue.appendleft(job)
        elif len(job.tasks) > 1:
            half = len(job.tasks) // 2
            suspects.extend(Job(part, job.failures) for part in (job.tasks[:half], job.tasks[half:]))
        elif job.deaths_alone + 1 >= GIVE_UP_AFTER:
            on_given_up(job.tasks, f"WorkerLost: the worker process died each of the {job.deaths_alone + 1} "
                                   f"times it ran this run alone ({why}; killed, out of memory or crashed)")
        else:
            job.deaths_alone += 1
            suspects.append(job)

    def top_up() -> None:
        if not queue:
            chunk = next(fresh, None)
            if chunk is not None:
                queue.append(Job(chunk))

    top_up()
    while queue or suspects or inflight:
        pending: list[Job] = []
        if suspects:
            if not inflight:
                job = suspects.popleft()
                job.alone = True
                pending.append(job)
        elif not any(job.alone for job in inflight.values()):
            window = backend.window
            while queue and len(inflight) + len(pending) < window:
                job = queue.popleft()
                job.alone = False
                pending.append(job)
                top_up()
        broken = False
        for k, job in enumerate(pending):
            try:
                inflight[backend.executor.submit(execute_chunk, job.tasks, config)] = job
            except BrokenProcessPool:  # the pool broke since the last look: submit these later
                for rest in pending[k:]:
                    (suspects.appendleft if rest.alone else queue.appendleft)(rest)
                broken = True
                break
        done = set()
        if not broken:
            done = cf.wait(list(inflight), timeout=backend.poll_s, return_when=cf.FIRST_COMPLETED)[0]
            if done:
                last_result = time.monotonic()
            elif time.monotonic() - last_result > HEALTH_CHECK_S:
                backend.check()  # nothing for a while: is the cluster still there?
        for future in done:
            job = inflight.pop(future)
            exc = _outcome(future)
            if exc is None:
                on_result(future.result())
            elif _lost_worker(exc):
                broken |= isinstance(exc, BrokenProcessPool)
                lost(job, type(exc).__name__)
            else:
                job.failures += 1
                message = " ".join(f"{type(exc).__name__}: {exc}".split())
                if job.failures >= INFRA_ATTEMPTS:
                    raise SweepError(f"runs cannot be executed on the workers ({message}); "
                                     "fix this and run the same command again to resume")
                note(f"retrying runs {job.tasks[0][0]}..{job.tasks[-1][0]} after: {message}")
                (suspects if job.alone else queue).append(job)
        if broken:
            note("a worker process died; restarting the pool and redoing its runs")
            cf.wait(list(inflight), timeout=30)  # a broken pool fails all its futures at once
            for future, job in inflight.items():
                if future.done() and _outcome(future) is None:
                    on_result(future.result())
                else:
                    lost(job, "BrokenProcessPool")
            inflight.clear()
            backend.restart()
        top_up()

