"""update_official_picture: what the centre knows of output is what is reported and what its
audits find (it sees hardship, unrest and mobilisation only as anyone can: in the streets). The
gap between the official picture and what people live through is a state variable:
padded reports (pripiski) and hardship the official picture does not show build it up;
openness reveals it, and what is revealed costs the centre authority (:mod:`.authority`) and
feeds the publics' grievance (:mod:`.republics`): "the centre can no longer explain reality"
(Kuran 1991; Gregory and Harrison 2005)::

    misreported = sum(padding_claim) / sum(capacity)
                  + HIDDEN_HARDSHIP * (1 - openness) * population-weighted shortfall
    revealed    = (REVEAL_BASE + REVEAL_AT_FULL_OPENNESS * openness) * gap
    gap        += misreported - revealed                           (loop_information)
    disillusion = DISILLUSION_KEEP * disillusion + (1 - disillusion) * revealed      (in [0, 1])

Suppressed history is revealed the same way, republic by republic (not a feedback loop: it is
what openness does to the past)::

    memory_revealed_k += REVEAL_AT_FULL_OPENNESS * openness * (memory_k - memory_revealed_k)

``memory_k`` is the republic's population-weighted national memory: interwar statehood and
incorporation in 1939-45 (``world.memory``), which the official history denied.
"""

from __future__ import annotations

from ..arrays import total, weighted_sum

#: share of the gap that leaks out per period with no openness at all (rumour, foreign radio:
#: a half-life of about eight years at quarterly steps)
REVEAL_BASE = 0.02
#: share of the gap (and of suppressed memory) revealed per period at full openness
REVEAL_AT_FULL_OPENNESS = 0.3
#: weight of unreported hardship in the gap, per unit of population-weighted shortfall
HIDDEN_HARDSHIP = 1.0
#: share of what people learnt that they still hold against the centre a period later
DISILLUSION_KEEP = 0.95


def update_official_picture(sim) -> None:
    p = sim.p
    openness = p.openness[:, 0]
    information = p.loop_information[:, 0]
    hardship = weighted_sum(sim.shortfall, sim.population)
    misreported = total(sim.padding_claim) / sim.capacity_total + HIDDEN_HARDSHIP * (1 - openness) * hardship
    sim.revealed = (REVEAL_BASE + REVEAL_AT_FULL_OPENNESS * openness) * sim.picture_gap * information
    sim.picture_gap += information * misreported - sim.revealed
    sim.disillusion = DISILLUSION_KEEP * sim.disillusion + (1 - sim.disillusion) * sim.revealed
    sim.memory_revealed += REVEAL_AT_FULL_OPENNESS * p.openness * (sim.rep_memory - sim.memory_revealed)
