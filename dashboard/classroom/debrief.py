"""The debrief: what the class did, beside what the model does on its own.

* **The two runs**: the class's run and the model's own run of the same scenario and seed, with
  the teacher's lever moves at the same quarters and no students (``Classroom.baseline``).
* **The order in which students stopped obeying**: for each student, the first quarter their
  region held back or broke away by their own choice (a quarter the model decided for them
  is marked as such), earliest first; students who obeyed to the end come last.
* **Each student's choices beside the model's official**: per quarter, what the student chose and
  what the official, left to itself, chose (``model.model_stance``); how often they agreed.

Everything is computed from the session's seats and histories (under its lock) into plain
rows, which the page, the CSV export and the printable page share.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from soviet_cohesion import Stance

from .seats import Turn, choice_label, stance_label

OBEY = int(Stance.OBEYING)
LETTERS = {int(Stance.OBEYING): "O", int(Stance.MANAGING_RISK): "H", int(Stance.AUTONOMOUS): "B"}


@dataclass(frozen=True)
class StudentRecord:
    name: str
    region_name: str
    republic: str
    active: bool
    turns: tuple[Turn, ...]

    @property
    def answered(self) -> int:
        return sum(t.answered for t in self.turns)

    @property
    def agreed(self) -> int:
        """Quarters they answered and chose what the model's official chose."""
        return sum(t.answered and t.same_as_model for t in self.turns)

    @property
    def stopped(self) -> Turn | None:
        """The first quarter their region did not obey by decision (theirs or the official's)."""
        return next((t for t in self.turns if t.decided != OBEY), None)

    @property
    def model_stopped(self) -> Turn | None:
        """The first quarter the model's official, left to itself, would not have obeyed."""
        return next((t for t in self.turns if t.model_choice != OBEY), None)


@dataclass(frozen=True)
class Debrief:
    scenario: str
    title: str
    seed: int
    periods: tuple[str, ...]  # the quarters run, in order
    students: tuple[StudentRecord, ...]
    years: tuple[float, ...]
    class_series: dict  # indicator -> values, the class's run (step 0 included)
    model_years: tuple[float, ...]
    model_series: dict  # the model's own run
    interventions: tuple[tuple[int, str, object], ...]

    @property
    def stop_order(self) -> list[StudentRecord]:
        """Students by the quarter they stopped obeying (earliest first); those who never did last."""
        def when(record):
            turn = record.stopped
            return (turn is None, turn.step if turn else 0, record.name.casefold())
        return sorted(self.students, key=when)

    def final(self, indicator: str) -> tuple[float, float]:
        """(class run, model's own run) at the last quarter run."""
        return self.class_series[indicator][-1], self.model_series[indicator][-1]


def build(classroom) -> Debrief:
    with classroom.lock:
        world = classroom.model.world
        students = tuple(
            StudentRecord(s.name, world.names[s.region], world.republic_names[int(world.republic[s.region])],
                          s.active, tuple(s.history))
            for s in classroom.seats.values() if s.history or s.active)
        model = classroom.model
        periods = tuple(model.period_label(step) for step in range(1, model.steps + 1))
        return Debrief(
            classroom.scenario, model.timeline.title, classroom.seed, periods, students,
            tuple(classroom.history.years), {k: list(v) for k, v in classroom.history.values.items()},
            tuple(classroom.baseline_history.years),
            {k: list(v) for k, v in classroom.baseline_history.values.items()},
            tuple(classroom.interventions))


def _cell(text: str) -> str:
    """A student-typed value made safe for a spreadsheet (no formula can start it)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def choices_csv(debrief: Debrief) -> str:
    """One row per student and quarter: the choice, the official's own, the outcome."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["scenario", "seed", "student", "region", "republic", "step", "period", "answered", "choice",
                     "model_choice", "same_as_model", "stance_after", "audited", "caught", "dismissed"])
    for record in debrief.students:
        for t in record.turns:
            writer.writerow([debrief.scenario, debrief.seed, _cell(record.name), record.region_name, record.republic,
                             t.step, t.period, int(t.answered), choice_label(t.choice) if t.answered else "",
                             choice_label(t.model_choice), int(t.same_as_model), stance_label(t.stance),
                             "" if t.audited is None else int(t.audited), int(t.caught), int(t.replaced)])
    return out.getvalue()


def runs_csv(debrief: Debrief) -> str:
    """The two runs side by side, one row per quarter: the class's and the model's own indicators."""
    out = io.StringIO()
    writer = csv.writer(out)
    names = list(debrief.class_series)
    writer.writerow(["scenario", "seed", "step", "year"] + [f"class_{n}" for n in names]
                    + [f"model_{n}" for n in names])
    for step, year in enumerate(debrief.years):
        row = [debrief.scenario, debrief.seed, step, year]
        row += [debrief.class_series[n][step] for n in names]
        row += [debrief.model_series[n][step] if step < len(debrief.model_series[n]) else "" for n in names]
        writer.writerow(row)
    return out.getvalue()
