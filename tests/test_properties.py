"""Property-based: for any parameters in their documented ranges, every state variable stays
in bounds and nothing becomes NaN."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soviet_cohesion import INDICATORS, CohesionModel
from soviet_cohesion.parameters import PARAMETERS

DYNAMIC_NUMERIC = [p for p in PARAMETERS.values()
                   if p.group in ("lever", "shock", "official", "republic", "centre") and p.kind is float]
LOOP_NAMES = [p.name for p in PARAMETERS.values() if p.group == "loop"]
COUNTS = ("autonomous_regions", "managing_regions", "acting_alone", "audits", "detected", "replaced",
          "sovereign_republics", "independent_republics", "force_used")
#: not shares: a stock of unrevealed misreporting, years in post, output relative to capacity (>= 0)
UNBOUNDED = ("picture_gap", "mean_tenure", "output")


@st.composite
def parameter_sets(draw):
    values = {p.name: draw(st.floats(p.low, p.high, allow_nan=False)) for p in DYNAMIC_NUMERIC}
    values.update({name: draw(st.booleans()) for name in LOOP_NAMES})
    values["topology"] = draw(st.sampled_from(["grid", "network", "complete"]))
    values["n_regions"] = draw(st.integers(2, 60))
    values["n_republics"] = draw(st.integers(0, 5))
    values["economic_councils"] = draw(st.integers(0, 2))
    values["scenario"] = draw(st.sampled_from(["gorbachev", "stalin", "khrushchev"]))
    values["seed"] = draw(st.integers(0, 2**32 - 1))
    return values


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parameter_sets())
def test_state_stays_in_bounds(values):
    values = dict(values)
    scenario, seed = values.pop("scenario"), values.pop("seed")
    model = CohesionModel(scenario, rng=seed, world="synthetic", steps=24, **values)
    model.run_model()
    df = model.indicators()
    assert not df.isna().any().any()
    bounded = [c for c in INDICATORS if c != "year" and c not in COUNTS + UNBOUNDED]
    outside = [c for c in bounded if not df[c].between(0, 1).all()]
    assert not outside, outside
    assert (df[list(UNBOUNDED)] >= 0).all().all()
    assert (df["sovereign_republics"] >= df["independent_republics"]).all()
    assert (df["autonomous_regions"] + df["managing_regions"]).between(0, model.n_regions).all()
    for name in ("shortfall", "unrest", "dependence", "fear", "audit_probability", "peer_share", "network",
                 "received", "mobilisation", "memory_revealed"):
        arr = getattr(model, name)
        assert np.isfinite(arr).all() and (arr >= 0).all() and (arr <= 1).all(), name
    for name in ("risk_of_obeying", "risk_of_disobeying", "exit_pull", "pressure", "output", "stock"):
        assert np.isfinite(getattr(model, name)).all(), name
    assert set(np.unique(model.stance)) <= {0, 1, 2}
    assert 0 <= model.authority <= 1 and 0 <= model.reserves <= 1
