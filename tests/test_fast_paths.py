"""The faster paths of the step compute exactly what the plain ones do.

* Successors drawn for many runs at once (``audits.Cadres``) are the officials
  ``archetypes.draw_officials`` draws for each run alone, bit for bit.
* The sparse products (``world.rows_times``) equal scipy's ``matrix @ x.T``, bit for bit.
* Run i of an ensemble equals the same run alone, bit for bit (indicators, declarations,
  region records), over scenarios with replacements, events and per-run overrides.
* The DataCollector's tables, built on demand, hold what Mesa's collected step by step.
* The event log counts stance changes the same way for a few changes and for many.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from soviet_cohesion import CohesionModel, archetypes, ensemble, world
from soviet_cohesion.mechanisms.audits import Cadres

TYPES_WITH_EDGE_CASES = """
[[type]]
name = "fixed"
weight = 0.0
identity_affinity = 1.9
risk_aversion = { mean = 0.5, sd = 0.0 }
loyalty = { mean = 0.3, sd = 0.0 }
local_weight = { mean = 0.4, sd = 0.0 }
peer_threshold = { mean = 0.6, sd = 0.0 }
autonomy_threshold = { mean = 0.7, sd = 0.0 }

[[type]]
name = "spread"
weight = 1.0
identity_affinity = -1.9
risk_aversion = { mean = 0.5, sd = 0.3 }
loyalty = { mean = 0.2, sd = 0.1 }
local_weight = { mean = 0.9, sd = 0.05 }
peer_threshold = { mean = 0.1, sd = 0.2 }
autonomy_threshold = { mean = 0.5, sd = 0.25 }
"""


@pytest.mark.parametrize("types", ["shipped", "edge cases"])
def test_successors_for_many_runs_are_what_draw_officials_gives_each_run(types, tmp_path):
    if types == "shipped":
        official_types = archetypes.load_official_types()
    else:
        path = tmp_path / "officials.toml"
        path.write_text(TYPES_WITH_EDGE_CASES, encoding="utf-8")
        official_types = archetypes.load_official_types(path)
    identity = np.random.default_rng(0).random(40)
    identity[:5] = [0.0, 1.0, 0.5, 0.02, 0.98]
    cadres = Cadres(official_types, identity)
    replace = np.random.default_rng(1).random((6, 40)) < 0.2
    replace[2] = False  # a run with no successor
    replace[4] = True  # a run replacing everyone
    runs, regions = np.nonzero(replace)
    type_index, traits = cadres.draw(runs, regions, [np.random.default_rng(100 + r) for r in range(6)])
    for run in range(6):
        own = runs == run
        if not own.any():
            continue
        expected_types, expected_traits = archetypes.draw_officials(official_types, identity[regions[own]],
                                                                    np.random.default_rng(100 + run))
        assert np.array_equal(type_index[own], expected_types)
        for t, trait in enumerate(archetypes.TRAITS):
            assert np.array_equal(traits[t, own], expected_traits[trait]), (run, trait)


@pytest.mark.parametrize("runs", [1, 7])
def test_sparse_products_equal_scipys(runs):
    w = world.ussr()
    x = np.random.default_rng(runs).random((runs, w.n))
    for matrix in (w.neighbour_links().matrix, *(links.matrix for pair in w.supply_links() for links in pair),
                   w.republic_matrix().T.tocsr(), sparse.csr_matrix((w.n, w.n))):
        expected = np.ascontiguousarray((matrix @ x.T).T)
        assert np.array_equal(world.rows_times(matrix, x), expected)
    flags = x > 0.5
    matrix = w.neighbour_links().matrix
    assert np.array_equal(world.rows_times(matrix, flags), (matrix @ flags.astype(float).T).T)


CASES = [
    ("ussr-1953-1991", {"cadre_turnover": [0.0, 0.05, 0.2, 0.1, 0.3], "shock_sd": [0.0, 0.1, 0.05, 0.2, 0.0]}),
    ("gorbachev", {"punishment_severity": [0.0, 0.5, 1.0, 0.8, 0.2], "scarcity": [0.0, 0.1, 0.2, 0.05, 0.25],
                   "appeasement": [0.0, 0.4, 0.0, 0.2, 0.6]}),
    ("khrushchev", {"world": "synthetic", "n_regions": 60, "topology": "network",
                    "audit_targeting": [0.0, 1.0, 0.5, 0.9, 0.2]}),
]


@pytest.mark.parametrize("scenario, overrides", CASES, ids=[c[0] for c in CASES])
def test_each_run_of_an_ensemble_equals_the_same_run_alone(scenario, overrides):
    overrides = dict(overrides)
    world_kind = overrides.pop("world", None)
    seeds = [3, 11, 5, 8, 13]
    tables = ensemble.Ensemble(scenario, seeds, world=world_kind, keep="regions", batch=2, **overrides).tables()
    for run, seed in enumerate(seeds):
        own = {k: (v[run] if isinstance(v, list) else v) for k, v in overrides.items()}
        alone = CohesionModel(scenario, rng=seed, world=world_kind, **own)
        alone.run_model()
        mine = tables["regions"][tables["regions"]["run"] == run].drop(columns=["run", "seed"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone.region_records(), check_exact=True)
        declared = tables["declarations"]
        declared = declared[declared["run"] == run].drop(columns=["run", "seed"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(declared, alone.declarations(), check_exact=True, check_dtype=False)
        series = tables["series"]
        rows = series[series["run"] == run].drop(columns=["run", "seed"]).set_index("Step")
        pd.testing.assert_frame_equal(rows, alone.indicators(), check_exact=True)


def test_the_datacollector_tables_hold_every_collected_step():
    model = CohesionModel("gorbachev", rng=2, steps=6, collect_every=2)
    seen = {0: (model.stance.copy(), model.tenure.copy(), model.sim.risk_of_obeying[0].copy())}
    while model.running:
        model.step()
        if model.steps % 2 == 0:
            seen[model.steps] = (model.stance.copy(), model.tenure.copy(), model.sim.risk_of_obeying[0].copy())
    assert set(model.datacollector._agent_records) == set(seen) == {0, 2, 4, 6}
    agents = model.datacollector.get_agent_vars_dataframe()
    for step, (stance, tenure, risk) in seen.items():
        rows = agents.xs(step, level="Step")
        assert rows["stance"].tolist() == stance.tolist()
        assert rows["tenure"].tolist() == tenure.tolist()
        assert rows["risk_of_obeying"].tolist() == risk.tolist()
    model_vars = model.datacollector.get_model_vars_dataframe()
    assert list(model_vars.columns)[:3] == ["year", "cohesion", "compliance"]
    for name in model_vars.columns:
        assert model_vars[name].tolist() == model.indicators()[name].astype(float).tolist(), name


def test_the_log_counts_many_changes_as_it_counts_a_few():
    model = CohesionModel("gorbachev", rng=1)
    sim = model.sim
    rng = np.random.default_rng(4)
    n = 48
    regions = np.sort(rng.choice(sim.n_regions, n, replace=False))
    codes = [rng.integers(0, 3, n).astype(np.int8) for _ in range(4)]
    sim.status[0, :5] = 1
    together = sim._stance_changes(0, regions, *codes)  # above the loop's limit: by arrays
    in_parts = np.zeros_like(np.array(together))
    for part in np.array_split(np.arange(n), 4):  # 12 at a time: one by one
        in_parts += np.array(sim._stance_changes(0, regions[part], *(c[part] for c in codes)))
    assert np.array_equal(np.array(together), in_parts)
    assert np.array(together).sum() > 0
