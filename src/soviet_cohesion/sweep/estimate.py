"""``--dry-run``: what a sweep would do and how long it would take, from a short measurement.

A few runs spread over the design (its first, middle and last) are set up and stepped in this
process until they end or their share of a few seconds is spent; the steps not taken are
extrapolated from the time per step. So a spec with ``steps = 10_000_000`` gets an estimate in
seconds instead of running for days. A run short enough to finish within its share is timed
whole, as a worker runs it (with its result tables). Times are CPU seconds, which do not depend
on what else the machine is doing.

The total is the CPU time per run times the runs still missing, shared by the workers that can
run at once (no more than the machine's cores for local workers). On a machine busy with other
work the workers get only part of their cores: the estimate is then also given scaled by the
current load average (``(load + workers) / cores``, when above 1). Nothing is written.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass

import numpy as np

from .progress import _duration
from .runner import ENSEMBLE_MODEL, _factory, model_arguments, run_chunk

#: seconds the measurement may take in all
BUDGET_S = 6.0
#: runs measured at most, one by one
SAMPLES = 3
#: runs timed together as one ensemble chunk, when the workers will run chunks as ensembles
ENSEMBLE_SAMPLE = 64


@dataclass
class Measurement:
    runs: int  # runs measured
    run_s: float  # estimated CPU seconds per whole run
    setup_s: float  # CPU seconds to set a model up
    step_s: float  # CPU seconds per step
    steps: int  # steps of a run
    stepped: int  # steps actually taken, in all
    regions: int | None  # regions of the measured worlds (largest)
    failed: tuple[str, ...] = ()  # runs that raised, with their error
    chunk: int = 0  # runs timed together as one ensemble chunk (0: none)

    def describe(self) -> str:
        if not self.runs:
            return f"no estimate: every measured run failed ({self.failed[0]})"
        how = (f"setup {self.setup_s:.3g} s + {self.steps:,} steps x {self.step_s:.3g} s"
               if self.steps else "whole runs")
        cut = "" if self.stepped >= self.steps * self.runs else \
            f"; {self.stepped:,} steps taken, the rest extrapolated"
        if self.chunk:
            return (f"a chunk of {self.chunk} runs timed through the ensemble engine in this process: "
                    f"{self.run_s:.3g} CPU s per run (alone, a run takes setup {self.setup_s:.3g} s + "
                    f"{self.steps:,} steps x {self.step_s:.3g} s)")
        return f"{self.runs} run(s) measured in this process: {self.run_s:.3g} CPU s per run ({how}{cut})"


def sample_runs(n_runs: int) -> list[int]:
    """The runs measured: the first, the middle and the last of the design."""
    return sorted({0, n_runs // 2, n_runs - 1})[:SAMPLES]


def measure(plan, config: dict, budget_s: float = BUDGET_S) -> Measurement:
    """Time a few runs of ``plan``, each within its share of ``budget_s`` (see the module doc).
    A run that raises is left out and named (the sweep would record it and go on)."""
    factory = _factory(config["model"])
    tasks = plan.tasks(np.array(sample_runs(plan.n_runs)))
    share = budget_s / len(tasks)
    done, failed = [], []
    for task in tasks:
        try:
            done.append(_measure_one(task, factory, config, share))
        except Exception as exc:  # noqa: BLE001
            failed.append(f"run {task[0]}: {' '.join(f'{type(exc).__name__}: {exc}'.split())[:200]}")
    if not done:
        return Measurement(0, math.nan, 0.0, 0.0, 0, 0, None, tuple(failed))
    stepwise = [d for d in done if d["steps"]]
    short = all(d["taken"] > d["steps"] for d in done)  # every sample was also timed whole
    if config["model"] == ENSEMBLE_MODEL and short and plan.n_runs > 1:
        # the workers run whole chunks as ensembles: time one, spread over the design
        k = min(ENSEMBLE_SAMPLE, plan.n_runs)
        runs = np.unique(np.linspace(0, plan.n_runs - 1, k).astype(np.int64))
        t0 = time.process_time()
        run_chunk(plan.tasks(runs), config)
        return Measurement(
            runs=len(runs), run_s=(time.process_time() - t0) / len(runs),
            setup_s=float(np.mean([d["setup"] for d in stepwise])) if stepwise else 0.0,
            step_s=float(np.mean([d["step"] for d in stepwise])) if stepwise else 0.0,
            steps=max((d["steps"] for d in done), default=0), stepped=sum(d["taken"] for d in done),
            regions=max((d["regions"] for d in done), default=0) or None, failed=tuple(failed), chunk=len(runs))
    return Measurement(
        runs=len(done), run_s=float(np.mean([d["total"] for d in done])),
        setup_s=float(np.mean([d["setup"] for d in stepwise])) if stepwise else 0.0,
        step_s=float(np.mean([d["step"] for d in stepwise])) if stepwise else 0.0,
        steps=max((d["steps"] for d in done), default=0), stepped=sum(d["taken"] for d in done),
        regions=max((d["regions"] for d in done), default=0) or None, failed=tuple(failed))


def _measure_one(task, factory, config: dict, share: float) -> dict:
    """CPU seconds of one run: set up, stepped for half its share of the budget, extrapolated
    (or, if it is short, timed whole as a worker runs it)."""
    cpu = time.process_time
    _, _, _, seed, values = task
    t0, w0 = cpu(), time.perf_counter()
    model = factory(**model_arguments(config, values, seed))
    setup = cpu() - t0
    n_steps = getattr(model, "n_steps", None)
    regions = getattr(model, "n_regions", 0) or 0
    if n_steps is None:  # another model without a known length: time one whole run
        model.run_model()
        return {"total": cpu() - t0, "setup": setup, "step": 0.0, "steps": 0, "taken": 0, "regions": regions}
    t1, taken = cpu(), 0
    while model.running and taken < n_steps and (taken == 0 or time.perf_counter() - w0 < share / 2):
        model.step()
        taken += 1
    step = (cpu() - t1) / taken
    total = setup + step * n_steps
    if total < share / 2:  # short enough: time it whole, as a worker runs it (tables included)
        t2 = cpu()
        run_chunk([task], config)
        total, taken = cpu() - t2, taken + n_steps
    return {"total": total, "setup": setup, "step": step, "steps": n_steps, "taken": taken, "regions": regions}


def load_factor(workers: int, cores: int | None) -> float:
    """How much slower the workers run than on free cores, from the load average (>= 1)."""
    if not cores:
        return 1.0
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return 1.0
    return max(1.0, (load + min(workers, cores)) / cores)


def parallel(workers: int, cores: int | None) -> int:
    """Runs that go on at once: the workers, but no more than the cores they share."""
    return max(1, min(workers, cores) if cores else workers)


def report(spec, plan, measurement: Measurement, missing: int, workers: int, cores: int | None,
           where: str, out_dir, done: int, chunk_size: int) -> str:
    """The dry run's lines."""
    factors = ", ".join(
        f"{f.name} ({len(f.values)} values)" if not f.sampled else f"{f.name} (sampled)"
        for f in spec.factors) or "no factors"
    lines = [f"{spec.name}: {plan.n_runs:,} runs ({plan.n_points:,} points x {spec.replicates} "
             f"replicates); {spec.sampler.method} over {factors}"]
    if done:
        lines.append(f"  {out_dir} already holds {done:,} runs; {missing:,} to go")
    n_chunks = math.ceil(missing / chunk_size) if missing else 0
    lines.append(f"  {n_chunks:,} chunks of up to {chunk_size} runs on {where}")
    steps = measurement.steps
    if spec.outputs.timeseries and steps:
        rows = plan.n_runs * (steps // spec.outputs.every + 2)
        lines.append(f"  time series: about {rows:,} rows")
    if spec.outputs.regions and steps and measurement.regions:
        rows = plan.n_runs * (steps // spec.outputs.every + 2) * measurement.regions
        lines.append(f"  region records: about {rows:,} rows (large: each row is one region at one step)")
    lines.append(f"  {measurement.describe()}")
    lines += [f"  measured run failed: {text}" for text in measurement.failed]
    if not measurement.runs:
        return "\n".join(lines)
    at_once = parallel(workers, cores)
    seconds = measurement.run_s * missing / at_once
    share = f"{at_once} at once" + (f" ({workers} workers share {cores} cores)" if cores and workers > cores else "")
    factor = load_factor(workers, cores)
    busy = "" if factor < 1.2 else (f"; at the machine's current load (load average {os.getloadavg()[0]:.1f} "
                                    f"on {cores} cores) about {_duration(seconds * factor)}")
    lines.append(f"  estimated time: {_duration(seconds)} for {missing:,} runs, {share}, if the cores are "
                 f"free{busy}")
    return "\n".join(lines)
