"""Analysis of sweep results: summary tables, sensitivity indices and figures."""

from __future__ import annotations

import json

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from soviet_cohesion import parameters
from soviet_cohesion.sweep import analyze, run_sweep
from sweep_support import SOBOL, write_spec

#: the eight levers the small Sobol spec of sweep_support varies
LEVERS = sorted(["openness", "supply_reform", "decentralisation", "punishment_severity", "audit_capacity",
                 "responsibility_shared", "appeasement", "local_accountability"])


def assert_picture(path):
    """The PNG exists, is of a sensible size and is not blank."""
    assert path.is_file() and path.stat().st_size > 10_000, path
    pixels = mpimg.imread(path)
    assert pixels.shape[0] > 300 and pixels.shape[1] > 300
    assert pixels[..., :3].std() > 0.05


@pytest.fixture(scope="module")
def sobol_result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sobol")
    spec = write_spec(folder, SOBOL, "small_sobol.toml")
    report = run_sweep(spec, folder / "out", workers=1, progress=False)
    assert report.complete and report.ran == 8 * (8 + 1 + 2)  # eight levers and the dummy
    return folder / "out", analyze(folder / "out")


def test_sobol_indices_for_every_lever(sobol_result):
    out, result = sobol_result
    table = pd.read_csv(out / "figures" / "sobol_indices.csv")
    assert set(table["metric"]) == {"cohesion", "compliance"}
    for metric, rows in table.groupby("metric"):
        assert sorted(rows["parameter"]) == sorted([*LEVERS, "dummy"])
        assert rows[["S1", "S1_conf", "ST", "ST_conf"]].notna().all().all()
        assert (rows["ST_conf"] >= 0).all()
    assert "Sobol indices" in result.text and "punishment_severity" in result.text


def test_sobol_figures_exist_and_are_not_empty(sobol_result):
    out, result = sobol_result
    assert_picture(out / "figures" / "sobol.png")
    assert (out / "summary.csv").is_file()
    assert all(p.is_file() for p in result.files)


def _run_and_analyze(tmp_path, text, name):
    spec = write_spec(tmp_path, text, f"{name}.toml")
    report = run_sweep(spec, tmp_path / name, workers=1, progress=False)
    assert report.complete
    return tmp_path / name, analyze(tmp_path / name)


BASE = """
name = "{name}"
world = "synthetic"
steps = 6
replicates = {replicates}
seed = 5
{top}
[fixed]
n_regions = 25
{rest}
"""


def test_scenario_comparison_and_time_series_bands(tmp_path):
    text = BASE.format(name="compare", replicates=6, top="",
                       rest='[vary]\nscenario = ["stalin", "gorbachev", "gorbachev-shared-responsibility"]\n'
                            "[outputs]\ntimeseries = true\n")
    out, result = _run_and_analyze(tmp_path, text, "compare")
    summary = pd.read_csv(out / "summary.csv")
    assert summary["scenario"].tolist() == ["stalin", "gorbachev", "gorbachev-shared-responsibility"]
    assert (summary["runs"] == 6).all()
    assert {"cohesion_mean", "cohesion_sd", "cohesion_p10", "cohesion_p90", "collapsed_share"} <= set(summary)
    assert_picture(out / "figures" / "comparison.png")
    assert_picture(out / "figures" / "timeseries.png")


def test_phase_diagram_with_facets(tmp_path):
    text = BASE.format(name="phase", replicates=2, top='scenario = "gorbachev"',
                       rest="[vary]\npunishment_severity = { low = 0, high = 1, num = 4 }\n"
                            "scarcity = { low = 0, high = 0.6, num = 4 }\nloop_contagion = [true, false]\n"
                            '[analysis]\nmetrics = ["cohesion", "compliance"]\n')
    out, result = _run_and_analyze(tmp_path, text, "phase")
    assert_picture(out / "figures" / "phase_diagram.png")
    assert len(pd.read_csv(out / "summary.csv")) == 4 * 4 * 2
    svg = _svg_text(out / "figures" / "phase_diagram.png")
    assert "(loop_contagion=True)" in svg and "(loop_contagion=False)" in svg


def test_morris_screening(tmp_path):
    text = BASE.format(name="morris", replicates=1, top='scenario = "gorbachev"',
                       rest="[vary]\naudit_k = {}\nwithholding = {}\nunrest_rate = {}\n"
                            '[sampler]\nmethod = "morris"\nn = 4\n')
    out, result = _run_and_analyze(tmp_path, text, "morris")
    table = pd.read_csv(out / "figures" / "morris_indices.csv")
    assert set(table["parameter"]) == {"audit_k", "withholding", "unrest_rate"}
    assert (table["mu_star"] >= 0).all()
    assert_picture(out / "figures" / "morris.png")


def test_latin_hypercube(tmp_path):
    text = BASE.format(name="lhs", replicates=1, top='scenario = "gorbachev"',
                       rest='[vary]\nscarcity = { low = 0, high = 0.6 }\nopenness = {}\n[sampler]\nmethod = "lhs"\nn = 20\n')
    out, result = _run_and_analyze(tmp_path, text, "lhs")
    table = pd.read_csv(out / "figures" / "lhs_correlations.csv")
    assert set(table["parameter"]) == {"scarcity", "openness"}
    assert table["spearman"].dropna().between(-1, 1).all()
    assert table.loc[table["metric"] == "cohesion", "spearman"].notna().all()  # (a constant metric gives NaN)
    assert_picture(out / "figures" / "lhs_scatter.png")


def test_response_curve_for_one_factor(tmp_path):
    text = BASE.format(name="curve", replicates=3, top='scenario = "gorbachev"',
                       rest="[vary]\nscarcity = { low = 0, high = 0.6, num = 5 }\n")
    out, result = _run_and_analyze(tmp_path, text, "curve")
    assert_picture(out / "figures" / "response.png")


def test_analysis_survives_failed_runs(tmp_path):
    text = BASE.format(name="flaky", replicates=2, top='scenario = "gorbachev"\nmodel = "sweep_support:FlakyModel"',
                       rest="[vary]\npunishment_severity = [0.1, 0.5, 0.9]\nscarcity = [0.1, 0.4]\n")
    out, result = _run_and_analyze(tmp_path, text, "flaky")
    assert "2 run(s) failed with: ValueError: this cell is broken on purpose" in result.text
    summary = pd.read_csv(out / "summary.csv")
    broken = summary[(summary.punishment_severity == 0.5) & (summary.scarcity == 0.4)].iloc[0]
    assert broken["failed"] == 2 and np.isnan(broken["cohesion_mean"])


# ---------------------------------------------------------------------- figures that do not mislead
def _svg_text(path) -> str:
    """The SVG of a figure (its text is kept as text, so words can be searched)."""
    svg = path.with_suffix(".svg")
    assert svg.is_file(), f"no SVG beside {path.name}"
    return svg.read_text()


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    """Scenarios x a loop switch x two levels of scarcity, with time series."""
    folder = tmp_path_factory.mktemp("pooled")
    text = BASE.format(name="pooled", replicates=3, top="",
                       rest='[vary]\nscenario = ["stalin", "gorbachev"]\nloop_contagion = [true, false]\n'
                            "scarcity = [0.1, 0.4]\n[outputs]\ntimeseries = true\n"
                            '[analysis]\nmetrics = ["cohesion", "compliance"]\n')
    return _run_and_analyze(folder, text, "pooled")


def test_time_series_facet_the_other_factors_and_name_them(pooled):
    out, result = pooled
    svg = _svg_text(out / "figures" / "timeseries.png")
    assert "scenario=stalin (n = 3)" in svg and "scenario=gorbachev (n = 3)" in svg  # legend: name=value, n
    assert "loop_contagion=True, scarcity=0.1" in svg  # a panel per combination, named
    assert "n = 3 runs per band" in svg
    assert ">True<" not in svg and ">False<" not in svg  # no bare values in legends


def test_comparison_names_its_facets_and_draws_every_metric(pooled):
    out, result = pooled
    svg = _svg_text(out / "figures" / "comparison.png")
    assert "loop_contagion=False, scarcity=0.4" in svg
    assert "final cohesion" in svg and "final compliance" in svg


def test_too_many_combinations_are_pooled_and_said_so(tmp_path):
    text = BASE.format(name="many", replicates=1, top="",
                       rest='[vary]\nscenario = ["stalin", "gorbachev"]\nscarcity = [0.1, 0.2, 0.3, 0.4]\n'
                            "punishment_severity = [0.2, 0.8]\n[outputs]\ntimeseries = true\n"
                            '[analysis]\nmetrics = ["cohesion"]\n')
    out, result = _run_and_analyze(tmp_path, text, "many")
    svg = _svg_text(out / "figures" / "timeseries.png")
    assert "pooled over scarcity (4 values), punishment_severity (2 values)" in svg
    assert "n = 8 runs per band" in svg


def test_phase_diagram_labels_colour_bars_counts_runs_and_draws_every_metric(tmp_path):
    text = BASE.format(name="phase", replicates=2, top='scenario = "gorbachev"',
                       rest="[vary]\npunishment_severity = { low = 0, high = 1, num = 3 }\n"
                            "scarcity = { low = 0, high = 0.6, num = 3 }\n"
                            '[analysis]\nmetrics = ["cohesion", "compliance", "reserves"]\n')
    out, result = _run_and_analyze(tmp_path, text, "phase")
    png = out / "figures" / "phase_diagram.png"
    assert_picture(png)
    svg = _svg_text(png)
    for bar in ("mean final cohesion", "mean final compliance", "mean final reserves",
                "share of runs with cohesion &lt; 0.5 at the end"):
        assert bar in svg  # each colour bar says what it shows
    assert "n = 2 runs per cell" in svg
    summary = pd.read_csv(out / "summary.csv")
    assert {"mean_unrest_mean", "audits_mean", "min_cohesion_mean"} <= set(summary)  # every kept metric
    assert "also kept, in summary.csv" in result.text


def test_no_collapse_boundary_is_said_plainly(tmp_path):
    """Stalin's union holds everywhere: there is no boundary to draw, and the analysis says so."""
    text = BASE.format(name="stable", replicates=1, top='scenario = "stalin"',
                       rest="[vary]\npunishment_severity = [0.5, 1.0]\nscarcity = [0.0, 0.1]\n")
    out, result = _run_and_analyze(tmp_path, text, "stable")
    assert any(note.startswith("no collapse boundary: mean cohesion is above 0.5 in every cell")
               for note in result.notes)
    assert "no collapse boundary" in result.text
    assert "no collapse boundary" in _svg_text(out / "figures" / "phase_diagram.png")
    assert "collapse boundary: mean cohesion = 0.5" not in _svg_text(out / "figures" / "phase_diagram.png")


# ---------------------------------------------------------------------- Sobol checks, through time
SOBOL_TS = SOBOL.replace("replicates = 1", "replicates = 2").replace(
    '[analysis]', '[outputs]\ntimeseries = true\nevery = 2\n\n[analysis]')


@pytest.fixture(scope="module")
def sobol_checked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sobol_ts")
    spec = write_spec(folder, SOBOL_TS, "sobol_ts.toml")
    assert run_sweep(spec, folder / "out", workers=1, progress=False).complete
    return folder / "out", analyze(folder / "out")


def test_sobol_checks_convergence_dummy_and_seed_noise(sobol_checked):
    out, result = sobol_checked
    checks = pd.read_csv(out / "figures" / "sobol_checks.csv")
    assert set(checks["metric"]) == {"cohesion", "compliance"}
    assert checks["max_change_ST"].notna().all() and (checks["N"] == 8).all()
    assert checks["dummy_ST"].notna().all()
    assert checks["seed_noise_runs"].between(0, 1).all()
    assert (checks["seed_noise_means"] <= checks["seed_noise_runs"] + 1e-12).all()
    indices = pd.read_csv(out / "figures" / "sobol_indices.csv")
    assert indices["ST_half"].notna().all() and indices["ST_half_conf"].notna().all()
    # the interval check agrees with the indices it was computed from
    for row in checks.itertuples():
        part = indices[indices["metric"] == row.metric]
        apart = (part["ST"] - part["ST_half"]).abs() > part["ST_conf"] + part["ST_half_conf"]
        assert row.intervals_agree == (not apart.any())
        assert set(str(row.intervals_apart).split()) - {"nan"} == set(part.loc[apart, "parameter"])
    assert "total indices at N = 4 and N = 8 differ by at most" in result.text
    assert "dummy ST =" in result.text and "seed noise:" in result.text
    svg = _svg_text(out / "figures" / "sobol.png")
    assert "noise floor: dummy ST" in svg and "total ST from the first half (N = 4)" in svg


def test_sensitivity_of_time_series_outcomes(sobol_checked):
    out, result = sobol_checked
    over = pd.read_csv(out / "figures" / "sobol_timeseries.csv")
    assert sorted(over["Step"].unique()) == [0, 2, 4, 6, 8] or len(over["Step"].unique()) >= 4
    assert set(over["parameter"]) == set([*LEVERS, "dummy"])
    assert over.groupby(["metric", "Step"]).size().eq(9).all()
    assert_picture(out / "figures" / "sobol_timeseries.png")


def test_morris_and_lhs_through_time(tmp_path):
    text = BASE.format(name="morris_ts", replicates=1, top='scenario = "gorbachev"',
                       rest="[vary]\naudit_k = {}\nwithholding = {}\n"
                            '[sampler]\nmethod = "morris"\nn = 4\ndummy = true\n[outputs]\ntimeseries = true\n'
                            '[analysis]\nmetrics = ["cohesion"]\n')
    out, _ = _run_and_analyze(tmp_path, text, "morris_ts")
    over = pd.read_csv(out / "figures" / "morris_timeseries.csv")
    assert set(over["parameter"]) == {"audit_k", "withholding", "dummy"} and over["Step"].nunique() > 2
    text = BASE.format(name="lhs_ts", replicates=1, top='scenario = "gorbachev"',
                       rest='[vary]\nscarcity = { low = 0, high = 0.6 }\nopenness = {}\n[sampler]\nmethod = "lhs"\n'
                            "n = 12\n[outputs]\ntimeseries = true\n[analysis]\nmetrics = [\"cohesion\"]\n")
    out, _ = _run_and_analyze(tmp_path, text, "lhs_ts")
    over = pd.read_csv(out / "figures" / "lhs_timeseries.csv")
    assert set(over["parameter"]) == {"scarcity", "openness"} and over["spearman"].dropna().between(-1, 1).all()


# ---------------------------------------------------------------------- the EMA Workbench's form
def test_experiments_and_outcomes_for_the_ema_workbench(pooled, tmp_path):
    import tarfile

    from soviet_cohesion.sweep import experiments_outcomes
    from soviet_cohesion.sweep.ema import save_ema
    from soviet_cohesion.sweep import read_results

    out, _ = pooled
    experiments, outcomes = experiments_outcomes(out)
    runs = read_results(out)
    assert len(experiments) == len(runs) == 2 * 2 * 2 * 3
    assert list(experiments.columns) == ["timeline", "loop_contagion", "scarcity", "scenario", "policy", "model"]
    assert experiments["timeline"].tolist() == runs["scenario"].tolist()
    assert experiments["scenario"].astype(int).tolist() == runs["point"].tolist()
    np.testing.assert_array_equal(outcomes["cohesion"], runs["cohesion"].to_numpy())
    assert outcomes["cohesion_series"].shape == outcomes["TIME"].shape == (24, 7)  # steps 0..6
    path = save_ema(out, tmp_path / "runs.tar.gz")
    with tarfile.open(path) as archive:
        names = set(archive.getnames())
        metadata = json.loads(archive.extractfile("metadata.json").read())
    assert {"experiments.csv", "metadata.json", "cohesion.cls", "cohesion_series.csv", "TIME.csv"} <= names
    assert ["ScalarOutcome", "cohesion", "cohesion.cls"] in metadata["outcomes"]
    assert metadata["experiments"]["scarcity"] == "float64"


def test_the_ema_workbench_reads_the_export(pooled, tmp_path):
    ema = pytest.importorskip("ema_workbench")
    from soviet_cohesion.sweep.ema import save_ema

    out, _ = pooled
    experiments, outcomes = ema.load_results(str(save_ema(out, tmp_path / "runs.tar.gz")))
    from soviet_cohesion.sweep import experiments_outcomes

    mine, values = experiments_outcomes(out)
    assert list(experiments.columns) == list(mine.columns) and len(experiments) == len(mine)
    np.testing.assert_allclose(outcomes["cohesion"], values["cohesion"])
    np.testing.assert_allclose(outcomes["cohesion_series"], values["cohesion_series"])


def test_cli_analyze_exports_for_the_ema_workbench(tmp_path, capsys):
    from soviet_cohesion.cli import main

    text = BASE.format(name="tiny", replicates=1, top='scenario = "gorbachev"',
                       rest='[vary]\nscarcity = [0.1, 0.4]\n[analysis]\nmetrics = ["cohesion"]\n')
    out, _ = _run_and_analyze(tmp_path, text, "tiny")
    assert main(["analyze", str(out), "--out", str(tmp_path / "figs"), "--ema", str(tmp_path / "x.tar.gz")]) == 0
    assert f"wrote {tmp_path / 'x.tar.gz'}" in capsys.readouterr().out
