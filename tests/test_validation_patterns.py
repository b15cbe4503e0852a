"""Pattern functions on hand-made tables: union timing, eras, output, declarations, nulls, scoring."""

import math

import numpy as np
import pandas as pd
import pytest

from soviet_cohesion import history
from soviet_cohesion.validation import nulls, patterns, scoring, statistics
from soviet_cohesion.validation.runs import RunOutput


def quarters(start, end):
    return np.round(np.arange(start, end + 1e-9, 0.25), 2)


def gorbachev_table(defect_at=1989.0, centre_at=1991.0, breakup_at=1991.25, n=10, **extra):
    """Indicators 1985-1992: most regions stop obeying at ``defect_at``, authority falls below one
    half at ``centre_at``, more than half of the n regions are autonomous from ``breakup_at``."""
    year = quarters(1985.0, 1992.0)
    compliance = np.where(year >= defect_at, 0.3, 0.95)
    authority = np.where(year >= centre_at, 0.4, 0.8)
    autonomous = np.where(year >= breakup_at, n // 2 + 1, 0)
    df = pd.DataFrame({"year": year, "compliance": compliance, "authority": authority,
                       "autonomous_regions": autonomous, "cohesion": (compliance + authority) / 2, **extra})
    df.index.name = "Step"
    return df


def run_of(table, scenario="gorbachev", declarations=None, n=10, codes=None):
    return RunOutput(scenario, 1, table, declarations, n_regions=n, republic_codes=codes or {})


def historical_declarations(shift=0.0, reverse=False, names=False):
    d = history.declarations()[["republic", "name", "declaration", "year"]].copy()
    if reverse:
        for kind in ("sovereignty", "independence"):
            rows = d["declaration"] == kind
            d.loc[rows, "year"] = d.loc[rows, "year"].to_numpy()[::-1]
    d["year"] = d["year"] + shift
    d["step"] = ((d["year"] - 1985.0) * 4).round().astype(int)
    if names:
        d["republic"] = d["name"]
    return d.drop(columns="name")


# ====================================================================== union level
def test_union_timing_statistics_on_a_hand_made_table():
    run = run_of(gorbachev_table(defect_at=1989.0, centre_at=1991.0, breakup_at=1991.25))
    assert statistics.get("localities_defect_year")(run) == 1989.0
    assert statistics.get("centre_authority_year")(run) == 1991.0
    assert statistics.get("breakup_year")(run) == 1991.25
    assert statistics.get("erosion_lead_years")(run) == pytest.approx(2.0)


def test_an_event_that_never_happens_is_inf_and_never_matches():
    run = run_of(gorbachev_table(breakup_at=2000.0, centre_at=2000.0))
    assert statistics.get("breakup_year")(run) == math.inf
    p = patterns.get("union_breakup")
    score = scoring.evaluate(p, [run, run])
    assert score.matches == [False, False]
    assert score.summary().startswith("never by the end of the run")
    assert score.verdict == "fails"
    # localities first and centre never: the lead is infinite, which is "localities first"
    assert statistics.get("erosion_lead_years")(run) == math.inf
    assert patterns.get("gorbachev_erosion_from_below").score(math.inf)[0]


def test_neither_event_leaves_the_lead_undefined():
    run = run_of(gorbachev_table(defect_at=2000.0, centre_at=2000.0))
    assert math.isnan(statistics.get("erosion_lead_years")(run))
    s = scoring.evaluate(patterns.get("gorbachev_erosion_from_below"), [run])
    assert s.matches == [False] and s.n_undefined == 1


def test_timing_pattern_matches_within_a_year_of_history():
    p = patterns.get("union_breakup")  # history: December 1991
    assert p.score(1991.25) == (True, 0.0)
    ok, gap = p.score(1990.5)
    assert not ok and gap == pytest.approx(history.union_timing()["dissolution"].value - 1.0 - 1990.5)


def test_dissolution_and_output_need_their_indicators():
    run = run_of(gorbachev_table())
    for name in ("dissolution", "output_decline_1990", "output_decline_1991"):
        s = scoring.evaluate(patterns.get(name), [run])
        assert not s.produced and s.verdict == "not produced"
        assert s.summary() == "not produced by this model version"
        assert "column" in s.not_produced


def test_dissolution_year_from_the_dissolved_indicator():
    t = gorbachev_table()
    t["dissolved"] = t["year"] >= 1991.75
    assert statistics.get("dissolution_year")(run_of(t)) == 1991.75
    assert patterns.get("dissolution").score(1991.75)[0]


def test_output_change_by_calendar_year():
    t = gorbachev_table()
    # the year column is the end of each period: calendar 1990 is the periods ending in (1990, 1991]
    t["output"] = np.select([t["year"] <= 1990, t["year"] <= 1991], [1.0, 0.98], 0.98 * 0.85)
    run = run_of(t)
    assert statistics.get("output_change_1990")(run) == pytest.approx(-2.0)
    assert statistics.get("output_change_1991")(run) == pytest.approx(-15.0)
    assert patterns.get("output_decline_1990").score(-2.0)[0]
    assert patterns.get("output_decline_1991").score(-15.0)[0]
    assert not patterns.get("output_decline_1991").score(-2.0)[0]


# ====================================================================== eras
def test_khrushchev_localism_rise_and_reversal():
    year = quarters(1953.0, 1970.0)
    during = (year > 1957.5) & (year <= 1965.75)
    t = pd.DataFrame({"year": year, "compliance": np.where(during, 0.7, 1.0), "cohesion": 0.9})
    run = run_of(t, scenario="khrushchev")
    assert statistics.get("khrushchev_localism_rise")(run) == pytest.approx(0.3)
    assert statistics.get("khrushchev_localism_reversal")(run) == pytest.approx(0.3)
    flat = run_of(t.assign(compliance=1.0), scenario="khrushchev")
    s = scoring.evaluate(patterns.get("khrushchev_localism_rise"), [run, flat, flat, flat])
    assert s.matches == [True, False, False, False] and s.verdict == "partly"


def test_era_stability_is_the_lowest_cohesion_in_the_era():
    year = quarters(1946.0, 1953.0)
    t = pd.DataFrame({"year": year, "compliance": 1.0, "cohesion": np.where(year == 1950.0, 0.65, 0.95)})
    run = run_of(t, scenario="stalin")
    assert statistics.get("stalin_min_cohesion")(run) == pytest.approx(0.65)
    assert not patterns.get("late_stalinism_stable").score(0.65)[0]
    assert patterns.get("late_stalinism_stable").score(0.95)[0]


# ====================================================================== declarations
def test_declarations_in_the_historical_order_match_every_declaration_pattern():
    run = run_of(gorbachev_table(), declarations=historical_declarations())
    assert statistics.get("first_sovereign_republic")(run) == "EST"
    assert statistics.get("first_independent_republic")(run) == "LIT"
    assert statistics.get("sovereignty_order_rho")(run) == pytest.approx(1.0)
    assert statistics.get("independence_order_rho")(run) == pytest.approx(1.0)
    t = history.union_timing()
    assert statistics.get("first_sovereignty_year")(run) == pytest.approx(t["first_sovereignty"].value)
    assert statistics.get("all_sovereign_year")(run) == pytest.approx(t["all_sovereign"].value)
    for p in patterns.PATTERNS:
        if p.statistic in ("first_sovereignty_year", "all_sovereign_year", "first_independence_year",
                           "first_sovereign_republic", "first_independent_republic",
                           "sovereignty_order_rho", "independence_order_rho"):
            assert scoring.evaluate(p, [run]).matches == [True], p.name


def test_reversed_order_fails_and_names_are_read_as_codes():
    codes = dict(zip(history.declarations()["name"], history.declarations()["republic"]))
    run = run_of(gorbachev_table(), declarations=historical_declarations(reverse=True, names=True), codes=codes)
    assert statistics.get("sovereignty_order_rho")(run) == pytest.approx(-1.0)
    assert statistics.get("first_sovereign_republic")(run) == "KIR"
    assert not patterns.get("sovereignty_order").score(-1.0)[0]


def test_a_republic_that_never_declares_ranks_last_and_blocks_all_sovereign():
    d = historical_declarations()
    d = d[~((d["republic"] == "KIR") & (d["declaration"] == "sovereignty"))]
    run = run_of(gorbachev_table(), declarations=d)
    assert statistics.get("all_sovereign_year")(run) == math.inf
    assert statistics.get("sovereignty_order_rho")(run) == pytest.approx(1.0)  # KIR was last anyway


def test_no_declarations_at_all():
    empty = pd.DataFrame(columns=["republic", "declaration", "year", "step"])
    run = run_of(gorbachev_table(), declarations=empty)
    assert statistics.get("first_sovereignty_year")(run) == math.inf
    assert statistics.get("first_sovereign_republic")(run) == ""
    assert math.isnan(statistics.get("sovereignty_order_rho")(run))


def test_declaration_patterns_are_not_produced_without_declarations():
    run = run_of(gorbachev_table(), declarations=None)
    for name in ("first_sovereignty", "all_sovereign", "first_independence", "first_sovereign_republic",
                 "sovereignty_order", "independence_order"):
        s = scoring.evaluate(patterns.get(name), [run])
        assert s.verdict == "not produced" and "declarations()" in s.not_produced


# ====================================================================== scoring and nulls
def test_scores_give_median_interval_and_share_matching():
    p = patterns.get("union_breakup")
    runs = [run_of(gorbachev_table(breakup_at=y)) for y in (1990.0, 1991.0, 1991.5, 1991.75, 2000.0)]
    s = scoring.evaluate(p, runs)
    lo, mid, hi = s.quantiles()
    assert mid == 1991.5 and lo == 1990.0 and hi == math.inf
    assert s.share_matching == pytest.approx(3 / 5) and s.verdict == "partly"
    assert s.n_never == 1 and "never in 1/5" in s.summary()


def test_evaluate_refuses_runs_of_another_scenario():
    with pytest.raises(ValueError, match="gorbachev"):
        scoring.evaluate(patterns.get("union_breakup"), [run_of(gorbachev_table(), scenario="stalin")])


def test_categorical_scores_report_the_commonest_value():
    p = patterns.get("first_sovereign_republic")
    runs = [run_of(gorbachev_table(), declarations=historical_declarations()) for _ in range(3)]
    runs.append(run_of(gorbachev_table(), declarations=historical_declarations(reverse=True)))
    s = scoring.evaluate(p, runs)
    assert s.mode == ("EST", 0.75) and s.verdict == "reproduced"
    assert s.summary() == "EST (75% of seeds)"


def test_static_ranking_orders_republics_by_identity_against_dependence():
    r = nulls.static_ranking()
    assert list(r.index[:1]) == ["LIT"] and set(r.index) == set(history.REPUBLIC_CODES)
    assert r["score"].is_monotonic_decreasing
    # the most transfer-dependent republics come last
    assert set(r.index[-3:]) == {"KAZ", "KIR", "TAJ"}
    for kind in history.DECLARATIONS:
        rho = nulls.static_order_rho(kind)
        assert -1 <= rho <= 1


def test_static_null_speaks_only_to_the_republics():
    for p in patterns.PATTERNS:
        s = scoring.evaluate_static(p)
        if p.level == "republic":
            assert s.produced and s.n == 1
        else:
            assert s.verdict == "n/a"


def test_spearman_handles_ties_and_never():
    assert statistics.spearman([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert statistics.spearman([1, math.inf, 2], [1, 3, 2]) == pytest.approx(1.0)
    assert statistics.spearman([1, 1, 2], [1, 2, 3]) == pytest.approx(np.sqrt(3) / 2)
    assert math.isnan(statistics.spearman([1, 1, 1], [1, 2, 3]))


def test_critical_rho_is_the_one_sided_five_percent_value():
    assert 0.42 < statistics.rho_critical_value(15) < 0.47  # tables: 0.446
    assert statistics.rho_critical_value(10) > statistics.rho_critical_value(15)


def test_every_pattern_has_history_a_source_and_a_known_statistic():
    names = [p.name for p in patterns.PATTERNS]
    assert len(names) == len(set(names))
    for p in patterns.PATTERNS:
        assert p.level in statistics.LEVELS
        assert p.historical.source and p.historical.text
        assert p.statistic in statistics.STATISTICS
    with pytest.raises(KeyError, match="union_breakup"):
        patterns.get("bogus")


def test_failures_name_biases_inside_the_tolerance_and_misses():
    from soviet_cohesion.validation.validate import ValidationResult, failures

    early = [run_of(gorbachev_table(breakup_at=1991.0)) for _ in range(4)]
    never = [run_of(gorbachev_table(breakup_at=2000.0)) for _ in range(4)]
    p = patterns.get("union_breakup")
    rows = [{"pattern": p, "model": scoring.evaluate(p, early), "null": scoring.evaluate(p, never),
             "static": scoring.evaluate_static(p)}]
    text = failures(ValidationResult([1, 2, 3, 4], [p], rows))
    assert len(text) == 1 and "biased" in text[0] and "1.0 years before" in text[0]
    rows[0]["model"] = scoring.evaluate(p, never)
    text = failures(ValidationResult([1, 2, 3, 4], [p], rows))
    assert "fails" in text[0] and "does not happen by the end of the run" in text[0]
