"""``soviet-cohesion bench`` runs and prints every figure (quick mode). Nothing here times anything:
the figures are checked for being there and making sense, never against a speed."""

from __future__ import annotations

import json

import pytest

from soviet_cohesion import bench, cli

IN_PROCESS = ("sweep", "run", "scale", "memory", "reference")


def _run(tmp_path, capsys, *options):
    path = tmp_path / "bench.json"
    assert bench.main(["--quick", "--json", str(path), *options]) == 0
    return capsys.readouterr().out, json.loads(path.read_text())


def test_the_bench_prints_every_in_process_figure(tmp_path, capsys):
    out, figures = _run(tmp_path, capsys, "--skip", "parallel,phase")
    for title in ("1. Sweep throughput", "2. One full ussr-1953-1991 run", "3. Region-steps per second",
                  "4. Memory per region-step", "5. The per-agent reference", "Figures against the targets"):
        assert title in out
    assert out.count("load average at the start") == out.count("load average at the end") == len(IN_PROCESS)
    for key in IN_PROCESS:
        assert len(figures[key]["load_start"]) == 3 and len(figures[key]["load_end"]) == 3
    for scenario in ("ussr-1953-1991", "gorbachev"):
        row = figures["sweep"][scenario]
        assert row["per_run_runs_per_cpu_s"] > 0 and row["ensemble_runs_per_cpu_s"] > 0
        assert row["ratio_cpu"] == pytest.approx(row["ensemble_runs_per_cpu_s"] / row["per_run_runs_per_cpu_s"])
    run = figures["run"]
    assert run["regions"] > 100 and run["steps"] == 156 and run["region_rows"] == run["regions"] * 157
    assert run["total_s"] >= run["run_s"] > 0
    assert figures["scale"]["region_steps_per_s"] > 0
    assert figures["memory"]["bytes_per_region_step"] == pytest.approx(20.0)  # int8 x 2 + float16 x 9
    assert figures["reference"]["available"]
    assert all(r["speedup"] > 0 for r in figures["reference"]["rows"])
    judged = {c["figure"]: c for c in figures["targets"]}
    assert set(judged) == set(bench.TARGETS)
    assert all(c["met"] is None for c in judged.values())  # quick mode: nothing is judged
    assert judged["efficiency_clock"]["value"] is None


def test_skip_names_are_checked(capsys):
    assert bench.main(["--quick", "--skip", "sweeps"]) == 2
    assert "--skip 'sweeps': allowed: sweep, run, scale" in capsys.readouterr().err


def test_the_command_line_hands_its_options_to_the_bench(capsys):
    assert cli.main(["bench", "--quick", "--skip", ",".join(bench.PARTS)]) == 0
    assert "Figures against the targets" in capsys.readouterr().out


@pytest.mark.slow  # two process pools and the sweep runner: about 20 s on a busy 2-core machine
def test_the_bench_measures_pools_and_the_phase_diagram(tmp_path, capsys):
    out, figures = _run(tmp_path, capsys, "--skip", ",".join(IN_PROCESS), "--profile")
    assert "6. Parallel efficiency" in out and "7. The phase diagram" in out and "whole step" in out
    parallel = figures["parallel"]
    assert set(parallel) >= {"1", "2", "efficiency_clock", "efficiency_cpu"}
    assert parallel["1"]["runs_per_s"] > 0 and parallel["2"]["cpu_ms_per_run"] > 0
    phase = figures["phase"]
    assert phase["runs"] == 18 and phase["ensemble_pool_s"] > 0
    assert phase["runner_ran"] == 18 and phase["runner_s"] > 0
    assert set(figures["profile"]) >= {"USSR, 1 run", "USSR, 8 runs", "2,000 regions", "load_start", "load_end"}
    assert figures["profile"]["USSR, 1 run"]["step_us"] > 0
