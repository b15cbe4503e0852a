"""With every mechanism but peer thresholds switched off, the contagion rule is Granovetter's.

Granovetter (1978): 100 people with thresholds 0, 1, ..., 99 (the number of others who must
act first) all end up acting; raise the threshold-1 person to 2 and only one person acts.
"""

import numpy as np

from soviet_cohesion import CohesionModel, Stance

ONLY_PEER_THRESHOLDS = dict(
    world="synthetic", topology="complete", n_regions=100, steps=150,
    motive_weight=0.0,  # no private balance of risks: the threshold alone decides
    audit_capacity=0.0,  # no audits, so nobody is caught and put back in line
    cadre_turnover=0.0,  # nobody moves on, so no successor starts again obeying
    openness=1.0,  # every official sees all that the others do (nothing hidden)
    identity_weight=0.0, local_accountability=0.0,
    mobilisation_threshold=2.0,  # no republic's public mobilises, so no republic declares
    loop_fiscal=False, loop_enforcement=False, loop_legitimacy=False, loop_responsibility=False,
    loop_information=False, loop_entrenchment=False, loop_supply_chain=False, loop_tide=False,
    loop_coercion=False, loop_contagion=True, collect_regions=False,
)


def run_with_thresholds(counts):
    model = CohesionModel("brezhnev", rng=0, **ONLY_PEER_THRESHOLDS)
    # a threshold of k others out of the 99 an official sees
    for official, k in zip(model.officials, counts):
        official.peer_threshold = k / 99
    model.run_model()
    return model


def defectors(model) -> int:
    return sum(official.stance != Stance.OBEYING for official in model.officials)


def test_uniform_thresholds_cascade_to_everyone():
    model = run_with_thresholds(range(100))
    assert defectors(model) == 100


def test_one_changed_threshold_stops_the_cascade():
    counts = list(range(100))
    counts[1] = 2
    model = run_with_thresholds(counts)
    assert defectors(model) == 1
    assert model.officials[0].stance != Stance.OBEYING


def test_cascade_advances_one_official_per_period():
    model = CohesionModel("brezhnev", rng=0, **{**ONLY_PEER_THRESHOLDS, "steps": 10})
    for official, k in zip(model.officials, range(100)):
        official.peer_threshold = k / 99
    model.run_model()
    not_obeying = model.n_regions - np.asarray(model.indicators()["compliance"] * 100).round()
    assert list(not_obeying) == list(range(11))
