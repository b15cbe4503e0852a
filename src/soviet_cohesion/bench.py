"""The benchmark: ``soviet-cohesion bench [--quick] [--json PATH] [--skip PART,...] [--profile]``.

In one run on one machine, with medians of repeated measurements, it prints side by side:

1. ``sweep``: sweep throughput of USSR runs on one core, the per-run path (a loop of
   ``CohesionModel`` runs, as sweeps ran before the ensemble) against the ensemble
   (``soviet_cohesion.ensemble.run``), in runs per CPU-second, and the ratio;
2. ``run``: one full ``ussr-1953-1991`` run with all records (indicators, region records,
   declarations, Mesa's DataCollector);
3. ``scale``: region-steps per second at 100,000 regions on one core;
4. ``memory``: bytes kept per region-step in the per-region records;
5. ``reference``: the per-agent reference (``tests/reference_model.py``) against the model;
6. ``parallel``: parallel efficiency from 1 to 2 workers, by the clock and by CPU time
   (a process pool of ensemble tasks);
7. ``phase``: the 4,410-run phase diagram (``experiments/phase_diagram.toml``) on 2 cores,
   as a pool of ensemble tasks and through the sweep runner (``soviet_cohesion.sweep``).

Each part prints the machine's load average when it starts and ends: the machine may be shared,
and a busy machine makes every figure a lower bound. Nothing is asserted: the last lines put
the figures beside the targets of issue 10 (docs/performance.md).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import math
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

SCENARIO = "ussr-1953-1991"
PARTS = ("sweep", "run", "scale", "memory", "reference", "parallel", "phase")
#: issue 10's figures to reach: (what, target, higher is better); printed, never asserted
TARGETS = {
    "sweep_ratio": ("sweep throughput, ensemble / per-run path, one core", 10.0, True),
    "full_run_s": (f"one full {SCENARIO} run with all records, s", 0.025, False),
    "region_steps_per_s": ("region-steps per second at 100,000 regions, one core", 10_000_000, True),
    "bytes_per_region_step": ("bytes per region-step kept in the region records", 20.0, False),
    "efficiency_clock": ("parallel efficiency 1 -> 2 workers, by the clock", 0.9, True),
    "efficiency_cpu": ("parallel efficiency 1 -> 2 workers, by CPU time", 0.9, True),
    "phase_diagram_s": ("4,410-run phase diagram on 2 cores, s", 10.0, False),
}
FULL: dict[str, Any] = {
    "repeats": 3, "sweep": {"ussr-1953-1991": (8, 256), "gorbachev": (40, 1024)}, "run_repeats": 15,
    "scale_regions": 100_000, "scale_steps": None, "scale_repeats": 3,
    "memory_sizes": ((None, None), (10_000, 40)), "reference": ((None, "gorbachev", None), (10_000, SCENARIO, 5)),
    "parallel_tasks": 8, "parallel_runs": 128, "phase_spec": None, "phase_runner": True}
QUICK: dict[str, Any] = {
    "repeats": 2, "sweep": {"ussr-1953-1991": (2, 8), "gorbachev": (2, 8)}, "run_repeats": 3,
    "scale_regions": 2_000, "scale_steps": 8, "scale_repeats": 2, "memory_sizes": ((None, 12), (500, 6)),
    "reference": ((None, "gorbachev", 6), (500, SCENARIO, 3)), "parallel_tasks": 4, "parallel_runs": 4,
    "phase_spec": {"punishment_severity": 3, "scarcity": 3, "replicates": 2}, "phase_runner": True}


# ----------------------------------------------------------------------------- helpers
def _say(text: str = "") -> None:
    print(text, flush=True)


def median(values) -> float:
    return float(statistics.median(values))


def load_average() -> tuple[float, float, float] | None:
    return os.getloadavg() if hasattr(os, "getloadavg") else None


def _load(load) -> str:
    return "n/a" if load is None else " / ".join(f"{x:.2f}" for x in load)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def timed(fn, *args, **kwargs) -> tuple[float, float, Any]:
    """Wall and CPU seconds of one call (after a garbage collection), and its result."""
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, time.process_time() - c0, result


class Part:
    """A part of the benchmark: its title, and the load average when it starts and ends."""

    def __init__(self, results: dict, key: str, title: str):
        self.results, self.key, self.title = results, key, title

    def __enter__(self) -> dict:
        self.out = {"load_start": load_average()}
        _say(f"\n{self.title}\n   load average at the start: {_load(self.out['load_start'])} ({_cpus()} CPUs)")
        return self.out

    def __exit__(self, *exc) -> None:
        self.out["load_end"] = load_average()
        _say(f"   load average at the end:   {_load(self.out['load_end'])}")
        self.results[self.key] = self.out


def _world_label(n: int | None, regions: int) -> str:
    return f"USSR ({regions} regions)" if n is None else f"synthetic grid, {n:,}"


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


# ----------------------------------------------------------------------------- 1. sweeps on one core
def per_run_path(scenario: str, seeds) -> list[float]:
    """Runs one after the other, as the sweep runner ran them (final cohesion of each)."""
    from .model import CohesionModel

    finals = []
    for seed in seeds:
        model = CohesionModel(scenario, rng=seed, collect_regions=False)
        model.run_model()
        finals.append(float(model.indicators()["cohesion"].iloc[-1]))
    return finals


def ensemble_path(scenario: str, seeds) -> list[float]:
    """The same runs as rows of an ensemble."""
    from . import ensemble

    return ensemble.run(scenario, seeds, keep="final")["cohesion"].tolist()


def sweep_throughput(cfg: dict) -> dict:
    out: dict[str, Any] = {}
    _say(f"   runs per CPU-second (per wall-second), median of {cfg['repeats']}; the two paths alternate")
    _say(f"   {'scenario':16s} {'per-run path':>24s} {'ensemble':>26s} {'ratio (CPU)':>12s}")
    for scenario, (n_single, n_batch) in cfg["sweep"].items():
        single, batch = [], []
        for r in range(cfg["repeats"]):
            seeds = range(1000 * r, 1000 * r + max(n_single, n_batch))
            single.append(timed(per_run_path, scenario, seeds[:n_single])[:2])
            batch.append(timed(ensemble_path, scenario, seeds[:n_batch])[:2])
        row = {
            "per_run_runs": n_single, "ensemble_runs": n_batch,
            "per_run_runs_per_cpu_s": median(n_single / max(c, 1e-9) for _, c in single),
            "per_run_runs_per_s": median(n_single / w for w, _ in single),
            "ensemble_runs_per_cpu_s": median(n_batch / max(c, 1e-9) for _, c in batch),
            "ensemble_runs_per_s": median(n_batch / w for w, _ in batch),
        }
        row["ratio_cpu"] = row["ensemble_runs_per_cpu_s"] / row["per_run_runs_per_cpu_s"]
        row["ratio_wall"] = row["ensemble_runs_per_s"] / row["per_run_runs_per_s"]
        out[scenario] = row
        single_text = f"{row['per_run_runs_per_cpu_s']:9.1f} ({row['per_run_runs_per_s']:6.1f}) x{n_single:<5d}"
        batch_text = f"{row['ensemble_runs_per_cpu_s']:9.1f} ({row['ensemble_runs_per_s']:6.1f}) x{n_batch:<5d}"
        _say(f"   {scenario:16s} {single_text} {batch_text} {row['ratio_cpu']:11.1f}x")
    _say("   (xN: runs per repeat; the ensemble runs them in batches of up to 256)")
    return out


# ----------------------------------------------------------------------------- 2. one full run
def full_run(cfg: dict) -> dict:
    from .model import CohesionModel

    parts: dict[str, list[float]] = {"build": [], "run": [], "indicators": [], "region_records": [],
                                      "declarations": []}
    totals, cpus = [], []
    for seed in range(cfg["run_repeats"]):
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        model = CohesionModel(SCENARIO, rng=seed)
        t1 = time.perf_counter()
        model.run_model()
        t2 = time.perf_counter()
        model.indicators()
        t3 = time.perf_counter()
        rows = len(model.region_records())
        t4 = time.perf_counter()
        model.declarations()
        t5 = time.perf_counter()
        cpus.append(time.process_time() - c0)
        totals.append(t5 - t0)
        for key, value in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
            parts[key].append(value)
    out = {"regions": model.n_regions, "steps": model.steps, "region_rows": rows, "total_s": median(totals),
           "total_cpu_s": median(cpus), **{f"{k}_s": median(v) for k, v in parts.items()}}
    _say(f"   {out['regions']} regions x {out['steps']} steps, every record kept (median of {cfg['run_repeats']}):")
    _say(f"   build {out['build_s'] * 1e3:.1f} ms + run {out['run_s'] * 1e3:.1f} ms + indicators() "
         f"{out['indicators_s'] * 1e3:.1f} ms + region_records() {out['region_records_s'] * 1e3:.1f} ms "
         f"({rows:,} rows) + declarations() {out['declarations_s'] * 1e3:.1f} ms")
    _say(f"   = {out['total_s'] * 1e3:.1f} ms by the clock, {out['total_cpu_s'] * 1e3:.1f} ms of CPU")
    return out


# ----------------------------------------------------------------------------- 3. many regions
def scale(cfg: dict) -> dict:
    import numpy as np

    from .model import Simulation

    n = cfg["scale_regions"]
    walls, cpus, builds = [], [], []
    for seed in range(cfg["scale_repeats"]):
        build, _, sim = timed(Simulation, [SCENARIO], [np.random.default_rng(seed)],
                              [{"n_regions": n, "collect_regions": False}], world="synthetic",
                              steps=cfg["scale_steps"])
        wall, cpu, _ = timed(sim.run)
        steps = sim.steps
        walls.append(wall)
        cpus.append(cpu)
        builds.append(build)
        del sim
    out = {"regions": n, "steps": steps, "run_s": median(walls), "run_cpu_s": median(cpus), "build_s": median(builds),
           "region_steps_per_s": n * steps / median(walls), "region_steps_per_cpu_s": n * steps / median(cpus)}
    _say(f"   {SCENARIO} on a synthetic grid of {n:,} regions, {steps} steps, one run of the ensemble engine "
         f"(indicators kept, no region records), median of {cfg['scale_repeats']}; build apart:")
    _say(f"   {out['region_steps_per_s']:,.0f} region-steps per second ({out['region_steps_per_cpu_s']:,.0f} per "
         f"CPU-second); {out['run_s'] / steps * 1e3:.1f} ms per step; build {out['build_s']:.2f} s")
    return out


# ----------------------------------------------------------------------------- 4. memory
def memory(cfg: dict) -> dict:
    from .model import CohesionModel

    rows = []
    _say(f"   {'world':24s} {'steps kept':>10s} {'records':>12s} {'bytes/region-step':>18s} "
         f"{'traced, bytes/region-step':>26s}")
    for n, steps in cfg["memory_sizes"]:
        kw = {} if n is None else {"world": "synthetic", "n_regions": n}
        CohesionModel(SCENARIO, rng=0, steps=1, **kw).run_model()  # first-time caches, not counted
        kept = []
        for regions in (False, True):
            gc.collect()
            tracemalloc.start()
            try:
                base = tracemalloc.get_traced_memory()[0]
                model = CohesionModel(SCENARIO, rng=0, steps=steps, collect_regions=regions, collect_agents=False, **kw)
                model.run_model()
                gc.collect()
                kept.append(tracemalloc.get_traced_memory()[0] - base)
            finally:
                tracemalloc.stop()
            if regions:
                recorder, with_records = model.sim.recorder, model
        k = len(recorder.steps)
        region_steps = with_records.n_regions * k
        frame = with_records.region_records()
        row = {"world": _world_label(n, with_records.n_regions), "regions": with_records.n_regions,
               "steps_kept": k, "record_bytes": recorder.region_bytes(),
               "bytes_per_region_step": recorder.region_bytes() / region_steps,
               "traced_bytes_per_region_step": (kept[1] - kept[0]) / region_steps,
               "frame_bytes_per_row": frame.memory_usage(deep=True).sum() / max(len(frame), 1)}
        rows.append(row)
        _say(f"   {row['world']:24s} {k:10d} {row['record_bytes'] / 1e6:9.2f} MB "
             f"{row['bytes_per_region_step']:18.2f} {row['traced_bytes_per_region_step']:26.2f}")
    _say("   (records: stance and allegiance as int8, REGION_FIELDS as float16; traced: what a run keeps with")
    _say("    region records minus without, by tracemalloc, Python objects included)")
    _say(f"   region_records() as a DataFrame: {rows[0]['frame_bytes_per_row']:.0f} bytes per row "
         f"(categorical names, 16-bit decision terms)")
    return {"rows": rows, "bytes_per_region_step": max(r["bytes_per_region_step"] for r in rows),
            "traced_bytes_per_region_step": max(r["traced_bytes_per_region_step"] for r in rows)}


# ----------------------------------------------------------------------------- 5. the reference
def reference(cfg: dict, reference_model) -> dict:
    from .model import CohesionModel

    out: dict[str, Any] = {"available": reference_model is not None, "rows": []}
    if reference_model is None:
        _say("   reference not available (no tests/reference_model.py next to this package)")
        return out
    _say(f"   steps timed after building each model, collect_regions=False; median of {cfg['repeats']}")
    _say(f"   {'world':22s} {'scenario':16s} {'steps':>5s} {'reference/s':>13s} {'model/s':>13s} {'speed-up':>9s}")
    for n, scenario, steps in cfg["reference"]:
        kw = {"collect_regions": False, **({} if n is None else {"world": "synthetic", "n_regions": n})}
        rates = {}
        for name, cls in (("reference", reference_model), ("model", CohesionModel)):
            walls = []
            for seed in range(cfg["repeats"]):
                model = cls(scenario, rng=seed, steps=steps, **kw)
                wall, _, _ = timed(model.run_model)
                walls.append(wall)
            regions, done = len(model.world.names), model.steps
            rates[name] = regions * done / median(walls)
        row = {"world": _world_label(n, regions), "scenario": scenario, "regions": regions,
               "steps": done, "reference_region_steps_per_s": rates["reference"],
               "model_region_steps_per_s": rates["model"], "speedup": rates["model"] / rates["reference"]}
        out["rows"].append(row)
        _say(f"   {row['world']:22s} {scenario:16s} {done:5d} {rates['reference']:13,.0f} "
             f"{rates['model']:13,.0f} {row['speedup']:8.1f}x")
    return out


# ----------------------------------------------------------------------------- 6. parallel efficiency
def ensemble_task(args: tuple) -> tuple[int, float, int]:
    """One task of a pool: ``(scenario, seeds, per-run overrides)`` run as one ensemble;
    returns the number of runs, the CPU seconds it took in its worker, and the worker's id."""
    from .ensemble import Ensemble

    scenario, seeds, per_run = args
    c0 = time.process_time()
    Ensemble(scenario, seeds, per_run=per_run, keep="final").tables()
    return len(seeds), time.process_time() - c0, os.getpid()


def _warm(_: int) -> int:
    from .ensemble import run

    run("gorbachev", [0], steps=2)
    time.sleep(0.3)  # so that every worker gets one
    return os.getpid()


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A started, warmed process pool (forkserver with the model imported, where available)."""
    context: multiprocessing.context.BaseContext
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["soviet_cohesion.ensemble"])
    else:
        context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    list(pool.map(_warm, range(workers)))
    return pool


def run_tasks(pool: ProcessPoolExecutor, tasks: list[tuple]) -> dict:
    """Wall seconds for a pool to run ``tasks``, the CPU seconds its workers spent, the runs."""
    t0 = time.perf_counter()
    done = list(pool.map(ensemble_task, tasks))
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "cpu_s": sum(d[1] for d in done), "runs": sum(d[0] for d in done),
            "workers_used": len({d[2] for d in done})}


def parallel(cfg: dict) -> dict:
    n_tasks, size = cfg["parallel_tasks"], cfg["parallel_runs"]
    _say(f"   {n_tasks} ensemble tasks of {size} runs of gorbachev (USSR) per batch, through a process pool of 1 and")
    _say(f"   of 2 workers (started and warmed first); batches alternate; median of {cfg['repeats']}")
    pools = {w: start_pool(w) for w in (1, 2)}
    batches: dict[int, list[dict]] = {1: [], 2: []}
    try:
        for r in range(cfg["repeats"]):
            tasks = [("gorbachev", list(range(10_000 * r + size * t, 10_000 * r + size * (t + 1))), None)
                     for t in range(n_tasks)]
            for w in (1, 2):
                batches[w].append(run_tasks(pools[w], tasks))
    finally:
        for pool in pools.values():
            pool.shutdown()
    out: dict[str, Any] = {}
    for w in (1, 2):
        b = batches[w]
        out[str(w)] = {"runs_per_s": median(x["runs"] / x["wall_s"] for x in b),
                       "cpu_ms_per_run": median(1e3 * x["cpu_s"] / x["runs"] for x in b),
                       "cores_busy": median(x["cpu_s"] / x["wall_s"] for x in b)}
        _say(f"   {w} worker{'s' if w > 1 else ' '}: {out[str(w)]['runs_per_s']:8.1f} runs/s, "
             f"{out[str(w)]['cpu_ms_per_run']:6.2f} ms of CPU per run, {out[str(w)]['cores_busy']:.2f} cores busy")
    out["efficiency_clock"] = out["2"]["runs_per_s"] / (2 * out["1"]["runs_per_s"])
    out["efficiency_cpu"] = out["1"]["cpu_ms_per_run"] / out["2"]["cpu_ms_per_run"]
    _say(f"   parallel efficiency: {out['efficiency_clock']:.0%} by the clock (runs/s with 2 / twice runs/s with 1), "
         f"{out['efficiency_cpu']:.0%} by CPU time (CPU per run with 1 / with 2)")
    return out


# ----------------------------------------------------------------------------- 7. the phase diagram
def phase_spec(cfg: dict):
    """experiments/phase_diagram.toml (in quick mode with fewer values and replicates)."""
    import tomllib

    from .shipped import spec_path
    from .sweep import parse_spec

    path = spec_path("phase_diagram")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for name, num in (cfg["phase_spec"] or {}).items():
        if name == "replicates":
            data["replicates"] = num
        else:
            data["vary"][name]["num"] = num
    return parse_spec(data, where=str(path), default_name="phase_diagram")


def phase_diagram(cfg: dict, via_runner: bool) -> dict:
    from .sweep.design import runs as design_runs

    spec = phase_spec(cfg)
    design, names = design_runs(spec), list(spec.factor_names)
    n = len(design)
    workers = 2
    n_tasks = workers * math.ceil(n / (workers * 256))
    size = math.ceil(n / n_tasks)
    seeds = design["seed"].tolist()
    values = design[names].to_dict("records")
    fixed = dict(spec.fixed)
    tasks = [(spec.scenario, seeds[i:i + size], [{**fixed, **v} for v in values[i:i + size]])
             for i in range(0, n, size)]
    name = Path(spec.path).name if spec.path else spec.name
    _say(f"   {name}: {n:,} runs of {spec.scenario} ({' x '.join(names)}, {spec.replicates} replicates); "
         f"{len(tasks)} ensemble tasks of up to {size} runs on a pool of {workers} workers")
    t0 = time.perf_counter()
    pool = start_pool(workers)
    started = time.perf_counter() - t0
    try:
        result = run_tasks(pool, tasks)
    finally:
        pool.shutdown()
    out = {"runs": n, "tasks": len(tasks), "task_runs": size, "pool_start_s": started,
           "ensemble_pool_s": result["wall_s"], "ensemble_pool_cpu_s": result["cpu_s"]}
    _say(f"   pool of ensemble tasks: {result['wall_s']:.1f} s ({result['cpu_s']:.1f} s of CPU in the workers; "
         f"starting the pool {started:.1f} s, not counted)")
    if via_runner:
        from .sweep import run_sweep
        from .sweep.executors import LocalPool

        backend = LocalPool(workers)
        try:
            list(backend.executor.map(_warm, range(workers)))
            with tempfile.TemporaryDirectory(prefix="sc-bench-") as tmp:
                t0 = time.perf_counter()
                report = run_sweep(spec, Path(tmp) / "phase", backend=backend, progress=False)
                out["runner_s"] = time.perf_counter() - t0
        finally:
            backend.close()
        out["runner_ran"] = report.ran
        _say(f"   the sweep runner (soviet_cohesion.sweep.run_sweep, {workers} local workers, Parquet written): "
             f"{out['runner_s']:.1f} s for {report.ran:,} runs")
    return out


# ----------------------------------------------------------------------------- profile
SUBMODELS = ("apply_events", "centre_reacts", "plan_quotas", "supply", "produce", "decide", "deliver_and_report",
             "local_accounts", "update_official_picture", "audit_and_punish", "careers", "mobilise",
             "leaders_decide", "update_authority")


def profile(shapes: list[tuple[str, int, int | None]]) -> dict:
    """CPU microseconds per step in each submodel (the schedule's functions timed in place)."""
    import numpy as np

    from . import model as model_module

    spent: dict[str, float] = {}
    originals = {name: getattr(model_module, name) for name in SUBMODELS}
    record = model_module.Simulation.record

    def timed_call(name, fn):
        def wrapper(*args):
            c0 = time.process_time()
            try:
                return fn(*args)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - c0
        return wrapper

    out = {}
    try:
        for name, fn in originals.items():
            setattr(model_module, name, timed_call(name, fn))
        # timing the method on purpose: patched on the class for the profile, restored below
        model_module.Simulation.record = timed_call("record", record)  # type: ignore[method-assign]
        for label, runs, regions in shapes:
            spent.clear()
            kw: dict[str, Any] = {"collect_regions": False} if regions or runs > 1 else {}
            if regions:
                kw["n_regions"] = regions
            sim = model_module.Simulation([SCENARIO] * runs, [np.random.default_rng(r) for r in range(runs)],
                                          [dict(kw) for _ in range(runs)], world="synthetic" if regions else None)
            c0 = time.process_time()
            sim.run()
            total = time.process_time() - c0
            out[label] = {"step_us": total / sim.steps * 1e6, **{k: v / sim.steps * 1e6 for k, v in spent.items()}}
    finally:
        for name, fn in originals.items():
            setattr(model_module, name, fn)
        model_module.Simulation.record = record  # type: ignore[method-assign]  # restoring the patched method
    labels = [s[0] for s in shapes]
    _say("   CPU microseconds per step: " + ", ".join(labels))
    for name in (*SUBMODELS, "record", "step_us"):
        cells = "".join(f"{out[label].get(name, 0.0):14,.0f}" for label in labels)
        _say(f"   {'whole step' if name == 'step_us' else name:26s}{cells}")
    return out


# ----------------------------------------------------------------------------- summary
def summary(results: dict, quick: bool = False) -> list[dict]:
    sweep = results.get("sweep", {})
    figures = {
        "sweep_ratio": min((row["ratio_cpu"] for row in sweep.values() if isinstance(row, dict) and "ratio_cpu" in row),
                           default=None),
        "full_run_s": results.get("run", {}).get("total_s"),
        "region_steps_per_s": results.get("scale", {}).get("region_steps_per_s"),
        "bytes_per_region_step": results.get("memory", {}).get("bytes_per_region_step"),
        "efficiency_clock": results.get("parallel", {}).get("efficiency_clock"),
        "efficiency_cpu": results.get("parallel", {}).get("efficiency_cpu"),
        "phase_diagram_s": results.get("phase", {}).get("ensemble_pool_s"),
    }
    formats = {"sweep_ratio": "{:.1f}x", "full_run_s": "{:.4f}", "region_steps_per_s": "{:,.0f}",
               "bytes_per_region_step": "{:.1f}", "efficiency_clock": "{:.0%}", "efficiency_cpu": "{:.0%}",
               "phase_diagram_s": "{:.1f}"}
    if results.get("scale", {}).get("regions", 100_000) != 100_000:
        figures["region_steps_per_s"] = None  # (quick mode: not at the target's size)
    _say("\nFigures against the targets of issue 10 (nothing here is asserted)"
         + (": quick mode, sizes below the targets', so not judged" if quick else ""))
    checks = []
    for key, (what, target, higher) in TARGETS.items():
        value = figures[key]
        met = None if value is None or quick else (value >= target if higher else value <= target)
        fmt = formats[key]
        shown = "not measured" if value is None else fmt.format(value)
        verdict = {True: "met", False: "NOT met", None: "-"}[met]
        _say(f"   {what:58s} {shown:>14s}  target {'>=' if higher else '<='} {fmt.format(target):>10s}  {verdict}")
        checks.append({"figure": key, "what": what, "value": value, "target": target, "met": met})
    if "sweep" in results:
        _say("   (sweep: the smaller ratio of the scenarios measured; phase diagram: the pool of ensemble tasks)")
    return checks


def environment() -> dict:
    import mesa
    import numpy
    import pandas

    return {"python": platform.python_version(), "numpy": numpy.__version__, "pandas": pandas.__version__,
            "mesa": mesa.__version__, "platform": platform.platform(), "processor": platform.processor(),
            "cpus": _cpus()}


# ----------------------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soviet-cohesion bench",
        description="Speed figures of the model (medians of repeats, side by side; nothing is asserted).")
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (a smoke test, about 30 s)")
    parser.add_argument("--json", metavar="PATH", help="also save the figures as JSON")
    parser.add_argument("--skip", metavar="PART,...", default="", help=f"leave out parts: {', '.join(PARTS)}")
    parser.add_argument("--no-runner", action="store_true",
                        help="phase diagram: time only the pool of ensemble tasks, not the sweep runner")
    parser.add_argument("--profile", action="store_true", help="also time each submodel of the step")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--"]:  # `soviet-cohesion bench -- --quick` (the CLI passes the rest through)
        argv = argv[1:]
    args = build_parser().parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if skip - set(PARTS):
        print(f"soviet-cohesion bench: error: --skip {sorted(skip - set(PARTS))[0]!r}: allowed: {', '.join(PARTS)}",
              file=sys.stderr)
        return 2
    cfg = dict(QUICK if args.quick else FULL)
    reference_model = load_reference()
    env = environment()
    _say(f"soviet-cohesion bench{' --quick' if args.quick else ''}: Python {env['python']}, numpy {env['numpy']}, "
         f"pandas {env['pandas']}, mesa {env['mesa']}, {env['cpus']} CPU(s), {env['platform']}")
    from .ensemble import run

    run(SCENARIO, [0], steps=4)  # warm-up: imports, caches, the USSR world
    per_run_path("gorbachev", [0])
    t0 = time.perf_counter()
    results: dict[str, Any] = {"environment": env, "quick": args.quick, "load_start": load_average()}
    steps = [
        ("sweep", "1. Sweep throughput of USSR runs on one core: the per-run path against the ensemble",
         lambda: sweep_throughput(cfg)),
        ("run", f"2. One full {SCENARIO} run (USSR world) with all records", lambda: full_run(cfg)),
        ("scale", f"3. Region-steps per second at {cfg['scale_regions']:,} regions on one core", lambda: scale(cfg)),
        ("memory", "4. Memory per region-step kept in the region records", lambda: memory(cfg)),
        ("reference", "5. The per-agent reference (tests/reference_model.py) against the vectorised model",
         lambda: reference(cfg, reference_model)),
        ("parallel", "6. Parallel efficiency from 1 to 2 workers", lambda: parallel(cfg)),
        ("phase", "7. The phase diagram (experiments/phase_diagram.toml) on 2 cores",
         lambda: phase_diagram(cfg, cfg["phase_runner"] and not args.no_runner)),
    ]
    for key, title, measure in steps:
        if key in skip:
            continue
        with Part(results, key, title) as out:
            out.update(measure())
    if args.profile:
        batch = 8 if args.quick else 256
        shapes = [("USSR, 1 run", 1, None), (f"USSR, {batch} runs", batch, None),
                  (f"{cfg['scale_regions']:,} regions", 1, cfg["scale_regions"])]
        with Part(results, "profile", "Profile: CPU time of each submodel") as out:
            out.update(profile(shapes))
    results["targets"] = summary(results, args.quick)
    results["load_end"] = load_average()
    results["bench_s"] = time.perf_counter() - t0
    _say(f"\nload average: {_load(results['load_start'])} at the start, {_load(results['load_end'])} at the end; "
         f"the benchmark took {results['bench_s']:.0f} s")
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
