"""centre_reacts: the centre's reactive levers come from its doctrine (``agents/centre.toml``),
applied to what it can see: its audits' findings, the mobilisation of the republics and their
declarations, its own authority. Scenario events never set these reactions; they set the
doctrine's parameters and the policy levers the reactions start from.

    suspicion      += SUSPICION_RATE * (findings - suspicion)
                      findings = officials caught / regions audited, last period
    audit_intensity = audit_capacity * (1 + audit_response * suspicion)
    threat_k        = mobilisation_k + STATUS_THREAT * [k has declared sovereignty]
    force on k      <=> threat_k >= coercion_trigger and k not independent, the union not dissolved
                        and u_k < coercion_propensity * authority        (one uniform per republic)
    appeasement_eff = min(1, appeasement + appeasement_response * population-weighted mean
                      mobilisation)                                       (Treisman 1999)
    treaty          = on for good once the share of republics that have declared sovereignty
                      reaches treaty_trigger (the new union treaty, 1990-91)

Switch: ``loop_coercion``. Off, nothing here moves: audit_intensity = audit_capacity, no
force, appeasement_eff = appeasement, no treaty. What force does to a movement (deter or
backfire) is in :mod:`.republics`; what it costs the centre, in :mod:`.authority`.
"""

from __future__ import annotations

import numpy as np

from ..agents import INDEPENDENT, SOVEREIGN
from ..arrays import row_mean, weighted_sum

#: how fast the centre's suspicion follows its audits' findings (a year's half-life at quarters)
SUSPICION_RATE = 0.16
#: how much more threatening a republic that has declared sovereignty looks than its
#: mobilisation alone (a declaration is a challenge the centre cannot ignore)
STATUS_THREAT = 0.3


def centre_reacts(sim) -> None:
    p = sim.p
    on = p.loop_coercion[:, 0] > 0
    findings = sim.detected / np.maximum(sim.audits, 1)
    sim.suspicion += SUSPICION_RATE * (findings - sim.suspicion)
    sim.audit_intensity = p.audit_capacity[:, 0] * (1 + on * p.audit_response[:, 0] * sim.suspicion)

    status = sim.status
    threat = sim.mobilisation + STATUS_THREAT * (status >= SOVEREIGN)
    candidates = (threat >= p.coercion_trigger) & (status < INDEPENDENT) & (on & ~sim.dissolved)[:, None]
    u = sim.draw(candidates.any(axis=1), sim.n_republics, fill=1.0)
    sim.force = candidates & (u < p.coercion_propensity * sim.authority[:, None])
    mean_mobilisation = weighted_sum(sim.mobilisation, sim.rep_population)
    sim.appeasement_eff = np.minimum(1.0, p.appeasement[:, 0] + on * p.appeasement_response[:, 0] * mean_mobilisation)
    sovereign_share = row_mean(status >= SOVEREIGN)
    sim.treaty |= on & (sovereign_share >= p.treaty_trigger[:, 0])
