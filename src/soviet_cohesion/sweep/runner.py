"""What a worker does: run a chunk of runs and return their results as Arrow tables.

This module is imported on the workers (local processes or Dask workers), so it depends
only on the model's public surface, numpy and pyarrow. A run that raises is returned as a
row with ``status = "error"`` and its error; it never stops the chunk.
"""

from __future__ import annotations

import importlib
import math
import os
import socket
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
    for (name, _), value in zip(config["factors"], values):
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


def run_chunk(tasks: list[Task], config: dict) -> dict[str, pa.Table]:
    """Run ``tasks`` one after the other; return one Arrow table per kept output."""
    factory = _factory(config["model"])
    names = [name for name, _ in config["factors"]]
    threshold = config["collapse_threshold"]
    rows: list[dict] = []
    series: list[dict] = []
    regions: list[dict] = []
    for run, point, replicate, seed, values in tasks:
        ids = {"run": run, "point": point, "replicate": replicate}
        row = {**ids, "seed": seed, **dict(zip(names, values))}
        t0 = time.perf_counter()
        try:
            model = factory(**model_arguments(config, values, seed))
            model.run_model()
            ind = model.indicators()
            last = ind.iloc[-1]
            row.update(status=STATUS_OK, error=None, traceback=None, steps=int(ind.index[-1]))
            for name in config["indicators"]:
                row[name] = float(last[name])
            cohesion = ind["cohesion"].to_numpy(dtype=float)
            below = np.flatnonzero(cohesion < threshold)
            row["min_cohesion"] = float(cohesion.min())
            row["collapse_year"] = float(ind["year"].iloc[below[0]]) if below.size else math.nan
            if config["timeseries"]:
                series.append(_series_block(ids, names, values, ind, config))
            if config["regions"]:
                regions.append(_regions_block(ids, names, values, model.region_records(), config))
        except Exception as exc:  # noqa: BLE001 - a failing run is recorded, the sweep goes on
            message = " ".join(f"{type(exc).__name__}: {exc}".split())
            row.update(status=STATUS_ERROR, error=message[:2000], traceback=traceback.format_exc(),
                       steps=None)
            for name in (*config["indicators"], "min_cohesion", "collapse_year"):
                row[name] = None
        row["elapsed_s"] = time.perf_counter() - t0
        rows.append(row)
    sch = schemas(config)
    out = {"runs": pa.Table.from_pylist(rows, schema=sch["runs"])}
    if config["timeseries"]:
        out["timeseries"] = _concat(series, sch["timeseries"])
    if config["regions"]:
        out["regions"] = _concat(regions, sch["regions"])
    return out


def failed_chunk(tasks: list[Task], config: dict, message: str) -> dict[str, pa.Table]:
    """The ``runs`` rows of runs that could not be run at all (their worker kept dying)."""
    names = [name for name, _ in config["factors"]]
    rows = []
    for run, point, replicate, seed, values in tasks:
        row = {"run": run, "point": point, "replicate": replicate, "seed": seed,
               **dict(zip(names, values)), "status": STATUS_ERROR, "error": message}
        rows.append(row)
    return {"runs": pa.Table.from_pylist(rows, schema=schemas(config)["runs"])}


def _series_block(ids: dict, names: list, values: tuple, ind, config: dict) -> dict:
    n = len(ind)
    block = {k: np.full(n, v, dtype=np.int64) for k, v in ids.items()}
    for name, value in zip(names, values):
        block[name] = [value] * n
    block["Step"] = ind.index.to_numpy(dtype=np.int64)
    block["year"] = ind["year"].to_numpy(dtype=float)
    for name in config["indicators"]:
        block[name] = ind[name].to_numpy(dtype=float)
    return block


def _regions_block(ids: dict, names: list, values: tuple, rec, config: dict) -> dict:
    n = len(rec)
    block = {k: np.full(n, v, dtype=np.int64) for k, v in ids.items()}
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


def worker_info() -> dict:
    """What a worker runs: checked once before a cluster sweep starts."""
    from . import storage

    return {"host": socket.gethostname(), "pid": os.getpid(), "code": storage.code_fingerprint()}
