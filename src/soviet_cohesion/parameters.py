"""Every model parameter in one registry: name, meaning, default, allowed range and source.

The command line (`soviet-cohesion describe`), the dashboard's controls, the sweep validator,
the calibration and the model itself all read this table, so a parameter is documented and
range-checked in exactly one place. Every weight that appears in an equation of
``soviet_cohesion.mechanisms`` is either a parameter here or a named constant beside its
equation with a comment saying why it has that value.

Parameters come in groups:

* ``lever``: the centre's policy choices (reforms); scenarios move them with dated events.
* ``shock``: exogenous pressure (world prices, harvests, the example of revolutions abroad).
* ``official``: how regional officials weigh their risks and loyalties.
* ``republic``: how republic populations mobilise and republic leaders decide.
* ``centre``: the centre's doctrine: how it plans, supplies, audits and reacts (a doctrine in
  ``agents/centre.toml`` sets these for an era).
* ``loop``: switches for the feedback loops of the ODD (True = the loop is active).
* ``world`` / ``run``: the world to build and what to record.

``official`` and ``republic`` are the *behavioural* parameters: the ones calibration estimates
and the robustness check moves one at a time.
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
    source: str = ""

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
        assert self.low is not None and self.high is not None  # only bool and choice parameters have no bounds
        if number != number or not (self.low <= number <= self.high):  # NaN or out of range
            raise bad
        return number


_BOOL_WORDS = {"true": True, "1": True, "yes": True, "on": True,
               "false": False, "0": False, "no": False, "off": False}


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:g}" if isinstance(x, float) else str(x)


def _p(name, default, low, high, group, meaning, source="", kind=float, choices=()):
    return Parameter(name, default, low, high, group, meaning, kind, tuple(choices), source)


_STYLISED = "stylised: calibrated so the model's eras reproduce the stylised facts (docs/ODD.md, 1.2)"

_TABLE = [
    # --- the centre's policy levers (reforms; moved by scenario events) ----------------------
    _p("openness", 0.0, 0.0, 1.0, "lever",
       "glasnost: how freely failures, grievances and suppressed history can be spoken of; "
       "widens what each official sees of the others and lets publics mobilise",
       "policy (scenario events)"),
    _p("supply_reform", 0.0, 0.0, 1.0, "lever",
       "perestroika of supply (the 1987 Law on State Enterprise): share of planned deliveries "
       "between regions that enterprises may sell outside the plan",
       "policy (scenario events)"),
    _p("decentralisation", 0.0, 0.0, 1.0, "lever",
       "economic management handed to the regions (sovnarkhozy, 1988 party withdrawal): more "
       "local discretion, weaker central monitoring", "policy (scenario events)"),
    _p("economic_councils", 0, 0, 2, "lever",
       "which regions are run together by one economic council: 0 branch ministries (none), "
       "1 the 105 sovnarkhozy of 1957, 2 the 47 consolidated councils of 1962-63",
       "policy (scenario events); council membership from data/ussr_regions.csv", int),
    _p("plan_pressure", 1.0, 0.5, 1.5, "lever",
       "tautness of the plan: deliveries demanded relative to what a region can spare "
       "('acceleration' raised it)", "policy (scenario events)"),
    _p("punishment_severity", 0.5, 0.0, 1.0, "lever",
       "how hard the centre punishes what its audits find, and blames officials for failing "
       "the plan", "policy (doctrine and scenario events)"),
    _p("audit_capacity", 0.1, 0.0, 1.0, "lever",
       "share of member regions the centre can audit per period at full reserves",
       "policy (doctrine and scenario events)"),
    _p("responsibility_shared", 0.0, 0.0, 1.0, "lever",
       "share of the blame for local crises the centre takes on itself (0: responsibility "
       "stays local; 1: it moves with authority)", "policy (counterfactual)"),
    _p("appeasement", 0.0, 0.0, 1.0, "lever",
       "share of the centre's supplies it targets at restive regions and republics "
       "(Treisman's selective fiscal appeasement), before its doctrine reacts",
       "policy (doctrine and scenario events)"),
    _p("local_accountability", 0.0, 0.0, 1.0, "lever",
       "contested local elections: how much regional officials answer to local voters "
       "rather than to the centre (Giuliano 2006)", "policy (scenario events)"),
    _p("republic_accountability", 0.0, 0.0, 1.0, "lever",
       "contested elections to the republics' supreme soviets: how much republic leaders "
       "answer to their voters rather than to Moscow (Giuliano 2006)", "policy (scenario events)"),
    _p("cadre_turnover", 0.1, 0.0, 1.0, "lever",
       "share of regional officials routinely moved or retired per year ('stability of "
       "cadres' set it low)", "policy (doctrine); Willerton 1992 on tenure of obkom secretaries"),
    # --- exogenous shocks ------------------------------------------------------------------
    _p("scarcity", 0.1, 0.0, 1.0, "shock",
       "economic pressure from outside the plan: share of output lost to falling export "
       "revenue and failed harvests (scaled by each region's vulnerability)",
       "shock (scenario events)"),
    _p("shock_sd", 0.05, 0.0, 0.5, "shock",
       "standard deviation of each region's random output shock per period (uniform)",
       "stylised"),
    _p("external_example", 0.0, 0.0, 1.0, "shock",
       "the example of successful mobilisation abroad (Eastern Europe, autumn 1989): lowers "
       "every public's threshold for joining a movement", "shock (scenario events)"),
    # --- regional officials ------------------------------------------------------------------
    _p("motive_weight", 1.0, 0.0, 5.0, "official",
       "how strongly the private balance of risks (obeying minus disobeying) lowers an "
       "official's peer threshold; 0 leaves Granovetter's pure threshold rule", _STYLISED),
    _p("audit_k", 2.3, 0.0, 10.0, "official",
       "Epstein's constant k in the perceived audit chance "
       "1 - exp(-k * audits / (BACKGROUND_SUSPECTS * members + suspects))", "Epstein 2002 (k = 2.3)"),
    _p("crisis_weight", 0.256, 0.0, 2.0, "official",
       "risk of obeying from a local crisis the official is blamed for, before any weight on "
       "local welfare (the career risk of presiding over a failing region)", _STYLISED),
    _p("withholding", 0.4, 0.0, 1.0, "official",
       "share of what it owes that a risk-managing official holds back (and hides by "
       "under-reporting output)", _STYLISED),
    _p("padding", 0.12, 0.0, 1.0, "official",
       "pripiski: share of its plan shortfall an official reports as fulfilled, for an official "
       "with a full local network (half as much with none)",
       "Gregory and Harrison 2005 (misreporting under plan pressure); magnitude stylised"),
    _p("unrest_rate", 0.4, 0.0, 1.0, "official",
       "speed at which local unrest follows local hardship per period", _STYLISED),
    _p("voice_weight", 0.5, 0.0, 1.0, "official",
       "how loudly local unrest reaches the official at full openness (it always does through "
       "local elections)", _STYLISED),
    _p("network_growth", 0.1, 0.0, 1.0, "official",
       "growth per year of an official's local patronage network (entrenchment) while in post; "
       "a network fills up at this rate and is lost on replacement",
       "Willerton 1992 (patronage over long tenures); rate stylised"),
    _p("network_local", 0.5, 0.0, 2.0, "official",
       "how much a full local network adds to the official's weight on local interests", _STYLISED),
    _p("network_cover", 0.5, 0.0, 1.0, "official",
       "share by which a full local network lowers the chance that an audit finds anything",
       _STYLISED),
    _p("identity_weight", 1.0, 0.0, 2.0, "official",
       "how much a region's own national identity (an autonomy's titular people) pulls its "
       "official towards acting on its own", _STYLISED),
    _p("dependence_weight", 1.0, 0.0, 2.0, "official",
       "how much living on the centre's supplies holds an official back from breaking away",
       _STYLISED),
    _p("counter_mobilisation", 1.0, 0.0, 2.0, "official",
       "how strongly people who are not of a republic's titular nationality side with the "
       "centre against a mobilised republic (Beissinger 2002)", _STYLISED),
    # --- republic publics and leaderships ---------------------------------------------------
    _p("mobilisation_rate", 0.3, 0.0, 1.0, "republic",
       "speed per period at which a republic's public mobilisation follows its tipping "
       "dynamics", _STYLISED),
    _p("mobilisation_threshold", 0.55, 0.0, 2.0, "republic",
       "mean of the hidden threshold a republic's public must pass before mobilisation "
       "spreads (Kuran 1991); each run draws each republic's own", _STYLISED),
    _p("threshold_spread", 0.08, 0.0, 0.5, "republic",
       "standard deviation of the republics' hidden thresholds between runs and republics",
       _STYLISED),
    _p("bandwagon", 0.4, 0.0, 1.0, "republic",
       "how much the share already mobilised lowers everyone else's threshold (Granovetter "
       "1978, Kuran 1991)", _STYLISED),
    _p("memory_weight", 1.0, 0.0, 2.0, "republic",
       "weight of suppressed national memory (interwar statehood, incorporation in 1939-45) "
       "once openness has revealed it", _STYLISED),
    _p("hardship_weight", 1.25, 0.0, 3.0, "republic",
       "weight of the republic's hardship (unrest in its regions) in its public's grievance",
       _STYLISED),
    _p("tide_weight", 0.3, 0.0, 1.0, "republic",
       "demonstration effect: how much declarations elsewhere raise a public's mobilisation "
       "and a leader's readiness (Beissinger 2002's tide)", _STYLISED),
    _p("officials_weight", 0.375, 0.0, 2.0, "republic",
       "how much a republic leader follows its own apparatus: the share of its regions' "
       "officials no longer obeying the centre", _STYLISED),
    _p("leader_caution", 0.3, 0.0, 2.0, "republic",
       "mean of a republic leader's personal threshold for defying the centre (each run draws "
       "each leader's own)", _STYLISED),
    _p("independence_hurdle", 0.4, 0.0, 2.0, "republic",
       "how much more support independence needs than sovereignty", _STYLISED),
    _p("coercion_fear", 0.35, 0.0, 2.0, "republic",
       "how much the centre's capacity to coerce deters publics and leaders", _STYLISED),
    _p("budget_weight", 1.6, 0.0, 5.0, "republic",
       "cost of leaving per unit of the share of its needs the centre's supplies cover (what it would "
       "lose)", _STYLISED),
    _p("trade_weight", 0.8, 0.0, 5.0, "republic",
       "cost of leaving per unit of trade subsidy at world prices the republic would lose "
       "(Tarr 1993)", _STYLISED),
    _p("core_rivalry", 0.5, 0.0, 2.0, "republic",
       "how strongly the core republic's leadership competes with the union centre for power "
       "as the centre weakens (Hale 2004)", _STYLISED),
    # --- the centre's doctrine --------------------------------------------------------------
    _p("authority_rate", 0.1, 0.0, 1.0, "centre",
       "speed at which the centre's authority follows its results and consistency (per period)",
       _STYLISED),
    _p("initial_authority", 0.9, 0.0, 1.0, "centre", "the centre's authority at the start",
       "doctrine"),
    _p("initial_tenure", 5.0, 0.0, 30.0, "centre",
       "mean years in post of the officials at the start (their networks grow with it)",
       "doctrine; Willerton 1992"),
    _p("supply_rate", 0.5, 0.0, 1.0, "centre",
       "share of the centre's reserves sent out as supplies each period", _STYLISED),
    _p("ratchet", 0.3, 0.0, 1.0, "centre",
       "weight of last period's reported output in the next plan (the planning ratchet)",
       "Berliner 1957, Weitzman 1980; weight stylised"),
    _p("replacement_rate", 0.5, 0.0, 1.0, "centre",
       "chance that an official caught by an audit is dismissed, at full punishment severity",
       "doctrine"),
    _p("audit_targeting", 0.5, 0.0, 1.0, "centre",
       "share of audits aimed at regions whose reports look suspicious (the rest are random)",
       "doctrine"),
    _p("audit_response", 1.0, 0.0, 5.0, "centre",
       "how much the centre raises its audits when its last audits found misconduct",
       "doctrine"),
    _p("coercion_trigger", 0.5, 0.0, 1.0, "centre",
       "mobilisation of a republic at which the centre considers force", "doctrine"),
    _p("coercion_propensity", 0.3, 0.0, 1.0, "centre",
       "chance per period, at full authority, that the centre uses force on a republic past "
       "the trigger", "doctrine"),
    _p("backfire_point", 0.4, 0.0, 1.0, "centre",
       "mobilisation above which force backfires instead of deterring (Beissinger 2002: "
       "Tbilisi 1989, Baku 1990, Vilnius 1991)", "Beissinger 2002; level stylised"),
    _p("deterrence", 0.5, 0.0, 1.0, "centre",
       "share of a weakly mobilised public that force sends home", _STYLISED),
    _p("backfire", 0.4, 0.0, 1.0, "centre",
       "share of the unmobilised that force drives into a strongly mobilised movement",
       _STYLISED),
    _p("appeasement_response", 0.5, 0.0, 1.0, "centre",
       "how much of its supplies the centre redirects to restive republics as their "
       "mobilisation grows (Treisman 1999)", "doctrine"),
    _p("treaty_trigger", 0.4, 0.0, 1.0, "centre",
       "share of republics that have declared sovereignty at which the centre offers a new "
       "union treaty (its last concession, 1990-91)", "doctrine"),
    _p("treaty_value", 0.4, 0.0, 1.0, "centre",
       "how much a new union treaty lowers a republic's value of independence (least for "
       "republics with a remembered state of their own)", _STYLISED),
    _p("revelation_cost", 0.15, 0.0, 5.0, "centre",
       "authority the centre loses per unit of the official-picture gap that openness reveals",
       _STYLISED),
    _p("declaration_cost", 0.3, 0.0, 2.0, "centre",
       "authority the centre loses per share of the population whose republic declares",
       _STYLISED),
    # --- feedback loops -------------------------------------------------------------------
    _p("loop_fiscal", True, None, None, "loop",
       "fiscal loop: reserves come from deliveries, and supplies and audits from reserves",
       kind=bool),
    _p("loop_enforcement", True, None, None, "loop",
       "enforcement dilution: the audit chance officials perceive falls as defectors multiply "
       "(off: computed with the defectors at the start)", kind=bool),
    _p("loop_legitimacy", True, None, None, "loop",
       "legitimacy loop: results, consistency, revelations and declarations move the centre's "
       "authority", kind=bool),
    _p("loop_contagion", True, None, None, "loop",
       "contagion: officials follow what the neighbours they can see are doing", kind=bool),
    _p("loop_responsibility", True, None, None, "loop",
       "responsibility asymmetry: local crises are blamed on the local official", kind=bool),
    _p("loop_information", True, None, None, "loop",
       "information loop: padded reports feed the plan and the official picture, and openness "
       "reveals the gap at a cost to authority", kind=bool),
    _p("loop_entrenchment", True, None, None, "loop",
       "entrenchment: officials' local networks grow with tenure and shield them", kind=bool),
    _p("loop_supply_chain", True, None, None, "loop",
       "supply chain: what a region holds back is missing from its partners' inputs", kind=bool),
    _p("loop_tide", True, None, None, "loop",
       "tide: publics and leaders follow declarations and mobilisation elsewhere", kind=bool),
    _p("loop_coercion", True, None, None, "loop",
       "coercion: the centre's reactions (force, audits, appeasement, treaty) respond to what "
       "it sees (off: none of them moves)", kind=bool),
    # --- world and run ------------------------------------------------------------------------
    _p("n_regions", 150, 2, 1_000_000, "world", "number of regions of a synthetic world", kind=int),
    _p("topology", "grid", None, None, "world",
       "neighbour structure of a synthetic world", kind=str, choices=("grid", "network", "complete")),
    _p("n_republics", 0, 0, 100_000, "world",
       "number of republics in a synthetic world (0: about one per ten regions)", kind=int),
    _p("world_seed", 0, 0, 2**31 - 1, "world",
       "seed of a synthetic world's layout and attributes (runs with different seeds share it)",
       kind=int),
    _p("steps_per_year", 4, 1, 12, "run", "periods per calendar year (4: quarters)", kind=int),
    _p("collect_regions", True, None, None, "run",
       "record per-region records (stance, allegiance and decision terms)", kind=bool),
    _p("collect_every", 1, 1, 10_000, "run",
       "record every k-th step (the last step is always recorded)", kind=int),
    _p("collect_agents", True, None, None, "run",
       "let the DataCollector gather agent reporters (model.datacollector."
       "get_agent_vars_dataframe()); off is faster", kind=bool),
]

PARAMETERS: dict[str, Parameter] = {p.name: p for p in _TABLE}
LEVERS = tuple(p.name for p in _TABLE if p.group in ("lever", "shock"))
LOOPS = tuple(p.name for p in _TABLE if p.group == "loop")
BEHAVIOURAL = tuple(p.name for p in _TABLE if p.group in ("official", "republic"))
#: parameters read once, when the run starts (an event or a lever moved later would change nothing)
INITIAL = ("initial_authority", "initial_tenure", "mobilisation_threshold", "threshold_spread", "leader_caution")
#: parameters that may change during a run (scenario events, dashboard controls)
DYNAMIC = tuple(p.name for p in _TABLE if p.group in ("lever", "shock", "official", "republic",
                                                        "centre", "loop") and p.name not in INITIAL)
STRUCTURAL = tuple(p.name for p in _TABLE if p.group in ("world", "run"))
#: parameters that may differ between the runs of one ensemble (everything but the structure)
PER_RUN = DYNAMIC + INITIAL


def get(name: str, where: str = "") -> Parameter:
    try:
        return PARAMETERS[name]
    except KeyError:
        prefix = f"{where}: " if where else ""
        raise ParameterError(
            f"{prefix}unknown parameter {name!r}{_did_you_mean(name)}; known parameters: "
            f"{', '.join(PARAMETERS)}") from None


def _did_you_mean(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(str(name), PARAMETERS, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
