"""The distance between simulated summaries and the targets.

Each target is a summary statistic with either a point value or a band (history often says
"within a year of December 1991", or "localism rose"). Its gap is ``|s - value|``, or for a
band the distance from ``s`` to the band (0 inside it). The distance of a particle is::

    d = sqrt( sum_k (gap_k / scale_k)^2 )

A summary that is not finite (the event never happened in the run, or the statistic is
undefined) gives ``d = inf``. Scales not given in the spec are set once, from the first
generation (a prior predictive sample), to the median absolute deviation of each summary around
its median (Prangle 2017, "Adapting the ABC distance function"), falling back to the standard
deviation and then, for a statistic that hardly varies in the sample, to 1; they are stored with
that generation so a resumed run uses the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Target:
    statistic: str
    value: float = math.nan  # a point target, or
    low: float = math.nan  # a band [low, high] (either end may be infinite)
    high: float = math.nan
    scale: float = math.nan  # NaN: adapted from the first generation
    source: str = ""  # where the target comes from (a pattern, or the spec)

    @property
    def is_band(self) -> bool:
        return not math.isnan(self.low) or not math.isnan(self.high)

    def gap(self, s: np.ndarray) -> np.ndarray:
        s = np.asarray(s, dtype=float)
        if self.is_band:
            low = -math.inf if math.isnan(self.low) else self.low
            high = math.inf if math.isnan(self.high) else self.high
            with np.errstate(invalid="ignore"):
                g = np.maximum(np.maximum(low - s, s - high), 0.0)
        else:
            g = np.abs(s - self.value)
        return np.where(np.isfinite(s), g, np.inf)

    def describe(self) -> str:
        if self.is_band:
            low = "-inf" if math.isnan(self.low) or math.isinf(self.low) else f"{self.low:g}"
            high = "inf" if math.isnan(self.high) or math.isinf(self.high) else f"{self.high:g}"
            return f"in [{low}, {high}]"
        return f"= {self.value:g}"

    def observed(self) -> float:
        """A single number to draw the target at: the value, or the band's finite middle/end."""
        if not self.is_band:
            return self.value
        ends = [x for x in (self.low, self.high) if math.isfinite(x)]
        return float(np.mean(ends)) if ends else math.nan


class Distance:
    """Weighted Euclidean distance over the targets' gaps (see the module docstring)."""

    def __init__(self, targets: list[Target]):
        if not targets:
            raise ValueError("at least one target is needed")
        self.targets = list(targets)
        self.scales = np.array([t.scale for t in targets], dtype=float)

    @property
    def names(self) -> list[str]:
        return [t.statistic for t in self.targets]

    @property
    def fitted(self) -> bool:
        return bool(np.all(np.isfinite(self.scales)))

    def fit(self, summaries: pd.DataFrame) -> dict:
        """Set the scales the spec left open from a (prior predictive) sample; return the state."""
        for k, t in enumerate(self.targets):
            if math.isfinite(self.scales[k]):
                continue
            s = summaries[t.statistic].to_numpy(dtype=float)
            s = s[np.isfinite(s)]
            scale = math.nan
            if len(s) > 1:
                centre = float(np.median(s))
                tiny = 1e-9 * max(1.0, abs(centre))  # a statistic that hardly varies has no scale of its own
                scale = float(np.median(np.abs(s - centre)))
                if not scale > tiny:
                    scale = float(np.std(s))
                if not scale > tiny:
                    scale = math.nan
            self.scales[k] = scale if scale > 0 else 1.0
        return self.state()

    def state(self) -> dict:
        return {"scales": dict(zip(self.names, [float(x) for x in self.scales]))}

    def load(self, state: dict) -> None:
        scales = state["scales"]
        self.scales = np.array([scales[n] for n in self.names], dtype=float)

    def __call__(self, summaries: pd.DataFrame) -> np.ndarray:
        if not self.fitted:
            raise RuntimeError("the distance's scales are not set: call fit() on a first sample")
        total = np.zeros(len(summaries))
        for t, scale in zip(self.targets, self.scales):
            total = total + (t.gap(summaries[t.statistic].to_numpy(dtype=float)) / scale) ** 2
        return np.sqrt(total)
