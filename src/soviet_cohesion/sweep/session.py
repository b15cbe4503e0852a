"""Run a sweep: check everything that can be checked before writing, prepare or resume the
results folder, dispatch the missing runs, commit each chunk's results the moment it arrives.

Before the first byte is written: the spec (one line per problem), the ``--out`` folder (a
folder, writable, not read-only), the ``--scheduler`` address and the cluster behind it (a
refused connection or a cluster without workers is reported in seconds), and a first model
set-up. A failure then leaves nothing behind; a failure later (a full disk) keeps every
committed chunk and says how to resume.
"""

from __future__ import annotations

import contextlib
import math
import shutil
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import provenance
from .design import Plan
from .executors import Backend, Cluster, available_cores, dispatch, make_backend, probe_scheduler
from .executors import WAIT_WORKERS_S
from .interrupts import stop_on_signals
from .progress import Progress, _duration
from .runner import _factory, chunk_provenance, failed_chunk, make_config, model_arguments
from .spec import Spec, SpecError, SweepError, load_spec
from .storage import FORMAT, TABLES, ResultStore
from .writable import check_out_dir, write_error

#: at most this many runs per chunk (one Parquet part per chunk and table). Chunks of 64-256
#: runs suit an engine that runs a whole chunk at once as arrays.
MAX_CHUNK = 256
#: chunks per worker slot at least (so fast workers are not left idle at the end)
CHUNKS_PER_SLOT = 8


@dataclass
class SweepReport:
    out_dir: Path
    n_runs: int
    done_before: int  # runs found in the folder when this session started
    ran: int  # runs finished in this session
    failed: int  # failed runs in this session
    elapsed_s: float
    where: str
    complete: bool

    @property
    def rate(self) -> float:
        return self.ran / self.elapsed_s if self.elapsed_s > 0 else 0.0


def default_out(spec_path: str | Path) -> Path:
    return Path("results") / Path(spec_path).stem


def chunk_size(missing: int, slots: int, requested: int | None = None) -> int:
    """Runs per chunk: about ``CHUNKS_PER_SLOT`` chunks per worker, at most ``MAX_CHUNK`` runs.
    Results do not depend on it (every run has its own seed)."""
    if requested:
        return requested
    return max(1, min(MAX_CHUNK, math.ceil(missing / (max(1, slots) * CHUNKS_PER_SLOT))))


def build_manifest(spec: Spec, session: dict) -> dict:
    from ..model import INDICATORS, REGION_FIELDS

    indicators = list(spec.outputs.indicators or INDICATORS)
    if "year" not in indicators:
        indicators.insert(0, "year")
    region_fields = list(spec.outputs.region_fields or REGION_FIELDS)
    tables = ["runs"] + (["timeseries"] if spec.outputs.timeseries else []) + \
             (["regions"] if spec.outputs.regions else [])
    build = session["build"]
    return {
        "format": FORMAT, "spec_hash": spec.hash, "spec_file": spec.path, "spec": spec.to_dict(),
        "n_runs": spec.n_runs, "n_points": spec.n_points, "replicates": spec.replicates,
        "tables": tables, "config": make_config(spec, indicators, region_fields),
        "code": build["code"], "versions": build["versions"], "provenance": session,
        "ledger": "chunks.jsonl", "created": provenance.now(),
    }


def preflight(spec: Spec, config: dict, task) -> None:
    """Build (not run) the model of one run, so a sweep that cannot start says so at once."""
    try:
        _factory(config["model"])(**model_arguments(config, task[4], task[3]))
    except Exception as exc:  # noqa: BLE001
        message = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise SpecError(f"{spec.path}: the model cannot be set up for run {task[0]} ({message})") from None


def cores_warning(workers: int | None) -> str | None:
    cores = available_cores()
    if workers and workers > cores:
        return (f"warning: --workers {workers} is more than the {cores} cores this process may use; "
                "the workers will share them (no faster, and more memory)")
    return None


def _checked(spec, out_dir, workers, scheduler) -> tuple[Spec, Path, Path | None, list[str]]:
    """The checks that need no writing: spec, --out, --scheduler syntax, cores."""
    if not isinstance(spec, Spec):
        spec = load_spec(spec)
    out = Path(out_dir) if out_dir is not None else default_out(spec.path)
    created = check_out_dir(out)
    if scheduler:
        probe_scheduler(scheduler)  # the address, and a TCP answer: a refused connection is told at once
    notes = list(spec.notes)
    warning = None if scheduler else cores_warning(workers)
    if warning:
        notes.append(warning)
    return spec, out, created, notes


def run_sweep(spec: Spec | str | Path, out_dir: str | Path | None = None, workers: int | None = None,
              scheduler: str | None = None, progress: bool | str | None = True,
              backend: Backend | None = None, allow_mixed: bool = False,
              wait_workers_s: float = WAIT_WORKERS_S, chunk_runs: int | None = None) -> SweepReport:
    """Run (or resume) a sweep; return what was done.

    Args:
        spec: a :class:`Spec` or the path of a TOML specification.
        out_dir: results folder (default ``results/<spec name>``); an existing folder of the
            same spec is resumed, only the missing (or corrupt) runs are computed.
        workers: local worker processes (default: all cores; 1 runs in this process).
        scheduler: address of a Dask scheduler (``tcp://host:8786``) to run on instead.
        progress: True (a bar on a terminal, lines in a log), "bar", "log" or False.
        backend: an already started backend (tests; overrides workers and scheduler).
        allow_mixed: resume even if the folder's runs were made by other model code or
            library versions (otherwise refused in one line).
        wait_workers_s: how long a cluster may take to answer with a worker.
        chunk_runs: runs per chunk (default: chosen from the runs and workers).

    Raises :class:`SweepError` (one line) for anything that stops the sweep, and
    :class:`~.interrupts.SweepInterrupted` (a ``KeyboardInterrupt``) on Ctrl-C, SIGTERM or SIGHUP.
    """
    spec, out, created, notes = _checked(spec, out_dir, workers, scheduler)
    mode = "auto" if progress is True else (progress or None)
    t0 = time.monotonic()
    session = {**provenance.session(), "id": uuid.uuid4().hex[:12]}
    plan = Plan.of(spec)
    new_manifest = build_manifest(spec, session)
    preflight(spec, new_manifest["config"], plan.tasks(np.array([0]))[0])
    cluster = None
    if backend is None and scheduler:  # connect before writing: a wrong address leaves nothing behind
        backend = cluster = Cluster(scheduler, wait_workers_s=wait_workers_s)
    try:
        return _run(spec, out, plan, new_manifest, session, notes, mode, t0, backend, workers,
                    allow_mixed, chunk_runs)
    except BaseException as exc:
        if created is not None and not isinstance(exc, KeyboardInterrupt):
            with contextlib.suppress(Exception):
                if not ResultStore(out).has_results():
                    shutil.rmtree(created, ignore_errors=True)  # nothing to keep: leave nothing behind
        raise
    finally:
        if cluster is not None:
            cluster.close(cancel=True)


def _run(spec, out, plan, new_manifest, session, notes, mode, t0, backend, workers, allow_mixed,
         chunk_runs) -> SweepReport:
    store = ResultStore(out)
    report = SweepReport(out, spec.n_runs, 0, 0, 0, 0.0, "", False)
    saved = [0]  # runs committed in the folder (for error messages)
    try:
        with stop_on_signals() as guard, store.lock():
            manifest, prepared = store.prepare(new_manifest, spec.source, plan.sample,
                                               [f.name for f in spec.sampled_factors])
            notes.extend(prepared)
            config = manifest["config"]
            stored = store.stored_sample()
            if stored is not None and not np.array_equal(stored, plan.sample):
                # same spec, other sample: a new SALib or numpy draws other rows. Finish the
                # sweep that was started: its design is the one on disk.
                notes.append("warning: this spec's sample now comes out differently (another SALib or "
                             "numpy version?); resuming with the sample stored in the folder")
                plan = Plan.of(spec, stored)
            tables = tuple(t for t in TABLES if t in manifest["tables"])
            state, recovered = store.recover(tables, spec.n_runs)
            notes.extend(recovered)
            done = state.done
            report.done_before = saved[0] = int(done.sum())
            current = backend.probe.get("build", provenance.build()) if isinstance(backend, Cluster) \
                else provenance.build()
            expected = _folder_build(state, current, out, allow_mixed)
            missing = spec.n_runs - report.done_before
            failed_before = sum(e["failed"] for e in state.good)
            if not missing:
                report.complete = True
                report.elapsed_s = time.monotonic() - t0
                return _finish(report, notes, mode)

            local = None if backend is not None else make_backend(workers, None)
            backend = backend or local
            report.where = backend.describe()
            size = chunk_size(missing, backend.slots, chunk_runs)
            bar = Progress(spec.n_runs, report.done_before, failed_before, mode=mode, desc=spec.name)
            resuming = f"; resuming, {report.done_before} done before" if report.done_before else ""
            bar.note(f"{spec.name}: {spec.n_runs} runs ({spec.n_points} points x {spec.replicates} replicates) "
                     f"on {report.where} -> {out}{resuming}")
            for text in notes:
                bar.note(text)
            if isinstance(backend, Cluster):
                warning = backend.check_workers(provenance.build())
                if warning:
                    bar.note(warning)
            store.log_session({"event": "start", "session": session["id"], "pid": session["pid"],
                               "host": session["host"], "command": session["command"],
                               "build": current.get("id"), "where": report.where,
                               "done_before": report.done_before, "missing": missing, "chunk_runs": size})
            builds_known = set(state.ledger.builds)
            key = [expected]

            def on_result(result: dict) -> None:
                prov = chunk_provenance(result["runs"])
                build = prov.get("build") or {}
                if build:
                    key[0] = _check_chunk_build(build, prov, key[0], allow_mixed)
                record = {"session": session["id"], "worker": prov.get("worker"),
                          "started": prov.get("started"), "seconds": prov.get("seconds"),
                          "written": provenance.now(), "build": build}
                with guard.commit():
                    store.write_chunk(result, record, builds_known)
                status = result["runs"].column("status").to_pylist()
                failed = sum(s != "ok" for s in status)
                report.ran += len(status)
                report.failed += failed
                saved[0] += len(status)
                bar.update(len(status) - failed, failed)

            def on_given_up(chunk, message: str) -> None:
                bar.note(f"run {chunk[0][0]} recorded as failed: {message}")
                on_result(failed_chunk(chunk, config, message))

            interrupted: BaseException | None = None
            try:
                dispatch(backend, plan.chunks(done, size), config, on_result, on_given_up, note=bar.note)
            except BaseException as exc:
                interrupted = exc
                raise
            finally:
                bar.close()
                report.elapsed_s = time.monotonic() - t0
                report.complete = interrupted is None
                event = {"event": "end"} if interrupted is None else (
                    {"event": "interrupted", "signal": getattr(interrupted, "name", "SIGINT")}
                    if isinstance(interrupted, KeyboardInterrupt) else
                    {"event": "failed", "error": " ".join(str(interrupted).split())[:300]})
                with contextlib.suppress(OSError):
                    store.log_session({**event, "session": session["id"], "pid": session["pid"],
                                       "ran": report.ran, "failed": report.failed,
                                       "elapsed_s": round(report.elapsed_s, 3)})
                if local is not None:
                    local.close(cancel=interrupted is not None)
    except OSError as exc:
        raise write_error(exc, out, saved[0]) from None
    return report


def _folder_build(state, current: dict, out: Path, allow_mixed: bool):
    """The result key the folder's runs share (or this build's, for a new folder); resuming
    with another build is refused unless ``allow_mixed``."""
    keys: dict[tuple, dict] = {}
    for entry in state.good:
        record = state.ledger.builds.get(entry.get("build"))
        if record:
            keys.setdefault(provenance.result_key(record), record)
    mine = provenance.result_key(current)
    if not keys:
        return mine
    if (len(keys) > 1 or mine not in keys) and not allow_mixed:
        theirs = next(iter(keys.values()))
        what = "; ".join(provenance.differences(theirs, current)) if len(keys) == 1 else \
            f"{len(keys)} versions already"
        raise SweepError(f"{out} holds {state.done.sum():,} runs made by another version ({what}); resuming "
                         "would mix versions: rerun into a new --out, or pass --allow-mixed-versions")
    return next(iter(keys)) if len(keys) == 1 else mine


def _check_chunk_build(build: dict, prov: dict, expected, allow_mixed: bool):
    key = provenance.result_key(build)
    if expected is None or key == expected or allow_mixed:
        return expected if expected is not None else key
    host = (prov.get("worker") or {}).get("host", "?")
    raise SweepError(f"worker {host} computed runs with another version than this sweep's other runs "
                     f"(model code {build.get('code')}, {provenance.describe_build(build)}); install the "
                     "same version on every worker, or pass --allow-mixed-versions; the finished runs "
                     "are saved")


def dry_run(spec: Spec | str | Path, out_dir: str | Path | None = None, workers: int | None = None,
            scheduler: str | None = None, wait_workers_s: float = WAIT_WORKERS_S,
            chunk_runs: int | None = None) -> str:
    """What ``run_sweep`` would do, with an estimated time from a short measurement; writes nothing."""
    from . import estimate

    spec, out, _, notes = _checked(spec, out_dir, workers, scheduler)
    plan = Plan.of(spec)
    session = {**provenance.session(), "id": "dry-run"}
    config = build_manifest(spec, session)["config"]
    preflight(spec, config, plan.tasks(np.array([0]))[0])
    done = _done_in(out, spec)
    missing = spec.n_runs - done
    if scheduler:
        backend = Cluster(scheduler, wait_workers_s=wait_workers_s)
        slots, cores, where = backend.slots, None, backend.describe()
        backend.close()
    else:
        slots = workers or available_cores()
        cores, where = available_cores(), (f"{slots} local worker processes" if slots > 1 else
                                           "1 worker (in this process)")
    measurement = estimate.measure(plan, config)
    text = estimate.report(spec, plan, measurement, missing, slots, cores, where, out, done,
                           chunk_size(missing, slots, chunk_runs))
    return "\n".join([*notes, text, "dry run: nothing was run or written"])


def _done_in(out: Path, spec: Spec) -> int:
    """Runs already committed in ``out`` for this spec (0 for a new or foreign folder)."""
    from . import ledger as ledgers

    store = ResultStore(out)
    try:
        manifest = store.manifest()
    except SweepError:
        return 0
    if manifest is None or manifest["spec_hash"] != spec.hash:
        return 0
    return ledgers.read(store.ledger_path).n_runs


def _finish(report: SweepReport, notes: list[str], mode) -> SweepReport:
    if mode is not None:
        for text in notes:
            print(text, file=sys.stderr)
    return report


def summary_line(report: SweepReport, name: str) -> str:
    if report.ran == 0 and report.complete:
        return f"{name}: nothing to do, all {report.n_runs} runs are in {report.out_dir}"
    return (f"{name}: {report.ran} runs in {_duration(report.elapsed_s)} ({report.rate:.1f} runs/s, "
            f"{report.where}); {report.failed} failed; "
            f"{report.done_before + report.ran}/{report.n_runs} runs in {report.out_dir}")
