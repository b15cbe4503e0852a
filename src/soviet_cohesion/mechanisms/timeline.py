"""apply_events: the scenario's dated events, each the centre's chosen reform or an exogenous
shock, move the levers of every run that follows that scenario.

An event at ``year`` sets its parameters when the period starting at ``year`` begins; with
``over > 0`` it moves each one linearly from its value at ``year`` to the target at
``year + over``::

    value(t) = v0 + min(1, (t - year + 1 / steps_per_year) / over) * (target - v0)

A whole-number lever (``economic_councils``: which council structure) has no values in between:
it changes at the event's date even when the event phases in its other changes.

A parameter held in a run (given as an override, or moved by hand on the dashboard) is
*pinned* there: events skip it in that run (and say so in ``skipped_events``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import parameters

#: events whose date is within this many years of a period's start belong to that period
#: (years are decimals such as 1987.5; this absorbs their binary rounding)
DATE_TOLERANCE = 1e-9


@dataclass
class Ramp:
    name: str
    runs: np.ndarray  # run indices
    year0: float
    year1: float
    start: np.ndarray  # value per run at year0
    target: float


class Timeline:
    """The pending events and phased changes of every run, grouped by shared scenario."""

    def __init__(self, timelines: list, pinned: dict[str, np.ndarray]):
        groups: dict[int, list[int]] = {}
        self.scenarios = {}
        for run, scenario in enumerate(timelines):
            groups.setdefault(id(scenario), []).append(run)
            self.scenarios[id(scenario)] = scenario
        self.groups = [(self.scenarios[key], np.array(runs), 0) for key, runs in groups.items()]
        self.pinned = pinned
        self.ramps: list[Ramp] = []
        self.skipped: list[list[str]] = [[] for _ in timelines]
        self._next = min((s.events[0].year for s, _, _ in self.groups if s.events), default=np.inf)

    def pin(self, name: str, run: int) -> None:
        """Hold ``name`` in ``run``: later events skip it; a phased change stops."""
        mask = self.pinned.setdefault(name, np.zeros(len(self.skipped), dtype=bool))
        mask[run] = True
        self.ramps = [r for r in (_without(r, np.array([run])) if r.name == name else r for r in self.ramps)
                      if r.runs.size]


def apply_events(sim) -> None:
    """Start the events whose date has come; advance the phased changes (equation above)."""
    tl: Timeline = sim.timeline
    year = sim.start_year + (sim.steps - 1) / sim.steps_per_year  # the period now starting
    p = sim.p
    if year + DATE_TOLERANCE >= tl._next:
        upcoming = np.inf
        for g, (scenario, runs, index) in enumerate(tl.groups):
            events = scenario.events
            while index < len(events) and events[index].year <= year + DATE_TOLERANCE:
                _start(sim, tl, events[index], runs, year)
                index += 1
            tl.groups[g] = (scenario, runs, index)
            if index < len(events):
                upcoming = min(upcoming, events[index].year)
        tl._next = upcoming
    if tl.ramps:
        still = []
        for ramp in tl.ramps:
            f = min(1.0, (year - ramp.year0 + 1 / sim.steps_per_year) / (ramp.year1 - ramp.year0))
            getattr(p, ramp.name)[ramp.runs, 0] = ramp.start + f * (ramp.target - ramp.start)
            if f < 1.0:
                still.append(ramp)
        tl.ramps = still


def _start(sim, tl: Timeline, event, runs: np.ndarray, year: float) -> None:
    applied = {}
    for name, target in event.changes.items():
        pinned = tl.pinned.get(name)
        active = runs if pinned is None else runs[~pinned[runs]]
        if pinned is not None:
            for run in runs[pinned[runs]]:
                tl.skipped[run].append(f"{event.year:g} {event.label}: {name}")
        if active.size == 0:
            continue
        applied[name] = target
        column = getattr(sim.p, name)
        # a new change of a parameter replaces a phased change of it still under way
        tl.ramps = [r for r in (_without(r, active) if r.name == name else r for r in tl.ramps) if r.runs.size]
        if event.over > 0 and parameters.PARAMETERS[name].kind is not int:
            tl.ramps.append(Ramp(name, active, event.year, event.end_year, column[active, 0].copy(), float(target)))
        else:
            column[active, 0] = float(target)
    sim.log(runs, "event", event.label, changes=applied)


def _without(ramp: Ramp, runs: np.ndarray) -> Ramp:
    keep = ~np.isin(ramp.runs, runs)
    return Ramp(ramp.name, ramp.runs[keep], ramp.year0, ramp.year1, ramp.start[keep], ramp.target)
