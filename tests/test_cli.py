"""The command line: scenarios, run, describe; bad input gives one line and exit status 2."""

import subprocess
import sys

import pandas as pd
import pytest


def cli(*args):
    return subprocess.run([sys.executable, "-m", "soviet_cohesion", *args],
                          capture_output=True, text=True, timeout=120)


def test_scenarios_lists_names_with_descriptions():
    r = cli("scenarios")
    assert r.returncode == 0
    lines = r.stdout.strip().splitlines()
    assert any(line.startswith("gorbachev ") for line in lines)
    assert all(len(line.split()) > 3 for line in lines)


def test_run_prints_a_summary_by_year_and_writes_csv_and_parquet(tmp_path):
    r = cli("run", "--scenario", "gorbachev", "--seed", "4", "--out", str(tmp_path / "r.csv"))
    assert r.returncode == 0, r.stderr
    assert "1991" in r.stdout and "cohesion" in r.stdout
    df = pd.read_csv(tmp_path / "r.csv")
    assert len(df) == 29 and "cohesion" in df.columns
    r = cli("run", "--scenario", "stalin", "--steps", "8", "--set", "scarcity=0.4",
            "--out", str(tmp_path / "r.parquet"))
    assert r.returncode == 0, r.stderr
    assert len(pd.read_parquet(tmp_path / "r.parquet")) == 9


def test_describe_lists_every_parameter():
    from soviet_cohesion.parameters import PARAMETERS
    r = cli("describe")
    assert r.returncode == 0
    for name in PARAMETERS:
        assert name in r.stdout
    r = cli("describe", "punishment_severity")
    assert "default" in r.stdout and "[0, 1]" in r.stdout


@pytest.mark.parametrize("args, words", [
    (["run", "--scenario", "andropov"], ["andropov", "gorbachev"]),
    (["run", "--set", "openness=3"], ["openness", "[0, 1]"]),
    (["run", "--set", "openness"], ["name=value"]),
    (["run", "--set", "bogus=1"], ["bogus", "unknown parameter"]),
    (["run", "--seed", "abc"], ["--seed", "whole number"]),
    (["run", "--steps", "0"], ["--steps"]),
    (["run", "--out", "x.txt"], [".csv or .parquet"]),
    (["describe", "bogus"], ["bogus"]),
])
def test_bad_input_one_line_exit_2(args, words):
    r = cli(*args)
    assert r.returncode == 2
    last = r.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in last
