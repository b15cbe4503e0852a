"""PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999), for scenario discovery.

Given sampled inputs ``x`` (one column per input) and an outcome of interest ``y`` (1 where the
case of interest happened, e.g. the union survived), PRIM looks for a box, a set of intervals
on a few inputs, where ``y`` is far more frequent than overall:

* **peeling**: start from the box holding every sample; at each step consider, for every input,
  removing the ``alpha`` share of the samples in the box with the lowest values of that input,
  or the ``alpha`` share with the highest; take the peel that leaves the highest mean of ``y`` in
  the box (ties: the one that removes fewest samples); stop when the box would hold less than
  ``mass_min`` of the samples. The boxes along the way are the **peeling trajectory**;
* **pasting** (optional): widen the chosen box again, one ``alpha`` step at a time on any side,
  while that raises the mean of ``y``;
* **covering**: take the samples of the chosen box out and look for the next box in the rest.

Each box is described by its **coverage** (the share of all cases of interest that fall in the
box), its **density** (the share of the samples in the box that are cases of interest) and its
**mass** (the share of all samples in the box). Choosing a box is a trade-off between coverage
and density: :meth:`PrimResult.select` takes the densest box with at least a given coverage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Box:
    """A box: the limits on each input, and what it holds."""

    limits: pd.DataFrame  # index: inputs; columns: low, high
    n: int  # samples in the box
    n_cases: int  # cases of interest in the box
    total: int  # samples in the data the box was found in
    total_cases: int  # cases of interest in that data
    all_cases: int  # cases of interest in the whole data (for covering)
    ranges: pd.DataFrame = field(repr=False, default=None)  # the inputs' sampled ranges

    @property
    def density(self) -> float:
        return self.n_cases / self.n if self.n else math.nan

    @property
    def coverage(self) -> float:
        return self.n_cases / self.all_cases if self.all_cases else math.nan

    @property
    def mass(self) -> float:
        return self.n / self.total if self.total else math.nan

    @property
    def restricted(self) -> list[str]:
        r = self.ranges
        low = self.limits["low"] > r["low"] + 1e-12
        high = self.limits["high"] < r["high"] - 1e-12
        return [name for name in self.limits.index if low[name] or high[name]]

    def contains(self, x: pd.DataFrame) -> np.ndarray:
        inside = np.ones(len(x), dtype=bool)
        for name in self.restricted:
            v = x[name].to_numpy()
            inside &= (v >= self.limits.loc[name, "low"]) & (v <= self.limits.loc[name, "high"])
        return inside

    def describe(self) -> str:
        """The limits in words: a side at the sampled range's edge is no limit and is left out."""
        parts = []
        for n in self.restricted:
            low, high = self.limits.loc[n, "low"], self.limits.loc[n, "high"]
            has_low = low > self.ranges.loc[n, "low"] + 1e-12
            has_high = high < self.ranges.loc[n, "high"] - 1e-12
            if has_low and has_high:
                parts.append(f"{n} in [{fmt(low)}, {fmt(high)}]")
            elif has_low:
                parts.append(f"{n} at least {fmt(low)}")
            else:
                parts.append(f"{n} at most {fmt(high)}")
        return " and ".join(parts) if parts else "everywhere (no restriction)"

    def without(self, name: str, x: pd.DataFrame, y: np.ndarray) -> Box:
        """This box with the restriction on ``name`` removed, evaluated on ``x``, ``y``."""
        loose = self.limits.copy()
        loose.loc[name] = self.ranges.loc[name]
        trial = Box(loose, 0, 0, self.total, self.total_cases, self.all_cases, self.ranges)
        n, k = _stats(trial.contains(x), y)
        return Box(loose, n, k, self.total, self.total_cases, self.all_cases, self.ranges)


def fmt(v: float) -> str:
    """A limit in a few digits (years keep their quarter)."""
    return f"{v:.2f}" if abs(v) >= 100 else f"{v:.3g}"


def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed in log space."""
    if k <= 0:
        return 1.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    i = np.arange(k, n + 1)
    log_terms = (math.lgamma(n + 1) - np.array([math.lgamma(j + 1) + math.lgamma(n - j + 1) for j in i])
                 + i * math.log(p) + (n - i) * math.log1p(-p))
    m = log_terms.max()
    return float(min(1.0, math.exp(m) * np.exp(log_terms - m).sum()))


def quasi_p_values(box: Box, x: pd.DataFrame, y) -> dict[str, float]:
    """For each restriction, the one-sided binomial p-value of the box's cases given the density
    of the box without that restriction (as in the EMA Workbench): large means the restriction
    adds little."""
    y = np.asarray(y, dtype=float)
    return {name: binomial_sf(box.n_cases, box.n, box.without(name, x, y).density) for name in box.restricted}


def prune(box: Box, x: pd.DataFrame, y, level: float = 0.05) -> Box:
    """Drop, one at a time, the restriction with the largest quasi-p-value while it is above ``level``."""
    y = np.asarray(y, dtype=float)
    x = x.reset_index(drop=True)
    while box.restricted:
        qp = quasi_p_values(box, x, y)
        name, worst = max(qp.items(), key=lambda kv: kv[1])
        if worst <= level:
            break
        box = box.without(name, x, y)
    return box


@dataclass
class PrimResult:
    trajectory: list[Box]
    x: pd.DataFrame
    y: np.ndarray

    def select(self, min_coverage: float = 0.5) -> Box:
        """The densest box on the trajectory whose coverage is at least ``min_coverage`` (the first
        box holds every sample, so there is always one)."""
        ok = [b for b in self.trajectory if b.coverage >= min_coverage - 1e-12]
        return max(ok, key=lambda b: (b.density, -len(b.restricted), b.coverage)) if ok else self.trajectory[0]

    def table(self) -> pd.DataFrame:
        """The peeling trajectory: one row per box."""
        return pd.DataFrame([{"box": i, "coverage": b.coverage, "density": b.density, "mass": b.mass,
                              "n": b.n, "restricted": len(b.restricted), "limits": b.describe()}
                             for i, b in enumerate(self.trajectory)])


def _stats(inside: np.ndarray, y: np.ndarray) -> tuple[int, int]:
    return int(inside.sum()), int(y[inside].sum())


def prim(x: pd.DataFrame, y, alpha: float = 0.05, mass_min: float = 0.05, all_cases: int | None = None) -> PrimResult:
    """Peel from the full box down to ``mass_min`` (see the module docstring)."""
    if not 0 < alpha < 0.5:
        raise ValueError("alpha (the share peeled at each step) must be in (0, 0.5)")
    x = x.reset_index(drop=True)
    y = np.asarray(y, dtype=float)
    if len(x) != len(y) or not len(x):
        raise ValueError("x and y must have the same, non-zero, number of rows")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must be 0 or 1 (True or False) for every sample")
    values = x.to_numpy(dtype=float)
    total, total_cases = len(y), int(y.sum())
    all_cases = total_cases if all_cases is None else all_cases
    ranges = pd.DataFrame({"low": values.min(axis=0), "high": values.max(axis=0)}, index=x.columns)
    limits = ranges.copy()
    inside = np.ones(total, dtype=bool)

    def box(inside, limits):
        n, k = _stats(inside, y)
        return Box(limits.copy(), n, k, total, total_cases, all_cases, ranges)

    trajectory = [box(inside, limits)]
    while True:
        best = None
        for j, name in enumerate(x.columns):
            v = values[inside, j]
            if len(np.unique(v)) < 2:
                continue
            for side in ("low", "high"):
                if side == "low":
                    cut = np.quantile(v, alpha, method="higher")
                    keep = inside & (values[:, j] >= cut) if cut > v.min() else inside & (values[:, j] > v.min())
                else:
                    cut = np.quantile(v, 1 - alpha, method="lower")
                    keep = inside & (values[:, j] <= cut) if cut < v.max() else inside & (values[:, j] < v.max())
                n, k = _stats(keep, y)
                if n < mass_min * total or n == inside.sum():
                    continue
                key = (k / n, n)
                if best is None or key > best[0]:
                    best = (key, keep, name, side)
        if best is None:
            break
        _, inside, name, side = best
        j = list(x.columns).index(name)
        if side == "low":
            limits.loc[name, "low"] = values[inside, j].min()
        else:
            limits.loc[name, "high"] = values[inside, j].max()
        trajectory.append(box(inside, limits))
    return PrimResult(trajectory, x, y)


def paste(result: PrimResult, chosen: Box, alpha: float = 0.05) -> Box:
    """Widen ``chosen`` one step at a time (about ``alpha`` of its samples) on whichever side raises
    the density most, while any does."""
    x, y = result.x, result.y
    values = x.to_numpy(dtype=float)
    limits = chosen.limits.copy()
    current = Box(limits.copy(), chosen.n, chosen.n_cases, chosen.total, chosen.total_cases, chosen.all_cases,
                  chosen.ranges)
    step = max(1, int(round(alpha * current.n)))
    while True:
        best = None
        inside = current.contains(x)
        for j, name in enumerate(x.columns):
            for side in ("low", "high"):
                others = current.limits.drop(index=name)
                ok = np.ones(len(x), dtype=bool)
                for other in others.index:
                    low, high = others.loc[other, "low"], others.loc[other, "high"]
                    ok &= (x[other] >= low).to_numpy() & (x[other] <= high).to_numpy()
                v = values[:, j]
                if side == "low":
                    candidates = np.sort(v[ok & (v < current.limits.loc[name, "low"])])[::-1][:step]
                    if not len(candidates):
                        continue
                    new = current.limits.copy()
                    new.loc[name, "low"] = candidates[-1]
                else:
                    candidates = np.sort(v[ok & (v > current.limits.loc[name, "high"])])[:step]
                    if not len(candidates):
                        continue
                    new = current.limits.copy()
                    new.loc[name, "high"] = candidates[-1]
                trial = Box(new, 0, 0, current.total, current.total_cases, current.all_cases, current.ranges)
                keep = trial.contains(x)
                n, k = _stats(keep, y)
                if n > inside.sum() and k / n > current.density + 1e-12 and (best is None or k / n > best[0]):
                    best = (k / n, new, n, k)
        if best is None:
            return current
        _, new, n, k = best
        current = Box(new, n, k, current.total, current.total_cases, current.all_cases, current.ranges)


def covering(x: pd.DataFrame, y, max_boxes: int = 3, min_coverage: float = 0.5, alpha: float = 0.05,
             mass_min: float = 0.05, min_density: float | None = None, pasting: bool = True,
             significance: float | None = 0.05) -> list[tuple[Box, PrimResult]]:
    """Find up to ``max_boxes`` boxes one after the other, each in the samples the earlier boxes
    left: on each peeling trajectory take the densest box with enough coverage, paste it, and
    drop the restrictions that are not significant (:func:`prune`, quasi-p-value above
    ``significance``); stop when the box is no denser than ``min_density`` (default: twice the
    overall share of cases, at most 0.9) or too few cases are left. Coverage is always relative
    to all cases of interest."""
    x = x.reset_index(drop=True)
    y = np.asarray(y, dtype=float)
    all_cases = int(y.sum())
    if min_density is None:
        min_density = min(0.9, 2 * y.mean())
    out = []
    remaining = np.ones(len(y), dtype=bool)
    for _ in range(max_boxes):
        if y[remaining].sum() < 5 or remaining.sum() < 20:
            break
        result = prim(x[remaining], y[remaining], alpha=alpha, mass_min=mass_min, all_cases=all_cases)
        chosen = result.select(min_coverage * y[remaining].sum() / all_cases)
        if pasting:
            chosen = paste(result, chosen, alpha)
        if significance:
            chosen = prune(chosen, x[remaining].reset_index(drop=True), y[remaining], significance)
        if chosen.density <= min_density or not chosen.restricted:
            break
        out.append((chosen, result))
        idx = np.flatnonzero(remaining)
        remaining[idx[chosen.contains(x[remaining])]] = False
    return out


def restriction_importance(box: Box, x: pd.DataFrame, y) -> pd.DataFrame:
    """For each restriction of ``box``: the density and coverage if it were dropped (how much each
    limit matters), its quasi-p-value, the limits and the sampled range."""
    y = np.asarray(y, dtype=float)
    x = x.reset_index(drop=True)
    qp = quasi_p_values(box, x, y)
    rows = []
    for name in box.restricted:
        loose = box.without(name, x, y)
        rows.append({"input": name, "low": box.limits.loc[name, "low"], "high": box.limits.loc[name, "high"],
                     "sampled_low": box.ranges.loc[name, "low"], "sampled_high": box.ranges.loc[name, "high"],
                     "density_without": loose.density, "coverage_without": loose.coverage,
                     "quasi_p": qp[name]})
    return pd.DataFrame(rows, columns=["input", "low", "high", "sampled_low", "sampled_high", "density_without",
                                       "coverage_without", "quasi_p"])
