"""The model-level indicators, computed for every run at once when a step is recorded.

Cohesion is a composite of three things that are not the same thing, none counted twice::

    cohesion = (obedience + authority + union_share) / 3
        obedience   = capacity-weighted share of regions whose official carries out the plan
                      (whether it answers to the centre or to a sovereign republic that keeps
                      delivering): ``implementation_consistency``
        authority   = the centre's authority (it is believed)
        union_share = population share of regions that have not left the union (no region
                      acting alone, none following an independent republic); a region of a
                      republic that has only declared sovereignty is still in the union

Reported beside it, separately: non-obedience (share of regions not obeying), the population
shares of republics that have declared sovereignty and independence, the gap between the
official picture and life, entrenchment, and the rest below.
"""

from __future__ import annotations

import numpy as np

from .agents import AUTONOMOUS, INDEPENDENT, MANAGING, OBEYING, REGION, SOVEREIGN
from .arrays import clip, row_mean, total, weighted_sum
from .mechanisms.economy import PARTNER_SHARE

#: every indicator, in the order of the indicator table's columns
INDICATORS = (
    "year", "cohesion", "compliance", "non_obedience", "implementation_consistency", "union_share",
    "authority", "output", "plan_fulfilment", "reported_fulfilment", "picture_gap", "reserves",
    "sovereign_share", "independent_share", "sovereign_republics", "independent_republics",
    "dissolved", "autonomous_regions", "managing_regions", "acting_alone", "audits", "detected",
    "replaced", "mean_shortfall", "mean_unrest", "mean_mobilisation", "entrenchment",
    "mean_tenure", "misreporting", "withheld", "force_used", "treaty",
)

#: what each indicator means (for the command line, the docs and the dashboard)
MEANINGS = {
    "year": "calendar year at the end of the period",
    "cohesion": "(implementation_consistency + authority + union_share) / 3",
    "compliance": "share of regions whose official obeys the centre",
    "non_obedience": "share of regions whose official does not obey the centre (1 - compliance)",
    "implementation_consistency": "capacity-weighted share of regions obeying (obedience)",
    "union_share": "population share of regions still in the union (not autonomous)",
    "authority": "the centre's authority, 0..1",
    "output": "the union's output relative to its capacity at the start (true, not reported)",
    "plan_fulfilment": "deliveries to the centre over what the plan asked for it (true)",
    "reported_fulfilment": "reported output over the production plan, capped at 1: the official picture",
    "picture_gap": "gap between the official picture and life not yet revealed (in quarters of output share)",
    "reserves": "the centre's reserves relative to the start, capped at 1",
    "sovereign_share": "population share of republics that have declared sovereignty (or independence)",
    "independent_share": "population share of republics that have declared independence",
    "sovereign_republics": "number of republics that have declared sovereignty (or independence)",
    "independent_republics": "number of republics that have declared independence",
    "dissolved": "1 once a majority of the republics, or the core republic, have declared independence",
    "autonomous_regions": "number of regions no longer delivering to the centre at all",
    "managing_regions": "number of regions holding back (managing risk)",
    "acting_alone": "number of regions whose official acts on its own (allegiance: region)",
    "audits": "regions audited this period",
    "detected": "officials found holding back or padding this period",
    "replaced": "officials dismissed this period",
    "mean_shortfall": "mean shortfall of what regions have against what they need",
    "mean_unrest": "mean local unrest",
    "mean_mobilisation": "population-weighted mobilisation of the republics' publics",
    "entrenchment": "mean local network of the officials in post (hidden erosion)",
    "mean_tenure": "mean years in post of the officials",
    "misreporting": "share of the reported output that was never produced (pripiski)",
    "withheld": "share of the deliveries regions could make that their officials held back",
    "force_used": "republics on which the centre used force this period",
    "treaty": "1 once the centre has offered a new union treaty",
}


def compute(sim) -> np.ndarray:
    """The indicators of every run now, shaped (runs, len(INDICATORS))."""
    stance = sim.stance
    obeying = stance == OBEYING
    autonomous = stance == AUTONOMOUS
    compliance = row_mean(obeying)
    consistency = total(obeying * sim.capacity) / sim.capacity_total
    union_share = np.minimum(1.0, weighted_sum(~autonomous, sim.population))  # (rounding)
    sovereign = sim.status >= SOVEREIGN
    independent = sim.status == INDEPENDENT
    owed = (1 - PARTNER_SHARE) * total(sim.plan)
    output = total(sim.output)
    padded = total(sim.padding_claim)
    values = {
        "year": np.full(sim.n_runs, sim.year),
        "cohesion": (consistency + sim.authority + union_share) / 3,
        "compliance": compliance,
        "non_obedience": 1 - compliance,
        "implementation_consistency": consistency,
        "union_share": union_share,
        "authority": sim.authority,
        "output": output / sim.capacity_total,
        "plan_fulfilment": np.minimum(1.0, total(sim.delivered) / np.maximum(owed, 1e-12)),
        "reported_fulfilment": np.minimum(1.0, total(sim.reported) / np.maximum(total(sim.target), 1e-12)),
        "picture_gap": sim.picture_gap,
        "reserves": clip(sim.reserve_stock / sim.initial_reserves, 0.0, 1.0),
        "sovereign_share": np.minimum(1.0, weighted_sum(sovereign, sim.rep_population)),
        "independent_share": np.minimum(1.0, weighted_sum(independent, sim.rep_population)),
        "sovereign_republics": total(sovereign),
        "independent_republics": total(independent),
        "dissolved": sim.dissolved,
        "autonomous_regions": total(autonomous),
        "managing_regions": total(stance == MANAGING),
        "acting_alone": total(sim.allegiance == REGION),
        "audits": sim.audits,
        "detected": sim.detected,
        "replaced": sim.replaced,
        "mean_shortfall": row_mean(sim.shortfall),
        "mean_unrest": row_mean(sim.unrest),
        "mean_mobilisation": np.minimum(1.0, weighted_sum(sim.mobilisation, sim.rep_population)),
        "entrenchment": row_mean(sim.network),
        "mean_tenure": row_mean(sim.tenure),
        "misreporting": padded / np.maximum(output + padded, 1e-12),
        "withheld": sim.withheld,
        "force_used": total(sim.force),
        "treaty": sim.treaty,
    }
    return np.array([values[name] for name in INDICATORS], dtype=float).T
