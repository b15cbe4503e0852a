"""The files shipped with the package that users run and start their own from: the sweep
specifications (``experiments/*.toml`` in the repository, ``soviet_cohesion/experiments/`` in an
installed wheel) and the scenarios (``soviet_cohesion/scenarios/``).

A shipped specification is run by name (``soviet-cohesion sweep phase_diagram``) and copied to
start one's own (``soviet-cohesion specs copy phase_diagram my_diagram.toml``); the same for a
scenario (``soviet-cohesion scenarios copy gorbachev my_scenario.toml``).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import scenarios
from .suggest import did_you_mean


class ShippedError(ValueError):
    """An unknown shipped name or a copy that cannot be made (one-line message)."""


# ------------------------------------------------------------------------------ specifications
def spec_dir() -> Path:
    """The folder of the shipped sweep specifications.

    Installed: ``soviet_cohesion/experiments`` inside the package (the wheel copies the
    repository's ``experiments/*.toml`` there). From a source checkout (an editable install):
    the repository's ``experiments/``.
    """
    candidates = [Path(str(resources.files("soviet_cohesion") / "experiments")),
                  Path(__file__).resolve().parents[2] / "experiments"]
    for candidate in candidates:
        if any(candidate.glob("*.toml")):
            return candidate
    raise ShippedError("no shipped sweep specifications found (looked in: "
                       + ", ".join(str(c) for c in candidates) + ")")


def spec_names() -> list[str]:
    """Names of the shipped sweep specifications (the files' stems), sorted."""
    return sorted(p.stem for p in spec_dir().glob("*.toml"))


def spec_path(name: str) -> Path:
    """The file of the shipped specification ``name``; :class:`ShippedError` if there is none."""
    known = spec_names()
    if name not in known:
        raise ShippedError(f"unknown shipped spec {name!r}; {did_you_mean(name, known)}"
                           f"shipped specs: {', '.join(known)}")
    return spec_dir() / f"{name}.toml"


def resolve_spec(spec: str) -> Path:
    """What ``soviet-cohesion sweep SPEC`` runs: the file ``SPEC`` if it exists, else the shipped
    specification of that name. Anything else is one line saying what is allowed."""
    path = Path(spec)
    if path.is_file():
        return path
    known = spec_names()
    if spec in known:
        return spec_dir() / f"{spec}.toml"
    if path.suffix == ".toml" or "/" in spec or os.sep in spec:
        hint = (f"; the shipped spec of that name runs with: soviet-cohesion sweep {path.stem}"
                if path.stem in known else f"; shipped specs: {', '.join(known)}")
        raise ShippedError(f"{spec}: no such specification file{hint}")
    raise ShippedError(f"{spec!r} is neither a specification file nor a shipped spec; "
                       f"{did_you_mean(spec, known)}shipped specs: {', '.join(known)} "
                       "(see 'soviet-cohesion specs')")


@dataclass(frozen=True)
class SpecSummary:
    """One shipped specification as ``soviet-cohesion specs`` lists it."""

    name: str
    description: str
    runs: int | None  # None if the file does not validate


def spec_summary(name: str) -> SpecSummary:
    """Name, description and number of runs of a shipped specification."""
    path = spec_path(name)
    from .sweep.spec import SweepError, load_spec

    try:
        spec = load_spec(path)
    except SweepError:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return SpecSummary(name, str(data.get("description", "")), None)
    return SpecSummary(name, spec.description, spec.n_runs)


# ------------------------------------------------------------------------------ copying
def copy_shipped(kind: str, name: str, dest: str | os.PathLike | None = None) -> Path:
    """Copy the shipped ``kind`` ("spec" or "scenario") called ``name`` to ``dest`` and return
    the new file's path.

    ``dest`` is a file name ending in ``.toml``, an existing folder (the copy keeps the shipped
    name), or None (the working directory). An existing file is never overwritten. When the new
    file's stem differs from ``name``, the file's own ``name = "..."`` line is changed to the
    stem, so that the copy has its own name (and a sweep its own results folder).
    """
    if kind == "spec":
        source = spec_path(name)
    elif kind == "scenario":
        known = sorted(p.stem for p in scenarios.scenario_dir().glob("*.toml"))
        if name not in known:
            raise ShippedError(f"unknown scenario {name!r}; {did_you_mean(name, known)}"
                               f"choose one of: {', '.join(known)}")
        source = scenarios.scenario_dir() / f"{name}.toml"
    else:  # pragma: no cover - a programming error, not user input
        raise ValueError(f"kind must be 'spec' or 'scenario', not {kind!r}")

    target = Path.cwd() if dest is None else Path(dest)
    if target.is_dir():
        target = target / source.name
    elif target.suffix != ".toml":
        raise ShippedError(f"{dest}: give a file name ending in .toml or a folder that exists")
    if not target.parent.is_dir():
        raise ShippedError(f"{target.parent}: no such folder")
    if target.exists():
        raise ShippedError(f"{target} already exists; not overwritten (give another name or delete it first)")

    text = source.read_text(encoding="utf-8")
    if target.stem != name:
        own_name = f"name = {json.dumps(target.stem)}"
        text = re.sub(r'^name\s*=\s*"[^"\n]*"', lambda _: own_name, text, count=1, flags=re.MULTILINE)
    with target.open("x", encoding="utf-8") as f:  # "x": fail rather than overwrite a file made meanwhile
        f.write(text)
    return target
