"""CohesionModel: regional officials between obeying the centre and managing their own risk.

One period (a quarter by default) runs the submodels in the order of the ODD
(docs/ODD.md, section 3)::

    apply_events -> plan_quotas -> supply -> produce -> decide -> deliver_and_report
                 -> local_accounts -> audit_and_punish -> update_authority -> indicators -> record

Each submodel is one method whose docstring gives its equation. The arithmetic runs on
numpy arrays over all regions at once; the agents (:class:`RegionalOfficial`,
:class:`Centre`) are views onto those arrays.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import archetypes, parameters, scenarios
from . import world as worlds
from .agents import Centre, RegionalOfficial, Stance

OBEYING, MANAGING, AUTONOMOUS = int(Stance.OBEYING), int(Stance.MANAGING_RISK), int(Stance.AUTONOMOUS)

#: share of a region's output the plan asks it to deliver (before plan_pressure)
PLAN_SHARE = 0.35
#: share of deliveries the centre consumes itself (defence, investment, the apparatus)
CENTRAL_USE = 0.5
#: what a region needs, relative to what it keeps and receives in a normal year (a 10% margin)
NEED_SHARE = 0.9
#: local stocks are capped at this many periods of need
STOCK_CAP = 0.5
#: how fast an official's fear after being audited fades (per period)
FEAR_DECAY = 0.8
#: regions whose reports look doubtful anyway (share of all): the pool audits must sift
BACKGROUND_SUSPECTS = 0.25
#: gap between the pull that starts autonomy and the pull that ends it (hysteresis)
AUTONOMY_HYSTERESIS = 0.15

INDICATORS = ("year", "cohesion", "compliance", "plan_fulfilment", "authority",
              "implementation_consistency", "reserves", "autonomous_regions",
              "managing_regions", "audits", "detected", "replaced", "mean_shortfall", "mean_unrest")

#: per-region records kept every collected step (besides region, republic and stance)
REGION_FIELDS = ("risk_of_obeying", "risk_of_disobeying", "audit_probability", "peer_share",
                 "pressure", "exit_pull", "shortfall", "unrest", "delivered", "plan")


class CohesionModel(mesa.Model):
    """A centralised state and its regions.

    Args:
        scenario: name of a scenario (``soviet-cohesion scenarios`` lists them).
        rng: seed or numpy Generator; the same seed gives the same run in any process.
        world: ``"ussr"`` (the 15 republics and their regions) or ``"synthetic"``;
            default: the scenario's world.
        steps: number of periods to run; default: the scenario's span.
        **overrides: any parameter of ``soviet_cohesion.parameters.PARAMETERS``. A lever
            given here is held at that value for the whole run: the scenario's events
            that would move it are skipped (listed in ``skipped_events``).
    """

    def __init__(self, scenario: str = "gorbachev", rng: Any = None, *, world: str | None = None,
                 steps: int | None = None, **overrides: Any):
        super().__init__(rng=rng)
        self.timeline = scenarios.load(scenario)
        self.scenario_name = self.timeline.name
        self.params: dict[str, Any] = parameters.defaults()
        self.params.update(self.timeline.initial_values())
        overrides = parameters.validate(overrides)
        self.params.update(overrides)
        self.pinned = set(overrides) & set(parameters.DYNAMIC)
        self.world_kind = world or self.timeline.world
        if self.world_kind not in ("ussr", "synthetic"):
            raise parameters.ParameterError(f"world={self.world_kind!r} is not allowed: expected ussr or synthetic")
        if steps is not None:
            steps = parameters.Parameter("steps", 0, 1, 10_000_000, "run", "", int).coerce(steps)
        p = self.params
        self.steps_per_year = p["steps_per_year"]
        self.start_year = self.timeline.start
        self.n_steps = steps if steps is not None else self.timeline.steps(self.steps_per_year)

        if self.world_kind == "ussr":
            self.world = worlds.ussr(self.rng)
        else:
            self.world = worlds.synthetic(p["n_regions"], p["topology"], p["n_republics"], self.rng)
        w = self.world
        n = w.n
        self.n_regions = n
        self._degree = np.maximum(w.degree, 1.0)
        self._republic_count = np.bincount(w.republic, minlength=len(w.republic_names))

        # --- officials: traits drawn from the archetypes --------------------------------
        self.official_types = archetypes.load_official_types()
        type_index, traits = archetypes.draw_officials(self.official_types, w.identity, self.rng)
        self.type_index = type_index
        for trait, values in traits.items():
            setattr(self, trait, values)
        self.stance = np.zeros(n, dtype=np.int8)
        self.fear = np.zeros(n)  # remembered audit chance after being caught

        # --- regions: economy and mood ---------------------------------------------------------
        self.need = NEED_SHARE * w.capacity * (1 - PLAN_SHARE * CENTRAL_USE) * (1 + w.transfer)
        self.stock = 0.2 * self.need
        self.shortfall = np.zeros(n)
        self.unrest = np.zeros(n)
        self.plan = PLAN_SHARE * w.capacity
        self.reported = w.capacity.copy()
        self.output = w.capacity.copy()
        self.delivered = self.plan.copy()
        self.supplies = np.zeros(n)
        self.dependence = np.clip(2 * w.transfer + 0.3, 0, 1)
        # decision terms (kept for the "why" of every official)
        for field in ("risk_of_obeying", "risk_of_disobeying", "audit_probability", "peer_share",
                      "pressure", "exit_pull", "plan_gap"):
            setattr(self, field, np.zeros(n))
        self.audited = np.zeros(n, dtype=bool)
        self.detected_mask = np.zeros(n, dtype=bool)
        # --- players: choices made by people (the classroom) for some officials ----------------
        self.player_choices: dict[int, Stance] = {}
        self.model_stance = self.stance.copy()  # what each official itself chose last period
        self.played = np.zeros(n, dtype=bool)  # regions whose last choice a player made

        # --- the centre ------------------------------------------------------------------------
        # steady state of supply() and deliver_and_report() with every region obeying
        self.initial_reserves = (1 - CENTRAL_USE) * PLAN_SHARE * w.capacity.sum() / max(p["supply_rate"], 0.05)
        self.reserve_stock = self.initial_reserves
        self.authority = p["initial_authority"]
        self.audits = 0
        self.detected = 0
        self.replaced = 0
        self.plan_fulfilment = 1.0
        self.implementation_consistency = 1.0
        self._suspects_at_start = 0
        self._last_audits = round(p["audit_capacity"] * n)
        self._last_suspects = 0

        self.centre = Centre(self)
        self.officials: list[RegionalOfficial] = [
            RegionalOfficial(self, i, self.official_types[type_index[i]].name) for i in range(n)]

        # --- timeline --------------------------------------------------------------------------------
        self._pending = list(self.timeline.events)
        self._ramps: list[tuple[str, float, float, float, float]] = []  # name, y0, y1, v0, v1
        self.event_log: list[dict] = []
        self.skipped_events: list[str] = []

        # --- recording -----------------------------------------------------------------------------
        self.datacollector = mesa.DataCollector(model_reporters={k: k for k in INDICATORS})
        self._region_records: list[tuple[int, float, np.ndarray, dict]] = []
        self._update_indicators()
        self.record()

    # ============================================================== time and bookkeeping
    @property
    def year(self) -> float:
        """Calendar year at the current step (start year + steps / steps_per_year)."""
        return self.start_year + self.steps / self.steps_per_year

    def period_label(self, step: int | None = None) -> str:
        step = self.steps if step is None else step
        year = self.start_year + max(step - 1, 0) / self.steps_per_year  # the period step `step` covers
        whole = int(np.floor(year + 1e-9))
        if self.steps_per_year == 4:
            return f"{whole} Q{int(round((year - whole) * 4)) + 1}"
        if self.steps_per_year == 1:
            return f"{whole}"
        return f"{whole} P{int(round((year - whole) * self.steps_per_year)) + 1}"

    @property
    def regional_officials(self) -> mesa.agent.AgentSet:
        return self.agents_by_type[RegionalOfficial]

    def set_lever(self, name: str, value: Any) -> None:
        """Set a dynamic parameter now and hold it (later scenario events skip it)."""
        if name not in parameters.DYNAMIC:
            raise parameters.ParameterError(
                f"{name!r} cannot change during a run; allowed: {', '.join(parameters.DYNAMIC)}")
        self.params[name] = parameters.get(name).coerce(value)
        self.pinned.add(name)
        self._ramps = [r for r in self._ramps if r[0] != name]

    def set_choice(self, region: int, stance: Stance | int) -> None:
        """A player decides for the official of ``region`` in the next period.

        The official still works out its own choice (kept in ``model_stance``, so the two can
        be compared); the player's choice replaces it for that period only. ``played`` marks
        the regions whose last stance a player chose.
        """
        if not isinstance(region, (int, np.integer)) or not 0 <= region < self.n_regions:
            raise parameters.ParameterError(
                f"region={region!r} is not allowed: expected a region index in [0, {self.n_regions - 1}]")
        try:
            choice = Stance(int(stance))
        except (TypeError, ValueError):
            raise parameters.ParameterError(
                f"stance={stance!r} is not allowed: expected one of "
                f"{', '.join(f'{int(s)} ({s.label})' for s in Stance)}") from None
        self.player_choices[int(region)] = choice

    # ============================================================== the schedule
    def step(self) -> None:
        """One period, submodels in the order of the ODD."""
        self.apply_events()
        self.plan_quotas()
        self.supply()
        self.produce()
        self.decide()
        self.deliver_and_report()
        self.local_accounts()
        self.audit_and_punish()
        self.update_authority()
        self._update_indicators()
        if self.steps >= self.n_steps:
            self.running = False
        self.record()

    def run_model(self) -> None:
        while self.running:
            self.step()

    # ============================================================== submodels
    def apply_events(self) -> None:
        """Start the scenario events whose date has come; advance phased changes.

        A change with ``over > 0`` moves the parameter linearly from its value at the
        event's date to the target at ``year + over``. Pinned parameters are left alone.
        """
        year = self.start_year + (self.steps - 1) / self.steps_per_year  # the period now starting
        while self._pending and self._pending[0].year <= year + 1e-9:
            event = self._pending.pop(0)
            applied = {}
            for name, target in event.changes.items():
                if name in self.pinned:
                    self.skipped_events.append(f"{event.year:g} {event.label}: {name}")
                    continue
                applied[name] = target
                self._ramps = [r for r in self._ramps if r[0] != name]
                if event.over > 0:
                    self._ramps.append((name, event.year, event.end_year, float(self.params[name]), target))
                else:
                    self.params[name] = target
            self._log("event", event.label, changes=applied)
        if self._ramps:
            still = []
            for name, y0, y1, v0, v1 in self._ramps:
                f = min(1.0, (year - y0 + 1 / self.steps_per_year) / (y1 - y0))
                self.params[name] = v0 + f * (v1 - v0)
                if f < 1.0:
                    still.append((name, y0, y1, v0, v1))
            self._ramps = still

    def plan_quotas(self) -> None:
        """The centre sets each region's delivery plan (with the ratchet):

        plan = plan_pressure * PLAN_SHARE * ((1 - ratchet) * capacity + ratchet * reported_output)
        """
        p = self.params
        base = (1 - p["ratchet"]) * self.world.capacity + p["ratchet"] * self.reported
        self.plan = p["plan_pressure"] * PLAN_SHARE * base

    def supply(self) -> None:
        """The centre sends supplies out of its reserves.

        budget = supply_rate * reserves (fiscal loop on) or supply_rate * initial reserves (off);
        a share ``appeasement`` goes to restive regions (unrest * identity), the rest by
        each region's expected gap between need and what it keeps; supply reform loses
        up to half of it on the way. Autonomous regions get nothing.

        dependence += 0.2 * (clip(supplies / need + 2 * transfer, 0, 1) - dependence)
        (how much the region lives on the centre: what leaving would cost it)
        """
        p = self.params
        reserve = self.reserve_stock if p["loop_fiscal"] else self.initial_reserves
        budget = p["supply_rate"] * reserve
        if p["loop_fiscal"]:
            self.reserve_stock -= budget
        member = self.stance != AUTONOMOUS
        gap = np.maximum(self.need - (self.world.capacity - self.plan), 0.0) * member
        restive = self.unrest * self.world.identity * member
        shares = _normalise(gap, member)
        if p["appeasement"] > 0 and restive.sum() > 0:
            shares = (1 - p["appeasement"]) * shares + p["appeasement"] * _normalise(restive, member)
        self.supplies = budget * shares * (1 - 0.5 * p["supply_reform"])
        got = np.divide(self.supplies, self.need, out=np.zeros_like(self.need), where=self.need > 0)
        self.dependence = 0.8 * self.dependence + 0.2 * np.clip(got + 2 * self.world.transfer, 0, 1)

    def produce(self) -> None:
        """Each region's output this period:

        output = capacity * (1 - scarcity * vulnerability) * (1 - disruption) * exp(shock)
        disruption = 0.3 * supply_reform * (1 - implementation_consistency)  (broken supply chains)
        """
        p = self.params
        w = self.world
        shock = np.exp(p["shock_sd"] * self.rng.standard_normal(w.n))
        disruption = 0.3 * p["supply_reform"] * (1 - self.implementation_consistency)
        self.output = w.capacity * (1 - p["scarcity"] * w.vulnerability) * (1 - disruption) * shock
        self.plan_gap = np.clip(1 - self.output / np.maximum(self.plan, 1e-12), 0.0, 1.0)

    def decide(self) -> None:
        """Every official weighs obeying against managing risk, all at once: on last period's
        stances, shortfall, unrest, audits and authority, and this period's plan and output.

        risk_of_obeying    = blame * ((0.5 + local_weight) * crisis + punishment_severity * plan_gap
                                      + local_weight * decentralisation * min(1, plan / output))
            crisis         = shortfall + (0.5 * openness + local_accountability) * unrest
                             (the local crisis the official is blamed for, as loudly as
                              discontent can be voiced; 0 when the responsibility loop is off)
            blame          = 1 - responsibility_shared
            plan_gap       = max(0, 1 - output / plan)   (this period's plan and output)
            the last term: under decentralisation, what the plan sends away is what the
            region's own council could have used (localism)
        audit_probability  = max(1 - exp(-audit_k * audits / (BACKGROUND_SUSPECTS * N + suspects)), fear)
                             (Epstein 2002; suspects = officials managing risk at the last audit,
                              held at the start value when the enforcement loop is off)
        risk_of_disobeying = (risk_aversion * audit_probability * punishment_severity
                              + loyalty * authority) * detection
            detection      = 1 - 0.5 * decentralisation  (the centre's reach into the region)
        peer_share         = (1 - view) * share of neighbours not obeying + view * national share,
                             view = 0.5 * openness
                             (0 when the contagion loop is off; stances seen are last period's)
        pressure           = motive_weight * (risk_of_obeying - risk_of_disobeying) + peer_share - peer_threshold
        not obeying        <=> pressure >= 0                                       (Granovetter 1978)

        exit_pull          = identity_weight * identity * (0.2 + 0.8 * openness) * (1 - 0.5 * authority)
                             + 0.5 * local_accountability * unrest
                             + 0.5 * openness * share autonomous (0 when the contagion loop is off)
                             - dependence_weight * 0.5 * dependence - 0.5 * loyalty * authority
        autonomous         <=> not obeying and exit_pull >= autonomy_threshold; an autonomous
                             official stays so until its pull falls AUTONOMY_HYSTERESIS below
                             its threshold, and then manages risk (or obeys, if pressure < 0)
        """
        p = self.params
        w = self.world
        severity = p["punishment_severity"]
        blame = 1 - p["responsibility_shared"]
        voiced = 0.5 * p["openness"] + p["local_accountability"]  # how loudly discontent reaches him
        crisis = (self.shortfall + voiced * self.unrest) if p["loop_responsibility"] else 0.0
        burden = np.clip(self.plan / np.maximum(self.output, 1e-12), 0.0, 1.0)
        self.risk_of_obeying = blame * ((0.5 + self.local_weight) * crisis + severity * self.plan_gap
                                        + self.local_weight * p["decentralisation"] * burden)

        suspects = self._last_suspects if p["loop_enforcement"] else self._suspects_at_start
        pool = BACKGROUND_SUSPECTS * w.n + suspects
        chance = 1 - np.exp(-p["audit_k"] * self._last_audits / pool)
        self.audit_probability = np.maximum(chance, self.fear)
        detection = 1 - 0.5 * p["decentralisation"]
        self.risk_of_disobeying = (self.risk_aversion * self.audit_probability * detection * severity
                                   + self.loyalty * self.authority * detection)

        not_obeying = (self.stance != OBEYING).astype(float)
        national = not_obeying.mean()
        if p["loop_contagion"]:
            local_share = self._neighbour_mean(not_obeying)
            view = 0.5 * p["openness"]  # how much of the whole country an official can see
            self.peer_share = (1 - view) * local_share + view * national
        else:
            self.peer_share = np.zeros(w.n)
        self.pressure = (p["motive_weight"] * (self.risk_of_obeying - self.risk_of_disobeying)
                         + self.peer_share - self.peer_threshold)
        defect = self.pressure >= -1e-12

        autonomous = self.stance == AUTONOMOUS
        auto_share = autonomous.mean() if p["loop_contagion"] else 0.0
        self.exit_pull = (p["identity_weight"] * w.identity * (0.2 + 0.8 * p["openness"]) * (1 - 0.5 * self.authority)
                          + 0.5 * p["local_accountability"] * self.unrest
                          + 0.5 * p["openness"] * auto_share
                          - p["dependence_weight"] * 0.5 * self.dependence
                          - 0.5 * self.loyalty * self.authority)
        stays = autonomous & (self.exit_pull >= self.autonomy_threshold - AUTONOMY_HYSTERESIS)
        leaves = defect & (self.exit_pull >= self.autonomy_threshold)
        new = np.where(stays | leaves, AUTONOMOUS, np.where(defect, MANAGING, OBEYING)).astype(np.int8)
        self.model_stance = new.copy()
        self.played[:] = False
        if self.player_choices:
            for region, choice in self.player_choices.items():
                new[region] = int(choice)
                self.played[region] = True
            self.player_choices = {}
        self._log_changes(self.stance, new)
        self.stance = new

    def _neighbour_mean(self, values: np.ndarray) -> np.ndarray:
        """Mean of ``values`` over each region's neighbours."""
        w = self.world
        if w.complete:
            return (values.sum() - values) / max(w.n - 1, 1)
        return np.bincount(w.src, weights=values[w.dst], minlength=w.n) / self._degree

    def deliver_and_report(self) -> None:
        """Obeying: report output, deliver min(plan, output). Managing risk: report
        (1 - withholding) * output and deliver (1 - withholding) * min(plan, output).
        Autonomous: nothing delivered and no report (the plan is carried over unchanged into
        the next plan). The centre adds (1 - CENTRAL_USE)
        of what it receives to its reserves (fiscal loop on).
        """
        p = self.params
        managing = self.stance == MANAGING
        autonomous = self.stance == AUTONOMOUS
        kept_back = np.where(managing, 1 - p["withholding"], 1.0)
        self.reported = kept_back * self.output
        self.delivered = np.where(autonomous, 0.0, kept_back * np.minimum(self.plan, self.output))
        self.reported = np.where(autonomous, self.plan, self.reported)  # no report: plan carried over
        if p["loop_fiscal"]:
            self.reserve_stock += (1 - CENTRAL_USE) * self.delivered.sum()

    def local_accounts(self) -> None:
        """What the region has left against what it needs:

        available = output - delivered + supplies + stock
        shortfall = max(0, need - available) / need;  stock = min(STOCK_CAP * need, surplus)
        grievance = shortfall * (1 + openness) + 0.5 * openness * identity * (1 - dependence)
        unrest   += unrest_rate * (min(1, grievance) - unrest)
        (glasnost lets hardship be voiced, and national grievances with it, least where the
         region lives on the centre's transfers)
        """
        p = self.params
        available = self.output - self.delivered + self.supplies + self.stock
        self.shortfall = np.clip((self.need - available) / self.need, 0.0, 1.0)
        self.stock = np.clip(available - self.need, 0.0, STOCK_CAP * self.need)
        grievance = (self.shortfall * (1 + p["openness"])
                     + 0.5 * p["openness"] * self.world.identity * (1 - self.dependence))
        target = np.minimum(grievance, 1.0)
        self.unrest = np.clip(self.unrest + p["unrest_rate"] * (target - self.unrest), 0.0, 1.0)

    def audit_and_punish(self) -> None:
        """The centre audits ``round(audit_capacity * members * reserve factor)`` regions.

        Targets: a share ``audit_targeting`` weighted by suspicion (reported output below
        expected output), the rest at random (Efraimidis-Spirakis weighted sampling).
        An audited risk-managing official is detected with probability
        ``1 - 0.5 * decentralisation``; a detected one is replaced with probability
        ``replacement_rate * punishment_severity`` (a new official, obeying, who fears
        audits), otherwise punished: it obeys and remembers the audit chance as 1.
        """
        p = self.params
        w = self.world
        member = self.stance != AUTONOMOUS
        factor = min(1.0, self.reserve_stock / self.initial_reserves) if p["loop_fiscal"] else 1.0
        n_audits = int(round(p["audit_capacity"] * member.sum() * max(factor, 0.0)))
        keys = self.rng.random(w.n)
        detect_draw = self.rng.random(w.n)
        replace_draw = self.rng.random(w.n)
        self.fear *= FEAR_DECAY
        managing = self.stance == MANAGING
        self._last_suspects = int(managing.sum())
        self._last_audits = n_audits
        self.audits = n_audits
        self.audited = np.zeros(w.n, dtype=bool)
        if n_audits > 0:
            expected = w.capacity * (1 - p["scarcity"] * w.vulnerability)
            suspicion = np.clip(1 - self.reported / np.maximum(expected, 1e-12), 0.0, 1.0)
            weight = ((1 - p["audit_targeting"]) / w.n + p["audit_targeting"] * _normalise(suspicion, member)) * member
            order = np.log(np.maximum(keys, 1e-300)) / np.maximum(weight, 1e-300)
            chosen = np.argpartition(-order, min(n_audits, w.n) - 1)[:n_audits]
            self.audited[chosen] = True
        detection = 1 - 0.5 * p["decentralisation"]
        self.detected_mask = self.audited & managing & (detect_draw < detection)
        replace = self.detected_mask & (replace_draw < p["replacement_rate"] * p["punishment_severity"])
        self.detected = int(self.detected_mask.sum())
        self.replaced = int(replace.sum())
        self.fear[self.detected_mask] = 1.0
        self.stance[self.detected_mask] = OBEYING
        if self.replaced:
            self._log_by_republic(replace, "replaced", "official(s) of {rep} dismissed and replaced")
            self._replace_officials(np.flatnonzero(replace))

    def _replace_officials(self, regions: np.ndarray) -> None:
        type_index, traits = archetypes.draw_officials(self.official_types, self.world.identity[regions], self.rng)
        self.type_index[regions] = type_index
        for trait, values in traits.items():
            getattr(self, trait)[regions] = values
        for i, t in zip(regions.tolist(), type_index.tolist()):
            self.officials[i].remove()
            self.officials[i] = RegionalOfficial(self, i, self.official_types[t].name)

    def update_authority(self) -> None:
        """The centre's authority follows its results and the consistency of implementation:

        plan_fulfilment            = min(1, sum(delivered) / sum(plan))
        implementation_consistency = capacity-weighted share of regions obeying
        visible_failure            = openness * (mean shortfall + mean unrest) / 2
        target                     = 0.5 * plan_fulfilment + 0.5 * implementation_consistency - visible_failure
        authority                 += authority_rate * (target - authority)
        (held constant when the legitimacy loop is off)
        """
        p = self.params
        cap = self.world.capacity
        self.plan_fulfilment = float(min(1.0, self.delivered.sum() / max(self.plan.sum(), 1e-12)))
        self.implementation_consistency = float(cap[self.stance == OBEYING].sum() / cap.sum())
        if p["loop_legitimacy"]:
            visible_failure = p["openness"] * float(self.shortfall.mean() + self.unrest.mean()) / 2
            target = 0.5 * self.plan_fulfilment + 0.5 * self.implementation_consistency - visible_failure
            self.authority += p["authority_rate"] * (target - self.authority)
            self.authority = float(np.clip(self.authority, 0.0, 1.0))

    # ============================================================== indicators and records
    def _update_indicators(self) -> None:
        """cohesion = mean of compliance, implementation consistency, authority and the
        population share of regions still in the union (not autonomous)."""
        w = self.world
        obeying = self.stance == OBEYING
        autonomous = self.stance == AUTONOMOUS
        self.compliance = float(obeying.mean())
        self.implementation_consistency = float(w.capacity[obeying].sum() / w.capacity.sum())
        self.union_share = float(1 - w.population[autonomous].sum())
        self.autonomous_regions = int(autonomous.sum())
        self.managing_regions = int((self.stance == MANAGING).sum())
        self.reserves = float(np.clip(self.reserve_stock / self.initial_reserves, 0.0, 1.0)) \
            if self.params["loop_fiscal"] else 1.0
        self.cohesion = float((self.compliance + self.implementation_consistency + self.authority
                               + self.union_share) / 4)
        self.mean_shortfall = float(self.shortfall.mean())
        self.mean_unrest = float(self.unrest.mean())

    def record(self) -> None:
        """Collect the indicators (and per-region records) on every ``collect_every``-th step."""
        p = self.params
        if self.steps % p["collect_every"] and self.running:
            return
        self.datacollector.collect(self)
        if p["collect_regions"]:
            self._region_records.append(
                (self.steps, self.year, self.stance.copy(), {f: getattr(self, f).copy() for f in REGION_FIELDS}))

    def indicators(self) -> pd.DataFrame:
        """The model-level indicators, one row per collected step (index: Step)."""
        df = self.datacollector.get_model_vars_dataframe()
        steps = [s for s in range(self.steps + 1) if s % self.params["collect_every"] == 0 or s == self.steps]
        df.index = pd.Index(steps[: len(df)], name="Step")
        return df

    def region_records(self) -> pd.DataFrame:
        """Per-region records: Step, year, region, republic, stance and the decision terms."""
        if not self._region_records:
            return pd.DataFrame(columns=["Step", "year", "region", "republic", "stance", *REGION_FIELDS])
        w = self.world
        k = len(self._region_records)
        n = w.n
        rep_names = np.array(w.republic_names, dtype=object)
        stance_names = np.array([s.label for s in Stance], dtype=object)
        data = {
            "Step": np.repeat([r[0] for r in self._region_records], n),
            "year": np.repeat([r[1] for r in self._region_records], n),
            "region": np.tile(np.array(w.names, dtype=object), k),
            "republic": np.tile(rep_names[w.republic], k),
            "stance": stance_names[np.concatenate([r[2] for r in self._region_records])],
        }
        for f in REGION_FIELDS:
            data[f] = np.concatenate([r[3][f] for r in self._region_records])
        return pd.DataFrame(data)

    # ============================================================== explanations
    def decision_terms(self, i: int) -> dict:
        """The terms of official ``i``'s last decision."""
        n_neigh = len(self.world.neighbours(i)) if not self.world.complete else self.world.n - 1
        return {
            "region": self.world.names[i],
            "republic": self.world.republic_names[self.world.republic[i]],
            "stance": Stance(int(self.stance[i])).label,
            "risk_of_obeying": float(self.risk_of_obeying[i]),
            "risk_of_disobeying": float(self.risk_of_disobeying[i]),
            "audit_probability": float(self.audit_probability[i]),
            "peer_share": float(self.peer_share[i]),
            "peer_threshold": float(self.peer_threshold[i]),
            "pressure": float(self.pressure[i]),
            "exit_pull": float(self.exit_pull[i]),
            "autonomy_threshold": float(self.autonomy_threshold[i]),
            "shortfall": float(self.shortfall[i]),
            "unrest": float(self.unrest[i]),
            "plan_gap": float(self.plan_gap[i]),
            "neighbours": n_neigh,
            "official_type": self.official_types[int(self.type_index[i])].name,
        }

    def explain(self, i: int) -> str:
        t = self.decision_terms(i)
        balance = "riskier" if t["risk_of_obeying"] > t["risk_of_disobeying"] else "safer"
        text = (f"{t['region']} ({t['republic']}), {t['official_type']}: {t['stance']}. "
                f"Obeying looked {balance} than disobeying (risk {t['risk_of_obeying']:.2f} vs "
                f"{t['risk_of_disobeying']:.2f}; audit chance {t['audit_probability']:.0%}); "
                f"{t['peer_share']:.0%} of the peers it sees had stopped obeying "
                f"(its threshold {t['peer_threshold']:.0%}).")
        if t["stance"] != "obeying":
            text += f" Pull to autonomy {t['exit_pull']:.2f} against threshold {t['autonomy_threshold']:.2f}."
        return text

    # ============================================================== event log
    def _log(self, kind: str, label: str, **extra) -> None:
        year = self.start_year + max(self.steps - 1, 0) / self.steps_per_year
        self.event_log.append({"step": self.steps, "year": year, "period": self.period_label(),
                               "kind": kind, "label": label, **extra})

    def _log_changes(self, old: np.ndarray, new: np.ndarray) -> None:
        self._log_by_republic((old == OBEYING) & (new != OBEYING), "stopped obeying",
                              "{n} region(s) of {rep} stop delivering as ordered")
        self._log_by_republic((old != AUTONOMOUS) & (new == AUTONOMOUS), "autonomous",
                              "{n} region(s) of {rep} declare autonomy")
        self._log_by_republic((old != OBEYING) & (new == OBEYING), "back in line",
                              "{n} region(s) of {rep} return to obedience")

    def _log_by_republic(self, mask: np.ndarray, kind: str, template: str) -> None:
        if not mask.any():
            return
        counts = np.bincount(self.world.republic[mask], minlength=len(self.world.republic_names))
        if len(self.world.republic_names) > 30:
            self._log(kind, template.format(n=int(counts.sum()), rep="the country"), count=int(counts.sum()))
            return
        for r in np.flatnonzero(counts):
            name = self.world.republic_names[r]
            self._log(kind, template.format(n=int(counts[r]), rep=name), republic=name, count=int(counts[r]))


def _normalise(x: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """``x`` scaled to sum to one; if it is all zero, equal shares ``among`` a mask (or all)."""
    total = x.sum()
    if total > 0:
        return x / total
    among = np.ones(x.size, dtype=bool) if among is None else among
    count = among.sum()
    return among / count if count else np.zeros(x.size)
