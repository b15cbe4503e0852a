"""Prior distributions of the calibrated parameters: independent, each uniform or a normal
truncated to an interval (by default the parameter's allowed range in the registry)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Prior:
    """One parameter's prior: ``uniform`` on [low, high], or ``normal`` (mean, sd) truncated to
    [low, high]."""

    name: str
    low: float
    high: float
    kind: str = "uniform"
    mean: float = math.nan
    sd: float = math.nan

    def __post_init__(self):
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"prior of {self.name}: needs finite low < high, got [{self.low}, {self.high}]")
        if self.kind not in ("uniform", "normal"):
            raise ValueError(f"prior of {self.name}: kind {self.kind!r} is not one of uniform, normal")
        if self.kind == "normal" and not (math.isfinite(self.mean) and self.sd > 0):
            raise ValueError(f"prior of {self.name}: a normal prior needs a mean and an sd > 0")

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        if self.kind == "uniform":
            return rng.uniform(self.low, self.high, n)
        out = np.empty(0)
        while len(out) < n:  # rejection: exact truncated normal
            draw = rng.normal(self.mean, self.sd, max(2 * (n - len(out)), 16))
            out = np.concatenate([out, draw[(draw >= self.low) & (draw <= self.high)]])
        return out[:n]

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        inside = (x >= self.low) & (x <= self.high)
        if self.kind == "uniform":
            value = np.full(x.shape, -math.log(self.high - self.low))
        else:
            mass = _normal_cdf((self.high - self.mean) / self.sd) - _normal_cdf((self.low - self.mean) / self.sd)
            z = (x - self.mean) / self.sd
            value = -0.5 * z ** 2 - math.log(self.sd * math.sqrt(2 * math.pi) * mass)
        return np.where(inside, value, -np.inf)

    def describe(self) -> str:
        if self.kind == "uniform":
            return f"uniform on [{self.low:g}, {self.high:g}]"
        return f"normal({self.mean:g}, {self.sd:g}) truncated to [{self.low:g}, {self.high:g}]"


def _normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


class Priors:
    """Independent priors of several parameters (in a fixed order)."""

    def __init__(self, priors: list[Prior]):
        if not priors:
            raise ValueError("at least one parameter must have a prior")
        self.priors = list(priors)
        self.names = [p.name for p in self.priors]
        if len(set(self.names)) != len(self.names):
            raise ValueError("each parameter may have one prior only")

    def __len__(self) -> int:
        return len(self.priors)

    def sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        return pd.DataFrame({p.name: p.sample(n, rng) for p in self.priors})

    def logpdf(self, params: pd.DataFrame | np.ndarray) -> np.ndarray:
        x = params[self.names].to_numpy(dtype=float) if isinstance(params, pd.DataFrame) else np.atleast_2d(params)
        # started from an array of zeros, not 0, so that the type is an array (the sums are the same)
        return sum((p.logpdf(x[:, i]) for i, p in enumerate(self.priors)), np.zeros(len(x)))

    @property
    def bounds(self) -> np.ndarray:
        return np.array([[p.low, p.high] for p in self.priors])
