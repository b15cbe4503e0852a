"""History as data: the dated events and patterns the model is validated against.

The figures live in ``data/history/`` (CSV and TOML, each with its source and a reliability
note; see ``data/history/README.md``). This module reads them into tables:

* :func:`declarations`: the union republics' declarations of sovereignty and of independence,
  one row each (republic code, declaration, date, year as a decimal, source, reliability).
* :func:`union_events`: union-level timing (first declarations, the August coup, dissolution).
* :func:`union_timing`: the union-level patterns as numbers (decimal years), with their sources.
* :func:`eras`: the qualitative patterns of the eras (stability, localism, erosion from below).
* :func:`output`: the output decline of 1989-1991, official and revised series.

Republic codes are those of ``data/ussr_republics.csv``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

#: the two kinds of declaration, in the order a republic made them
DECLARATIONS = ("sovereignty", "independence")
#: the union republics' codes, in the order of ``data/ussr_republics.csv``
REPUBLIC_CODES = ("RSFSR", "UKR", "BLR", "UZB", "KAZ", "GEO", "AZE", "LIT", "MOL", "LAT", "KIR", "TAJ",
                  "ARM", "TUR", "EST")
RELIABILITY = ("high", "medium", "low", "proxy", "qualitative")
#: how an era pattern says regional obedience went
DIRECTIONS = ("stable", "rise", "fall", "before")


class HistoryError(ValueError):
    """A history file that does not hold what the loader expects (one-line message)."""


def history_dir() -> Path:
    return Path(str(resources.files("soviet_cohesion") / "data" / "history"))


def decimal_year(date: _dt.date) -> float:
    """The date as a decimal year: year + days elapsed before the date / days in the year
    (1 January is exactly the year; 16 November 1988 is 1988.874)."""
    start = _dt.date(date.year, 1, 1)
    days = (_dt.date(date.year + 1, 1, 1) - start).days
    return date.year + (date - start).days / days


def _read_csv(name: str) -> list[dict]:
    path = history_dir() / name
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _date(text: str, where: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError:
        raise HistoryError(f"{where}: date {text!r} is not of the form YYYY-MM-DD") from None


# ================================================================ declarations
@lru_cache(maxsize=1)
def _declarations_table() -> pd.DataFrame:
    rows = []
    for i, r in enumerate(_read_csv("declarations.csv"), start=2):
        where = f"declarations.csv line {i}"
        if r["code"] not in REPUBLIC_CODES:
            raise HistoryError(f"{where}: republic code {r['code']!r} is not one of {', '.join(REPUBLIC_CODES)}")
        if r["declaration"] not in DECLARATIONS:
            raise HistoryError(f"{where}: declaration {r['declaration']!r} is not one of {', '.join(DECLARATIONS)}")
        if r["reliability"] not in RELIABILITY:
            raise HistoryError(f"{where}: reliability {r['reliability']!r} is not one of {', '.join(RELIABILITY)}")
        date = _date(r["date"], where)
        rows.append({"republic": r["code"], "name": r["republic"], "declaration": r["declaration"],
                     "date": pd.Timestamp(date), "year": decimal_year(date), "status": r["status"],
                     "act": r["act"], "source": r["source"], "reliability": r["reliability"],
                     "note": r["note"]})
    df = pd.DataFrame(rows)
    dup = df.duplicated(["republic", "declaration"])
    if dup.any():
        first = df[dup].iloc[0]
        raise HistoryError(f"declarations.csv: {first['republic']} has two {first['declaration']} rows")
    return df.sort_values(["declaration", "year", "republic"], kind="stable").reset_index(drop=True)


def declarations(proxies: bool = False) -> pd.DataFrame:
    """The declarations of sovereignty and of independence, one row per republic and kind.

    Columns: ``republic`` (code), ``name``, ``declaration`` ("sovereignty" or "independence"),
    ``date``, ``year`` (decimal), ``status``, ``act``, ``source``, ``reliability``, ``note``.
    Rows stand sorted by kind, then date. ``proxies=True`` adds the rows that stand in for a
    declaration never made (Russia's independence), marked ``reliability == "proxy"``.
    """
    df = _declarations_table()
    if not proxies:
        df = df[df["reliability"] != "proxy"]
    return df.reset_index(drop=True).copy()


def declaration_years(declaration: str, proxies: bool = False) -> pd.Series:
    """Decimal year of each republic's declaration of one kind (index: republic code)."""
    if declaration not in DECLARATIONS:
        raise HistoryError(f"declaration {declaration!r} is not one of {', '.join(DECLARATIONS)}")
    df = declarations(proxies=proxies)
    return df[df["declaration"] == declaration].set_index("republic")["year"]


# ================================================================ union level
def union_events() -> pd.DataFrame:
    """Union-level events: ``event``, ``date``, ``year`` (decimal), ``description``, ``source``,
    ``reliability``, ``note``."""
    rows = []
    for i, r in enumerate(_read_csv("union_events.csv"), start=2):
        date = _date(r["date"], f"union_events.csv line {i}")
        rows.append({"event": r["event"], "date": pd.Timestamp(date), "year": decimal_year(date),
                     "description": r["description"], "source": r["source"],
                     "reliability": r["reliability"], "note": r["note"]})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class HistoricalValue:
    """One historical figure: its value, how it is described, where it comes from."""

    value: float | str | None
    text: str
    source: str
    reliability: str


def union_timing() -> dict[str, HistoricalValue]:
    """The union-level timing patterns as numbers (decimal years), from the data files:

    * ``first_sovereignty``: the first declaration of sovereignty (Estonia, 16 November 1988);
    * ``all_sovereign``: the last of the fifteen sovereignty declarations (all by the end of 1990);
    * ``first_independence``: the first declaration of independence (Lithuania, 11 March 1990);
    * ``august_coup``: the failed coup of August 1991, after which the centre's authority collapsed;
    * ``dissolution``: the union's dissolution (26 December 1991);
    * ``first_sovereign_republic`` / ``first_independent_republic``: the republics (codes).
    """
    events = union_events().set_index("event")
    out = {}
    for key in ("first_sovereignty", "first_independence", "all_sovereign", "august_coup", "dissolution"):
        e = events.loc[key]
        out[key] = HistoricalValue(float(e["year"]), f"{e['description']} ({e['date']:%d %B %Y})",
                                   e["source"], e["reliability"])
    d = declarations()
    for key, kind in (("first_sovereign_republic", "sovereignty"), ("first_independent_republic", "independence")):
        first = d[d["declaration"] == kind].sort_values("year").iloc[0]
        out[key] = HistoricalValue(first["republic"], f"{first['name']} ({first['date']:%d %B %Y})",
                                   first["source"], first["reliability"])
    return out


# ================================================================ eras and output
@dataclass(frozen=True)
class EraPattern:
    """A qualitative pattern of one era: the direction regional obedience took, and why we know."""

    name: str
    era: str
    start: float
    end: float
    direction: str  # "stable", "rise" or "fall" (of non-obedience), or "before" (the regions before the centre)
    finding: str
    sources: tuple[str, ...]
    reliability: str


@lru_cache(maxsize=1)
def _eras() -> tuple[EraPattern, ...]:
    with (history_dir() / "eras.toml").open("rb") as f:
        data = tomllib.load(f)
    out = []
    for i, p in enumerate(data.get("pattern", [])):
        where = f"eras.toml pattern {i + 1}"
        if p.get("direction") not in DIRECTIONS:
            raise HistoryError(f"{where}: direction {p.get('direction')!r} is not one of {', '.join(DIRECTIONS)}")
        missing = [k for k in ("name", "era", "start", "end", "finding", "sources", "reliability") if k not in p]
        if missing:
            raise HistoryError(f"{where}: missing {', '.join(missing)}")
        out.append(EraPattern(p["name"], p["era"], float(p["start"]), float(p["end"]), p["direction"],
                              " ".join(p["finding"].split()), tuple(p["sources"]), p["reliability"]))
    return tuple(out)


def eras() -> dict[str, EraPattern]:
    """The qualitative era patterns of ``eras.toml``, by name."""
    return {p.name: p for p in _eras()}


def output() -> pd.DataFrame:
    """The output decline of 1989-1991: ``period``, ``year`` (mid-period, decimal), ``series``,
    ``measure``, ``change_percent`` (NaN where the source gives no figure), ``kind`` (official,
    estimate, forecast, qualitative), ``source``, ``reliability``, ``note``."""
    rows = []
    for r in _read_csv("output.csv"):
        rows.append({"period": r["period"], "year": float(r["year"]), "series": r["series"],
                     "measure": r["measure"],
                     "change_percent": float(r["change_percent"]) if r["change_percent"].strip() else np.nan,
                     "kind": r["kind"], "source": r["source"], "reliability": r["reliability"],
                     "note": r["note"]})
    return pd.DataFrame(rows)
