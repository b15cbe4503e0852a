"""Scoring a pattern over many seeds: the model's value with its spread, and how often it matches.

For each pattern and each set of runs (the model, null model b) :func:`evaluate` gives a
:class:`PatternScore`: the value in every seed, the median and the 90% interval (5th and 95th
percentiles, taken on the sorted values so that ``inf``, "did not happen by the end of the
run", is handled), the share of seeds that match history, the median distance by which the
others miss, and a verdict:

* ``reproduced``: at least 75% of seeds match;
* ``partly``: 25% to 75% of seeds match;
* ``fails``: fewer than 25% match;
* ``not produced``: the model version cannot produce the statistic (the reason is kept).

A categorical pattern (the first republic to declare) reports the commonest value instead of
a median and interval.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .patterns import Pattern
from .runs import RunOutput
from .statistics import NotProduced

REPRODUCED, PARTLY = 0.75, 0.25
QUANTILES = (0.05, 0.5, 0.95)


@dataclass
class PatternScore:
    pattern: str
    source: str  # "model", "loops off", "static ranking"
    values: list = field(default_factory=list)
    matches: list[bool] = field(default_factory=list)
    distances: list[float] = field(default_factory=list)
    not_produced: str = ""  # the reason, when the statistic cannot be produced
    not_applicable: str = ""  # the reason, when this source says nothing about the pattern

    @property
    def produced(self) -> bool:
        return not self.not_produced and not self.not_applicable

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def categorical(self) -> bool:
        return any(isinstance(v, str) for v in self.values)

    @property
    def share_matching(self) -> float:
        return float(np.mean(self.matches)) if self.matches else math.nan

    @property
    def n_never(self) -> int:
        return sum(1 for v in self.values if isinstance(v, float) and math.isinf(v))

    @property
    def n_undefined(self) -> int:
        return sum(1 for v in self.values if isinstance(v, float) and math.isnan(v))

    def quantiles(self) -> tuple[float, float, float]:
        """5th, 50th and 95th percentiles over the seeds where the value is defined."""
        v = np.array([x for x in self.values if not (isinstance(x, float) and math.isnan(x))], dtype=float)
        if not len(v):
            return (math.nan, math.nan, math.nan)
        q = np.quantile(v, QUANTILES, method="inverted_cdf")
        return float(q[0]), float(q[1]), float(q[2])

    @property
    def mode(self) -> tuple[str, float]:
        """The commonest value and its share (categorical patterns)."""
        if not self.values:
            return ("", math.nan)
        value, count = Counter(self.values).most_common(1)[0]
        return (value, count / len(self.values))

    @property
    def median_distance(self) -> float:
        d = [x for x in self.distances if not math.isnan(x)]
        return float(np.median(d)) if d else math.nan

    @property
    def verdict(self) -> str:
        if self.not_produced:
            return "not produced"
        if self.not_applicable:
            return "n/a"
        share = self.share_matching
        if math.isnan(share):
            return "not produced"
        return "reproduced" if share >= REPRODUCED else "partly" if share >= PARTLY else "fails"

    def summary(self, unit: str = "") -> str:
        """The value with its spread, in a few words."""
        if self.not_produced:
            return "not produced by this model version"
        if self.not_applicable:
            return f"n/a ({self.not_applicable})"
        if self.categorical:
            value, share = self.mode
            return value or "none" if self.n == 1 else f"{value or 'none'} ({share:.0%} of seeds)"
        if self.n_never == self.n:
            return f"never by the end of the run ({self.n}/{self.n})"
        if self.n_undefined == self.n:
            return f"undefined in every run ({self.n}/{self.n})"
        lo, mid, hi = self.quantiles()
        if self.n == 1:
            return _num(mid)
        text = f"{_num(mid)} [{_num(lo)}, {_num(hi)}]"
        extra = []
        if self.n_never:
            extra.append(f"never in {self.n_never}/{self.n}")
        if self.n_undefined:
            extra.append(f"undefined in {self.n_undefined}/{self.n}")
        return text + (f" ({'; '.join(extra)})" if extra else "")


def _num(x: float) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "never" if x > 0 else "-inf"
    return f"{x:.2f}"


def evaluate(pattern: Pattern, runs: list[RunOutput], source: str = "model") -> PatternScore:
    """Score ``pattern`` on every run (they must be runs of the pattern's scenario)."""
    values = []
    for run in runs:
        if run.scenario != pattern.scenario:
            raise ValueError(f"pattern {pattern.name} is measured on {pattern.scenario!r}, not {run.scenario!r}")
        try:
            values.append(pattern.value(run))
        except NotProduced as exc:
            return PatternScore(pattern.name, source, not_produced=str(exc))
    return score_values(pattern, values, source)


def score_values(pattern: Pattern, values, source: str = "model", not_produced: str = "") -> PatternScore:
    """Score ``pattern`` on values already measured (e.g. posterior predictive runs)."""
    score = PatternScore(pattern.name, source, not_produced=not_produced)
    if not_produced:
        return score
    for value in values:
        if not isinstance(value, str):
            value = float(value)
        ok, dist = pattern.score(value)
        score.values.append(value)
        score.matches.append(bool(ok))
        score.distances.append(float(dist))
    return score


def evaluate_static(pattern: Pattern) -> PatternScore:
    """Score the static ranking (null model a) on ``pattern``; n/a when it says nothing about it."""
    score = PatternScore(pattern.name, "static ranking")
    if pattern.static_null is None:
        score.not_applicable = "no dynamics, no timing"
        return score
    value = pattern.static_null()
    if not isinstance(value, str):
        value = float(value)
    ok, dist = pattern.score(value)
    score.values, score.matches, score.distances = [value], [bool(ok)], [float(dist)]
    return score
