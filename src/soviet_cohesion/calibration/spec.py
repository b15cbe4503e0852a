"""Calibration specifications: a TOML file read into a validated :class:`CalibrationSpec`.

::

    name = "union"                         # default: the file's stem
    description = "Behavioural parameters against the union-level patterns"

    [abc]
    population = 100                       # particles per generation
    generations = 8                        # at most
    quantile = 0.5                         # tolerance: this quantile of the last generation's distances
    min_epsilon = 0.0                      # stop when the tolerance gets there
    min_acceptance = 0.01                  # stop when a generation accepts fewer proposals
    max_simulations = 4000                 # the budget: particles simulated over all generations
    batch = 128                            # particles simulated at once (64-256 suit the ensemble engine)
    seed = 1991

    [priors]                               # behavioural parameters only (groups official, republic, centre)
    authority_rate = {}                    # uniform over the parameter's allowed range
    identity_weight = { low = 0.3, high = 2.0 }                       # uniform
    motive_weight = { mean = 1.0, sd = 0.5, low = 0.0, high = 3.0 }   # truncated normal

    [fixed]                                # other parameters held in every run
    shock_sd = 0.05

    [[targets]]
    pattern = "union_breakup"              # the pattern's historical band (union or era level)
    [[targets]]
    pattern = "centre_collapse"
    value = 1991.63                        # or a point value instead of the band, and
    scale = 0.5                            # a scale (default: adapted from generation 0)
    [[targets]]
    statistic = "final_authority"          # any union- or era-level statistic, with a value or band
    value = 0.35

    [check]
    predictive = 100                       # posterior predictive runs

The republic-level patterns (the order of the declarations) can never be targets: they are
the out-of-sample check, reported with their spread over the posterior. Every problem is one
line naming the file, the field and what is allowed (:class:`CalibrationError`).
"""

from __future__ import annotations

import difflib
import hashlib
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import parameters
from ..validation import patterns as pattern_registry
from ..validation import statistics as stats
from ..validation.patterns import Band
from .distance import Target
from .priors import Prior, Priors

#: the parameter groups a calibration may put priors on
BEHAVIOURAL_GROUPS = ("official", "republic", "centre")
TOP_KEYS = {"name", "description", "abc", "priors", "fixed", "targets", "check"}
ABC_KEYS = {"population": 100, "generations": 8, "quantile": 0.5, "min_epsilon": 0.0, "min_acceptance": 0.0,
            "max_simulations": 5000, "batch": 128, "seed": 1}
PRIOR_KEYS = {"low", "high", "mean", "sd"}
TARGET_KEYS = {"pattern", "statistic", "value", "band", "scale"}
CHECK_KEYS = {"predictive": 100}


class CalibrationError(parameters.ParameterError):
    """A calibration that cannot start (one-line message; the CLI exits with status 2)."""


@dataclass
class CalibrationSpec:
    name: str
    description: str
    priors: Priors
    targets: list[Target]
    fixed: dict
    abc: dict
    check: dict
    path: Path | None = None
    text: str = ""

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]

    @property
    def statistics(self) -> list[str]:
        return [t.statistic for t in self.targets]


def behavioural_parameters() -> list[str]:
    return [p.name for p in parameters.PARAMETERS.values()
            if p.group in BEHAVIOURAL_GROUPS and p.kind in (float, int)]


def _unknown(where: str, key: str, allowed) -> CalibrationError:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return CalibrationError(f"{where}: unknown key {key!r}{hint}; allowed: {', '.join(sorted(allowed))}")


def _number(where: str, value, minimum=-math.inf, maximum=math.inf, whole=False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CalibrationError(f"{where}: {value!r} is not a number")
    if whole and (isinstance(value, float) and not value.is_integer()):
        raise CalibrationError(f"{where}: {value!r} is not a whole number")
    if not minimum <= value <= maximum:
        raise CalibrationError(f"{where}: {value!r} is not in [{minimum:g}, {maximum:g}]")
    return int(value) if whole else float(value)


def load_spec(path: str | Path) -> CalibrationSpec:
    path = Path(path)
    if not path.is_file():
        raise CalibrationError(f"{path}: no such file (a calibration spec is a .toml file, e.g. "
                               "experiments/calibrate/union.toml)")
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalibrationError(f"{path}: not valid TOML ({exc})") from None
    spec = parse_spec(data, where=path.name, default_name=path.stem)
    spec.path, spec.text = path, text
    return spec


def parse_spec(data: dict, where: str = "spec", default_name: str = "calibration") -> CalibrationSpec:
    for key in data:
        if key not in TOP_KEYS:
            raise _unknown(where, key, TOP_KEYS)
    name = str(data.get("name", default_name))
    abc = dict(ABC_KEYS)
    for key, value in (data.get("abc") or {}).items():
        if key not in ABC_KEYS:
            raise _unknown(f"{where} [abc]", key, ABC_KEYS)
        abc[key] = value
    w = f"{where} [abc]"
    abc["population"] = _number(f"{w} population", abc["population"], 2, 1_000_000, whole=True)
    abc["generations"] = _number(f"{w} generations", abc["generations"], 1, 1000, whole=True)
    abc["quantile"] = _number(f"{w} quantile", abc["quantile"], 0.01, 0.99)
    abc["min_epsilon"] = _number(f"{w} min_epsilon", abc["min_epsilon"], 0)
    abc["min_acceptance"] = _number(f"{w} min_acceptance", abc["min_acceptance"], 0, 1)
    abc["max_simulations"] = _number(f"{w} max_simulations", abc["max_simulations"], abc["population"],
                                     whole=True)
    abc["batch"] = _number(f"{w} batch", abc["batch"], 1, 1_000_000, whole=True)
    abc["seed"] = _number(f"{w} seed", abc["seed"], 0, 2 ** 63 - 1, whole=True)

    allowed = behavioural_parameters()
    priors = []
    raw_priors = data.get("priors") or {}
    if not raw_priors:
        raise CalibrationError(f"{where}: [priors] is empty; give at least one of: {', '.join(allowed)}")
    for pname, spec in raw_priors.items():
        pw = f"{where} [priors] {pname}"
        if pname not in parameters.PARAMETERS:
            raise CalibrationError(f"{pw}: unknown parameter; behavioural parameters: {', '.join(allowed)}")
        p = parameters.PARAMETERS[pname]
        if pname not in allowed:
            raise CalibrationError(f"{pw}: a {p.group} parameter; the calibration is over behavioural "
                                   f"parameters only: {', '.join(allowed)}")
        if not isinstance(spec, dict):
            raise CalibrationError(f"{pw}: expected a table such as {{ low = 0.1, high = 0.5 }} or {{}}")
        for key in spec:
            if key not in PRIOR_KEYS:
                raise _unknown(pw, key, PRIOR_KEYS)
        low = _number(f"{pw} low", spec.get("low", p.low), p.low, p.high)
        high = _number(f"{pw} high", spec.get("high", p.high), p.low, p.high)
        if not low < high:
            raise CalibrationError(f"{pw}: low ({low:g}) must be below high ({high:g})")
        if ("mean" in spec) != ("sd" in spec):
            raise CalibrationError(f"{pw}: a normal prior needs both mean and sd")
        if "mean" in spec:
            priors.append(Prior(pname, low, high, "normal", _number(f"{pw} mean", spec["mean"]),
                                _number(f"{pw} sd", spec["sd"], 1e-12)))
        else:
            priors.append(Prior(pname, low, high))

    fixed = {}
    for pname, value in (data.get("fixed") or {}).items():
        if pname in raw_priors:
            raise CalibrationError(f"{where} [fixed] {pname}: also has a prior; give it one or the other")
        fixed[pname] = parameters.get(pname, f"{where} [fixed]").coerce(value, f"{where} [fixed]")

    raw_targets = data.get("targets") or []
    if not raw_targets:
        raise CalibrationError(f"{where}: no [[targets]]; give union- or era-level patterns, e.g. "
                               f"pattern = \"union_breakup\"")
    targets = [_target(t, f"{where} [[targets]] {i + 1}") for i, t in enumerate(raw_targets)]
    names = [t.statistic for t in targets]
    if len(set(names)) != len(names):
        raise CalibrationError(f"{where} [[targets]]: a statistic is targeted twice ({', '.join(names)})")

    check: dict[str, Any] = dict(CHECK_KEYS)
    for key, value in (data.get("check") or {}).items():
        if key not in CHECK_KEYS:
            raise _unknown(f"{where} [check]", key, CHECK_KEYS)
        check[key] = value
    check["predictive"] = _number(f"{where} [check] predictive", check["predictive"], 0, 100_000, whole=True)
    return CalibrationSpec(name, str(data.get("description", "")), Priors(priors), targets, fixed, abc, check)


def _target(t: dict, where: str) -> Target:
    if not isinstance(t, dict):
        raise CalibrationError(f"{where}: expected a table with pattern = ... or statistic = ...")
    for key in t:
        if key not in TARGET_KEYS:
            raise _unknown(where, key, TARGET_KEYS)
    if ("pattern" in t) == ("statistic" in t):
        raise CalibrationError(f"{where}: give either pattern = \"...\" or statistic = \"...\"")
    source = ""
    band = None
    if "pattern" in t:
        try:
            p = pattern_registry.get(t["pattern"])
        except KeyError:
            raise CalibrationError(f"{where}: unknown pattern {t['pattern']!r}; union- and era-level patterns: "
                                   f"{', '.join(x.name for x in pattern_registry.PATTERNS if x.level != 'republic')}"
                                   ) from None
        if p.level == "republic":
            raise CalibrationError(f"{where}: {p.name} is a republic-level pattern; the republics' order is "
                                   "never a calibration target (it is the out-of-sample check)")
        statistic, source = p.statistic, f"pattern {p.name}"
        if isinstance(p.criterion, Band):
            band = (p.criterion.low, p.criterion.high)
    else:
        statistic = t["statistic"]
        if statistic not in stats.STATISTICS:
            raise CalibrationError(f"{where}: unknown statistic {statistic!r}; known: "
                                   f"{', '.join(s for s, x in stats.STATISTICS.items() if x.level != 'republic')}")
        if stats.STATISTICS[statistic].level == "republic":
            raise CalibrationError(f"{where}: {statistic} is a republic-level statistic; the republics' order "
                                   "is never a calibration target (it is the out-of-sample check)")
        source = "spec"
        if "value" not in t and "band" not in t:
            raise CalibrationError(f"{where}: a statistic target needs value = ... or band = [low, high]")
    if stats.STATISTICS[statistic].kind != "number":
        raise CalibrationError(f"{where}: {statistic} is not a number")
    if "value" in t and "band" in t:
        raise CalibrationError(f"{where}: give value or band, not both")
    scale = _number(f"{where} scale", t["scale"], 1e-12) if "scale" in t else math.nan
    if "value" in t:
        return Target(statistic, value=_number(f"{where} value", t["value"]), scale=scale, source=source)
    if "band" in t:
        b = t["band"]
        if not (isinstance(b, list) and len(b) == 2):
            raise CalibrationError(f"{where}: band must be [low, high]")
        band = (_number(f"{where} band", b[0]), _number(f"{where} band", b[1]))
        if band[0] > band[1]:
            raise CalibrationError(f"{where}: band low {band[0]:g} is above high {band[1]:g}")
    if band is None:  # a pattern whose criterion is not a band, given neither value nor band
        raise CalibrationError(f"{where}: this pattern has no band; give value = ... or band = [low, high]")
    low = band[0] if math.isfinite(band[0]) else math.nan
    high = band[1] if math.isfinite(band[1]) else math.nan
    return Target(statistic, low=low, high=high, scale=scale, source=source)
