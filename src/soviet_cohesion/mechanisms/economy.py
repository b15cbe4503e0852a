"""The planned economy: plans, the centre's supplies, production, and what a region has left.

plan_quotas (the ratchet; Berliner 1957, Weitzman 1980)::

    target = plan_pressure * ((1 - ratchet) * capacity + ratchet * reported)
    plan   = PLAN_SHARE * target          (deliveries owed: to the centre and to partner regions)

supply (the centre's reserves back to the regions; switch ``loop_fiscal``)::

    budget      = min(1, supply_rate + responsibility_shared * RELIEF_RATE * mean shortfall) * reserves
                  (reserves held at the start level when the loop is off; a centre that has taken
                   on the responsibility for local crises answers them from its reserves)
    gap         = max(0, need - (capacity - plan)) + responsibility_shared * shortfall * need
                                                                  over regions still in the union
    restive     = unrest + mobilisation of the region's republic  over regions still in the union
    supplies    = budget * ((1 - a) * gap / sum(gap) + a * restive / sum(restive))
                         * (1 - SUPPLY_LOSS * supply_reform),      a = appeasement_eff
                  (a sum of zero gives equal shares to the regions still in the union)
    dependence += DEPENDENCE_RATE * (min(1, supplies / need) - dependence)

produce (the supply chain: inputs come from partner regions; switch ``loop_supply_chain``)::

    output   = capacity * (1 - scarcity * vulnerability) * (1 - INPUT_SHARE * (1 - received))
                        * (1 + shock_sd * sqrt(3) * (2u - 1))
    plan_gap = clip(1 - output / target, 0, 1)                    (the production plan missed)

``received`` is the share of planned partner deliveries that arrived in the last period's
deliveries (:mod:`.deliveries`): it limits this period's output. The shock is uniform with
standard deviation ``shock_sd``.

local_accounts (hardship and unrest; partner deliveries are both what a region's enterprises
work with and what its shops sell, so holding them back is a prisoner's dilemma: each region
keeps what it withholds, and all lose what the others withhold: Solnick 1998's bank run)::

    available = output - delivered - sent to partners + received * PARTNER_SHARE * plan
                + supplies + stock
    shortfall = clip((need - available) / need, 0, 1)
    stock     = clip(available - need, 0, STOCK_CAP * need)
    unrest   += unrest_rate * (min(1, shortfall * (1 + openness)) - unrest)
               (glasnost lets hardship be voiced)
"""

from __future__ import annotations

import numpy as np

from ..agents import AUTONOMOUS
from ..arrays import clip, row_mean

#: share of a region's planned output it must deliver (to the centre and to partner regions)
PLAN_SHARE = 0.35
#: share of planned deliveries that go to partner regions as inputs; the rest go to the centre
#: (inter-republic deliveries were about a fifth of output in 1988, the all-union budget
#: about a quarter: the two channels were of similar size)
PARTNER_SHARE = 0.4
#: share of what the centre receives that it uses itself (defence, investment, the apparatus)
CENTRAL_USE = 0.5
#: what a region needs, relative to what it keeps and receives in a normal year (a 10% margin)
NEED_MARGIN = 0.9
#: local stocks are capped at this many periods of need
STOCK_CAP = 0.5
#: a region's stock at the start, in periods of need
INITIAL_STOCK = 0.2
#: share of a region's output that depends on inputs delivered by partner regions (Soviet
#: enterprises were specialised suppliers of one another: broken links, not lost capacity,
#: drove the output collapse of 1990-92; Blanchard and Kremer 1997, "Disorganization")
INPUT_SHARE = 0.5
#: share of the centre's supplies lost on the way when the supply system is fully reformed
SUPPLY_LOSS = 0.2
#: extra share of its reserves a centre fully responsible for local crises releases per period,
#: per unit of mean shortfall (a 10% shortfall releases another 10% of the reserves)
RELIEF_RATE = 1.0
#: how fast dependence follows what the centre supplies (a year to close most of the gap)
DEPENDENCE_RATE = 0.2
#: below this supply rate the steady-state reserves are computed as if it were this (a centre that
#: supplies almost nothing would otherwise start with almost infinite reserves)
MIN_SUPPLY_RATE = 0.05
#: sqrt(3): a uniform variate on [-1, 1] times this has standard deviation 1
SQRT3 = float(np.sqrt(3.0))
#: share of output the centre sends back as supplies in the steady state with all obeying
SUPPLY_SHARE = (1 - CENTRAL_USE) * (1 - PARTNER_SHARE) * PLAN_SHARE


def initial_need(capacity: np.ndarray, budget_transfer: np.ndarray) -> np.ndarray:
    """What each region needs per period: NEED_MARGIN of what it keeps and receives in the
    steady state (it sends to partners what it receives from them), more where the union
    budget pays in (budget_transfer > 0)."""
    kept = 1 - (1 - PARTNER_SHARE) * PLAN_SHARE + SUPPLY_SHARE
    return NEED_MARGIN * capacity * kept * (1 + budget_transfer)


def initial_reserves(capacity: np.ndarray, supply_rate: np.ndarray) -> np.ndarray:
    """The reserves at which supply() and deliver_and_report() balance with all obeying."""
    inflow = (1 - CENTRAL_USE) * (1 - PARTNER_SHARE) * PLAN_SHARE * capacity.sum(axis=1)
    return inflow / np.maximum(supply_rate, MIN_SUPPLY_RATE)


def plan_quotas(sim) -> None:
    p = sim.p
    sim.target = p.plan_pressure * ((1 - p.ratchet) * sim.capacity + p.ratchet * sim.reported)
    sim.plan = PLAN_SHARE * sim.target


def supply(sim) -> None:
    p = sim.p
    fiscal = p.loop_fiscal[:, 0] > 0
    reserve = np.where(fiscal, sim.reserve_stock, sim.initial_reserves)
    responsible = p.responsibility_shared
    rate = p.supply_rate[:, 0] + responsible[:, 0] * RELIEF_RATE * row_mean(sim.shortfall)
    budget = np.minimum(rate, 1.0) * reserve
    sim.reserve_stock -= fiscal * budget
    member = sim.stance != AUTONOMOUS
    gap = (np.maximum(sim.need - (sim.capacity - sim.plan), 0.0) + responsible * sim.shortfall * sim.need) * member
    shares = _row_shares(gap, member)
    a = sim.appeasement_eff[:, None]
    if (a > 0).any():
        restive = (sim.unrest + sim.mobilisation[:, sim.republic]) * member
        shares = (1 - a) * shares + a * _row_shares(restive, member)
    sim.supplies = (budget * (1 - SUPPLY_LOSS * p.supply_reform[:, 0]))[:, None] * shares
    got = np.minimum(sim.supplies / sim.need, 1.0)
    sim.dependence += DEPENDENCE_RATE * (got - sim.dependence)


def produce(sim) -> None:
    p = sim.p
    sim.potential = sim.capacity * (1 - p.scarcity * sim.vulnerability)  # what the audits expect, too
    output = sim.potential * (1 - INPUT_SHARE * (1 - sim.received))
    shocked = p.shock_sd[:, 0] > 0
    if shocked.any():
        shock = sim.draw(shocked, sim.n_regions, fill=0.5)  # 1 + shock_sd * SQRT3 * (2u - 1), in place:
        shock *= 2
        shock -= 1
        shock *= p.shock_sd * SQRT3
        shock += 1
        output *= shock
    sim.output = output
    plan_gap = np.divide(output, sim.target)
    sim.plan_gap = clip(np.subtract(1, plan_gap, out=plan_gap), 0.0, 1.0, out=plan_gap)


def local_accounts(sim) -> None:
    p = sim.p
    imports = PARTNER_SHARE * sim.plan * sim.received
    available = sim.output - sim.delivered  # - sent + imports + supplies + stock, in place:
    available -= sim.sent
    available += imports
    available += sim.supplies
    available += sim.stock
    sim.shortfall = clip((sim.need - available) / sim.need, 0.0, 1.0)
    sim.stock = clip(available - sim.need, 0.0, STOCK_CAP * sim.need)
    grievance = np.minimum(sim.shortfall * (1 + p.openness), 1.0)
    sim.unrest += p.unrest_rate * (grievance - sim.unrest)


def _row_shares(x: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Each row of ``x`` scaled to sum to one; an all-zero row gets equal shares ``among``."""
    total = np.add.reduce(x, axis=1, keepdims=True)
    if (total > 0).all():
        return x / total
    equal = among / np.maximum(np.add.reduce(among, axis=1, keepdims=True), 1)
    return np.where(total > 0, x / np.where(total > 0, total, 1.0), equal)
