"""The model: a centralised state, its republics and its regions, period by period.

:class:`Simulation` holds the state of one or many runs as arrays with a leading runs axis and
runs the schedule; :class:`CohesionModel` is the Mesa model of one run (a simulation of one
row) with agents as its public surface; ``soviet_cohesion.ensemble`` runs many rows at once.
There is one implementation of the rules, in ``soviet_cohesion.mechanisms``.

One period (a quarter by default) calls the submodels in the order of the ODD (docs/ODD.md,
section 3)::

    apply_events -> centre_reacts -> plan_quotas -> supply -> produce -> decide
    -> deliver_and_report -> local_accounts -> update_official_picture -> audit_and_punish
    -> careers -> mobilise -> leaders_decide -> update_authority -> record
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import archetypes, indicators, parameters, scenarios
from . import world as worlds
from .agents import (
    CENTRE,
    INDEPENDENT,
    OBEYING,
    REGION,
    REPUBLIC,
    SOVEREIGN,
    Allegiance,
    Centre,
    RegionalOfficial,
    RepublicLeadership,
    Stance,
    Status,
)
from .indicators import INDICATORS
from .mechanisms.audits import Cadres, audit_and_punish, careers
from .mechanisms.authority import update_authority
from .mechanisms.deliveries import deliver_and_report
from .mechanisms.doctrine import centre_reacts
from .mechanisms.economy import (
    INITIAL_STOCK,
    PARTNER_SHARE,
    PLAN_SHARE,
    initial_need,
    initial_reserves,
    local_accounts,
    plan_quotas,
    produce,
    supply,
)
from .mechanisms.information import update_official_picture
from .mechanisms.officials import decide
from .mechanisms.republics import leaders_decide, mobilise
from .mechanisms.timeline import Timeline, apply_events
from .records import REGION_FIELDS, Recorder
from .settings import Settings

#: the state that carries a run from one scenario into another (``initial_state``)
STATE_FIELDS = (
    "capacity", "need", "type_index", *archetypes.TRAITS, "tenure", "network", "fear", "stance",
    "allegiance", "terms", "stock", "shortfall", "unrest", "reported", "output", "target", "plan",
    "delivered", "sent", "supplies", "dependence", "received", "authority", "reserve_stock",
    "initial_reserves", "picture_gap", "disillusion", "suspicion", "memory_revealed", "status",
    "mobilisation", "threshold", "caution", "treaty", "last_audits", "last_members", "last_suspects",
    "suspects_at_start", "dissolved",
)


class Simulation:
    """The state of ``len(rngs)`` runs of one scenario family, and the schedule that moves them.

    Args:
        timelines: one scenario per run (names, file paths or loaded scenarios); all must share
            start, span and world.
        rngs: one numpy Generator per run; everything random in run ``r`` is drawn from
            ``rngs[r]``, so a run equals the same run alone.
        overrides: one dict of parameter values per run; a lever given here is held for the
            whole run (the scenario's events on it are skipped in that run).
        world: ``"ussr"`` or ``"synthetic"`` (default: the scenario's world).
        steps: periods to run (default: the scenario's span).
        keep_log: keep an event log per run (the dashboard's and the command line's).
        keep_series: keep the indicators of every recorded step (else only the last).
        initial_state: optional state per run to start from (see :meth:`snapshot`).
    """

    # set in _setup_state through setattr: the officials' traits (views into self.traits) and
    # the terms of their last decision, one (runs, regions) array each
    risk_aversion: np.ndarray
    loyalty: np.ndarray
    local_weight: np.ndarray
    peer_threshold: np.ndarray
    autonomy_threshold: np.ndarray
    risk_of_obeying: np.ndarray
    risk_of_disobeying: np.ndarray
    audit_probability: np.ndarray
    peer_share: np.ndarray
    pressure: np.ndarray
    exit_pull: np.ndarray
    republic_pull: np.ndarray
    centre_pull: np.ndarray

    def __init__(self, timelines: list, rngs: list[np.random.Generator], overrides: list[dict], *,
                 world: str | None = None, steps: int | None = None, keep_log: bool = False,
                 keep_series: bool = True, initial_state: list[dict] | None = None):
        if not (len(timelines) == len(rngs) == len(overrides)) or not rngs:
            raise parameters.ParameterError("timelines, rngs and overrides need one entry per run (at least one)")
        self.timelines = [t if isinstance(t, scenarios.Scenario) else scenarios.load(t) for t in timelines]
        first = self.timelines[0]
        for t in self.timelines[1:]:
            if (t.start, t.end, t.world) != (first.start, first.end, first.world):
                raise parameters.ParameterError(
                    f"scenario {t.name!r} does not share start, end and world with {first.name!r}; "
                    f"run them as separate ensembles")
        rows: list[dict[str, Any]] = []
        pinned: dict[str, np.ndarray] = {}
        for run, (timeline, extra) in enumerate(zip(self.timelines, overrides)):
            extra = parameters.validate(extra)
            row = parameters.defaults()
            row.update(timeline.initial_values())
            row.update(extra)
            rows.append(row)
            for name in set(extra) & set(parameters.DYNAMIC):
                pinned.setdefault(name, np.zeros(len(rngs), dtype=bool))[run] = True
        self.p = Settings(rows)
        self.structure = self.p.structure
        self.gens = list(rngs)
        self.n_runs = len(rngs)
        self.world_kind = world or first.world
        if self.world_kind not in ("ussr", "synthetic"):
            raise parameters.ParameterError(f"world={self.world_kind!r} is not allowed: expected ussr or synthetic")
        self.steps_per_year = self.structure["steps_per_year"]
        self.start_year = first.start
        if steps is not None:
            steps = parameters.Parameter("steps", 0, 1, 10_000_000, "run", "", kind=int).coerce(steps)
        self.n_steps = steps if steps is not None else first.steps(self.steps_per_year)
        self.steps = 0
        self.running = True
        self.keep_log = keep_log
        self.timeline = Timeline(self.timelines, pinned)
        try:
            self.world = worlds.build(self.world_kind, self.structure | {k: rows[0][k] for k in
                                                                        ("n_regions", "topology", "n_republics",
                                                                         "world_seed")})
        except worlds.WorldError as exc:
            raise parameters.ParameterError(str(exc)) from None
        self._setup_world()
        self._setup_state()
        if initial_state is not None:
            self.restore(initial_state)
        self.event_logs: list[list[dict]] = [[] for _ in range(self.n_runs)]
        self._log_period: tuple = (None,)
        self.declarations_made: list[tuple[int, int, str, int, float]] = []
        self.player_choices: dict[tuple[int, int], Stance] = {}
        every = self.structure["collect_every"]
        recorded = self.n_steps // every + 1 + (self.n_steps % every > 0)  # the start, every k-th step, the last
        self.recorder = Recorder(self.n_runs, regions=bool(self.structure["collect_regions"]), series=keep_series,
                                 n_regions=self.n_regions, expected=recorded)
        self.record()

    # ================================================================== set-up
    def _setup_world(self) -> None:
        w = self.world
        n, k = w.n, w.n_republics
        self.n_regions, self.n_republics = n, k
        self.republic = w.republic
        self.population = w.population
        self.vulnerability = w.vulnerability
        self.titular = w.titular_share
        self.autonomy_share = w.autonomy_share
        self.rep_population = w.rep_population
        self.rep_weights = w.republic_matrix().T.tocsr()  # (republics x regions) population weights
        self.rep_identity = w.rep_identity
        self.rep_budget, self.rep_trade = w.rep_budget, w.rep_trade
        self.rep_core = w.rep_core
        self.rep_memory = self.by_republic(w.memory[None, :])[0]
        self.rep_titular = self.by_republic(w.titular_share[None, :])[0]  # titular share of each republic
        self.cadre_identity = np.maximum(self.titular * self.rep_identity[self.republic], self.autonomy_share)
        self.neighbours = w.neighbour_links()
        self.supply = w.supply_links()
        self.own_share = np.stack(w.supply_own_share())
        self.official_types = archetypes.load_official_types()
        self.cadres = Cadres(self.official_types, self.cadre_identity)

    def _setup_state(self) -> None:
        """Initial state of every run. Draw order per run: capacity noise (one normal per
        region), officials (archetypes.draw_officials), tenure (one uniform per region), hidden
        thresholds and leaders' caution (one normal per republic each).

        Tenure is exponential with mean ``initial_tenure`` years; an official's network is what
        it would have grown to in that time, ``1 - (1 - network_growth) ** tenure`` (0 with
        loop_entrenchment off)."""
        R, n, k = self.n_runs, self.n_regions, self.n_republics
        p = self.p
        self.capacity = np.empty((R, n))
        self.type_index = np.empty((R, n), dtype=np.int64)
        self.traits = np.empty((len(archetypes.TRAITS), R, n))  # each trait is a view: self.loyalty, ...
        for t, trait in enumerate(archetypes.TRAITS):
            setattr(self, trait, self.traits[t])
        self.tenure = np.empty((R, n))
        self.threshold = np.empty((R, k))
        self.caution = np.empty((R, k))
        for run, gen in enumerate(self.gens):
            self.capacity[run] = self.world.draw_capacity(gen)
            type_index, traits = archetypes.draw_officials(self.official_types, self.cadre_identity, gen)
            self.type_index[run] = type_index
            for trait, values in traits.items():
                getattr(self, trait)[run] = values
            self.tenure[run] = -p.initial_tenure[run, 0] * np.log1p(-gen.random(n))
            self.threshold[run] = p.mobilisation_threshold[run, 0] + p.threshold_spread[run, 0] * gen.standard_normal(k)
            self.caution[run] = p.leader_caution[run, 0] + p.threshold_spread[run, 0] * gen.standard_normal(k)
        growth = np.minimum(p.network_growth, 1.0)
        self.network = (1 - (1 - growth) ** self.tenure) * p.loop_entrenchment
        self.capacity_total = self.capacity.sum(axis=1)
        self.need = initial_need(self.capacity, self.world.budget_transfer)
        zeros = lambda: np.zeros((R, n))  # noqa: E731
        self.fear, self.shortfall, self.unrest, self.supplies = zeros(), zeros(), zeros(), zeros()
        self.stock = INITIAL_STOCK * self.need
        self.output = self.capacity.copy()
        self.reported = self.capacity.copy()
        self.target = self.p.plan_pressure * self.capacity
        self.plan = PLAN_SHARE * self.target
        self.delivered = (1 - PARTNER_SHARE) * self.plan  # as if every region had delivered in full
        self.sent = PARTNER_SHARE * self.plan
        self.received = np.ones((R, n))
        self.dependence = zeros()
        self.plan_gap = zeros()
        self.padding_claim = zeros()
        for f in ("risk_of_obeying", "risk_of_disobeying", "audit_probability", "peer_share", "pressure",
                  "exit_pull", "republic_pull", "centre_pull"):
            setattr(self, f, zeros())
        self.stance = np.zeros((R, n), dtype=np.int8)
        self.model_stance = self.stance.copy()
        self.allegiance = np.zeros((R, n), dtype=np.int8)
        self.played = np.zeros((R, n), dtype=bool)
        self.any_played = False
        self.terms = np.ones((R, n), dtype=np.int64)
        self.appointed_step = np.zeros((R, n), dtype=np.int64)
        self.audited = self.found = self.dismissed = np.zeros((R, n), dtype=bool)
        # the centre
        self.authority = p.initial_authority[:, 0].copy()
        self.initial_reserves = initial_reserves(self.capacity, p.supply_rate[:, 0])
        self.reserve_stock = self.initial_reserves.copy()
        self.picture_gap = np.zeros(R)
        self.disillusion = np.zeros(R)
        self.revealed = np.zeros(R)
        self.suspicion = np.zeros(R)
        self.audit_intensity = p.audit_capacity[:, 0].copy()
        self.appeasement_eff = p.appeasement[:, 0].copy()
        self.treaty = np.zeros(R, dtype=bool)
        self.dissolved = np.zeros(R, dtype=bool)
        self.dissolution_step = np.full(R, -1, dtype=np.int64)
        self.audits = np.zeros(R, dtype=np.int64)
        self.detected = np.zeros(R, dtype=np.int64)
        self.replaced = np.zeros(R, dtype=np.int64)
        self.last_members = np.full(R, n, dtype=np.int64)
        self.last_audits = np.rint(p.audit_capacity[:, 0] * n).astype(np.int64)
        self.last_suspects = np.zeros(R, dtype=np.int64)
        self.suspects_at_start = np.zeros(R, dtype=np.int64)
        self.plan_fulfilment = np.ones(R)
        self.consistency = np.ones(R)
        self.withheld = np.zeros(R)
        self.declared_share = np.zeros(R)
        # the republics
        self.status = np.zeros((R, k), dtype=np.int8)
        self.mobilisation = np.zeros((R, k))
        self.memory_revealed = np.zeros((R, k))
        self.grievance = np.zeros((R, k))
        self.sovereignty_value = np.zeros((R, k))
        self.independence_value = np.zeros((R, k))
        self.sovereignty_step = np.full((R, k), -1, dtype=np.int64)
        self.independence_step = np.full((R, k), -1, dtype=np.int64)
        self.force = np.zeros((R, k), dtype=bool)
        self.backfired = np.zeros((R, k), dtype=bool)

    def by_republic(self, x: np.ndarray) -> np.ndarray:
        """Each republic's population-weighted mean of ``x`` (runs x regions -> runs x
        republics). A sparse product sums each output in the same order whatever the number of
        runs, so a run gets the same numbers alone or in a batch (a dense BLAS product would not)."""
        return worlds.rows_times(self.rep_weights, x)

    # ================================================================== time
    @property
    def year(self) -> float:
        """Calendar year at the end of the last period run (the start year before any)."""
        return self.start_year + self.steps / self.steps_per_year

    def draw(self, runs: np.ndarray, size: int, fill: float = 0.0) -> np.ndarray:
        """``size`` uniforms for each run in the boolean mask ``runs`` (``fill`` for the others),
        each from its own run's generator. Mechanisms draw only where a run needs numbers, so
        what a run draws depends on its own state alone: it draws the same numbers whether it
        runs alone or in an ensemble."""
        if self.n_runs == 1 and runs[0]:
            return self.gens[0].random((1, size))
        out = np.empty((self.n_runs, size))
        out.fill(fill)
        gens = self.gens
        for run in np.flatnonzero(runs).tolist():
            gens[run].random(out=out[run])
        return out

    # ================================================================== the schedule
    def step(self) -> None:
        """One period, submodels in the order of the ODD."""
        self.steps += 1
        apply_events(self)
        centre_reacts(self)
        plan_quotas(self)
        supply(self)
        produce(self)
        decide(self)
        deliver_and_report(self)
        local_accounts(self)
        update_official_picture(self)
        audit_and_punish(self)
        careers(self)
        mobilise(self)
        leaders_decide(self)
        update_authority(self)
        if self.steps >= self.n_steps:
            self.running = False
        self.record()

    def run(self) -> None:
        while self.running:
            self.step()

    # ================================================================== recording
    def record(self) -> None:
        every = self.structure["collect_every"]
        if self.steps % every and self.running:
            return
        self.recorder.record(self, indicators.compute(self))

    def indicators(self, run: int = 0) -> pd.DataFrame:
        return self.recorder.indicators(run)

    def region_records(self, run: int = 0) -> pd.DataFrame:
        return self.recorder.region_records(run, self.world)

    def republic_records(self, run: int = 0) -> pd.DataFrame:
        return self.recorder.republic_records(run, self.world)

    def declarations(self, run: int = 0) -> pd.DataFrame:
        rows = [(self.world.republic_codes[k], self.world.republic_names[k], kind, year, step)
                for r, k, kind, step, year in self.declarations_made if r == run]
        return pd.DataFrame(rows, columns=["republic", "name", "declaration", "year", "step"])

    def declaration_table(self) -> pd.DataFrame:
        """The declarations of every run: ``row`` (the run's row in the simulation) and the
        columns of :meth:`declarations`, run by run (in the order each run made them)."""
        made = sorted(self.declarations_made, key=lambda d: d[0])  # (stable: each run's own order)
        codes, names = self.world.republic_codes, self.world.republic_names
        return pd.DataFrame({
            "row": np.array([d[0] for d in made], dtype=np.int64),
            "republic": pd.array([codes[d[1]] for d in made], dtype="str"),
            "name": pd.array([names[d[1]] for d in made], dtype="str"),
            "declaration": pd.array([d[2] for d in made], dtype="str"),
            "year": np.array([d[4] for d in made], dtype=float),
            "step": np.array([d[3] for d in made], dtype=np.int64)})

    def record_declaration(self, run: int, k: int, kind: str) -> None:
        year = self.start_year + (self.steps - 1) / self.steps_per_year
        self.declarations_made.append((int(run), int(k), kind, int(self.steps), float(year)))
        name = self.world.republic_names[k]
        self.log([run], "declaration", f"{name} declares {kind}", republic=name, declaration=kind,
                 code=self.world.republic_codes[k])

    # ================================================================== the event log
    def period_label(self, step: int | None = None) -> str:
        step = self.steps if step is None else step
        year = self.start_year + max(step - 1, 0) / self.steps_per_year  # the period step `step` covers
        whole = int(np.floor(year + 1e-9))
        if self.steps_per_year == 4:
            return f"{whole} Q{int(round((year - whole) * 4)) + 1}"
        if self.steps_per_year == 1:
            return f"{whole}"
        return f"{whole} P{int(round((year - whole) * self.steps_per_year)) + 1}"

    def log(self, runs: Iterable[int], kind: str, label: str, **extra) -> None:
        if not self.keep_log:
            return
        if self._log_period[0] != self.steps:  # step, year, period: once per period
            year = self.start_year + max(self.steps - 1, 0) / self.steps_per_year
            self._log_period = (self.steps, year, self.period_label())
        step, year, period = self._log_period
        for run in runs:
            entry = {"step": step, "year": year, "period": period, "kind": kind, "label": label}
            self.event_logs[int(run)].append({**entry, **extra})

    def _log_by_republic(self, run: int, counts: list[int], kind: str, template: str) -> None:
        """One entry per republic with a count (one for the whole country above 30 republics)."""
        total = sum(counts)
        if not total:
            return
        names = self.world.republic_names
        if len(names) > 30:
            self.log([run], kind, template.format(n=total, rep="the country"), count=total)
            return
        for r, count in enumerate(counts):
            if count:
                self.log([run], kind, template.format(n=count, rep=names[r]), republic=names[r], count=count)

    #: the log's entries for officials whose stance or allegiance changed: kind, sentence
    STANCE_CHANGES = (("stopped obeying", "{n} region(s) of {rep} stop delivering as ordered"),
                      ("follows republic", "{n} region(s) of {rep} now take orders from their republic"),
                      ("acts alone", "{n} region(s) of {rep} break away on their own"),
                      ("sides with the centre", "{n} region(s) of {rep} side with the centre"),
                      ("back in line", "{n} region(s) of {rep} return to obedience"))

    def log_stance_changes(self, old, new, old_allegiance, allegiance) -> None:
        """Log entries for the officials whose stance or allegiance changed this period."""
        if not self.keep_log:
            return
        changed = (old != new) | (old_allegiance != allegiance)
        if not changed.any():
            return
        for run in np.flatnonzero(changed.any(axis=1)).tolist():
            regions = np.flatnonzero(changed[run])
            counts = self._stance_changes(run, regions, old[run, regions], new[run, regions],
                                          old_allegiance[run, regions], allegiance[run, regions])
            for (kind, template), tally in zip(self.STANCE_CHANGES, counts):
                self._log_by_republic(run, tally, kind, template)

    def _stance_changes(self, run, regions, o, n, oa, na) -> list[list[int]]:
        """For each kind of STANCE_CHANGES, how many of ``regions`` made it, by republic."""
        republic = self.republic[regions]
        sovereign = self.status[run, republic] > 0
        if len(regions) > 16:  # many changes: by arrays
            kinds = ((o == OBEYING) & (n != OBEYING) & (na == CENTRE), (oa != REPUBLIC) & (na == REPUBLIC),
                     (oa != REGION) & (na == REGION), (oa != CENTRE) & (na == CENTRE) & sovereign,
                     (o != OBEYING) & (n == OBEYING))
            return [np.bincount(republic[mask], minlength=self.n_republics).tolist() for mask in kinds]
        counts = [[0] * self.n_republics for _ in self.STANCE_CHANGES]  # a few: one by one
        stopped, follows, alone, sides, back = counts
        for k, o_, n_, oa_, na_, sov in zip(republic.tolist(), o.tolist(), n.tolist(), oa.tolist(), na.tolist(),
                                            sovereign.tolist()):
            stopped[k] += o_ == OBEYING and n_ != OBEYING and na_ == CENTRE
            follows[k] += oa_ != REPUBLIC and na_ == REPUBLIC
            alone[k] += oa_ != REGION and na_ == REGION
            sides[k] += oa_ != CENTRE and na_ == CENTRE and sov
            back[k] += o_ != OBEYING and n_ == OBEYING
        return counts

    def log_found(self, dismissed) -> None:
        if not self.keep_log:
            return
        for run in np.flatnonzero(dismissed.any(axis=1)).tolist():
            counts = np.bincount(self.republic[dismissed[run]], minlength=self.n_republics).tolist()
            self._log_by_republic(run, counts, "replaced", "official(s) of {rep} dismissed and replaced")

    # ================================================================== state hand-over
    def snapshot(self, run: int = 0) -> dict:
        """The state of ``run`` (copies), to start another simulation from (``initial_state``)."""
        out: dict[str, Any] = {}
        for name in STATE_FIELDS:
            value = getattr(self, name)
            out[name] = np.array(value[run], copy=True)
        out["_world"] = (self.world_kind, self.n_regions, self.n_republics)
        return out

    def restore(self, states: list[dict]) -> None:
        if len(states) != self.n_runs:
            raise parameters.ParameterError(f"initial_state needs one state per run ({self.n_runs}), got {len(states)}")
        for run, state in enumerate(states):
            if state.get("_world") != (self.world_kind, self.n_regions, self.n_republics):
                raise parameters.ParameterError("initial_state comes from another world; it cannot be continued here")
            for name in STATE_FIELDS:
                getattr(self, name)[run] = state[name]
        # what was declared (or dissolved) before this run began counts as done at its start
        self.sovereignty_step[self.status >= SOVEREIGN] = 0
        self.independence_step[self.status >= INDEPENDENT] = 0
        self.dissolution_step[self.dissolved] = 0
        self.capacity_total = self.capacity.sum(axis=1)


class ParamView(dict):
    """``model.params``: the parameter values of a one-run model, as a read-only mapping.

    Change a lever with ``model.set_lever(name, value)``."""


class CohesionModel(mesa.Model):
    """A centralised state, its republics and its regions (one run).

    Args:
        scenario: a scenario name (``soviet-cohesion scenarios`` lists them) or a path to a
            scenario file.
        rng: seed or numpy Generator; the same seed gives the same run in any process.
        world: ``"ussr"`` (the 15 republics and their regions) or ``"synthetic"``;
            default: the scenario's world.
        steps: number of periods to run; default: the scenario's span.
        initial_state: the state to start from (``other_model.snapshot()``), e.g. Gorbachev's
            reforms started from the state the whole arc reaches in 1985.
        **overrides: any parameter of ``soviet_cohesion.parameters.PARAMETERS``. A lever
            given here is held at that value for the whole run: the scenario's events that
            would move it are skipped (listed in ``skipped_events``).
    """

    def __init__(self, scenario: Any = "gorbachev", rng: Any = None, *, world: str | None = None,
                 steps: int | None = None, initial_state: dict | None = None, **overrides: Any):
        super().__init__(rng=rng)
        self.sim = Simulation([scenario], [self.rng], [overrides], world=world, steps=steps, keep_log=True,
                              initial_state=None if initial_state is None else [initial_state])
        sim = self.sim
        self.timeline = sim.timelines[0]
        self.scenario_name = self.timeline.name
        self.world = sim.world
        self.world_kind = sim.world_kind
        self.n_regions = sim.n_regions
        self.n_steps = sim.n_steps
        self.steps_per_year = sim.steps_per_year
        self.start_year = sim.start_year
        self.centre = Centre(self)
        self.republics = [RepublicLeadership(self, k) for k in range(sim.n_republics)]
        self.officials = [RegionalOfficial(self, i) for i in range(sim.n_regions)]
        self.datacollector = ArrayDataCollector(self, agents=bool(sim.p.value("collect_agents")))
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ time
    def step(self) -> None:
        """One period (the schedule: ``Simulation.step``)."""
        self.sim.step()
        self.running = self.sim.running
        if self.sim.recorder.steps and self.sim.recorder.steps[-1] == self.sim.steps:
            self.datacollector.collect(self)

    def run_model(self) -> None:
        while self.running:
            self.step()

    @property
    def year(self) -> float:
        """Calendar year at the end of the last period run."""
        return self.sim.year

    def period_label(self, step: int | None = None) -> str:
        return self.sim.period_label(step)

    # ------------------------------------------------------------------ levers and players
    @property
    def params(self) -> ParamView:
        return ParamView(self.sim.p.as_dict(0))

    @property
    def pinned(self) -> set[str]:
        return {name for name, mask in self.sim.timeline.pinned.items() if mask[0]}

    def set_lever(self, name: str, value: Any) -> None:
        """Set a dynamic parameter now and hold it (later scenario events skip it)."""
        if name not in parameters.DYNAMIC:
            raise parameters.ParameterError(
                f"{name!r} cannot change during a run; allowed: {', '.join(parameters.DYNAMIC)}")
        self.sim.p.set(name, 0, parameters.get(name).coerce(value))
        self.sim.timeline.pin(name, 0)

    def set_choice(self, region: int, stance: Stance | int) -> None:
        """A player decides for the official of ``region`` in the next period.

        The official still works out its own choice (kept in ``model_stance``, so the two can
        be compared); the player's choice replaces it for that period only. ``played`` marks
        the regions whose last stance a player chose.
        """
        if not isinstance(region, (int, np.integer)) or isinstance(region, bool) or not 0 <= region < self.n_regions:
            raise parameters.ParameterError(
                f"region={region!r} is not allowed: expected a region index in [0, {self.n_regions - 1}]")
        try:
            choice = Stance(int(stance))
        except (TypeError, ValueError):
            raise parameters.ParameterError(
                f"stance={stance!r} is not allowed: expected one of "
                f"{', '.join(f'{int(s)} ({s.label})' for s in Stance)}") from None
        self.sim.player_choices[(0, int(region))] = choice

    # ------------------------------------------------------------------ state (row 0 of the simulation)
    stance = property(lambda self: self.sim.stance[0], doc="stance per region (np.int8; see Stance)")
    allegiance = property(lambda self: self.sim.allegiance[0], doc="allegiance per region (np.int8; see Allegiance)")
    model_stance = property(lambda self: self.sim.model_stance[0],
                            doc="what each official itself chose in the last period, before any player's choice")
    played = property(lambda self: self.sim.played[0], doc="regions whose last stance a player chose")
    status = property(lambda self: self.sim.status[0], doc="status per republic (np.int8; see Status)")
    event_log = property(lambda self: self.sim.event_logs[0], doc="what happened, period by period")
    skipped_events = property(lambda self: self.sim.timeline.skipped[0],
                              doc="scenario changes skipped because the lever was held")
    authority = property(lambda self: float(self.sim.authority[0]))
    reserves = property(lambda self: self.centre.reserves)
    dissolved = property(lambda self: bool(self.sim.dissolved[0]))

    def __getattr__(self, name: str):
        # the remaining state and decision terms of the one run: arrays by region or republic,
        # numbers for the centre (e.g. model.unrest, model.mobilisation, model.picture_gap), and
        # each indicator's value now (model.cohesion, model.non_obedience, ...)
        sim = self.__dict__.get("sim")
        if sim is not None and name in _RUN_ARRAYS:
            value = getattr(sim, name)
            return value[0] if value.ndim > 1 else value[0].item()
        if sim is not None and name in _INDICATOR_INDEX:
            return self.current_indicators()[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def current_indicators(self) -> dict[str, float]:
        """Every indicator's value now (computed once per step)."""
        cached = self.__dict__.get("_current")
        if cached is None or cached[0] != self.sim.steps:
            values = indicators.compute(self.sim)[0]
            cached = (self.sim.steps, {name: float(values[i]) for name, i in _INDICATOR_INDEX.items()})
            self.__dict__["_current"] = cached
        return cached[1]

    # ------------------------------------------------------------------ outputs
    def indicators(self) -> pd.DataFrame:
        """The model-level indicators, one row per recorded step (index: Step)."""
        return self.sim.indicators(0)

    def region_records(self) -> pd.DataFrame:
        """Per-region records: Step, year, region, republic, stance, allegiance and the
        decision terms (16-bit floats)."""
        return self.sim.region_records(0)

    def republic_records(self) -> pd.DataFrame:
        """Per-republic records: Step, year, republic, code, status, mobilisation."""
        return self.sim.republic_records(0)

    def declarations(self) -> pd.DataFrame:
        """Declarations made: republic (code), name, declaration (sovereignty or
        independence), year (the period's start), step."""
        return self.sim.declarations(0)

    def snapshot(self) -> dict:
        """This run's state, to start another model from (``initial_state=``)."""
        return self.sim.snapshot(0)

    # ------------------------------------------------------------------ explanations
    def decision_terms(self, i: int) -> dict:
        """The terms of official ``i``'s last decision."""
        sim, w = self.sim, self.world
        k = int(w.republic[i])
        n_neigh = len(w.neighbours(i)) if not w.complete else w.n - 1
        return {
            "region": w.names[i],
            "republic": w.republic_names[k],
            "stance": Stance(int(sim.stance[0, i])).label,
            "allegiance": Allegiance(int(sim.allegiance[0, i])).label,
            "republic_status": Status(int(sim.status[0, k])).label,
            "risk_of_obeying": float(sim.risk_of_obeying[0, i]),
            "risk_of_disobeying": float(sim.risk_of_disobeying[0, i]),
            "audit_probability": float(sim.audit_probability[0, i]),
            "peer_share": float(sim.peer_share[0, i]),
            "peer_threshold": float(sim.peer_threshold[0, i]),
            "pressure": float(sim.pressure[0, i]),
            "exit_pull": float(sim.exit_pull[0, i]),
            "autonomy_threshold": float(sim.autonomy_threshold[0, i]),
            "republic_pull": float(sim.republic_pull[0, i]),
            "centre_pull": float(sim.centre_pull[0, i]),
            "shortfall": float(sim.shortfall[0, i]),
            "unrest": float(sim.unrest[0, i]),
            "plan_gap": float(sim.plan_gap[0, i]),
            "network": float(sim.network[0, i]),
            "tenure": float(sim.tenure[0, i]),
            "neighbours": n_neigh,
            "official_type": self.sim.official_types[int(sim.type_index[0, i])].name,
            "played": bool(sim.played[0, i]),
        }

    def explain(self, i: int) -> str:
        t = self.decision_terms(i)
        balance = "riskier" if t["risk_of_obeying"] > t["risk_of_disobeying"] else "safer"
        text = (f"{t['region']} ({t['republic']}), {t['official_type']}, {t['tenure']:.0f} years in post: "
                f"{t['stance']}. Obeying looked {balance} than disobeying (risk {t['risk_of_obeying']:.2f} vs "
                f"{t['risk_of_disobeying']:.2f}; audit chance {t['audit_probability']:.0%}); "
                f"{t['peer_share']:.0%} of the peers it sees had stopped obeying "
                f"(its threshold {t['peer_threshold']:.0%}).")
        if t["allegiance"] == "republic":
            text += (f" It takes its orders from its republic, which has declared {t['republic_status']}"
                     f" (pull {t['republic_pull']:.2f} against {t['centre_pull']:.2f} to the centre).")
        elif t["allegiance"] == "region":
            text += f" It acts on its own (pull {t['exit_pull']:.2f} against threshold {t['autonomy_threshold']:.2f})."
        elif t["republic_status"] != "loyal":
            text += (f" Its republic has declared {t['republic_status']}, but it sides with the centre "
                     f"(pull {t['centre_pull']:.2f} against {t['republic_pull']:.2f} to the republic).")
        return text


_INDICATOR_INDEX = {name: i for i, name in enumerate(INDICATORS)}
#: arrays of a one-run model readable as ``model.<name>`` (row 0 of the simulation)
_RUN_ARRAYS = frozenset({
    *archetypes.TRAITS, "type_index", "tenure", "network", "fear", "capacity", "need", "stock", "shortfall",
    "unrest", "reported", "output", "target", "plan", "delivered", "sent", "supplies", "dependence",
    "received", "plan_gap", "padding_claim", "audited", *REGION_FIELDS, "republic_pull", "centre_pull",
    "mobilisation", "memory_revealed", "grievance", "sovereignty_value", "independence_value", "threshold",
    "caution", "force", "picture_gap", "disillusion", "reserve_stock", "initial_reserves", "plan_fulfilment",
    "consistency", "audits", "detected", "replaced", "treaty", "withheld", "suspicion", "revealed",
})


class ArrayDataCollector(mesa.DataCollector):
    """Mesa's DataCollector, filled from the model's arrays instead of one attribute at a time.

    ``get_model_vars_dataframe()`` gives the indicators (as ``model.indicators()``);
    ``get_agent_vars_dataframe()`` gives, per step and official (AgentID), the stance,
    allegiance, risk of obeying and of disobeying, tenure and network (switch
    ``collect_agents=False`` off for speed; ``region_records()`` has more, by region name).

    Each collection keeps two small arrays per step; Mesa's ``model_vars`` and
    ``_agent_records`` (what ``mesa.batch_run`` and the data frames read) are built from them
    when first read after a step, not every step.
    """

    AGENT_FIELDS = ("stance", "allegiance", "risk_of_obeying", "risk_of_disobeying", "tenure", "network")

    _model_vars: dict[str, list]  # set through the model_vars setter (mesa.DataCollector.__init__ sets it)

    def __init__(self, model: CohesionModel, agents: bool = True):
        super().__init__(model_reporters={name: name for name in INDICATORS},
                         agent_reporters={name: name for name in self.AGENT_FIELDS} if agents else None)
        self._model = model
        self._agents = agents
        self._ids = np.array([o.unique_id for o in model.officials])
        self._collection_steps: list[int] = []
        self._codes: list[np.ndarray] = []  # (stance, allegiance) per collected step
        self._terms: list[np.ndarray] = []  # (risk_of_obeying, risk_of_disobeying, tenure, network)

    def collect(self, model) -> None:
        sim = model.sim
        self._collection_steps.append(sim.steps)
        if self._agents:
            self._codes.append(np.stack((sim.stance[0], sim.allegiance[0])))
            self._terms.append(np.stack((sim.risk_of_obeying[0], sim.risk_of_disobeying[0], sim.tenure[0],
                                         sim.network[0])))

    # Mesa's two stores, built on demand (they are plain attributes in mesa.DataCollector)
    @property
    def model_vars(self) -> dict[str, list]:
        steps = len(self._collection_steps)
        if len(self._model_vars.get(INDICATORS[0], ())) != steps:
            series = self._model.sim.recorder.series[-steps:] if steps else []
            rows = np.array([row[0] for row in series]).reshape(steps, len(INDICATORS))
            self._model_vars = dict(zip(INDICATORS, rows.T.tolist()))
        return self._model_vars

    @model_vars.setter
    def model_vars(self, value: dict) -> None:
        self._model_vars = value

    @property
    def _agent_records(self) -> dict[int, list]:
        records = self.__dict__.setdefault("_records", {})
        if self._agents and len(records) != len(self._codes):
            ids = self._ids.tolist()
            for step, codes, terms in list(zip(self._collection_steps, self._codes, self._terms))[len(records):]:
                records[step] = list(zip([step] * len(ids), ids, *codes.tolist(), *terms.tolist()))
        return records

    @_agent_records.setter
    def _agent_records(self, value: dict) -> None:
        self.__dict__["_records"] = value
