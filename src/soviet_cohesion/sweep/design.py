"""The design: every point of a spec (grid values crossed with sampler rows) and every run.

Points are numbered in a fixed order: the grid factors vary slowest (in the order the spec
lists them, the last fastest), the sampler's rows fastest. Runs are numbered
``run = point * replicates + replicate``. Sobol and Morris analyses rely on the sampler's
row order, so it is kept.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .seeds import run_seed
from .spec import Spec, SpecError


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
    import warnings

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


def points(spec: Spec) -> pd.DataFrame:
    """One row per design point: ``point`` and one column per factor (in the spec's order)."""
    grid = spec.grid_factors
    sampled = spec.sampled_factors
    x = sample_matrix(spec)
    combos = list(itertools.product(*[f.values for f in grid])) if grid else [()]
    n = len(combos) * len(x)
    data: dict[str, list] = {"point": list(range(n))}
    for i, f in enumerate(grid):
        data[f.name] = [c[i] for c in combos for _ in range(len(x))]
    for j, f in enumerate(sampled):
        col = x[:, j]
        values = [int(v) for v in col] if f.kind == "int" else [float(v) for v in col]
        data[f.name] = values * len(combos)
    df = pd.DataFrame(data)
    order = ["point"] + [f.name for f in spec.factors]
    return df[order]


def runs(spec: Spec, pts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per run: ``run``, ``point``, ``replicate``, ``seed`` and the factor values."""
    pts = points(spec) if pts is None else pts
    names = list(spec.factor_names)
    records = pts[names].to_dict("records") if names else [{}] * len(pts)
    r = spec.replicates
    seeds = [run_seed(spec.seed, rec, k, spec.seeds) for rec in records for k in range(r)]
    out = pd.DataFrame({
        "run": np.arange(len(pts) * r, dtype=np.int64),
        "point": np.repeat(pts["point"].to_numpy(dtype=np.int64), r),
        "replicate": np.tile(np.arange(r, dtype=np.int64), len(pts)),
        "seed": np.array(seeds, dtype=np.int64),
    })
    for name in names:
        out[name] = np.repeat(pts[name].to_numpy(), r)
    return out
