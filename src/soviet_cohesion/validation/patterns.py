"""Patterns: a model statistic, the historical value it is compared with, and how it is scored.

Pattern-oriented validation (Grimm et al. 2005): the model is judged on several patterns at
different levels at once (the union's timing, the eras before Gorbachev, the republics' order),
each with its source. A pattern's :class:`Criterion` turns the model's value in one run into a
match (yes or no) and a distance (0 when it matches, otherwise how far it misses, in the
statistic's unit):

* :class:`Band`: the value lies in [low, high]: a tolerance around a date, or a direction
  ("rises by at least 0.05").
* :class:`Category`: the value is one given category (the first republic to declare).

Every pattern is built here from ``soviet_cohesion.history`` (the dates) and
``statistics`` (the model's side); :data:`PATTERNS` lists them in the report's order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .. import history
from . import statistics as stats
from .runs import RunOutput

#: a timing pattern matches when the model's date is within this many years of history's
TIMING_TOLERANCE = 1.0
#: an era is "stable" when the union's cohesion never falls below this
STABLE_COHESION = 0.7
#: localism "rises" or "falls" when the share of regions not obeying moves by at least this
LOCALISM_CHANGE = 0.05


@dataclass(frozen=True)
class Band:
    low: float = -math.inf
    high: float = math.inf

    def matches(self, value) -> bool:
        return _finite_or_inf(value) and self.low - 1e-12 <= value <= self.high + 1e-12

    def distance(self, value) -> float:
        if not _finite_or_inf(value):
            return math.nan
        return max(self.low - value, value - self.high, 0.0)

    def describe(self, unit: str = "") -> str:
        u = f" {unit}" if unit and unit not in ("year",) else ""
        if math.isinf(self.low):
            return f"at most {_fmt(self.high)}{u}"
        if math.isinf(self.high):
            return f"at least {_fmt(self.low)}{u}"
        return f"{_fmt(self.low)} to {_fmt(self.high)}{u}"


@dataclass(frozen=True)
class Category:
    expected: str

    def matches(self, value) -> bool:
        return value == self.expected

    def distance(self, value) -> float:
        return 0.0 if value == self.expected else 1.0

    def describe(self, unit: str = "") -> str:
        return f"= {self.expected}"


def _finite_or_inf(value) -> bool:
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _fmt(x: float) -> str:
    return f"{x:.2f}"


@dataclass(frozen=True)
class Pattern:
    """One historical pattern and how the model is scored against it.

    Attributes:
        name: short identifier (``union_breakup``).
        title: one line for the report.
        level: ``union``, ``era`` or ``republic``.
        statistic: the model statistic compared (see :mod:`.statistics`).
        historical: the historical value (a number, a category, or ``None`` when qualitative),
            its description, source and reliability.
        criterion: when the model's value matches history.
        static_null: the prediction of the static ranking (null model a), or ``None`` when a
            static ranking cannot say anything about the pattern (it has no dynamics).
        note: how the pattern is read, for the report.
    """

    name: str
    title: str
    level: str
    statistic: str
    historical: history.HistoricalValue
    criterion: Band | Category
    static_null: Callable[[], float | str] | None = None
    note: str = ""

    @property
    def stat(self) -> stats.Statistic:
        return stats.get(self.statistic)

    @property
    def scenario(self) -> str:
        return self.stat.scenario

    @property
    def unit(self) -> str:
        return self.stat.unit

    def value(self, run: RunOutput):
        """The model's value in one run (raises :class:`~.statistics.NotProduced`)."""
        return self.stat(run)

    def score(self, value) -> tuple[bool, float]:
        """(matches, distance) of one value."""
        return self.criterion.matches(value), self.criterion.distance(value)

    def historical_text(self) -> str:
        v = self.historical.value
        if isinstance(v, float):
            return f"{v:.2f}"
        return str(v) if v is not None else "qualitative"


# ================================================================ the registry
def _timing(name, title, statistic, key, note=""):
    h = history.union_timing()[key]
    return Pattern(name, title, "union", statistic, h,
                   Band(h.value - TIMING_TOLERANCE, h.value + TIMING_TOLERANCE), note=note)


def _era(name, title, statistic, criterion, note="", level="era"):
    e = history.eras()[name]
    h = history.HistoricalValue(None, f"{e.direction}: {e.finding}", "; ".join(e.sources), e.reliability)
    return Pattern(name, title, level, statistic, h, criterion, note=note)


def _output(year: int, band: Band, note: str):
    o = history.output()
    rows = o[(o["period"] == str(year)) & o["change_percent"].notna()]
    text = "; ".join(f"{r.series} {r.change_percent:+.0f}% ({r.kind}, {r.reliability})" for r in rows.itertuples())
    value = float(rows["change_percent"].iloc[-1]) if len(rows) else None
    source = "; ".join(rows["source"])
    return Pattern(f"output_decline_{year}", f"Output falls in {year}", "union", f"output_change_{year}",
                   history.HistoricalValue(value, text, source, "/".join(sorted(set(rows["reliability"])))),
                   band, note=note)


def _republic_first(name, title, statistic, key, kind):
    h = history.union_timing()[key]
    return Pattern(name, title, "republic", statistic, h, Category(h.value),
                   static_null=lambda: _static_first(kind))


def _order(name, title, statistic, kind):
    years = history.declaration_years(kind)
    critical = stats.rho_critical_value(len(years))
    h = history.HistoricalValue(1.0, f"the historical order of the {len(years)} {kind} declarations (rho = 1)",
                                "data/history/declarations.csv", "high/medium (see the file)")
    return Pattern(name, title, "republic", statistic, h, Band(critical, 1.0),
                   static_null=lambda: _static_rho(kind),
                   note=f"matches when rho beats a random order at the 5% level (rho >= {critical:.2f}, "
                        f"{len(years)} republics)")


def _static_first(kind):
    from .nulls import static_first

    return static_first(kind)


def _static_rho(kind):
    from .nulls import static_order_rho

    return static_order_rho(kind)


def build_patterns() -> list[Pattern]:
    """Every pattern, in the report's order: union timing, eras, republics."""
    stable = Band(STABLE_COHESION, 1.0)
    change = Band(LOCALISM_CHANGE, math.inf)
    return [
        _timing("first_sovereignty", "First declaration of sovereignty", "first_sovereignty_year",
                "first_sovereignty"),
        _timing("all_sovereign", "All fifteen republics have declared sovereignty", "all_sovereign_year",
                "all_sovereign"),
        _timing("first_independence", "First declaration of independence", "first_independence_year",
                "first_independence"),
        _timing("dissolution", "The union dissolves", "dissolution_year", "dissolution"),
        _timing("union_breakup", "The union breaks up (most regions autonomous)", "breakup_year", "dissolution",
                note="more than half of the regions out of the union (their republic independent, or acting alone)"),
        _timing("centre_collapse", "The centre's authority collapses", "centre_authority_year", "august_coup",
                note="authority below one half, against the failed coup of August 1991"),
        _era("gorbachev_erosion_from_below", "The regions stop obeying before the centre falls",
             "erosion_lead_years", Band(0.0, math.inf),
             note="matches when most regions stop obeying before the centre's authority falls below one half",
             level="union"),
        _output(1990, Band(-6.0, 0.0), "a fall of at most 6%: the official series (-2%) and the CIA's "
                                       "'stagnate or decline slightly'"),
        _output(1991, Band(-25.0, -8.0), "a fall of 8-25%: the CIA's May 1991 forecast (at least -10%) and "
                                         "the later estimate (-17%)"),
        _era("late_stalinism_stable", "Late Stalinism is stable", "stalin_min_cohesion", stable,
             note=f"stable: cohesion never below {STABLE_COHESION}"),
        _era("khrushchev_localism_rise", "Localism rises under the sovnarkhozy", "khrushchev_localism_rise", change,
             note=f"the share of regions not obeying rises by at least {LOCALISM_CHANGE}"),
        _era("khrushchev_localism_reversal", "Localism falls after the 1965 recentralisation",
             "khrushchev_localism_reversal", change,
             note=f"the share of regions not obeying falls by at least {LOCALISM_CHANGE}"),
        _era("brezhnev_stable", "Brezhnev's stability of cadres holds", "brezhnev_min_cohesion", stable,
             note=f"stable: cohesion never below {STABLE_COHESION}"),
        _republic_first("first_sovereign_republic", "Estonia declares sovereignty first", "first_sovereign_republic",
                        "first_sovereign_republic", "sovereignty"),
        _republic_first("first_independent_republic", "Lithuania declares independence first",
                        "first_independent_republic", "first_independent_republic", "independence"),
        _order("sovereignty_order", "Order of the sovereignty declarations", "sovereignty_order_rho", "sovereignty"),
        _order("independence_order", "Order of the independence declarations", "independence_order_rho",
               "independence"),
    ]


PATTERNS: list[Pattern] = build_patterns()


def get(name: str) -> Pattern:
    for p in PATTERNS:
        if p.name == name:
            return p
    raise KeyError(f"unknown pattern {name!r}; known: {', '.join(p.name for p in PATTERNS)}")


def scenarios_needed(patterns) -> list[str]:
    """The scenarios the patterns are measured on, in first-use order."""
    out: list[str] = []
    for p in patterns:
        if p.scenario not in out:
            out.append(p.scenario)
    return out
