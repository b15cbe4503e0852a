"""The two runs of a class session, stepped together: the class's run (students decide for their
regions) and the model's own run of the same scenario and seed (no students), with the teacher's
lever moves applied to both at the same quarter, so that the debrief compares like with like.

Closing a quarter: each seated student's choice goes to the model (``model.set_choice``); a
student without an answer is left to the model's own official. Both runs step; each student gets
a :class:`Turn`: their choice, the official's own choice (``model.model_stance``), the region's
stance after any audit, and what the auditors did (``audits.outcome``).
"""

from __future__ import annotations

import time
from typing import Any

from soviet_cohesion import CohesionModel, ParameterError

from .allocation import allocation_order
from .audits import outcome
from .levers import ALL_CLASS_LEVERS
from .seats import Seat, Turn
from .series import RunSeries


class ClassRuns:
    """The class's run (``model``) and the model's own run (``baseline``), with their histories
    (``history``, ``baseline_history``: :class:`series.RunSeries`, what the charts draw), the teacher's lever moves
    (``interventions``: step, lever, value) and the order in which regions are handed out."""

    def __init__(self, scenario: str, seed: int, world: str | None = None):
        self.scenario, self.seed = scenario, seed
        self.model = CohesionModel(scenario, rng=seed, world=world)
        self.baseline = CohesionModel(scenario, rng=seed, world=world)
        self.history, self.baseline_history = RunSeries(self.model), RunSeries(self.baseline)
        self.interventions: list[tuple[int, str, Any]] = []
        self.order = allocation_order(self.model.world)
        self.started_at = time.time()

    @property
    def running(self) -> bool:
        return bool(self.model.running)

    def set_lever(self, name: str, value) -> Any:
        """Move a lever on both runs; returns the value as the model stored it."""
        if name not in ALL_CLASS_LEVERS:
            raise ParameterError(f"{name!r} is not a lever of the class; allowed: {', '.join(ALL_CLASS_LEVERS)}")
        self.model.set_lever(name, value)
        stored = self.model.params[name]
        self.baseline.set_lever(name, stored)
        step = int(self.model.steps)
        if self.interventions and self.interventions[-1][:2] == (step, name):
            self.interventions[-1] = (step, name, stored)  # a slider dragged within one quarter
        else:
            self.interventions.append((step, name, stored))
        return stored

    def close_quarter(self, seats: list[Seat]) -> int:
        """Run the open quarter with the seated students' answers; record each one's turn and
        clear their answer. Returns how many of them had not answered."""
        model = self.model
        officials_before = {}
        for seat in seats:
            if seat.answer is not None:
                model.set_choice(seat.region, seat.answer)
            officials_before[seat.token] = model.officials[seat.region]
        model.step()
        self.history.append(model)
        if self.baseline.running:
            self.baseline.step()
            self.baseline_history.append(self.baseline)
        step, period = int(model.steps), model.period_label()
        model_stance = getattr(model, "model_stance", model.stance)
        missed = 0
        for seat in seats:
            region = seat.region
            own = int(model_stance[region])
            decided = own if seat.answer is None else seat.answer
            audited, caught, replaced = outcome(model, region, decided, officials_before[seat.token])
            seat.history.append(Turn(step, period, seat.answer, own, int(model.stance[region]), audited, caught,
                                     replaced))
            missed += seat.answer is None
            seat.answer = None
        return missed
