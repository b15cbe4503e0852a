"""The vectorised model against the per-agent reference (tests/reference_model.py).

* Same random numbers in the same order (``draws="bulk"``): the indicator tables, and the
  per-region records, match step by step to floating-point tolerance.
* Each official drawing its own numbers (``draws="per_agent"``): different trajectories, the
  same distributions of outcomes over many seeds (final cohesion; the year cohesion first
  falls below one half).

Correctness only: speed lives in ``soviet-cohesion bench`` (docs/performance.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from reference_model import ReferenceModel, ReferenceOfficial
from scipy import stats

from soviet_cohesion import INDICATORS, REGION_FIELDS, CohesionModel
from soviet_cohesion.world import data_path

COUNTS = ["autonomous_regions", "managing_regions", "audits", "detected", "replaced"]

# scenario, seed, keyword arguments (small worlds: the whole module runs in a few seconds)
CASES = [
    pytest.param("ussr-1953-1991", 1, dict(world="synthetic", n_regions=120), id="arc-grid-s1"),
    pytest.param("ussr-1953-1991", 4, dict(world="synthetic", n_regions=90, topology="network"), id="arc-network-s4"),
    pytest.param("stalin", 2, dict(world="synthetic", n_regions=80), id="stalin-purges-s2"),
    pytest.param("gorbachev", 3, dict(world="synthetic", n_regions=100, topology="complete", appeasement=0.4),
                 id="gorbachev-complete-appeasement-s3"),
    pytest.param("gorbachev-shared-responsibility", 5, dict(world="synthetic", n_regions=64, collect_every=3),
                 id="shared-responsibility-every3-s5"),
    pytest.param("khrushchev", 6, dict(world="synthetic", n_regions=70, loop_fiscal=False, loop_contagion=False,
                                       loop_enforcement=False), id="khrushchev-loops-off-s6"),
    pytest.param("brezhnev", 7, dict(world="synthetic", n_regions=60, loop_legitimacy=False,
                                     loop_responsibility=False, openness=0.6, steps=30), id="brezhnev-pinned-s7"),
]


def _pair(scenario, seed, kwargs, draws="bulk"):
    vectorised = CohesionModel(scenario, rng=seed, **kwargs)
    vectorised.run_model()
    reference = ReferenceModel(scenario, rng=seed, draws=draws, **kwargs)
    reference.run_model()
    return vectorised, reference


def _assert_same_indicators(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.index) == list(b.index), "the two models recorded different steps"
    for column in INDICATORS:
        x, y = a[column].to_numpy(dtype=float), b[column].to_numpy(dtype=float)
        if column in COUNTS:
            bad = np.flatnonzero(x != y)
        else:
            bad = np.flatnonzero(~np.isclose(x, y, rtol=1e-9, atol=1e-12))
        assert not bad.size, (f"{column} differs first at step {a.index[bad[0]]}: "
                              f"vectorised {x[bad[0]]!r}, reference {y[bad[0]]!r}")


@pytest.mark.parametrize("scenario, seed, kwargs", CASES)
def test_same_random_numbers_give_the_same_trajectory(scenario, seed, kwargs):
    vectorised, reference = _pair(scenario, seed, kwargs)
    _assert_same_indicators(vectorised.indicators(), reference.indicators())

    a = vectorised.region_records()
    b = reference.region_records()
    assert len(a) == len(b)
    assert (a["Step"].to_numpy() == b["Step"].to_numpy()).all()
    assert (a["region"].astype(str).to_numpy() == b["region"].astype(str).to_numpy()).all()
    assert (a["stance"].astype(str).to_numpy() == b["stance"].astype(str).to_numpy()).all()
    for field in REGION_FIELDS:
        np.testing.assert_allclose(a[field].to_numpy(dtype=float), b[field].to_numpy(dtype=float),
                                   rtol=1e-9, atol=1e-12, err_msg=field)


def test_the_exact_cases_exercise_replacements_and_every_stance():
    vectorised, reference = _pair("ussr-1953-1991", 1, dict(world="synthetic", n_regions=120, collect_regions=False))
    table = reference.indicators()
    assert table["replaced"].sum() > 0, "no official was replaced: the case does not test successors"
    assert table["managing_regions"].max() > 0 and table["autonomous_regions"].max() > 0
    # successors are new Mesa agents; there is still one official per region
    assert len(reference.agents_by_type[ReferenceOfficial]) == reference.world.n
    assert len({o.unique_id for o in reference.officials}) == reference.world.n
    assert max(o.unique_id for o in reference.officials) > reference.world.n


@pytest.mark.skipif(not (data_path("ussr_regions.csv").is_file() and data_path("ussr_republics.csv").is_file()),
                    reason="the USSR data files are not there yet")
def test_same_trajectory_on_the_ussr_world():
    vectorised, reference = _pair("gorbachev", 11, dict(collect_regions=False))
    assert vectorised.world_kind == "ussr"
    _assert_same_indicators(vectorised.indicators(), reference.indicators())


# ------------------------------------------------------------------ distributions over seeds
def _outcomes(model) -> tuple[float, float]:
    """Final cohesion, and the year cohesion first falls below 1/2 (the end year if never)."""
    table = model.indicators()
    cohesion, years = table["cohesion"].to_numpy(), table["year"].to_numpy()
    below = np.flatnonzero(cohesion < 0.5)
    return float(cohesion[-1]), float(years[below[0]]) if below.size else float(model.timeline.end)


def _compare_over_seeds(scenario, seeds, kwargs):
    ours, theirs = [], []
    for seed in seeds:
        vectorised, reference = _pair(scenario, seed, {**kwargs, "collect_regions": False}, draws="per_agent")
        ours.append(_outcomes(vectorised))
        theirs.append(_outcomes(reference))
    ours, theirs = np.array(ours), np.array(theirs)
    assert not np.array_equal(ours, theirs), "per-agent draws should give different trajectories"
    for k, what in enumerate(("final cohesion", "year cohesion falls below 1/2")):
        x, y = ours[:, k], theirs[:, k]
        p = stats.ks_2samp(x, y, method="asymp").pvalue
        assert p > 0.01, f"{what}: distributions differ (KS p = {p:.4f}; means {x.mean():.4f} vs {y.mean():.4f})"
        spread = np.sqrt((x.var(ddof=1) + y.var(ddof=1)) / len(seeds)) + 1e-9
        assert abs(x.mean() - y.mean()) < 4 * spread, f"{what}: means {x.mean():.4f} vs {y.mean():.4f}"
        for q in (0.25, 0.5, 0.75):
            scale = max(np.subtract(*np.quantile(np.r_[x, y], [0.9, 0.1])), 1e-3)
            assert abs(np.quantile(x, q) - np.quantile(y, q)) < 0.5 * scale, f"{what}: quantile {q}"


def test_same_distributions_over_30_seeds_when_officials_draw_their_own_numbers():
    _compare_over_seeds("gorbachev", range(30), dict(world="synthetic", n_regions=80))


@pytest.mark.slow
def test_same_distributions_over_40_seeds_of_the_whole_arc():
    _compare_over_seeds("ussr-1953-1991", range(40), dict(world="synthetic", n_regions=150))
    _compare_over_seeds("stalin", range(40), dict(world="synthetic", n_regions=100, topology="network"))


# ------------------------------------------------------------------ the benchmark runs
def test_the_benchmark_runs_quickly_and_saves_its_figures(tmp_path, capsys):
    from soviet_cohesion import bench

    path = tmp_path / "bench.json"
    assert bench.main(["--quick", "--sizes", "60,300", "--sweep-runs", "4", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Region-steps per second" in out and "parallel efficiency" in out
    import json

    figures = json.loads(path.read_text())
    assert figures["reference_available"]
    rows = figures["throughput"]["rows"]
    assert [r["regions"] for r in rows] == [60, 300]
    assert all(r["vectorised_region_steps_per_s"] > 0 and r["ratio"] > 0 for r in rows)
    assert figures["full_run"]["total_s"] > 0
    assert set(figures["sweep"]["runs_per_s"]) == {"1", "2"}
    assert figures["memory"]["bytes_per_region_step"] > 0
