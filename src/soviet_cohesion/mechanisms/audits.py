"""Audits, punishment and careers: how the centre finds out, and how officials come and go.

audit_and_punish (Epstein-style enforcement; the fiscal loop limits it)::

    members   = regions whose official answers to the centre and has not broken away
    audits    = min(members, round(audit_intensity * members * min(1, reserves / initial reserves)))
    targets   : a share audit_targeting weighted by suspicion = clip(1 - reported / expected, 0, 1),
                expected = capacity * (1 - scarcity * vulnerability) (hidden output looks
                suspicious; padding does not), the rest at random (Efraimidis-Spirakis weighted
                sampling without replacement; members with no weight at all come last)
    found     = audited and misconduct (holding back, or padding above MATERIAL_PADDING of the
                production plan ``target``) and u < detection,
                detection = (1 - DECENTRALISED_DETECTION * decentralisation) * (1 - network_cover * network)
    dismissed = found and u' < replacement_rate * punishment_severity
    an official found but kept is reprimanded: it obeys and remembers the audit (fear = 1, of
    which FEAR_DECAY remains a period later)

careers (stability of cadres and entrenchment; loop_entrenchment)::

    routine turnover : a member official leaves with probability cadre_turnover / steps_per_year
    successors       : a dismissed or departed official is replaced by a new one drawn from the
                       archetypes (``agents/officials.toml``): no network, obeying; the successor
                       of a dismissed official fears audits (fear = 1)
    tenure          += 1 / steps_per_year
    network         += (1 - (1 - network_growth) ** (1 / steps_per_year)) * (1 - network)
                       (0 with loop_entrenchment off)
"""

from __future__ import annotations

import numpy as np

from .. import archetypes
from ..agents import AUTONOMOUS, CENTRE, MANAGING, OBEYING
from ..arrays import clip
from .officials import DECENTRALISED_DETECTION

#: how much of an official's fear after an audit remains a period later
FEAR_DECAY = 0.8
#: padding smaller than this share of the production plan is not worth an auditor's report
MATERIAL_PADDING = 0.02


def audit_and_punish(sim) -> None:
    p = sim.p
    stance = sim.stance
    members = (stance != AUTONOMOUS) & (sim.allegiance == CENTRE)
    n_members = np.add.reduce(members, axis=1)
    fiscal = p.loop_fiscal[:, 0] > 0
    factor = np.where(fiscal, clip(sim.reserve_stock / sim.initial_reserves, 0.0, 1.0), 1.0)
    n_audits = np.minimum(np.rint(sim.audit_intensity * n_members * factor).astype(np.int64), n_members)
    managing = (stance == MANAGING) & members
    sim.fear *= FEAR_DECAY
    sim.last_suspects = np.add.reduce(managing, axis=1)
    sim.last_members = n_members
    sim.last_audits = sim.audits = n_audits
    if n_audits.any():
        u, verdict_draws = _audit_draws(sim, n_audits)
        audited = _whom_to_audit(sim, members, n_members, n_audits, u)
        found, dismissed = _verdicts(sim, audited, managing, n_audits, verdict_draws)
    else:
        audited = found = dismissed = np.zeros(stance.shape, dtype=bool)
    sim.audited = audited
    sim.found = found
    sim.dismissed = dismissed
    sim.detected = np.add.reduce(found, axis=1)
    sim.replaced = np.add.reduce(dismissed, axis=1)
    if sim.detected.any():
        sim.fear[found] = 1.0
        stance[found & managing] = OBEYING
        sim.log_found(dismissed)


def _audit_draws(sim, n_audits):
    """Each auditing run draws, from its own generator, one uniform per region (whom to
    audit), then two per audit (found, dismissed)."""
    runs, regions = sim.stance.shape
    u = np.empty((runs, regions))
    u.fill(0.5)
    verdict_draws = np.empty((runs, 2 * int(n_audits.max())))
    for run in np.flatnonzero(n_audits).tolist():
        gen = sim.gens[run]
        gen.random(out=u[run])
        gen.random(out=verdict_draws[run, :2 * n_audits[run]])
    return u, verdict_draws


def _whom_to_audit(sim, members, n_members, n_audits, u) -> np.ndarray:
    """The ``n_audits`` members of each run with the largest keys ``log(u) / weight``
    (Efraimidis-Spirakis weighted sampling without replacement)."""
    p = sim.p
    expected = np.maximum(sim.potential, 1e-12)  # capacity * (1 - scarcity * vulnerability), from produce
    suspicion = np.divide(sim.reported, expected, out=expected)
    suspicion = clip(np.subtract(1, suspicion, out=suspicion), 0.0, 1.0, out=suspicion)
    suspicion *= members
    total = np.add.reduce(suspicion, axis=1, keepdims=True)
    per_member = np.maximum(n_members, 1)[:, None]
    targeted = np.divide(suspicion, total, out=members / per_member, where=total > 0)
    weight = ((1 - p.audit_targeting) / per_member + p.audit_targeting * targeted) * members
    # members nobody would target come after every targeted one, in the order of their draws;
    # regions outside the centre's reach never
    keys = np.where(members, -1e300 * (2 - u), -np.inf)
    np.divide(np.log(np.maximum(u, 1e-300)), weight, out=keys, where=weight > 0)
    np.negative(keys, out=keys)
    most = int(n_audits.max())
    best = np.argpartition(keys, most - 1, axis=1)[:, :most]  # each run's `most` largest keys, in any order
    if (n_audits % most).any():  # runs with fewer audits take their own largest among those
        rows = np.arange(len(keys))[:, None]
        best = best[rows, keys[rows, best].argsort(axis=1)]
    chosen = np.arange(most) < n_audits[:, None]
    audited = np.zeros(members.shape, dtype=bool)
    audited[np.nonzero(chosen)[0], best[chosen]] = True
    return audited


def _verdicts(sim, audited, managing, n_audits, verdict_draws):
    """found and dismissed among the audited: the k-th audited region of a run (in region
    order) is found when its draw ``k`` is below its detection chance, and dismissed when its
    draw ``n_audits + k`` is below the chance to dismiss."""
    p = sim.p
    runs, regions = np.nonzero(audited)
    k = np.arange(runs.size) - (np.add.accumulate(n_audits) - n_audits)[runs]  # its rank among them
    misconduct = managing[runs, regions] | (sim.padding_claim[runs, regions]
                                            > MATERIAL_PADDING * sim.target[runs, regions])
    detection = ((1 - DECENTRALISED_DETECTION * p.decentralisation[runs, 0])
                 * (1 - p.network_cover[runs, 0] * sim.network[runs, regions]))
    caught = misconduct & (verdict_draws[runs, k] < detection)
    fired = caught & (verdict_draws[runs, n_audits[runs] + k] < (p.replacement_rate * p.punishment_severity)[runs, 0])
    found = np.zeros(audited.shape, dtype=bool)
    dismissed = np.zeros(audited.shape, dtype=bool)
    found[runs[caught], regions[caught]] = True
    dismissed[runs[fired], regions[fired]] = True
    return found, dismissed


def careers(sim) -> None:
    p = sim.p
    replace = sim.dismissed
    moving = p.cadre_turnover[:, 0] > 0
    if moving.any():  # (no run draws when none moves)
        members = (sim.stance != AUTONOMOUS) & (sim.allegiance == CENTRE)
        departs = members & (sim.draw(moving, sim.n_regions, fill=1.0) < p.cadre_turnover / sim.steps_per_year)
        replace = departs | replace  # a dismissed official does not also depart
    if replace.any():
        appoint(sim, replace)
    sim.tenure += 1.0 / sim.steps_per_year
    growth = (1 - (1 - p.network_growth) ** (1.0 / sim.steps_per_year)) * p.loop_entrenchment
    gain = np.subtract(1, sim.network)
    gain *= growth
    sim.network += gain


def appoint(sim, replace: np.ndarray) -> None:
    """New officials where ``replace`` is set, drawn from the archetypes with each run's own
    generator, regions in index order (the draws of ``archetypes.draw_officials``: see
    :class:`Cadres`). A dismissed official's successor fears audits."""
    runs, regions = np.nonzero(replace)
    type_index, traits = sim.cadres.draw(runs, regions, sim.gens)
    sim.type_index[runs, regions] = type_index
    sim.traits[:, runs, regions] = traits
    sim.tenure[runs, regions] = 0.0
    sim.network[runs, regions] = 0.0
    sim.fear[runs, regions] = sim.dismissed[runs, regions]
    sim.stance[runs, regions] = OBEYING
    sim.allegiance[runs, regions] = CENTRE
    sim.appointed_step[runs, regions] = sim.steps
    sim.terms[runs, regions] += 1


class Cadres:
    """What ``archetypes.draw_officials`` works out before it draws, for every region of a world
    at once: each region's cumulative type probabilities (from its cadre identity) and each
    type's trait means, standard deviations and Beta parameters. :meth:`draw` then draws
    successors for many runs with the same numbers ``draw_officials`` would give each run
    (tests/test_fast_paths.py checks it bit for bit), in two generator calls per run."""

    def __init__(self, types, identity: np.ndarray):
        identity = np.asarray(identity, dtype=float)
        base = np.array([t.weight for t in types])
        affinity = np.array([t.identity_affinity for t in types])
        weights = base[None, :] * np.maximum(0.0, 1 + affinity[None, :] * (identity[:, None] - 0.5))
        weights = np.where(weights.sum(axis=1, keepdims=True) > 0, weights, base[None, :])
        weights = weights / weights.sum(axis=1, keepdims=True)
        self.cumulative = np.cumsum(weights, axis=1)
        self.last_type = len(types) - 1
        self.mean = np.array([[t.traits[trait][0] for t in types] for trait in archetypes.TRAITS])
        self.sd = np.array([[t.traits[trait][1] for t in types] for trait in archetypes.TRAITS])
        var = np.maximum(self.sd * self.sd, 1e-12)
        common = self.mean * (1 - self.mean) / var - 1
        self.a = np.maximum(self.mean * common, 1e-3)
        self.b = np.maximum((1 - self.mean) * common, 1e-3)

    def draw(self, runs: np.ndarray, regions: np.ndarray, gens) -> tuple[np.ndarray, np.ndarray]:
        """Type index and traits (traits x officials) for officials in (runs, regions), listed
        run by run: each run draws one uniform per official, then one Beta variate per official
        for each trait in turn, from ``gens[run]``."""
        starts = (np.flatnonzero(runs[1:] != runs[:-1]) + 1).tolist()  # where each run's officials begin
        bounds = list(zip(runs[[0, *starts]].tolist(), [0, *starts], [*starts, runs.size]))
        u = np.empty(runs.size)
        for run, lo, hi in bounds:
            gens[run].random(out=u[lo:hi])
        type_index = np.minimum(np.add.reduce(u[:, None] > self.cumulative[regions], axis=1), self.last_type)
        a, b = self.a[:, type_index], self.b[:, type_index]
        draws = np.empty(a.shape)
        for run, lo, hi in bounds:
            draws[:, lo:hi] = gens[run].beta(a[:, lo:hi], b[:, lo:hi])
        return type_index, np.where(self.sd[:, type_index] > 0, draws, self.mean[:, type_index])
