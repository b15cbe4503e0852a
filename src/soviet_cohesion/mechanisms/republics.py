"""The republics: their publics mobilise, and their leaders declare sovereignty and independence.

mobilise (Kuran 1991: hidden thresholds, a tipping cascade; Beissinger 2002: the tide)::

    grievance_k = identity_k * (memory_weight * memory_revealed_k + hardship_weight * hardship_k
                                + DISILLUSION_WEIGHT * disillusion)
                  (identity makes a grievance national; hardship_k = population-weighted unrest)
    x_k         = openness * grievance_k * (1 - coercion_fear * authority * coercion_propensity)
                  + bandwagon * mobilisation_k + tide_weight * share of other republics sovereign
                  + EXTERNAL_WEIGHT * external_example - threshold_k
                  (bandwagon and tide with loop_tide only)
    mobilisation_k += mobilisation_rate * (logistic(x_k / THRESHOLD_SPREAD) - mobilisation_k)

``threshold_k`` is hidden: each run draws each republic's from N(mobilisation_threshold,
threshold_spread), so that the same inputs can tip sooner or later (and the order of the
republics is not fixed by their attributes alone). Force used on k (:mod:`.doctrine`) then::

    mobilisation_k *= 1 - deterrence                       if mobilisation_k < backfire_point
    mobilisation_k += backfire * (1 - mobilisation_k)      otherwise (it backfired)

leaders_decide (Giuliano 2006: after contested elections a leader answers to its voters;
Hale 2004: the core's leaders compete with the centre; Treisman 1999: dependence is a cost)::

    voice_k    = PUBLIC_PRESSURE + (1 - PUBLIC_PRESSURE) * republic_accountability
    public_k   = mobilisation_k * (titular_k + MINORITY_SUPPORT * (1 - titular_k))
                 (the republic's minorities join a national movement only in part)
    support_k  = openness * officials_weight * population-weighted share of its regions' officials
                 not obeying the plan (holding back or autonomous)
                 + voice_k * public_k
                 (its apparatus' defection becomes a leader's political asset only where it can
                  be said in public)
    cost_k     = budget_weight * dependence_k + trade_weight * trade_k + coercion_fear * authority
                 (the centre's authority is what a leader defies: the party's discipline, the
                  army, the purse)
                 (dependence_k: population-weighted share of its regions' needs the centre's
                  supplies have covered lately (smoothed, :mod:`.economy`), so it falls when the
                  centre can no longer pay; trade_k:
                  the subsidy at world prices it would lose, Tarr 1993)
    sovereignty_value_k  = support_k + tide_weight * share of other republics sovereign
                           + [k is the core] * core_rivalry * voice_k * (1 - authority)
                           - SOVEREIGNTY_RISK * cost_k - caution_k
                           (the core's leaders, once they answer to voters, compete with the
                            centre for its powers: that is sovereignty, not leaving)
    independence_value_k = support_k + tide_weight * share of other republics independent
                           - cost_k - caution_k - independence_hurdle
                           - treaty * treaty_value * (1 - memory_revealed_k)
                           (a new union treaty satisfies publics without a state of their own
                            to remember)
    declares sovereignty  <=> loyal and sovereignty_value_k > 0
    declares independence <=> sovereign for at least MIN_SOVEREIGN_YEARS and independence_value_k > 0

``caution_k`` is the leader's own threshold, drawn per run from N(leader_caution,
threshold_spread). Declarations are not withdrawn. The union has dissolved once a majority of
the republics, or the core republic, have declared independence.
"""

from __future__ import annotations

import numpy as np

from ..agents import INDEPENDENT, LOYAL, OBEYING, SOVEREIGN
from ..arrays import weighted_sum

#: disillusion (the revealed gap between the official picture and life) counts half as much as
#: hardship of the same size: it is learnt, not lived
DISILLUSION_WEIGHT = 0.5
#: spread of the individual thresholds inside one public (the logistic's scale)
THRESHOLD_SPREAD = 0.1
#: weight of revolutions abroad in lowering every public's threshold, at external_example = 1
EXTERNAL_WEIGHT = 0.3
#: share of its public's mobilisation a leader appointed from Moscow already feels
PUBLIC_PRESSURE = 0.5
#: share of the costs of leaving that a declaration of sovereignty puts at risk (independence
#: gives them all up)
SOVEREIGNTY_RISK = 0.5
#: share of the support a republic's mobilised public gives that its minorities give too (in the
#: Baltic referendums of 1991 a part of the Russians voted for independence)
MINORITY_SUPPORT = 0.3
#: a republic declares independence at least this long after its sovereignty
MIN_SOVEREIGN_YEARS = 0.5


def mobilise(sim) -> None:
    p = sim.p
    hardship = sim.by_republic(sim.unrest)
    grievance = sim.rep_identity * (p.memory_weight * sim.memory_revealed + p.hardship_weight * hardship
                                    + DISILLUSION_WEIGHT * sim.disillusion[:, None])
    threat = sim.authority[:, None] * p.coercion_propensity
    tide = p.loop_tide
    sovereign = sim.status >= SOVEREIGN
    others_sovereign = (np.add.reduce(sovereign, axis=1, keepdims=True) - sovereign) / max(sim.n_republics - 1, 1)
    x = (p.openness * grievance * (1 - p.coercion_fear * threat)
         + tide * (p.bandwagon * sim.mobilisation + p.tide_weight * others_sovereign)
         + EXTERNAL_WEIGHT * p.external_example - sim.threshold)
    target = 1.0 / (1.0 + np.exp(-x / THRESHOLD_SPREAD))
    m = sim.mobilisation + p.mobilisation_rate * (target - sim.mobilisation)
    force = sim.force
    sim.backfired = force & (m >= p.backfire_point)
    if force.any():
        m = np.where(force, np.where(sim.backfired, m + p.backfire * (1 - m), m * (1 - p.deterrence)), m)
    sim.mobilisation = m
    sim.grievance = grievance


def leaders_decide(sim) -> None:
    p = sim.p
    authority = sim.authority[:, None]
    not_obeying = sim.by_republic(sim.stance != OBEYING)
    voice = PUBLIC_PRESSURE + (1 - PUBLIC_PRESSURE) * p.republic_accountability
    public = sim.mobilisation * (sim.rep_titular + MINORITY_SUPPORT * (1 - sim.rep_titular))
    support = p.openness * p.officials_weight * not_obeying + voice * public
    dependence = sim.by_republic(sim.dependence)
    cost = p.budget_weight * dependence + p.trade_weight * sim.rep_trade + p.coercion_fear * authority
    status = sim.status
    k = max(sim.n_republics - 1, 1)
    tide = p.loop_tide * p.tide_weight
    sovereign = status >= SOVEREIGN
    independent = status == INDEPENDENT
    others_sovereign = (np.add.reduce(sovereign, axis=1, keepdims=True) - sovereign) / k
    others_independent = (np.add.reduce(independent, axis=1, keepdims=True) - independent) / k
    rivalry = sim.rep_core * p.core_rivalry * voice * (1 - authority)
    sim.sovereignty_value = support + tide * others_sovereign + rivalry - SOVEREIGNTY_RISK * cost - sim.caution
    sim.independence_value = (support + tide * others_independent - cost - sim.caution - p.independence_hurdle
                              - sim.treaty[:, None] * p.treaty_value * (1 - sim.memory_revealed))
    declares_sovereignty = (status == LOYAL) & (sim.sovereignty_value > 0)
    ready = (sim.steps - sim.sovereignty_step) >= MIN_SOVEREIGN_YEARS * sim.steps_per_year
    declares_independence = (status == SOVEREIGN) & ready & (sim.independence_value > 0)
    sim.declared_share = np.zeros(sim.n_runs)
    if declares_sovereignty.any() or declares_independence.any():
        _declare(sim, declares_sovereignty, declares_independence)


def _declare(sim, sovereignty: np.ndarray, independence: np.ndarray) -> None:
    sim.status[sovereignty] = SOVEREIGN
    sim.sovereignty_step[sovereignty] = sim.steps
    sim.status[independence] = INDEPENDENT
    sim.independence_step[independence] = sim.steps
    sim.declared_share = weighted_sum(sovereignty | independence, sim.rep_population)
    for run, k in zip(*np.nonzero(sovereignty)):
        sim.record_declaration(run, k, "sovereignty")
    for run, k in zip(*np.nonzero(independence)):
        sim.record_declaration(run, k, "independence")
    majority = sim.n_republics // 2 + 1
    independent = sim.status == INDEPENDENT
    now = (~sim.dissolved) & ((independent.sum(axis=1) >= majority) | (independent & sim.rep_core).any(axis=1))
    if now.any():
        sim.dissolved |= now
        sim.dissolution_step[now] = sim.steps
        for run in np.flatnonzero(now):
            sim.log([run], "dissolution", "The union dissolves: most republics have left it")
