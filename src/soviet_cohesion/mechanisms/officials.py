"""decide: every regional official chooses, all at once and on last period's view of the others,
between obeying the centre, holding back (managing its own risk) and breaking away; once its
republic has declared sovereignty it also chooses whom it answers to.

Obey or hold back: Granovetter's (1978) threshold, lowered by the private balance of risks
(Epstein 2002, for officials)::

    risk_of_obeying    = blame * ((crisis_weight + local) * crisis + severity * plan_gap
                                  + local * decentralisation * burden)
        blame          = 1 - responsibility_shared             (0 with loop_responsibility off)
        crisis         = shortfall + (voice_weight * openness + local_accountability) * unrest
        local          = local_weight + network_local * network  (entrenched officials care more
                                                                  for their own networks)
        burden         = min(1, plan / output)                  (under decentralisation what the
                                                                 plan sends away is what the
                                                                 region's council could use)
    audit_probability  = max(1 - exp(-audit_k * audits / (BACKGROUND_SUSPECTS * members
                                                           + suspects)), fear)
                         (suspects = officials holding back at the last audit; held at the
                          start value with loop_enforcement off: no safety in numbers)
    risk_of_disobeying = reach * (risk_aversion * audit_probability * severity * cover
                                  + loyalty * authority)
        reach          = 1 - DECENTRALISED_DETECTION * decentralisation
                         (the centre's presence in the region: under decentralisation the
                          official's day-to-day masters are regional)
        cover          = 1 - network_cover * network, and 0 for an official that takes its
                         orders from a sovereign republic (the centre's auditors no longer
                         reach it)
    peer_share         = visible * ((1 - view) * share of neighbours not obeying
                                    + view * share of all other officials not obeying)
                         view    = VIEW_AT_FULL_OPENNESS * openness  (how much of the country it sees)
                         visible = VISIBLE_WITHOUT_OPENNESS + (1 - VISIBLE_WITHOUT_OPENNESS) * openness
                                   (holding back is hidden in reports: without openness only part
                                    of it shows; Kuran 1991)         (0 with loop_contagion off)
    pressure           = motive_weight * (risk_of_obeying - risk_of_disobeying)
                         + peer_share - peer_threshold
    holds back        <=> pressure >= 0

Breaking away alone (an autonomy's own movement: an ASSR's sovereignty inside its republic)::

    exit_pull = identity_weight * autonomy_share * (OPENNESS_FLOOR + (1 - OPENNESS_FLOOR) * openness)
                                                 * (1 - AUTHORITY_HOLD * authority)
                + ACCOUNTABLE_UNREST * local_accountability * unrest
                + ALONE_CONTAGION * openness * share of regions acting alone (loop_contagion)
                - dependence_weight * DEPENDENCE_HOLD * dependence - LOYALTY_HOLD * loyalty * authority
    acts alone <=> holds back and exit_pull >= autonomy_threshold; it stays alone until its pull
                   falls HYSTERESIS below its threshold

Two masters (only once the region's republic has declared sovereignty)::

    republic_pull = titular_share * mobilisation + REPUBLIC_POWER * (1 - authority)
    centre_pull   = loyalty * authority + dependence_weight * DEPENDENCE_HOLD * dependence
                    + counter_mobilisation * (1 - titular_share) * mobilisation
                    (the republic's minorities fear a nationalising republic: Beissinger 2002)
    follows the republic <=> republic_pull > centre_pull (HYSTERESIS in favour of the present side)

The stance that results: acting alone -> autonomous (allegiance region); following an
independent republic -> autonomous (allegiance republic); otherwise obey or hold back as above,
whether it answers to the centre or to a sovereign republic (the "war of laws" is fought by
officials the centre can no longer audit, not decreed).
"""

from __future__ import annotations

import numpy as np

from ..agents import AUTONOMOUS, CENTRE, INDEPENDENT, MANAGING, OBEYING, REGION, REPUBLIC, SOVEREIGN

#: regions whose reports look doubtful anyway (share of members): the pool audits must sift
BACKGROUND_SUSPECTS = 0.25
#: share of the whole country an official sees, beside its neighbours, at full openness
VIEW_AT_FULL_OPENNESS = 0.5
#: share of the holding back of others an official notices with no openness at all (a
#: neighbour's missing deliveries are felt even when its reports hide them)
VISIBLE_WITHOUT_OPENNESS = 0.5
#: share of the centre's monitoring lost at full decentralisation
DECENTRALISED_DETECTION = 0.5
#: gap between the pull that starts a move (alone, or to the republic) and the one that ends it
HYSTERESIS = 0.15
#: an autonomy's identity pulls a fifth as hard without any openness (samizdat, kitchens)
OPENNESS_FLOOR = 0.2
#: how much a fully authoritative centre damps an autonomy's pull (half)
AUTHORITY_HOLD = 0.5
#: weight of unrest in the pull to act alone where officials answer to local voters
ACCOUNTABLE_UNREST = 0.5
#: weight of others already acting alone in the pull to act alone, at full openness
ALONE_CONTAGION = 0.5
#: weight of dependence and of loyalty in holding an official back from leaving the centre
DEPENDENCE_HOLD = 0.5
LOYALTY_HOLD = 0.5
#: how much of the centre's lost authority a sovereign republic's leadership takes over
REPUBLIC_POWER = 0.5
#: numerical tolerance of the threshold comparison (pressure exactly 0 holds back)
TOLERANCE = 1e-12


def decide(sim) -> None:
    p = sim.p
    authority = sim.authority[:, None]
    blame = (1 - p.responsibility_shared) * p.loop_responsibility
    crisis = sim.shortfall + (p.voice_weight * p.openness + p.local_accountability) * sim.unrest
    local = sim.local_weight + p.network_local * sim.network
    burden = np.minimum(sim.plan / np.maximum(sim.output, 1e-12), 1.0)
    severity = p.punishment_severity
    sim.risk_of_obeying = blame * ((p.crisis_weight + local) * crisis + severity * sim.plan_gap
                                   + local * p.decentralisation * burden)

    suspects = np.where(p.loop_enforcement[:, 0] > 0, sim.last_suspects, sim.suspects_at_start)
    pool = BACKGROUND_SUSPECTS * sim.last_members + suspects
    chance = 1 - np.exp(-p.audit_k * (sim.last_audits / np.maximum(pool, 1e-12))[:, None])
    sim.audit_probability = np.maximum(chance, sim.fear)
    reach = 1 - DECENTRALISED_DETECTION * p.decentralisation
    cover = (1 - p.network_cover * sim.network) * (sim.allegiance != REPUBLIC)
    sim.risk_of_disobeying = reach * (sim.risk_aversion * sim.audit_probability * severity * cover
                                      + sim.loyalty * authority)

    old = sim.stance
    not_obeying = (old != OBEYING).astype(float)
    contagion = p.loop_contagion
    view = VIEW_AT_FULL_OPENNESS * p.openness
    n = not_obeying.shape[1]
    national = (np.add.reduce(not_obeying, axis=1, keepdims=True) - not_obeying) / max(n - 1, 1)  # the others
    visible = VISIBLE_WITHOUT_OPENNESS + (1 - VISIBLE_WITHOUT_OPENNESS) * p.openness
    sim.peer_share = contagion * visible * ((1 - view) * sim.neighbours.apply(not_obeying) + view * national)
    sim.pressure = (p.motive_weight * (sim.risk_of_obeying - sim.risk_of_disobeying)
                    + sim.peer_share - sim.peer_threshold)
    holds_back = sim.pressure >= -TOLERANCE

    # --- breaking away alone
    alone_before = sim.allegiance == REGION
    alone_share = contagion * (np.add.reduce(alone_before, axis=1, keepdims=True) / n)
    expression = (OPENNESS_FLOOR + (1 - OPENNESS_FLOOR) * p.openness) * (1 - AUTHORITY_HOLD * authority)
    sim.exit_pull = (p.identity_weight * sim.autonomy_share * expression
                     + ACCOUNTABLE_UNREST * p.local_accountability * sim.unrest
                     + ALONE_CONTAGION * p.openness * alone_share
                     - p.dependence_weight * DEPENDENCE_HOLD * sim.dependence
                     - LOYALTY_HOLD * sim.loyalty * authority)
    alone = ((alone_before & (sim.exit_pull >= sim.autonomy_threshold - HYSTERESIS))
             | (holds_back & (sim.exit_pull >= sim.autonomy_threshold)))

    # --- two masters, once the republic has declared sovereignty
    status = sim.status[:, sim.republic]
    mobilisation = sim.mobilisation[:, sim.republic]
    sim.republic_pull = sim.titular * mobilisation + REPUBLIC_POWER * (1 - authority)
    sim.centre_pull = (sim.loyalty * authority + p.dependence_weight * DEPENDENCE_HOLD * sim.dependence
                       + p.counter_mobilisation * (1 - sim.titular) * mobilisation)
    lean = HYSTERESIS * (sim.allegiance == REPUBLIC)
    follows = (status >= SOVEREIGN) & (sim.republic_pull + lean > sim.centre_pull) & ~alone

    new = np.where(holds_back, np.int8(MANAGING), np.int8(OBEYING))
    new[(follows & (status == INDEPENDENT)) | alone] = AUTONOMOUS
    allegiance = np.where(alone, np.int8(REGION), np.where(follows, np.int8(REPUBLIC), np.int8(CENTRE)))
    sim.model_stance = new.copy()
    if sim.player_choices:
        _apply_player_choices(sim, new, allegiance, status)
    elif sim.any_played:
        sim.played[:] = False
        sim.any_played = False
    sim.log_stance_changes(old, new, sim.allegiance, allegiance)
    sim.stance = new
    sim.allegiance = allegiance


def _apply_player_choices(sim, new, allegiance, status) -> None:
    """Choices made by people (the classroom) replace their officials' own for this period."""
    sim.played[:] = False
    sim.any_played = True
    for (run, region), choice in sim.player_choices.items():
        choice = int(choice)
        new[run, region] = choice
        sim.played[run, region] = True
        if choice == AUTONOMOUS:
            allegiance[run, region] = REPUBLIC if status[run, region] >= SOVEREIGN else REGION
        elif allegiance[run, region] == REGION or (choice == OBEYING and allegiance[run, region] == REPUBLIC):
            allegiance[run, region] = CENTRE
    sim.player_choices = {}
