"""How sure is it? The cohesion curve of 20 seeds, computed on the server in the background.

A :class:`SeedBand` runs the visitor's scenario with the visitor's lever moves (at their
quarters) for 20 seeds, one run after the other, in a thread of its own, and keeps, per step,
the 10th, 50th and 90th percentile of cohesion: the band the middle 80% of runs fall in.

It never blocks the page: the thread takes no lock of the page, it yields between steps,
and all bands of the server take turns (:data:`TURNS`: one band computes at a time, the others
wait, so a class pressing the button together does not take the server from the visitors who
play). It stops within a step when cancelled (the visitor resets, moves a lever, or leaves).
When the model offers ``soviet_cohesion.ensemble.run`` (many runs at once) and there are no
lever moves, the band uses it instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from soviet_cohesion import CohesionModel

logger = logging.getLogger(__name__)

#: seeds in a band
SEEDS = 20
#: one band computes at a time in the whole server
TURNS = threading.Semaphore(1)
#: pause after each step of a band run, so that the threads that serve the pages get the core
YIELD_SECONDS = 0.0005
#: seeds run together by the ensemble engine between two looks at a cancel (a few tenths of a
#: second for the whole arc)
ENSEMBLE_BATCH = 4


@dataclass
class BandResult:
    years: list[float]
    low: list[float]  # 10th percentile of cohesion per step
    median: list[float]
    high: list[float]  # 90th percentile
    seeds: list[int] = field(default_factory=list)


def band_seeds(seed: int, count: int = SEEDS) -> list[int]:
    """The seeds of a band: the visitor's own and the next ``count - 1``."""
    return [seed + k for k in range(count)]


def percentiles(curves: np.ndarray) -> tuple[list[float], list[float], list[float]]:
    """10th, 50th and 90th percentile over runs (rows) per step (columns)."""
    low, median, high = np.percentile(curves, [10, 50, 90], axis=0)
    return ([round(float(x), 4) for x in low], [round(float(x), 4) for x in median],
            [round(float(x), 4) for x in high])


class SeedBand:
    """One band, computed in a background thread.

    Args:
        scenario, seed, world: the visitor's run (the band's seeds are ``seed`` .. ``seed + 19``).
        moves: the visitor's lever moves ``(step, lever, value)``.
        on_progress: called with (runs done, runs in all) after each run; ``on_done`` with the
            :class:`BandResult` (or None if cancelled) and the error, if any. Both are called
            from the band's thread.
    """

    def __init__(self, scenario: str, seed: int, moves=(), world: str | None = None, count: int = SEEDS,
                 on_progress: Callable[[int, int], Any] | None = None,
                 on_done: Callable[[BandResult | None, Exception | None], Any] | None = None):
        self.scenario, self.seed, self.world = scenario, seed, world
        self.moves = sorted(moves, key=lambda m: m[0])
        self.seeds = band_seeds(seed, count)
        self.on_progress, self.on_done = on_progress, on_done
        self.cancelled = threading.Event()
        self.done = threading.Event()
        self.result: BandResult | None = None
        self.error: Exception | None = None
        self.runs_done = 0
        self.thread = threading.Thread(target=self._run, daemon=True, name="soviet-cohesion-band")

    def start(self) -> SeedBand:
        self.thread.start()
        return self

    def cancel(self) -> None:
        self.cancelled.set()

    # ------------------------------------------------------------------ the work
    def _one_run(self, seed: int) -> tuple[list[float], list[float]] | None:
        model = CohesionModel(scenario=self.scenario, rng=seed, world=self.world, collect_regions=False)
        years, cohesion = [float(model.year)], [float(model.cohesion)]
        pending = list(self.moves)
        while True:
            while pending and pending[0][0] <= model.steps:
                _, lever, value = pending.pop(0)
                model.set_lever(lever, value)
            if not model.running:
                break
            model.step()
            years.append(float(model.year))
            cohesion.append(float(model.cohesion))
            if self.cancelled.is_set():
                return None
            time.sleep(YIELD_SECONDS)
        return years, cohesion

    def _ensemble(self) -> BandResult | None:
        """The band from the ensemble engine (many runs at once, each equal to the run alone),
        ENSEMBLE_BATCH seeds at a time so that progress shows and a cancel stops it between
        batches. Only without lever moves: an ensemble holds its levers from the start. Returns
        None when cancelled, or when it cannot be used (then the runs go one by one)."""
        if self.moves:
            return None
        try:
            from soviet_cohesion.ensemble import Ensemble
        except ImportError:
            return None
        curves: list[np.ndarray] = []
        years: list[float] = []
        runs = Ensemble(self.scenario, self.seeds, world=self.world or None, keep="series", batch=ENSEMBLE_BATCH)
        for batch, sim in runs.batches():
            for row in range(len(batch)):
                table = sim.indicators(row)
                curves.append(table["cohesion"].to_numpy(dtype=float))
                years = table["year"].tolist()
            self.runs_done += len(batch)
            if self.cancelled.is_set():
                return None
            if self.on_progress is not None:
                self.on_progress(self.runs_done, len(self.seeds))
            time.sleep(YIELD_SECONDS)
        low, median, high = percentiles(np.array(curves))
        return BandResult([round(y, 4) for y in years], low, median, high, list(self.seeds))

    def _run(self) -> None:
        result, error = None, None
        try:
            with TURNS:
                if self.cancelled.is_set():
                    return
                result = self._ensemble()
                if self.cancelled.is_set():
                    return
                if result is None:
                    curves = []
                    years: list[float] = []
                    for seed in self.seeds:
                        run = self._one_run(seed)
                        if run is None:
                            return
                        years, cohesion = run
                        curves.append(cohesion)
                        self.runs_done += 1
                        if self.on_progress is not None and not self.cancelled.is_set():
                            self.on_progress(self.runs_done, len(self.seeds))
                    length = min(len(c) for c in curves)
                    low, median, high = percentiles(np.array([c[:length] for c in curves]))
                    result = BandResult([round(y, 4) for y in years[:length]], low, median, high, list(self.seeds))
        except Exception as exc:  # shown on the page as a message
            logger.exception("the seed band failed")
            error = exc
        finally:
            self.result, self.error = result, error
            self.done.set()
            if self.on_done is not None and not self.cancelled.is_set():
                try:
                    self.on_done(result, error)
                except Exception:
                    logger.exception("the band's on_done failed")
