"""Scenarios: named timelines of dated policy events, stored as TOML files in
``soviet_cohesion/scenarios/``. Adding a scenario needs no Python: write a file, then use it by
its path (``CohesionModel("my_scenario.toml")``, ``soviet-cohesion run --scenario
my_scenario.toml``; check it with ``soviet-cohesion scenarios --check my_scenario.toml``) or drop
it into that folder to use it by name. The format is documented in ``docs/scenario-format.md``.

A scenario file holds

* ``name``, ``title``, ``summary`` (one line), ``start`` and ``end`` (decimal years; the run
  covers ``start`` up to but not including ``end``), ``world`` (``ussr`` or ``synthetic``) and
  ``doctrine`` (a doctrine of ``agents/centre.toml``);
* ``[parameters]``: starting values that override the doctrine;
* ``[[events]]``: ``year``, ``label``, ``kind`` (``reform``: a policy the centre chose, or ``shock``:
  an exogenous shock; never an outcome), ``set = { parameter = value, ... }`` and optionally
  ``over`` (years over which the change is phased in linearly);
* ``[narrative]``: the classroom text (``what_happened``, ``what_to_watch``,
  ``things_to_notice``, ``things_to_try``, ``extending``, ``references``).
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import archetypes, parameters
from .suggest import did_you_mean


class ScenarioError(ValueError):
    """An unknown scenario name or a malformed scenario file (one-line message)."""


#: what an event may be: a reform the centre chose, or a shock from outside its control
#: (an event never sets an outcome: no decision of a republic or a region, no state variable)
EVENT_KINDS = ("reform", "shock")


@dataclass(frozen=True)
class Event:
    year: float
    label: str
    changes: dict
    over: float = 0.0  # years over which the change is phased in
    kind: str = "reform"  # one of EVENT_KINDS

    @property
    def end_year(self) -> float:
        return self.year + self.over


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    summary: str
    start: float
    end: float
    world: str
    doctrine: str
    parameters: dict
    events: tuple[Event, ...]
    narrative: dict = field(default_factory=dict)

    def steps(self, steps_per_year: int) -> int:
        """Number of periods from ``start`` to ``end``."""
        return max(1, round((self.end - self.start) * steps_per_year))

    def without(self, kind: str) -> Scenario:
        """The same scenario without its events of ``kind`` (``"reform"`` or ``"shock"``)."""
        kept = tuple(e for e in self.events if e.kind != kind)
        return replace(self, name=f"{self.name} without {kind}s", events=kept)

    def shifted(self, years: float, kind: str = "reform") -> Scenario:
        """The same scenario with its events of ``kind`` moved by ``years`` (kept inside the
        scenario's span; an event moved past its end is dropped)."""
        moved = []
        for e in self.events:
            if e.kind == kind:
                e = replace(e, year=max(self.start, e.year + years))
            if e.year < self.end:
                moved.append(e)
        return replace(self, name=f"{self.name} with {kind}s {years:+g} years",
                       events=tuple(sorted(moved, key=lambda e: e.year)))

    def initial_values(self) -> dict:
        """Doctrine values overridden by the scenario's own ``[parameters]``."""
        values = dict(archetypes.load_doctrines()[self.doctrine])
        values.pop("description", None)
        values.update(self.parameters)
        return values

    @property
    def years(self) -> str:
        """The calendar years the run covers, first to last: ``"1985-1991"`` for a run from
        1985.0 up to (not including) 1992.0; ``"1985"`` if it stays within one year."""
        return years_label(self.start, self.end)


def years_label(start: float, end: float) -> str:
    """First and last calendar year of the span from ``start`` up to (not including) ``end``."""
    first, last = math.floor(start), max(math.floor(start), math.ceil(end) - 1)
    return f"{first}" if first == last else f"{first}-{last}"


#: the top-level fields and tables of a scenario file (``lesson``: classroom lessons)
TOP_KEYS = ("name", "title", "summary", "start", "end", "world", "doctrine", "parameters", "events",
            "narrative", "lesson")
NARRATIVE_KEYS = ("what_happened", "what_to_watch", "things_to_notice", "things_to_try",
                  "extending", "references")


def scenario_dir() -> Path:
    return Path(str(resources.files("soviet_cohesion") / "scenarios"))


def names() -> list[str]:
    """Names of the shipped scenarios, in chronological order of their start year."""
    scenarios = [load(p.stem) for p in scenario_dir().glob("*.toml")]
    return [s.name for s in sorted(scenarios, key=lambda s: (s.start, s.end, s.name))]


def is_path(name: str | os.PathLike) -> bool:
    """Whether ``name`` is meant as a file (a path object, or a string ending in ``.toml`` or
    holding a directory separator) rather than the name of a shipped scenario."""
    if isinstance(name, os.PathLike):
        return True
    return isinstance(name, str) and (name.endswith(".toml") or "/" in name or os.sep in name)


def load(name: str | os.PathLike) -> Scenario:
    """A scenario by name (``"gorbachev"``: a file of ``soviet_cohesion/scenarios/``) or by the
    path of a scenario file (``"my_scenario.toml"``, absolute or relative to the working
    directory). Raises :class:`ScenarioError` with one line naming what is wrong."""
    if is_path(name):
        path = Path(name)
        if not path.is_file():
            raise ScenarioError(f"{name}: no such scenario file")
        return load_file(path)
    path = scenario_dir() / f"{name}.toml"
    if not isinstance(name, str) or not name or not path.is_file():
        known = sorted(p.stem for p in scenario_dir().glob("*.toml"))
        hint = did_you_mean(name, known) if isinstance(name, str) else ""
        raise ScenarioError(f"unknown scenario {name!r}; {hint}choose one of: {', '.join(known)} "
                            "(or give the path of a scenario file, ending in .toml)")
    return load_file(path)


def load_file(path: str | os.PathLike) -> Scenario:
    """Read and validate one scenario file. Results are cached while the file is unchanged (an
    edited file is read again)."""
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from None
    return _load_file(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load_file(path: Path, mtime_ns: int, size: int) -> Scenario:
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from None

    unknown_fields = sorted(set(data) - set(TOP_KEYS))
    if unknown_fields:
        first = unknown_fields[0]
        raise ScenarioError(f"{path}: unknown field {first!r}; {did_you_mean(first, TOP_KEYS)}"
                            f"allowed: {', '.join(TOP_KEYS)}")

    def need(key, kind):
        value = data.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ScenarioError(f"{path}: field {key!r} is missing or not a {kind.__name__}")
        return value

    name, title, summary = need("name", str), need("title", str), need("summary", str)
    start, end = float(need("start", (int, float))), float(need("end", (int, float)))
    if not 1900 <= start < end <= 2100:
        raise ScenarioError(f"{path}: start={start} and end={end} must satisfy 1900 <= start < end <= 2100")
    world = data.get("world", "ussr")
    if world not in ("ussr", "synthetic"):
        raise ScenarioError(f"{path}: world={world!r} must be 'ussr' or 'synthetic'")
    doctrine = need("doctrine", str)
    doctrines = archetypes.load_doctrines()
    if doctrine not in doctrines:
        raise ScenarioError(f"{path}: doctrine={doctrine!r} is not one of {', '.join(doctrines)}")
    try:
        params = parameters.validate(data.get("parameters", {}), where=f"{path}: parameters")
        events = []
        for i, block in enumerate(data.get("events", [])):
            where = f"{path}: events[{i}]"
            allowed = {"year", "label", "set", "over", "kind"}
            if set(block) - allowed:
                raise ScenarioError(f"{where} has unknown field(s) {sorted(set(block) - allowed)}; "
                                    f"allowed: {', '.join(sorted(allowed))}")
            kind = block.get("kind", "reform")
            if kind not in EVENT_KINDS:
                raise ScenarioError(f"{where}.kind={kind!r} is not allowed: expected one of {', '.join(EVENT_KINDS)}")
            year = block.get("year")
            if isinstance(year, bool) or not isinstance(year, (int, float)) or not start <= year <= end:
                raise ScenarioError(f"{where}.year={year!r} must be a number in [{start:g}, {end:g}]")
            over = block.get("over", 0.0)
            if isinstance(over, bool) or not isinstance(over, (int, float)) or not 0 <= over <= 50:
                raise ScenarioError(f"{where}.over={over!r} must be a number of years in [0, 50]")
            changes = block.get("set", {})
            if not isinstance(changes, dict):
                raise ScenarioError(f"{where}.set must be a table of parameter = value")
            for key in changes:
                if key not in parameters.DYNAMIC:
                    raise ScenarioError(f"{where}.set: {key!r} cannot change during a run; "
                                        f"allowed: {', '.join(parameters.DYNAMIC)}")
            changes = parameters.validate(changes, where=f"{where}.set")
            events.append(Event(float(year), str(block.get("label", "")), changes, float(over), kind))
    except parameters.ParameterError as exc:
        raise ScenarioError(str(exc)) from None
    narrative = data.get("narrative", {})
    unknown = set(narrative) - set(NARRATIVE_KEYS)
    if unknown:
        raise ScenarioError(f"{path}: narrative has unknown field {sorted(unknown)[0]!r}; "
                            f"allowed: {', '.join(NARRATIVE_KEYS)}")
    return Scenario(name, title, summary, start, end, world, doctrine, params,
                    tuple(sorted(events, key=lambda e: e.year)), dict(narrative))


# ------------------------------------------------------------------------------ the lesson
@dataclass(frozen=True)
class LessonQuestion:
    """A question for the class at a date of the scenario, with a note for the teacher (from the
    scenario file's ``[[lesson]]`` array of tables)."""

    year: float
    question: str
    teacher_note: str = ""


LESSON_KEYS = ("year", "question", "teacher_note")


def load_lesson(scenario: str | Path) -> tuple[LessonQuestion, ...]:
    """The lesson of a scenario (a name, or the path of a scenario file), sorted by year.

    Each ``[[lesson]]`` table holds ``year`` (a number within the scenario's ``start`` and
    ``end``), ``question`` (text for the class) and optionally ``teacher_note``. A scenario with
    no ``[[lesson]]`` has an empty lesson. Raises :class:`ScenarioError` with a one-line message
    naming the file, the entry and what is allowed.
    """
    if isinstance(scenario, Path) or (isinstance(scenario, str) and scenario.endswith(".toml")):
        path = Path(scenario)
    elif isinstance(scenario, str):
        path = scenario_dir() / f"{scenario}.toml"
    else:
        raise ScenarioError(f"unknown scenario {scenario!r}: expected a scenario name or a .toml path")
    if not path.is_file():
        known = sorted(p.stem for p in scenario_dir().glob("*.toml"))
        raise ScenarioError(f"unknown scenario {str(scenario)!r}; choose one of: {', '.join(known)}")
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from None
    entries = data.get("lesson", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ScenarioError(f"{path}: lesson must be an array of tables ([[lesson]]) with "
                            f"{', '.join(LESSON_KEYS)}")
    start, end = data.get("start"), data.get("end")
    if (isinstance(start, bool) or not isinstance(start, (int, float))
            or isinstance(end, bool) or not isinstance(end, (int, float))):
        raise ScenarioError(f"{path}: the lesson needs the scenario's start and end years")
    questions = []
    for i, entry in enumerate(entries):
        where = f"{path}: lesson[{i}]"
        unknown = sorted(set(entry) - set(LESSON_KEYS))
        if unknown:
            raise ScenarioError(f"{where} has unknown field(s) {unknown}; allowed: {', '.join(LESSON_KEYS)}")
        year = entry.get("year")
        if isinstance(year, bool) or not isinstance(year, (int, float)) or not start <= year < end:
            raise ScenarioError(f"{where}.year={year!r} must be a number in [{start:g}, {end:g})")
        question = entry.get("question")
        if not isinstance(question, str) or not question.strip():
            raise ScenarioError(f"{where}.question must be a non-empty string")
        note = entry.get("teacher_note", "")
        if not isinstance(note, str):
            raise ScenarioError(f"{where}.teacher_note must be a string")
        questions.append(LessonQuestion(float(year), question.strip(), note.strip()))
    return tuple(sorted(questions, key=lambda q: q.year))
