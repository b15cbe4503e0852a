"""What a worker does: run a chunk of runs and return their results as Arrow tables.

This module is imported on the workers (local processes or Dask workers), so it depends
only on the model's public surface, numpy and pyarrow. A run that raises is returned as a
row with ``status = "error"`` and its error; it never stops the chunk.

:func:`run_chunk` is the one function that computes runs: each run from its own seed, so a
run's numbers do not depend on which chunk it is in, how large the chunk is, or where it runs.
:func:`execute_chunk` (what the dispatcher sends) wraps it and labels the result with the
worker's provenance (host, process, code fingerprint, library versions) and timing.
"""

from __future__ import annotations

import importlib
import json
import math
import time
import traceback
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa

#: one run handed to a worker: (run, point, replicate, seed, factor values in the spec's order)
Task = tuple[int, int, int, int, tuple]

ID_COLUMNS = ("run", "point", "replicate")
STATUS_OK, STATUS_ERROR = "ok", "error"
_ARROW = {"float": pa.float64(), "int": pa.int64(), "bool": pa.bool_(), "str": pa.string()}


def make_config(spec, indicators: list[str], region_fields: list[str]) -> dict:
    """The plain-data description of a run that travels to the workers with each chunk."""
    o = spec.outputs
    return {
        "model": spec.model, "scenario": spec.scenario, "world": spec.world, "steps": spec.steps,
        "fixed": dict(spec.fixed), "factors": [(f.name, f.kind) for f in spec.factors],
        "inert": [f.name for f in spec.factors if f.inert],
        "indicators": list(indicators), "region_fields": list(region_fields),
        "timeseries": o.timeseries, "regions": o.regions, "every": o.every,
        "collapse_threshold": o.collapse_threshold,
    }


def schemas(config: dict) -> dict[str, pa.Schema]:
    """The Arrow schema of each results table (every file of a table has exactly this schema)."""
    ids = [pa.field("run", pa.int64()), pa.field("point", pa.int64()), pa.field("replicate", pa.int64())]
    factors = [pa.field(name, _ARROW[kind]) for name, kind in config["factors"]]
    indicators = [pa.field(name, pa.float64()) for name in config["indicators"]]
    out = {"runs": pa.schema([
        *ids, pa.field("seed", pa.int64()), *factors,
        pa.field("status", pa.string()), pa.field("error", pa.string()),
        pa.field("traceback", pa.string()), pa.field("elapsed_s", pa.float64()),
        pa.field("steps", pa.int64()), *indicators,
        pa.field("min_cohesion", pa.float64()), pa.field("collapse_year", pa.float64()),
    ])}
    if config["timeseries"]:
        out["timeseries"] = pa.schema([*ids, *factors, pa.field("Step", pa.int64()),
                                       pa.field("year", pa.float64()),
                                       *[f for f in indicators if f.name != "year"]])
    if config["regions"]:
        out["regions"] = pa.schema([
            *ids, *factors, pa.field("Step", pa.int64()), pa.field("year", pa.float64()),
            pa.field("region", pa.string()), pa.field("republic", pa.string()),
            pa.field("stance", pa.string()),
            *[pa.field(name, pa.float64()) for name in config["region_fields"]]])
    return out


@lru_cache(maxsize=8)
def _factory(path: str):
    module, _, attr = path.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def model_arguments(config: dict, values: tuple, seed: int) -> dict:
    """Keyword arguments of the model for one run."""
    kwargs: dict[str, Any] = {"scenario": config["scenario"], "rng": seed, "world": config["world"],
                              "steps": config["steps"]}
    overrides = dict(config["fixed"])
    inert = config.get("inert", ())
    for (name, _), value in zip(config["factors"], values):
        if name in inert:
            continue
        if name in ("scenario", "world"):
            kwargs[name] = value
        else:
            overrides[name] = value
    overrides["collect_every"] = config["every"]
    overrides["collect_regions"] = bool(config["regions"])
    kwargs.update(overrides)
    if kwargs["scenario"] is None:
        del kwargs["scenario"]
    return kwargs


#: the model whose runs a chunk can run as one ensemble (many runs as rows of one set of arrays)
ENSEMBLE_MODEL = "soviet_cohesion.model:CohesionModel"
#: runs of one chunk simulated together (memory grows with it: about 0.5 kB per region and run)
ENSEMBLE_BATCH = 256


def run_chunk(tasks: list[Task], config: dict) -> dict[str, pa.Table]:
    """Run ``tasks``; return one Arrow table per kept output.

    Runs of ``CohesionModel`` that share a scenario, world and structure go through the ensemble
    engine (``soviet_cohesion.ensemble``), many at once; each equals the same run made alone, so
    the tables do not depend on how the runs were grouped. Any other model, or a group whose
    ensemble fails to start (a bad value in one run, say), runs one run at a time, so that a failing
    run is recorded with its own error.
    """
    names = [name for name, _ in config["factors"]]
    rows: dict[int, dict] = {}
    series: dict[int, dict] = {}
    regions: dict[int, dict] = {}
    if config["model"] == ENSEMBLE_MODEL:
        groups: dict[tuple, list[tuple[Task, dict]]] = {}
        for task in tasks:
            kwargs = model_arguments(config, task[4], task[3])
            structure = tuple(sorted((k, repr(v)) for k, v in kwargs.items() if k in _STRUCTURE))
            groups.setdefault(structure, []).append((task, kwargs))
        alone: list[Task] = []
        for members in groups.values():
            if not _run_ensemble(members, config, names, rows, series, regions):
                alone.extend(task for task, _ in members)
    else:
        alone = list(tasks)
    for task in alone:
        _run_alone(task, config, names, rows, series, regions)
    order = [task[0] for task in tasks]
    sch = schemas(config)
    out = {"runs": pa.Table.from_pylist([rows[r] for r in order], schema=sch["runs"])}
    if config["timeseries"]:
        out["timeseries"] = _concat([series[r] for r in order if r in series], sch["timeseries"])
    if config["regions"]:
        out["regions"] = _concat([regions[r] for r in order if r in regions], sch["regions"])
    return out


#: what runs of one ensemble must share: the scenario, world and span, and every structural
#: parameter (world size and layout, recording)
_STRUCTURE = {"scenario", "world", "steps", "n_regions", "topology", "n_republics", "world_seed", "steps_per_year",
              "collect_regions", "collect_every", "collect_agents"}


def _record(row: dict, ind, config: dict) -> None:
    """The runs table's columns of a finished run from its indicator table."""
    last = ind.iloc[-1]
    row.update(status=STATUS_OK, error=None, traceback=None, steps=int(ind.index[-1]))
    for name in config["indicators"]:
        row[name] = float(last[name])
    cohesion = ind["cohesion"].to_numpy(dtype=float)
    below = np.flatnonzero(cohesion < config["collapse_threshold"])
    row["min_cohesion"] = float(cohesion.min())
    row["collapse_year"] = float(ind["year"].iloc[below[0]]) if below.size else math.nan


def _run_ensemble(members, config, names, rows, series, regions) -> bool:
    """Run a group of runs sharing their structure as one ensemble; False if it cannot start."""
    from ..ensemble import Ensemble

    first = members[0][1]
    per_run = [{k: v for k, v in kwargs.items() if k not in ("scenario", "world", "steps", "rng")}
               for _, kwargs in members]
    seeds = [kwargs["rng"] for _, kwargs in members]
    t0 = time.perf_counter()
    try:
        ensemble = Ensemble(first.get("scenario", "gorbachev"), seeds, world=first.get("world"),
                            steps=first.get("steps"), keep="regions" if config["regions"] else "series",
                            batch=ENSEMBLE_BATCH, per_run=per_run)
        finished = [(runs, sim) for runs, sim in ensemble.batches()]
    except Exception:  # noqa: BLE001 - one bad run must not fail the others: run them one by one
        return False
    elapsed = (time.perf_counter() - t0) / len(members)
    for runs, sim in finished:
        for row_index, i in enumerate(runs):
            (run, point, replicate, seed, values), _ = members[i]
            ids = {"run": run, "point": point, "replicate": replicate}
            row = {**ids, "seed": seed, **dict(zip(names, values))}
            ind = sim.indicators(row_index)
            _record(row, ind, config)
            row["elapsed_s"] = elapsed
            rows[run] = row
            if config["timeseries"]:
                series[run] = _series_block(ids, names, values, ind, config)
            if config["regions"]:
                regions[run] = _regions_block(ids, names, values, sim.region_records(row_index), config)
    return True


def _run_alone(task: Task, config, names, rows, series, regions) -> None:
    factory = _factory(config["model"])
    run, point, replicate, seed, values = task
    ids = {"run": run, "point": point, "replicate": replicate}
    row = {**ids, "seed": seed, **dict(zip(names, values))}
    t0 = time.perf_counter()
    try:
        model = factory(**model_arguments(config, values, seed))
        model.run_model()
        ind = model.indicators()
        _record(row, ind, config)
        if config["timeseries"]:
            series[run] = _series_block(ids, names, values, ind, config)
        if config["regions"]:
            regions[run] = _regions_block(ids, names, values, model.region_records(), config)
    except Exception as exc:  # noqa: BLE001 - a failing run is recorded, the sweep goes on
        message = " ".join(f"{type(exc).__name__}: {exc}".split())
        row.update(status=STATUS_ERROR, error=message[:2000], traceback=traceback.format_exc(), steps=None)
        for name in (*config["indicators"], "min_cohesion", "collapse_year"):
            row[name] = None
    row["elapsed_s"] = time.perf_counter() - t0
    rows[run] = row


def failed_chunk(tasks: list[Task], config: dict, message: str) -> dict[str, pa.Table]:
    """The ``runs`` rows of runs that could not be run at all (their worker kept dying)."""
    names = [name for name, _ in config["factors"]]
    rows = []
    for run, point, replicate, seed, values in tasks:
        row = {"run": run, "point": point, "replicate": replicate, "seed": seed,
               **dict(zip(names, values)), "status": STATUS_ERROR, "error": message}
        rows.append(row)
    sch = schemas(config)
    out = {"runs": pa.Table.from_pylist(rows, schema=sch["runs"])}
    for table in ("timeseries", "regions"):
        if config[table]:
            out[table] = sch[table].empty_table()
    return out


def _series_block(ids: dict, names: list, values: tuple, ind, config: dict) -> dict:
    n = len(ind)
    block: dict[str, Any] = {k: np.full(n, v, dtype=np.int64) for k, v in ids.items()}
    for name, value in zip(names, values):
        block[name] = [value] * n
    block["Step"] = ind.index.to_numpy(dtype=np.int64)
    block["year"] = ind["year"].to_numpy(dtype=float)
    for name in config["indicators"]:
        block[name] = ind[name].to_numpy(dtype=float)
    return block


def _regions_block(ids: dict, names: list, values: tuple, rec, config: dict) -> dict:
    n = len(rec)
    block: dict[str, Any] = {k: np.full(n, v, dtype=np.int64) for k, v in ids.items()}
    for name, value in zip(names, values):
        block[name] = [value] * n
    block["Step"] = rec["Step"].to_numpy(dtype=np.int64)
    block["year"] = rec["year"].to_numpy(dtype=float)
    for name in ("region", "republic", "stance"):
        block[name] = rec[name].astype(str).tolist()
    for name in config["region_fields"]:
        block[name] = rec[name].to_numpy(dtype=float)
    return block


def _concat(blocks: list[dict], schema: pa.Schema) -> pa.Table:
    if not blocks:
        return schema.empty_table()
    tables = [pa.table({f.name: pa.array(b[f.name], type=f.type) for f in schema}, schema=schema)
              for b in blocks]
    return pa.concat_tables(tables)


#: key of the provenance record in the schema metadata of a chunk's ``runs`` table
PROVENANCE_KEY = b"soviet_cohesion.provenance"


def execute_chunk(tasks: list[Task], config: dict) -> dict[str, pa.Table]:
    """:func:`run_chunk`, with the worker's provenance attached to the ``runs`` table's schema
    metadata (and so kept inside its Parquet file)."""
    from . import provenance

    started = provenance.now()
    t0 = time.perf_counter()
    out = run_chunk(tasks, config)
    record = {"worker": provenance.worker(), "build": provenance.build(), "started": started,
              "seconds": round(time.perf_counter() - t0, 3)}
    runs = out["runs"]
    metadata = dict(runs.schema.metadata or {})
    metadata[PROVENANCE_KEY] = json.dumps(record).encode()
    out["runs"] = runs.replace_schema_metadata(metadata)
    return out


def chunk_provenance(table: pa.Table) -> dict:
    """The provenance record :func:`execute_chunk` attached (empty if there is none)."""
    raw = (table.schema.metadata or {}).get(PROVENANCE_KEY)
    return json.loads(raw) if raw else {}


def worker_info() -> dict:
    """What a worker runs: checked once before a cluster sweep starts."""
    from . import provenance

    return {**provenance.worker(), "build": provenance.build()}
