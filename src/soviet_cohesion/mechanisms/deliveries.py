"""deliver_and_report: what each region sends to the centre and to its partner regions, what
it reports, and what its partners will have as inputs next period.

Deliveries (a share ``feasible = min(1, output / plan)`` of the plan can be delivered at all)::

    to the centre     = (1 - PARTNER_SHARE) * plan * feasible * rate
        rate          = 1 obeying, 1 - withholding holding back, 0 autonomous
    to partners       = PARTNER_SHARE * plan * feasible * partner_rate * (1 - REFORM_LEAKAGE * supply_reform)
        partner_rate  = as ``rate``, except: holding back spares partners in the official's own
                        economic council (localism, mestnichestvo: under the sovnarkhozy a
                        council kept its own regions supplied first), and an autonomous region
                        still trades a share 1 - TRADE_CUT with its partners
    received_i        = sum_j supply_weight_ij * feasible_j * partner_rate_j->i
                                              * (1 - REFORM_LEAKAGE * supply_reform)
                        (the share of i's planned inputs that arrived this period: its
                         imports now, its inputs next period; loop_supply_chain off: only the
                         reform's leakage is missing)
    reserves         += (1 - CENTRAL_USE) * sum(to the centre)          (loop_fiscal)

Reports (the official picture; loop_information off: no padding)::

    padding_claim     = padding * (PAD_WITHOUT_NETWORK + (1 - PAD_WITHOUT_NETWORK) * network)
                        * max(0, target - output)            obeying officials only (pripiski)
    hidden            = withholding * output                 officials holding back
    reported          = output + padding_claim - hidden      (an autonomous region sends no
                                                              report: its last target stands)
"""

from __future__ import annotations

import numpy as np

from ..agents import AUTONOMOUS, MANAGING, OBEYING
from ..arrays import clip
from .economy import CENTRAL_USE, PARTNER_SHARE

#: share of planned deliveries to partners sold outside the plan when supply is fully reformed
REFORM_LEAKAGE = 0.1
#: share of its trade with partners an autonomous region stops (the rest goes on, by contract)
TRADE_CUT = 0.5
#: an official with no local network pads half as much as one with a full network
PAD_WITHOUT_NETWORK = 0.5


def deliver_and_report(sim) -> None:
    p = sim.p
    stance = sim.stance
    obeying = stance == OBEYING
    managing = stance == MANAGING
    autonomous = stance == AUTONOMOUS
    feasible = np.minimum(sim.output / sim.plan, 1.0)
    keep = 1 - p.withholding
    rate = np.where(obeying, 1.0, np.where(managing, keep, 0.0))
    sim.delivered = (1 - PARTNER_SHARE) * sim.plan * feasible * rate

    leak = 1 - REFORM_LEAKAGE * p.supply_reform
    traded = np.where(autonomous, 1 - TRADE_CUT, 1.0)
    out_rate = np.where(autonomous, 1 - TRADE_CUT, rate) * feasible * leak
    in_rate = traded * feasible * leak  # localism: the own council is spared
    level = p.economic_councils[:, 0].astype(np.int64)
    own = sim.own_share[level]
    sent_rate = own * in_rate + (1 - own) * out_rate
    sim.sent = PARTNER_SHARE * sim.plan * sent_rate
    delivered_total = np.add.reduce(sim.delivered, axis=1)
    made = delivered_total + np.add.reduce(PARTNER_SHARE * sim.plan * sent_rate / leak, axis=1)
    deliverable = np.add.reduce(sim.plan * feasible, axis=1)
    sim.withheld = clip(1 - made / np.maximum(deliverable, 1e-12), 0.0, 1.0)  # (rounding)
    sim.received = _received(sim, leak, level, in_rate, out_rate)

    information = p.loop_information
    pad = p.padding * (PAD_WITHOUT_NETWORK + (1 - PAD_WITHOUT_NETWORK) * sim.network) * information
    sim.padding_claim = obeying * pad * np.maximum(sim.target - sim.output, 0.0)
    reported = sim.output + sim.padding_claim - managing * p.withholding * sim.output
    sim.reported = np.where(autonomous, sim.target, reported)
    sim.reserve_stock += (p.loop_fiscal[:, 0] > 0) * (1 - CENTRAL_USE) * delivered_total


def _received(sim, leak, level, in_rate, out_rate) -> np.ndarray:
    """``received`` (equation above) for every run: through its council structure's supply links
    with the supply chain on, ``leak`` alone with it off."""
    chain = sim.p.loop_supply_chain[:, 0] > 0
    received = np.empty(in_rate.shape)
    received[:] = leak
    for council in sorted(set(level[chain].tolist())):
        inside, outside = sim.supply[council]
        rows = chain & (level == council)
        if rows.all():
            received = inside.apply(in_rate)
            received += outside.apply(out_rate)
        else:
            received[rows] = inside.apply(in_rate[rows]) + outside.apply(out_rate[rows])
    return np.minimum(received, 1.0, out=received)  # (rounding of the weights)
