"""Big designs: built lazily (a 2-million-run design starts without building its runs), chunks of
64-256 runs that do not change results, ``--dry-run`` with a run count and an estimated time,
and a warning for more workers than cores."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from soviet_cohesion.cli import main
from soviet_cohesion.sweep import dry_run, load_spec, run_sweep
from soviet_cohesion.sweep import design as designs
from soviet_cohesion.sweep import executors, session
from soviet_cohesion.sweep.design import Plan
from sweep_support import assert_same_results, small_spec, write_spec

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"

#: two million runs on a tiny world: 1000 x 1000 cells x 2 replicates
BIG = """
name = "big"
scenario = "gorbachev"
world = "synthetic"
steps = 2
replicates = 2
seed = 1
model = "sweep_support:InterruptingModel"

[fixed]
n_regions = 10

[vary]
punishment_severity = { low = 0.0, high = 1.0, num = 1000 }
scarcity = { low = 0.0, high = 1.0, num = 1000 }
"""


def test_a_two_million_run_design_starts_without_building_its_runs(tmp_path, monkeypatch):
    """The sweep computes seeds only for the chunk it dispatches: before its first run it has
    drawn a few hundred seeds, not two million (the whole design is never built)."""
    import sweep_support

    spec = write_spec(tmp_path, BIG, "big.toml")
    seeds = {"n": 0}
    real = np.random.SeedSequence

    class Counting(real):
        def __init__(self, *args, **kwargs):
            seeds["n"] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(np.random, "SeedSequence", Counting)
    sweep_support.InterruptingModel.countdown = 1  # Ctrl-C at the first run
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, tmp_path / "out", workers=1, progress=False)
    assert load_spec(spec).n_runs == 2_000_000
    assert seeds["n"] <= 2 * session.MAX_CHUNK + 1


def test_chunks_come_lazily_in_run_order():
    spec = load_spec(EXPERIMENTS / "phase_diagram.toml")
    plan = Plan.of(spec)
    done = np.zeros(plan.n_runs, dtype=bool)
    done[10:500] = True
    chunks = plan.chunks(done, 256)
    first = next(chunks)
    assert [t[0] for t in first] == [*range(10), *range(500, 746)]
    assert sum(len(c) for c in chunks) + len(first) == plan.n_runs - 490


def test_the_design_and_seeds_are_unchanged():
    """The seeds of the shipped phase diagram are those its docs quote (and earlier results hold)."""
    spec = load_spec(EXPERIMENTS / "phase_diagram.toml")
    row = designs.runs(spec).iloc[2560]
    assert (row["seed"], row["punishment_severity"], row["scarcity"]) == (6925124324656802236, 0.6, 0.03)
    task = Plan.of(spec).tasks(np.array([2560]))[0]
    assert task[3] == 6925124324656802236 and task[4] == (0.6, 0.03)


def test_chunk_size_follows_runs_and_workers():
    assert session.chunk_size(2_000_000, 32) == session.MAX_CHUNK == 256
    assert session.chunk_size(4410, 2) == 256
    assert session.chunk_size(1000, 2) == 63
    assert session.chunk_size(12, 2) == 1
    assert session.chunk_size(12, 2, requested=5) == 5


def test_results_do_not_depend_on_chunk_size_or_workers(tmp_path):
    spec = small_spec(tmp_path, regions=True)
    run_sweep(spec, tmp_path / "one", workers=1, progress=False, chunk_runs=12)
    for name, workers, size in (("singles", 1, 1), ("fives", 2, 5), ("default", 2, None)):
        assert run_sweep(spec, tmp_path / name, workers=workers, progress=False, chunk_runs=size).complete
        assert_same_results(tmp_path / "one", tmp_path / name, tables=("runs", "timeseries", "regions"))


# ---------------------------------------------------------------------- dry run
def test_dry_run_counts_runs_and_estimates_time_without_writing(tmp_path, capsys):
    spec = small_spec(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--dry-run", "--workers", "2"]) == 0
    text = capsys.readouterr().out
    assert "12 runs (6 points x 2 replicates)" in text
    assert "estimated time:" in text and "CPU s per run" in text
    assert "nothing was run or written" in text
    assert not out.exists()


def test_dry_run_of_a_huge_run_measures_a_few_steps_only(tmp_path):
    text = small_spec(tmp_path).read_text().replace("steps = 6", "steps = 10000000")
    spec = write_spec(tmp_path, text, "long.toml")
    report = dry_run(spec, tmp_path / "out", workers=1)
    assert "10,000,000 steps" in report and "the rest extrapolated" in report
    assert not (tmp_path / "out").exists()


def test_dry_run_of_a_folder_in_progress_counts_what_is_left(tmp_path):
    spec = small_spec(tmp_path)
    import sweep_support

    sweep_support.InterruptingModel.countdown = 7
    flaky = write_spec(tmp_path, spec.read_text().replace('seed = 11', 'seed = 11\nmodel = "sweep_support:InterruptingModel"'),
                       "flaky.toml")
    with pytest.raises(KeyboardInterrupt):
        run_sweep(flaky, tmp_path / "out", workers=1, progress=False, chunk_runs=2)
    report = dry_run(flaky, tmp_path / "out", workers=1)
    assert "already holds 6 runs; 6 to go" in report


def test_more_workers_than_cores_are_warned_about(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(executors, "available_cores", lambda: 2)
    monkeypatch.setattr(session, "available_cores", lambda: 2)
    spec = small_spec(tmp_path)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--workers", "32", "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "--workers 32 is more than the 2 cores" in text
    assert "32 workers share 2 cores" in text
