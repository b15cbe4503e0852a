"""The agents: one :class:`RegionalOfficial` per region and one :class:`Centre`.

The agents are the model's public surface: read (and set) an official's traits and
state through its attributes, exactly as with any Mesa agent. Behind them, the model
keeps every attribute of every official in one numpy array, so that a period's
arithmetic runs once over all regions instead of once per agent (see ``model.py``).
"""

from __future__ import annotations

from enum import IntEnum

import mesa


class Stance(IntEnum):
    """What an official does this period."""

    OBEYING = 0  #: delivers the plan and reports truthfully
    MANAGING_RISK = 1  #: withholds, under-reports, looks after the region first
    AUTONOMOUS = 2  #: openly answers to the region, no longer to the centre

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").lower()


def _array_attribute(array_name: str, doc: str, cast=float):
    """An attribute stored at this official's region in the model's array ``array_name``."""

    def fget(self):
        return cast(getattr(self.model, array_name)[self.region])

    def fset(self, value):
        getattr(self.model, array_name)[self.region] = value

    return property(fget, fset, doc=doc)


class RegionalOfficial(mesa.Agent):
    """The official in charge of one region (obkom / sovnarkhoz level).

    Rule, each period: stop obeying when the share of visible peers who no longer obey
    reaches the official's threshold, lowered by how much riskier obeying has become than
    disobeying::

        peer_share >= peer_threshold - motive_weight * (risk_of_obeying - risk_of_disobeying)

    An official who stops obeying and whose pull towards autonomy passes its autonomy
    threshold turns openly autonomous (it can do so in the same period). The equations live
    in ``model.py`` (``decide``).

    Traits (drawn at appointment from the official's type in ``agents/officials.toml``):
        risk_aversion: fear of audit and punishment (Epstein's risk aversion).
        loyalty: intrinsic cost of disobeying, scaled by the centre's authority.
        local_weight: weight on the region's welfare against the plan.
        peer_threshold: share of visible peers who must defect first (Granovetter).
        autonomy_threshold: pull needed before breaking away openly.
    State:
        stance: a :class:`Stance`.
        appointed_year: when this official took office.
    """

    risk_aversion = _array_attribute("risk_aversion", "fear of audit and punishment, in [0, 1]")
    loyalty = _array_attribute("loyalty", "intrinsic cost of disobeying, in [0, 1]")
    local_weight = _array_attribute("local_weight", "weight on local welfare, in [0, 1]")
    peer_threshold = _array_attribute("peer_threshold", "peer share needed to follow, in [0, 1]")
    autonomy_threshold = _array_attribute("autonomy_threshold", "pull needed to break away")

    def __init__(self, model, region: int, official_type: str):
        super().__init__(model)
        self.region = region
        self.official_type = official_type
        self.appointed_year = model.year

    @property
    def stance(self) -> Stance:
        return Stance(int(self.model.stance[self.region]))

    @stance.setter
    def stance(self, value: Stance) -> None:
        self.model.stance[self.region] = int(value)

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


class Centre(mesa.Agent):
    """The centre: issues plans, sends supplies, audits, punishes, and holds authority.

    Its state (authority, reserves) and its levers live on the model; this agent is the
    readable face of them. ``centre.authority`` is in [0, 1]; ``centre.reserves`` is
    the reserve level relative to the starting level, capped at 1.
    """

    @property
    def authority(self) -> float:
        return float(self.model.authority)

    @authority.setter
    def authority(self, value: float) -> None:
        self.model.authority = float(value)

    @property
    def reserves(self) -> float:
        return float(self.model.reserves)

    @property
    def levers(self) -> dict:
        from .parameters import LEVERS
        return {name: self.model.params[name] for name in LEVERS}

    def __repr__(self) -> str:
        return f"<Centre authority={self.authority:.2f} reserves={self.reserves:.2f}>"
