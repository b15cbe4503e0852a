"""The command line: scenarios, run, describe, specs, sweep by name; bad input gives one line and exit
status 2, with "did you mean" for a near miss."""

import subprocess
import sys

import pandas as pd
import pytest


def cli(*args):
    return subprocess.run([sys.executable, "-m", "soviet_cohesion", *args],
                          capture_output=True, text=True, timeout=120)


# ------------------------------------------------------------------------------ in this process
# (the commands below are called through cli.main: the same code, without a new interpreter each)
class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def run(capsys):
    from soviet_cohesion.cli import main

    def call(*args):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code
        out, err = capsys.readouterr()
        return Result(code, out, err)
    return call


def test_scenarios_lists_names_with_descriptions():
    """Through a new interpreter, as a user types it (python -m soviet_cohesion)."""
    r = cli("scenarios")
    assert r.returncode == 0
    lines = r.stdout.strip().splitlines()
    assert any(line.startswith("gorbachev ") for line in lines)
    assert all(len(line.split()) > 3 for line in lines)


def test_run_prints_a_summary_by_year_and_writes_csv_and_parquet(run, tmp_path):
    r = run("run", "--scenario", "gorbachev", "--seed", "4", "--out", str(tmp_path / "r.csv"))
    assert r.returncode == 0, r.stderr
    assert "1991" in r.stdout and "cohesion" in r.stdout
    df = pd.read_csv(tmp_path / "r.csv")
    assert len(df) == 29 and "cohesion" in df.columns
    r = run("run", "--scenario", "stalin", "--steps", "8", "--set", "scarcity=0.4",
            "--out", str(tmp_path / "r.parquet"))
    assert r.returncode == 0, r.stderr
    assert len(pd.read_parquet(tmp_path / "r.parquet")) == 9


def test_describe_lists_every_parameter(run):
    from soviet_cohesion.parameters import PARAMETERS
    r = run("describe")
    assert r.returncode == 0
    for name in PARAMETERS:
        assert name in r.stdout
    r = run("describe", "punishment_severity")
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
def test_bad_input_one_line_exit_2(run, args, words):
    r = run(*args)
    assert r.returncode == 2
    last = r.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in last


# ------------------------------------------------------------------------------ years, did you mean
def test_scenarios_and_run_name_the_same_years(run):
    """One convention: the years a run covers, first to last (gorbachev: 1985.0 up to 1992.0)."""
    listing = run("scenarios").stdout
    assert any(line.split()[:2] == ["gorbachev", "1985-1991"] for line in listing.splitlines())
    assert any(line.split()[:2] == ["stalin", "1946-1952"] for line in listing.splitlines())
    r = run("run", "--scenario", "stalin", "--steps", "2")
    assert r.stdout.splitlines()[0].startswith("Late Stalinism 1946-1952 |"), r.stdout


@pytest.mark.parametrize("args, suggestion", [
    (["describe", "opennes"], "did you mean 'openness'?"),
    (["run", "--set", "punishment_severty=0.5"], "did you mean 'punishment_severity'?"),
    (["run", "--scenario", "gorbachov"], "did you mean 'gorbachev'?"),
    (["sweep", "phase_diagam"], "did you mean 'phase_diagram'?"),
    (["specs", "copy", "quick_lok"], "did you mean 'quick_look'?"),
])
def test_near_misses_get_a_suggestion(run, args, suggestion):
    r = run(*args)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert suggestion in r.stderr


# ------------------------------------------------------------------------------ shipped specs
def test_specs_lists_every_shipped_spec_on_one_line_each(run):
    from soviet_cohesion import shipped
    r = run("specs")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert [line.split()[0] for line in lines] == shipped.spec_names()
    assert "quick_look" in shipped.spec_names() and "phase_diagram" in shipped.spec_names()
    for line in lines:
        assert " runs " in line and len(line.split()) > 4, line


def test_specs_copy_starts_a_spec_of_ones_own(run, tmp_path):
    r = run("specs", "copy", "smoke", str(tmp_path / "mine.toml"))
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "mine.toml").read_text()
    assert 'name = "mine"' in text and 'name = "smoke"' not in text  # its own name (and results folder)
    assert "soviet-cohesion sweep" in r.stdout
    # into a folder: the shipped name is kept
    r = run("specs", "copy", "smoke", str(tmp_path))
    assert r.returncode == 0 and 'name = "smoke"' in (tmp_path / "smoke.toml").read_text()
    # never overwrites, one line, exit 2
    before = (tmp_path / "mine.toml").read_text()
    r = run("specs", "copy", "phase_diagram", str(tmp_path / "mine.toml"))
    assert r.returncode == 2 and "already exists" in r.stderr
    assert (tmp_path / "mine.toml").read_text() == before
    r = run("specs", "copy", "smoke", str(tmp_path / "nothere" / "x.toml"))
    assert r.returncode == 2 and "no such folder" in r.stderr
    r = run("specs", "copy", "smoke", str(tmp_path / "x.txt"))
    assert r.returncode == 2 and ".toml" in r.stderr


def test_sweep_runs_a_shipped_spec_by_name(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("sweep", "smoke", "--workers", "1")
    assert r.returncode == 0, r.stderr
    runs = pd.read_parquet(tmp_path / "results" / "smoke" / "runs")  # results/<name> in the working folder
    assert len(runs) == 8 and set(runs["status"]) == {"ok"}


def test_sweep_of_a_missing_file_names_the_shipped_spec(run, tmp_path):
    r = run("sweep", str(tmp_path / "phase_diagram.toml"))
    assert r.returncode == 2
    assert "no such specification file" in r.stderr and "soviet-cohesion sweep phase_diagram" in r.stderr


# ------------------------------------------------------------------------------ scenario files
def test_scenarios_check_copy_and_run_a_users_file(run, tmp_path):
    mine = tmp_path / "my_gorbachev.toml"
    r = run("scenarios", "copy", "gorbachev", str(mine))
    assert r.returncode == 0, r.stderr
    assert 'name = "my_gorbachev"' in mine.read_text()
    r = run("scenarios", "--check", str(mine))
    assert r.returncode == 0 and "valid scenario 'my_gorbachev'" in r.stdout and "1985-1991" in r.stdout
    r = run("run", "--scenario", str(mine), "--steps", "4", "--out", str(tmp_path / "r.csv"))
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(tmp_path / "r.csv")) == 5


def test_scenarios_check_reports_each_bad_file_on_one_line(run, tmp_path):
    good = tmp_path / "good.toml"
    run("scenarios", "copy", "stalin", str(good))
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace("[parameters]", "[parameter]"))
    r = run("scenarios", "--check", str(good), str(bad), str(tmp_path / "none.toml"))
    assert r.returncode == 2
    assert "good.toml: valid" in r.stdout
    errors = r.stderr.strip().splitlines()
    assert len(errors) == 2
    assert "unknown field 'parameter'; did you mean 'parameters'?" in errors[0]
    assert "none.toml: no such scenario file" in errors[1]
