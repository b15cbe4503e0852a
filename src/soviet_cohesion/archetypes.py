"""The agent archetypes as data: official types (``agents/officials.toml``) and the
centre's doctrines (``agents/centre.toml``), validated on load.

A malformed file raises :class:`ArchetypeError` with one line naming the file and the field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import parameters

TRAITS = ("risk_aversion", "loyalty", "local_weight", "peer_threshold", "autonomy_threshold")


class ArchetypeError(ValueError):
    """A malformed archetype file (the message names the file and the field)."""


def agents_dir() -> Path:
    """The folder holding the archetype files.

    Installed: ``soviet_cohesion/agents`` inside the package (the wheel copies the
    repository's ``agents/`` there). From a source checkout: the repository's ``agents/``.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "agents", here.parents[1] / "agents"):
        if (candidate / "officials.toml").is_file():
            return candidate
    raise ArchetypeError(f"agents/officials.toml not found next to {here}")


@dataclass(frozen=True)
class OfficialType:
    name: str
    description: str
    weight: float
    identity_affinity: float
    traits: dict[str, tuple[float, float]]  # trait -> (mean, sd)


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ArchetypeError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ArchetypeError(f"{path}: not valid TOML ({exc})") from None


def _number(path, field, value, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (low <= value <= high):
        raise ArchetypeError(f"{path}: {field}={value!r} must be a number in [{low}, {high}]")
    return float(value)


def load_official_types(path: Path | None = None) -> tuple[OfficialType, ...]:
    path = Path(path) if path else agents_dir() / "officials.toml"
    return _load_official_types(path)


@lru_cache(maxsize=8)
def _load_official_types(path: Path) -> tuple[OfficialType, ...]:
    data = _read(path)
    blocks = data.get("type")
    if not isinstance(blocks, list) or not blocks:
        raise ArchetypeError(f"{path}: needs at least one [[type]] table")
    types = []
    for i, block in enumerate(blocks):
        where = f"type[{i}]"
        name = block.get("name")
        if not isinstance(name, str) or not name:
            raise ArchetypeError(f"{path}: {where}.name must be a non-empty string")
        where = f"type '{name}'"
        unknown = set(block) - {"name", "description", "weight", "identity_affinity", *TRAITS}
        if unknown:
            raise ArchetypeError(f"{path}: {where} has unknown field {sorted(unknown)[0]!r}; "
                                 f"allowed: name, description, weight, identity_affinity, "
                                 f"{', '.join(TRAITS)}")
        weight = _number(path, f"{where}.weight", block.get("weight"), 0.0, 1e6)
        affinity = _number(path, f"{where}.identity_affinity", block.get("identity_affinity", 0.0), -1.9, 1.9)
        traits = {}
        for trait in TRAITS:
            spec = block.get(trait)
            if not isinstance(spec, dict) or set(spec) != {"mean", "sd"}:
                raise ArchetypeError(f"{path}: {where}.{trait} must be a table {{ mean = .., sd = .. }}")
            mean = _number(path, f"{where}.{trait}.mean", spec["mean"], 0.01, 0.99)
            sd = _number(path, f"{where}.{trait}.sd", spec["sd"], 0.0, 0.3)
            if sd * sd >= mean * (1 - mean):
                raise ArchetypeError(f"{path}: {where}.{trait}.sd={sd} is too large for mean={mean} "
                                     f"(need sd^2 < mean*(1-mean))")
            traits[trait] = (mean, sd)
        types.append(OfficialType(name, str(block.get("description", "")), weight, affinity, traits))
    if sum(t.weight for t in types) <= 0:
        raise ArchetypeError(f"{path}: the weights of the types must not all be zero")
    return tuple(types)


def load_doctrines(path: Path | None = None) -> dict[str, dict]:
    path = Path(path) if path else agents_dir() / "centre.toml"
    return _load_doctrines(path)


@lru_cache(maxsize=8)
def _load_doctrines(path: Path) -> dict[str, dict]:
    data = _read(path)
    doctrines = data.get("doctrine")
    if not isinstance(doctrines, dict) or not doctrines:
        raise ArchetypeError(f"{path}: needs at least one [doctrine.NAME] table")
    out = {}
    for name, block in doctrines.items():
        values = {k: v for k, v in block.items() if k != "description"}
        try:
            out[name] = parameters.validate(values, where=f"{path}: doctrine.{name}")
        except parameters.ParameterError as exc:
            raise ArchetypeError(str(exc)) from None
        out[name]["description"] = str(block.get("description", ""))
    return out


def draw_officials(types, identity, rng: np.random.Generator):
    """Draw a type and traits for one official per entry of ``identity``.

    Returns ``(type_index, traits)`` where traits maps each trait name to an array.
    Draw order (for reproducibility): one uniform per official for the type, then for
    each trait in ``TRAITS`` one Beta variate per official.
    """
    identity = np.asarray(identity, dtype=float)
    n = identity.size
    base = np.array([t.weight for t in types])
    affinity = np.array([t.identity_affinity for t in types])
    weights = base[None, :] * np.maximum(0.0, 1 + affinity[None, :] * (identity[:, None] - 0.5))
    weights = np.where(weights.sum(axis=1, keepdims=True) > 0, weights, base[None, :])
    weights = weights / weights.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(weights, axis=1)
    u = rng.random(n)
    type_index = np.minimum((u[:, None] > cumulative).sum(axis=1), len(types) - 1)
    traits = {}
    for trait in TRAITS:
        mean = np.array([t.traits[trait][0] for t in types])[type_index]
        sd = np.array([t.traits[trait][1] for t in types])[type_index]
        traits[trait] = _beta(mean, sd, rng)
    return type_index, traits


def _beta(mean, sd, rng):
    """Beta variates with the given means and standard deviations (sd = 0 gives the mean)."""
    var = np.maximum(sd * sd, 1e-12)
    common = mean * (1 - mean) / var - 1
    a = np.maximum(mean * common, 1e-3)
    b = np.maximum((1 - mean) * common, 1e-3)
    draws = rng.beta(a, b)
    return np.where(sd > 0, draws, mean)
