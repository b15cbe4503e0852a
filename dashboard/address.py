"""The page's address holds the run, so that a reload or a shared link restores it exactly.

A :class:`Recipe` is everything a visitor did to the run; :func:`to_query` writes it into the
address's query string and :func:`from_query` reads it back. Dates are written the way the page
shows them, without the space (``1987Q2``)::

    ?scenario=gorbachev&seed=3&at=1988Q4&move=responsibility_shared:1@1987Q1
     &compare=audit_capacity:0.3@start&view=1987Q2&mark=1986Q2&lang=ru&lesson=1

* ``at``: the last quarter run (absent: nothing run yet);
* ``move=LEVER:VALUE@QUARTER``: a lever the visitor moved, acting from that quarter (a move
  made before the first quarter acts from the first);
* ``compare=LEVER:VALUE@QUARTER`` (or ``@start``): the counterfactual run beside this one;
* ``view``: the quarter the timeline shows, when it is not the last one run; ``mark``: bookmarks;
* ``lang``, ``presentation=1``, ``lesson=1``: how the page is shown.

A quarter of a step ``s >= 1`` is the period that step ran; a move made after ``s`` steps acts
from the quarter of step ``s + 1``. Anything the address gets wrong is reported as one
problem each (the rest of the address still applies).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from soviet_cohesion import parameters as model_parameters
from soviet_cohesion import scenarios

from .session import ALL_LEVERS, MAX_SEED, SeedError, parse_seed

DEFAULT_SCENARIO = "gorbachev"
DEFAULT_SEED = 1
#: the most lever moves and bookmarks an address may carry
MAX_MOVES = 200
MAX_MARKS = 50


@dataclass
class Recipe:
    scenario: str = DEFAULT_SCENARIO
    seed: int = DEFAULT_SEED
    steps: int = 0
    moves: list[tuple[int, str, Any]] = field(default_factory=list)
    comparison: tuple[str, Any, int] | None = None  # (lever, value, from_step)
    view: int | None = None
    marks: list[int] = field(default_factory=list)
    lang: str = "en"
    presentation: bool = False
    lesson: bool = False


@dataclass(frozen=True)
class Problem:
    """Something the address got wrong: a catalogue key and its values."""

    key: str
    values: dict


class Calendar:
    """Steps <-> quarters for one scenario (``start`` year, ``per_year`` steps a year)."""

    def __init__(self, start: float, per_year: int = 4):
        self.start, self.per_year = float(start), int(per_year)

    def year_of(self, step: int) -> float:
        """The year at which step ``step`` (>= 1) begins."""
        return self.start + (max(step, 1) - 1) / self.per_year

    def quarter(self, step: int) -> str:
        """The compact quarter of step ``step`` ("1987Q2"; periods "1987P3" if not quarterly)."""
        year = self.year_of(step)
        whole = int(year + 1e-9)
        part = int(round((year - whole) * self.per_year)) + 1
        if self.per_year == 1:
            return f"{whole}"
        return f"{whole}{'Q' if self.per_year == 4 else 'P'}{part}"

    def step_of(self, text: str) -> int | None:
        """The step whose quarter is ``text`` ("1987Q2", "1987 Q2", "1987-Q2"), or None."""
        match = re.fullmatch(r"\s*(\d{4})(?:[\s\-_]*[QqPp](\d{1,2}))?\s*", str(text))
        if not match:
            return None
        part = int(match.group(2) or 1)
        if not 1 <= part <= self.per_year:
            return None
        step = round((int(match.group(1)) + (part - 1) / self.per_year - self.start) * self.per_year) + 1
        return step if step >= 1 else None


def calendar_of(scenario: str) -> tuple[Calendar, int]:
    """The calendar of a named scenario and its number of steps (without building a model)."""
    timeline = scenarios.load(scenario)
    per_year = model_parameters.PARAMETERS["steps_per_year"].default
    try:
        per_year = int(timeline.initial_values().get("steps_per_year", per_year))
    except Exception:  # noqa: BLE001 - an older or newer Scenario: the registry's default
        pass
    return Calendar(timeline.start, per_year), timeline.steps(per_year)


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _parse_value(lever: str, text: str) -> Any:
    parameter = model_parameters.PARAMETERS[lever]
    if parameter.kind is bool:
        lowered = text.strip().lower()
        if lowered in ("on", "true", "1", "yes"):
            return True
        if lowered in ("off", "false", "0", "no"):
            return False
        raise model_parameters.ParameterError(f"{lever}={text!r}")
    return parameter.coerce(float(text))


def to_query(recipe: Recipe, calendar: Calendar) -> str:
    """The query string (without "?") for ``recipe``; defaults are left out."""
    pairs: list[tuple[str, str]] = [("scenario", recipe.scenario), ("seed", str(recipe.seed))]
    if recipe.steps:
        pairs.append(("at", calendar.quarter(recipe.steps)))
    for step, lever, value in recipe.moves:
        pairs.append(("move", f"{lever}:{_value_text(value)}@{calendar.quarter(step + 1)}"))
    if recipe.comparison is not None:
        lever, value, from_step = recipe.comparison
        when = "start" if from_step == 0 else calendar.quarter(from_step + 1)
        pairs.append(("compare", f"{lever}:{_value_text(value)}@{when}"))
    if recipe.view is not None and recipe.view != recipe.steps:
        pairs.append(("view", "start" if recipe.view == 0 else calendar.quarter(recipe.view)))
    for mark in recipe.marks:
        pairs.append(("mark", "start" if mark == 0 else calendar.quarter(mark)))
    if recipe.lang != "en":
        pairs.append(("lang", recipe.lang))
    if recipe.presentation:
        pairs.append(("presentation", "1"))
    if recipe.lesson:
        pairs.append(("lesson", "1"))
    return urllib.parse.urlencode(pairs, safe=":@")


def _flag(query: dict, name: str) -> bool:
    value = (query.get(name) or [""])[0]
    return value.strip().lower() in ("1", "true", "yes", "on")


def from_query(search: str | None, languages=("en",)) -> tuple[Recipe, list[Problem]]:
    """The recipe an address asks for, and what it got wrong (the default is used instead)."""
    query = urllib.parse.parse_qs((search or "").lstrip("?"), keep_blank_values=True)
    problems: list[Problem] = []
    recipe = Recipe()
    scenario = (query.get("scenario") or [DEFAULT_SCENARIO])[0]
    if scenario in scenarios.names():
        recipe.scenario = scenario
    else:
        problems.append(Problem("address.scenario", {"name": scenario[:40], "default": DEFAULT_SCENARIO}))
    if "seed" in query:
        try:
            recipe.seed = parse_seed(query["seed"][0])
        except SeedError as exc:
            problems.append(Problem("address.seed", {"text": str(query["seed"][0])[:20], "default": DEFAULT_SEED,
                                                     "high": MAX_SEED, "why": exc.key}))
    lang = (query.get("lang") or ["en"])[0]
    if lang in languages:
        recipe.lang = lang
    else:
        problems.append(Problem("address.lang", {"text": lang[:10], "allowed": ", ".join(languages)}))
    recipe.presentation = _flag(query, "presentation")
    recipe.lesson = _flag(query, "lesson")

    calendar, n_steps = calendar_of(recipe.scenario)

    def quarter(text: str, what: str, allow_start: bool = True) -> int | None:
        if allow_start and text.strip().lower() == "start":
            return 0
        step = calendar.step_of(text)
        if step is None or step > n_steps:
            problems.append(Problem("address.quarter", {"what": what, "text": text[:20],
                                                        "first": calendar.quarter(1),
                                                        "last": calendar.quarter(n_steps)}))
            return None
        return step

    if "at" in query:
        step = quarter(query["at"][0], "at")
        recipe.steps = step or 0
    for text in (query.get("move") or [])[:MAX_MOVES]:
        parsed = _lever_at(text, "move", problems)
        if parsed is None:
            continue
        lever, value, when = parsed
        step = quarter(when, "move")
        if step is not None:
            recipe.moves.append((max(step - 1, 0), lever, value))
    recipe.moves.sort(key=lambda move: move[0])
    if query.get("compare"):
        parsed = _lever_at(query["compare"][0], "compare", problems)
        if parsed is not None:
            lever, value, when = parsed
            step = quarter(when, "compare")
            if step is not None:
                recipe.comparison = (lever, value, max(step - 1, 0))
    if "view" in query:
        step = quarter(query["view"][0], "view")
        if step is not None:
            recipe.view = min(step, recipe.steps)
    for text in (query.get("mark") or [])[:MAX_MARKS]:
        step = quarter(text, "mark")
        if step is not None and step <= recipe.steps and step not in recipe.marks:
            recipe.marks.append(step)
    recipe.marks.sort()
    return recipe, problems


def _lever_at(text: str, what: str, problems: list[Problem]):
    """``LEVER:VALUE@QUARTER`` -> (lever, value, quarter text), or None with a problem noted."""
    match = re.fullmatch(r"\s*([a-z_]+)\s*:\s*([^@]+?)\s*@\s*(\S+)\s*", text or "")
    if not match or match.group(1) not in ALL_LEVERS:
        problems.append(Problem("address.lever", {"what": what, "text": (text or "")[:40],
                                                  "allowed": ", ".join(ALL_LEVERS)}))
        return None
    lever = match.group(1)
    try:
        value = _parse_value(lever, match.group(2))
    except (ValueError, model_parameters.ParameterError):
        parameter = model_parameters.PARAMETERS[lever]
        allowed = "on, off" if parameter.kind is bool else f"{parameter.low:g} to {parameter.high:g}"
        problems.append(Problem("address.value", {"what": what, "lever": lever, "text": match.group(2)[:20],
                                                  "allowed": allowed}))
        return None
    return lever, value, match.group(3)
