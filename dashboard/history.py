"""A run's history, quarter by quarter: what the page shows of every step already run.

The timeline scrubs back to any quarter, and the map, the explanations, the charts and the log
must show it exactly as it was. The model keeps only its present (and per-region records of a
few terms), so the dashboard keeps, per step, a small :class:`Snapshot`: every region's stance,
the terms of every official's decision (as read from ``official.decision``), who the official
was and since when, the levers' values and how long the event log was. About 10 kB per step
for the 166 regions of the USSR.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from soviet_cohesion import Allegiance, Stance, Status

#: indicators kept per step for the time plots (read as model attributes)
TRACKED = ("cohesion", "compliance", "plan_fulfilment", "authority", "reserves")
#: the republics' course kept per step for the republics chart (second generation; model attributes)
REPUBLIC_TRACKED = ("sovereign_share", "independent_share")
#: the terms of a decision kept per region and step (keys of ``official.decision``)
TERMS = ("risk_of_obeying", "risk_of_disobeying", "audit_probability", "peer_share", "peer_threshold",
         "exit_pull", "autonomy_threshold", "shortfall", "unrest")
#: the model's levers kept per step (for the explanations: how hard the centre punished then)
LEVERS_KEPT = ("punishment_severity", "audit_capacity", "openness", "responsibility_shared",
               "decentralisation", "local_accountability", "scarcity", "supply_reform", "appeasement")


@dataclass(frozen=True)
class Snapshot:
    """One step of the run, as the page shows it."""

    step: int
    stance: np.ndarray  # int8 per region
    terms: np.ndarray | None  # float32 (regions, TERMS); None when regions are not kept
    official_type: tuple[str, ...]
    appointed: np.ndarray  # year each region's official took office
    levers: dict
    log_length: int
    played: np.ndarray | None = None  # regions whose stance a player chose (the classroom game)
    allegiance: np.ndarray | None = None  # second-generation models: 0 centre, 1 republic, 2 region
    status: np.ndarray | None = None  # second-generation models: per republic, 0 loyal, 1 sovereign, 2 independent
    countered: np.ndarray | None = None  # regions siding with the centre against their declared republic

    def region(self, i: int) -> dict:
        """The terms of region ``i``'s decision at this step, as a dict of floats."""
        if self.terms is None:
            return {}
        return {name: float(value) for name, value in zip(TERMS, self.terms[i].tolist())}


class History:
    """Per-step values for the plots and, unless ``keep_regions`` is False, a :class:`Snapshot`
    per step for the timeline."""

    def __init__(self, model, keep_regions: bool = True):
        self.start = float(model.timeline.start)
        self.years: list[float] = []
        self.values: dict[str, list[float]] = {name: [] for name in TRACKED}
        self.stance_counts: dict[int, list[int]] = {int(s): [] for s in Stance}
        self.republics: dict[str, list[float]] = {name: [] for name in (*REPUBLIC_TRACKED, "counter_mobilised")}
        self.snapshots: list[Snapshot] = []
        self.labels: list[str] = []
        self.neighbours: tuple[int, ...] = ()
        self._status_before: np.ndarray | None = None  # the republics' status when the officials last decided
        self.append(model, keep_regions)

    def append(self, model, keep_regions: bool = True) -> None:
        self.years.append(round(float(model.year), 4))
        self.labels.append(period_label(model, int(model.steps)))
        for name in TRACKED:
            self.values[name].append(round(float(getattr(model, name, float("nan"))), 4))
        stance = np.asarray(model.stance, dtype=np.int8)
        counts = np.bincount(stance.astype(np.int64), minlength=len(Stance)).tolist()
        for s, series in self.stance_counts.items():
            series.append(counts[s])
        for name in REPUBLIC_TRACKED:
            self.republics[name].append(round(float(getattr(model, name, float("nan"))), 4))
        countered = counter_mobilised(model, self._status_before)
        self.republics["counter_mobilised"].append(float("nan") if countered is None else float(countered.sum()))
        status = getattr(model, "status", None)
        self._status_before = None if status is None else np.asarray(status, dtype=np.int8).copy()
        if keep_regions:
            self.snapshots.append(self._snapshot(model, stance, countered))

    def _snapshot(self, model, stance: np.ndarray, countered: np.ndarray | None) -> Snapshot:
        officials = model.officials
        decisions = [official.decision for official in officials]
        if not self.neighbours:
            self.neighbours = tuple(int(d.get("neighbours", 0)) for d in decisions)
        terms = np.array([[d.get(name, np.nan) for name in TERMS] for d in decisions], dtype=np.float32)
        appointed = np.array([getattr(o, "appointed_year", np.nan) for o in officials], dtype=float)
        allegiance = getattr(model, "allegiance", None)
        played = getattr(model, "played", None)
        status = getattr(model, "status", None)
        return Snapshot(
            step=int(model.steps), stance=stance.copy(), terms=terms,
            official_type=tuple(str(d.get("official_type", "")) for d in decisions),
            appointed=appointed, levers=levers_of(model), log_length=len(model.event_log),
            played=None if played is None else np.asarray(played, dtype=bool).copy(),
            allegiance=None if allegiance is None else np.asarray(allegiance, dtype=np.int8).copy(),
            status=None if status is None else np.asarray(status, dtype=np.int8).copy(), countered=countered)

    def note_levers(self, model) -> None:
        """A lever moved between two steps: the current step's snapshot shows its new value."""
        if self.snapshots and self.snapshots[-1].step == model.steps:
            last = self.snapshots[-1]
            self.snapshots[-1] = Snapshot(**{**last.__dict__, "levers": levers_of(model)})

    def __len__(self) -> int:
        return len(self.years)

    @property
    def last_step(self) -> int:
        return len(self.years) - 1

    def snapshot(self, step: int) -> Snapshot:
        return self.snapshots[max(0, min(step, len(self.snapshots) - 1))]

    def label(self, step: int) -> str:
        return self.labels[max(0, min(step, len(self.labels) - 1))]

    def upto(self, step: int) -> HistoryView:
        """The history as it was after ``step`` steps (what the plots drew then)."""
        return HistoryView(self, step)


class HistoryView:
    """The first ``step + 1`` entries of a :class:`History` (for the plots when scrubbing back)."""

    def __init__(self, history: History, step: int):
        n = max(1, min(step + 1, len(history)))
        self.years = history.years[:n]
        self.values = {k: v[:n] for k, v in history.values.items()}
        self.stance_counts = {k: v[:n] for k, v in history.stance_counts.items()}
        self.republics = {k: v[:n] for k, v in history.republics.items()}

    def __len__(self) -> int:
        return len(self.years)


def counter_mobilised(model, status_before: np.ndarray | None) -> np.ndarray | None:
    """The regions that side with the centre against their republic (counter-mobilised): their
    official answers to Moscow although its republic had declared sovereignty or independence
    when the official decided (``status_before``: the republics' status after the step before;
    a republic that declares in this step has its officials choose in the next one). None for a
    model without republics. One comparison over the regions' arrays."""
    allegiance = getattr(model, "allegiance", None)
    if allegiance is None or getattr(model, "status", None) is None:
        return None
    if status_before is None:
        return np.zeros(len(allegiance), dtype=bool)
    declared = status_before[np.asarray(model.world.republic)] >= int(Status.SOVEREIGN)
    return declared & (np.asarray(allegiance) == int(Allegiance.CENTRE))


def levers_of(model) -> dict:
    return {name: model.params[name] for name in LEVERS_KEPT if name in model.params}


def period_label(model, step: int) -> str:
    """The quarter a step ran, as on the page ("1986 Q2"); step 0 is the start, before the first
    quarter ("1985 Q1", shown with the word "start")."""
    return model.period_label(max(int(step), 1))
