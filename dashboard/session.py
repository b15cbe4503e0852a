"""One visitor's run: the model, the history the plots draw, and an optional counterfactual.

A :class:`RunSession` belongs to one browser tab (the page builds it with ``solara.use_memo``),
so one visitor's play or reset never touches another's. It knows nothing of Solara: the
component tests and the load test drive it directly.

Per step it does the least it can: one ``model.step()`` (and one for the counterfactual), then
it appends the current indicator values, read as attributes, to its own lists; it never
rebuilds a DataFrame until an export asks for one.
"""

from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from soviet_cohesion import CohesionModel, ParameterError, Stance
from soviet_cohesion import parameters as model_parameters

#: indicators kept per step for the time plots (read as model attributes)
TRACKED = ("cohesion", "compliance", "plan_fulfilment", "authority", "reserves")
#: development only: build every model in this world ("synthetic" runs without the USSR data)
WORLD_OVERRIDE_ENV = "SOVIET_COHESION_DASHBOARD_WORLD"
#: largest seed accepted from the page
MAX_SEED = 2**63 - 1


def parse_seed(text: Any) -> int:
    """A seed typed by a visitor, as a whole number >= 0; ``ValueError`` with a readable message."""
    cleaned = str(text if text is not None else "").strip()
    if not cleaned:
        raise ValueError("The seed is empty: type a whole number such as 1.")
    try:
        seed = int(cleaned)
    except ValueError:
        raise ValueError(f"The seed {cleaned[:20]!r} is not a whole number: type one such as 1 or 42.") from None
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"The seed must be between 0 and {MAX_SEED}.")
    return seed


@dataclass(frozen=True)
class Comparison:
    """The counterfactual: the same scenario and seed with one lever changed.

    ``from_step`` is the step at which the lever changes (0: held from the start).
    """

    lever: str
    value: Any
    from_step: int = 0

    def describe(self) -> str:
        when = "from the start" if self.from_step == 0 else f"from step {self.from_step}"
        return f"{lever_label(self.lever)} = {format_value(self.value)} {when}"


class History:
    """Per-step values for the plots: years, the tracked indicators and the stance counts."""

    def __init__(self, model: CohesionModel):
        self.years: list[float] = []
        self.values: dict[str, list[float]] = {name: [] for name in TRACKED}
        self.stance_counts: dict[int, list[int]] = {int(s): [] for s in Stance}
        self.append(model)

    def append(self, model: CohesionModel) -> None:
        self.years.append(round(float(model.year), 4))
        for name in TRACKED:
            self.values[name].append(round(float(getattr(model, name)), 4))
        counts = np.bincount(model.stance.astype(np.int64), minlength=len(Stance)).tolist()
        for stance, series in self.stance_counts.items():
            series.append(counts[stance])

    def __len__(self) -> int:
        return len(self.years)


class RunSession:
    """A visitor's run of one scenario with one seed.

    Attributes:
        model: the running :class:`CohesionModel`.
        history: what the plots draw (one entry per step, step 0 included).
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

    # ------------------------------------------------------------------ running
    @property
    def running(self) -> bool:
        return bool(self.model.running)

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
                self.counterfactual_history.append(cf)
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
            cf = self.counterfactual
            if cf is not None and self.comparison is not None and name != self.comparison.lever:
                cf.set_lever(name, stored)
            return stored

    # ------------------------------------------------------------------ counterfactual
    def compare(self, lever: str, value: Any, from_now: bool = False) -> Comparison:
        """Start the counterfactual: same scenario and seed, ``lever`` held at ``value`` from the
        start (or from the current step, after replaying the visitor's interventions so far)."""
        if lever not in model_parameters.DYNAMIC:
            raise ParameterError(f"{lever!r} cannot be compared; choose one of the levers")
        value = model_parameters.PARAMETERS[lever].coerce(value)
        with self.lock:
            comparison = Comparison(lever, value, self.model.steps if from_now else 0)
            self._start_counterfactual(comparison)
            return comparison

    def _start_counterfactual(self, comparison: Comparison) -> None:
        cf = self._build(self.scenario, self.seed)
        if comparison.from_step == 0:
            cf.set_lever(comparison.lever, comparison.value)
        history = History(cf)
        # replay the visitor's other interventions at the steps they happened, up to now
        for step in range(self.model.steps + 1):
            for when, name, value in self.interventions:
                if when == step and name != comparison.lever:
                    cf.set_lever(name, value)
            if step == comparison.from_step and step > 0:
                cf.set_lever(comparison.lever, comparison.value)
            if step < self.model.steps and cf.running:
                cf.step()
                history.append(cf)
        self.comparison, self.counterfactual, self.counterfactual_history = comparison, cf, history

    def stop_comparing(self) -> None:
        with self.lock:
            self.comparison = self.counterfactual = self.counterfactual_history = None

    # ------------------------------------------------------------------ what the page shows
    @property
    def period(self) -> str:
        """The period just run ("1989 Q2"), or the starting year before the first step."""
        if self.model.steps == 0:
            return f"{self.model.timeline.start:g}"
        return self.model.period_label()

    @property
    def progress(self) -> str:
        if self.model.steps == 0:
            return f"ready: {self.model.n_steps} quarters to run"
        if not self.model.running:
            return f"end of the scenario ({self.model.steps} of {self.model.n_steps})"
        return f"step {self.model.steps} of {self.model.n_steps}"

    # ------------------------------------------------------------------ exports
    def file_stem(self) -> str:
        return f"soviet-cohesion_{self.scenario}_seed{self.seed}"

    def indicators_csv(self) -> str:
        """The run's indicators, one row per period, with the period label; as CSV text."""
        with self.lock:
            df = self.model.indicators()
            df.insert(0, "period", [self.model.period_label(int(s)) if s else "start" for s in df.index])
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
                frames.append(self.counterfactual.indicators().assign(
                    run=f"counterfactual: {self.comparison.describe()}"))
            df = pd.concat(frames)
            df.insert(0, "seed", self.seed)
            df.insert(0, "scenario", self.scenario)
            return _csv(df)


    def events_csv(self) -> str:
        """The running log (scenario events and what the regions did); as CSV text."""
        import pandas as pd

        with self.lock:
            rows = [{k: v for k, v in entry.items() if k != "changes"} for entry in self.model.event_log]
            df = pd.DataFrame(rows, columns=["step", "year", "period", "kind", "label", "republic", "count"])
            df.insert(0, "seed", self.seed)
            df.insert(0, "scenario", self.scenario)
            return _csv(df, index=False)


def _csv(df, index: bool = True) -> str:
    buffer = io.StringIO()
    df.to_csv(buffer, index=index, float_format="%.6g")
    return buffer.getvalue()


# ---------------------------------------------------------------------- labels
#: the levers a teacher sees first, with short labels (names from the parameter registry)
TEACHER_LEVERS = {
    "openness": "Openness (glasnost)",
    "punishment_severity": "Punishment",
    "audit_capacity": "Audits",
    "supply_reform": "Supply reform",
    "responsibility_shared": "Share responsibility",
    "appeasement": "Appeasement",
}
MORE_LEVERS = {
    "scarcity": "Scarcity",
    "decentralisation": "Decentralisation",
    "local_accountability": "Local accountability",
}
LOOP_SWITCHES = {
    "loop_fiscal": "Fiscal loop",
    "loop_enforcement": "Enforcement dilution",
    "loop_legitimacy": "Legitimacy loop",
    "loop_contagion": "Contagion",
    "loop_responsibility": "Responsibility asymmetry",
}
ALL_LABELS = {**TEACHER_LEVERS, **MORE_LEVERS, **LOOP_SWITCHES}


def year_label(year: float) -> str:
    """A scenario date as people say it: 1986.0 -> "1986", 1986.25 -> "1986 Q2"."""
    whole = int(year // 1)
    quarter = int(round((year - whole) * 4))
    if quarter >= 4:
        whole, quarter = whole + 1, 0
    return f"{whole}" if quarter == 0 else f"{whole} Q{quarter + 1}"


def lever_label(name: str) -> str:
    return ALL_LABELS.get(name, name.replace("_", " "))


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
