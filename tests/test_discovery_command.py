"""`soviet-cohesion discover` end to end, and the lever schedule of a run."""

import subprocess
import sys

import pandas as pd

from soviet_cohesion.cli import main
from soviet_cohesion.discovery import experiment


def test_design_is_a_latin_hypercube_over_levers_and_dates():
    x = experiment.design(40, seed=3)
    inputs = experiment.inputs()
    assert list(x.columns) == [*inputs.index, "seed"]
    for name, r in inputs.iterrows():
        v = x[name]
        assert v.between(r["low"], r["high"]).all()
        strata = ((v - r["low"]) / (r["high"] - r["low"]) * 40).astype(int).clip(0, 39)
        assert sorted(strata) == list(range(40))  # one sample per stratum
    pd.testing.assert_frame_equal(x, experiment.design(40, seed=3))


def test_a_lever_set_early_changes_the_run_and_one_set_never_does_not():
    base = experiment.run_policy({}, {}, seed=5)
    shared = experiment.run_policy({"responsibility_shared": 1.0}, {"responsibility_shared": 1986.0}, seed=5)
    assert shared.final_cohesion > base.final_cohesion + 0.3
    assert base.dissolved is True and shared.dissolved is False
    assert experiment.quarter(1986.6) == 1986.5


def test_discover_end_to_end(tmp_path, capsys):
    out = tmp_path / "d"
    # 150 runs: enough for PRIM to find a box in both outcomes with this design seed (7 s)
    assert main(["discover", "--runs", "150", "--out", str(out), "--seed", "2"]) == 0
    printed = capsys.readouterr().out
    assert "the union survives in" in printed
    samples = pd.read_parquet(out / "samples.parquet")
    assert len(samples) == 150 and {"final_cohesion", "survives", "seed"} <= set(samples.columns)
    report = (out / "report.md").read_text()
    assert "## Boxes" in report and "coverage" in report and "figures/prim_trajectory.png" in report
    for name in ("prim_trajectory.png", "prim_trajectory.svg"):
        assert (out / "figures" / name).exists()
    trajectory = pd.read_csv(out / "trajectory.csv")
    assert {"coverage", "density", "mass", "restricted"} <= set(trajectory.columns)
    boxes = pd.read_csv(out / "boxes.csv")
    assert len(boxes) and (boxes["density"] > samples["survives"].mean()).all()
    assert "## Where the union dissolves" in report
    broken = pd.read_csv(out / "boxes_dissolved.csv")
    if len(broken):
        assert (broken["density"] > 1 - samples["survives"].mean()).all()


def test_discover_bad_input_exit_2(tmp_path):
    for args, word in ((["--runs", "10"], "--runs"), (["--threshold", "2"], "--threshold")):
        r = subprocess.run([sys.executable, "-m", "soviet_cohesion", "discover", *args, "--out", str(tmp_path / "x")],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and word in r.stderr.strip().splitlines()[-1]
