"""Scenarios: named timelines of dated policy events, stored as TOML files in
``soviet_cohesion/scenarios/``. Adding a scenario needs no Python: add a file.

A scenario file holds

* ``name``, ``title``, ``summary`` (one line), ``start`` and ``end`` (decimal years; the run
  covers ``start`` up to but not including ``end``), ``world`` (``ussr`` or ``synthetic``) and
  ``doctrine`` (a doctrine of ``agents/centre.toml``);
* ``[parameters]``: starting values that override the doctrine;
* ``[[events]]``: ``year``, ``label``, ``set = { parameter = value, ... }`` and optionally
  ``over`` (years over which the change is phased in linearly);
* ``[narrative]``: the classroom text (``what_happened``, ``what_to_watch``,
  ``things_to_notice``, ``things_to_try``, ``extending``, ``references``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import archetypes, parameters


class ScenarioError(ValueError):
    """An unknown scenario name or a malformed scenario file (one-line message)."""


@dataclass(frozen=True)
class Event:
    year: float
    label: str
    changes: dict
    over: float = 0.0  # years over which the change is phased in

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

    def initial_values(self) -> dict:
        """Doctrine values overridden by the scenario's own ``[parameters]``."""
        values = dict(archetypes.load_doctrines()[self.doctrine])
        values.pop("description", None)
        values.update(self.parameters)
        return values


NARRATIVE_KEYS = ("what_happened", "what_to_watch", "things_to_notice", "things_to_try",
                  "extending", "references")


def scenario_dir() -> Path:
    return Path(str(resources.files("soviet_cohesion") / "scenarios"))


def names() -> list[str]:
    """Scenario names in chronological order of their start year."""
    scenarios = [load(p.stem) for p in scenario_dir().glob("*.toml")]
    return [s.name for s in sorted(scenarios, key=lambda s: (s.start, s.end, s.name))]


def load(name: str) -> Scenario:
    path = scenario_dir() / f"{name}.toml"
    if not isinstance(name, str) or not path.is_file():
        known = sorted(p.stem for p in scenario_dir().glob("*.toml"))
        raise ScenarioError(f"unknown scenario {name!r}; choose one of: {', '.join(known)}")
    return load_file(path)


@lru_cache(maxsize=64)
def load_file(path: Path) -> Scenario:
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from None

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
            if set(block) - {"year", "label", "set", "over"}:
                raise ScenarioError(f"{where} has unknown field(s) "
                                    f"{sorted(set(block) - {'year', 'label', 'set', 'over'})}; "
                                    f"allowed: year, label, set, over")
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
            events.append(Event(float(year), str(block.get("label", "")), changes, float(over)))
    except parameters.ParameterError as exc:
        raise ScenarioError(str(exc)) from None
    narrative = data.get("narrative", {})
    unknown = set(narrative) - set(NARRATIVE_KEYS)
    if unknown:
        raise ScenarioError(f"{path}: narrative has unknown field {sorted(unknown)[0]!r}; "
                            f"allowed: {', '.join(NARRATIVE_KEYS)}")
    return Scenario(name, title, summary, start, end, world, doctrine, params,
                    tuple(sorted(events, key=lambda e: e.year)), dict(narrative))
