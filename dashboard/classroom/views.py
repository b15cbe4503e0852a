"""What a student sees each quarter: what their official sees, taken from the model's public
surface, as one immutable :class:`StudentView` (built under the session's lock, drawn without it).

The figures are those of the quarter just run, which is what the official has in hand when the
next quarter's choice is due: how much of the plan the region's output covers, the shortfall and
the unrest at home, the chance of an audit as the official perceives it, the centre's punishment
and authority, what each neighbouring region did, how much of the country has stopped obeying,
and, when the model has republics (``model.republics``), how the republic's leadership stands.
The model's own reckoning of the risks is left out on purpose: the student weighs them.
"""

from __future__ import annotations

from dataclasses import dataclass

from soviet_cohesion import Stance

from .seats import Seat, Turn, choice_label, stance_label

REPUBLIC_STATUS = {
    "loyal": "stands by Moscow",
    "sovereign": "has declared sovereignty: the republic's laws come first",
    "independent": "has declared independence",
}
ALLEGIANCE = {0: "the centre", 1: "the republic's leadership", 2: "the region itself"}


@dataclass(frozen=True)
class Neighbour:
    name: str
    stance: int
    classmate: bool  # played by another student


@dataclass(frozen=True)
class StudentView:
    """Everything a student's page draws (no model object inside: safe to read without a lock)."""

    name: str
    region: int
    region_name: str
    republic: str
    official_type: str
    quarter: int  # the open quarter's number (sent back with a choice)
    period: str  # its label, "1986 Q2"
    last_period: str | None  # the quarter just run (None before the first)
    phase: str  # "choosing", "answered", "ended", "freed"
    answer: int | None
    stance: int  # the region's stance now
    plan_covered: float  # share of the plan the output covered last quarter (capped at 1)
    plan_output: tuple[float, float] | None  # (plan, output), plan scaled to 100, if the model keeps them
    shortfall: float
    unrest: float
    audit_chance: float
    punishment: float
    authority: float
    neighbours: tuple[Neighbour, ...]
    country_not_obeying: float
    republic_line: str | None  # the republic leadership's stance, when the model has republics
    allegiance: str | None  # to whom the region answers, when the model says
    news: tuple[str, ...]
    outcome: str  # what became of the student's last quarter, in words ("" before the first)
    outcome_kind: str  # "info", "warning" or "error" (caught, dismissed)
    history: tuple[Turn, ...]
    seconds_left: float | None
    clock_version: int
    scenario_title: str


def outcome_text(turn: Turn | None) -> tuple[str, str]:
    """The last quarter of a student in words, and how loudly to show it."""
    if turn is None:
        return "", "info"
    now = stance_label(turn.stance)
    if turn.replaced:
        return (f"{turn.period}: you were audited, caught holding back and dismissed. A new official takes "
                f"over your region (you play on as your successor), and it is back in line."), "error"
    if turn.caught:
        return (f"{turn.period}: you were audited and caught holding back: reprimanded. Your region is "
                f"back in line, and the auditors will be on your mind for a while."), "error"
    if not turn.answered:
        text = (f"{turn.period}: you did not answer in time, so your official decided for you: "
                f"{choice_label(turn.model_choice)}. Your region is now {now}.")
    else:
        text = f"{turn.period}: you chose {choice_label(turn.choice)}. Your region is now {now}."
    if turn.audited:
        text += " The auditors came and found nothing wrong."
    return text, "warning" if not turn.answered else "info"


def republic_line(model, republic_index: int) -> str | None:
    """How the leadership of the region's republic stands (None when the model has no republics)."""
    republics = getattr(model, "republics", None)
    if not republics:
        return None
    world = model.world
    name, code = world.republic_names[republic_index], world.republic_codes[republic_index]
    for leadership in republics:
        if getattr(leadership, "name", None) == name or getattr(leadership, "code", None) == code:
            status = str(getattr(leadership, "status", "loyal"))
            line = f"The leadership of {name} {REPUBLIC_STATUS.get(status, status)}"
            mobilisation = getattr(leadership, "mobilisation", None)
            if isinstance(mobilisation, (int, float)):
                line += f"; popular mobilisation {float(mobilisation):.0%}"
            return line + "."
    return None


def _allegiance(model, region: int) -> str | None:
    allegiance = getattr(model, "allegiance", None)
    try:
        return ALLEGIANCE.get(int(allegiance[region])) if allegiance is not None else None
    except (TypeError, IndexError, ValueError):
        return None


def _plan_output(model, region: int) -> tuple[float, float] | None:
    plan, output = getattr(model, "plan", None), getattr(model, "output", None)
    if plan is None or output is None:
        return None
    try:
        p, o = float(plan[region]), float(output[region])
    except (TypeError, IndexError, ValueError):
        return None
    return (100.0, 100.0 * o / p) if p > 0 else None


def news(model, republic: str, limit: int = 4) -> tuple[str, ...]:
    """The last quarter's dated events and what happened in the student's republic."""
    step = int(model.steps)
    lines = []
    for entry in reversed(model.event_log):
        if entry.get("step") != step:
            if entry.get("step", step) < step:
                break
            continue
        if entry.get("kind") == "event" or entry.get("republic") == republic:
            lines.append(str(entry.get("label", "")))
        if len(lines) >= limit:
            break
    return tuple(reversed(lines))


def student_view(classroom, seat: Seat) -> StudentView:
    """The view of ``seat`` now (call with ``classroom.lock`` held)."""
    model = classroom.model
    world = model.world
    region = seat.region
    republic_index = int(world.republic[region])
    republic = world.republic_names[republic_index]
    terms = model.decision_terms(region)
    official = model.officials[region]
    seated = {s.region for s in classroom.active_seats() if s is not seat}
    neighbours = tuple(Neighbour(world.names[o.region], int(model.stance[o.region]), o.region in seated)
                       for o in official.neighbours)
    if not seat.active:
        phase = "freed"
    elif not model.running:
        phase = "ended"
    else:
        phase = "answered" if seat.answer is not None else "choosing"
    last = seat.history[-1] if seat.history else None
    text, kind = outcome_text(last)
    return StudentView(
        name=seat.name, region=region, region_name=world.names[region], republic=republic,
        official_type=str(terms.get("official_type", "")), quarter=classroom.quarter, period=classroom.period,
        last_period=model.period_label() if model.steps else None, phase=phase, answer=seat.answer,
        stance=int(model.stance[region]), plan_covered=max(0.0, 1.0 - float(terms.get("plan_gap", 0.0))),
        plan_output=_plan_output(model, region), shortfall=float(terms.get("shortfall", 0.0)),
        unrest=float(terms.get("unrest", 0.0)), audit_chance=float(terms.get("audit_probability", 0.0)),
        punishment=float(model.params.get("punishment_severity", 0.0)), authority=float(model.authority),
        neighbours=neighbours, country_not_obeying=float((model.stance != int(Stance.OBEYING)).mean()),
        republic_line=republic_line(model, republic_index), allegiance=_allegiance(model, region),
        news=news(model, republic), outcome=text, outcome_kind=kind, history=tuple(seat.history),
        seconds_left=classroom.seconds_left(), clock_version=sum(classroom.version("clock", "quarter")),
        scenario_title=model.timeline.title)
