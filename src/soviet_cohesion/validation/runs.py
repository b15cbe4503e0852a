"""Model runs as the validation sees them: one :class:`RunOutput` per run.

:func:`simulate_runs` (one parameter set, many seeds) and :func:`simulate_batch` (one parameter
set per run) are the only places where the validation and the calibration call the model. They
run the runs as ensembles (``soviet_cohesion.ensemble``): many runs at once, each one equal to a
``CohesionModel`` run with the same seed and parameters. Nothing else in these packages builds
a model for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import parameters

#: every feedback loop switched off (the second null model)
LOOPS_OFF: dict[str, bool] = dict.fromkeys(parameters.LOOPS, False)


@dataclass
class RunOutput:
    """What one run leaves for the patterns.

    Attributes:
        scenario: the scenario's name.
        seed: the run's seed.
        indicators: the indicator table, one row per step (``year``, ``cohesion``, ...).
        declarations: the republics' declarations (columns ``republic``, ``declaration``, ``year``,
            ``step``), or ``None`` when the model version does not produce declarations.
        n_regions: number of regions in the run's world.
        republic_codes: republic name -> code, to read declarations that name republics.
        overrides: the parameters given to the model.
    """

    scenario: str
    seed: int
    indicators: pd.DataFrame
    declarations: pd.DataFrame | None = None
    n_regions: int = 0
    republic_codes: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def end_year(self) -> float:
        return float(self.indicators["year"].iloc[-1])


def from_model(model, seed: int, overrides: dict | None = None) -> RunOutput:
    """The :class:`RunOutput` of a model that has run (reads only its public surface)."""
    declarations = getattr(model, "declarations", None)
    table = declarations() if callable(declarations) else None
    world = model.world
    codes = dict(zip(world.republic_names, world.republic_codes))
    return RunOutput(scenario=model.timeline.name, seed=int(seed), indicators=model.indicators(),
                     declarations=table, n_regions=int(model.n_regions), republic_codes=codes,
                     overrides=dict(overrides or {}))


def simulate_runs(scenario: str, seeds: Iterable[int], overrides: dict | None = None) -> list[RunOutput]:
    """Run ``scenario`` once per seed with ``overrides`` (parameters held for the whole run).

    The seam for the ensemble engine: same arguments, same result, many runs at once.
    """
    seeds = [int(s) for s in seeds]
    return simulate_batch(scenario, [dict(overrides or {})] * len(seeds), seeds)


def simulate_batch(scenario: str, overrides: list[dict], seeds: Iterable[int]) -> list[RunOutput]:
    """One run of ``scenario`` per (overrides, seed) pair: the calibration's particles.

    Runs that differ only in their parameters share one ensemble (batches of up to 256).
    """
    from ..ensemble import Ensemble

    seeds = [int(s) for s in seeds]
    if len(seeds) != len(overrides):
        raise ValueError(f"{len(overrides)} parameter sets for {len(seeds)} seeds")
    if not seeds:
        return []
    ensemble = Ensemble(scenario, seeds, keep="series", per_run=[dict(v) for v in overrides])
    out: list[RunOutput] = []
    for runs, sim in ensemble.batches():
        codes = dict(zip(sim.world.republic_names, sim.world.republic_codes))
        for row, run in enumerate(runs):
            out.append(RunOutput(scenario=sim.timelines[row].name, seed=seeds[run], indicators=sim.indicators(row),
                                 declarations=sim.declarations(row), n_regions=int(sim.n_regions),
                                 republic_codes=codes, overrides=dict(overrides[run])))
    return out
