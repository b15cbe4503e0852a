"""A per-agent reference implementation of the model's rules, kept beside the tests as an oracle.

:class:`ReferenceModel` runs the same submodels as :class:`soviet_cohesion.CohesionModel`, in
the same order, the idiomatic Mesa way: each :class:`ReferenceOfficial` makes its own decision
in Python in its own ``step`` (``agents_by_type[ReferenceOfficial].do("step")``, then
``do("advance")``: every official decides on last period's view, as in the model), runs its
region's production, deliveries, report and local accounts, and takes the outcome of an audit;
the centre's submodels (plan, supply, choosing whom to audit, authority) are plain Python loops
over the officials. Nothing here uses numpy arithmetic over regions.

What it shares with the model is only what both must start from: the world
(``world.ussr`` / ``world.synthetic``), the officials' traits (``archetypes.draw_officials``,
also for successors), the scenario timelines and the parameter registry. The rules are
written again, from the docstrings of ``model.py``.

Random numbers, two ways (``draws=``):

* ``"bulk"`` (default): the model draws the same arrays from ``self.rng`` in the same order
  as the vectorised model (one normal per region for the output shocks; three uniforms per
  region for the audit: selection keys, detection, replacement) and hands each official its
  element. On the same seed the indicator tables then match the vectorised model's step by
  step, to floating-point tolerance.
* ``"per_agent"``: each official draws its own numbers from ``model.random`` when it needs
  them (Python's generator), and the centre chooses whom to audit by sequential weighted
  draws without replacement (the same distribution as the model's Efraimidis-Spirakis keys,
  by a different algorithm). World and traits are still the same on the same seed; the
  trajectories differ, and only the distributions of outcomes over many seeds must agree.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

import mesa
import pandas as pd

from soviet_cohesion import archetypes, parameters, scenarios
from soviet_cohesion import world as worlds
from soviet_cohesion.agents import Stance
from soviet_cohesion.model import (AUTONOMY_HYSTERESIS, BACKGROUND_SUSPECTS, CENTRAL_USE, FEAR_DECAY,
                                   INDICATORS, NEED_SHARE, PLAN_SHARE, REGION_FIELDS, STOCK_CAP)

OBEYING, MANAGING, AUTONOMOUS = Stance.OBEYING, Stance.MANAGING_RISK, Stance.AUTONOMOUS

#: the terms of an official's last decision (what the model keeps per region for the "why")
DECISION_TERMS = ("risk_of_obeying", "risk_of_disobeying", "audit_probability", "peer_share",
                  "pressure", "exit_pull")


def clip(x: float, low: float, high: float) -> float:
    return min(max(x, low), high)


def normalise(values: list[float], among: list[bool] | None = None) -> list[float]:
    """``values`` scaled to sum to one; if all are zero, equal shares among ``among`` (or all)."""
    total = sum(values)
    if total > 0:
        return [v / total for v in values]
    among = [True] * len(values) if among is None else among
    count = sum(among)
    return [(1.0 / count if a else 0.0) for a in among] if count else [0.0] * len(values)


class Region:
    """One region's fixed attributes (from the world) and its economy and mood (plain Python).

    The region outlives its officials: a successor takes over the same region.
    """

    def __init__(self, index: int, world: worlds.World):
        self.index = index
        self.name = world.names[index]
        self.republic = int(world.republic[index])
        self.capacity = float(world.capacity[index])
        self.identity = float(world.identity[index])
        self.transfer = float(world.transfer[index])
        self.vulnerability = float(world.vulnerability[index])
        self.population = float(world.population[index])
        self.neighbours: list[int] = []  # filled by the model (indices, in the world's edge order)
        self.need = NEED_SHARE * self.capacity * (1 - PLAN_SHARE * CENTRAL_USE) * (1 + self.transfer)
        self.stock = 0.2 * self.need
        self.shortfall = 0.0
        self.unrest = 0.0
        self.plan = PLAN_SHARE * self.capacity
        self.reported = self.capacity
        self.output = self.capacity
        self.delivered = self.plan
        self.supplies = 0.0
        self.dependence = clip(2 * self.transfer + 0.3, 0.0, 1.0)
        self.plan_gap = 0.0


class ReferenceOfficial(mesa.Agent):
    """The official in charge of one region, deciding for itself.

    Rule: stop obeying when pressure = motive_weight * (risk_of_obeying - risk_of_disobeying)
    + peer_share - peer_threshold >= 0; a non-obeying official whose exit pull reaches its
    autonomy threshold turns autonomous, and stays so until the pull falls AUTONOMY_HYSTERESIS
    below it (then it manages risk, or obeys if its pressure is negative). The terms are those
    of ``CohesionModel.decide``'s docstring.
    """

    def __init__(self, model: ReferenceModel, region: Region, official_type: str, traits: dict[str, float],
                 predecessor: ReferenceOfficial | None = None):
        super().__init__(model)
        self.region = region
        self.official_type = official_type
        for trait, value in traits.items():
            setattr(self, trait, value)
        self.stance = OBEYING
        self.next_stance = OBEYING
        if predecessor is None:
            self.fear = 0.0
            for term in DECISION_TERMS:
                setattr(self, term, 0.0)
        else:  # the successor remembers the audit; the last decision on file stays until it decides
            self.fear = predecessor.fear
            for term in DECISION_TERMS:
                setattr(self, term, getattr(predecessor, term))
        # handed over by the model each period
        self.shock = 0.0
        self.audited = False
        self.detect_draw = 1.0
        self.replace_draw = 1.0

    # ------------------------------------------------------------------ produce
    def produce(self) -> None:
        """output = capacity * (1 - scarcity * vulnerability) * (1 - disruption) * exp(shock_sd * z)."""
        m, r = self.model, self.region
        p = m.params
        z = self.model.random.gauss(0.0, 1.0) if m.draws == "per_agent" else self.shock
        shock = math.exp(p["shock_sd"] * z)
        disruption = 0.3 * p["supply_reform"] * (1 - m.implementation_consistency)
        r.output = r.capacity * (1 - p["scarcity"] * r.vulnerability) * (1 - disruption) * shock
        r.plan_gap = clip(1 - r.output / max(r.plan, 1e-12), 0.0, 1.0)

    # ------------------------------------------------------------------ decide
    def step(self) -> None:
        """Weigh obeying against managing risk, on last period's view (sets ``next_stance``)."""
        m, r = self.model, self.region
        p = m.params
        severity = p["punishment_severity"]
        blame = 1 - p["responsibility_shared"]
        voiced = 0.5 * p["openness"] + p["local_accountability"]
        crisis = (r.shortfall + voiced * r.unrest) if p["loop_responsibility"] else 0.0
        burden = clip(r.plan / max(r.output, 1e-12), 0.0, 1.0)
        self.risk_of_obeying = blame * ((0.5 + self.local_weight) * crisis + severity * r.plan_gap
                                        + self.local_weight * p["decentralisation"] * burden)

        self.audit_probability = max(m.audit_chance, self.fear)
        detection = 1 - 0.5 * p["decentralisation"]
        self.risk_of_disobeying = (self.risk_aversion * self.audit_probability * detection * severity
                                   + self.loyalty * m.authority * detection)

        if p["loop_contagion"]:
            mine = 1.0 if self.stance != OBEYING else 0.0
            if m.world.complete:
                local_share = (m.not_obeying_count - mine) / max(len(m.officials) - 1, 1)
            else:
                seen = [1.0 if m.officials[j].stance != OBEYING else 0.0 for j in r.neighbours]
                local_share = sum(seen) / max(len(seen), 1)
            view = 0.5 * p["openness"]
            self.peer_share = (1 - view) * local_share + view * m.national_share
        else:
            self.peer_share = 0.0
        self.pressure = (p["motive_weight"] * (self.risk_of_obeying - self.risk_of_disobeying)
                         + self.peer_share - self.peer_threshold)
        defect = self.pressure >= -1e-12

        autonomous = self.stance == AUTONOMOUS
        autonomous_share = m.autonomous_share if p["loop_contagion"] else 0.0
        self.exit_pull = (p["identity_weight"] * r.identity * (0.2 + 0.8 * p["openness"]) * (1 - 0.5 * m.authority)
                          + 0.5 * p["local_accountability"] * r.unrest
                          + 0.5 * p["openness"] * autonomous_share
                          - p["dependence_weight"] * 0.5 * r.dependence
                          - 0.5 * self.loyalty * m.authority)
        stays = autonomous and self.exit_pull >= self.autonomy_threshold - AUTONOMY_HYSTERESIS
        leaves = defect and self.exit_pull >= self.autonomy_threshold
        if stays or leaves:
            self.next_stance = AUTONOMOUS
        elif defect:
            self.next_stance = MANAGING
        else:
            self.next_stance = OBEYING

    def advance(self) -> None:
        self.stance = self.next_stance

    # ------------------------------------------------------------------ deliver and report
    def deliver_and_report(self) -> None:
        """Obeying: report output, deliver min(plan, output). Managing: report (1 - withholding)
        * output, deliver (1 - withholding) * min(plan, output). Autonomous: deliver nothing,
        no report (the plan is carried over as its report)."""
        r = self.region
        kept_back = 1 - self.model.params["withholding"] if self.stance == MANAGING else 1.0
        if self.stance == AUTONOMOUS:
            r.delivered = 0.0
            r.reported = r.plan
        else:
            r.reported = kept_back * r.output
            r.delivered = kept_back * min(r.plan, r.output)

    # ------------------------------------------------------------------ local accounts
    def local_accounts(self) -> None:
        """available = output - delivered + supplies + stock; shortfall and stock follow; unrest
        moves towards grievance = shortfall * (1 + openness) + 0.5 * openness * identity * (1 - dependence)."""
        r = self.region
        p = self.model.params
        available = r.output - r.delivered + r.supplies + r.stock
        r.shortfall = clip((r.need - available) / r.need, 0.0, 1.0)
        r.stock = clip(available - r.need, 0.0, STOCK_CAP * r.need)
        grievance = r.shortfall * (1 + p["openness"]) + 0.5 * p["openness"] * r.identity * (1 - r.dependence)
        target = min(grievance, 1.0)
        r.unrest = clip(r.unrest + p["unrest_rate"] * (target - r.unrest), 0.0, 1.0)

    # ------------------------------------------------------------------ audit outcome
    def face_audit(self) -> str | None:
        """Fear fades; an audited risk-managing official is detected with probability
        1 - 0.5 * decentralisation and then replaced with probability replacement_rate *
        punishment_severity, else punished (obeys, fears audits). Returns "replaced",
        "detected" or None."""
        m = self.model
        p = m.params
        if m.draws == "per_agent":
            self.detect_draw = self.model.random.random()
            self.replace_draw = self.model.random.random()
        self.fear *= FEAR_DECAY
        if not (self.audited and self.stance == MANAGING):
            return None
        if not self.detect_draw < 1 - 0.5 * p["decentralisation"]:
            return None
        self.fear = 1.0
        self.stance = OBEYING
        if self.replace_draw < p["replacement_rate"] * p["punishment_severity"]:
            return "replaced"
        return "detected"


class ReferenceModel(mesa.Model):
    """Per-agent reference of :class:`soviet_cohesion.CohesionModel` (same arguments, plus ``draws``)."""

    def __init__(self, scenario: str = "gorbachev", rng: Any = None, *, world: str | None = None,
                 steps: int | None = None, draws: str = "bulk", **overrides: Any):
        super().__init__(rng=rng)
        if draws not in ("bulk", "per_agent"):
            raise ValueError(f"draws={draws!r}: expected 'bulk' or 'per_agent'")
        self.draws = draws
        self.timeline = scenarios.load(scenario)
        self.params: dict[str, Any] = parameters.defaults()
        self.params.update(self.timeline.initial_values())
        overrides = parameters.validate(overrides)
        self.params.update(overrides)
        self.pinned = set(overrides) & set(parameters.DYNAMIC)
        self.world_kind = world or self.timeline.world
        p = self.params
        self.steps_per_year = p["steps_per_year"]
        self.start_year = self.timeline.start
        self.n_steps = steps if steps is not None else self.timeline.steps(self.steps_per_year)

        if self.world_kind == "ussr":
            self.world = worlds.ussr(self.rng)
        else:
            self.world = worlds.synthetic(p["n_regions"], p["topology"], p["n_republics"], self.rng)
        w = self.world
        self.regions = [Region(i, w) for i in range(w.n)]
        if not w.complete:
            for s, d in zip(w.src.tolist(), w.dst.tolist()):
                self.regions[s].neighbours.append(d)

        self.official_types = archetypes.load_official_types()
        type_index, traits = archetypes.draw_officials(self.official_types, w.identity, self.rng)
        self.officials: list[ReferenceOfficial] = [
            ReferenceOfficial(self, region, self.official_types[int(type_index[i])].name,
                              {t: float(v[i]) for t, v in traits.items()})
            for i, region in enumerate(self.regions)]

        # the centre
        total_capacity = sum(r.capacity for r in self.regions)
        # the steady state of supply and deliveries with every region obeying
        self.initial_reserves = (1 - CENTRAL_USE) * PLAN_SHARE * total_capacity / max(p["supply_rate"], 0.05)
        self.reserve_stock = self.initial_reserves
        self.authority = p["initial_authority"]
        self.audits = self.detected = self.replaced = 0
        self.plan_fulfilment = 1.0
        self.implementation_consistency = 1.0
        self._suspects_at_start = 0
        self._last_audits = round(p["audit_capacity"] * w.n)
        self._last_suspects = 0
        # what every official sees of the whole when deciding (set by the centre each period)
        self.audit_chance = 0.0
        self.national_share = 0.0
        self.autonomous_share = 0.0
        self.not_obeying_count = 0

        self._pending = list(self.timeline.events)
        self._ramps: list[tuple[str, float, float, float, float]] = []
        self.rows: list[dict] = []
        self.region_rows: list[dict] = []
        self._update_indicators()
        self.record()

    @property
    def year(self) -> float:
        return self.start_year + self.steps / self.steps_per_year

    @property
    def reference_officials(self) -> mesa.agent.AgentSet:
        return self.agents_by_type[ReferenceOfficial]

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        officials = self.reference_officials
        self.apply_events()
        self.plan_quotas()
        self.supply()
        if self.draws == "bulk":
            for official, z in zip(self.officials, self.rng.standard_normal(len(self.officials)).tolist()):
                official.shock = z
        officials.do("produce")
        self.broadcast_view()
        officials.do("step")
        officials.do("advance")
        officials.do("deliver_and_report")
        if self.params["loop_fiscal"]:
            self.reserve_stock += (1 - CENTRAL_USE) * sum(r.delivered for r in self.regions)
        officials.do("local_accounts")
        self.audit_and_punish()
        self.update_authority()
        self._update_indicators()
        if self.steps >= self.n_steps:
            self.running = False
        self.record()

    def run_model(self) -> None:
        while self.running:
            self.step()

    # ------------------------------------------------------------------ the centre
    def apply_events(self) -> None:
        year = self.start_year + (self.steps - 1) / self.steps_per_year
        while self._pending and self._pending[0].year <= year + 1e-9:
            event = self._pending.pop(0)
            for name, target in event.changes.items():
                if name in self.pinned:
                    continue
                self._ramps = [r for r in self._ramps if r[0] != name]
                if event.over > 0:
                    self._ramps.append((name, event.year, event.end_year, float(self.params[name]), target))
                else:
                    self.params[name] = target
        still = []
        for name, y0, y1, v0, v1 in self._ramps:
            f = min(1.0, (year - y0 + 1 / self.steps_per_year) / (y1 - y0))
            self.params[name] = v0 + f * (v1 - v0)
            if f < 1.0:
                still.append((name, y0, y1, v0, v1))
        self._ramps = still

    def plan_quotas(self) -> None:
        """plan = plan_pressure * PLAN_SHARE * ((1 - ratchet) * capacity + ratchet * reported)."""
        p = self.params
        for r in self.regions:
            base = (1 - p["ratchet"]) * r.capacity + p["ratchet"] * r.reported
            r.plan = p["plan_pressure"] * PLAN_SHARE * base

    def supply(self) -> None:
        p = self.params
        reserve = self.reserve_stock if p["loop_fiscal"] else self.initial_reserves
        budget = p["supply_rate"] * reserve
        if p["loop_fiscal"]:
            self.reserve_stock -= budget
        gaps, restive = [], []
        for official in self.officials:
            r = official.region
            member = official.stance != AUTONOMOUS
            gaps.append(max(r.need - (r.capacity - r.plan), 0.0) if member else 0.0)
            restive.append(r.unrest * r.identity if member else 0.0)
        members = [o.stance != AUTONOMOUS for o in self.officials]
        shares = normalise(gaps, members)
        if p["appeasement"] > 0 and sum(restive) > 0:
            shares = [(1 - p["appeasement"]) * s + p["appeasement"] * q
                      for s, q in zip(shares, normalise(restive, members))]
        for r, share in zip(self.regions, shares):
            r.supplies = budget * share * (1 - 0.5 * p["supply_reform"])
            got = r.supplies / r.need if r.need > 0 else 0.0
            r.dependence = 0.8 * r.dependence + 0.2 * clip(got + 2 * r.transfer, 0.0, 1.0)

    def broadcast_view(self) -> None:
        """What every official knows of the whole before deciding: the audit chance (Epstein),
        the national share not obeying, the share autonomous."""
        p = self.params
        n = len(self.officials)
        suspects = self._last_suspects if p["loop_enforcement"] else self._suspects_at_start
        pool = BACKGROUND_SUSPECTS * n + suspects
        self.audit_chance = 1 - math.exp(-p["audit_k"] * self._last_audits / pool)
        self.not_obeying_count = sum(1 for o in self.officials if o.stance != OBEYING)
        self.national_share = self.not_obeying_count / n
        self.autonomous_share = sum(1 for o in self.officials if o.stance == AUTONOMOUS) / n

    def audit_and_punish(self) -> None:
        p = self.params
        n = len(self.officials)
        members = [o.stance != AUTONOMOUS for o in self.officials]
        factor = min(1.0, self.reserve_stock / self.initial_reserves) if p["loop_fiscal"] else 1.0
        n_audits = int(round(p["audit_capacity"] * sum(members) * max(factor, 0.0)))
        if self.draws == "bulk":
            keys = self.rng.random(n).tolist()
            detect = self.rng.random(n).tolist()
            replace = self.rng.random(n).tolist()
            for o, d, q in zip(self.officials, detect, replace):
                o.detect_draw, o.replace_draw = d, q
        self._last_suspects = sum(1 for o in self.officials if o.stance == MANAGING)
        self._last_audits = self.audits = n_audits
        for o in self.officials:
            o.audited = False
        if n_audits > 0:
            suspicion = []
            for r in self.regions:
                expected = r.capacity * (1 - p["scarcity"] * r.vulnerability)
                suspicion.append(clip(1 - r.reported / max(expected, 1e-12), 0.0, 1.0))
            t = p["audit_targeting"]
            weights = [((1 - t) / n + t * s) * m for s, m in zip(normalise(suspicion, members), members)]
            if self.draws == "bulk":  # Efraimidis-Spirakis: the largest log(key) / weight
                order = sorted(range(n), reverse=True,
                               key=lambda i: math.log(max(keys[i], 1e-300)) / max(weights[i], 1e-300))
                chosen = order[:n_audits]
            else:
                chosen = self._sequential_sample(weights, n_audits)
            for i in chosen:
                self.officials[i].audited = True
        outcomes = [o.face_audit() for o in self.officials]
        self.detected = sum(1 for x in outcomes if x is not None)
        replaced = [i for i, x in enumerate(outcomes) if x == "replaced"]
        self.replaced = len(replaced)
        if replaced:
            self._replace_officials(replaced)

    def _sequential_sample(self, weights: list[float], k: int) -> list[int]:
        """k indices drawn one by one with probability proportional to weight, without replacement
        (zero weights only once the positive ones are used up)."""
        positive = [i for i, w in enumerate(weights) if w > 0]
        rest = [i for i, w in enumerate(weights) if w <= 0]
        chosen = []
        while positive and len(chosen) < k:
            cumulative, total = [], 0.0
            for i in positive:
                total += weights[i]
                cumulative.append(total)
            j = min(bisect.bisect_right(cumulative, self.random.random() * total), len(positive) - 1)
            chosen.append(positive.pop(j))
        if len(chosen) < k:
            chosen += self.random.sample(rest, k - len(chosen))
        return chosen

    def _replace_officials(self, regions: list[int]) -> None:
        identity = [self.regions[i].identity for i in regions]
        type_index, traits = archetypes.draw_officials(self.official_types, identity, self.rng)
        for k, i in enumerate(regions):
            old = self.officials[i]
            new = ReferenceOfficial(self, old.region, self.official_types[int(type_index[k])].name,
                                    {t: float(v[k]) for t, v in traits.items()}, predecessor=old)
            old.remove()
            self.officials[i] = new

    def update_authority(self) -> None:
        p = self.params
        self.plan_fulfilment = min(1.0, sum(r.delivered for r in self.regions)
                                   / max(sum(r.plan for r in self.regions), 1e-12))
        self.implementation_consistency = self._consistency()
        if p["loop_legitimacy"]:
            n = len(self.regions)
            mean_shortfall = sum(r.shortfall for r in self.regions) / n
            mean_unrest = sum(r.unrest for r in self.regions) / n
            visible_failure = p["openness"] * (mean_shortfall + mean_unrest) / 2
            target = 0.5 * self.plan_fulfilment + 0.5 * self.implementation_consistency - visible_failure
            self.authority += p["authority_rate"] * (target - self.authority)
            self.authority = clip(self.authority, 0.0, 1.0)

    def _consistency(self) -> float:
        return (sum(o.region.capacity for o in self.officials if o.stance == OBEYING)
                / sum(r.capacity for r in self.regions))

    # ------------------------------------------------------------------ indicators and records
    def _update_indicators(self) -> None:
        n = len(self.officials)
        self.compliance = sum(1 for o in self.officials if o.stance == OBEYING) / n
        self.implementation_consistency = self._consistency()
        self.union_share = 1 - sum(o.region.population for o in self.officials if o.stance == AUTONOMOUS)
        self.autonomous_regions = sum(1 for o in self.officials if o.stance == AUTONOMOUS)
        self.managing_regions = sum(1 for o in self.officials if o.stance == MANAGING)
        self.reserves = clip(self.reserve_stock / self.initial_reserves, 0.0, 1.0) \
            if self.params["loop_fiscal"] else 1.0
        self.cohesion = (self.compliance + self.implementation_consistency + self.authority + self.union_share) / 4
        self.mean_shortfall = sum(r.shortfall for r in self.regions) / n
        self.mean_unrest = sum(r.unrest for r in self.regions) / n

    def record(self) -> None:
        p = self.params
        if self.steps % p["collect_every"] and self.running:
            return
        self.rows.append({"Step": self.steps, **{k: getattr(self, k) for k in INDICATORS}})
        if p["collect_regions"]:
            for o in self.officials:
                r = o.region
                row = {"Step": self.steps, "region": r.name, "stance": o.stance.label}
                for f in REGION_FIELDS:
                    row[f] = getattr(o, f) if f in DECISION_TERMS else getattr(r, f)
                self.region_rows.append(row)

    def indicators(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows).set_index("Step")

    def region_records(self) -> pd.DataFrame:
        return pd.DataFrame(self.region_rows)
