"""The results folder: crash-safe Parquet parts, the manifest, resume bookkeeping, reading.

Layout of a results folder::

    manifest.json          the resolved spec, its hash, the design size, versions
    spec.toml              the specification file as it was given
    design.parquet         every run: run, point, replicate, seed and the factor values
    runs/part-*.parquet    one row per finished run: ids, seed, factors, status, error,
                           elapsed_s, final indicators, min_cohesion, collapse_year
    timeseries/part-*.parquet   (outputs.timeseries) one row per run and recorded step
    regions/part-*.parquet      (outputs.regions) one row per run, recorded step and region
    sessions.jsonl         one line per invocation (when, where, how many runs)

Every part is written to a hidden temporary name, flushed to disk and renamed, so a part is
either complete or absent. The parts of one chunk share a name; the ``runs`` part is
renamed last and is the chunk's commit mark: on resume, ``timeseries``/``regions`` parts
without a ``runs`` part (a kill between two renames) are deleted and their runs redone.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import platform

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one sweep per folder is then up to you
    fcntl = None
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .spec import SweepError

FORMAT = "soviet-cohesion-sweep/1"
TABLES = ("runs", "timeseries", "regions")
COMMIT_TABLE = "runs"
SORT_KEYS = {"runs": ["run"], "timeseries": ["run", "Step"], "regions": ["run", "Step", "region"],
             "design": ["run"]}


#: package files that cannot change a run's results (left out of the fingerprint)
NOT_MODEL = ("sweep", "cli.py", "bench.py", "__main__.py", "dashboard", "__pycache__")


def code_fingerprint() -> str:
    """A hash of the model's code and data: the files that decide what a run computes."""
    from .. import archetypes

    pkg = Path(__file__).resolve().parents[1]
    files = [p for p in sorted(pkg.rglob("*"))
             if p.is_file() and p.suffix in (".py", ".toml", ".csv", ".json")
             and not any(part.startswith(NOT_MODEL) for part in p.relative_to(pkg).parts)]
    try:
        files += sorted(p for p in archetypes.agents_dir().glob("*.toml"))
    except Exception:  # noqa: BLE001 - no archetype folder: the model will say so itself
        pass
    h = hashlib.sha256()
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def versions() -> dict:
    from .. import __version__

    out = {"soviet_cohesion": __version__, "python": platform.python_version(),
           "numpy": np.__version__, "pandas": pd.__version__, "pyarrow": pa.__version__}
    with contextlib.suppress(Exception):
        import mesa

        out["mesa"] = mesa.__version__
    return out


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def atomic_write_table(path: Path, table: pa.Table) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        pq.write_table(table, f, compression="zstd")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class ResultStore:
    """One sweep's results folder."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    # ------------------------------------------------------------------ paths
    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def design_path(self) -> Path:
        return self.root / "design.parquet"

    def table_dir(self, table: str) -> Path:
        return self.root / table

    def parts(self, table: str) -> list[Path]:
        d = self.table_dir(table)
        return sorted(d.glob("part-*.parquet")) if d.is_dir() else []

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
            raise SweepError(f"{self.manifest_path}: not a results folder of this version "
                             f"(format {data.get('format')!r}, expected {FORMAT!r})")
        return data

    def prepare(self, manifest: dict, spec_source: str, design: pd.DataFrame) -> dict:
        """Create the folder for a new sweep, or check that it holds this spec's sweep.

        Returns the manifest to use (the stored one when resuming)."""
        old = self.manifest()
        if old is not None:
            if old["spec_hash"] != manifest["spec_hash"]:
                raise SweepError(
                    f"{self.root} holds results of a different spec (made from "
                    f"{old.get('spec_file', '?')}, spec hash {old['spec_hash']}; this spec's hash is "
                    f"{manifest['spec_hash']}); choose another --out or remove the folder")
            manifest = old
        else:
            if self.root.exists() and any(not p.name.startswith(".") for p in self.root.iterdir()):
                raise SweepError(f"{self.root} is not empty and holds no sweep (no manifest.json); "
                                 "choose another --out")
            self.root.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.manifest_path, json.dumps(manifest, indent=2).encode("utf-8"))
        # the rest can be rewritten from the spec at any time (a kill may have come before it)
        for table in manifest["tables"]:
            self.table_dir(table).mkdir(exist_ok=True)
        if not self.design_path.is_file():
            self._write_design(design)
        if not (self.root / "spec.toml").is_file():
            atomic_write_bytes(self.root / "spec.toml", spec_source.encode("utf-8"))
        return manifest

    def stored_design(self) -> pd.DataFrame | None:
        if not self.design_path.is_file():
            return None
        return pq.read_table(self.design_path).to_pandas()

    def _write_design(self, design: pd.DataFrame) -> None:
        atomic_write_table(self.design_path, pa.Table.from_pandas(design, preserve_index=False))

    def log_session(self, record: dict) -> None:
        with open(self.root / "sessions.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps({"time": _now(), **record}) + "\n")

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder: a second sweep into the same folder is refused while this one runs."""
        self.root.mkdir(parents=True, exist_ok=True)
        if fcntl is None:
            yield
            return
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SweepError(f"{self.root} is in use by another sweep (pid in {self.root / '.lock'}); "
                                 "wait for it to finish or choose another --out") from None
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            yield
        finally:
            os.close(fd)

    # ------------------------------------------------------------------ resume bookkeeping
    def recover(self, tables: tuple[str, ...], n_runs: int) -> tuple[np.ndarray, list[str]]:
        """Tidy up after an interruption and return the runs already done (sorted) and notes.

        Deletes temporary files, parts whose chunk never committed, unreadable parts, and
        parts that would duplicate a run (none are expected)."""
        notes = []
        for table in TABLES:
            d = self.table_dir(table)
            if d.is_dir():
                for tmp in d.glob(".*.tmp"):
                    tmp.unlink(missing_ok=True)
        for tmp in self.root.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
        done: list[np.ndarray] = []
        seen = np.zeros(n_runs, dtype=bool)
        committed = set()
        for part in self.parts(COMMIT_TABLE):
            try:
                ids = pq.read_table(part, columns=["run"]).column("run").to_numpy()
            except Exception as exc:  # noqa: BLE001 - a damaged part is redone
                notes.append(f"unreadable {part.name} ({type(exc).__name__}) removed; its runs are redone")
                self._remove_chunk(part.name, tables)
                continue
            if ids.size and (ids.min() < 0 or ids.max() >= n_runs):
                raise SweepError(f"{part}: run ids outside the design (0..{n_runs - 1}); the folder "
                                 "does not belong to this spec")
            if seen[ids].any() or len(np.unique(ids)) != len(ids):
                notes.append(f"{part.name} repeats runs already stored; removed")
                self._remove_chunk(part.name, tables)
                continue
            seen[ids] = True
            done.append(ids)
            committed.add(part.name)
        for table in tables:
            if table == COMMIT_TABLE:
                continue
            for part in self.parts(table):
                if part.name not in committed:
                    part.unlink()
                    notes.append(f"{table}/{part.name} had no runs part (interrupted); removed")
        all_done = np.sort(np.concatenate(done)) if done else np.zeros(0, dtype=np.int64)
        return all_done, notes

    def _remove_chunk(self, name: str, tables: tuple[str, ...]) -> None:
        for table in tables:
            (self.table_dir(table) / name).unlink(missing_ok=True)

    def write_chunk(self, tables: dict[str, pa.Table]) -> str:
        """Write one chunk's tables; the ``runs`` part last (it commits the chunk)."""
        ids = tables[COMMIT_TABLE].column("run").to_numpy()
        name = f"part-{int(ids.min()):09d}-{int(ids.max()):09d}.parquet"
        for table, data in tables.items():
            if table != COMMIT_TABLE:
                atomic_write_table(self.table_dir(table) / name, data)
        atomic_write_table(self.table_dir(COMMIT_TABLE) / name, tables[COMMIT_TABLE])
        return name


# ====================================================================== reading
def read_results(out_dir: str | Path, table: str = "runs", columns: list[str] | None = None,
                 filter=None) -> pd.DataFrame:
    """A results table of a sweep as a pandas DataFrame, sorted by run (and step, region).

    ``table``: ``runs`` (one row per run), ``timeseries``, ``regions`` or ``design``.
    ``filter``: an optional ``pyarrow.dataset`` expression, e.g.
    ``pyarrow.dataset.field("status") == "ok"``.
    """
    store = ResultStore(out_dir)
    manifest = store.manifest()
    if manifest is None:
        raise SweepError(f"{out_dir}: not a sweep's results folder (no manifest.json)")
    if table == "design":
        df = pq.read_table(store.design_path, columns=columns).to_pandas()
        return df.sort_values("run", ignore_index=True) if "run" in df else df
    if table not in manifest["tables"]:
        raise SweepError(f"{out_dir}: table {table!r} was not kept by this sweep; "
                         f"kept: {', '.join(manifest['tables'])}, design")
    from .runner import schemas

    schema = schemas(manifest["config"])[table]
    parts = store.parts(table)
    if not parts:
        return schema.empty_table().select(columns or schema.names).to_pandas()
    dataset = ds.dataset([str(p) for p in parts], format="parquet", schema=schema)
    df = dataset.to_table(columns=columns, filter=filter).to_pandas()
    keys = [k for k in SORT_KEYS[table] if k in df.columns]
    return df.sort_values(keys, ignore_index=True) if keys else df


def query(out_dir: str | Path, sql: str) -> pd.DataFrame:
    """Run SQL (DuckDB) over a sweep's tables: ``runs``, ``timeseries``, ``regions``, ``design``.

    >>> query("results/phase_diagram",
    ...       "SELECT scarcity, avg(cohesion) FROM runs GROUP BY scarcity ORDER BY scarcity")  # doctest: +SKIP
    """
    import duckdb

    store = ResultStore(out_dir)
    manifest = store.manifest()
    if manifest is None:
        raise SweepError(f"{out_dir}: not a sweep's results folder (no manifest.json)")
    con = duckdb.connect()
    try:
        con.execute(f"CREATE VIEW design AS SELECT * FROM read_parquet({_sql_str(store.design_path)})")
        for table in manifest["tables"]:
            if store.parts(table):
                glob = str(store.table_dir(table) / "part-*.parquet")
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet({_sql_str(glob)})")
        return con.execute(sql).df()
    finally:
        con.close()


def _sql_str(path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
