"""Calibration of the model: the spec, the command (and its resume), the batch simulator, and
parameter recovery from data the model generated with known parameters."""

import math
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from soviet_cohesion.calibration.simulator import ModelSimulator
from soviet_cohesion.calibration.spec import CalibrationError, parse_spec
from soviet_cohesion.cli import main

TINY = """
name = "tiny"
[abc]
population = 8
generations = 2
batch = 8
max_simulations = 200
seed = 3
[priors]
authority_rate = { low = 0.03, high = 0.15 }
unrest_rate = {}
[[targets]]
pattern = "centre_collapse"
[[targets]]
statistic = "final_authority"
value = 0.3
[check]
predictive = 4
"""


def write(tmp_path, text, name="spec.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_spec_reads_priors_targets_and_defaults():
    import tomllib

    spec = parse_spec(tomllib.loads(TINY))
    assert spec.priors.names == ["authority_rate", "unrest_rate"]
    unrest = spec.priors.priors[1]
    assert (unrest.low, unrest.high) == (0.0, 1.0)  # the registry's range
    centre, authority = spec.targets
    assert centre.statistic == "centre_authority_year" and centre.is_band and centre.source == "pattern centre_collapse"
    assert authority.value == 0.3 and not authority.is_band
    assert spec.abc["quantile"] == 0.5 and spec.check["predictive"] == 4


@pytest.mark.parametrize("change, words", [
    ({"priors": {"openness": {}}}, ["openness", "lever", "behavioural"]),
    ({"priors": {"bogus": {}}}, ["bogus", "unknown parameter"]),
    ({"priors": {"authority_rate": {"low": 0.5, "high": 0.1}}}, ["low", "below high"]),
    ({"priors": {"authority_rate": {"low": -1}}}, ["low", "[0, 1]"]),
    ({"priors": {"authority_rate": {"mean": 0.1}}}, ["mean and sd"]),
    ({"targets": [{"pattern": "sovereignty_order"}]}, ["republic", "never a calibration target"]),
    ({"targets": [{"statistic": "independence_order_rho", "value": 1}]}, ["never a calibration target"]),
    ({"targets": [{"statistic": "final_authority"}]}, ["value", "band"]),
    ({"targets": [{"pattern": "nope"}]}, ["unknown pattern", "union_breakup"]),
    ({"abc": {"populaton": 10}}, ["populaton", "population"]),
    ({"abc": {"population": 1}}, ["population"]),
    ({"fixed": {"authority_rate": 0.1}}, ["also has a prior"]),
    ({"targets": []}, ["targets"]),
])
def test_bad_specs_are_refused_with_one_line(change, words):
    import tomllib

    data = tomllib.loads(TINY)
    data.update(change)
    with pytest.raises(CalibrationError) as info:
        parse_spec(data, where="x.toml")
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_calibrate_end_to_end_then_resume_then_refuse_another_spec(tmp_path, capsys):
    spec = write(tmp_path, TINY)
    out = tmp_path / "out"
    assert main(["calibrate", str(spec), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "authority_rate" in printed and "runs per second" in printed
    post = pd.read_parquet(out / "posterior.parquet")
    assert len(post) == 8 and post["weight"].sum() == pytest.approx(1.0)
    assert {"authority_rate", "unrest_rate", "distance", "summary:final_authority"} <= set(post.columns)
    assert sorted(p.name for p in (out / "generations").iterdir()) == ["gen_0000.parquet", "gen_0001.parquet"]
    assert len(pd.read_parquet(out / "predictive.parquet")) == 4
    report = (out / "report.md").read_text()
    for words in ("Runs per second", "## Posterior", "## Out-of-sample predictions", "sovereignty_order",
                  "figures/marginals.png"):
        assert words in report
    for stem in ("marginals", "pairwise", "schedule", "predictive"):
        assert (out / "figures" / f"{stem}.svg").exists()
    # the same command again: nothing to redo
    assert main(["calibrate", str(spec), "--out", str(out)]) == 0
    assert "No runs were needed" in (out / "report.md").read_text()
    other = write(tmp_path, TINY.replace("seed = 3", "seed = 4"), "other.toml")
    r = subprocess.run([sys.executable, "-m", "soviet_cohesion", "calibrate", str(other), "--out", str(out)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "different spec" in r.stderr.strip().splitlines()[-1]


def test_a_target_the_model_does_not_produce_stops_before_any_run(tmp_path, monkeypatch, capsys):
    """A model version without a 'dissolved' indicator (a user's own model, an older version)
    cannot be calibrated against the dissolution: refused in one line, nothing written."""
    from soviet_cohesion.calibration import session, simulator
    from soviet_cohesion.validation import runs

    real = runs.simulate_batch

    def without_dissolution(*args, **kwargs):
        out = real(*args, **kwargs)
        for run in out:
            run.indicators = run.indicators.drop(columns=["dissolved"])
        return out

    monkeypatch.setattr(simulator, "simulate_batch", without_dissolution)
    monkeypatch.setattr(session, "simulate_batch", without_dissolution)
    spec = write(tmp_path, TINY.replace('pattern = "centre_collapse"', 'pattern = "dissolution"'))
    assert main(["calibrate", str(spec), "--out", str(tmp_path / "o")]) == 2
    assert "not produced by this model version" in capsys.readouterr().err.strip().splitlines()[-1]
    assert not (tmp_path / "o").exists()


def test_missing_spec_file_exit_2(tmp_path):
    r = subprocess.run([sys.executable, "-m", "soviet_cohesion", "calibrate", str(tmp_path / "none.toml")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "no such file" in r.stderr


def test_model_simulator_rows_and_not_produced():
    sim = ModelSimulator(["final_authority", "stalin_min_cohesion", "dissolution_year"])
    params = pd.DataFrame({"authority_rate": [0.05, 0.1]})
    out = sim(params, [1, 2])
    assert list(out.columns) == ["final_authority", "stalin_min_cohesion", "dissolution_year"]
    assert out["final_authority"].between(0, 1).all()
    assert (out["dissolution_year"] > 1985).all() and not sim.not_produced  # dissolved, or never (inf)
    assert sim.runs_per_particle == 2 and sim.n_runs == 4
    again = sim(params, [1, 2])
    pd.testing.assert_frame_equal(out, again)  # same seeds, same results


@pytest.mark.slow
def test_model_simulator_on_a_worker_pool_gives_the_serial_result():
    from soviet_cohesion.sweep.executors import make_backend

    params = pd.DataFrame({"authority_rate": np.linspace(0.03, 0.2, 10)})
    serial = ModelSimulator(["final_authority", "breakup_year"])(params, range(10))
    backend = make_backend(2, None)
    try:
        pooled = ModelSimulator(["final_authority", "breakup_year"], backend=backend, chunk=3)(params, range(10))
    finally:
        backend.close()
    pd.testing.assert_frame_equal(serial, pooled)


@pytest.mark.slow
def test_parameter_recovery_on_the_model(tmp_path):
    """Data generated by the model at known parameters; a small-budget ABC-SMC gives a posterior
    whose 90% interval contains them, and narrows the identifiable one. In the second-generation
    model the republics' independence hurdle sets the dates of the declarations of independence
    and of the dissolution; the centre's authority rate hardly moves them (authority is gone by
    1990 at any rate in its prior), so its posterior need only contain the truth."""
    from soviet_cohesion.calibration.distance import Distance, Target
    from soviet_cohesion.calibration.priors import Prior, Priors
    from soviet_cohesion.calibration.smc import ABCSMC

    truth = {"independence_hurdle": 0.3, "authority_rate": 0.1}
    names = ["dissolution_year", "first_independence_year", "final_cohesion"]
    observed = ModelSimulator(names)(pd.DataFrame([truth]), [424242]).iloc[0]
    assert np.isfinite(observed.to_numpy(dtype=float)).all()
    priors = Priors([Prior("independence_hurdle", 0.1, 0.8), Prior("authority_rate", 0.02, 0.2)])
    distance = Distance([Target(n, value=float(observed[n])) for n in names])
    result = ABCSMC(priors, ModelSimulator(names), distance, population=64, max_generations=5, batch=64,
                    max_simulations=1500, seed=8).run()
    post = result.posterior
    for name, value in truth.items():
        lo, hi = post.quantile(0.05)[name], post.quantile(0.95)[name]
        assert lo <= value <= hi, (name, lo, hi)
    prior_sd = (0.8 - 0.1) / math.sqrt(12)
    assert post.sd()["independence_hurdle"] < 0.35 * prior_sd
