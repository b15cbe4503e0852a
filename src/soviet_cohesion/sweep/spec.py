"""Sweep specifications: a TOML file in ``experiments/`` read into a validated :class:`Spec`.

A specification names the scenario, the parameters to vary and how (lists, ranges or a
sampler), the parameters held fixed, the number of replicates and the outputs to keep::

    name = "phase_diagram"                 # default: the file's stem
    description = "Final cohesion over punishment severity x scarcity"
    scenario = "gorbachev"                 # or vary it: [vary] scenario = [...]
    world = "ussr"                         # optional: ussr | synthetic (default: the scenario's)
    steps = 28                             # optional (default: the scenario's span)
    replicates = 10                        # runs per design point, each with its own seed
    seed = 1991                            # the spec's seed; every run's seed derives from it
    seeds = "independent"                  # or "common" (common random numbers across points)

    [fixed]                                # parameters held at one value in every run
    openness = 0.5

    [vary]                                 # the factors
    punishment_severity = { low = 0.0, high = 1.0, num = 21 }   # grid: num evenly spaced values
    scarcity = [0.0, 0.2, 0.4]                                   # grid: these values
    decentralisation = { low = 0.0, high = 1.0 }                 # sampled by [sampler] (lhs/sobol/morris)

    [sampler]
    method = "grid"                        # grid | lhs | sobol | morris
    n = 256                                # lhs: samples; sobol: base size (power of 2); morris: trajectories
    dummy = true                           # sobol, morris: a parameter the model never sees (it changes the seed)

    [outputs]
    indicators = "all"                     # or a list of indicator names
    timeseries = false                     # keep every run's indicator time series
    every = 1                              # ... every k-th step (the last step is always kept)
    regions = false                        # keep per-region records (large)

Every problem is reported as one line naming the file, the field and what is allowed
(:class:`SpecError`), before any run starts.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from .. import parameters, scenarios


class SweepError(parameters.ParameterError):
    """A sweep that cannot start or go on (one-line message; the CLI exits with status 2)."""


class SpecError(SweepError):
    """A malformed sweep specification: one line naming the file, the field and what is allowed."""


#: the factors that are not model parameters but arguments of the model
SPECIAL_FACTORS = ("scenario", "world")
METHODS = ("grid", "lhs", "sobol", "morris")
SAMPLED_METHODS = ("lhs", "sobol", "morris")
SEED_MODES = ("independent", "common")
DEFAULT_MODEL = "soviet_cohesion.model:CohesionModel"
WORLDS = ("ussr", "synthetic")
#: run parameters the runner sets itself from [outputs]
OUTPUT_PARAMETERS = {"collect_every": "outputs.every", "collect_regions": "outputs.regions"}

TOP_KEYS = ("name", "description", "scenario", "world", "steps", "replicates", "seed", "seeds",
            "model", "fixed", "vary", "sampler", "outputs", "analysis")
SAMPLER_KEYS = ("method", "n", "second_order", "levels", "dummy")
OUTPUT_KEYS = ("indicators", "timeseries", "every", "regions", "region_fields", "collapse_threshold")
ANALYSIS_KEYS = ("metrics", "x", "y", "threshold")
#: keys that do not change what is computed (left out of the spec's hash)
DESCRIPTIVE_KEYS = ("name", "description", "analysis")
#: the sampled factor the model never sees (``sampler.dummy``); it changes only a run's seed, so its
#: indices measure how much of a sensitivity estimate is luck (the noise floor)
DUMMY = "dummy"
#: parameters that only shape a synthetic world (the USSR world ignores them)
SYNTHETIC_ONLY = tuple(p.name for p in parameters.PARAMETERS.values() if p.group == "world")


@dataclass(frozen=True)
class Factor:
    """One varied quantity: a list of grid values, or a range a sampler draws from."""

    name: str
    kind: str  # "float", "int", "bool" or "str"
    values: tuple | None = None  # grid factor
    low: float | None = None  # sampled factor
    high: float | None = None
    inert: bool = False  # the sampler's dummy: drawn and recorded, never given to the model

    @property
    def sampled(self) -> bool:
        return self.values is None

    @property
    def grid_values(self) -> tuple:
        """The values of a grid factor."""
        assert self.values is not None, f"{self.name} is a sampled factor, not a grid factor"
        return self.values

    @property
    def numeric(self) -> bool:
        return self.kind in ("float", "int")

    def to_dict(self) -> dict:
        if self.sampled:
            out = {"kind": self.kind, "low": self.low, "high": self.high}
            return {**out, "inert": True} if self.inert else out
        return {"kind": self.kind, "values": list(self.grid_values)}


@dataclass(frozen=True)
class Sampler:
    method: str = "grid"
    n: int | None = None
    second_order: bool = False
    levels: int = 4
    dummy: bool = False

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"method": self.method}
        if self.method != "grid":
            out["n"] = self.n
        if self.method == "sobol":
            out["second_order"] = self.second_order
        if self.method == "morris":
            out["levels"] = self.levels
        if self.method in ("sobol", "morris"):
            out["dummy"] = self.dummy
        return out


@dataclass(frozen=True)
class Outputs:
    indicators: tuple[str, ...] | None = None  # None: all of the model's indicators
    timeseries: bool = False
    every: int = 1
    regions: bool = False
    region_fields: tuple[str, ...] | None = None  # None: all of the model's region fields
    collapse_threshold: float = 0.5

    def to_dict(self) -> dict:
        return {"indicators": list(self.indicators) if self.indicators else "all",
                "timeseries": self.timeseries, "every": self.every, "regions": self.regions,
                "region_fields": list(self.region_fields) if self.region_fields else "all",
                "collapse_threshold": self.collapse_threshold}


@dataclass(frozen=True)
class Spec:
    """A validated sweep specification."""

    name: str
    path: str
    scenario: str | None  # None when the scenario is a factor
    world: str | None
    steps: int | None
    replicates: int
    seed: int
    seeds: str
    model: str
    fixed: dict[str, Any]
    factors: tuple[Factor, ...]
    sampler: Sampler
    outputs: Outputs
    description: str = ""
    analysis: dict = field(default_factory=dict)
    source: str = ""  # the TOML text as read
    notes: tuple[str, ...] = ()  # warnings about the spec, printed when the sweep starts

    # ------------------------------------------------------------------ derived
    @property
    def grid_factors(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if not f.sampled)

    @property
    def sampled_factors(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.sampled)

    @property
    def factor_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.factors)

    def factor(self, name: str) -> Factor:
        return next(f for f in self.factors if f.name == name)

    @property
    def n_samples(self) -> int:
        """Rows the sampler draws (1 for a pure grid)."""
        d = len(self.sampled_factors)
        s = self.sampler
        if s.method == "grid":
            return 1
        n = s.n
        assert n is not None  # every sampler but the grid has its n (checked when the spec is read)
        if s.method == "lhs":
            return n
        if s.method == "sobol":
            return n * (2 * d + 2 if s.second_order else d + 2)
        return n * (d + 1)  # morris

    @property
    def n_grid(self) -> int:
        return math.prod(len(f.grid_values) for f in self.grid_factors)

    @property
    def n_points(self) -> int:
        return self.n_grid * self.n_samples

    @property
    def n_runs(self) -> int:
        return self.n_points * self.replicates

    def to_dict(self) -> dict:
        """The resolved specification (what the manifest stores)."""
        return {
            "name": self.name, "description": self.description, "scenario": self.scenario,
            "world": self.world, "steps": self.steps, "replicates": self.replicates,
            "seed": self.seed, "seeds": self.seeds, "model": self.model,
            "fixed": dict(self.fixed), "vary": {f.name: f.to_dict() for f in self.factors},
            "sampler": self.sampler.to_dict(), "outputs": self.outputs.to_dict(),
            "analysis": dict(self.analysis),
        }

    @property
    def hash(self) -> str:
        """Fingerprint of what the spec computes (name, description and analysis left out)."""
        data = {k: v for k, v in self.to_dict().items() if k not in DESCRIPTIVE_KEYS}
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


# ====================================================================== loading
def load_spec(path: str | Path) -> Spec:
    """Read and validate a sweep specification; raise :class:`SpecError` (one line) if it is bad."""
    path = Path(path)
    if not path.is_file():
        raise SpecError(f"{path}: no such specification file")
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path}: not a UTF-8 text file") from None
    return parse_spec(data, where=str(path), default_name=path.stem, source=text)


def parse_spec(data: dict, where: str = "<spec>", default_name: str = "sweep", source: str = "") -> Spec:
    """Validate a specification given as a dict (the parsed TOML)."""
    v = _Validator(where)
    v.keys(data, TOP_KEYS, "")

    name = v.string(data, "name", default=default_name)
    description = v.string(data, "description", default="")
    vary = v.table(data, "vary")
    fixed = v.table(data, "fixed")
    sampler_table = v.table(data, "sampler")
    outputs_table = v.table(data, "outputs")
    analysis_table = v.table(data, "analysis")

    # --- the scenario and the world ------------------------------------------------
    known_scenarios = _scenario_names()
    scenario = data.get("scenario")
    if "scenario" in vary:
        if scenario is not None:
            v.fail("scenario", "given both at the top and in [vary]; keep one")
        scenario = None
    else:
        if scenario is None:
            v.fail("scenario", f"missing; allowed: one of {', '.join(known_scenarios)} "
                               "(or vary it: [vary] scenario = [...])")
        if not isinstance(scenario, str) or scenario not in known_scenarios:
            v.fail("scenario", f"={scenario!r} is not allowed: expected one of {', '.join(known_scenarios)}")
    world = data.get("world")
    if "world" in vary:
        if world is not None:
            v.fail("world", "given both at the top and in [vary]; keep one")
    elif world is not None and world not in WORLDS:
        v.fail("world", f"={world!r} is not allowed: expected one of {', '.join(WORLDS)}")

    steps = data.get("steps")
    if steps is not None:
        steps = v.integer_value("steps", steps, low=1, high=10_000_000)
    replicates = v.integer_value("replicates", data.get("replicates", 1), low=1, high=1_000_000)
    seed = v.integer_value("seed", data.get("seed", 0), low=0, high=2**63 - 1)
    seeds = data.get("seeds", "independent")
    if seeds not in SEED_MODES:
        v.fail("seeds", f"={seeds!r} is not allowed: expected one of {', '.join(SEED_MODES)}")
    model = data.get("model", DEFAULT_MODEL)
    if not isinstance(model, str):
        v.fail("model", f"={model!r} is not allowed: expected 'package.module:callable'")
    _check_model(v, model)

    # --- fixed parameters ----------------------------------------------------------------
    fixed_values = {}
    for pname, value in fixed.items():
        fld = f"fixed.{pname}"
        if pname in SPECIAL_FACTORS:
            v.fail(fld, f"{pname!r} is set at the top of the file (or in [vary]), not in [fixed]")
        if pname in OUTPUT_PARAMETERS:
            v.fail(fld, f"{pname!r} is set by the runner; use {OUTPUT_PARAMETERS[pname]} instead")
        if pname in vary:
            v.fail(fld, f"{pname!r} is also in [vary]; a parameter is either fixed or varied")
        fixed_values[pname] = v.param_value(fld, pname, value)

    # --- the sampler -------------------------------------------------------------------------
    v.keys(sampler_table, SAMPLER_KEYS, "sampler")
    method = sampler_table.get("method", None)
    any_sampled = any(_is_sampled_entry(entry) for entry in vary.values())
    if method is None:
        method = "grid"
        if any_sampled:
            v.fail("sampler.method", "missing, but [vary] has ranges without num or step (sampled "
                                     "factors); allowed: one of lhs, sobol, morris")
    if method not in METHODS:
        v.fail("sampler.method", f"={method!r} is not allowed: expected one of {', '.join(METHODS)}")

    # --- the factors -------------------------------------------------------------------------------
    factors = []
    for pname, entry in vary.items():
        factors.append(v.factor(pname, entry, method))
    sampled = [f for f in factors if f.sampled]
    if method in SAMPLED_METHODS and not sampled:
        v.fail("sampler.method", f"={method!r} needs at least one sampled factor: a [vary] entry "
                                 "given as a range { low = ..., high = ... } without num or step")
    if method in ("sobol", "morris") and len(sampled) < 2:
        v.fail("vary", f"sampler.method={method!r} needs at least two sampled factors "
                       f"(ranges {{ low, high }}); found {len(sampled)}")

    n = sampler_table.get("n")
    second_order = sampler_table.get("second_order", False)
    levels = sampler_table.get("levels", 4)
    dummy = sampler_table.get("dummy", method == "sobol")
    if method == "grid":
        for key in ("n", "second_order", "levels", "dummy"):
            if key in sampler_table:
                v.fail(f"sampler.{key}", "not used by method 'grid' (it takes no options)")
        sampler = Sampler("grid")
    else:
        if n is None:
            v.fail("sampler.n", f"missing; method {method!r} needs n "
                                f"({_N_MEANING[method]}), a whole number >= {_N_MIN[method]}")
        n = v.integer_value("sampler.n", n, low=_N_MIN[method], high=10_000_000)
        if method == "sobol" and n & (n - 1):
            v.fail("sampler.n", f"={n} is not allowed: expected a power of 2 for sobol (e.g. 64, 128, 256)")
        if not isinstance(second_order, bool):
            v.fail("sampler.second_order", f"={second_order!r} is not allowed: expected true or false")
        if second_order and method != "sobol":
            v.fail("sampler.second_order", "only used by method 'sobol'")
        if "levels" in sampler_table and method != "morris":
            v.fail("sampler.levels", "only used by method 'morris'")
        levels = v.integer_value("sampler.levels", levels, low=2, high=1000)
        if method == "morris" and levels % 2:
            v.fail("sampler.levels", f"={levels} is not allowed: expected an even whole number >= 2")
        if not isinstance(dummy, bool):
            v.fail("sampler.dummy", f"={dummy!r} is not allowed: expected true or false")
        if dummy and method not in ("sobol", "morris"):
            v.fail("sampler.dummy", "only used by methods 'sobol' and 'morris'")
        sampler = Sampler(method, n, second_order, levels, dummy)
        if dummy:
            factors.append(Factor(DUMMY, "float", low=0.0, high=1.0, inert=True))

    notes = _check_world_factors(v, scenario, world, vary, fixed_values, factors)

    # --- outputs -----------------------------------------------------------------------------------
    outputs = v.outputs(outputs_table)

    # --- analysis ----------------------------------------------------------------------------------
    analysis = v.analysis(analysis_table, factors, outputs)

    spec = Spec(name=name, path=where, scenario=scenario, world=world, steps=steps,
                replicates=replicates, seed=seed, seeds=seeds, model=model, fixed=fixed_values,
                factors=tuple(factors), sampler=sampler, outputs=outputs, description=description,
                analysis=analysis, source=source, notes=tuple(notes))
    if spec.n_runs > 50_000_000:
        v.fail("vary", f"the design has {spec.n_runs:,} runs; at most 50,000,000 are allowed")
    return spec


_N_MEANING = {"lhs": "samples", "sobol": "base sample size N; runs = N * (D + 2)",
              "morris": "trajectories; runs = n * (D + 1)"}
_N_MIN = {"lhs": 2, "sobol": 2, "morris": 2}


def _worlds(scenario: str | None, world: str | None, factors: list[Factor]) -> set[str]:
    """The worlds the runs of a spec use."""
    by_name = {f.name: f for f in factors}
    if "world" in by_name:
        return set(by_name["world"].grid_values)
    if world is not None:
        return {world}
    if "scenario" in by_name:
        names = list(by_name["scenario"].grid_values)
    else:
        assert scenario is not None  # a spec that does not vary the scenario names one
        names = [scenario]
    return {scenarios.load(name).world for name in names}


def _check_world_factors(v: "_Validator", scenario, world, vary: dict, fixed: dict,
                         factors: list[Factor]) -> list[str]:
    """Refuse parameters that only shape a synthetic world when every run uses the USSR world
    (their levels would give identical runs labelled as different); warn when some do."""
    used = [name for name in SYNTHETIC_ONLY if name in vary or name in fixed]
    if not used:
        return []
    worlds = _worlds(scenario, world, factors)
    if "synthetic" in worlds and len(worlds) == 1:
        return []
    if "synthetic" not in worlds:
        name = used[0]
        fld = f"vary.{name}" if name in vary else f"fixed.{name}"
        why = "world = \"ussr\"" if world == "ussr" else "the scenario's world is the USSR"
        v.fail(fld, f"{name!r} only shapes a synthetic world, but every run of this spec uses the "
                    f"USSR world ({why}), where it does nothing: its levels would give identical runs "
                    "labelled as different; set world = \"synthetic\" or remove it")
    return [f"warning: vary.{name}: {name!r} only shapes a synthetic world; in the runs on the USSR "
            "world its levels are identical runs" for name in used if name in vary]


def _scenario_names() -> list[str]:
    return sorted(p.stem for p in scenarios.scenario_dir().glob("*.toml"))


def _is_sampled_entry(entry: Any) -> bool:
    return isinstance(entry, dict) and "values" not in entry and "num" not in entry and "step" not in entry


def _check_model(v: "_Validator", model: str) -> None:
    if model == DEFAULT_MODEL:
        return
    module, _, attr = model.partition(":")
    if not module or not attr:
        v.fail("model", f"={model!r} is not allowed: expected 'package.module:callable'")
    try:
        obj = importlib.import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except Exception as exc:  # noqa: BLE001 - any import problem is the spec's
        v.fail("model", f"={model!r} cannot be imported ({type(exc).__name__}: {exc})")
    if not callable(obj):
        v.fail("model", f"={model!r} is not callable")


def _kind(p: parameters.Parameter) -> str:
    if p.kind is bool:
        return "bool"
    if p.choices or p.kind is str:
        return "str"
    return "int" if p.kind is int else "float"


def _tidy(x: float) -> float:
    """Round away float noise (0.15000000000000002 -> 0.15)."""
    return float(f"{x:.12g}")


class _Validator:
    """Helpers that raise one-line :class:`SpecError` messages naming the file and field."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, fld: str, what: str) -> NoReturn:
        raise SpecError(f"{self.where}: {fld}{'' if what.startswith('=') else ': '}{what}")

    def keys(self, table: dict, allowed: tuple, section: str) -> None:
        for key in table:
            if key not in allowed:
                prefix = f"{section}." if section else ""
                label = f"[{section}]" if section else "the top level"
                self.fail(f"{prefix}{key}", f"unknown field; allowed at {label}: {', '.join(allowed)}")

    def table(self, data: dict, key: str) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, f"must be a table ([{key}]), not {type(value).__name__}")
        return value

    def string(self, data: dict, key: str, default: str) -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            self.fail(key, f"={value!r} is not allowed: expected a string")
        return value

    def integer_value(self, fld: str, value: Any, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(fld, f"={value!r} is not allowed: expected a whole number in [{low}, {high:,}]")
        return value

    def param(self, fld: str, pname: str) -> parameters.Parameter:
        if pname not in parameters.PARAMETERS:
            known = sorted(set(parameters.PARAMETERS) - set(OUTPUT_PARAMETERS))
            close = difflib.get_close_matches(pname, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            self.fail(fld, f"unknown parameter {pname!r}; {hint}known parameters: "
                           f"{', '.join(known)} (and scenario, world)")
        return parameters.PARAMETERS[pname]

    def param_value(self, fld: str, pname: str, value: Any) -> Any:
        p = self.param(fld, pname)
        if p.kind is not bool and isinstance(value, str) and not p.choices:
            self.fail(fld, f"{pname}={value!r} is not allowed: expected {p.allowed}")
        try:
            return p.coerce(value)
        except parameters.ParameterError as exc:
            self.fail(fld, str(exc))

    # ------------------------------------------------------------------ factors
    def factor(self, pname: str, entry: Any, method: str) -> Factor:
        fld = f"vary.{pname}"
        if pname in SPECIAL_FACTORS:
            allowed = _scenario_names() if pname == "scenario" else list(WORLDS)
            values = entry.get("values") if isinstance(entry, dict) and set(entry) == {"values"} else entry
            if not isinstance(values, list) or not values:
                self.fail(fld, f"must be a non-empty list of names; allowed: {', '.join(allowed)}")
            for x in values:
                if x not in allowed:
                    self.fail(fld, f"{x!r} is not allowed: expected one of {', '.join(allowed)}")
            self._distinct(fld, values)
            return Factor(pname, "str", values=tuple(values))
        if pname in OUTPUT_PARAMETERS:
            self.fail(fld, f"{pname!r} is set by the runner; use {OUTPUT_PARAMETERS[pname]} instead")
        p = self.param(fld, pname)
        kind = _kind(p)
        if isinstance(entry, list):
            return self._listed(fld, pname, entry, kind)
        if not isinstance(entry, dict):
            self.fail(fld, f"={entry!r} is not allowed: expected a list of values, "
                           "{ values = [...] }, { low, high, num }, { low, high, step } or { low, high }")
        unknown = set(entry) - {"values", "low", "high", "num", "step"}
        if unknown:
            self.fail(f"{fld}.{sorted(unknown)[0]}", "unknown field; allowed: values, low, high, num, step")
        if "values" in entry:
            if set(entry) != {"values"}:
                self.fail(fld, "values = [...] cannot be combined with low, high, num or step")
            if not isinstance(entry["values"], list):
                self.fail(f"{fld}.values", "must be a list")
            return self._listed(fld, pname, entry["values"], kind)
        if kind not in ("float", "int"):
            self.fail(fld, f"{pname!r} takes {p.allowed}: give a list of values, not a range")

        def bound(key: str, x: Any) -> float:
            if isinstance(x, bool) or not isinstance(x, (int, float)):
                self.fail(f"{fld}.{key}", f"={x!r} is not allowed: expected a number ({p.allowed})")
            try:
                p.coerce(x)
            except parameters.ParameterError as exc:
                self.fail(f"{fld}.{key}", str(exc))
            return float(x)

        low = bound("low", entry.get("low", p.low))
        high = bound("high", entry.get("high", p.high))
        if "num" in entry and "step" in entry:
            self.fail(fld, "give num or step, not both")
        if "num" in entry or "step" in entry:
            if not low <= high:
                self.fail(fld, f"low={low:g} must not exceed high={high:g}")
            if "num" in entry:
                num = self.integer_value(f"{fld}.num", entry["num"], low=1, high=1_000_000)
                if num == 1:
                    values = [low]
                else:
                    values = [low + (high - low) * i / (num - 1) for i in range(num)]
            else:
                step = entry["step"]
                if isinstance(step, bool) or not isinstance(step, (int, float)) or not step > 0:
                    self.fail(f"{fld}.step", f"={step!r} is not allowed: expected a number > 0")
                count = int(math.floor((high - low) / step + 1e-9)) + 1
                if count > 1_000_000:
                    self.fail(f"{fld}.step", f"={step!r} gives {count:,} values; at most 1,000,000 are allowed")
                values = [low + i * step for i in range(count)]
            values = [_tidy(x) for x in values]
            if kind == "int":
                values = sorted({int(round(x)) for x in values})
            return self._listed(fld, pname, values, kind)
        # a sampled range
        if method == "grid":
            self.fail(fld, "a range { low, high } without num or step is drawn by a sampler, but "
                           "sampler.method is 'grid'; add num = N or step = S for a grid, or set "
                           "sampler.method to one of lhs, sobol, morris")
        if not low < high:
            self.fail(fld, f"low={low:g} must be below high={high:g}")
        return Factor(pname, kind, low=low, high=high)

    def _listed(self, fld: str, pname: str, values: list, kind: str) -> Factor:
        if not values:
            self.fail(fld, "the list of values is empty")
        coerced = [self.param_value(fld, pname, x) for x in values]
        if kind == "float":
            coerced = [float(x) for x in coerced]
        self._distinct(fld, coerced)
        return Factor(pname, kind, values=tuple(coerced))

    def _distinct(self, fld: str, values: list) -> None:
        seen = set()
        for x in values:
            if x in seen:
                self.fail(fld, f"{x!r} is listed twice; each value must appear once (use replicates for repeats)")
            seen.add(x)

    # ------------------------------------------------------------------ outputs, analysis
    def outputs(self, table: dict) -> Outputs:
        from ..model import INDICATORS, REGION_FIELDS

        self.keys(table, OUTPUT_KEYS, "outputs")
        indicators = self._names("outputs.indicators", table.get("indicators", "all"), INDICATORS)
        region_fields = self._names("outputs.region_fields", table.get("region_fields", "all"), REGION_FIELDS)
        flags = {}
        for key in ("timeseries", "regions"):
            flags[key] = table.get(key, False)
            if not isinstance(flags[key], bool):
                self.fail(f"outputs.{key}", f"={flags[key]!r} is not allowed: expected true or false")
        every = self.integer_value("outputs.every", table.get("every", 1), low=1, high=10_000)
        threshold = table.get("collapse_threshold", 0.5)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
            self.fail("outputs.collapse_threshold", f"={threshold!r} is not allowed: expected a number in [0, 1]")
        return Outputs(indicators, flags["timeseries"], every, flags["regions"], region_fields, float(threshold))

    def _names(self, fld: str, value: Any, known: tuple) -> tuple[str, ...] | None:
        if value == "all":
            return None
        if not isinstance(value, list) or not value:
            self.fail(fld, f"={value!r} is not allowed: expected \"all\" or a list of: {', '.join(known)}")
        for x in value:
            if x not in known:
                self.fail(fld, f"{x!r} is not allowed: expected \"all\" or a list of: {', '.join(known)}")
        self._distinct(fld, value)
        return tuple(value)

    def analysis(self, table: dict, factors: list[Factor], outputs: Outputs) -> dict:
        from ..model import INDICATORS

        self.keys(table, ANALYSIS_KEYS, "analysis")
        out: dict[str, Any] = {}
        metrics_known = tuple(outputs.indicators or INDICATORS) + ("min_cohesion", "collapse_year")
        if "metrics" in table:
            out["metrics"] = list(self._names("analysis.metrics", table["metrics"], metrics_known) or metrics_known)
        numeric_grid = [f.name for f in factors if not f.sampled and f.numeric]
        for key in ("x", "y"):
            if key in table:
                if table[key] not in numeric_grid:
                    self.fail(f"analysis.{key}", f"={table[key]!r} is not allowed: expected one of the "
                                                 f"numeric grid factors: {', '.join(numeric_grid) or '(none)'}")
                out[key] = table[key]
        if "x" in out and out.get("y") == out["x"]:
            self.fail("analysis.y", "must differ from analysis.x")
        if "threshold" in table:
            t = table["threshold"]
            if isinstance(t, bool) or not isinstance(t, (int, float)):
                self.fail("analysis.threshold", f"={t!r} is not allowed: expected a number")
            out["threshold"] = float(t)
        return out
