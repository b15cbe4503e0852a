"""History as data: the declarations, union timing, eras and output series, with their sources."""

import csv
import datetime as dt
from importlib import resources

import numpy as np
import pytest

from soviet_cohesion import history


def republic_codes_of_the_world_data():
    path = resources.files("soviet_cohesion") / "data" / "ussr_republics.csv"
    with path.open(newline="", encoding="utf-8") as f:
        return [r["code"] for r in csv.DictReader(f)]


def test_codes_are_those_of_the_republic_table():
    assert list(history.REPUBLIC_CODES) == republic_codes_of_the_world_data()
    d = history.declarations(proxies=True)
    assert set(d["republic"]) == set(history.REPUBLIC_CODES)


def test_every_republic_declared_sovereignty_once_and_independence_once_or_by_proxy():
    d = history.declarations(proxies=True)
    counts = d.groupby(["republic", "declaration"]).size()
    assert (counts == 1).all() and len(counts) == 30
    plain = history.declarations()
    assert len(plain) == 29  # Russia's independence is a proxy
    assert not ((plain["republic"] == "RSFSR") & (plain["declaration"] == "independence")).any()
    proxy = d[d["reliability"] == "proxy"]
    assert list(proxy["republic"]) == ["RSFSR"] and "never" in proxy["note"].iloc[0]


def test_columns_and_types():
    d = history.declarations()
    for col in ("republic", "declaration", "date", "year", "source", "reliability"):
        assert col in d.columns
    assert set(d["declaration"]) == {"sovereignty", "independence"}
    assert d["year"].dtype == float
    assert (d["year"].between(1988, 1992)).all()


def test_sovereignty_came_before_independence_in_every_republic():
    d = history.declarations(proxies=True).pivot(index="republic", columns="declaration", values="year")
    assert (d["sovereignty"] < d["independence"]).all(), d


def test_union_level_timing_matches_the_issue():
    t = history.union_timing()
    assert t["first_sovereignty"].value == pytest.approx(history.decimal_year(dt.date(1988, 11, 16)))
    assert t["first_sovereign_republic"].value == "EST"
    assert t["first_independence"].value == pytest.approx(history.decimal_year(dt.date(1990, 3, 11)))
    assert t["first_independent_republic"].value == "LIT"
    assert t["all_sovereign"].value < 1991.0  # all fifteen by the end of 1990
    sov = history.declaration_years("sovereignty")
    assert len(sov) == 15 and sov.max() == pytest.approx(t["all_sovereign"].value)
    assert 1991.92 < t["dissolution"].value < 1992.0  # December 1991
    assert 1991.6 < t["august_coup"].value < 1991.7
    for v in t.values():
        assert v.source and v.reliability in history.RELIABILITY


def test_every_figure_has_a_source_and_a_reliability_and_doubts_are_explained():
    d = history.declarations(proxies=True)
    assert (d["source"].str.len() > 10).all()
    assert d["reliability"].isin(history.RELIABILITY).all()
    doubtful = d[d["reliability"] != "high"]
    assert len(doubtful) >= 5
    assert (doubtful["note"].str.len() > 20).all(), doubtful[["republic", "declaration", "note"]]
    # the differences the brief names are recorded
    geo = d[(d["republic"] == "GEO") & (d["declaration"] == "sovereignty")].iloc[0]
    assert "1989" in geo["note"]


def test_decimal_year():
    assert history.decimal_year(dt.date(1990, 1, 1)) == 1990.0
    assert history.decimal_year(dt.date(1988, 11, 16)) == pytest.approx(1988 + 320 / 366)
    assert history.decimal_year(dt.date(1991, 12, 31)) == pytest.approx(1991 + 364 / 365)


def test_eras_hold_the_qualitative_patterns_with_sources():
    e = history.eras()
    assert set(e) == {"late_stalinism_stable", "khrushchev_localism_rise", "khrushchev_localism_reversal",
                      "brezhnev_stable", "gorbachev_erosion_from_below"}
    assert e["khrushchev_localism_rise"].direction == "rise"
    assert e["khrushchev_localism_reversal"].direction == "fall"
    assert e["khrushchev_localism_rise"].start == pytest.approx(1957.5)
    for p in e.values():
        assert p.sources and all(len(s) > 20 for s in p.sources)
        assert p.start < p.end and p.finding


def test_output_decline_official_and_revised():
    o = history.output()
    assert {"official", "revised"} <= set(o["series"])
    official_1990 = o[(o["period"] == "1990") & (o["series"] == "official")]["change_percent"].iloc[0]
    revised_1991 = o[(o["period"] == "1991") & (o["series"] == "revised")]["change_percent"].iloc[0]
    assert official_1990 < 0 and revised_1991 < official_1990
    assert (o["source"].str.len() > 10).all()
    qualitative = o[o["kind"] == "qualitative"]
    assert qualitative["change_percent"].isna().all()
    assert np.isfinite(o[o["kind"] != "qualitative"]["change_percent"]).all()


def test_bad_kind_is_refused():
    with pytest.raises(history.HistoryError, match="sovereignty"):
        history.declaration_years("autonomy")
