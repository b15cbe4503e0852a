"""Run a sweep: resolve the spec, prepare or resume the results folder, dispatch the missing
runs, write each chunk's results the moment it arrives.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from . import design as designs
from .executors import Backend, Cluster, dispatch, make_backend
from .progress import Progress, _duration
from .runner import STATUS_ERROR, Task, failed_chunk, make_config, model_arguments, _factory
from .spec import Spec, SpecError, load_spec
from .storage import FORMAT, TABLES, ResultStore, code_fingerprint, versions

#: at most this many runs per chunk (one Parquet part per chunk and table)
MAX_CHUNK = 25
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


def build_manifest(spec: Spec) -> dict:
    from ..model import INDICATORS, REGION_FIELDS

    indicators = list(spec.outputs.indicators or INDICATORS)
    if "year" not in indicators:
        indicators.insert(0, "year")
    region_fields = list(spec.outputs.region_fields or REGION_FIELDS)
    tables = ["runs"] + (["timeseries"] if spec.outputs.timeseries else []) + \
             (["regions"] if spec.outputs.regions else [])
    return {
        "format": FORMAT, "spec_hash": spec.hash, "spec_file": spec.path, "spec": spec.to_dict(),
        "n_runs": spec.n_runs, "n_points": spec.n_points, "replicates": spec.replicates,
        "tables": tables, "config": make_config(spec, indicators, region_fields),
        "code": code_fingerprint(), "versions": versions(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _tasks(design: pd.DataFrame, names: list[str], runs: np.ndarray) -> list[Task]:
    sub = design.iloc[runs]  # design rows are in run order: row i is run i
    cols = [sub[c].tolist() for c in ("run", "point", "replicate", "seed")]
    values = list(zip(*[sub[n].tolist() for n in names])) if names else [()] * len(sub)
    return [(r, p, k, s, v) for r, p, k, s, v in zip(*cols, values)]


def _chunks(design: pd.DataFrame, names: list[str], missing: np.ndarray, slots: int) -> Iterator[list[Task]]:
    """The missing runs in chunks of consecutive runs, built as they are needed."""
    size = max(1, min(MAX_CHUNK, math.ceil(len(missing) / (slots * CHUNKS_PER_SLOT))))
    for i in range(0, len(missing), size):
        yield _tasks(design, names, missing[i:i + size])


def preflight(spec: Spec, config: dict, task: Task) -> None:
    """Build (not run) the model of one run, so a sweep that cannot start says so at once."""
    try:
        _factory(config["model"])(**model_arguments(config, task[4], task[3]))
    except Exception as exc:  # noqa: BLE001
        message = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise SpecError(f"{spec.path}: the model cannot be set up for run {task[0]} ({message})") from None


def run_sweep(spec: Spec | str | Path, out_dir: str | Path | None = None, workers: int | None = None,
              scheduler: str | None = None, progress: bool | str | None = True,
              backend: Backend | None = None) -> SweepReport:
    """Run (or resume) a sweep; return what was done.

    Args:
        spec: a :class:`Spec` or the path of a TOML specification.
        out_dir: results folder (default ``results/<spec name>``); an existing folder of the
            same spec is resumed, only the missing runs are computed.
        workers: local worker processes (default: all cores; 1 runs in this process).
        scheduler: address of a Dask scheduler (``tcp://host:8786``) to run on instead.
        progress: True (a bar on a terminal, lines in a log), "bar", "log" or False.
        backend: an already started backend (tests; overrides workers and scheduler).
    """
    if not isinstance(spec, Spec):
        spec = load_spec(spec)
    out = Path(out_dir) if out_dir is not None else default_out(spec.path)
    store = ResultStore(out)
    mode = "auto" if progress is True else (progress or None)
    t0 = time.monotonic()

    notes: list[str] = []
    new_manifest = build_manifest(spec)
    design = designs.runs(spec)
    names = list(spec.factor_names)
    preflight(spec, new_manifest["config"], _tasks(design, names, np.array([0]))[0])

    with store.lock():
        manifest = store.prepare(new_manifest, spec.source, design)
        config = manifest["config"]
        stored = store.stored_design()
        if stored is not None and not _same_design(stored, design):
            # same spec, other design: a new SALib or numpy draws other samples. Finish the
            # sweep that was started: its design is the one on disk.
            notes.append("warning: this spec's design now comes out differently (another SALib or "
                         "numpy version?); resuming with the design stored in the folder")
            design = stored
        tables = tuple(t for t in TABLES if t in manifest["tables"])
        done, recovered = store.recover(tables, spec.n_runs)
        notes.extend(recovered)
        if len(done) and manifest.get("code") != new_manifest["code"]:
            notes.append(f"warning: the model's code changed since this sweep started "
                         f"({manifest.get('code')} -> {new_manifest['code']}); results will mix versions")
        missing = np.setdiff1d(np.arange(spec.n_runs), done, assume_unique=True)
        failed_before = _count_failed(store) if len(done) else 0
        report = SweepReport(out, spec.n_runs, len(done), 0, 0, 0.0, "", len(missing) == 0)
        if not len(missing):
            report.elapsed_s = time.monotonic() - t0
            return _finish(report, notes, mode)

        own_backend = backend is None
        backend = backend or make_backend(workers, scheduler)
        report.where = backend.describe()
        bar = Progress(spec.n_runs, len(done), failed_before, mode=mode, desc=spec.name)
        resuming = f"; resuming, {len(done)} done before" if len(done) else ""
        bar.note(f"{spec.name}: {spec.n_runs} runs ({spec.n_points} points x {spec.replicates} replicates) "
                 f"on {report.where} -> {out}{resuming}")
        for text in notes:
            bar.note(text)
        if isinstance(backend, Cluster):
            warning = backend.check_workers(new_manifest["code"])
            if warning:
                bar.note(warning)
        store.log_session({"event": "start", "pid": os.getpid(), "where": report.where,
                           "done_before": len(done), "missing": int(len(missing))})

        def on_result(result: dict) -> None:
            store.write_chunk(result)
            status = result["runs"].column("status").to_pylist()
            failed = sum(s == STATUS_ERROR for s in status)
            report.ran += len(status)
            report.failed += failed
            bar.update(len(status) - failed, failed)

        def on_given_up(chunk: list[Task], message: str) -> None:
            bar.note(f"run {chunk[0][0]} recorded as failed: {message}")
            on_result(failed_chunk(chunk, config, message))

        chunks = _chunks(design, names, missing, backend.slots)
        interrupted = True
        try:
            dispatch(backend, chunks, config, on_result, on_given_up, note=bar.note)
            interrupted = False
        finally:
            bar.close()
            report.elapsed_s = time.monotonic() - t0
            report.complete = not interrupted
            store.log_session({"event": "interrupted" if interrupted else "end", "pid": os.getpid(),
                               "ran": report.ran, "failed": report.failed,
                               "elapsed_s": round(report.elapsed_s, 3)})
            if own_backend:
                backend.close(cancel=interrupted)
    return report


def _same_design(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    return all(a[c].tolist() == b[c].tolist() for c in a.columns)


def _count_failed(store: ResultStore) -> int:
    import pyarrow.parquet as pq

    n = 0
    for part in store.parts("runs"):
        status = pq.read_table(part, columns=["status"]).column("status").to_pylist()
        n += sum(s == STATUS_ERROR for s in status)
    return n


def _finish(report: SweepReport, notes: list[str], mode) -> SweepReport:
    if mode is not None:
        import sys

        for text in notes:
            print(text, file=sys.stderr)
    return report


def summary_line(report: SweepReport, name: str) -> str:
    if report.ran == 0 and report.complete:
        return f"{name}: nothing to do, all {report.n_runs} runs are in {report.out_dir}"
    return (f"{name}: {report.ran} runs in {_duration(report.elapsed_s)} ({report.rate:.1f} runs/s, "
            f"{report.where}); {report.failed} failed; "
            f"{report.done_before + report.ran}/{report.n_runs} runs in {report.out_dir}")
