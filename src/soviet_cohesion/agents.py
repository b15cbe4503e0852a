"""The agents: one :class:`RegionalOfficial` per region, one :class:`RepublicLeadership` per union
republic, and one :class:`Centre`.

The agents are the model's public surface: read (and set) their traits and state through
their attributes, exactly as with any Mesa agent. Behind them, the model keeps every
attribute in numpy arrays with a leading runs axis (``soviet_cohesion.model.Simulation``), so
that a period's arithmetic runs once over all regions (and, in an ensemble, over many runs)
instead of once per agent. The rules themselves live in ``soviet_cohesion.mechanisms``.
"""

from __future__ import annotations

from enum import IntEnum

import mesa


class Stance(IntEnum):
    """What an official does this period."""

    OBEYING = 0  #: delivers the plan and reports as asked
    MANAGING_RISK = 1  #: holds back deliveries, hides output, looks after the region first
    AUTONOMOUS = 2  #: no longer delivers to the centre at all

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").lower()


class Allegiance(IntEnum):
    """Whose orders an official follows."""

    CENTRE = 0  #: the union centre
    REPUBLIC = 1  #: its republic's leadership, once the republic has declared sovereignty
    REGION = 2  #: its own region alone (an autonomy's own movement)

    @property
    def label(self) -> str:
        return self.name.lower()


class Status(IntEnum):
    """Where a republic's leadership stands towards the union."""

    LOYAL = 0  #: the union's laws above its own
    SOVEREIGN = 1  #: has declared sovereignty: its laws above the union's ("war of laws")
    INDEPENDENT = 2  #: has declared independence

    @property
    def label(self) -> str:
        return self.name.lower()


#: the enums' integer codes, for array arithmetic (an IntEnum inside a numpy expression takes a
#: slow path); tests check that they equal the enums
OBEYING, MANAGING, AUTONOMOUS = 0, 1, 2
CENTRE, REPUBLIC, REGION = 0, 1, 2
LOYAL, SOVEREIGN, INDEPENDENT = 0, 1, 2


def _array_attribute(array_name: str, doc: str, cast=float):
    """An attribute stored at this official's region in the simulation's array ``array_name``
    (row 0: a :class:`CohesionModel` is a simulation of one run)."""

    def fget(self):
        return cast(getattr(self.model.sim, array_name)[0, self.region])

    def fset(self, value):
        getattr(self.model.sim, array_name)[0, self.region] = value

    return property(fget, fset, doc=doc)


class RegionalOfficial(mesa.Agent):
    """The official in charge of one region (obkom / sovnarkhoz level).

    Rule, each period: stop obeying when the share of visible peers who no longer obey
    reaches the official's threshold, lowered by how much riskier obeying has become than
    disobeying (Granovetter 1978, Epstein 2002)::

        peer_share >= peer_threshold - motive_weight * (risk_of_obeying - risk_of_disobeying)

    Once its republic has declared sovereignty, the official also chooses whom it answers
    to: the centre or the republic. An autonomy's official whose own pull passes its
    autonomy threshold acts alone. The equations: ``soviet_cohesion.mechanisms.officials``.

    The agent stands for the post: when an official is dismissed or moves on, the agent's
    traits become the successor's (``term`` counts the holders; ``appointed_year`` is the
    present holder's appointment).

    Traits (drawn at appointment from the official's type in ``agents/officials.toml``):
        risk_aversion: fear of audit and punishment (Epstein's risk aversion).
        loyalty: intrinsic cost of disobeying, scaled by the centre's authority.
        local_weight: weight on the region's welfare against the plan.
        peer_threshold: share of visible peers who must defect first (Granovetter).
        autonomy_threshold: pull needed to act alone.
    State:
        stance, allegiance, tenure (years in post), network (local patronage, 0..1),
        fear (remembered audit chance).
    """

    risk_aversion = _array_attribute("risk_aversion", "fear of audit and punishment, in [0, 1]")
    loyalty = _array_attribute("loyalty", "intrinsic cost of disobeying, in [0, 1]")
    local_weight = _array_attribute("local_weight", "weight on local welfare, in [0, 1]")
    peer_threshold = _array_attribute("peer_threshold", "peer share needed to follow, in [0, 1]")
    autonomy_threshold = _array_attribute("autonomy_threshold", "pull needed to act alone")
    tenure = _array_attribute("tenure", "years in post of the present holder")
    network = _array_attribute("network", "local patronage network, in [0, 1] (entrenchment)")
    fear = _array_attribute("fear", "remembered audit chance after being caught, in [0, 1]")

    def __init__(self, model, region: int):
        super().__init__(model)
        self.region = region

    @property
    def stance(self) -> Stance:
        return Stance(int(self.model.sim.stance[0, self.region]))

    @stance.setter
    def stance(self, value: Stance) -> None:
        self.model.sim.stance[0, self.region] = int(value)

    @property
    def allegiance(self) -> Allegiance:
        return Allegiance(int(self.model.sim.allegiance[0, self.region]))

    @property
    def official_type(self) -> str:
        return self.model.sim.official_types[int(self.model.sim.type_index[0, self.region])].name

    @property
    def term(self) -> int:
        """How many officials have held this post during the run (1: the first)."""
        return int(self.model.sim.terms[0, self.region])

    @property
    def appointed_year(self) -> float:
        return float(self.model.year - self.tenure)

    @property
    def region_name(self) -> str:
        return self.model.world.names[self.region]

    @property
    def republic(self) -> str:
        return self.model.world.republic_names[self.model.world.republic[self.region]]

    @property
    def neighbours(self) -> list[RegionalOfficial]:
        return [self.model.officials[j] for j in self.model.world.neighbours(self.region)]

    @property
    def decision(self) -> dict:
        """The terms of this official's last decision (for the dashboard's "why")."""
        return self.model.decision_terms(self.region)

    def explain(self) -> str:
        """The last decision in one or two plain sentences."""
        return self.model.explain(self.region)

    def __repr__(self) -> str:
        return f"<RegionalOfficial {self.unique_id} {self.region_name}: {self.stance.label}>"


class RepublicLeadership(mesa.Agent):
    """The leadership of one union republic (the RSFSR's is the core: Hale 2004).

    Rule, each period: declare sovereignty when the support it has (its officials no longer
    obeying, its mobilised public, for the core its rivalry with the centre) plus the tide of
    declarations elsewhere outweighs the cost of defying the centre (the transfers and trade
    subsidies it would lose, the centre's capacity to coerce) and its own caution;
    independence the same way with a higher bar. After contested elections it answers to its
    voters (Giuliano 2006). Equations: ``soviet_cohesion.mechanisms.republics``.
    """

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def name(self) -> str:
        return self.model.world.republic_names[self.index]

    @property
    def code(self) -> str:
        return self.model.world.republic_codes[self.index]

    @property
    def core(self) -> bool:
        return bool(self.model.world.rep_core[self.index])

    @property
    def status(self) -> str:
        return Status(int(self.model.sim.status[0, self.index])).label

    @property
    def mobilisation(self) -> float:
        """Share of the republic's public mobilised against the centre."""
        return float(self.model.sim.mobilisation[0, self.index])

    @property
    def caution(self) -> float:
        return float(self.model.sim.caution[0, self.index])

    @property
    def sovereignty_value(self) -> float:
        return float(self.model.sim.sovereignty_value[0, self.index])

    @property
    def independence_value(self) -> float:
        return float(self.model.sim.independence_value[0, self.index])

    @property
    def officials(self) -> list[RegionalOfficial]:
        return [o for o in self.model.officials if self.model.world.republic[o.region] == self.index]

    def __repr__(self) -> str:
        return f"<RepublicLeadership {self.code}: {self.status}, mobilisation {self.mobilisation:.2f}>"


class Centre(mesa.Agent):
    """The centre: plans, supplies, audits, punishes, reacts by its doctrine, and holds authority.

    ``authority`` is in [0, 1]; ``reserves`` is the reserve level relative to the starting
    level, capped at 1; ``picture_gap`` is the gap between the official picture and life.
    """

    @property
    def authority(self) -> float:
        return float(self.model.sim.authority[0])

    @authority.setter
    def authority(self, value: float) -> None:
        self.model.sim.authority[0] = float(value)

    @property
    def reserves(self) -> float:
        sim = self.model.sim
        return float(min(max(sim.reserve_stock[0] / sim.initial_reserves[0], 0.0), 1.0))

    @property
    def picture_gap(self) -> float:
        return float(self.model.sim.picture_gap[0])

    @property
    def levers(self) -> dict:
        from .parameters import LEVERS
        return {name: self.model.params[name] for name in LEVERS}

    def __repr__(self) -> str:
        return f"<Centre authority={self.authority:.2f} reserves={self.reserves:.2f}>"
