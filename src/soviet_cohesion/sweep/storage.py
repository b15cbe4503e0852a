"""The results folder: crash-safe Parquet parts, the manifest and its chunk ledger, resume
bookkeeping, integrity checks, reading.

Layout of a results folder::

    manifest.json          the resolved spec, its hash, the design size, who made it (provenance)
    chunks.jsonl           the chunk ledger: every committed chunk, its runs, the size and
                           SHA-256 of each of its files, and the build and worker that made it
    spec.toml              the specification file as it was given
    sample.parquet         (lhs, sobol, morris) the sampler's rows, so a resume keeps the design
    runs/part-*.parquet    one row per finished run: ids, seed, factors, status, error,
                           elapsed_s, final indicators, min_cohesion, collapse_year
    timeseries/part-*.parquet   (outputs.timeseries) one row per run and recorded step
    regions/part-*.parquet      (outputs.regions) one row per run, recorded step and region
    sessions.jsonl         one line per start, end or interruption of the command

Every part is written to a hidden temporary name, flushed to disk and renamed, so a part is
either complete or absent. A chunk is committed when its line is appended to the ledger, after
all its parts are in place; on resume, parts without a ledger line and chunks whose files fail
their checksum are deleted and their runs redone (see :mod:`.ledger`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one sweep per folder is then up to you
    fcntl = None  # type: ignore[assignment]  # the module or None; mypy cannot type an optional import
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from . import ledger as ledgers
from .provenance import code_fingerprint, now, versions  # noqa: F401 - re-exported
from .spec import SweepError

FORMAT = "soviet-cohesion-sweep/2"
TABLES = ("runs", "timeseries", "regions")
COMMIT_TABLE = "runs"
SORT_KEYS = {"runs": ["run"], "timeseries": ["run", "Step"], "regions": ["run", "Step", "region"],
             "design": ["run"]}


def encode_table(table: pa.Table) -> bytes:
    """A table as the bytes of a Parquet file (zstd)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` under a hidden temporary name, flush it to disk, rename it into place.
    On failure (a full disk) the temporary file is removed and the error raised."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_table(path: Path, table: pa.Table) -> dict:
    """Write a table atomically; return its ledger record (size and checksum)."""
    data = encode_table(table)
    atomic_write_bytes(path, data)
    return ledgers.file_record(data)


@dataclass
class Integrity:
    """The verified state of a folder's chunks."""

    ledger: ledgers.Ledger
    done: np.ndarray  # bool per run of the design
    good: list[dict] = field(default_factory=list)  # chunk entries that pass every check
    bad: list[tuple[dict, str]] = field(default_factory=list)  # (entry, why)
    stray: list[Path] = field(default_factory=list)  # parts no ledger line commits

    def problem(self, root: Path) -> str | None:
        """One line about the corrupt chunks (None if there are none)."""
        if not self.bad:
            return None
        entry, why = self.bad[0]
        runs = sum(e["n"] for e, _ in self.bad)
        more = f" and {len(self.bad) - 1} more chunk(s)" if len(self.bad) > 1 else ""
        return (f"{root}: {entry['part']} ({why}){more} failed the integrity check ({runs} runs); "
                "run the same sweep command on this folder to recompute them")


class ResultStore:
    """One sweep's results folder."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    # ------------------------------------------------------------------ paths
    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def ledger_path(self) -> Path:
        return self.root / "chunks.jsonl"

    @property
    def sample_path(self) -> Path:
        return self.root / "sample.parquet"

    def table_dir(self, table: str) -> Path:
        return self.root / table

    def parts(self, table: str) -> list[Path]:
        """Every part file of a table on disk (committed or not)."""
        d = self.table_dir(table)
        return sorted(d.glob("part-*.parquet")) if d.is_dir() else []

    def committed_parts(self, table: str, integrity: Integrity) -> list[Path]:
        return [self.table_dir(table) / e["part"] for e in integrity.good if table in e["files"]]

    # ------------------------------------------------------------------ manifest
    def manifest(self) -> dict | None:
        if not self.manifest_path.is_file():
            return None
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise SweepError(f"{self.manifest_path}: unreadable manifest ({exc}); remove the folder "
                             "or choose another --out") from None
        if data.get("format") != FORMAT:
            raise SweepError(f"{self.root}: made by another version of the sweep runner (format "
                             f"{data.get('format')!r}, this one reads {FORMAT!r}, with checksums and "
                             "provenance); rerun the sweep into a new --out")
        return data

    def has_results(self) -> bool:
        """Does the ledger commit any chunk?"""
        return bool(ledgers.read(self.ledger_path).chunks)

    def prepare(self, manifest: dict, spec_source: str, sample: np.ndarray | None,
                factor_names: list[str]) -> tuple[dict, list[str]]:
        """Create the folder for a new sweep, or check that it holds this spec's sweep.

        Returns the manifest to use (the stored one when resuming) and notes. A folder whose
        manifest names another spec is refused, unless no chunk was ever committed to it (a
        sweep that failed at once): then the new spec takes it over."""
        notes = []
        old = self.manifest()
        if old is not None and old["spec_hash"] != manifest["spec_hash"]:
            if self.has_results():
                raise SweepError(
                    f"{self.root} holds results of a different spec (made from "
                    f"{old.get('spec_file', '?')}, spec hash {old['spec_hash']}; this spec's hash is "
                    f"{manifest['spec_hash']}); choose another --out or remove the folder")
            notes.append(f"note: {self.root} held no results of its spec ({old.get('spec_file', '?')}); "
                         "starting this spec there")
            self._clear()
            old = None
        if old is not None:
            manifest = old
        else:
            if self.root.exists() and any(not p.name.startswith(".") for p in self.root.iterdir()):
                raise SweepError(f"{self.root} is not empty and holds no sweep (no manifest.json); "
                                 "choose another --out")
            self.root.mkdir(parents=True, exist_ok=True)
            if sample is not None and sample.shape[1]:
                self._write_sample(sample, factor_names)
            atomic_write_bytes(self.manifest_path, json.dumps(manifest, indent=2).encode("utf-8"))
        for table in manifest["tables"]:
            self.table_dir(table).mkdir(exist_ok=True)
        if not (self.root / "spec.toml").is_file():
            atomic_write_bytes(self.root / "spec.toml", spec_source.encode("utf-8"))
        return manifest, notes

    def _clear(self) -> None:
        """Remove a sweep that has no results (its manifest, sample, stray parts)."""
        for name in ("manifest.json", "spec.toml", "sample.parquet", "chunks.jsonl", "sessions.jsonl"):
            (self.root / name).unlink(missing_ok=True)
        for table in TABLES:
            shutil.rmtree(self.table_dir(table), ignore_errors=True)

    def _write_sample(self, sample: np.ndarray, names: list[str]) -> None:
        table = pa.table({name: sample[:, j] for j, name in enumerate(names)})
        atomic_write_table(self.sample_path, table)

    def stored_sample(self) -> np.ndarray | None:
        if not self.sample_path.is_file():
            return None
        table = pq.read_table(self.sample_path)
        return np.column_stack([table.column(i).to_numpy() for i in range(table.num_columns)])

    def log_session(self, record: dict) -> None:
        with open(self.root / "sessions.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps({"time": now(), **record}) + "\n")

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder: a second sweep into the same folder is refused while this one runs.
        The lock file is removed again if no sweep was set up (a refused or failed start)."""
        self.root.mkdir(parents=True, exist_ok=True)
        if fcntl is None:
            yield
            return
        path = self.root / ".lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        held = False
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SweepError(f"{self.root} is in use by another sweep (pid in {path}); "
                                 "wait for it to finish or choose another --out") from None
            held = True
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            yield
        finally:
            if held and not self.manifest_path.exists():
                path.unlink(missing_ok=True)
            os.close(fd)

    # ------------------------------------------------------------------ integrity
    def check(self, tables: tuple[str, ...], n_runs: int) -> Integrity:
        """Verify every chunk the ledger commits against its files (read only)."""
        ledger = ledgers.read(self.ledger_path)
        state = Integrity(ledger=ledger, done=np.zeros(n_runs, dtype=bool))
        for entry in sorted(ledger.chunks.values(), key=lambda e: e["runs"][0][0]):
            why = self._check_entry(entry, tables, n_runs, state.done)
            if why:
                state.bad.append((entry, why))
                continue
            for a, b in entry["runs"]:
                state.done[a:b] = True
            state.good.append(entry)
        committed = {e["part"] for e in state.good} | {e["part"] for e, _ in state.bad}
        for table in TABLES:
            state.stray += [p for p in self.parts(table) if p.name not in committed]
        return state

    def _check_entry(self, entry: dict, tables: tuple[str, ...], n_runs: int, done: np.ndarray) -> str | None:
        if entry["runs"][-1][1] > n_runs:
            return f"run numbers beyond the design's {n_runs} runs"
        if any(done[a:b].any() for a, b in entry["runs"]):
            return "repeats runs of another chunk"
        for table in tables:
            record = entry["files"].get(table)
            if record is None:
                return f"no {table} file recorded"
            why = ledgers.check_file(self.table_dir(table) / entry["part"], record)
            if why:
                return f"{table}/{entry['part']}: {why}"
        return None

    def recover(self, tables: tuple[str, ...], n_runs: int) -> tuple[Integrity, list[str]]:
        """Tidy up after an interruption: delete temporary files, parts that no ledger line
        commits, and chunks that fail their checks (their runs are redone). Returns the verified
        state and what was done, in words."""
        notes = []
        for folder in [self.root, *(self.table_dir(t) for t in TABLES)]:
            if folder.is_dir():
                for tmp in folder.glob(".*.tmp"):
                    tmp.unlink(missing_ok=True)
        state = self.check(tables, n_runs)
        for entry, why in state.bad:
            notes.append(f"corrupt chunk {entry['part']} ({why}) removed; its {entry['n']} runs are redone")
            for table in TABLES:
                (self.table_dir(table) / entry["part"]).unlink(missing_ok=True)
            del state.ledger.chunks[entry["part"]]
        for path in state.stray:
            if path.exists():
                path.unlink()
                notes.append(f"{path.parent.name}/{path.name} was never committed (interrupted); removed")
        if state.bad or state.ledger.damaged_lines or state.ledger.superseded:
            if state.ledger.damaged_lines:
                notes.append(f"{state.ledger.damaged_lines} damaged line(s) of {self.ledger_path.name} dropped")
            ledgers.rewrite(self.ledger_path, state.ledger)
        state.bad, state.stray = [], []
        return state, notes

    # ------------------------------------------------------------------ writing
    def write_chunk(self, tables: dict[str, pa.Table], record: dict, builds_known: set[str]) -> dict:
        """Write one chunk's tables, then commit it with a ledger line; return that line.

        ``record``: what the ledger keeps besides the files (session, build, worker, timing);
        ``record["build"]`` is a full build record, stored once and referred to by id."""
        ids = tables[COMMIT_TABLE].column("run").to_numpy()
        name = f"part-{int(ids.min()):09d}-{int(ids.max()):09d}.parquet"
        files = {}
        for table, data in tables.items():
            if table != COMMIT_TABLE:
                files[table] = atomic_write_table(self.table_dir(table) / name, data)
        files[COMMIT_TABLE] = atomic_write_table(self.table_dir(COMMIT_TABLE) / name, tables[COMMIT_TABLE])
        status = tables[COMMIT_TABLE].column("status").to_pylist()
        build = record.get("build") or {}
        entry = {"kind": "chunk", "part": name, "runs": ledgers.ranges(ids), "n": len(ids),
                 "failed": sum(s != "ok" for s in status), "files": files,
                 **{k: v for k, v in record.items() if k != "build"}, "build": build.get("id")}
        lines = []
        if build and build.get("id") not in builds_known:
            lines.append({"kind": "build", **build})
            builds_known.add(build["id"])
        ledgers.append(self.ledger_path, [*lines, entry])
        return entry


# ====================================================================== reading
#: verified folders of this process, keyed by the state of their files (see :func:`verified`)
_VERIFIED: dict[tuple, Integrity] = {}


def _file_state(store: ResultStore) -> tuple:
    """Size and modification time of the ledger and of every part: if none changed, a folder
    verified before in this process need not be hashed again."""
    out = []
    for path in [store.ledger_path, *(p for t in TABLES for p in store.parts(t))]:
        with contextlib.suppress(FileNotFoundError):
            st = path.stat()
            out.append((path.name, path.parent.name, st.st_size, st.st_mtime_ns))
    return (str(store.root.resolve()), tuple(out))


def verified(out_dir: str | Path) -> tuple[ResultStore, dict, Integrity]:
    """The folder's store, manifest and verified chunks; a corrupt chunk raises a one-line
    :class:`SweepError` (resume the sweep to recompute it). Checksums are computed once per
    process and folder state (a file that changes size or time is checked again)."""
    store = ResultStore(out_dir)
    manifest = store.manifest()
    if manifest is None:
        raise SweepError(f"{out_dir}: not a sweep's results folder (no manifest.json)")
    key = _file_state(store)
    state = _VERIFIED.get(key)
    if state is None:
        state = store.check(tuple(manifest["tables"]), manifest["n_runs"])
        if len(_VERIFIED) > 32:
            _VERIFIED.clear()
        _VERIFIED[key] = state
    problem = state.problem(store.root)
    if problem:
        raise SweepError(problem)
    return store, manifest, state


def read_results(out_dir: str | Path, table: str = "runs", columns: list[str] | None = None,
                 filter=None) -> pd.DataFrame:
    """A results table of a sweep as a pandas DataFrame, sorted by run (and step, region).

    ``table``: ``runs`` (one row per run), ``timeseries``, ``regions`` or ``design`` (every
    run of the design, computed from the spec). Only committed chunks whose checksums match
    are read; a corrupt chunk raises :class:`SweepError`.
    ``filter``: an optional ``pyarrow.dataset`` expression, e.g.
    ``pyarrow.dataset.field("status") == "ok"``.
    """
    store, manifest, state = verified(out_dir)
    if table == "design":
        from .design import Plan

        df = Plan.from_manifest(manifest, store.stored_sample()).frame()
        return df[columns] if columns else df
    if table not in manifest["tables"]:
        raise SweepError(f"{out_dir}: table {table!r} was not kept by this sweep; "
                         f"kept: {', '.join(manifest['tables'])}, design")
    from .runner import schemas

    schema = schemas(manifest["config"])[table]
    parts = store.committed_parts(table, state)
    if not parts:
        return schema.empty_table().select(columns or schema.names).to_pandas()
    dataset = ds.dataset([str(p) for p in parts], format="parquet", schema=schema)
    df = dataset.to_table(columns=columns, filter=filter).to_pandas()
    keys = [k for k in SORT_KEYS[table] if k in df.columns]
    return df.sort_values(keys, ignore_index=True) if keys else df


def query(out_dir: str | Path, sql: str) -> pd.DataFrame:
    """Run SQL (DuckDB) over a sweep's tables: ``runs``, ``timeseries``, ``regions``, ``design``.

    Only committed chunks whose checksums match are read (a corrupt chunk raises
    :class:`SweepError`; DuckDB reading the files directly cannot tell).

    >>> query("results/phase_diagram",
    ...       "SELECT scarcity, avg(cohesion) FROM runs GROUP BY scarcity ORDER BY scarcity")  # doctest: +SKIP
    """
    import duckdb

    store, manifest, state = verified(out_dir)
    con = duckdb.connect()
    try:
        if "design" in sql.lower():
            con.register("design", read_results(out_dir, "design"))
        for table in manifest["tables"]:
            parts = store.committed_parts(table, state)
            if parts:
                files = ", ".join(_sql_str(p) for p in parts)
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{files}])")
        return con.execute(sql).df()
    finally:
        con.close()


def _sql_str(path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
