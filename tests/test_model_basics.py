"""The model's public surface: agents, calendar, indicators, levers, reproducibility, errors."""

import math
import multiprocessing

import mesa
import numpy as np
import pandas as pd
import pytest

from soviet_cohesion import (INDICATORS, REGION_FIELDS, CohesionModel, ParameterError,
                             RegionalOfficial, ScenarioError, Stance, scenario_names)
from soviet_cohesion.agents import Centre
from soviet_cohesion.parameters import LOOPS

COUNTS = ("autonomous_regions", "managing_regions", "acting_alone", "audits", "detected", "replaced",
          "sovereign_republics", "independent_republics", "force_used")
BOUNDED = [c for c in INDICATORS if c not in ("year", "picture_gap", "mean_tenure", *COUNTS)]


def test_is_a_mesa_model_with_one_official_per_region_and_one_centre():
    model = CohesionModel("gorbachev", rng=1)
    assert isinstance(model, mesa.Model)
    officials = model.agents_by_type[RegionalOfficial]
    assert len(officials) == model.n_regions == model.world.n
    assert len(model.agents_by_type[Centre]) == 1
    assert sorted(o.region for o in officials) == list(range(model.n_regions))


def test_ussr_world_has_fifteen_republics_and_a_core():
    model = CohesionModel("gorbachev", rng=1)
    w = model.world
    assert len(w.republic_names) == 15
    assert 130 <= w.n <= 170
    assert set(np.unique(w.republic)) == set(range(15))
    core = {w.republic_names[r] for r in np.unique(w.republic[w.core])}
    assert len(core) == 1 and "Russia" in next(iter(core))
    assert all(len(w.neighbours(i)) > 0 for i in range(w.n))


def test_synthetic_worlds_of_any_size():
    for topology in ("grid", "network", "complete"):
        model = CohesionModel("gorbachev", world="synthetic", n_regions=57, topology=topology, rng=3)
        assert model.n_regions == 57
        model.run_model()
        assert model.steps == model.n_steps


def test_calendar_is_quarterly_and_ends_with_1991():
    model = CohesionModel("gorbachev", rng=1)
    assert model.year == 1985.0
    for _ in range(4):
        model.step()
    assert model.year == 1986.0
    assert model.period_label(1) == "1985 Q1"
    model.run_model()
    assert model.indicators()["year"].iloc[-1] == 1992.0
    assert model.period_label() == "1991 Q4"


def test_indicators_are_bounded_and_complete(gorbachev):
    df = gorbachev.indicators()
    assert list(df.columns) == list(INDICATORS)
    assert len(df) == gorbachev.n_steps + 1
    assert ((df[BOUNDED] >= 0) & (df[BOUNDED] <= 1)).all().all()
    assert df["autonomous_regions"].between(0, gorbachev.n_regions).all()


def test_region_records_carry_the_terms_of_each_decision(gorbachev):
    records = gorbachev.region_records()
    assert {"Step", "year", "region", "republic", "stance", *REGION_FIELDS} <= set(records.columns)
    assert len(records) == (gorbachev.n_steps + 1) * gorbachev.n_regions
    assert set(records["stance"]) <= {s.label for s in Stance}


def test_every_official_can_say_why(gorbachev):
    for official in gorbachev.officials[:20]:
        terms = official.decision
        for key in ("risk_of_obeying", "risk_of_disobeying", "peer_share", "peer_threshold", "audit_probability"):
            assert math.isfinite(terms[key])
        assert terms["stance"] == official.stance.label
        assert official.region_name in official.explain()


def _final_table(seed):
    model = CohesionModel("gorbachev", rng=seed)
    model.run_model()
    return model.indicators()


def test_same_seed_same_run_in_another_process():
    here = _final_table(11)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        there = pool.apply(_final_table, (11,))
    pd.testing.assert_frame_equal(here, there)
    assert not here.equals(_final_table(12))


def test_each_feedback_loop_can_be_switched_off_and_matters():
    base = _final_table(5)["cohesion"]
    for loop in LOOPS:
        model = CohesionModel("gorbachev", rng=5, **{loop: False})
        model.run_model()
        assert not np.allclose(model.indicators()["cohesion"], base), loop


def test_a_held_lever_skips_the_scenario_events_that_would_move_it():
    model = CohesionModel("gorbachev", rng=1, openness=0.1)
    model.run_model()
    assert model.params["openness"] == 0.1
    assert any("openness" in s for s in model.skipped_events)


def test_set_lever_acts_on_the_running_model():
    model = CohesionModel("gorbachev", rng=1)
    for _ in range(8):
        model.step()
    model.set_lever("punishment_severity", 1.0)
    model.run_model()
    assert model.params["punishment_severity"] == 1.0


def test_collect_every_keeps_fewer_rows_and_the_last():
    model = CohesionModel("gorbachev", rng=1, collect_every=5, collect_regions=False)
    model.run_model()
    df = model.indicators()
    assert list(df.index) == [0, 5, 10, 15, 20, 25, 28]
    assert model.region_records().empty


@pytest.mark.parametrize("kwargs, words", [
    (dict(openness=1.5), ["openness", "[0, 1]"]),
    (dict(n_regions=1, world="synthetic"), ["n_regions", "[2, 1000000]"]),
    (dict(topology="ring", world="synthetic"), ["topology", "grid"]),
    (dict(loop_fiscal="maybe"), ["loop_fiscal", "true or false"]),
    (dict(nonsense=1), ["nonsense", "unknown parameter"]),
])
def test_bad_parameters_get_one_clear_line(kwargs, words):
    with pytest.raises(ParameterError) as err:
        CohesionModel("gorbachev", rng=1, **kwargs)
    message = str(err.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_unknown_scenario_lists_the_known_ones():
    with pytest.raises(ScenarioError) as err:
        CohesionModel("andropov", rng=1)
    assert "gorbachev" in str(err.value) and "\n" not in str(err.value)


def test_scenarios_are_all_there_with_narratives():
    names = scenario_names()
    for name in ("stalin", "khrushchev", "brezhnev", "gorbachev",
                 "gorbachev-shared-responsibility", "ussr-1953-1991"):
        assert name in names
    from soviet_cohesion import load_scenario
    for name in names:
        s = load_scenario(name)
        assert s.narrative.get("what_happened") and s.narrative.get("what_to_watch")
        assert s.narrative.get("things_to_try")


def test_mesa_batch_run_works():
    results = mesa.batch_run(
        CohesionModel,
        parameters={"scenario": "gorbachev", "punishment_severity": [0.2, 0.9], "collect_agents": False},
        rng=[1, 2], number_processes=1, data_collection_period=-1, max_steps=100,
        display_progress=False)
    df = pd.DataFrame(results)
    assert len(df) == 4
    assert {"cohesion", "compliance", "authority", "punishment_severity", "rng"} <= set(df.columns)
    assert (df["year"] == 1992.0).all()
    # with agent reporters (the default), one row per official, as Mesa users expect
    per_agent = pd.DataFrame(mesa.batch_run(
        CohesionModel, parameters={"scenario": "gorbachev"}, rng=[1], number_processes=1,
        data_collection_period=-1, max_steps=100, display_progress=False))
    n = CohesionModel("gorbachev", rng=1).n_regions
    assert len(per_agent) == n
    assert {"AgentID", "stance", "allegiance", "risk_of_obeying", "tenure", "cohesion"} <= set(per_agent.columns)


def test_agent_reporters_give_mesa_users_their_dataframe():
    model = CohesionModel("gorbachev", rng=4, steps=8)
    model.run_model()
    agents = model.datacollector.get_agent_vars_dataframe()
    assert agents.index.names == ["Step", "AgentID"]
    assert len(agents) == 9 * model.n_regions
    last = agents.xs(8, level="Step")
    assert list(last["stance"]) == model.stance.tolist()
    model_vars = model.datacollector.get_model_vars_dataframe()
    assert list(model_vars["cohesion"]) == list(model.indicators()["cohesion"])
    quiet = CohesionModel("gorbachev", rng=4, steps=2, collect_agents=False)
    quiet.run_model()
    assert quiet.datacollector._agent_records == {}


def test_a_player_choice_replaces_the_officials_own_for_one_period():
    from soviet_cohesion import Stance
    from soviet_cohesion.parameters import ParameterError

    played = CohesionModel("stalin", rng=3)
    alone = CohesionModel("stalin", rng=3)
    played.set_choice(5, Stance.AUTONOMOUS)
    played.step()
    alone.step()
    assert played.stance[5] == Stance.AUTONOMOUS and played.played[5]
    assert played.model_stance[5] == alone.stance[5] == Stance.OBEYING
    assert not played.played[np.arange(played.n_regions) != 5].any()
    played.step()
    assert not played.played.any()  # the choice held for one period only
    with pytest.raises(ParameterError, match="region"):
        played.set_choice(10_000, Stance.OBEYING)
    with pytest.raises(ParameterError, match="stance"):
        played.set_choice(1, 7)
