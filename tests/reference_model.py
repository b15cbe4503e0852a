"""A per-agent reference implementation of the model's rules, kept beside the tests as an oracle.

:class:`ReferenceModel` runs the schedule of :class:`soviet_cohesion.model.Simulation` the
idiomatic Mesa way, with one Python method per submodel and the rule of each written again
from the docstrings of ``soviet_cohesion.mechanisms`` (never by calling those functions):

* one :class:`ReferenceOfficial` per region decides in its own ``step`` on last period's view
  of the others, then ``advance`` makes every decision public at once; it also runs its
  region's production, deliveries, report and accounts, faces its audits and serves its term;
* one :class:`ReferenceLeadership` per republic: its public mobilises, and in its own ``step``
  its leader weighs declaring sovereignty or independence (``advance`` declares);
* the centre's submodels (events, doctrine reactions, plan, supply, information, audits,
  careers, authority) are plain Python loops over the agents.

No numpy arithmetic over regions: numpy is used only to draw random numbers and to read the
world's arrays. What this file shares with the model is only what both must start from: the
world (``world.ussr`` / ``world.synthetic`` and ``World.draw_capacity``), the officials' traits
(``archetypes.draw_officials``, also for successors), the scenarios and their timelines, the
parameter registry, and the named constants of the mechanism modules.

Random numbers, two ways (``draws=``):

* ``"bulk"`` (default): the reference draws exactly what ``Simulation`` draws from the run's
  generator ``self.rng``, in the same order, and hands each agent its element. Per run, at
  the start: capacity noise (``World.draw_capacity``), the officials
  (``archetypes.draw_officials``), one uniform per region for tenure, one normal per republic
  for the hidden thresholds, one for the leaders' caution. Each period: one uniform per
  republic for force, only when some republic is past the coercion trigger; one uniform per
  region for output shocks, only when ``shock_sd > 0``; when audits happen, one selection key
  per region and then 2m uniforms for the m audited (detection, then dismissal); one uniform
  per region for routine turnover, only when ``cadre_turnover > 0``; then the successors
  (``archetypes.draw_officials``, regions in index order). The indicator tables then match the
  vectorised model's step by step to floating-point tolerance.
* ``"per_agent"``: each agent draws its own numbers from ``model.random`` (Python's generator)
  when it needs them (its tenure, its shock, its detection and dismissal, its departure; a
  public its threshold, a leader its caution), and the centre chooses whom to audit by
  sequential weighted draws without replacement (the distribution of the model's
  Efraimidis-Spirakis keys, by another algorithm). The world, capacity and traits still come
  from ``self.rng``; trajectories differ, and only distributions over many seeds must agree.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

import mesa
import pandas as pd

from soviet_cohesion import archetypes, parameters, scenarios
from soviet_cohesion import world as worlds
from soviet_cohesion.agents import Allegiance, Stance, Status
from soviet_cohesion.indicators import INDICATORS
from soviet_cohesion.mechanisms.audits import FEAR_DECAY, MATERIAL_PADDING
from soviet_cohesion.mechanisms.authority import BACKFIRE_COST, RESULTS_WEIGHT
from soviet_cohesion.mechanisms.deliveries import PAD_WITHOUT_NETWORK, REFORM_LEAKAGE, TRADE_CUT
from soviet_cohesion.mechanisms.doctrine import STATUS_THREAT, SUSPICION_RATE
from soviet_cohesion.mechanisms.economy import (CENTRAL_USE, DEPENDENCE_RATE, INITIAL_STOCK, INPUT_SHARE,
                                                MIN_SUPPLY_RATE,
                                                NEED_MARGIN, PARTNER_SHARE, PLAN_SHARE, RELIEF_RATE, SQRT3,
                                                STOCK_CAP, SUPPLY_LOSS, SUPPLY_SHARE)
from soviet_cohesion.mechanisms.information import (DISILLUSION_KEEP, HIDDEN_HARDSHIP, REVEAL_AT_FULL_OPENNESS,
                                                    REVEAL_BASE)
from soviet_cohesion.mechanisms.officials import (ACCOUNTABLE_UNREST, ALONE_CONTAGION, AUTHORITY_HOLD,
                                                  BACKGROUND_SUSPECTS, DECENTRALISED_DETECTION, DEPENDENCE_HOLD,
                                                  HYSTERESIS, LOYALTY_HOLD, OPENNESS_FLOOR, REPUBLIC_POWER,
                                                  TOLERANCE, VIEW_AT_FULL_OPENNESS, VISIBLE_WITHOUT_OPENNESS)
from soviet_cohesion.mechanisms.republics import (DISILLUSION_WEIGHT, EXTERNAL_WEIGHT, MIN_SOVEREIGN_YEARS,
                                                  MINORITY_SUPPORT, PUBLIC_PRESSURE, SOVEREIGNTY_RISK,
                                                  THRESHOLD_SPREAD)
from soviet_cohesion.mechanisms.timeline import DATE_TOLERANCE
from soviet_cohesion.records import REGION_FIELDS

OBEYING, MANAGING, AUTONOMOUS = Stance.OBEYING, Stance.MANAGING_RISK, Stance.AUTONOMOUS
CENTRE, REPUBLIC, REGION = Allegiance.CENTRE, Allegiance.REPUBLIC, Allegiance.REGION
LOYAL, SOVEREIGN, INDEPENDENT = Status.LOYAL, Status.SOVEREIGN, Status.INDEPENDENT

#: the terms of an official's last decision (kept on file until its next decision)
DECISION_TERMS = ("risk_of_obeying", "risk_of_disobeying", "audit_probability", "peer_share", "pressure",
                  "exit_pull", "republic_pull", "centre_pull")
#: guards against division by zero, as in the model
TINY = 1e-12


def clip(x: float, low: float, high: float) -> float:
    return min(max(x, low), high)


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def shares(values: list[float], among: list[bool]) -> list[float]:
    """``values`` scaled to sum to one; if they are all zero, equal shares ``among``."""
    total = sum(values)
    if total > 0:
        return [v / total for v in values]
    count = sum(among)
    return [(1.0 / max(count, 1) if a else 0.0) for a in among]


# ====================================================================== the regions
class Region:
    """One region: its fixed attributes (from the world), its links, and its economy and mood.

    The region outlives its officials: a successor takes over the same region.
    """

    def __init__(self, index: int, world: worlds.World, capacity: float, model: ReferenceModel):
        self.index = index
        self.name = world.names[index]
        self.republic = int(world.republic[index])
        self.population = float(world.population[index])
        self.capacity = capacity
        self.vulnerability = float(world.vulnerability[index])
        self.titular = float(world.titular_share[index])
        self.autonomy_share = float(world.autonomy_share[index])
        self.memory = float(world.memory[index])
        self.budget_transfer = float(world.rep_budget[self.republic])
        #: identity of the cadres this region's officials are drawn from (archetypes' affinity)
        self.cadre_identity = max(self.titular * float(world.rep_identity[self.republic]), self.autonomy_share)
        self.councils = [int(c[index]) for c in world.councils]  # council id per council structure
        self.neighbours: list[Region] = []  # whom its official sees
        self.sees_everyone = False  # a complete graph: its neighbours are all the other regions
        self.suppliers: list[tuple[Region, float]] = []  # whom it draws its inputs from, with weights
        self.own_share: list[float] = []  # per council structure: share of its partner deliveries kept inside
        # its economy: what it needs, the NEED_MARGIN of what it keeps and receives in the steady
        # state, more where the union budget pays in
        kept = 1 - (1 - PARTNER_SHARE) * PLAN_SHARE + SUPPLY_SHARE
        self.need = NEED_MARGIN * capacity * kept * (1 + self.budget_transfer)
        self.stock = INITIAL_STOCK * self.need
        self.output = capacity
        self.reported = capacity
        self.target = model.params["plan_pressure"] * capacity
        self.plan = PLAN_SHARE * self.target
        self.delivered = (1 - PARTNER_SHARE) * self.plan  # as if it had delivered in full
        self.sent = PARTNER_SHARE * self.plan
        self.received = 1.0
        self.supplies = 0.0
        self.dependence = 0.0
        self.shortfall = 0.0
        self.unrest = 0.0
        self.plan_gap = 0.0
        self.padding_claim = 0.0
        # what it sends its partners this period, per unit of their planned inputs
        self.feasible = 1.0
        self.inside_rate = 1.0  # to partners in its own economic council
        self.outside_rate = 1.0  # to the others


def link_regions(regions: list[Region], world: worlds.World) -> None:
    """Neighbours (whom an official sees) and suppliers (each region draws its inputs from its
    neighbours in proportion to their base capacity), and for each council structure the share
    of a region's deliveries to partners that go to partners in its own council."""
    base = world.base_capacity.tolist()
    if world.complete:
        partners = [[r for r in regions if r is not me] for me in regions]
    else:
        partners = [[] for _ in regions]
        for s, d in zip(world.src.tolist(), world.dst.tolist()):
            partners[s].append(regions[d])
    for me, mine in zip(regions, partners):
        me.neighbours = [] if world.complete else mine
        me.sees_everyone = world.complete
        total = sum(base[r.index] for r in mine)
        me.suppliers = [(r, base[r.index] / total) for r in mine]
    customers = [[] for _ in regions]  # (customer, its weight on me)
    for me in regions:
        for supplier, weight in me.suppliers:
            customers[supplier.index].append((me, weight))
    for me in regions:
        me.own_share = []
        for level in range(len(me.councils)):
            sent = sum(w for _, w in customers[me.index])
            inside = sum(w for c, w in customers[me.index] if c.councils[level] == me.councils[level])
            me.own_share.append(inside / sent if sent > 0 else 0.0)


# ====================================================================== the officials
class ReferenceOfficial(mesa.Agent):
    """The official in charge of one region, deciding for itself (rules: ``mechanisms.officials``).

    Obey or hold back: hold back when pressure = motive_weight * (risk_of_obeying -
    risk_of_disobeying) + peer_share - peer_threshold >= 0. Act alone when holding back and the
    exit pull reaches the autonomy threshold (stay alone until it falls HYSTERESIS below). Once
    the republic has declared sovereignty, follow it when its pull beats the centre's.
    """

    def __init__(self, model: ReferenceModel, region: Region, official_type: str, traits: dict[str, float],
                 predecessor: ReferenceOfficial | None = None, fear: float = 0.0):
        super().__init__(model)
        self.region = region
        self.official_type = official_type
        for trait, value in traits.items():
            setattr(self, trait, value)
        self.fear = fear
        self.stance = self.next_stance = OBEYING
        self.allegiance = self.next_allegiance = CENTRE
        self.tenure = 0.0
        self.network = 0.0
        for term in DECISION_TERMS:  # the last decision on file stays until this official decides
            setattr(self, term, getattr(predecessor, term) if predecessor is not None else 0.0)
        # handed over by the model each period in bulk mode
        self.shock_draw = 0.5
        self.detect_draw = self.dismiss_draw = self.turnover_draw = 1.0
        self.audited = self.found = self.dismissed = self.leaving = False

    @property
    def member(self) -> bool:
        """Answers to the centre and has not broken away (what the centre audits and moves)."""
        return self.stance != AUTONOMOUS and self.allegiance == CENTRE

    @property
    def leadership(self) -> ReferenceLeadership:
        return self.model.leaderships[self.region.republic]

    def _draw(self, handed: float) -> float:
        return self.random.random() if self.model.draws == "per_agent" else handed

    # ------------------------------------------------------------------ produce
    def produce(self) -> None:
        """output = capacity * (1 - scarcity * vulnerability) * (1 - INPUT_SHARE * (1 - received))
        * (1 + shock_sd * sqrt(3) * (2u - 1)); plan_gap = clip(1 - output / target, 0, 1)."""
        r, p = self.region, self.model.params
        output = r.capacity * (1 - p["scarcity"] * r.vulnerability) * (1 - INPUT_SHARE * (1 - r.received))
        if p["shock_sd"] > 0:
            output *= 1 + p["shock_sd"] * SQRT3 * (2 * self._draw(self.shock_draw) - 1)
        r.output = output
        r.plan_gap = clip(1 - output / r.target, 0.0, 1.0)

    # ------------------------------------------------------------------ decide
    def step(self) -> None:
        """Decide, on last period's view of the others (sets ``next_stance`` and ``next_allegiance``)."""
        holds_back = self.weigh_risks()
        alone = self.weigh_acting_alone(holds_back)
        follows = self.weigh_two_masters(alone)
        status = self.leadership.status
        self.next_stance = MANAGING if holds_back else OBEYING
        if alone or (follows and status == INDEPENDENT):
            self.next_stance = AUTONOMOUS
        self.next_allegiance = REGION if alone else REPUBLIC if follows else CENTRE

    def weigh_risks(self) -> bool:
        """risk_of_obeying = blame * ((crisis_weight + local) * crisis + severity * plan_gap
                                     + local * decentralisation * burden)
        audit_probability = max(1 - exp(-audit_k * audits / (BACKGROUND_SUSPECTS * members + suspects)), fear)
        risk_of_disobeying = reach * (risk_aversion * audit_probability * severity * cover + loyalty * authority)
        peer_share = visible * ((1 - view) * neighbours not obeying + view * all others not obeying)
        holds back <=> motive_weight * (risk_of_obeying - risk_of_disobeying) + peer_share - peer_threshold >= 0
        """
        m, r, p = self.model, self.region, self.model.params
        severity = p["punishment_severity"]
        blame = (1 - p["responsibility_shared"]) if p["loop_responsibility"] else 0.0
        crisis = r.shortfall + (p["voice_weight"] * p["openness"] + p["local_accountability"]) * r.unrest
        local = self.local_weight + p["network_local"] * self.network
        burden = min(r.plan / max(r.output, TINY), 1.0)
        self.risk_of_obeying = blame * ((p["crisis_weight"] + local) * crisis + severity * r.plan_gap
                                        + local * p["decentralisation"] * burden)

        suspects = m.last_suspects if p["loop_enforcement"] else m.suspects_at_start
        pool = BACKGROUND_SUSPECTS * m.last_members + suspects
        chance = 1 - math.exp(-p["audit_k"] * (m.last_audits / max(pool, TINY)))
        self.audit_probability = max(chance, self.fear)
        reach = 1 - DECENTRALISED_DETECTION * p["decentralisation"]
        cover = 0.0 if self.allegiance == REPUBLIC else 1 - p["network_cover"] * self.network
        self.risk_of_disobeying = reach * (self.risk_aversion * self.audit_probability * severity * cover
                                           + self.loyalty * m.authority)

        self.peer_share = self.see_peers() if p["loop_contagion"] else 0.0
        self.pressure = (p["motive_weight"] * (self.risk_of_obeying - self.risk_of_disobeying)
                         + self.peer_share - self.peer_threshold)
        return self.pressure >= -TOLERANCE

    def see_peers(self) -> float:
        """visible * ((1 - view) * share of neighbours not obeying + view * share of all other
        officials not obeying), view = VIEW_AT_FULL_OPENNESS * openness."""
        m, p = self.model, self.model.params
        mine = 1 if self.stance != OBEYING else 0
        others = (m.not_obeying_count - mine) / max(len(m.officials) - 1, 1)
        if self.region.sees_everyone:
            neighbours = others
        else:
            seen = [1.0 if m.officials[n.index].stance != OBEYING else 0.0 for n in self.region.neighbours]
            neighbours = sum(seen) / len(seen) if seen else 0.0
        view = VIEW_AT_FULL_OPENNESS * p["openness"]
        visible = VISIBLE_WITHOUT_OPENNESS + (1 - VISIBLE_WITHOUT_OPENNESS) * p["openness"]
        return visible * ((1 - view) * neighbours + view * others)

    def weigh_acting_alone(self, holds_back: bool) -> bool:
        """exit_pull = identity_weight * autonomy_share * (OPENNESS_FLOOR + (1 - OPENNESS_FLOOR) * openness)
                                                       * (1 - AUTHORITY_HOLD * authority)
                      + ACCOUNTABLE_UNREST * local_accountability * unrest
                      + ALONE_CONTAGION * openness * share of regions acting alone
                      - dependence_weight * DEPENDENCE_HOLD * dependence - LOYALTY_HOLD * loyalty * authority
        acts alone <=> (holds back and exit_pull >= autonomy_threshold)
                       or (already alone and exit_pull >= autonomy_threshold - HYSTERESIS)"""
        m, r, p = self.model, self.region, self.model.params
        alone_share = m.alone_count / len(m.officials) if p["loop_contagion"] else 0.0
        expression = (OPENNESS_FLOOR + (1 - OPENNESS_FLOOR) * p["openness"]) * (1 - AUTHORITY_HOLD * m.authority)
        self.exit_pull = (p["identity_weight"] * r.autonomy_share * expression
                          + ACCOUNTABLE_UNREST * p["local_accountability"] * r.unrest
                          + ALONE_CONTAGION * p["openness"] * alone_share
                          - p["dependence_weight"] * DEPENDENCE_HOLD * r.dependence
                          - LOYALTY_HOLD * self.loyalty * m.authority)
        stays = self.allegiance == REGION and self.exit_pull >= self.autonomy_threshold - HYSTERESIS
        leaves = holds_back and self.exit_pull >= self.autonomy_threshold
        return stays or leaves

    def weigh_two_masters(self, alone: bool) -> bool:
        """republic_pull = titular_share * mobilisation + REPUBLIC_POWER * (1 - authority)
        centre_pull = loyalty * authority + dependence_weight * DEPENDENCE_HOLD * dependence
                      + counter_mobilisation * (1 - titular_share) * mobilisation
        follows the republic <=> it has declared sovereignty, the official does not act alone,
        and republic_pull (+ HYSTERESIS if it already follows it) > centre_pull."""
        m, r, p = self.model, self.region, self.model.params
        leadership = self.leadership
        mobilisation = leadership.mobilisation
        self.republic_pull = r.titular * mobilisation + REPUBLIC_POWER * (1 - m.authority)
        self.centre_pull = (self.loyalty * m.authority + p["dependence_weight"] * DEPENDENCE_HOLD * r.dependence
                            + p["counter_mobilisation"] * (1 - r.titular) * mobilisation)
        lean = HYSTERESIS if self.allegiance == REPUBLIC else 0.0
        return leadership.status >= SOVEREIGN and self.republic_pull + lean > self.centre_pull and not alone

    def advance(self) -> None:
        self.stance = self.next_stance
        self.allegiance = self.next_allegiance

    # ------------------------------------------------------------------ deliver and report
    def deliver_and_report(self) -> None:
        """feasible = min(1, output / plan); to the centre (1 - PARTNER_SHARE) * plan * feasible * rate
        (rate 1 obeying, 1 - withholding holding back, 0 autonomous); to partners
        PARTNER_SHARE * plan * feasible * partner_rate * leak (holding back spares the own
        council; an autonomous region still trades 1 - TRADE_CUT). Report output + padding -
        hidden output; an autonomous region sends none (its target stands)."""
        r, p = self.region, self.model.params
        r.feasible = min(r.output / r.plan, 1.0)
        rate = {OBEYING: 1.0, MANAGING: 1 - p["withholding"], AUTONOMOUS: 0.0}[self.stance]
        r.delivered = (1 - PARTNER_SHARE) * r.plan * r.feasible * rate
        leak = 1 - REFORM_LEAKAGE * p["supply_reform"]
        traded = 1 - TRADE_CUT if self.stance == AUTONOMOUS else 1.0
        r.inside_rate = traded * r.feasible * leak  # localism: its own council is spared
        r.outside_rate = (traded if self.stance == AUTONOMOUS else rate) * r.feasible * leak
        own = r.own_share[self.model.council_level]
        r.sent = PARTNER_SHARE * r.plan * (own * r.inside_rate + (1 - own) * r.outside_rate)

        pad = p["padding"] * (PAD_WITHOUT_NETWORK + (1 - PAD_WITHOUT_NETWORK) * self.network)
        pad = pad if p["loop_information"] else 0.0
        r.padding_claim = pad * max(r.target - r.output, 0.0) if self.stance == OBEYING else 0.0
        hidden = p["withholding"] * r.output if self.stance == MANAGING else 0.0
        r.reported = r.target if self.stance == AUTONOMOUS else r.output + r.padding_claim - hidden

    def receive_inputs(self) -> None:
        """received = sum over suppliers j of weight_ij * j's rate towards this region (its
        council's rate if in the same council, else its rate to the others); with
        loop_supply_chain off only the reform's leakage is missing."""
        r, p = self.region, self.model.params
        if not p["loop_supply_chain"]:
            r.received = 1 - REFORM_LEAKAGE * p["supply_reform"]
            return
        level = self.model.council_level
        mine = r.councils[level]
        r.received = sum(w * (s.inside_rate if s.councils[level] == mine else s.outside_rate)
                         for s, w in r.suppliers)

    # ------------------------------------------------------------------ local accounts
    def local_accounts(self) -> None:
        """available = output - delivered - sent + received * PARTNER_SHARE * plan + supplies + stock;
        shortfall = clip((need - available) / need, 0, 1); stock = clip(available - need, 0,
        STOCK_CAP * need); unrest += unrest_rate * (min(1, shortfall * (1 + openness)) - unrest)."""
        r, p = self.region, self.model.params
        imports = PARTNER_SHARE * r.plan * r.received
        available = r.output - r.delivered - r.sent + imports + r.supplies + r.stock
        r.shortfall = clip((r.need - available) / r.need, 0.0, 1.0)
        r.stock = clip(available - r.need, 0.0, STOCK_CAP * r.need)
        grievance = min(r.shortfall * (1 + p["openness"]), 1.0)
        r.unrest += p["unrest_rate"] * (grievance - r.unrest)

    # ------------------------------------------------------------------ audits and careers
    def face_audit(self) -> None:
        """Fear fades (x FEAR_DECAY). Audited with misconduct (holding back, or padding above
        MATERIAL_PADDING of the target), it is found when u < detection = (1 -
        DECENTRALISED_DETECTION * decentralisation) * (1 - network_cover * network), then
        dismissed when u' < replacement_rate * punishment_severity; found, it fears audits
        (fear = 1), and if it was holding back, obeys."""
        p = self.model.params
        self.fear *= FEAR_DECAY
        self.found = self.dismissed = False
        if not self.audited:
            return
        detect, dismiss = self._draw(self.detect_draw), self._draw(self.dismiss_draw)
        managing = self.stance == MANAGING  # audited officials are members
        misconduct = managing or self.region.padding_claim > MATERIAL_PADDING * self.region.target
        detection = (1 - DECENTRALISED_DETECTION * p["decentralisation"]) * (1 - p["network_cover"] * self.network)
        self.found = misconduct and detect < detection
        if not self.found:
            return
        self.dismissed = dismiss < p["replacement_rate"] * p["punishment_severity"]
        self.fear = 1.0
        if managing:
            self.stance = OBEYING

    def consider_leaving(self) -> None:
        """Routine turnover: a member official leaves with probability cadre_turnover / steps_per_year."""
        m, p = self.model, self.model.params
        self.leaving = False
        if self.member and not self.dismissed and p["cadre_turnover"] > 0:
            self.leaving = self._draw(self.turnover_draw) < p["cadre_turnover"] / m.steps_per_year

    def serve(self) -> None:
        """tenure += 1 / steps_per_year; network += (1 - (1 - network_growth) ** (1 / steps_per_year))
        * (1 - network) (loop_entrenchment)."""
        m, p = self.model, self.model.params
        self.tenure += 1.0 / m.steps_per_year
        growth = (1 - (1 - p["network_growth"]) ** (1.0 / m.steps_per_year)) if p["loop_entrenchment"] else 0.0
        self.network += growth * (1 - self.network)


# ====================================================================== the republics
class ReferenceLeadership(mesa.Agent):
    """A republic's public and its leadership (rules: ``mechanisms.republics``).

    The public mobilises towards logistic(x / THRESHOLD_SPREAD); the leader declares
    sovereignty when its value is positive, independence (at least MIN_SOVEREIGN_YEARS later)
    the same way with a higher bar.
    """

    def __init__(self, model: ReferenceModel, index: int, regions: list[Region], threshold_draw: float,
                 caution_draw: float):
        super().__init__(model)
        w, p = model.world, model.params
        self.index = index
        self.code = w.republic_codes[index]
        self.name = w.republic_names[index]
        self.regions = regions
        self.population = sum(r.population for r in regions)
        self.weights = [r.population / self.population for r in regions]  # within the republic
        self.identity = float(w.rep_identity[index])
        self.trade = float(w.rep_trade[index])
        self.core = bool(w.rep_core[index])
        self.memory = self.weighted(r.memory for r in regions)
        self.titular = self.weighted(r.titular for r in regions)  # the titular nationality's share
        if model.draws == "per_agent":
            threshold_draw, caution_draw = self.random.gauss(0.0, 1.0), self.random.gauss(0.0, 1.0)
        self.threshold = p["mobilisation_threshold"] + p["threshold_spread"] * threshold_draw
        self.caution = p["leader_caution"] + p["threshold_spread"] * caution_draw
        self.status = self.next_status = LOYAL
        self.mobilisation = 0.0
        self.memory_revealed = 0.0
        self.grievance = self.sovereignty_value = self.independence_value = 0.0
        self.sovereignty_step = self.independence_step = -1
        self.force = self.backfired = False

    def weighted(self, values) -> float:
        """Population-weighted mean over the republic's regions."""
        return sum(w * v for w, v in zip(self.weights, values))

    def others_share(self, status: Status) -> float:
        """Share of the other republics at ``status`` or beyond (last period's)."""
        others = [rep for rep in self.model.leaderships if rep is not self]
        return sum(1 for rep in others if rep.status >= status) / max(len(others), 1)

    def mobilise(self) -> None:
        """grievance = identity * (memory_weight * memory_revealed + hardship_weight * hardship
                                   + DISILLUSION_WEIGHT * disillusion)
        x = openness * grievance * (1 - coercion_fear * authority * coercion_propensity)
            + [loop_tide] (bandwagon * mobilisation + tide_weight * others sovereign)
            + EXTERNAL_WEIGHT * external_example - threshold
        mobilisation += mobilisation_rate * (logistic(x / THRESHOLD_SPREAD) - mobilisation); then
        force deters (x (1 - deterrence)) below backfire_point, else backfires (+ backfire * (1 - m))."""
        m, p = self.model, self.model.params
        hardship = self.weighted(r.unrest for r in self.regions)
        self.grievance = self.identity * (p["memory_weight"] * self.memory_revealed + p["hardship_weight"] * hardship
                                          + DISILLUSION_WEIGHT * m.disillusion)
        threat = m.authority * p["coercion_propensity"]
        tide = (p["bandwagon"] * self.mobilisation + p["tide_weight"] * self.others_share(SOVEREIGN)) \
            if p["loop_tide"] else 0.0
        x = (p["openness"] * self.grievance * (1 - p["coercion_fear"] * threat) + tide
             + EXTERNAL_WEIGHT * p["external_example"] - self.threshold)
        target = logistic(x / THRESHOLD_SPREAD)
        mobilisation = self.mobilisation + p["mobilisation_rate"] * (target - self.mobilisation)
        self.backfired = self.force and mobilisation >= p["backfire_point"]
        if self.backfired:
            mobilisation += p["backfire"] * (1 - mobilisation)
        elif self.force:
            mobilisation *= 1 - p["deterrence"]
        self.mobilisation = mobilisation

    def step(self) -> None:
        """voice = PUBLIC_PRESSURE + (1 - PUBLIC_PRESSURE) * republic_accountability
        public = mobilisation * (titular + MINORITY_SUPPORT * (1 - titular))
        support = openness * officials_weight * (population-weighted) share of its officials not obeying
                  + voice * public
        cost = budget_weight * dependence + trade_weight * trade + coercion_fear * authority
        sovereignty_value = support + tide * others sovereign + [core] core_rivalry * voice * (1 - authority)
                            - SOVEREIGNTY_RISK * cost - caution
        independence_value = support + tide * others independent - cost - caution - independence_hurdle
                             - treaty * treaty_value * (1 - memory_revealed)
        (tide = tide_weight with loop_tide); declare when the value is positive."""
        m, p = self.model, self.model.params
        officials = [m.officials[r.index] for r in self.regions]
        not_obeying = self.weighted(1.0 if o.stance != OBEYING else 0.0 for o in officials)
        voice = PUBLIC_PRESSURE + (1 - PUBLIC_PRESSURE) * p["republic_accountability"]
        public = self.mobilisation * (self.titular + MINORITY_SUPPORT * (1 - self.titular))
        support = p["openness"] * p["officials_weight"] * not_obeying + voice * public
        dependence = self.weighted(r.dependence for r in self.regions)
        cost = p["budget_weight"] * dependence + p["trade_weight"] * self.trade + p["coercion_fear"] * m.authority
        tide = p["tide_weight"] if p["loop_tide"] else 0.0
        rivalry = p["core_rivalry"] * voice * (1 - m.authority) if self.core else 0.0
        treaty = p["treaty_value"] * (1 - self.memory_revealed) if m.treaty else 0.0
        self.sovereignty_value = (support + tide * self.others_share(SOVEREIGN) + rivalry
                                  - SOVEREIGNTY_RISK * cost - self.caution)
        self.independence_value = (support + tide * self.others_share(INDEPENDENT) - cost - self.caution
                                   - p["independence_hurdle"] - treaty)
        ready = m.steps - self.sovereignty_step >= MIN_SOVEREIGN_YEARS * m.steps_per_year
        self.next_status = self.status
        if self.status == LOYAL and self.sovereignty_value > 0:
            self.next_status = SOVEREIGN
        elif self.status == SOVEREIGN and ready and self.independence_value > 0:
            self.next_status = INDEPENDENT

    def advance(self) -> None:
        if self.next_status == self.status:
            return
        self.status = self.next_status
        if self.status == SOVEREIGN:
            self.sovereignty_step = self.model.steps
        else:
            self.independence_step = self.model.steps
        self.model.declare(self, "sovereignty" if self.status == SOVEREIGN else "independence")


# ====================================================================== the model
class ReferenceModel(mesa.Model):
    """Per-agent reference of :class:`soviet_cohesion.CohesionModel` (same arguments, plus ``draws``)."""

    def __init__(self, scenario: Any = "gorbachev", rng: Any = None, *, world: str | None = None,
                 steps: int | None = None, draws: str = "bulk", **overrides: Any):
        super().__init__(rng=rng)
        if draws not in ("bulk", "per_agent"):
            raise ValueError(f"draws={draws!r} is not allowed: expected 'bulk' or 'per_agent'")
        self.draws = draws
        self.timeline = scenario if isinstance(scenario, scenarios.Scenario) else scenarios.load(scenario)
        overrides = parameters.validate(overrides)
        self.params: dict[str, Any] = parameters.defaults()
        self.params.update(self.timeline.initial_values())
        self.params.update(overrides)
        self.pinned = set(overrides) & set(parameters.DYNAMIC)
        self.skipped_events: list[str] = []
        p = self.params
        self.steps_per_year = p["steps_per_year"]
        self.start_year = self.timeline.start
        self.n_steps = steps if steps is not None else self.timeline.steps(self.steps_per_year)
        self.world_kind = world or self.timeline.world
        self.world = worlds.build(self.world_kind, p)
        self._pending = list(self.timeline.events)
        self._ramps: list[list] = []  # [name, year0, year1, start value, target]

        w, n, k = self.world, self.world.n, self.world.n_republics
        capacity = w.draw_capacity(self.rng).tolist()
        self.regions = [Region(i, w, capacity[i], self) for i in range(n)]
        link_regions(self.regions, w)
        self.official_types = archetypes.load_official_types()
        type_index, traits = archetypes.draw_officials(self.official_types, [r.cadre_identity for r in self.regions],
                                                       self.rng)
        tenure_draws = self.rng.random(n).tolist() if draws == "bulk" else [None] * n
        self.officials: list[ReferenceOfficial] = []
        for i, region in enumerate(self.regions):
            official = ReferenceOfficial(self, region, self.official_types[int(type_index[i])].name,
                                         {t: float(v[i]) for t, v in traits.items()})
            u = self.random.random() if draws == "per_agent" else tenure_draws[i]
            official.tenure = -p["initial_tenure"] * math.log1p(-u)  # exponential, mean initial_tenure
            growth = min(p["network_growth"], 1.0)
            official.network = (1 - (1 - growth) ** official.tenure) if p["loop_entrenchment"] else 0.0
            self.officials.append(official)
        thresholds = self.rng.standard_normal(k).tolist() if draws == "bulk" else [None] * k
        cautions = self.rng.standard_normal(k).tolist() if draws == "bulk" else [None] * k
        members = [[r for r in self.regions if r.republic == j] for j in range(k)]
        self.leaderships = [ReferenceLeadership(self, j, members[j], thresholds[j], cautions[j]) for j in range(k)]

        # the centre
        self.capacity_total = sum(r.capacity for r in self.regions)
        self.authority = p["initial_authority"]
        inflow = (1 - CENTRAL_USE) * (1 - PARTNER_SHARE) * PLAN_SHARE * self.capacity_total
        self.initial_reserves = inflow / max(p["supply_rate"], MIN_SUPPLY_RATE)
        self.reserve_stock = self.initial_reserves
        self.picture_gap = self.disillusion = self.revealed = self.suspicion = 0.0
        self.audit_intensity = p["audit_capacity"]
        self.appeasement_eff = p["appeasement"]
        self.treaty = self.dissolved = False
        self.dissolution_step = -1
        self.audits = self.detected = self.replaced = 0
        self.last_members, self.last_audits = n, round(p["audit_capacity"] * n)
        self.last_suspects = self.suspects_at_start = 0
        self.withheld = self.declared_share = 0.0
        self.declarations_made: list[dict] = []
        # what every official knows of the whole when it decides (the centre's survey)
        self.not_obeying_count = self.alone_count = 0

        self.rows: list[dict] = []
        self.region_rows: list[dict] = []
        self.record()

    # ------------------------------------------------------------------ time
    @property
    def year(self) -> float:
        return self.start_year + self.steps / self.steps_per_year

    @property
    def period_start(self) -> float:
        """The calendar year at which the period now running began."""
        return self.start_year + (self.steps - 1) / self.steps_per_year

    @property
    def council_level(self) -> int:
        """The council structure in force (a phased change of it moves in whole steps)."""
        return int(self.params["economic_councils"])

    @property
    def reference_officials(self) -> mesa.agent.AgentSet:
        return self.agents_by_type[ReferenceOfficial]

    @property
    def reference_leaderships(self) -> mesa.agent.AgentSet:
        return self.agents_by_type[ReferenceLeadership]

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        """One period, in the order of the ODD (as ``Simulation.step``)."""
        officials, leaderships = self.reference_officials, self.reference_leaderships
        self.apply_events()
        self.centre_reacts()
        self.plan_quotas()
        self.supply()
        self.hand_out("shock_draw", self.params["shock_sd"] > 0)
        officials.do("produce")
        self.survey()
        officials.do("step")
        officials.do("advance")
        officials.do("deliver_and_report")
        officials.do("receive_inputs")
        self.collect_deliveries()
        officials.do("local_accounts")
        self.update_official_picture()
        self.audit_and_punish()
        self.careers()
        leaderships.do("mobilise")
        self.declared_share = 0.0
        leaderships.do("step")
        leaderships.do("advance")
        self.check_dissolution()
        self.update_authority()
        if self.steps >= self.n_steps:
            self.running = False
        self.record()

    def run_model(self) -> None:
        while self.running:
            self.step()

    def hand_out(self, name: str, needed: bool) -> None:
        """Bulk mode: one uniform per region from the run's generator, to each official."""
        if self.draws == "bulk" and needed:
            for official, u in zip(self.officials, self.rng.random(len(self.officials)).tolist()):
                setattr(official, name, u)

    # ------------------------------------------------------------------ events
    def apply_events(self) -> None:
        """Events whose date has come set their parameters (pinned ones are skipped); an event
        with ``over`` > 0 moves each value linearly: v0 + min(1, (t - year + 1 / steps_per_year)
        / over) * (target - v0), except a whole-number lever, which changes at once."""
        year = self.period_start
        while self._pending and self._pending[0].year <= year + DATE_TOLERANCE:
            event = self._pending.pop(0)
            for name, target in event.changes.items():
                if name in self.pinned:
                    self.skipped_events.append(f"{event.year:g} {event.label}: {name}")
                    continue
                self._ramps = [r for r in self._ramps if r[0] != name]
                if event.over > 0 and parameters.PARAMETERS[name].kind is not int:
                    self._ramps.append([name, event.year, event.end_year, float(self.params[name]), float(target)])
                else:
                    self.params[name] = target
        still = []
        for name, year0, year1, start, target in self._ramps:
            f = min(1.0, (year - year0 + 1 / self.steps_per_year) / (year1 - year0))
            self.params[name] = start + f * (target - start)
            if f < 1.0:
                still.append([name, year0, year1, start, target])
        self._ramps = still

    # ------------------------------------------------------------------ the centre
    def centre_reacts(self) -> None:
        """suspicion += SUSPICION_RATE * (found / audited last period - suspicion);
        audit_intensity = audit_capacity * (1 + audit_response * suspicion); force on k when
        mobilisation_k + STATUS_THREAT * [sovereign] >= coercion_trigger, k not independent and
        u_k < coercion_propensity * authority; appeasement_eff = min(1, appeasement +
        appeasement_response * mean mobilisation); a treaty once the share of republics
        sovereign reaches treaty_trigger. Loop ``loop_coercion`` off: none of it moves."""
        p = self.params
        on = bool(p["loop_coercion"])
        self.suspicion += SUSPICION_RATE * (self.detected / max(self.audits, 1) - self.suspicion)
        self.audit_intensity = p["audit_capacity"] * (1 + (p["audit_response"] * self.suspicion if on else 0.0))
        candidates = []
        for rep in self.leaderships:
            threat = rep.mobilisation + (STATUS_THREAT if rep.status >= SOVEREIGN else 0.0)
            rep.force = False
            if on and not self.dissolved and threat >= p["coercion_trigger"] and rep.status < INDEPENDENT:
                candidates.append(rep)
        if candidates:
            handed = self.rng.random(len(self.leaderships)).tolist() if self.draws == "bulk" else None
            for rep in candidates:
                u = self.random.random() if handed is None else handed[rep.index]
                rep.force = u < p["coercion_propensity"] * self.authority
        mean_mobilisation = sum(rep.population * rep.mobilisation for rep in self.leaderships)
        response = p["appeasement_response"] * mean_mobilisation if on else 0.0
        self.appeasement_eff = min(1.0, p["appeasement"] + response)
        sovereign = sum(1 for rep in self.leaderships if rep.status >= SOVEREIGN) / len(self.leaderships)
        self.treaty = self.treaty or (on and sovereign >= p["treaty_trigger"])

    def plan_quotas(self) -> None:
        """target = plan_pressure * ((1 - ratchet) * capacity + ratchet * reported); plan = PLAN_SHARE * target."""
        p = self.params
        for r in self.regions:
            r.target = p["plan_pressure"] * ((1 - p["ratchet"]) * r.capacity + p["ratchet"] * r.reported)
            r.plan = PLAN_SHARE * r.target

    def supply(self) -> None:
        """budget = min(1, supply_rate + responsibility_shared * RELIEF_RATE * mean shortfall) * reserves;
        gap = max(0, need - (capacity - plan)) + responsibility_shared * shortfall * need and
        restive = unrest + the republic's mobilisation, over regions still in the union;
        supplies = budget * ((1 - a) * gap share + a * restive share) * (1 - SUPPLY_LOSS * supply_reform);
        dependence += DEPENDENCE_RATE * (min(1, supplies / need) - dependence)."""
        p = self.params
        reserve = self.reserve_stock if p["loop_fiscal"] else self.initial_reserves
        responsible = p["responsibility_shared"]
        mean_shortfall = sum(r.shortfall for r in self.regions) / len(self.regions)
        budget = min(p["supply_rate"] + responsible * RELIEF_RATE * mean_shortfall, 1.0) * reserve
        if p["loop_fiscal"]:
            self.reserve_stock -= budget
        member = [o.stance != AUTONOMOUS for o in self.officials]
        gap = [(max(r.need - (r.capacity - r.plan), 0.0) + responsible * r.shortfall * r.need) if m else 0.0
               for r, m in zip(self.regions, member)]
        share = shares(gap, member)
        a = self.appeasement_eff
        if a > 0:
            restive = [(r.unrest + self.leaderships[r.republic].mobilisation) if m else 0.0
                       for r, m in zip(self.regions, member)]
            share = [(1 - a) * s + a * q for s, q in zip(share, shares(restive, member))]
        for r, s in zip(self.regions, share):
            r.supplies = budget * (1 - SUPPLY_LOSS * p["supply_reform"]) * s
            r.dependence += DEPENDENCE_RATE * (min(r.supplies / r.need, 1.0) - r.dependence)

    def survey(self) -> None:
        """What every official knows of the whole before deciding (last period's stances)."""
        self.not_obeying_count = sum(1 for o in self.officials if o.stance != OBEYING)
        self.alone_count = sum(1 for o in self.officials if o.allegiance == REGION)

    def collect_deliveries(self) -> None:
        """reserves += (1 - CENTRAL_USE) * sum(to the centre) (loop_fiscal); withheld = share of
        the deliveries regions could make (plan * feasible) not made."""
        p = self.params
        if p["loop_fiscal"]:
            self.reserve_stock += (1 - CENTRAL_USE) * sum(r.delivered for r in self.regions)
        leak = 1 - REFORM_LEAKAGE * p["supply_reform"]
        made = sum(r.delivered for r in self.regions) + sum(r.sent / leak for r in self.regions)
        could = sum(r.plan * r.feasible for r in self.regions)
        self.withheld = clip(1 - made / max(could, TINY), 0.0, 1.0)

    def update_official_picture(self) -> None:
        """misreported = sum(padding_claim) / sum(capacity) + HIDDEN_HARDSHIP * (1 - openness) *
        population-weighted shortfall; revealed = (REVEAL_BASE + REVEAL_AT_FULL_OPENNESS *
        openness) * gap; gap += misreported - revealed (loop_information); disillusion =
        DISILLUSION_KEEP * disillusion + (1 - disillusion) * revealed; memory_revealed_k +=
        REVEAL_AT_FULL_OPENNESS * openness * (memory_k - memory_revealed_k)."""
        p = self.params
        openness = p["openness"]
        hardship = sum(r.population * r.shortfall for r in self.regions)
        misreported = (sum(r.padding_claim for r in self.regions) / self.capacity_total
                       + HIDDEN_HARDSHIP * (1 - openness) * hardship)
        if p["loop_information"]:
            self.revealed = (REVEAL_BASE + REVEAL_AT_FULL_OPENNESS * openness) * self.picture_gap
            self.picture_gap += misreported - self.revealed
        else:
            self.revealed = 0.0
        self.disillusion = DISILLUSION_KEEP * self.disillusion + (1 - self.disillusion) * self.revealed
        for rep in self.leaderships:
            rep.memory_revealed += REVEAL_AT_FULL_OPENNESS * openness * (rep.memory - rep.memory_revealed)

    def audit_and_punish(self) -> None:
        """audits = round(audit_intensity * members * min(1, reserves / initial reserves)); the
        audited are drawn without replacement with weights (1 - audit_targeting) / members +
        audit_targeting * suspicion share, suspicion = clip(1 - reported / expected, 0, 1),
        expected = capacity * (1 - scarcity * vulnerability); each audited official then faces
        its audit (``ReferenceOfficial.face_audit``)."""
        p = self.params
        members = [o.member for o in self.officials]
        n_members = sum(members)
        factor = clip(self.reserve_stock / self.initial_reserves, 0.0, 1.0) if p["loop_fiscal"] else 1.0
        n_audits = min(round(self.audit_intensity * n_members * factor), n_members)
        self.last_suspects = sum(1 for o, m in zip(self.officials, members) if m and o.stance == MANAGING)
        self.last_members = n_members
        self.last_audits = self.audits = n_audits
        for o in self.officials:
            o.audited = False
        if n_audits > 0:
            chosen = self.choose_audited(members, n_members, n_audits)
            for o in chosen:
                o.audited = True
        self.reference_officials.do("face_audit")
        self.detected = sum(1 for o in self.officials if o.found)
        self.replaced = sum(1 for o in self.officials if o.dismissed)

    def choose_audited(self, members: list[bool], n_members: int, n: int) -> list[ReferenceOfficial]:
        p = self.params
        suspicion = []
        for r, m in zip(self.regions, members):
            expected = r.capacity * (1 - p["scarcity"] * r.vulnerability)
            suspicion.append(clip(1 - r.reported / max(expected, TINY), 0.0, 1.0) if m else 0.0)
        targeted = shares(suspicion, members)
        t = p["audit_targeting"]
        weights = [((1 - t) / max(n_members, 1) + t * s) if m else 0.0 for s, m in zip(targeted, members)]
        if self.draws == "per_agent":
            chosen = self.sequential_sample(weights, n)
            rest = [i for i, (w, m) in enumerate(zip(weights, members)) if m and w <= 0]
            self.random.shuffle(rest)  # members nobody would target come last, in random order
            return [self.officials[i] for i in chosen + rest[:n - len(chosen)]]
        # Efraimidis-Spirakis: the n largest log(u) / weight (members with no weight last, in the
        # order of their draws; non-members never), then 2n uniforms (detection, dismissal)
        keys = [(math.log(max(u, 1e-300)) / w if w > 0 else (-1e300 * (2 - u) if m else -math.inf))
                for u, w, m in zip(self.rng.random(len(weights)).tolist(), weights, members)]
        chosen = sorted(sorted(range(len(keys)), key=keys.__getitem__, reverse=True)[:n])
        draws = self.rng.random(2 * n).tolist()
        for k, i in enumerate(chosen):
            self.officials[i].detect_draw, self.officials[i].dismiss_draw = draws[k], draws[n + k]
        return [self.officials[i] for i in chosen]

    def sequential_sample(self, weights: list[float], k: int) -> list[int]:
        """k indices drawn one at a time with probability proportional to weight, without replacement."""
        positive = [i for i, w in enumerate(weights) if w > 0]
        chosen = []
        while positive and len(chosen) < k:
            cumulative, total = [], 0.0
            for i in positive:
                total += weights[i]
                cumulative.append(total)
            j = min(bisect.bisect_right(cumulative, self.random.random() * total), len(positive) - 1)
            chosen.append(positive.pop(j))
        return chosen

    def careers(self) -> None:
        """Dismissed officials and member officials who move on (``consider_leaving``) are
        replaced by new ones drawn from the archetypes (regions in index order): no network,
        obeying, answering to the centre; a dismissed official's successor fears audits.
        Then every official serves another period (``serve``)."""
        self.hand_out("turnover_draw", self.params["cadre_turnover"] > 0)
        self.reference_officials.do("consider_leaving")
        leaving = [o for o in self.officials if o.dismissed or o.leaving]
        if leaving:
            type_index, traits = archetypes.draw_officials(
                self.official_types, [o.region.cadre_identity for o in leaving], self.rng)
            for k, old in enumerate(leaving):
                new = ReferenceOfficial(self, old.region, self.official_types[int(type_index[k])].name,
                                        {t: float(v[k]) for t, v in traits.items()}, predecessor=old,
                                        fear=1.0 if old.dismissed else 0.0)
                old.remove()
                self.officials[old.region.index] = new
        self.reference_officials.do("serve")

    def declare(self, leadership: ReferenceLeadership, kind: str) -> None:
        """A leadership has declared: record it, and count its population in this period's declarations."""
        self.declarations_made.append({"republic": leadership.code, "name": leadership.name, "declaration": kind,
                                       "year": self.period_start, "step": self.steps})
        self.declared_share += leadership.population

    def check_dissolution(self) -> None:
        """The union has dissolved once a majority of the republics, or the core republic, have
        declared independence."""
        independent = [rep for rep in self.leaderships if rep.status == INDEPENDENT]
        if not self.dissolved and (len(independent) >= len(self.leaderships) // 2 + 1
                                   or any(rep.core for rep in independent)):
            self.dissolved = True
            self.dissolution_step = self.steps

    def update_authority(self) -> None:
        """plan_fulfilment = min(1, delivered to the centre / owed to it); results_seen =
        (1 - openness) * reported_fulfilment + openness * plan_fulfilment; consistency =
        capacity-weighted share obeying; visible_failure = openness * (mean shortfall + mean
        unrest) / 2; authority += authority_rate * (RESULTS_WEIGHT * results_seen + (1 -
        RESULTS_WEIGHT) * consistency - visible_failure - authority) - revelation_cost * revealed
        - declaration_cost * share declaring - BACKFIRE_COST * force that backfired
        (loop_legitimacy), kept in [0, 1]."""
        p = self.params
        n = len(self.regions)
        self.plan_fulfilment = self.true_fulfilment()
        self.consistency = self.obedience()
        openness = p["openness"]
        seen = (1 - openness) * self.reported_fulfilment() + openness * self.plan_fulfilment
        mean_shortfall = sum(r.shortfall for r in self.regions) / n
        mean_unrest = sum(r.unrest for r in self.regions) / n
        visible_failure = openness * (mean_shortfall + mean_unrest) / 2
        target = RESULTS_WEIGHT * seen + (1 - RESULTS_WEIGHT) * self.consistency - visible_failure
        backfired = sum(1 for rep in self.leaderships if rep.backfired)
        change = (p["authority_rate"] * (target - self.authority) - p["revelation_cost"] * self.revealed
                  - p["declaration_cost"] * self.declared_share - BACKFIRE_COST * backfired)
        if p["loop_legitimacy"]:
            self.authority = clip(self.authority + change, 0.0, 1.0)

    # ------------------------------------------------------------------ indicators
    def true_fulfilment(self) -> float:
        owed = (1 - PARTNER_SHARE) * sum(r.plan for r in self.regions)
        return min(1.0, sum(r.delivered for r in self.regions) / max(owed, TINY))

    def reported_fulfilment(self) -> float:
        return min(1.0, sum(r.reported for r in self.regions) / max(sum(r.target for r in self.regions), TINY))

    def obedience(self) -> float:
        """Capacity-weighted share of regions whose official obeys."""
        return sum(o.region.capacity for o in self.officials if o.stance == OBEYING) / self.capacity_total

    def indicators_now(self) -> dict[str, float]:
        """The indicators (``soviet_cohesion.indicators``), from the agents."""
        officials, n = self.officials, len(self.officials)
        count = lambda test: sum(1 for o in officials if test(o))  # noqa: E731
        union_share = min(1.0, sum(o.region.population for o in officials if o.stance != AUTONOMOUS))
        consistency = self.obedience()
        sovereign = [rep for rep in self.leaderships if rep.status >= SOVEREIGN]
        independent = [rep for rep in self.leaderships if rep.status == INDEPENDENT]
        output = sum(r.output for r in self.regions)
        padded = sum(r.padding_claim for r in self.regions)
        compliance = count(lambda o: o.stance == OBEYING) / n
        return {
            "year": self.year,
            "cohesion": (consistency + self.authority + union_share) / 3,
            "compliance": compliance,
            "non_obedience": 1 - compliance,
            "implementation_consistency": consistency,
            "union_share": union_share,
            "authority": self.authority,
            "output": output / self.capacity_total,
            "plan_fulfilment": self.true_fulfilment(),
            "reported_fulfilment": self.reported_fulfilment(),
            "picture_gap": self.picture_gap,
            "reserves": clip(self.reserve_stock / self.initial_reserves, 0.0, 1.0),
            "sovereign_share": min(1.0, sum(rep.population for rep in sovereign)),
            "independent_share": min(1.0, sum(rep.population for rep in independent)),
            "sovereign_republics": len(sovereign),
            "independent_republics": len(independent),
            "dissolved": self.dissolved,
            "autonomous_regions": count(lambda o: o.stance == AUTONOMOUS),
            "managing_regions": count(lambda o: o.stance == MANAGING),
            "acting_alone": count(lambda o: o.allegiance == REGION),
            "audits": self.audits,
            "detected": self.detected,
            "replaced": self.replaced,
            "mean_shortfall": sum(r.shortfall for r in self.regions) / n,
            "mean_unrest": sum(r.unrest for r in self.regions) / n,
            "mean_mobilisation": min(1.0, sum(rep.population * rep.mobilisation for rep in self.leaderships)),
            "entrenchment": sum(o.network for o in officials) / n,
            "mean_tenure": sum(o.tenure for o in officials) / n,
            "misreporting": padded / max(output + padded, TINY),
            "withheld": self.withheld,
            "force_used": sum(1 for rep in self.leaderships if rep.force),
            "treaty": self.treaty,
        }

    # ------------------------------------------------------------------ records
    def record(self) -> None:
        p = self.params
        if self.steps % p["collect_every"] and self.running:
            return
        values = self.indicators_now()
        missing = [name for name in INDICATORS if name not in values]
        if missing:
            raise NotImplementedError(f"the reference does not compute the indicator(s) {', '.join(missing)}")
        self.rows.append({"Step": self.steps, **{name: values[name] for name in INDICATORS}})
        if p["collect_regions"]:
            for o in self.officials:
                r = o.region
                row = {"Step": self.steps, "year": self.year, "region": r.name,
                       "republic": self.world.republic_names[r.republic],
                       "stance": o.stance.label, "allegiance": o.allegiance.label}
                for f in REGION_FIELDS:
                    row[f] = getattr(o, f) if hasattr(o, f) else getattr(r, f)
                self.region_rows.append(row)

    def indicators(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows).set_index("Step")

    def region_records(self) -> pd.DataFrame:
        return pd.DataFrame(self.region_rows)

    def declarations(self) -> pd.DataFrame:
        return pd.DataFrame(self.declarations_made, columns=["republic", "name", "declaration", "year", "step"])
