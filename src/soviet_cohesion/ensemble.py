"""Many runs at once: the model's arrays with a leading runs axis, one generator per run.

Run ``i`` of an ensemble equals ``CohesionModel(scenario, rng=seeds[i], **overrides_i)`` exactly
(same numbers, bit for bit): both are the same :class:`~soviet_cohesion.model.Simulation`, and
each run draws only from its own generator, only what its own state asks for. What an ensemble
saves is the fixed cost of each numpy call, paid once for all its rows::

    >>> from soviet_cohesion import ensemble
    >>> final = ensemble.run("gorbachev", seeds=range(100))              # one row per run
    >>> final = ensemble.run("gorbachev", seeds=range(4), responsibility_shared=[0, .3, .6, .9])
    >>> series = ensemble.run("brezhnev", seeds=range(20), keep="series")  # every step of every run

An override may be a single value (every run) or a list with one value per run. Runs are
simulated in batches of ``batch`` rows (memory grows with it: about 0.5 kB per region and run).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from . import parameters, scenarios
from .model import Simulation

KEEP = ("final", "series", "regions")
#: runs simulated together by default (the gain flattens out above about 256 at 165 regions)
DEFAULT_BATCH = 256


def _per_run(overrides: dict[str, Any], n: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{} for _ in range(n)]
    for name, value in overrides.items():
        parameters.get(name)  # unknown name -> one-line error
        if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
            values = list(value)
            if len(values) != n:
                raise parameters.ParameterError(
                    f"{name}: {len(values)} values given for {n} runs; give one value, or one per run")
        else:
            values = [value] * n
        for row, v in zip(rows, values):
            row[name] = v.item() if isinstance(v, np.generic) else v
    return rows


class Ensemble:
    """``len(seeds)`` runs of ``scenario`` (or one scenario per run, sharing start, span and
    world), simulated in batches. Iterate :meth:`batches` to get each finished
    :class:`Simulation` with the indices of its runs."""

    def __init__(self, scenario: Any, seeds: Iterable[int], *, world: str | None = None,
                 steps: int | None = None, keep: str = "final", batch: int = DEFAULT_BATCH,
                 per_run: list[dict[str, Any]] | None = None, **overrides: Any):
        if keep not in KEEP:
            raise parameters.ParameterError(f"keep={keep!r} is not allowed: expected one of {', '.join(KEEP)}")
        self.seeds = [int(s) for s in seeds]
        if not self.seeds:
            raise parameters.ParameterError("seeds: give at least one seed")
        n = len(self.seeds)
        if isinstance(scenario, (list, tuple)):
            if len(scenario) != n:
                raise parameters.ParameterError(f"scenario: {len(scenario)} scenarios given for {n} runs")
            self.timelines = [s if isinstance(s, scenarios.Scenario) else scenarios.load(s) for s in scenario]
        else:
            one = scenario if isinstance(scenario, scenarios.Scenario) else scenarios.load(scenario)
            self.timelines = [one] * n
        self.overrides = _per_run(overrides, n)
        if per_run is not None:  # one dict of overrides per run, on top of the common ones
            if len(per_run) != n:
                raise parameters.ParameterError(f"per_run: {len(per_run)} sets of values given for {n} runs")
            for row, extra in zip(self.overrides, per_run):
                row.update(extra)
        for row in self.overrides:
            parameters.validate(row)
        self.world, self.steps, self.keep = world, steps, keep
        self.batch = max(1, int(batch))
        if keep == "regions":
            for row in self.overrides:
                row.setdefault("collect_regions", True)
        else:
            for row in self.overrides:
                row.setdefault("collect_regions", False)

    def __len__(self) -> int:
        return len(self.seeds)

    def batches(self) -> Iterator[tuple[range, Simulation]]:
        """Each batch's run indices and its finished simulation."""
        for start in range(0, len(self.seeds), self.batch):
            runs = range(start, min(start + self.batch, len(self.seeds)))
            sim = Simulation([self.timelines[i] for i in runs], [np.random.default_rng(self.seeds[i]) for i in runs],
                             [self.overrides[i] for i in runs], world=self.world, steps=self.steps,
                             keep_series=self.keep != "final")
            sim.run()
            yield runs, sim

    def tables(self) -> dict[str, pd.DataFrame]:
        """``final`` (one row per run), and per ``keep``: ``series``, ``regions``; always
        ``declarations`` (one row per declaration). Each table is built per batch, for all its
        runs at once."""
        finals, series, regions, declarations = [], [], [], []
        for runs, sim in self.batches():
            run_of = np.asarray(runs, dtype=np.int64)
            seed_of = np.array([self.seeds[r] for r in runs], dtype=np.int64)
            finals.append(pd.DataFrame({"run": run_of, "seed": seed_of,
                                        "scenario": [self.timelines[r].name for r in runs],
                                        **sim.recorder.final(), "steps": np.full(len(runs), sim.recorder.steps[-1])}))
            if self.keep in ("series", "regions"):
                table = sim.recorder.series_table()
                series.append(_ids(table, run_of, seed_of))
            if self.keep == "regions":
                for row, run in enumerate(runs):
                    regions.append(sim.region_records(row).assign(run=run, seed=self.seeds[run]))
            declarations.append(_ids(sim.declaration_table(), run_of, seed_of))
        out = {"final": pd.concat(finals, ignore_index=True),
               "declarations": pd.concat(declarations, ignore_index=True)}
        if series:
            out["series"] = pd.concat(series, ignore_index=True)
        if regions:
            out["regions"] = _front(pd.concat(regions, ignore_index=True))
        return out


def _ids(table: pd.DataFrame, run_of: np.ndarray, seed_of: np.ndarray) -> pd.DataFrame:
    """``table`` with its column ``row`` (a run's row in its batch) replaced by run and seed, first."""
    rows = table.pop("row").to_numpy()
    table.insert(0, "seed", seed_of[rows])
    table.insert(0, "run", run_of[rows])
    return table


def _front(df: pd.DataFrame) -> pd.DataFrame:
    first = [c for c in ("run", "seed") if c in df.columns]
    return df[first + [c for c in df.columns if c not in first]]


def run(scenario: Any, seeds: Iterable[int], world: str | None = None, keep: str = "final", *,
        steps: int | None = None, batch: int = DEFAULT_BATCH, **overrides: Any) -> pd.DataFrame:
    """Run ``scenario`` once per seed and return the table ``keep`` asks for:

    * ``"final"``: one row per run (run, seed, scenario, the last recorded indicators, steps);
    * ``"series"``: the indicators of every step of every run (run, seed, Step, ...), as
      ``CohesionModel.indicators()`` gives them for one run;
    * ``"regions"``: the per-region records of every run, as ``CohesionModel.region_records()``.

    ``declarations(...)`` gives the republics' declarations of the same runs.
    """
    tables = Ensemble(scenario, seeds, world=world, steps=steps, keep=keep, batch=batch, **overrides).tables()
    return tables[keep]


def declarations(scenario: Any, seeds: Iterable[int], world: str | None = None, *, steps: int | None = None,
                 batch: int = DEFAULT_BATCH, **overrides: Any) -> pd.DataFrame:
    """Every declaration of sovereignty or independence in the runs (run, seed, republic, name,
    declaration, year, step)."""
    return Ensemble(scenario, seeds, world=world, steps=steps, batch=batch, **overrides).tables()["declarations"]
