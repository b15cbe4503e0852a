"""Every model parameter in one registry: name, meaning, default and allowed range.

The command line (`soviet-cohesion describe`), the dashboard's controls, the sweep
validator and the model itself all read this table, so a parameter is documented
and range-checked in exactly one place.

Parameters come in groups:

* ``lever``: the centre's policy levers; scenarios move them over time with dated events.
* ``economy``: exogenous pressure on the regions.
* ``behaviour``: how officials weigh their risks (the decision rule's constants).
* ``centre``: the centre's doctrine (how it plans, supplies, audits, earns authority).
* ``loop``: switches for the five feedback loops of the ODD (True = the loop is active).
* ``world`` / ``run``: the world to build and what to record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class ParameterError(ValueError):
    """A parameter name or value that is not allowed (the message is one line)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Any
    low: float | None
    high: float | None
    group: str
    meaning: str
    kind: type = float
    choices: tuple[str, ...] = ()

    @property
    def allowed(self) -> str:
        if self.kind is bool:
            return "true or false"
        if self.choices:
            return "one of " + ", ".join(self.choices)
        return f"{self.kind.__name__} in [{_fmt(self.low)}, {_fmt(self.high)}]"

    def coerce(self, value: Any, where: str = "") -> Any:
        """Convert ``value`` (possibly a string from a command line) and range-check it."""
        prefix = f"{where}: " if where else ""
        bad = ParameterError(f"{prefix}{self.name}={value!r} is not allowed: expected {self.allowed}")
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, (int, float)) and value in (0, 1):
                return bool(value)
            if isinstance(value, str) and value.strip().lower() in _BOOL_WORDS:
                return _BOOL_WORDS[value.strip().lower()]
            raise bad
        if self.choices:
            if isinstance(value, str) and value in self.choices:
                return value
            raise bad
        if isinstance(value, bool):
            raise bad
        try:
            if self.kind is int:
                number = float(value)
                if not number.is_integer():
                    raise bad
                number = int(number)
            else:
                number = float(value)
        except (TypeError, ValueError):
            raise bad from None
        if number != number or not (self.low <= number <= self.high):  # NaN or out of range
            raise bad
        return number


_BOOL_WORDS = {"true": True, "1": True, "yes": True, "on": True,
               "false": False, "0": False, "no": False, "off": False}


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:g}" if isinstance(x, float) else str(x)


def _p(name, default, low, high, group, meaning, kind=float, choices=()):
    return Parameter(name, default, low, high, group, meaning, kind, tuple(choices))


_TABLE = [
    # --- the centre's levers (moved by scenario events) --------------------------------
    _p("openness", 0.0, 0.0, 1.0, "lever",
       "glasnost: how freely failures can be reported and seen; widens what each official "
       "sees of the others, lets grievances be voiced, questions the centre"),
    _p("supply_reform", 0.0, 0.0, 1.0, "lever",
       "perestroika of planning and supply: share of the planned supply system dismantled "
       "(supplies get lost, plans lose their teeth)"),
    _p("decentralisation", 0.0, 0.0, 1.0, "lever",
       "sovnarkhoz-style transfer of economic management to the regions: more local "
       "discretion, weaker central monitoring"),
    _p("punishment_severity", 0.5, 0.0, 1.0, "lever",
       "how hard the centre punishes what it finds, and how hard it blames officials for "
       "failures in their region"),
    _p("audit_capacity", 0.1, 0.0, 1.0, "lever",
       "share of regions the centre can audit per period at full reserves"),
    _p("responsibility_shared", 0.0, 0.0, 1.0, "lever",
       "share of the blame for local crises the centre takes on itself (0: responsibility "
       "stays local; 1: it moves with authority)"),
    _p("appeasement", 0.0, 0.0, 1.0, "lever",
       "share of the centre's supplies targeted at restive regions (Treisman's selective "
       "fiscal appeasement)"),
    _p("local_accountability", 0.0, 0.0, 1.0, "lever",
       "democratisation: how much officials answer to local constituencies rather than to "
       "the centre (Giuliano's bottom-up secessionism)"),
    # --- the economy ----------------------------------------------------------------------
    _p("scarcity", 0.1, 0.0, 1.0, "economy",
       "economic pressure: share of output lost to shortages, falling export revenue and "
       "failed harvests (scaled by each region's vulnerability)"),
    _p("shock_sd", 0.05, 0.0, 0.5, "economy",
       "standard deviation of each region's random output shock per period"),
    _p("plan_pressure", 1.0, 0.5, 1.5, "economy",
       "tautness of the plan: deliveries demanded relative to what a region can spare"),
    # --- how officials decide ----------------------------------------------------------
    _p("motive_weight", 1.0, 0.0, 5.0, "behaviour",
       "how strongly the private balance of risks (obeying minus disobeying) lowers an "
       "official's threshold; 0 leaves a pure peer-threshold (Granovetter) rule"),
    _p("audit_k", 2.3, 0.0, 10.0, "behaviour",
       "Epstein's constant k in the perceived audit chance "
       "1 - exp(-k * audits / (0.25 * regions + suspects))"),
    _p("withholding", 0.4, 0.0, 1.0, "behaviour",
       "share of output a risk-managing official hides from the plan (under-reports and "
       "keeps for the region)"),
    _p("identity_weight", 1.0, 0.0, 2.0, "behaviour",
       "how much regional identity salience pulls a risk-managing official towards open "
       "autonomy"),
    _p("dependence_weight", 1.0, 0.0, 2.0, "behaviour",
       "how much dependence on the centre's transfers holds a region back from autonomy"),
    _p("unrest_rate", 0.25, 0.0, 1.0, "behaviour",
       "speed at which local unrest follows local grievance (shortfall, and national "
       "grievance under openness) per period"),
    # --- the centre's doctrine ----------------------------------------------------------
    _p("authority_rate", 0.06, 0.0, 1.0, "centre",
       "speed at which the centre's authority follows its results and consistency (per period)"),
    _p("initial_authority", 0.9, 0.0, 1.0, "centre", "the centre's authority at the start"),
    _p("supply_rate", 0.5, 0.0, 1.0, "centre",
       "share of the centre's reserves sent out as supplies each period"),
    _p("ratchet", 0.3, 0.0, 1.0, "centre",
       "weight of last period's reported output in the next plan (the planning ratchet)"),
    _p("replacement_rate", 0.5, 0.0, 1.0, "centre",
       "chance that a detected official is dismissed and replaced, at full punishment severity"),
    _p("audit_targeting", 0.5, 0.0, 1.0, "centre",
       "share of audits aimed at regions whose reports look suspicious (the rest are random)"),
    # --- the five feedback loops ---------------------------------------------------------
    _p("loop_fiscal", True, None, None, "loop",
       "fiscal loop: reserves come from deliveries, and supplies and audits from reserves", bool),
    _p("loop_enforcement", True, None, None, "loop",
       "enforcement dilution: the audit chance officials perceive falls as defectors "
       "multiply (off: it is computed with the defectors at the start)", bool),
    _p("loop_legitimacy", True, None, None, "loop",
       "legitimacy loop: results and consistency move the centre's authority", bool),
    _p("loop_contagion", True, None, None, "loop",
       "contagion: officials follow what the neighbours they can see are doing", bool),
    _p("loop_responsibility", True, None, None, "loop",
       "responsibility asymmetry: local crises are blamed on the local official", bool),
    # --- world and run ----------------------------------------------------------------------
    _p("n_regions", 150, 2, 1_000_000, "world", "number of regions of a synthetic world", int),
    _p("topology", "grid", None, None, "world",
       "neighbour structure of a synthetic world", str, ("grid", "network", "complete")),
    _p("n_republics", 0, 0, 100_000, "world",
       "number of republics in a synthetic world (0: about one per ten regions)", int),
    _p("steps_per_year", 4, 1, 12, "run", "periods per calendar year (4: quarters)", int),
    _p("collect_regions", True, None, None, "run",
       "record per-region records (stance and decision terms) every collected step", bool),
    _p("collect_every", 1, 1, 10_000, "run",
       "record indicators every k-th step (the last step is always recorded)", int),
]

PARAMETERS: dict[str, Parameter] = {p.name: p for p in _TABLE}
LEVERS = tuple(p.name for p in _TABLE if p.group in ("lever", "economy"))
LOOPS = tuple(p.name for p in _TABLE if p.group == "loop")
#: parameters that may change during a run (scenario events, dashboard controls)
DYNAMIC = tuple(p.name for p in _TABLE if p.group in ("lever", "economy", "behaviour", "centre", "loop"))
STRUCTURAL = tuple(p.name for p in _TABLE if p.group in ("world", "run"))


def get(name: str, where: str = "") -> Parameter:
    try:
        return PARAMETERS[name]
    except KeyError:
        prefix = f"{where}: " if where else ""
        raise ParameterError(
            f"{prefix}unknown parameter {name!r}; known parameters: {', '.join(PARAMETERS)}"
        ) from None


def validate(values: dict[str, Any], where: str = "") -> dict[str, Any]:
    """Return a copy of ``values`` with every entry converted and range-checked."""
    return {name: get(name, where).coerce(value, where) for name, value in values.items()}


def defaults() -> dict[str, Any]:
    return {p.name: p.default for p in _TABLE}


def parse_assignment(text: str, where: str = "--set") -> tuple[str, Any]:
    """Parse ``name=value`` (as given on the command line)."""
    if "=" not in text:
        raise ParameterError(f"{where}: {text!r} is not of the form name=value")
    name, value = (s.strip() for s in text.split("=", 1))
    return name, get(name, where).coerce(value, where)
