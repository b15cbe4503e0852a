"""The sweep runner: same results serially and in parallel, failures recorded, resume computes
only what is missing, the results folder is guarded."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soviet_cohesion.cli import main
from soviet_cohesion.sweep import SweepError, load_spec, query, read_results, run_sweep
from soviet_cohesion.sweep.progress import Progress
from soviet_cohesion.sweep.storage import ResultStore
from sweep_support import assert_same_results, small_spec, table, uncommit, write_spec


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The small spec run serially, in this process: the results every other way must match."""
    folder = tmp_path_factory.mktemp("reference")
    spec = small_spec(folder, regions=True)
    out = folder / "out"
    report = run_sweep(spec, out, workers=1, progress=False)
    assert report.complete and report.ran == 12 and report.failed == 0
    return spec, out


def test_results_layout(reference):
    spec, out = reference
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["spec_hash"] == load_spec(spec).hash
    assert manifest["tables"] == ["runs", "timeseries", "regions"]
    assert (out / "spec.toml").read_text() == spec.read_text()
    runs = read_results(out)
    assert runs["run"].tolist() == list(range(12))
    assert (runs["status"] == "ok").all()
    assert runs["seed"].is_unique
    assert {"punishment_severity", "scarcity", "cohesion", "compliance", "min_cohesion",
            "collapse_year"} <= set(runs.columns)
    series = read_results(out, "timeseries")
    assert sorted(series["Step"].unique()) == [0, 2, 4, 6]  # every = 2
    assert len(series) == 12 * 4
    regions = read_results(out, "regions")
    assert len(regions) == 12 * 4 * 25
    design = read_results(out, "design")
    assert design[["run", "seed"]].equals(runs[["run", "seed"]])


def test_a_run_is_reproducible_from_its_row(reference):
    """Each row's seed and parameters repeat the run exactly with the model alone."""
    from soviet_cohesion import CohesionModel

    _, out = reference
    row = read_results(out).iloc[5]
    model = CohesionModel("gorbachev", rng=int(row["seed"]), world="synthetic", steps=6, n_regions=25,
                          punishment_severity=row["punishment_severity"], scarcity=row["scarcity"])
    model.run_model()
    assert model.indicators()["cohesion"].iloc[-1] == row["cohesion"]


def test_two_local_workers_give_identical_tables(reference, tmp_path):
    spec, out = reference
    report = run_sweep(spec, tmp_path / "parallel", workers=2, progress=False)
    assert report.complete and report.where == "2 local worker processes"
    assert_same_results(out, tmp_path / "parallel", tables=("runs", "timeseries", "regions"))


def test_failed_runs_are_recorded_and_the_sweep_goes_on(tmp_path):
    spec = small_spec(tmp_path, extra_top='model = "sweep_support:FlakyModel"', timeseries=True)
    report = run_sweep(spec, tmp_path / "out", workers=2, progress=False)
    assert report.complete and report.ran == 12 and report.failed == 2
    runs = read_results(tmp_path / "out")
    bad = runs[runs["status"] == "error"]
    assert set(zip(bad["punishment_severity"], bad["scarcity"])) == {(0.5, 0.4)}
    assert bad["error"].str.startswith("ValueError: this cell is broken on purpose").all()
    assert bad["traceback"].str.contains("sweep_support.py").all()
    assert bad["cohesion"].isna().all()
    assert runs.loc[runs["status"] == "ok", "cohesion"].notna().all()
    # failures are results too: a second invocation has nothing left to do
    again = run_sweep(spec, tmp_path / "out", workers=1, progress=False)
    assert again.ran == 0 and again.complete


def test_resume_computes_only_what_is_missing(reference, tmp_path):
    spec, out = reference
    partial = tmp_path / "partial"
    shutil.copytree(out, partial)
    store = ResultStore(partial)
    runs_parts = store.parts("runs")
    # an interruption: some chunks never committed (no ledger line), leaving some of their
    # files behind, and a temporary file was left half written
    lost = runs_parts[::2]
    uncommit(partial, {part.name for part in lost})
    for part in lost[::2]:
        part.unlink()
        (partial / "regions" / part.name).unlink()
    (partial / "runs" / ".part-x.parquet.tmp").write_bytes(b"half a file")
    missing = 12 - len(read_results(partial))
    assert 0 < missing < 12
    report = run_sweep(spec, partial, workers=1, progress=False)
    assert report.done_before == 12 - missing and report.ran == missing
    assert not list((partial / "runs").glob(".*.tmp"))
    assert_same_results(out, partial, tables=("runs", "timeseries", "regions"))
    for name in ("runs", "timeseries", "regions"):
        assert not table(partial, name).duplicated(
            subset=[c for c in ("run", "Step", "region") if c in table(partial, name)]).any()


def test_interrupt_then_resume(tmp_path):
    """Ctrl-C (KeyboardInterrupt) mid-sweep keeps what finished; the same call finishes the rest."""
    spec = small_spec(tmp_path, extra_top='model = "sweep_support:InterruptingModel"')
    import sweep_support

    sweep_support.InterruptingModel.countdown = 5
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, tmp_path / "out", workers=1, progress=False)
    done = read_results(tmp_path / "out")
    assert 0 < len(done) < 12
    log = [json.loads(line) for line in (tmp_path / "out" / "sessions.jsonl").read_text().splitlines()]
    assert log[-1]["event"] == "interrupted"
    report = run_sweep(spec, tmp_path / "out", workers=1, progress=False)
    assert report.done_before == len(done) and report.ran == 12 - len(done)
    assert read_results(tmp_path / "out")["run"].tolist() == list(range(12))


def test_a_different_spec_is_refused(reference, tmp_path, capsys):
    spec, out = reference
    folder = tmp_path / "copy"
    shutil.copytree(out, folder)
    other = small_spec(tmp_path, name="other.toml", replicates=3)
    with pytest.raises(SweepError) as info:
        run_sweep(other, folder, workers=1, progress=False)
    assert "different spec" in str(info.value) and "\n" not in str(info.value)
    assert main(["sweep", str(other), "--out", str(folder), "--workers", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "different spec" in err
    # a changed description is the same computation: resuming is allowed
    same = write_spec(tmp_path, spec.read_text().replace('name = "small"', 'name = "small"\ndescription = "x"'),
                      "same.toml")
    assert run_sweep(same, folder, workers=1, progress=False).ran == 0


def test_a_foreign_folder_is_refused(tmp_path):
    spec = small_spec(tmp_path)
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "thesis.txt").write_text("precious")
    with pytest.raises(SweepError, match="not empty and holds no sweep"):
        run_sweep(spec, folder, workers=1, progress=False)
    assert (folder / "thesis.txt").read_text() == "precious"
    assert [p.name for p in folder.iterdir()] == ["thesis.txt"]  # nothing left behind


def test_a_folder_in_use_is_refused(tmp_path):
    spec = small_spec(tmp_path)
    store = ResultStore(tmp_path / "out")
    with store.lock():
        with pytest.raises(SweepError, match="in use by another sweep"):
            run_sweep(spec, tmp_path / "out", workers=1, progress=False)


def test_cli_sweep_and_analyze(tmp_path, capsys):
    spec = small_spec(tmp_path)
    out = tmp_path / "cli"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert "12 runs" in captured.out and "0 failed" in captured.out
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert main(["analyze", str(out)]) == 0
    text = capsys.readouterr().out
    assert "punishment_severity" in text and "cohesion_mean" in text
    assert (out / "summary.csv").is_file()
    assert (out / "figures" / "phase_diagram.png").stat().st_size > 10_000


def test_query_with_duckdb_and_pandas(reference):
    _, out = reference
    by_cell = query(out, "SELECT punishment_severity, scarcity, avg(cohesion) AS cohesion, count(*) AS n "
                         "FROM runs GROUP BY ALL ORDER BY ALL")
    assert len(by_cell) == 6 and (by_cell["n"] == 2).all()
    runs = read_results(out)
    expected = runs.groupby(["punishment_severity", "scarcity"])["cohesion"].mean().to_numpy()
    np.testing.assert_allclose(by_cell["cohesion"].to_numpy(), expected)
    joined = query(out, "SELECT r.scarcity, t.Step, avg(t.cohesion) AS c FROM timeseries t "
                        "JOIN runs r USING (run) GROUP BY ALL ORDER BY ALL")
    assert len(joined) == 2 * 4
    direct = pd.read_parquet(out / "runs")
    assert len(direct) == 12


def test_progress_lines_show_done_failed_rate_and_time_left():
    stream = io.StringIO()
    bar = Progress(total=20, done=5, failed=1, mode="log", desc="demo", stream=stream)
    for _ in range(3):
        bar.update(ok=4, failed=1)
    bar.close()
    last = stream.getvalue().strip().splitlines()[-1]
    assert last.startswith("demo: 20/20 runs done, 4 failed,")
    assert "runs/s" in last and "left" in last


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lost=st.sets(st.integers(0, 5)), orphan=st.booleans())
def test_any_interruption_resumes_to_the_same_table(reference, lost, orphan):
    """Whatever subset of chunks an interruption lost, resuming restores exactly the full table."""
    spec, out = reference
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "out"
        shutil.copytree(out, folder)
        parts = ResultStore(folder).parts("runs")
        for i in sorted(lost):
            if i < len(parts):
                parts[i].unlink()
                if not orphan:  # else the chunk's timeseries and regions parts stay behind
                    (folder / "timeseries" / parts[i].name).unlink()
        report = run_sweep(spec, folder, workers=1, progress=False)
        assert report.done_before + report.ran == 12
        assert_same_results(out, folder, tables=("runs", "timeseries", "regions"))


def test_the_shipped_smoke_spec_runs_and_analyses(tmp_path):
    spec = Path(__file__).resolve().parents[1] / "experiments" / "smoke.toml"
    report = run_sweep(spec, tmp_path / "smoke", workers=1, progress=False)
    assert report.complete and report.failed == 0 and report.ran == load_spec(spec).n_runs
    assert main(["analyze", str(tmp_path / "smoke"), "--out", str(tmp_path / "figs")]) == 0
    assert (tmp_path / "figs" / "summary.csv").is_file()
    assert (tmp_path / "figs" / "phase_diagram.png").is_file()


def test_ensemble_chunks_give_the_tables_of_runs_made_one_by_one(reference, tmp_path, monkeypatch):
    """A chunk of CohesionModel runs goes through the ensemble engine (many runs as rows of one
    set of arrays); with it switched off, each run is made alone: the tables are the same."""
    from soviet_cohesion.sweep import runner

    spec, out = reference
    monkeypatch.setattr(runner, "ENSEMBLE_MODEL", "none: every run alone")
    alone = tmp_path / "alone"
    assert run_sweep(spec, alone, workers=1, progress=False).complete
    for table in ("runs", "timeseries", "regions"):
        a = read_results(out, table).drop(columns=["elapsed_s"], errors="ignore")
        b = read_results(alone, table).drop(columns=["elapsed_s"], errors="ignore")
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True)


def test_a_bad_value_in_one_run_of_an_ensemble_chunk_fails_that_run_only(tmp_path):
    """One run with a parameter the model refuses cannot start an ensemble: the chunk falls back to
    runs made one by one, and only that run is recorded as failed."""
    from soviet_cohesion.sweep import runner

    spec = load_spec(small_spec(tmp_path))
    config = runner.make_config(spec, ["cohesion"], [])
    tasks = [(0, 0, 0, 1, (0.1, 0.1)), (1, 1, 0, 2, (float("nan"), 0.1)), (2, 2, 0, 3, (0.5, 0.4))]
    tables = runner.run_chunk(tasks, config)
    runs = tables["runs"].to_pandas()
    assert runs["status"].tolist() == ["ok", "error", "ok"]
    assert "punishment_severity" in runs["error"].iloc[1]
