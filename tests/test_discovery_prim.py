"""PRIM on synthetic data with a known box."""

import numpy as np
import pandas as pd
import pytest

from soviet_cohesion.discovery.prim import covering, paste, prim, restriction_importance


def synthetic(n=3000, noise=0.0, seed=0):
    """Five inputs uniform on [0, 1]; the case of interest where x0 > 0.6 and x1 < 0.4."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((n, 5)), columns=[f"x{i}" for i in range(5)])
    y = ((x["x0"] > 0.6) & (x["x1"] < 0.4)).to_numpy()
    flip = rng.random(n) < noise
    return x, np.where(flip, ~y, y)


def test_finds_the_known_box():
    x, y = synthetic()
    result = prim(x, y)
    box = result.select(min_coverage=0.8)
    assert set(box.restricted) == {"x0", "x1"}
    assert box.limits.loc["x0", "low"] == pytest.approx(0.6, abs=0.04)
    assert box.limits.loc["x1", "high"] == pytest.approx(0.4, abs=0.04)
    assert box.density > 0.95 and box.coverage >= 0.8
    assert box.mass == pytest.approx(0.16, abs=0.03)  # 0.4 x 0.4


def test_trajectory_trades_coverage_for_density():
    x, y = synthetic(noise=0.05, seed=1)
    result = prim(x, y, alpha=0.05, mass_min=0.05)
    t = result.table()
    assert t["coverage"].iloc[0] == 1.0 and t["density"].iloc[0] == pytest.approx(y.mean())
    assert t["coverage"].is_monotonic_decreasing
    assert t["density"].iloc[-1] > t["density"].iloc[0] + 0.4
    assert (t["mass"] >= 0.05 - 1e-9).all() and t["mass"].iloc[-1] < 0.15
    box = result.select(0.7)
    assert set(box.restricted) == {"x0", "x1"} and box.density > 0.8


def test_noise_inputs_do_not_matter_when_dropped():
    x, y = synthetic(noise=0.02, seed=2)
    result = prim(x, y)
    box = result.select(0.8)
    imp = restriction_importance(box, x, y).set_index("input")
    assert set(imp.index) == {"x0", "x1"}
    assert (imp["density_without"] < box.density - 0.3).all()  # both limits matter


def test_pasting_only_raises_density():
    x, y = synthetic(noise=0.05, seed=3)
    result = prim(x, y, alpha=0.1)
    box = result.select(0.5)
    pasted = paste(result, box, alpha=0.05)
    assert pasted.density >= box.density and pasted.n >= box.n


def test_covering_finds_two_separate_boxes():
    rng = np.random.default_rng(4)
    x = pd.DataFrame(rng.random((4000, 4)), columns=list("abcd"))
    y = (((x["a"] > 0.75) & (x["b"] > 0.75)) | ((x["c"] < 0.2) & (x["d"] < 0.3))).to_numpy()
    boxes = covering(x, y, max_boxes=3, min_coverage=0.4)
    assert len(boxes) >= 2
    found = [set(b.restricted) for b, _ in boxes[:2]]
    assert {"a", "b"} in found and {"c", "d"} in found
    assert sum(b.coverage for b, _ in boxes) > 0.8


def test_bad_input():
    x, y = synthetic(n=50)
    with pytest.raises(ValueError, match="alpha"):
        prim(x, y, alpha=0.7)
    with pytest.raises(ValueError, match="0 or 1"):
        prim(x, np.full(50, 2))
    with pytest.raises(ValueError, match="same"):
        prim(x, y[:10])


def test_nothing_to_find_keeps_the_whole_box_first():
    x, _ = synthetic(n=500)
    y = np.zeros(500)
    result = prim(x, y)
    assert result.trajectory[0].restricted == []
    assert result.select(0.5).n == 500  # no case of interest: the whole box
    assert covering(x, y) == []


def test_binomial_tail_and_pruning_of_noise_restrictions():
    from soviet_cohesion.discovery.prim import binomial_sf, prune, quasi_p_values

    assert binomial_sf(8, 10, 0.5) == pytest.approx(56 / 1024)
    assert binomial_sf(0, 10, 0.3) == 1.0
    x, y = synthetic(n=1500, noise=0.05, seed=5)
    result = prim(x, y, alpha=0.05, mass_min=0.03)
    deep = result.trajectory[-1]  # peeled too far: noise inputs restricted too
    qp = quasi_p_values(deep, x, y)
    assert qp["x0"] < 0.01 and qp["x1"] < 0.01
    pruned = prune(deep, x, y)
    assert {"x0", "x1"} <= set(pruned.restricted)
    assert len(pruned.restricted) <= len(deep.restricted)
    assert all(v <= 0.05 for v in quasi_p_values(pruned, x, y).values())
