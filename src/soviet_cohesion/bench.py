"""The benchmark: ``soviet-cohesion bench [--quick] [--json PATH]`` (or ``python -m soviet_cohesion.bench``).

In one run on one machine it measures, with repeated runs and medians:

1. region-steps per second of the vectorised model and of the per-agent reference
   (``tests/reference_model.py``) at 150, 1,000, 10,000 and 100,000 regions, and the ratio;
2. the time of one full ``ussr-1953-1991`` run with data collection;
3. sweep throughput (runs per second) with 1 and 2 worker processes, and the parallel
   efficiency ``throughput_2 / (2 * throughput_1)``;
4. memory: what the records keep per region-step (it grows linearly with regions x steps
   kept), what ``collect_regions=False`` and ``collect_every=k`` keep instead, and the peak.

It asserts nothing about time: it prints the figures (and, with ``--json``, saves them),
with the targets of docs/performance.md beside them. The reference lives in the
repository's ``tests/`` folder; from an installed wheel it reports "reference not available".
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

SCENARIO = "ussr-1953-1991"

#: the figures to reach (docs/performance.md); printed beside the measurements, never asserted
TARGETS = {
    "vectorised_region_steps_per_s_at_100000": 1_000_000,
    "speedup_over_reference_at_10000": 20,
    "full_run_s": 0.2,
    "parallel_efficiency": 0.8,
}

FULL = dict(sizes=(150, 1_000, 10_000, 100_000), steps=40, repeats=5, reference_repeats=3,
            reference_budget=200_000, reference_max=10_000, arc_size=100_000, arc_repeats=3,
            run_repeats=15, sweep_runs=200, sweep_repeats=3,
            memory_sizes=(150, 600, 2_400), memory_steps=(39, 78, 156), memory_demo=(1_000, 156),
            peak_steps=None)
QUICK = dict(sizes=(150, 1_000, 10_000), steps=10, repeats=2, reference_repeats=1,
             reference_budget=20_000, reference_max=10_000, arc_size=0, arc_repeats=0,
             run_repeats=3, sweep_runs=8, sweep_repeats=1,
             memory_sizes=(100, 300), memory_steps=(10, 20), memory_demo=(200, 40), peak_steps=40)


# ----------------------------------------------------------------------------- helpers
def load_reference():
    """The per-agent ``ReferenceModel`` from the repository's ``tests/`` folder, or ``None``."""
    if "reference_model" in sys.modules:
        return getattr(sys.modules["reference_model"], "ReferenceModel", None)
    tests = Path(__file__).resolve().parents[2] / "tests"
    if not (tests / "reference_model.py").is_file():
        return None
    if str(tests) not in sys.path:
        sys.path.append(str(tests))
    try:
        return importlib.import_module("reference_model").ReferenceModel
    except ImportError:
        return None


def scenario_world() -> tuple[dict, str]:
    """The world for the scenario run: the USSR when its data files load, else synthetic 150."""
    from .model import CohesionModel

    try:
        CohesionModel(SCENARIO, rng=0, steps=1, collect_regions=False)
        return {}, "ussr"
    except (OSError, KeyError, ValueError, IndexError) as exc:
        reason = type(exc).__name__ + (f" {Path(exc.filename).name}" if getattr(exc, "filename", None) else "")
        return {"world": "synthetic", "n_regions": 150}, f"synthetic, 150 regions (the USSR world does not load yet: {reason})"


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def _say(text: str = "") -> None:
    print(text, flush=True)


# ----------------------------------------------------------------------------- 1. throughput
def time_steps(factory, steps: int, repeats: int) -> tuple[float, float, float]:
    """Median seconds to build a model (``factory(seed)``) and to run ``steps`` steps of it
    (wall clock), and the median CPU seconds of those steps."""
    builds, runs, cpus = [], [], []
    for seed in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        model = factory(seed)
        t1 = time.perf_counter()
        c1 = time.process_time()
        for _ in range(steps):
            model.step()
        t2 = time.perf_counter()
        cpus.append(time.process_time() - c1)
        builds.append(t1 - t0)
        runs.append(t2 - t1)
        del model
    return median(builds), median(runs), median(cpus)


def throughput(cfg: dict, reference) -> dict:
    from .model import CohesionModel

    _say(f"1. Region-steps per second: scenario {SCENARIO} on a synthetic grid world, "
         f"collect_regions=False,\n   median of repeated runs, build time excluded; the reference "
         f"runs the same steps (capped)")
    _say(f"   {'regions':>8} {'steps':>5} {'vectorised/s':>14} {'reference/s':>13} {'ratio':>7} "
         f"{'build vec s':>11} {'build ref s':>11}")
    rows = []
    for n in cfg["sizes"]:
        with_ref = reference is not None and n <= cfg["reference_max"]
        steps = min(cfg["steps"], max(3, cfg["reference_budget"] // n)) if with_ref else cfg["steps"]

        def vec(seed, n=n):
            return CohesionModel(SCENARIO, rng=seed, world="synthetic", n_regions=n, collect_regions=False)

        build_v, run_v, cpu_v = time_steps(vec, steps, cfg["repeats"])
        row = {"regions": n, "steps": steps, "vectorised_region_steps_per_s": n * steps / run_v,
               "vectorised_region_steps_per_cpu_s": n * steps / max(cpu_v, 1e-9),
               "vectorised_build_s": build_v, "reference_region_steps_per_s": None,
               "reference_region_steps_per_cpu_s": None, "reference_build_s": None, "ratio": None}
        if with_ref:
            def ref(seed, n=n):
                return reference(SCENARIO, rng=seed, world="synthetic", n_regions=n, collect_regions=False)

            build_r, run_r, cpu_r = time_steps(ref, steps, cfg["reference_repeats"])
            row.update(reference_region_steps_per_s=n * steps / run_r, reference_build_s=build_r,
                       reference_region_steps_per_cpu_s=n * steps / max(cpu_r, 1e-9), ratio=run_r / run_v)
        rows.append(row)
        if with_ref:
            ref_text = (f"{row['reference_region_steps_per_s']:13,.0f} {row['ratio']:7.1f} "
                        f"{row['vectorised_build_s']:11.3f} {row['reference_build_s']:11.3f}")
        else:
            why = "skipped" if reference is not None else "n/a"
            ref_text = f"{why:>13} {'-':>7} {row['vectorised_build_s']:11.3f} {'-':>11}"
        _say(f"   {n:8,d} {steps:5d} {row['vectorised_region_steps_per_s']:14,.0f} {ref_text}")
    out = {"rows": rows}
    _say("   per CPU second (robust to other load): " + "; ".join(
        f"{r['regions']:,}: {r['vectorised_region_steps_per_cpu_s']:,.0f}"
        + (f" vs {r['reference_region_steps_per_cpu_s']:,.0f}" if r["reference_region_steps_per_cpu_s"] else "")
        for r in rows))
    if reference is None:
        _say("   reference not available (no tests/reference_model.py next to this package)")
    elif max(cfg["sizes"]) > cfg["reference_max"]:
        _say(f"   reference skipped above {cfg['reference_max']:,} regions; its steps are capped at "
             f"{cfg['reference_budget']:,} region-steps per run")
    if cfg["arc_size"]:
        n = cfg["arc_size"]
        times = []
        for seed in range(cfg["arc_repeats"]):
            model = CohesionModel(SCENARIO, rng=seed, world="synthetic", n_regions=n, collect_regions=False)
            t0 = time.perf_counter()
            model.run_model()
            times.append(time.perf_counter() - t0)
            steps = model.steps
            del model
        rate = n * steps / median(times)
        out["whole_arc"] = {"regions": n, "steps": steps, "region_steps_per_s": rate, "run_s": median(times)}
        _say(f"   whole {SCENARIO} arc ({steps} steps) at {n:,} regions, vectorised: {rate:,.0f} region-steps/s "
             f"({median(times):.2f} s per run, median of {cfg['arc_repeats']})")
    return out


# ----------------------------------------------------------------------------- 2. one full run
def full_run(cfg: dict, world_kw: dict, world_text: str) -> dict:
    from .model import CohesionModel

    _say(f"\n2. One full {SCENARIO} run, world: {world_text}")
    parts = {"build": [], "run": [], "indicators": [], "region_records": []}
    totals, sweep_totals, cpu_totals, rows = [], [], [], 0
    for seed in range(cfg["run_repeats"]):
        gc.collect()
        c0 = time.process_time()
        t0 = time.perf_counter()
        model = CohesionModel(SCENARIO, rng=seed, **world_kw)
        t1 = time.perf_counter()
        model.run_model()
        t2 = time.perf_counter()
        model.indicators()
        t3 = time.perf_counter()
        rows = len(model.region_records())
        t4 = time.perf_counter()
        cpu_totals.append(time.process_time() - c0)
        for key, value in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            parts[key].append(value)
        totals.append(t4 - t0)
        n_regions, steps = model.n_regions, model.steps
        t0 = time.perf_counter()
        model = CohesionModel(SCENARIO, rng=seed, collect_regions=False, **world_kw)
        model.run_model()
        model.indicators()
        sweep_totals.append(time.perf_counter() - t0)
    out = {"world": world_text, "regions": n_regions, "steps": steps, "region_rows": rows,
           "total_s": median(totals), "total_cpu_s": median(cpu_totals),
           "collect_regions_false_s": median(sweep_totals),
           **{f"{k}_s": median(v) for k, v in parts.items()}}
    _say(f"   {n_regions} regions x {steps} steps, indicators and per-region records every step "
         f"(median of {cfg['run_repeats']}):")
    _say(f"   build {out['build_s']:.4f} s + run {out['run_s']:.4f} s + indicators() {out['indicators_s']:.4f} s "
         f"+ region_records() {out['region_records_s']:.4f} s ({rows:,} rows) = {out['total_s']:.3f} s "
         f"(CPU {out['total_cpu_s']:.3f} s)")
    _say(f"   the same run keeping indicators only (collect_regions=False, as in a sweep): "
         f"{out['collect_regions_false_s']:.3f} s")
    return out


# ----------------------------------------------------------------------------- 3. sweeps
def _sweep_task(args: tuple[int, dict]) -> dict:
    """One run of a sweep: the scenario's final indicators (module level, so it pickles)."""
    from .model import CohesionModel

    seed, world_kw = args
    model = CohesionModel(SCENARIO, rng=seed, collect_regions=False, **world_kw)
    model.run_model()
    final = model.indicators().iloc[-1]
    return {"seed": seed, "cohesion": float(final["cohesion"]), "authority": float(final["authority"])}


def _warm(delay: float) -> int:
    """Start-up task: import the model, run a tiny model, then wait so every worker gets one."""
    from .model import CohesionModel

    CohesionModel("gorbachev", rng=0, world="synthetic", n_regions=20, steps=2).run_model()
    time.sleep(delay)
    return os.getpid()


def _runner_backend(workers: int):
    """A started local pool of the project's sweep runner (``soviet_cohesion.sweep``)."""
    from .sweep.executors import LocalPool

    return LocalPool(workers)


def _own_backend(workers: int):
    """A plain ``ProcessPoolExecutor`` (forkserver, model imported once in the server)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["soviet_cohesion.model"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def _runner_batch(backend, runs: int, seed: int, world_kw: dict, folder: Path) -> float:
    """Seconds for the sweep runner to do ``runs`` replicates of the scenario (results to Parquet)."""
    from .sweep import parse_spec, run_sweep

    data = {"name": "bench", "scenario": SCENARIO, "replicates": runs, "seed": seed}
    if world_kw:
        data["world"] = world_kw["world"]
        data["fixed"] = {k: v for k, v in world_kw.items() if k != "world"}
    spec = parse_spec(data, where="<bench>")
    t0 = time.perf_counter()
    report = run_sweep(spec, folder, backend=backend, progress=False)
    elapsed = time.perf_counter() - t0
    if report.ran != runs or report.failed:
        raise RuntimeError(f"the sweep runner did {report.ran} of {runs} runs ({report.failed} failed)")
    return elapsed


def _pool_batch(pool, runs: int, seed: int, world_kw: dict, workers: int) -> float:
    tasks = [(seed * runs + i, world_kw) for i in range(runs)]
    t0 = time.perf_counter()
    results = list(pool.map(_sweep_task, tasks, chunksize=max(1, runs // (8 * workers))))
    elapsed = time.perf_counter() - t0
    if len(results) != runs:
        raise RuntimeError(f"the pool returned {len(results)} of {runs} runs")
    return elapsed


def _cpu_seconds(pids) -> float | None:
    """CPU seconds used so far by the processes ``pids`` (Linux /proc; None elsewhere)."""
    total = 0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
        return total / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def sweep(cfg: dict, world_kw: dict, via: str = "auto") -> dict:
    workers = (1, 2)
    runs = cfg["sweep_runs"]
    if via == "auto":
        try:
            from .sweep import parse_spec, run_sweep  # noqa: F401
            from .sweep.executors import LocalPool  # noqa: F401
            via = "runner"
        except ImportError:
            via = "pool"
    how = ("the project's sweep runner (soviet_cohesion.sweep.run_sweep, local pool; results written to "
           "Parquet)" if via == "runner" else "a ProcessPoolExecutor (forkserver) of this module")
    _say(f"\n3. Sweep throughput: batches of {runs} runs of {SCENARIO} (collect_regions=False) through\n"
         f"   {how};\n   workers started and warmed before timing, 1- and 2-worker batches "
         f"interleaved, median of {cfg['sweep_repeats']}")
    backends, start, worker_pids = {}, {}, {}
    times: dict[int, list[float]] = {w: [] for w in workers}
    cpu: dict[int, dict[str, list]] = {w: {"workers": [], "main": []} for w in workers}
    try:
        with tempfile.TemporaryDirectory(prefix="sc-bench-") as tmp:
            for w in workers:
                t0 = time.perf_counter()
                backends[w] = _runner_backend(w) if via == "runner" else _own_backend(w)
                executor = backends[w].executor if via == "runner" else backends[w]
                pids = set(executor.map(_warm, [0.3] * w))
                worker_pids[w] = pids
                start[w] = time.perf_counter() - t0
                if len(pids) != w:
                    _say(f"   note: only {len(pids)} of {w} workers answered the warm-up")
            for repeat in range(cfg["sweep_repeats"]):
                for w in workers:
                    main0, workers0 = time.process_time(), _cpu_seconds(worker_pids[w])
                    if via == "runner":
                        folder = Path(tmp) / f"w{w}-r{repeat}"
                        times[w].append(_runner_batch(backends[w], runs, 1000 + repeat, world_kw, folder))
                    else:
                        times[w].append(_pool_batch(backends[w], runs, repeat, world_kw, w))
                    workers1 = _cpu_seconds(worker_pids[w])
                    cpu[w]["main"].append(time.process_time() - main0)
                    cpu[w]["workers"].append(None if workers0 is None or workers1 is None else workers1 - workers0)
    finally:
        for backend in backends.values():
            if via == "runner":
                backend.close()
            else:
                backend.shutdown(cancel_futures=True)
    rates = {w: runs / median(times[w]) for w in workers}
    best = {w: runs / min(times[w]) for w in workers}
    efficiency = rates[2] / (2 * rates[1])
    best_efficiency = best[2] / (2 * best[1])
    for w in workers:
        _say(f"   {w} worker{'s' if w > 1 else ' '}: {rates[w]:6.1f} runs/s ({median(times[w]):.2f} s per batch; "
             f"best batch {best[w]:.1f} runs/s; worker start-up {start[w]:.2f} s, not counted)")
    _say(f"   parallel efficiency throughput_2 / (2 * throughput_1) = {efficiency:.0%} "
         f"(best batches: {best_efficiency:.0%}; CPUs usable here: {_cpus()})")
    accounting = None
    if all(x is not None for w in workers for x in cpu[w]["workers"]):
        per_run = {w: {k: median(v) / runs for k, v in cpu[w].items()} for w in workers}
        cores = {w: median([(a + b) / t for a, b, t in zip(cpu[w]["workers"], cpu[w]["main"], times[w])])
                 for w in workers}
        idle_estimate = per_run[1]["workers"] / (per_run[2]["workers"] + per_run[2]["main"])
        accounting = {"cpu_s_per_run": {str(w): per_run[w] for w in workers},
                      "cores_in_use": {str(w): cores[w] for w in workers},
                      "idle_machine_efficiency_estimate": idle_estimate}
        for w in workers:
            _say(f"   CPU per run, {w} worker{'s' if w > 1 else ' '}: {per_run[w]['workers'] * 1e3:5.1f} ms in the workers "
                 f"+ {per_run[w]['main'] * 1e3:4.1f} ms in this process; {cores[w]:.2f} cores in use on average")
        _say(f"   CPU accounting: on an otherwise idle {_cpus()}-CPU machine the efficiency would be about "
             f"{idle_estimate:.0%} (1-worker CPU per run / 2-worker CPU per run, this process included);"
             f"\n   fewer than 2 cores in use in the 2-worker batches means other processes had the rest")
    return {"cpu_accounting": accounting, "via": via, "runs_per_batch": runs, "runs_per_s": {str(w): rates[w] for w in workers},
            "batch_s": {str(w): median(times[w]) for w in workers},
            "batch_s_all": {str(w): times[w] for w in workers},
            "best_runs_per_s": {str(w): best[w] for w in workers}, "best_parallel_efficiency": best_efficiency,
            "worker_start_s": {str(w): start[w] for w in workers}, "parallel_efficiency": efficiency}


# ----------------------------------------------------------------------------- 4. memory
def retained(kw: dict, steps: int) -> tuple[int, int]:
    """Bytes a run keeps after it ends (beyond the freshly built model), and its peak."""
    from .model import CohesionModel

    gc.collect()
    tracemalloc.start()
    try:
        model = CohesionModel(SCENARIO, rng=0, steps=steps, **kw)
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        model.run_model()
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return current - base, peak - base


def memory(cfg: dict, world_kw: dict, world_text: str) -> dict:
    from .model import CohesionModel

    _say("\n4. Memory (tracemalloc; numpy arrays included): bytes kept by the records after a run")
    _say(f"   {'regions':>8} {'steps':>5} {'region-steps kept':>17} {'kept, all':>11} "
         f"{'kept, indicators only':>21} {'bytes/region-step':>17}")
    rows = []
    for n in cfg["memory_sizes"]:
        for steps in cfg["memory_steps"]:
            kw = {"world": "synthetic", "n_regions": n}
            kept_all, _ = retained(kw, steps)
            kept_ind, _ = retained({**kw, "collect_regions": False}, steps)
            region_steps = n * (steps + 1)
            per = (kept_all - kept_ind) / region_steps
            rows.append({"regions": n, "steps": steps, "region_steps_kept": region_steps, "bytes_kept": kept_all,
                         "bytes_kept_indicators_only": kept_ind, "bytes_per_region_step": per})
            _say(f"   {n:8,d} {steps:5d} {region_steps:17,d} {_mb(kept_all):>11} {_mb(kept_ind):>21} {per:17.1f}")
    xs = [r["region_steps_kept"] for r in rows]
    ys = [r["bytes_kept"] - r["bytes_kept_indicators_only"] for r in rows]
    slope, intercept, r2 = _fit(xs, ys)
    _say(f"   linear fit of the per-region records: {slope:.1f} bytes per region-step kept "
         f"+ {intercept / 1e3:.1f} kB, R^2 = {r2:.5f}")

    n, steps = cfg["memory_demo"]
    _say(f"   keeping only what the analysis needs ({n:,} regions, {steps} steps):")
    demo = []
    for label, kw in (("everything: collect_regions=True, collect_every=1", {}),
                      ("yearly records: collect_every=4", {"collect_every": 4}),
                      (f"start and final records: collect_every={steps}", {"collect_every": steps}),
                      ("indicators every step: collect_regions=False", {"collect_regions": False}),
                      (f"final indicators only: collect_regions=False, collect_every={steps}",
                       {"collect_regions": False, "collect_every": steps})):
        kept, _ = retained({"world": "synthetic", "n_regions": n, **kw}, steps)
        demo.append({"setting": label, **kw, "bytes_kept": kept})
        _say(f"     {label:66s} {_mb(kept):>10}")

    gc.collect()
    tracemalloc.start()
    try:
        model = CohesionModel(SCENARIO, rng=0, steps=cfg["peak_steps"], **world_kw)
        model.run_model()
        model.indicators()
        records = model.region_records()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    frame_per_row = records.memory_usage(deep=True).sum() / max(len(records), 1)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes
    what = "one full" if cfg["peak_steps"] is None else f"a {model.steps}-step"
    _say(f"   peak traced memory of {what} {SCENARIO} run ({world_text.split(' (')[0]}) with both tables: "
         f"{_mb(peak)}; region_records() uses {frame_per_row:.0f} bytes per row")
    _say(f"   peak resident memory of this benchmark process so far (getrusage): {_mb(maxrss)}")
    return {"rows": rows, "bytes_per_region_step": slope, "intercept_bytes": intercept, "r2": r2,
            "keep_only_what_is_needed": {"regions": n, "steps": steps, "settings": demo},
            "full_run_peak_bytes": peak, "region_records_bytes_per_row": frame_per_row,
            "process_maxrss_bytes": maxrss}


def _fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    intercept = my - slope * mx
    ss_res = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys))
    ss_tot = sum((y - my) ** 2 for y in ys)
    return slope, intercept, (1 - ss_res / ss_tot) if ss_tot else 1.0


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# ----------------------------------------------------------------------------- 5. profile
SUBMODELS = ("apply_events", "plan_quotas", "supply", "produce", "decide", "deliver_and_report",
             "local_accounts", "audit_and_punish", "update_authority", "_update_indicators", "record")


def profile(sizes: tuple[int, ...], steps: int) -> dict:
    """Time spent in each submodel of the step (the step's methods timed in place, then restored)."""
    from .model import CohesionModel

    _say(f"\n5. Profile: microseconds per step in each submodel ({SCENARIO}, synthetic grid, "
         f"collect_regions=True at 150 regions, False above; {steps} steps)")
    spent: dict[str, float] = {}
    originals = {name: getattr(CohesionModel, name) for name in SUBMODELS}

    def timed(name, method):
        def wrapper(self, *args, **kwargs):
            t0 = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0
        return wrapper

    out = {}
    try:
        for name, method in originals.items():
            setattr(CohesionModel, name, timed(name, method))
        for n in sizes:
            model = CohesionModel(SCENARIO, rng=0, world="synthetic", n_regions=n, collect_regions=n <= 150)
            spent.clear()
            t0 = time.perf_counter()
            for _ in range(steps):
                model.step()
            total = time.perf_counter() - t0
            out[str(n)] = {"step_us": total / steps * 1e6, **{k: v / steps * 1e6 for k, v in spent.items()}}
    finally:
        for name, method in originals.items():
            setattr(CohesionModel, name, method)
    header = "".join(f"{n:>12,d}" for n in sizes)
    _say(f"   {'regions':24s}{header}")
    for name in (*SUBMODELS, "step_us"):
        label = "whole step" if name == "step_us" else name
        cells = "".join(f"{out[str(n)].get(name, 0.0):9.0f} {out[str(n)].get(name, 0.0) / out[str(n)]['step_us']:2.0%}"
                        if name != "step_us" else f"{out[str(n)][name]:12.0f}" for n in sizes)
        _say(f"   {label:24s}{cells}")
    return out


# ----------------------------------------------------------------------------- summary
def summary(results: dict) -> list[dict]:
    rows = {r["regions"]: r for r in results.get("throughput", {}).get("rows", [])}
    checks = []

    def check(name, value, target, fmt, higher=True):
        met = None if value is None else (value >= target if higher else value <= target)
        checks.append({"figure": name, "value": value, "target": target, "met": met})
        shown = "n/a" if value is None else fmt.format(value)
        verdict = {True: "met", False: "NOT met", None: "not measured"}[met]
        op = ">=" if higher else "<="
        _say(f"   {name:52s} {shown:>14}  target {op} {fmt.format(target):>10}  {verdict}")

    _say("\nFigures against the targets (docs/performance.md); nothing here is asserted")
    big = rows.get(100_000, {}).get("vectorised_region_steps_per_s")
    check("region-steps/s at 100,000 regions (one core)", big, TARGETS["vectorised_region_steps_per_s_at_100000"],
          "{:,.0f}")
    check("speed-up over the reference at 10,000 regions", rows.get(10_000, {}).get("ratio"),
          TARGETS["speedup_over_reference_at_10000"], "{:.1f}x")
    check(f"one full {SCENARIO} run with all records (s)", results.get("full_run", {}).get("total_s"),
          TARGETS["full_run_s"], "{:.3f}", higher=False)
    check("parallel efficiency, 1 -> 2 workers", results.get("sweep", {}).get("parallel_efficiency"),
          TARGETS["parallel_efficiency"], "{:.0%}")
    return checks


def machine_check(single: tuple[float, float], load_at_start) -> dict:
    """Was the machine quiet? The share of a core this process got during the single-core parts
    (1 and 2), and the load average; a busy machine makes every figure a lower bound."""
    wall, cpu = single
    share = cpu / wall if wall > 0.5 else None
    load_now = os.getloadavg() if hasattr(os, "getloadavg") else None
    busy = (share is not None and share < 0.9) or (load_at_start is not None and load_at_start[0] > 0.5 * _cpus())
    got = f"this process got {share:.0%} of a core during parts 1-2; " if share is not None else ""
    _say(f"\nMachine check: {got}load average "
         f"{_load(load_at_start)} at the start, {_load(load_now)} at the end ({_cpus()} CPUs)")
    if busy:
        _say("   warning: other work was running on this machine: the figures are lower bounds, "
             "parallel efficiency especially; run again on a quiet machine")
    return {"single_core_share": share, "load_average_at_start": load_at_start,
            "load_average_at_end": load_now, "busy": busy}


def _load(load) -> str:
    return "n/a" if load is None else "/".join(f"{x:.2f}" for x in load)


def environment() -> dict:
    import mesa
    import numpy
    import pandas

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"python": platform.python_version(), "numpy": numpy.__version__, "pandas": pandas.__version__,
            "mesa": mesa.__version__, "platform": platform.platform(), "processor": platform.processor(),
            "cpus": _cpus(), "load_average_at_start": load}


# ----------------------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soviet-cohesion bench",
        description="Measure the vectorised model against the per-agent reference (figures only; "
                    "nothing is asserted about time).")
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (a smoke test for CI)")
    parser.add_argument("--json", metavar="PATH", help="also save the figures as JSON")
    parser.add_argument("--sizes", metavar="N,N,...", help="numbers of regions for the throughput table")
    parser.add_argument("--sweep-runs", type=int, metavar="N", help="runs per sweep batch")
    parser.add_argument("--sweep-via", choices=("auto", "runner", "pool"), default="auto",
                        help="measure sweeps through soviet_cohesion.sweep (runner) or a plain process pool "
                             "(pool); auto: the runner when it is installed")
    parser.add_argument("--profile", action="store_true",
                        help="also time each submodel of the step (part 5)")
    parser.add_argument("--skip", metavar="PART,...", default="",
                        help="leave out parts: throughput, run, sweep, memory")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--"]:  # `soviet-cohesion bench -- --quick` (the CLI passes the rest through)
        argv = argv[1:]
    args = build_parser().parse_args(argv)
    cfg = dict(QUICK if args.quick else FULL)
    if args.sizes:
        try:
            cfg["sizes"] = tuple(int(s) for s in args.sizes.split(",") if s.strip())
        except ValueError:
            print(f"soviet-cohesion bench: error: --sizes {args.sizes!r}: expected whole numbers like 150,1000",
                  file=sys.stderr)
            return 2
        if not cfg["sizes"] or min(cfg["sizes"]) < 2:
            print("soviet-cohesion bench: error: --sizes: each size must be at least 2", file=sys.stderr)
            return 2
    if args.sweep_runs is not None:
        if args.sweep_runs < 1:
            print("soviet-cohesion bench: error: --sweep-runs must be at least 1", file=sys.stderr)
            return 2
        cfg["sweep_runs"] = args.sweep_runs
    parts = {"throughput", "run", "sweep", "memory"}
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if skip - parts:
        print(f"soviet-cohesion bench: error: --skip {sorted(skip - parts)[0]!r}: allowed: "
              f"{', '.join(sorted(parts))}", file=sys.stderr)
        return 2

    from .model import CohesionModel

    reference = load_reference()
    world_kw, world_text = scenario_world()
    env = environment()
    _say(f"soviet-cohesion bench{' --quick' if args.quick else ''}: Python {env['python']}, numpy {env['numpy']}, "
         f"pandas {env['pandas']}, mesa {env['mesa']}, {env['cpus']} CPU(s), {env['platform']}")
    _say(f"reference: {'tests/reference_model.py (per-agent Mesa model)' if reference else 'reference not available'}")
    _say(f"world of the {SCENARIO} runs (2, 3, memory peak): {world_text}\n")
    # warm-up: imports, caches, pandas/pyarrow initialisation
    warm = CohesionModel(SCENARIO, rng=0, world="synthetic", n_regions=50)
    warm.run_model()
    warm.indicators()
    warm.region_records()

    t0 = time.perf_counter()
    cpu0 = time.process_time()
    results: dict[str, Any] = {"environment": env, "quick": args.quick, "scenario": SCENARIO,
                               "reference_available": reference is not None, "config": cfg}
    if "throughput" not in skip:
        results["throughput"] = throughput(cfg, reference)
    if "run" not in skip:
        results["full_run"] = full_run(cfg, world_kw, world_text)
    single = (time.perf_counter() - t0, time.process_time() - cpu0)
    if "sweep" not in skip:
        results["sweep"] = sweep(cfg, world_kw, args.sweep_via)
    if "memory" not in skip:
        results["memory"] = memory(cfg, world_kw, world_text)
    if args.profile:
        results["profile"] = profile((150, 10_000) if args.quick else (150, 10_000, 100_000),
                                     20 if args.quick else 60)
    results["machine_check"] = machine_check(single, env["load_average_at_start"])
    results["targets"] = summary(results)
    results["bench_s"] = time.perf_counter() - t0
    _say(f"\n(benchmark took {results['bench_s']:.0f} s)")
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2, default=_jsonable) + "\n", encoding="utf-8")
        _say(f"wrote {path}")
    return 0


def _jsonable(value):
    if isinstance(value, (tuple, set)):
        return list(value)
    if hasattr(value, "item"):
        return value.item()
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
