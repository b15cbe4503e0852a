"""Analysis of sweep results: summary tables, sensitivity indices and figures."""

from __future__ import annotations

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from soviet_cohesion import parameters
from soviet_cohesion.sweep import analyze, run_sweep
from sweep_support import SOBOL, write_spec

LEVERS = sorted(p.name for p in parameters.PARAMETERS.values() if p.group == "lever")


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
    assert report.complete and report.ran == 8 * (8 + 2)
    return folder / "out", analyze(folder / "out")


def test_sobol_indices_for_every_lever(sobol_result):
    out, result = sobol_result
    table = pd.read_csv(out / "figures" / "sobol_indices.csv")
    assert set(table["metric"]) == {"cohesion", "compliance"}
    for metric, rows in table.groupby("metric"):
        assert sorted(rows["parameter"]) == LEVERS
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
                            "scarcity = { low = 0, high = 0.6, num = 4 }\nloop_contagion = [true, false]\n")
    out, result = _run_and_analyze(tmp_path, text, "phase")
    assert_picture(out / "figures" / "phase_diagram.png")
    assert len(pd.read_csv(out / "summary.csv")) == 4 * 4 * 2


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
