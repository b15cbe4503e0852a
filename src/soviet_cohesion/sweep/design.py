"""The design: every point of a spec (grid values crossed with sampler rows) and every run.

Points are numbered in a fixed order: the grid factors vary slowest (in the order the spec
lists them, the last fastest), the sampler's rows fastest. Runs are numbered
``run = point * replicates + replicate``. Sobol and Morris analyses rely on the sampler's
row order, so it is kept.

The design is never built whole: :class:`Plan` computes a run's point, replicate, seed and
factor values from its number, when the run is about to be dispatched. Only the sampler's
matrix (lhs, sobol, morris) is drawn up front. A design of millions of runs therefore starts
as fast as a small one and takes no memory for runs not yet reached.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator

import numpy as np
import pandas as pd

from .runner import Task
from .seeds import point_key, seed_from_key
from .spec import Factor, Spec, SpecError

#: runs scanned at a time when looking for the ones still missing
SCAN_BLOCK = 1 << 20


def sample_matrix(spec: Spec) -> np.ndarray:
    """The sampler's rows over the sampled factors (n_samples x D), or an empty (1 x 0) matrix."""
    factors = spec.sampled_factors
    s = spec.sampler
    if s.method == "grid":
        return np.zeros((1, 0))
    try:
        from SALib.sample import latin, morris, sobol
    except ImportError:
        raise SpecError(f"{spec.path}: sampler.method={s.method!r} needs SALib; install the sweep "
                        "extra: pip install 'soviet-cohesion[sweep]'") from None
    problem = salib_problem(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if s.method == "lhs":
            x = latin.sample(problem, s.n, seed=spec.seed)
        elif s.method == "sobol":
            x = sobol.sample(problem, s.n, calc_second_order=s.second_order, seed=spec.seed)
        else:
            x = morris.sample(problem, s.n, num_levels=s.levels, seed=spec.seed)
    x = np.asarray(x, dtype=float)
    for j, f in enumerate(factors):
        if f.kind == "int":
            x[:, j] = np.clip(np.round(x[:, j]), f.low, f.high)
    return x


def salib_problem(spec: Spec) -> dict:
    factors = spec.sampled_factors
    return {"num_vars": len(factors), "names": [f.name for f in factors],
            "bounds": [[f.low, f.high] for f in factors]}


class Plan:
    """Every run of a design, computed on demand from its number.

    ``sample``: the sampler's matrix (n_samples x sampled factors). A resumed sweep passes the
    one stored in its folder, so a newer SALib cannot change the design half way.
    """

    def __init__(self, factors: tuple[Factor, ...], replicates: int, seed: int, seeds: str,
                 sample: np.ndarray):
        self.factors = tuple(factors)
        self.seed, self.common = seed, seeds == "common"
        self.sample = np.asarray(sample, dtype=float)
        self.grid = tuple(f for f in self.factors if not f.sampled)
        self.sampled = tuple(f for f in self.factors if f.sampled)
        self.shape = tuple(len(f.grid_values) for f in self.grid)
        self.n_samples = len(self.sample)
        self.n_points = math.prod(self.shape) * self.n_samples
        self.replicates = replicates
        self.n_runs = self.n_points * self.replicates
        self.names = [f.name for f in self.factors]
        self._levels = [np.array(f.values, dtype=object) for f in self.grid]

    @classmethod
    def of(cls, spec: Spec, sample: np.ndarray | None = None) -> Plan:
        """The plan of a spec (drawing the sampler's matrix unless ``sample`` is given)."""
        sample = sample_matrix(spec) if sample is None else sample
        return cls(spec.factors, spec.replicates, spec.seed, spec.seeds, sample)

    @classmethod
    def from_manifest(cls, manifest: dict, sample: np.ndarray | None) -> Plan:
        """The plan of a results folder, from its manifest and stored sample."""
        spec = manifest["spec"]
        factors = tuple(
            Factor(name, f["kind"], values=tuple(f["values"])) if "values" in f else
            Factor(name, f["kind"], low=f["low"], high=f["high"], inert=f.get("inert", False))
            for name, f in spec["vary"].items())
        if sample is None:
            sample = np.zeros((1, 0))
        return cls(factors, spec["replicates"], spec["seed"], spec["seeds"], sample)

    # ------------------------------------------------------------------ points
    def values(self, points: np.ndarray) -> dict[str, list]:
        """Factor values (plain Python values, in the spec's order) of the given points."""
        points = np.asarray(points, dtype=np.int64)
        combo, row = np.divmod(points, self.n_samples)
        out: dict[str, list] = {}
        if self.grid:
            index = np.unravel_index(combo, self.shape)
            for f, levels, i in zip(self.grid, self._levels, index):
                out[f.name] = levels[i].tolist()
        for j, f in enumerate(self.sampled):
            column = self.sample[row, j]
            out[f.name] = [int(v) for v in column] if f.kind == "int" else column.tolist()
        return {name: out[name] for name in self.names}

    def points_frame(self, points: np.ndarray | None = None) -> pd.DataFrame:
        """One row per design point: ``point`` and one column per factor."""
        points = np.arange(self.n_points) if points is None else np.asarray(points, dtype=np.int64)
        return pd.DataFrame({"point": points, **self.values(points)})

    # ------------------------------------------------------------------ runs
    def tasks(self, runs: np.ndarray) -> list[Task]:
        """The tasks of the given runs: (run, point, replicate, seed, factor values)."""
        runs = np.asarray(runs, dtype=np.int64)
        points, replicates = np.divmod(runs, self.replicates)
        unique, inverse = np.unique(points, return_inverse=True)
        columns = self.values(unique)
        rows = list(zip(*columns.values())) if self.names else [()] * len(unique)
        keys = [self._seed_key(row) for row in rows]
        out = []
        for run, point, replicate, k in zip(runs.tolist(), points.tolist(), replicates.tolist(),
                                            inverse.tolist()):
            seed = seed_from_key(self.seed, keys[k], replicate)
            out.append((run, point, replicate, seed, rows[k]))
        return out

    def _seed_key(self, row: tuple) -> tuple[int, ...]:
        """What a run's seed depends on besides the spec's seed and the replicate: the point's
        values, or with common random numbers nothing but the dummy parameter (it stands for
        the seed in a Sobol analysis: a run whose dummy differs is the same run with other luck)."""
        values = dict(zip(self.names, row))
        if self.common:
            values = {f.name: values[f.name] for f in self.factors if f.inert}
            if not values:
                return ()
        return point_key(values)

    def frame(self, runs: np.ndarray | None = None) -> pd.DataFrame:
        """One row per run: ``run``, ``point``, ``replicate``, ``seed`` and the factor values."""
        runs = np.arange(self.n_runs) if runs is None else np.asarray(runs, dtype=np.int64)
        tasks = self.tasks(runs)
        out = pd.DataFrame({
            "run": np.array([t[0] for t in tasks], dtype=np.int64),
            "point": np.array([t[1] for t in tasks], dtype=np.int64),
            "replicate": np.array([t[2] for t in tasks], dtype=np.int64),
            "seed": np.array([t[3] for t in tasks], dtype=np.int64),
        })
        for j, name in enumerate(self.names):
            out[name] = [t[4][j] for t in tasks]
        return out

    def chunks(self, done: np.ndarray, size: int) -> Iterator[list[Task]]:
        """The runs not marked in ``done`` (a bool per run), ``size`` at a time, in run order;
        each chunk's tasks are computed only when it is drawn."""
        pending = np.zeros(0, dtype=np.int64)
        for start in range(0, self.n_runs, SCAN_BLOCK):
            block = np.flatnonzero(~done[start:start + SCAN_BLOCK]) + start
            pending = np.concatenate([pending, block]) if len(pending) else block
            while len(pending) >= size:
                yield self.tasks(pending[:size])
                pending = pending[size:]
        if len(pending):
            yield self.tasks(pending)


def points(spec: Spec) -> pd.DataFrame:
    """One row per design point (the whole design: for small designs and tests)."""
    return Plan.of(spec).points_frame()


def runs(spec: Spec) -> pd.DataFrame:
    """One row per run (the whole design: for small designs and tests)."""
    return Plan.of(spec).frame()
