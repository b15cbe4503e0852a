"""The ABC-SMC on toy models with known posteriors; resume after a crash; the building blocks."""

import math

import numpy as np
import pandas as pd
import pytest

from soviet_cohesion.calibration.distance import Distance, Target
from soviet_cohesion.calibration.priors import Prior, Priors
from soviet_cohesion.calibration.smc import ABCSMC, weighted_quantile
from soviet_cohesion.calibration.store import GenerationStore

N_OBS, SIGMA, OBSERVED = 10, 1.0, 0.7


def normal_mean(params: pd.DataFrame, seeds: np.ndarray) -> pd.DataFrame:
    """The mean of N_OBS draws from N(theta, SIGMA^2), one generator per particle's seed."""
    means = [np.random.default_rng(int(s)).normal(theta, SIGMA, N_OBS).mean()
             for theta, s in zip(params["theta"], seeds)]
    return pd.DataFrame({"mean": means})


def toy_abc(store=None, simulate=normal_mean, generations=9, population=400, seed=3):
    priors = Priors([Prior("theta", -5.0, 5.0)])
    distance = Distance([Target("mean", value=OBSERVED, scale=1.0)])
    return ABCSMC(priors, simulate, distance, population=population, quantile=0.5, max_generations=generations,
                  batch=256, seed=seed, store=store)


def test_recovers_the_normal_mean_posterior():
    """Flat prior, known variance: the posterior of theta is N(ybar, sigma^2 / n)."""
    result = toy_abc().run()
    post = result.posterior
    sd_true = SIGMA / math.sqrt(N_OBS)
    assert post.epsilon < 0.05  # small against the posterior sd (0.32)
    assert post.mean()["theta"] == pytest.approx(OBSERVED, abs=0.1 * sd_true * 3)
    assert post.sd()["theta"] == pytest.approx(sd_true, rel=0.15)
    assert post.ess > 100
    eps = [g.epsilon for g in result.generations]
    assert eps[0] == math.inf and all(b <= a for a, b in zip(eps[1:], eps[2:]))
    assert result.stop_reason == "the maximum number of generations (9)"


def test_a_normal_prior_pulls_the_posterior_as_bayes_says():
    """Normal prior N(0, 1), data mean 0.7 with variance 0.1: posterior mean 0.7 * 1/(1+0.1),
    variance 1 / (1 + 10)."""
    priors = Priors([Prior("theta", -6.0, 6.0, kind="normal", mean=0.0, sd=1.0)])
    distance = Distance([Target("mean", value=OBSERVED, scale=1.0)])
    post = ABCSMC(priors, normal_mean, distance, population=400, max_generations=9, seed=11).run().posterior
    assert post.mean()["theta"] == pytest.approx(OBSERVED / 1.1, abs=0.06)
    assert post.sd()["theta"] == pytest.approx(math.sqrt(1 / 11), rel=0.15)


def test_resume_after_a_crash_gives_the_same_result(tmp_path):
    reference = toy_abc(generations=5, population=200).run().posterior
    calls = {"n": 0}

    def crashing(params, seeds):
        calls["n"] += 1
        if calls["n"] == 5:  # in the middle of a generation
            raise KeyboardInterrupt
        return normal_mean(params, seeds)

    store = GenerationStore(tmp_path, ["theta"])
    with pytest.raises(KeyboardInterrupt):
        toy_abc(store, crashing, generations=5, population=200).run()
    done = store.load()
    assert 1 <= len(done) < 5
    resumed = toy_abc(GenerationStore(tmp_path, ["theta"]), generations=5, population=200).run()
    assert len(resumed.generations) == 5
    np.testing.assert_array_equal(resumed.posterior.particles["theta"], reference.particles["theta"])
    np.testing.assert_array_equal(resumed.posterior.weights, reference.weights)
    assert resumed.posterior.epsilon == reference.epsilon
    # and nothing is redone once complete
    again = toy_abc(GenerationStore(tmp_path, ["theta"]), simulate=None, generations=5, population=200).run()
    assert again.stop_reason == "the maximum number of generations (5)"


def test_the_budget_stops_between_generations():
    abc = toy_abc(generations=50, population=100)
    abc.max_simulations = 700
    result = abc.run()
    assert result.n_simulations <= 700
    assert "budget" in result.stop_reason and len(result.generations) >= 2


def test_band_targets_reach_zero_tolerance_and_stop():
    priors = Priors([Prior("theta", -5.0, 5.0)])
    distance = Distance([Target("mean", low=0.5, high=1.5)])
    result = ABCSMC(priors, normal_mean, distance, population=200, max_generations=20, seed=1).run()
    assert result.posterior.epsilon == 0.0 and "min_epsilon" in result.stop_reason
    assert result.posterior.summaries["mean"].between(0.5, 1.5).all()
    assert -0.5 < result.posterior.mean()["theta"] < 2.5


def test_store_round_trip_keeps_everything(tmp_path):
    store = GenerationStore(tmp_path, ["theta"])
    result = toy_abc(store, generations=3, population=50).run()
    loaded = store.load()
    for a, b in zip(result.generations, loaded):
        assert a.t == b.t and a.epsilon == b.epsilon and a.n_simulations == b.n_simulations
        np.testing.assert_array_equal(a.particles["theta"], b.particles["theta"])
        np.testing.assert_array_equal(a.seeds, b.seeds)
        np.testing.assert_allclose(a.summaries["mean"], b.summaries["mean"])
        assert b.distance_state == a.distance_state


def test_priors_sample_inside_and_give_densities():
    rng = np.random.default_rng(0)
    u = Prior("a", 1.0, 3.0)
    n = Prior("b", 0.0, 1.0, kind="normal", mean=0.2, sd=0.5)
    p = Priors([u, n])
    x = p.sample(5000, rng)
    assert x["a"].between(1, 3).all() and x["b"].between(0, 1).all()
    assert p.logpdf(pd.DataFrame({"a": [2.0, 4.0], "b": [0.5, 0.5]}))[1] == -np.inf
    assert u.logpdf(np.array([2.0]))[0] == pytest.approx(-math.log(2))
    grid = np.linspace(0, 1, 20001)
    assert np.trapezoid(np.exp(n.logpdf(grid)), grid) == pytest.approx(1.0, abs=1e-3)
    with pytest.raises(ValueError):
        Prior("c", 1.0, 1.0)


def test_distance_scales_fit_on_the_first_sample_and_bands_count_zero_inside():
    d = Distance([Target("x", value=0.0), Target("y", low=1.0, high=2.0, scale=0.5)])
    d.fit(pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0], "y": [0, 1, 2, 3, 4]}))
    assert d.scales[0] == pytest.approx(1.0) and d.scales[1] == 0.5
    s = pd.DataFrame({"x": [0.0, 2.0, np.inf], "y": [1.5, 3.0, 1.5]})
    flat = Distance([Target("z", low=0.7, high=1.0)])
    flat.fit(pd.DataFrame({"z": [0.975, 0.975 + 4e-16, 0.975]}))
    assert flat.scales[0] == 1.0  # no variation: no tiny scale that would blow up the distance
    np.testing.assert_allclose(d(s), [0.0, math.sqrt(4 + 4), np.inf])


def test_weighted_quantile():
    assert weighted_quantile(np.array([1.0, 2.0, 3.0]), np.array([1, 1, 1]) / 3, 0.5) == 2.0
    assert weighted_quantile(np.array([1.0, 2.0, np.inf]), np.array([0.1, 0.1, 0.8]), 0.5) == np.inf
