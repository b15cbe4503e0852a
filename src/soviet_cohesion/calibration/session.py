"""One calibration, start to finish: spec checks, the ABC-SMC with generations on disk, the
posterior, the posterior predictive check and the report.

Results folder::

    spec.toml              the specification as given (a resumed run must use the same)
    manifest.json          spec fingerprint, model code fingerprint, versions
    generations/gen_*.parquet   every complete generation (the resume points)
    posterior.parquet      the last generation: parameters, weight, distance, summaries
    predictive.parquet     posterior predictive runs: parameters and every pattern's statistic
    report.md, figures/    the report (see :mod:`.report`)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..validation import patterns as pattern_registry
from ..validation import statistics as stats
from ..validation.runs import simulate_batch
from .simulator import ModelSimulator
from .smc import ABCSMC, Result
from .spec import CalibrationError, CalibrationSpec
from .store import GenerationStore


@dataclass
class Calibration:
    spec: CalibrationSpec
    out: Path
    result: Result
    simulator: ModelSimulator
    predictive: pd.DataFrame
    predictive_missing: dict
    elapsed_s: float

    @property
    def runs_per_second(self) -> float:
        return self.simulator.runs_per_second


def check_targets_produced(spec: CalibrationSpec) -> None:
    """One run per scenario at the defaults: every target statistic must be produced."""
    names = spec.statistics
    for scenario in dict.fromkeys(stats.get(n).scenario for n in names):
        run = simulate_batch(scenario, [dict(spec.fixed)], [0])[0]
        for n in names:
            s = stats.get(n)
            if s.scenario != scenario:
                continue
            try:
                s(run)
            except stats.NotProduced as exc:
                raise CalibrationError(f"target {n!r} is not produced by this model version ({exc})") from None


def prepare_folder(spec: CalibrationSpec, out: Path) -> None:
    """Create the folder, or check that it holds a run of the same spec (to resume)."""
    if out.exists() and not out.is_dir():
        raise CalibrationError(f"--out {out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "manifest.json"
    if manifest.exists():
        old = json.loads(manifest.read_text())
        if old.get("spec_fingerprint") != spec.fingerprint:
            raise CalibrationError(f"--out {out}: holds a calibration of a different spec ({old.get('name')}); "
                                   "use another --out, or delete the folder to start again")
        return
    from ..sweep.storage import code_fingerprint

    (out / "spec.toml").write_text(spec.text, encoding="utf-8")
    manifest.write_text(json.dumps({"format": "soviet-cohesion-calibration/1", "name": spec.name,
                                    "spec_fingerprint": spec.fingerprint, "code": code_fingerprint(),
                                    "version": __version__}, indent=2))


def posterior_frame(result: Result) -> pd.DataFrame:
    g = result.posterior
    frame = g.particles.copy()
    frame["weight"], frame["distance"], frame["seed"] = g.weights, g.distances, g.seeds
    for c in g.summaries.columns:
        frame[f"summary:{c}"] = g.summaries[c].to_numpy()
    return frame


def predictive_check(spec: CalibrationSpec, result: Result, backend=None,
                     n: int | None = None) -> tuple[pd.DataFrame, dict]:
    """Run ``n`` draws from the posterior (by weight, fresh seeds) and measure every pattern's
    statistic: the targets (the check) and all the others (out-of-sample predictions)."""
    n = spec.check["predictive"] if n is None else n
    if n <= 0:
        return pd.DataFrame(), {}
    g = result.posterior
    rng = np.random.default_rng([spec.abc["seed"], 10_000])
    idx = rng.choice(len(g.particles), size=n, p=g.weights)
    params = g.particles.iloc[idx].reset_index(drop=True)
    seeds = rng.integers(0, 2 ** 63 - 1, size=n)
    names = list(dict.fromkeys([*spec.statistics, *(p.statistic for p in pattern_registry.PATTERNS)]))
    sim = ModelSimulator(names, spec.fixed, backend)
    summaries = sim(params, seeds)
    frame = pd.concat([params, summaries], axis=1)
    frame.insert(len(params.columns), "seed", seeds)
    return frame, dict(sim.not_produced)


def run_calibration(spec: CalibrationSpec, out: str | Path, workers: int | None = None,
                    scheduler: str | None = None, note: Callable[[str], None] = lambda text: None) -> Calibration:
    out = Path(out)
    check_targets_produced(spec)
    prepare_folder(spec, out)
    backend = None
    if scheduler or (workers and workers > 1):
        from ..sweep.executors import make_backend

        backend = make_backend(workers, scheduler)
        note(f"running on {backend.describe()}")
    start = time.perf_counter()
    try:
        simulator = ModelSimulator(spec.statistics, spec.fixed, backend, chunk=max(1, spec.abc["batch"] // 8))
        a = spec.abc
        abc = ABCSMC(spec.priors, simulator, _distance(spec), population=a["population"], quantile=a["quantile"],
                     max_generations=a["generations"], min_epsilon=a["min_epsilon"],
                     max_simulations=a["max_simulations"], min_acceptance=a["min_acceptance"], batch=a["batch"],
                     seed=a["seed"], store=GenerationStore(out, spec.priors.names), note=note)
        result = abc.run()
        posterior_frame(result).to_parquet(out / "posterior.parquet", index=False)
        note(f"stopped: {result.stop_reason}; posterior in {out / 'posterior.parquet'}")
        predictive, missing = predictive_check(spec, result, backend)
        if len(predictive):
            predictive.to_parquet(out / "predictive.parquet", index=False)
    finally:
        if backend is not None:
            backend.close()
    return Calibration(spec, out, result, simulator, predictive, missing, time.perf_counter() - start)


def _distance(spec: CalibrationSpec):
    from .distance import Distance

    return Distance(spec.targets)
