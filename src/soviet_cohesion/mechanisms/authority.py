"""update_authority: the centre's authority follows its results and how consistently its orders
are carried out, and falls with what openness reveals, with declarations, and with force that
backfires (switch ``loop_legitimacy``: off, authority stays where it started)::

    plan_fulfilment = min(1, sum(delivered to the centre) / sum(owed to the centre))
    results_seen    = (1 - openness) * min(1, reported_fulfilment) + openness * plan_fulfilment
                      (without openness people see the official picture; with it, the truth)
    consistency     = capacity-weighted share of regions obeying
    visible_failure = openness * (mean shortfall + mean unrest) / 2
    target          = RESULTS_WEIGHT * results_seen + (1 - RESULTS_WEIGHT) * consistency - visible_failure
    authority      += authority_rate * (target - authority)
                      - revelation_cost * revealed                      (:mod:`.information`)
                      - declaration_cost * population share declaring this period
                      - BACKFIRE_COST * uses of force that backfired this period
    authority       = clip(authority, 0, 1)
"""

from __future__ import annotations

import numpy as np

from ..agents import OBEYING
from ..arrays import clip, row_mean, total
from .economy import PARTNER_SHARE

#: results (plan fulfilment) and consistency weigh equally in the centre's authority
RESULTS_WEIGHT = 0.5
#: authority lost each time force backfires (a massacre on television: Tbilisi, Baku, Vilnius)
BACKFIRE_COST = 0.05


def update_authority(sim) -> None:
    p = sim.p
    owed = (1 - PARTNER_SHARE) * total(sim.plan)
    sim.plan_fulfilment = np.minimum(1.0, total(sim.delivered) / np.maximum(owed, 1e-12))
    sim.consistency = total((sim.stance == OBEYING) * sim.capacity) / sim.capacity_total
    openness = p.openness[:, 0]
    reported = np.minimum(1.0, total(sim.reported) / np.maximum(total(sim.target), 1e-12))
    seen = (1 - openness) * reported + openness * sim.plan_fulfilment
    visible_failure = openness * (row_mean(sim.shortfall) + row_mean(sim.unrest)) / 2
    target = RESULTS_WEIGHT * seen + (1 - RESULTS_WEIGHT) * sim.consistency - visible_failure
    change = (p.authority_rate[:, 0] * (target - sim.authority)
              - p.revelation_cost[:, 0] * sim.revealed
              - p.declaration_cost[:, 0] * sim.declared_share
              - BACKFIRE_COST * total(sim.backfired))
    sim.authority = clip(sim.authority + p.loop_legitimacy[:, 0] * change, 0.0, 1.0)
