"""The vectorised model against the per-agent reference (tests/reference_model.py).

* Same random numbers in the same order (``draws="bulk"``): the indicator tables match step by
  step to a relative 1e-9 (counts exactly), the declarations are the same (republics, kinds,
  steps), and, stepping both side by side, so does every agent's state: against a single
  ``CohesionModel`` run and against every row of an ensemble batch.
* Each agent drawing its own numbers (``draws="per_agent"``): different trajectories, the same
  distributions of outcomes over many seeds (slow).

Correctness only: speed lives in ``soviet-cohesion bench`` (docs/performance.md).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from reference_model import DECISION_TERMS, ReferenceLeadership, ReferenceModel, ReferenceOfficial
from scipy import stats

from soviet_cohesion import INDICATORS, REGION_FIELDS, CohesionModel, archetypes
from soviet_cohesion.agents import Allegiance
from soviet_cohesion.ensemble import Ensemble
from soviet_cohesion.mechanisms.audits import MATERIAL_PADDING

RTOL, ATOL = 1e-9, 1e-12
COUNTS = ("sovereign_republics", "independent_republics", "autonomous_regions", "managing_regions", "acting_alone",
          "audits", "detected", "replaced", "force_used", "dissolved", "treaty")

# scenario, seed, keyword arguments
CASES = {
    "gorbachev-s1": ("gorbachev", 1, {}),
    "gorbachev-s2-loops-off": ("gorbachev", 2, dict(loop_fiscal=False, loop_contagion=False, loop_enforcement=False,
                                                    loop_information=False)),
    "gorbachev-s3-other-loops-off": ("gorbachev", 3, dict(loop_legitimacy=False, loop_responsibility=False,
                                                          loop_supply_chain=False, loop_tide=False,
                                                          loop_coercion=False, loop_entrenchment=False)),
    "gorbachev-s4-pinned-levers": ("gorbachev", 4, dict(appeasement=0.4, audit_targeting=0.9, openness=0.6,
                                                        collect_every=3)),
    "shared-responsibility-s5": ("gorbachev-shared-responsibility", 5, {}),
    "khrushchev-s6": ("khrushchev", 6, {}),
    "stalin-s7": ("stalin", 7, {}),
    "brezhnev-s8": ("brezhnev", 8, {}),
    "arc-s9": ("ussr-1953-1991", 9, {}),
    "arc-s10-no-shocks-no-turnover": ("ussr-1953-1991", 10, dict(shock_sd=0.0, cadre_turnover=0.0)),
    "gorbachev-grid-s11": ("gorbachev", 11, dict(world="synthetic", n_regions=120, topology="grid")),
    "khrushchev-network-s12": ("khrushchev", 12, dict(world="synthetic", n_regions=90, topology="network")),
    "gorbachev-complete-s13": ("gorbachev", 13, dict(world="synthetic", n_regions=80, topology="complete")),
}


@functools.lru_cache(maxsize=None)
def _pair(case: str) -> tuple[CohesionModel, ReferenceModel]:
    scenario, seed, kwargs = CASES[case]
    kwargs = {"collect_regions": False, **kwargs}
    model = CohesionModel(scenario, rng=seed, **kwargs)
    model.run_model()
    reference = ReferenceModel(scenario, rng=seed, **kwargs)
    reference.run_model()
    return model, reference


def assert_same_indicators(ours: pd.DataFrame, theirs: pd.DataFrame, what: str = "") -> None:
    """Same recorded steps; every indicator equal to a relative RTOL (counts and flags exactly)."""
    assert list(ours.index) == list(theirs.index), f"{what}: the two models recorded different steps"
    first = None
    for column in INDICATORS:
        x, y = ours[column].to_numpy(dtype=float), theirs[column].to_numpy(dtype=float)
        same = (x == y) if column in COUNTS else np.isclose(x, y, rtol=RTOL, atol=ATOL)
        bad = np.flatnonzero(~same)
        if bad.size and (first is None or bad[0] < first[0]):
            first = (bad[0], column, x[bad[0]], y[bad[0]])
    if first is not None:
        row, column, x, y = first
        raise AssertionError(f"{what}: {column} differs first at step {ours.index[row]} "
                             f"(year {ours['year'].iloc[row]:g}): vectorised {x!r}, reference {y!r}")


def assert_same_declarations(ours: pd.DataFrame, theirs: pd.DataFrame, what: str = "") -> None:
    order = ["step", "declaration", "republic"]
    columns = ["republic", "declaration", "step", "year"]
    a = ours.sort_values(order)[columns].reset_index(drop=True)
    b = theirs.sort_values(order)[columns].reset_index(drop=True)
    a["step"], b["step"] = a["step"].astype(np.int64), b["step"].astype(np.int64)
    pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=f"{what}: declarations")


# ------------------------------------------------------------------ one run against one run
@pytest.mark.parametrize("case", list(CASES))
def test_same_random_numbers_give_the_same_trajectory(case):
    model, reference = _pair(case)
    assert_same_indicators(model.indicators(), reference.indicators(), case)
    assert_same_declarations(model.declarations(), reference.declarations(), case)


def test_the_exact_cases_exercise_every_rule():
    """The cases above are worth something only if the rules they compare actually fire."""
    tables = {case: _pair(case)[1].indicators() for case in CASES}
    every = pd.concat(tables.values())
    assert every["replaced"].sum() > 0 and every["detected"].sum() > every["replaced"].sum()
    assert every["managing_regions"].max() > 0 and every["autonomous_regions"].max() > 0
    assert every["acting_alone"].max() > 0, "no official acted alone"
    assert every["force_used"].sum() > 0 and every["treaty"].any()
    assert every["independent_republics"].max() > 0 and every["dissolved"].any()
    assert every["misreporting"].max() > 0, "no padding"
    assert any((t["mean_tenure"].diff() < 0).any() for t in tables.values()), "no successor was appointed"
    # one official per region, successors are new Mesa agents
    reference = _pair("arc-s9")[1]
    n = reference.world.n
    assert len(reference.agents_by_type[ReferenceOfficial]) == n == len({o.unique_id for o in reference.officials})
    assert max(o.unique_id for o in reference.officials) > n + reference.world.n_republics
    assert len(reference.agents_by_type[ReferenceLeadership]) == reference.world.n_republics


# ------------------------------------------------------------------ side by side, agent by agent
REGION_STATE = ("shortfall", "unrest", "output", "reported", "received", "supplies", "dependence", "stock", "target",
                "plan", "delivered", "sent", "padding_claim", "plan_gap")
OFFICIAL_STATE = ("tenure", "network", "fear", *archetypes.TRAITS, *DECISION_TERMS)
REPUBLIC_STATE = ("mobilisation", "memory_revealed", "grievance", "sovereignty_value", "independence_value",
                  "threshold", "caution")
CENTRE_STATE = ("authority", "reserve_stock", "picture_gap", "disillusion", "revealed", "suspicion",
                "audit_intensity", "appeasement_eff", "withheld", "declared_share")


def _first_difference(step, what, ours, theirs, names=None, exact=False):
    x, y = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    same = (x == y) if exact else np.isclose(x, y, rtol=RTOL, atol=ATOL)
    if same.all():
        return None
    i = int(np.flatnonzero(~same)[0]) if x.ndim else 0
    where = f" of {names[i]}" if names is not None and x.ndim else ""
    return f"step {step}: {what}{where} differs: vectorised {x.flat[i]!r}, reference {y.flat[i]!r}"


def _compare_agents(model: CohesionModel, reference: ReferenceModel) -> list[str]:
    sim, step, names = model.sim, model.sim.steps, reference.world.names
    rep_names = reference.world.republic_names
    officials, regions, leaders = reference.officials, reference.regions, reference.leaderships
    checks = [
        ("stance", sim.stance[0], [int(o.stance) for o in officials], names, True),
        ("allegiance", sim.allegiance[0], [int(o.allegiance) for o in officials], names, True),
        ("official type", [sim.official_types[t].name == o.official_type for t, o in zip(sim.type_index[0], officials)],
         [True] * len(officials), names, True),
        ("status", sim.status[0], [int(r.status) for r in leaders], rep_names, True),
        ("force", sim.force[0], [r.force for r in leaders], rep_names, True),
        ("backfired", sim.backfired[0], [r.backfired for r in leaders], rep_names, True),
        ("treaty", sim.treaty[0], reference.treaty, None, True),
        ("dissolved", sim.dissolved[0], reference.dissolved, None, True),
    ]
    checks += [(f, getattr(sim, f)[0], [getattr(r, f) for r in regions], names, False) for f in REGION_STATE]
    checks += [(f, getattr(sim, f)[0], [getattr(o, f) for o in officials], names, False) for f in OFFICIAL_STATE]
    checks += [(f, getattr(sim, f)[0], [getattr(r, f) for r in leaders], rep_names, False) for f in REPUBLIC_STATE]
    checks += [(f, getattr(sim, f)[0], getattr(reference, f), None, False) for f in CENTRE_STATE]
    return [m for what, ours, theirs, labels, exact in checks
            if (m := _first_difference(step, what, ours, theirs, labels, exact))]


def _side_by_side(scenario, seed, **kwargs):
    """Step both models together, compare every agent after every step; return what happened."""
    model = CohesionModel(scenario, rng=seed, collect_regions=False, **kwargs)
    reference = ReferenceModel(scenario, rng=seed, collect_regions=False, **kwargs)
    seen = {"follows republic": False, "acts alone": False, "backfired": False, "padding found": False,
            "departures": False}
    assert not _compare_agents(model, reference), _compare_agents(model, reference)[0]
    while model.running:
        model.step()
        reference.step()
        differences = _compare_agents(model, reference)
        assert not differences, differences[0]
        sim = model.sim
        seen["follows republic"] |= bool((sim.allegiance[0] == Allegiance.REPUBLIC).any())
        seen["acts alone"] |= bool((sim.allegiance[0] == Allegiance.REGION).any())
        seen["backfired"] |= bool(sim.backfired[0].any())
        seen["padding found"] |= bool((sim.found[0] & (sim.padding_claim[0] > MATERIAL_PADDING * sim.target[0])).any())
        seen["departures"] |= bool(((sim.appointed_step[0] == sim.steps) & ~sim.dismissed[0]).any())
    assert reference.running is False and reference.steps == model.steps
    return seen


def test_every_agent_agrees_at_every_step_of_the_whole_arc():
    seen = _side_by_side("ussr-1953-1991", 21)
    missing = [what for what, happened in seen.items() if not happened]
    assert not missing, f"the whole arc (seed 21) did not exercise: {', '.join(missing)}"


def test_every_agent_agrees_at_every_step_on_a_small_world_network():
    _side_by_side("gorbachev", 22, world="synthetic", n_regions=60, topology="network", appeasement=0.3)


def test_the_region_records_agree():
    """Per-region records: stance and allegiance exactly, the decision terms to the records'
    16-bit precision."""
    kwargs = dict(world="synthetic", n_regions=50, collect_every=2)
    model = CohesionModel("gorbachev", rng=23, **kwargs)
    model.run_model()
    reference = ReferenceModel("gorbachev", rng=23, **kwargs)
    reference.run_model()
    a, b = model.region_records(), reference.region_records()
    assert len(a) == len(b) > 0
    for column in ("Step", "region", "republic", "stance", "allegiance"):
        assert (a[column].astype(str).to_numpy() == b[column].astype(str).to_numpy()).all(), column
    for field in REGION_FIELDS:
        np.testing.assert_allclose(a[field].to_numpy(dtype=float), b[field].to_numpy(dtype=float),
                                   rtol=1e-3, atol=1e-4, err_msg=field)


# ------------------------------------------------------------------ rows of an ensemble
def _assert_rows_match_the_reference(ensemble: Ensemble, world_kwargs: dict) -> int:
    compared = 0
    for runs, sim in ensemble.batches():
        for row, run in enumerate(runs):
            reference = ReferenceModel(ensemble.timelines[run], rng=ensemble.seeds[run], collect_regions=False,
                                       **world_kwargs, **{k: v for k, v in ensemble.overrides[run].items()
                                                          if k != "collect_regions"})
            reference.run_model()
            what = f"ensemble run {run} (seed {ensemble.seeds[run]}, {ensemble.overrides[run]})"
            assert_same_indicators(sim.indicators(row), reference.indicators(), what)
            assert_same_declarations(sim.declarations(row), reference.declarations(), what)
            compared += 1
    return compared


def test_each_row_of_an_ensemble_equals_the_reference_on_its_seed():
    """Eight runs in one batch, each with its own levers: responsibility moved or not, shocks
    on or off (which changes what a run draws), turnover off in one, the centre's reactions off
    in another, different audit targeting, and levers held (pinned) in some runs only."""
    ensemble = Ensemble(
        "gorbachev", seeds=range(8), keep="series", batch=8,
        responsibility_shared=[0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 0.3],
        shock_sd=[0.05, 0.0, 0.1, 0.05, 0.0, 0.2, 0.05, 0.05],
        cadre_turnover=[0.1, 0.2, 0.0, 0.1, 0.3, 0.1, 0.1, 0.1],
        loop_coercion=[True, True, True, False, True, True, True, True],
        audit_targeting=[0.4, 0.0, 0.8, 0.4, 0.5, 0.6, 0.4, 0.2],
        per_run=[{}, {"openness": 0.3}, {}, {"republic_accountability": 0.0}, {}, {}, {"plan_pressure": 1.2}, {}],
    )
    assert _assert_rows_match_the_reference(ensemble, {}) == 8


def test_ensemble_rows_across_batches_and_scenarios_equal_the_reference():
    """Two scenarios that share a span, in batches of four, with seeds out of order."""
    seeds = [31, 7, 90, 2, 55, 13]
    ensemble = Ensemble(["gorbachev", "gorbachev-shared-responsibility"] * 3, seeds=seeds, keep="series", batch=4,
                        world="synthetic", n_regions=70, topology="network",
                        responsibility_shared=[0.0, 0.5, 0.9, 0.0, 0.3, 0.7], appeasement=[0.0, 0.3] * 3)
    assert _assert_rows_match_the_reference(ensemble, {"world": "synthetic"}) == len(seeds)


# ------------------------------------------------------------------ councils on a complete graph
def test_councils_on_a_complete_graph():
    model = CohesionModel("khrushchev", rng=14, world="synthetic", n_regions=60, topology="complete",
                          collect_regions=False)
    model.run_model()
    reference = ReferenceModel("khrushchev", rng=14, world="synthetic", n_regions=60, topology="complete",
                               collect_regions=False)
    reference.run_model()
    assert_same_indicators(model.indicators(), reference.indicators(), "khrushchev on a complete graph")


# ------------------------------------------------------------------ each agent drawing its own numbers
def test_per_agent_draws_share_the_world_but_not_the_trajectory():
    bulk = ReferenceModel("gorbachev", rng=3, steps=16, collect_regions=False)
    own = ReferenceModel("gorbachev", rng=3, steps=16, collect_regions=False, draws="per_agent")
    assert [r.capacity for r in bulk.regions] == [r.capacity for r in own.regions]
    assert [o.loyalty for o in bulk.officials] == [o.loyalty for o in own.officials]
    assert [o.tenure for o in bulk.officials] != [o.tenure for o in own.officials]
    bulk.run_model()
    own.run_model()
    assert not np.allclose(bulk.indicators()["authority"], own.indicators()["authority"], rtol=RTOL, atol=ATOL)
    with pytest.raises(ValueError, match="draws="):
        ReferenceModel("gorbachev", rng=3, draws="each")


def _outcomes(model, years: tuple[float, ...]) -> dict[str, float]:
    """Cohesion, authority and non-obedience, and whether the union has dissolved, at
    ``years``; the year of the first declaration of sovereignty (the scenario's end if none)."""
    table, declarations = model.indicators(), model.declarations()
    out = {}
    for year in years:
        row = table[np.isclose(table["year"], year)].iloc[0]
        for name in ("cohesion", "authority", "non_obedience", "dissolved"):
            out[f"{name} {year:g}"] = float(row[name])
    sovereignty = declarations[declarations["declaration"] == "sovereignty"]
    out["first sovereignty"] = float(sovereignty["year"].min()) if len(sovereignty) else float(model.timeline.end)
    return out


def _compare_over_seeds(scenario, seeds, years, **kwargs):
    ours, theirs = [], []
    for seed in seeds:
        model = CohesionModel(scenario, rng=seed, collect_regions=False, **kwargs)
        model.run_model()
        reference = ReferenceModel(scenario, rng=seed, collect_regions=False, draws="per_agent", **kwargs)
        reference.run_model()
        ours.append(_outcomes(model, years))
        theirs.append(_outcomes(reference, years))
    ours, theirs = pd.DataFrame(ours), pd.DataFrame(theirs)
    assert not ours.equals(theirs), "per-agent draws should give different trajectories"
    n = len(seeds)
    for what in ours.columns:
        x, y = ours[what].to_numpy(), theirs[what].to_numpy()
        if what.startswith("dissolved"):
            share = (x.mean() + y.mean()) / 2
            bound = 4 * np.sqrt(2 * share * (1 - share) / n) + 1 / n
            assert abs(x.mean() - y.mean()) <= bound, f"{what}: shares {x.mean():.2f} vs {y.mean():.2f}"
            continue
        p = stats.ks_2samp(x, y, method="asymp").pvalue
        assert p > 0.01, f"{what}: distributions differ (KS p = {p:.4f}; means {x.mean():.4f} vs {y.mean():.4f})"
        spread = np.sqrt((x.var(ddof=1) + y.var(ddof=1)) / n)
        assert abs(x.mean() - y.mean()) <= 4 * spread + 1e-9, f"{what}: means {x.mean():.4f} vs {y.mean():.4f}"


@pytest.mark.slow
def test_same_distributions_over_40_seeds_of_gorbachev():
    _compare_over_seeds("gorbachev", range(40), years=(1989.0, 1991.0))


@pytest.mark.slow
def test_same_distributions_over_30_seeds_of_the_whole_arc():
    _compare_over_seeds("ussr-1953-1991", range(30), years=(1963.0, 1985.0, 1991.0))


@pytest.mark.slow
def test_same_distributions_over_30_seeds_on_a_synthetic_grid():
    _compare_over_seeds("gorbachev", range(30), years=(1989.0, 1991.0), world="synthetic", n_regions=100)


# ------------------------------------------------------------------ the benchmark runs
def test_the_benchmark_finds_the_reference():
    from soviet_cohesion import bench

    assert bench.load_reference() is ReferenceModel
