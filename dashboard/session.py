"""One visitor's run: the model, its history quarter by quarter, and an optional counterfactual.

A :class:`RunSession` belongs to one browser tab (the page builds it with ``solara.use_memo``),
so one visitor's play or reset never touches another's. It knows nothing of Solara: the
component tests and the load test drive it directly.

Per step it does the least it can: one ``model.step()`` (and one for the counterfactual), then
it appends to its :class:`~.history.History` what the page shows of that quarter (the
indicators, the stances, every official's decision terms), so that the timeline can show any
quarter already run exactly as it was. It never rebuilds a DataFrame until an export asks.

Everything a visitor did to the run (the scenario, the seed, the lever moves with their steps,
the comparison, how far the run has gone) is a :class:`~.address.Recipe`; :meth:`restore`
replays one, which gives the same run again (the model is deterministic for a seed).
"""

from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass
from typing import Any

from soviet_cohesion import CohesionModel, ParameterError
from soviet_cohesion import parameters as model_parameters

from .history import History

#: development only: build every model in this world ("synthetic" runs without the USSR data)
WORLD_OVERRIDE_ENV = "SOVIET_COHESION_DASHBOARD_WORLD"
#: largest seed accepted from the page
MAX_SEED = 2**63 - 1


class SeedError(ValueError):
    """A seed that is not allowed; ``key`` and ``values`` name its message in the catalogue."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(f"{key}: {values}")


def parse_seed(text: Any) -> int:
    """A seed typed by a visitor, as a whole number >= 0; :class:`SeedError` otherwise."""
    cleaned = str(text if text is not None else "").strip()
    if not cleaned:
        raise SeedError("seed.empty")
    try:
        seed = int(cleaned)
    except ValueError:
        raise SeedError("seed.not_whole", text=cleaned[:20]) from None
    if not 0 <= seed <= MAX_SEED:
        raise SeedError("seed.range", high=MAX_SEED)
    return seed


@dataclass(frozen=True)
class Comparison:
    """The counterfactual: the same scenario and seed with one lever changed.

    ``from_step`` is the step after which the lever changes (0: held from the start).
    """

    lever: str
    value: Any
    from_step: int = 0


class RunSession:
    """A visitor's run of one scenario with one seed.

    Attributes:
        model: the running :class:`CohesionModel`.
        history: what the page shows of every quarter run (step 0 included).
        counterfactual, counterfactual_history, comparison: the comparison run, if any.
        interventions: ``(step, lever, value)`` for every lever the visitor moved.
        lock: held while the run changes, so an export never reads a half-made step.
    """

    def __init__(self, scenario: str = "gorbachev", seed: int = 1, *, world: str | None = None):
        self.lock = threading.RLock()
        self.world = world or os.environ.get(WORLD_OVERRIDE_ENV) or None
        self.scenario = scenario
        self.seed = seed
        self.comparison: Comparison | None = None
        self.counterfactual: CohesionModel | None = None
        self.counterfactual_history: History | None = None
        self.reset(scenario, seed)

    # ------------------------------------------------------------------ building runs
    def _build(self, scenario: str, seed: int) -> CohesionModel:
        return CohesionModel(scenario=scenario, rng=seed, world=self.world)

    def reset(self, scenario: str | None = None, seed: int | None = None) -> None:
        """Start again (optionally with another scenario or seed); keeps the comparison's lever,
        which then applies from the start. Raises ``ScenarioError``/``ParameterError`` and
        leaves the current run untouched when the scenario or seed is not allowed."""
        scenario = self.scenario if scenario is None else scenario
        seed = self.seed if seed is None else seed
        model = self._build(scenario, seed)
        with self.lock:
            self.model = model
            self.scenario, self.seed = scenario, seed
            self.history = History(model)
            self.interventions: list[tuple[int, str, Any]] = []
            if self.comparison is not None:
                self._start_counterfactual(Comparison(self.comparison.lever, self.comparison.value, 0))

    def restore(self, scenario: str, seed: int, moves=(), comparison: Comparison | None = None,
                steps: int = 0) -> None:
        """Replay a run: ``scenario`` and ``seed``, the lever ``moves`` ``(step, lever, value)``
        made at their steps, ``steps`` quarters run, and the ``comparison``. Raises (and leaves
        the current run untouched) when something is not allowed."""
        trial = RunSession.__new__(RunSession)
        trial.lock, trial.world = threading.RLock(), self.world
        trial.comparison = trial.counterfactual = trial.counterfactual_history = None
        trial.reset(scenario, seed)
        pending = sorted(moves, key=lambda move: move[0])
        steps = min(int(steps), trial.model.n_steps)
        while True:
            now = trial.model.steps
            for step, lever, value in pending:
                if step == now:
                    trial.set_lever(lever, value)
            if now >= steps or not trial.step():
                break
        if comparison is not None:
            trial.compare(comparison.lever, comparison.value, from_step=min(comparison.from_step, trial.model.steps))
        with self.lock:
            self.__dict__.update({k: v for k, v in trial.__dict__.items() if k != "lock"})

    # ------------------------------------------------------------------ running
    @property
    def running(self) -> bool:
        return bool(self.model.running)

    @property
    def steps(self) -> int:
        return int(self.model.steps)

    def step(self) -> bool:
        """Advance one period (and the counterfactual with it); True while the run goes on."""
        with self.lock:
            if not self.model.running:
                return False
            self.model.step()
            self.history.append(self.model)
            cf = self.counterfactual
            if cf is not None and cf.running:
                cf.step()
                self.counterfactual_history.append(cf, keep_regions=False)
            return bool(self.model.running)

    # ------------------------------------------------------------------ levers
    def lever_value(self, name: str) -> Any:
        return self.model.params[name]

    @property
    def held_levers(self) -> set[str]:
        """Levers the visitor set during this run (scenario events no longer move them)."""
        return {name for _, name, _ in self.interventions}

    def set_lever(self, name: str, value: Any) -> Any:
        """Set a lever on the running model (and mirror it to the counterfactual, unless it is the
        lever the counterfactual changes). Returns the value as the model stored it."""
        with self.lock:
            self.model.set_lever(name, value)
            stored = self.model.params[name]
            step = self.model.steps
            if self.interventions and self.interventions[-1][:2] == (step, name):
                self.interventions[-1] = (step, name, stored)  # a slider dragged within one period
            else:
                self.interventions.append((step, name, stored))
            self.history.note_levers(self.model)
            cf = self.counterfactual
            if cf is not None and self.comparison is not None and name != self.comparison.lever:
                cf.set_lever(name, stored)
            return stored

    # ------------------------------------------------------------------ counterfactual
    def compare(self, lever: str, value: Any, from_now: bool = False, from_step: int | None = None) -> Comparison:
        """Start the counterfactual: same scenario and seed, ``lever`` held at ``value`` from the
        start (or from the current step, or ``from_step``, after replaying the visitor's
        interventions so far)."""
        if lever not in model_parameters.DYNAMIC:
            raise ParameterError(f"{lever!r} cannot be compared; choose one of the levers")
        value = model_parameters.PARAMETERS[lever].coerce(value)
        with self.lock:
            if from_step is None:
                from_step = self.model.steps if from_now else 0
            comparison = Comparison(lever, value, int(from_step))
            self._start_counterfactual(comparison)
            return comparison

    def _start_counterfactual(self, comparison: Comparison) -> None:
        cf = self._build(self.scenario, self.seed)
        if comparison.from_step == 0:
            cf.set_lever(comparison.lever, comparison.value)
        history = History(cf, keep_regions=False)
        # replay the visitor's other interventions at the steps they happened, up to now
        for step in range(self.model.steps + 1):
            for when, name, value in self.interventions:
                if when == step and name != comparison.lever:
                    cf.set_lever(name, value)
            if step == comparison.from_step and step > 0:
                cf.set_lever(comparison.lever, comparison.value)
            if step < self.model.steps and cf.running:
                cf.step()
                history.append(cf, keep_regions=False)
        self.comparison, self.counterfactual, self.counterfactual_history = comparison, cf, history

    def stop_comparing(self) -> None:
        with self.lock:
            self.comparison = self.counterfactual = self.counterfactual_history = None

    # ------------------------------------------------------------------ exports
    def file_stem(self) -> str:
        return f"soviet-cohesion_{self.scenario}_seed{self.seed}"

    def indicators_csv(self) -> str:
        """The run's indicators, one row per period, with the period label; as CSV text."""
        with self.lock:
            df = self.model.indicators()
            df.insert(0, "period", [self.history.label(int(s)) for s in df.index])
            df.insert(0, "seed", self.seed)
            df.insert(0, "scenario", self.scenario)
            return _csv(df)

    def regions_csv(self) -> str:
        """Every region's stance and decision terms at every period; as CSV text."""
        with self.lock:
            df = self.model.region_records()
            df.insert(0, "seed", self.seed)
            df.insert(0, "scenario", self.scenario)
            return _csv(df, index=False)

    def comparison_csv(self) -> str:
        """Both runs' indicators side by side (``run`` = actual or counterfactual); as CSV text."""
        import pandas as pd

        with self.lock:
            frames = [self.model.indicators().assign(run="actual")]
            if self.counterfactual is not None:
                c = self.comparison
                frames.append(self.counterfactual.indicators().assign(
                    run=f"counterfactual: {c.lever} = {c.value} from step {c.from_step}"))
            df = pd.concat(frames)
            df.insert(0, "seed", self.seed)
            df.insert(0, "scenario", self.scenario)
            return _csv(df)

    def events_csv(self) -> str:
        """The running log (scenario events and what the regions did); as CSV text."""
        import pandas as pd

        with self.lock:
            rows = [{k: v for k, v in entry.items() if k != "changes"} for entry in self.model.event_log]
            columns = ["step", "year", "period", "kind", "label", "republic", "count"]
            columns += sorted({k for row in rows for k in row} - set(columns))
            df = pd.DataFrame(rows, columns=columns)
            df.insert(0, "seed", self.seed)
            df.insert(0, "scenario", self.scenario)
            return _csv(df, index=False)


def _csv(df, index: bool = True) -> str:
    buffer = io.StringIO()
    df.to_csv(buffer, index=index, float_format="%.6g")
    return buffer.getvalue()


# ---------------------------------------------------------------------- levers shown on the page
#: the levers a teacher sees first (their names on the page come from the catalogue: lever.NAME)
TEACHER_LEVERS = ("openness", "punishment_severity", "audit_capacity", "supply_reform",
                  "responsibility_shared", "appeasement")
MORE_LEVERS = ("scarcity", "decentralisation", "local_accountability")
LOOP_SWITCHES = ("loop_fiscal", "loop_enforcement", "loop_legitimacy", "loop_contagion", "loop_responsibility")
ALL_LEVERS = TEACHER_LEVERS + MORE_LEVERS + LOOP_SWITCHES
