"""Generations on disk: one Parquet file per complete generation, so a stopped run resumes.

``generations/gen_0003.parquet`` holds one row per particle (the parameters, ``weight``,
``distance``, ``seed`` and the summaries as ``summary:<name>``) and, in its schema metadata, the
generation's tolerance, simulation count, timings and the distance's scales. Each file is written
under a hidden temporary name, flushed and renamed: it is either complete or absent, and a
generation interrupted half-way leaves nothing behind. :meth:`GenerationStore.load` returns the
complete generations in order (it stops at the first gap).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .smc import Generation

PREFIX = "summary:"
META_KEY = b"soviet_cohesion.abc"


class GenerationStore:
    def __init__(self, directory: str | Path, parameters: list[str]):
        self.dir = Path(directory) / "generations"
        self.parameters = list(parameters)

    def path(self, t: int) -> Path:
        return self.dir / f"gen_{t:04d}.parquet"

    def save(self, g: Generation) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        frame = g.particles[self.parameters].copy()
        frame["weight"] = g.weights
        frame["distance"] = g.distances
        frame["seed"] = np.asarray(g.seeds, dtype=np.int64)
        for c in g.summaries.columns:
            frame[PREFIX + c] = pd.to_numeric(g.summaries[c], errors="coerce").to_numpy(dtype=float)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = {"t": g.t, "epsilon": g.epsilon, "n_simulations": g.n_simulations, "elapsed_s": g.elapsed_s,
                "simulate_s": g.simulate_s, "distance_state": g.distance_state}
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               META_KEY: json.dumps(meta, allow_nan=True).encode()})
        final = self.path(g.t)
        tmp = final.with_name(f".{final.name}.tmp")
        pq.write_table(table, tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, final)
        return final

    def read(self, t: int) -> Generation:
        table = pq.read_table(self.path(t))
        meta = json.loads(table.schema.metadata[META_KEY])
        frame = table.to_pandas()
        summaries = frame[[c for c in frame.columns if c.startswith(PREFIX)]]
        summaries.columns = [c[len(PREFIX):] for c in summaries.columns]
        return Generation(meta["t"], frame[self.parameters].reset_index(drop=True),
                          frame["weight"].to_numpy(dtype=float), frame["distance"].to_numpy(dtype=float),
                          summaries.reset_index(drop=True), frame["seed"].to_numpy(dtype=np.int64),
                          float(meta["epsilon"]), int(meta["n_simulations"]), float(meta["elapsed_s"]),
                          float(meta["simulate_s"]), meta["distance_state"])

    def load(self) -> list[Generation]:
        """The complete generations, from 0 up to the first missing one."""
        for tmp in self.dir.glob(".gen_*.tmp") if self.dir.exists() else []:
            tmp.unlink()  # a generation being written when the run stopped
        out, t = [], 0
        while self.path(t).exists():
            out.append(self.read(t))
            t += 1
        return out
