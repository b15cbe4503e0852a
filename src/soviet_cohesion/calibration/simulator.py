"""The model as a batch simulator: parameters and seeds in, summary statistics out.

``ModelSimulator(statistics, fixed)(params, seeds)`` runs, for each row of ``params`` (the
calibrated parameters) and its seed, every scenario the statistics are measured on, with the
row's values and ``fixed`` held for the whole run, and returns one row of statistics per
particle. Rows go to the runs in chunks, on this process, a pool of local workers or a Dask
cluster (the sweep runner's backends), and come back in order. A statistic the model version
cannot produce is ``nan`` and named in :attr:`ModelSimulator.not_produced`.

The per-chunk work is :func:`simulate_chunk`; it calls :func:`~soviet_cohesion.validation.runs.simulate_batch`,
the seam where the ensemble engine will run a whole chunk at once.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd

from ..validation import statistics as stats
from ..validation.runs import simulate_batch


def simulate_chunk(rows: list[dict], seeds: list[int], names: list[str], fixed: dict) -> tuple[list[dict], dict]:
    """Statistics ``names`` for each (row, seed); returns the rows of values and, for statistics
    the model cannot produce, the reason."""
    wanted = [stats.get(n) for n in names]
    scenarios = list(dict.fromkeys(s.scenario for s in wanted))
    overrides = [{**fixed, **row} for row in rows]
    values: list[dict] = [{} for _ in rows]
    missing: dict[str, str] = {}
    for scenario in scenarios:
        runs = simulate_batch(scenario, overrides, seeds)
        for i, run in enumerate(runs):
            for s in wanted:
                if s.scenario != scenario:
                    continue
                try:
                    v = s(run)
                    values[i][s.name] = float(v) if not isinstance(v, str) else v
                except stats.NotProduced as exc:
                    values[i][s.name] = math.nan
                    missing[s.name] = str(exc)
    return values, missing


class ModelSimulator:
    """Batch simulator for :class:`~.smc.ABCSMC` (see the module docstring)."""

    def __init__(self, statistics: list[str], fixed: dict | None = None, backend=None, chunk: int = 16):
        self.names = list(dict.fromkeys(statistics))
        for n in self.names:
            stats.get(n)
        self.fixed = dict(fixed or {})
        self.backend = backend
        self.chunk = max(1, int(chunk))
        self.scenarios = list(dict.fromkeys(stats.get(n).scenario for n in self.names))
        self.not_produced: dict[str, str] = {}
        self.n_particles = 0
        self.elapsed_s = 0.0

    @property
    def runs_per_particle(self) -> int:
        return len(self.scenarios)

    @property
    def n_runs(self) -> int:
        return self.n_particles * self.runs_per_particle

    @property
    def runs_per_second(self) -> float:
        return self.n_runs / self.elapsed_s if self.elapsed_s > 0 else math.nan

    def __call__(self, params: pd.DataFrame, seeds) -> pd.DataFrame:
        start = time.perf_counter()
        rows = [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()}
                for r in params.to_dict("records")]
        seeds = [int(s) for s in seeds]
        chunks = [(rows[i:i + self.chunk], seeds[i:i + self.chunk]) for i in range(0, len(rows), self.chunk)]
        if self.backend is None or len(chunks) == 1:
            results = [simulate_chunk(r, s, self.names, self.fixed) for r, s in chunks]
        else:
            futures = [self.backend.executor.submit(simulate_chunk, r, s, self.names, self.fixed) for r, s in chunks]
            results = [f.result() for f in futures]
        out = []
        for values, missing in results:
            out.extend(values)
            self.not_produced.update(missing)
        self.n_particles += len(rows)
        self.elapsed_s += time.perf_counter() - start
        return pd.DataFrame(out, columns=self.names)
