"""What the model says, measured on one run: the statistics the patterns compare with history.

Each :class:`Statistic` names the scenario it is measured on, its level (``union``, ``era`` or
``republic``), its unit, and a function of one :class:`~.runs.RunOutput`. A statistic that needs
something the model version does not produce (declarations, an ``output`` or ``dissolved``
indicator) raises :class:`NotProduced`; the report then says so and never shows a value.

Conventions: a year is the decimal year at the end of the period in which something first
happened (the ``year`` column of the indicator table); an event that did not happen by the end of
the run is ``inf``; a statistic that is undefined in a run (e.g. a rank correlation when no
republic declared) is ``nan``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import history
from .runs import RunOutput

LEVELS = ("union", "era", "republic")


class NotProduced(LookupError):
    """The model version does not produce what a statistic needs (the message says what)."""


@dataclass(frozen=True)
class Statistic:
    name: str
    scenario: str
    level: str
    unit: str
    description: str
    compute: Callable[[RunOutput], float | str]
    kind: str = "number"  # or "category"

    def __call__(self, run: RunOutput) -> float | str:
        return self.compute(run)


# ================================================================ helpers
def first_year(table: pd.DataFrame, mask) -> float:
    """Year of the first row where ``mask`` holds; ``inf`` if it never does."""
    mask = np.asarray(mask, dtype=bool)
    return float(table["year"].to_numpy()[np.argmax(mask)]) if mask.any() else np.inf


def _column(run: RunOutput, name: str) -> pd.Series:
    if name not in run.indicators.columns:
        raise NotProduced(f"the indicator table has no '{name}' column")
    return run.indicators[name]


def window_mean(table: pd.DataFrame, column: pd.Series, start: float, end: float) -> float:
    """Mean of ``column`` over the rows with start < year <= end (nan if there are none)."""
    year = table["year"]
    inside = (year > start + 1e-9) & (year <= end + 1e-9)
    return float(column[inside].mean()) if inside.any() else np.nan


def not_obeying(run: RunOutput) -> pd.Series:
    """Share of regions not obeying the centre (managing risk or autonomous)."""
    return 1.0 - _column(run, "compliance")


def declarations_of(run: RunOutput) -> pd.DataFrame:
    """The run's declarations with republic codes; :class:`NotProduced` if the model makes none."""
    if run.declarations is None:
        raise NotProduced("the model has no declarations() (republic leaderships come with the model's "
                          "second generation)")
    d = run.declarations
    missing = {"republic", "declaration", "year"} - set(d.columns)
    if missing:
        raise NotProduced(f"declarations() lacks the column(s) {', '.join(sorted(missing))}")
    d = d.copy()
    d["republic"] = [r if r in history.REPUBLIC_CODES else run.republic_codes.get(r, r) for r in d["republic"]]
    return d


def declaration_years(run: RunOutput, kind: str) -> pd.Series:
    """Year of each republic's first declaration of ``kind`` in the run (index: code)."""
    d = declarations_of(run)
    d = d[d["declaration"] == kind]
    return d.groupby("republic")["year"].min() if len(d) else pd.Series(dtype=float)


def spearman(a, b) -> float:
    """Spearman's rank correlation (average ranks for ties, ``inf`` ranks last); nan if either
    side has no spread."""
    ra = pd.Series(np.asarray(a, dtype=float)).rank(method="average").to_numpy()
    rb = pd.Series(np.asarray(b, dtype=float)).rank(method="average").to_numpy()
    if ra.std() == 0 or rb.std() == 0:
        return np.nan
    return float(np.corrcoef(ra, rb)[0, 1])


def order_correlation(predicted: pd.Series, kind: str) -> float:
    """Spearman's rho between a predicted timing of each republic (smaller = earlier; ``inf`` =
    never) and the historical dates of declarations of ``kind`` (proxies left out)."""
    observed = history.declaration_years(kind)
    predicted = predicted.reindex(observed.index).fillna(np.inf)
    return spearman(predicted.to_numpy(), observed.to_numpy())


@lru_cache(maxsize=8)
def rho_critical_value(n: int, level: float = 0.95, draws: int = 20000) -> float:
    """The ``level`` quantile of Spearman's rho between a fixed order of ``n`` items and a random
    one (Monte Carlo, fixed seed): a rho above it beats a random order at that level."""
    rng = np.random.default_rng(20251116)
    ranks = np.arange(n, dtype=float)
    perms = np.argsort(rng.random((draws, n)), axis=1).astype(float)
    centred = ranks - ranks.mean()
    rho = (perms - perms.mean(axis=1, keepdims=True)) @ centred / (centred @ centred)
    return float(np.quantile(rho, level))


# ================================================================ statistics
def _localities_year(run):
    return first_year(run.indicators, not_obeying(run) > 0.5)


def _centre_year(run):
    return first_year(run.indicators, _column(run, "authority") < 0.5)


def _breakup_year(run):
    n = run.n_regions
    if n <= 0:
        raise NotProduced("the run does not say how many regions its world has")
    return first_year(run.indicators, _column(run, "autonomous_regions") > n / 2)


def _erosion_lead(run):
    local, centre = _localities_year(run), _centre_year(run)
    if np.isinf(local) and np.isinf(centre):
        return np.nan
    return centre - local


def _dissolution_year(run):
    return first_year(run.indicators, _column(run, "dissolved").astype(bool))


def _output_change(year: int):
    """Percent change of mean output in calendar ``year`` on the year before (calendar year Y is
    the periods that end in (Y, Y + 1])."""
    def compute(run):
        out = _column(run, "output")
        this = window_mean(run.indicators, out, year, year + 1)
        before = window_mean(run.indicators, out, year - 1, year)
        return 100.0 * (this / before - 1.0) if before and np.isfinite(before) else np.nan
    return compute


def _min_cohesion(start: float, end: float):
    def compute(run):
        t = run.indicators
        inside = (t["year"] >= start - 1e-9) & (t["year"] <= end + 1e-9)
        return float(_column(run, "cohesion")[inside].min()) if inside.any() else np.nan
    return compute


#: windows of the Khrushchev pattern: before the reform, under the sovnarkhozy (a year after the
#: 1957 reform, to let it act), and after the 1965 recentralisation (a year after it)
KHRUSHCHEV_WINDOWS = {"before": (1953.5, 1957.5), "during": (1958.5, 1965.75), "after": (1967.0, 1970.0)}


def _localism(run, window):
    start, end = KHRUSHCHEV_WINDOWS[window]
    return window_mean(run.indicators, not_obeying(run), start, end)


def _first_declaration_year(kind):
    def compute(run):
        years = declaration_years(run, kind)
        return float(years.min()) if len(years) else np.inf
    return compute


def _all_sovereign_year(run):
    years = declaration_years(run, "sovereignty").reindex(list(history.REPUBLIC_CODES))
    return float(years.max()) if years.notna().all() else np.inf


def _first_republic(kind):
    def compute(run):
        d = declarations_of(run)
        d = d[d["declaration"] == kind]
        if not len(d):
            return ""
        by = ["year", "step"] if "step" in d.columns else ["year"]
        return str(d.sort_values(by, kind="stable")["republic"].iloc[0])
    return compute


def _order_rho(kind):
    def compute(run):
        years = declaration_years(run, kind)
        if not len(years):
            return np.nan
        return order_correlation(years, kind)
    return compute


def _eras_window(name):
    e = history.eras()[name]
    return e.start, e.end


def _statistics() -> dict[str, Statistic]:
    stalin, brezhnev = _eras_window("late_stalinism_stable"), _eras_window("brezhnev_stable")
    s = [
        Statistic("localities_defect_year", "gorbachev", "union", "year",
                  "first year in which most regions no longer obey the centre", _localities_year),
        Statistic("centre_authority_year", "gorbachev", "union", "year",
                  "first year in which the centre's authority is below one half", _centre_year),
        Statistic("breakup_year", "gorbachev", "union", "year",
                  "first year in which more than half of the regions are autonomous", _breakup_year),
        Statistic("erosion_lead_years", "gorbachev", "union", "years",
                  "years from most regions no longer obeying to the centre's authority below one half "
                  "(positive: the localities first)", _erosion_lead),
        Statistic("final_cohesion", "gorbachev", "union", "cohesion (0-1)",
                  "cohesion at the end of 1991", lambda run: float(_column(run, "cohesion").iloc[-1])),
        Statistic("final_authority", "gorbachev", "union", "authority (0-1)",
                  "the centre's authority at the end of 1991", lambda run: float(_column(run, "authority").iloc[-1])),
        Statistic("dissolution_year", "gorbachev", "union", "year",
                  "first year in which the model's union is dissolved (indicator 'dissolved')", _dissolution_year),
        Statistic("output_change_1990", "gorbachev", "union", "% on the year before",
                  "change of mean output in 1990 on 1989 (indicator 'output')", _output_change(1990)),
        Statistic("output_change_1991", "gorbachev", "union", "% on the year before",
                  "change of mean output in 1991 on 1990 (indicator 'output')", _output_change(1991)),
        Statistic("first_sovereignty_year", "gorbachev", "union", "year",
                  "year of the first declaration of sovereignty", _first_declaration_year("sovereignty")),
        Statistic("all_sovereign_year", "gorbachev", "union", "year",
                  "year by which all fifteen republics had declared sovereignty", _all_sovereign_year),
        Statistic("first_independence_year", "gorbachev", "union", "year",
                  "year of the first declaration of independence", _first_declaration_year("independence")),
        Statistic("stalin_min_cohesion", "stalin", "era", "cohesion (0-1)",
                  f"lowest cohesion {stalin[0]:g}-{stalin[1]:g}", _min_cohesion(*stalin)),
        Statistic("brezhnev_min_cohesion", "brezhnev", "era", "cohesion (0-1)",
                  f"lowest cohesion {brezhnev[0]:g}-{brezhnev[1]:g}", _min_cohesion(*brezhnev)),
        Statistic("khrushchev_localism_rise", "khrushchev", "era", "share of regions",
                  "mean share of regions not obeying under the sovnarkhozy (1958.5-1965.75) minus before "
                  "the reform (1953.5-1957.5)", lambda run: _localism(run, "during") - _localism(run, "before")),
        Statistic("khrushchev_localism_reversal", "khrushchev", "era", "share of regions",
                  "mean share of regions not obeying under the sovnarkhozy (1958.5-1965.75) minus after the "
                  "1965 recentralisation (1967-1970)", lambda run: _localism(run, "during") - _localism(run, "after")),
        Statistic("first_sovereign_republic", "gorbachev", "republic", "republic",
                  "the republic that declared sovereignty first", _first_republic("sovereignty"), "category"),
        Statistic("first_independent_republic", "gorbachev", "republic", "republic",
                  "the republic that declared independence first", _first_republic("independence"), "category"),
        Statistic("sovereignty_order_rho", "gorbachev", "republic", "Spearman's rho",
                  "rank correlation of the republics' sovereignty declarations with history",
                  _order_rho("sovereignty")),
        Statistic("independence_order_rho", "gorbachev", "republic", "Spearman's rho",
                  "rank correlation of the republics' independence declarations with history "
                  "(Russia, which never declared, left out)", _order_rho("independence")),
    ]
    return {x.name: x for x in s}


STATISTICS: dict[str, Statistic] = _statistics()


def get(name: str) -> Statistic:
    try:
        return STATISTICS[name]
    except KeyError:
        raise KeyError(f"unknown statistic {name!r}; known: {', '.join(STATISTICS)}") from None
