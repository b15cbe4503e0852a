"""Numba for the step, measured (issue 10): is it worth an optional extra?

    pip install numba==0.68.1          # (not a dependency of the project)
    python benchmarks/numba_step.py    # about 2 minutes; --quick for a smoke run

What it does: it compiles, with numba, per-region loops for the submodels that work region by
region (plan_quotas, supply, produce, decide, deliver_and_report, local_accounts, the arithmetic
of audit_and_punish and careers), each written as the numpy mechanism computes it (the same
operations in the same order, numpy's pairwise row sums, scipy's sparse-product order), and puts
them in place of the numpy submodels of ``soviet_cohesion.model``. The centre's and the
republics' submodels, the random draws (each run's own generator), the choice of whom to audit,
the successors, the records and the log stay as they are. Then it

1. checks that whole runs give the same numbers, bit for bit (indicators, declarations, region
   records) on the USSR world, a synthetic grid and an ensemble with per-run overrides;
2. times whole runs with and without the kernels: one ``ussr-1953-1991`` run with all records,
   an ensemble of 256 USSR runs, and 100,000 regions (build excluded), medians of repeats.

The kernels are a second implementation of the rules they cover: the reason to keep them would
be speed, at the 2x on whole runs the issue asks for. See docs/performance.md for the verdict.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd
from numba import njit

from soviet_cohesion import CohesionModel, ensemble
from soviet_cohesion import model as model_module
from soviet_cohesion.agents import AUTONOMOUS, CENTRE, INDEPENDENT, MANAGING, OBEYING, REGION, REPUBLIC, SOVEREIGN
from soviet_cohesion.mechanisms import audits, deliveries, economy, officials
from soviet_cohesion.model import Simulation

# the mechanisms' named constants, frozen into the kernels when they compile
ACCOUNTABLE_UNREST, ALONE_CONTAGION = officials.ACCOUNTABLE_UNREST, officials.ALONE_CONTAGION
DEPENDENCE_HOLD, LOYALTY_HOLD = officials.DEPENDENCE_HOLD, officials.LOYALTY_HOLD
HYSTERESIS, REPUBLIC_POWER, TOLERANCE = officials.HYSTERESIS, officials.REPUBLIC_POWER, officials.TOLERANCE

# ============================================================================ building blocks


@njit
def pairwise(a, lo, n):
    """numpy's pairwise summation of a[lo:lo + n] (what np.add.reduce does along a row)."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    if n <= 128:
        r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
        r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
        i = 8
        m = n - (n % 8)
        while i < m:
            r0 += a[lo + i]
            r1 += a[lo + i + 1]
            r2 += a[lo + i + 2]
            r3 += a[lo + i + 3]
            r4 += a[lo + i + 4]
            r5 += a[lo + i + 5]
            r6 += a[lo + i + 6]
            r7 += a[lo + i + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res += a[lo + i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return pairwise(a, lo, n2) + pairwise(a, lo + n2, n - n2)


@njit
def row_sum(x):
    return pairwise(x, 0, x.size)


@njit
def sparse_row(indptr, indices, data, x, i):
    """scipy's csr_matvec for row i: sum over the stored entries in order, from 0."""
    s = 0.0
    for k in range(indptr[i], indptr[i + 1]):
        s += data[k] * x[indices[k]]
    return s


@njit
def mn(x, y):  # np.minimum for numbers (NaN propagates from x)
    return y if x > y else x


@njit
def mx(x, y):  # np.maximum
    return y if x < y else x


# ============================================================================ economy
@njit
def _plan(pp, ratchet, capacity, reported, target, plan, plan_share):
    R, N = capacity.shape
    for r in range(R):
        keep = 1 - ratchet[r]
        for i in range(N):
            t = pp[r] * (keep * capacity[r, i] + ratchet[r] * reported[r, i])
            target[r, i] = t
            plan[r, i] = plan_share * t


def plan_quotas(sim):
    p = sim.p
    sim.target = np.empty_like(sim.capacity)
    sim.plan = np.empty_like(sim.capacity)
    _plan(p.plan_pressure[:, 0], p.ratchet[:, 0], sim.capacity, sim.reported, sim.target, sim.plan, economy.PLAN_SHARE)


@njit
def _shares(x, member, out):
    """_row_shares of one row into out."""
    total = row_sum(x)
    if total > 0:
        for i in range(x.size):
            out[i] = x[i] / total
    else:
        count = 0
        for i in range(x.size):
            count += member[i]
        d = max(count, 1)
        for i in range(x.size):
            out[i] = member[i] / d


@njit
def _supply(fiscal, reserve_stock, initial_reserves, supply_rate, responsible, appeasement, any_appeasement,
            supply_reform, shortfall, need, capacity, plan, stance, unrest, mobilisation, republic,
            supplies, dependence, relief_rate, supply_loss, dependence_rate):
    R, N = need.shape
    gap = np.empty(N)
    member = np.empty(N)
    shares = np.empty(N)
    restive_shares = np.empty(N)
    restive = np.empty(N)
    for r in range(R):
        reserve = reserve_stock[r] if fiscal[r] else initial_reserves[r]
        rate = supply_rate[r] + responsible[r] * relief_rate * (row_sum(shortfall[r]) * (1.0 / N))
        budget = mn(rate, 1.0) * reserve
        reserve_stock[r] -= fiscal[r] * budget
        for i in range(N):
            m = 1.0 if stance[r, i] != AUTONOMOUS else 0.0
            member[i] = m
            gap[i] = (mx(need[r, i] - (capacity[r, i] - plan[r, i]), 0.0)
                      + responsible[r] * shortfall[r, i] * need[r, i]) * m
        _shares(gap, member, shares)
        a = appeasement[r]
        if any_appeasement:
            for i in range(N):
                restive[i] = (unrest[r, i] + mobilisation[r, republic[i]]) * member[i]
            _shares(restive, member, restive_shares)
            for i in range(N):
                shares[i] = (1 - a) * shares[i] + a * restive_shares[i]
        scale = budget * (1 - supply_loss * supply_reform[r])
        for i in range(N):
            s = scale * shares[i]
            supplies[r, i] = s
            got = mn(s / need[r, i], 1.0)
            dependence[r, i] += dependence_rate * (got - dependence[r, i])


def supply(sim):
    p = sim.p
    sim.supplies = np.empty_like(sim.need)
    a = sim.appeasement_eff
    _supply((p.loop_fiscal[:, 0] > 0), sim.reserve_stock, sim.initial_reserves, p.supply_rate[:, 0],
            p.responsibility_shared[:, 0], a, bool((a > 0).any()), p.supply_reform[:, 0], sim.shortfall, sim.need,
            sim.capacity, sim.plan, sim.stance, sim.unrest, sim.mobilisation, sim.republic, sim.supplies,
            sim.dependence, economy.RELIEF_RATE, economy.SUPPLY_LOSS, economy.DEPENDENCE_RATE)


@njit
def _produce(capacity, scarcity, vulnerability, received, shock, shock_sd, target, potential, output, plan_gap,
             input_share, sqrt3, shocked):
    R, N = capacity.shape
    for r in range(R):
        factor = shock_sd[r] * sqrt3
        for i in range(N):
            pot = capacity[r, i] * (1 - scarcity[r] * vulnerability[i])
            potential[r, i] = pot
            o = pot * (1 - input_share * (1 - received[r, i]))
            if shocked:
                o *= ((shock[r, i] * 2 - 1) * factor) + 1
            output[r, i] = o
            g = 1 - o / target[r, i]
            plan_gap[r, i] = mn(mx(g, 0.0), 1.0)


def produce(sim):
    p = sim.p
    shocked = p.shock_sd[:, 0] > 0
    any_shock = bool(shocked.any())
    shock = sim.draw(shocked, sim.n_regions, fill=0.5) if any_shock else sim.capacity
    for name in ("potential", "output", "plan_gap"):
        setattr(sim, name, np.empty_like(sim.capacity))
    _produce(sim.capacity, p.scarcity[:, 0], sim.vulnerability, sim.received, shock, p.shock_sd[:, 0], sim.target,
             sim.potential, sim.output, sim.plan_gap, economy.INPUT_SHARE, economy.SQRT3, any_shock)


@njit
def _accounts(plan, received, output, delivered, sent, supplies, stock, need, openness, unrest_rate, unrest,
              shortfall, partner_share, stock_cap):
    R, N = plan.shape
    for r in range(R):
        for i in range(N):
            imports = partner_share * plan[r, i] * received[r, i]
            available = output[r, i] - delivered[r, i]
            available -= sent[r, i]
            available += imports
            available += supplies[r, i]
            available += stock[r, i]
            s = mn(mx((need[r, i] - available) / need[r, i], 0.0), 1.0)
            shortfall[r, i] = s
            stock[r, i] = mn(mx(available - need[r, i], 0.0), stock_cap * need[r, i])
            grievance = mn(s * (1 + openness[r]), 1.0)
            unrest[r, i] += unrest_rate[r] * (grievance - unrest[r, i])


def local_accounts(sim):
    p = sim.p
    sim.shortfall = np.empty_like(sim.need)
    sim.stock = sim.stock.copy()
    _accounts(sim.plan, sim.received, sim.output, sim.delivered, sim.sent, sim.supplies, sim.stock, sim.need,
              p.openness[:, 0], p.unrest_rate[:, 0], sim.unrest, sim.shortfall, economy.PARTNER_SHARE,
              economy.STOCK_CAP)


# ============================================================================ decide
@njit
def _decide(R, N, authority, blame, voice, crisis_weight, network_local, decentralisation, severity, chance,
            reach, network_cover, contagion, view, visible, motive_weight, expression, identity_weight,
            local_accountability, openness, dependence_weight, counter_mobilisation,
            shortfall, unrest, local_weight, network, plan, output, plan_gap, fear, allegiance, risk_aversion,
            loyalty, stance, indptr, indices, data, peer_threshold, autonomy_share, dependence, autonomy_threshold,
            titular, status_k, mobilisation_k, republic,
            risk_of_obeying, audit_probability, risk_of_disobeying, peer_share, pressure, exit_pull, republic_pull,
            centre_pull, new, new_allegiance, k):
    not_obeying = np.empty(N)
    for r in range(R):
        for i in range(N):
            not_obeying[i] = 1.0 if stance[r, i] != OBEYING else 0.0
        total_not = row_sum(not_obeying)
        alone_count = 0
        for i in range(N):
            alone_count += allegiance[r, i] == REGION
        alone_share = contagion[r] * (alone_count / N)
        a = authority[r]
        for i in range(N):
            crisis = shortfall[r, i] + voice[r] * unrest[r, i]
            local = local_weight[r, i] + network_local[r] * network[r, i]
            burden = mn(plan[r, i] / mx(output[r, i], 1e-12), 1.0)
            ro = blame[r] * ((crisis_weight[r] + local) * crisis + severity[r] * plan_gap[r, i]
                             + local * decentralisation[r] * burden)
            risk_of_obeying[r, i] = ro
            ap = mx(chance[r], fear[r, i])
            audit_probability[r, i] = ap
            cover = (1 - network_cover[r] * network[r, i]) * (1.0 if allegiance[r, i] != REPUBLIC else 0.0)
            rd = reach[r] * (risk_aversion[r, i] * ap * severity[r] * cover + loyalty[r, i] * a)
            risk_of_disobeying[r, i] = rd
            national = (total_not - not_obeying[i]) / k
            neighbours = sparse_row(indptr, indices, data, not_obeying, i)
            ps = contagion[r] * visible[r] * ((1 - view[r]) * neighbours + view[r] * national)
            peer_share[r, i] = ps
            pr = motive_weight[r] * (ro - rd) + ps - peer_threshold[r, i]
            pressure[r, i] = pr
            holds_back = pr >= -TOLERANCE
            alone_before = allegiance[r, i] == REGION
            ep = (identity_weight[r] * autonomy_share[i] * expression[r]
                  + ACCOUNTABLE_UNREST * local_accountability[r] * unrest[r, i]
                  + ALONE_CONTAGION * openness[r] * alone_share
                  - dependence_weight[r] * DEPENDENCE_HOLD * dependence[r, i]
                  - LOYALTY_HOLD * loyalty[r, i] * a)
            exit_pull[r, i] = ep
            alone = ((alone_before and ep >= autonomy_threshold[r, i] - HYSTERESIS)
                     or (holds_back and ep >= autonomy_threshold[r, i]))
            st = status_k[r, republic[i]]
            mob = mobilisation_k[r, republic[i]]
            rp = titular[i] * mob + REPUBLIC_POWER * (1 - a)
            republic_pull[r, i] = rp
            cp = (loyalty[r, i] * a + dependence_weight[r] * DEPENDENCE_HOLD * dependence[r, i]
                  + counter_mobilisation[r] * (1 - titular[i]) * mob)
            centre_pull[r, i] = cp
            lean = HYSTERESIS * (1.0 if allegiance[r, i] == REPUBLIC else 0.0)
            follows = (st >= SOVEREIGN) and (rp + lean > cp) and not alone
            s = MANAGING if holds_back else OBEYING
            if (follows and st == INDEPENDENT) or alone:
                s = AUTONOMOUS
            new[r, i] = s
            new_allegiance[r, i] = REGION if alone else (REPUBLIC if follows else CENTRE)


def decide(sim):
    if sim.neighbours.matrix is None:  # a complete graph: the prototype leaves it to numpy
        return officials.decide(sim)
    p = sim.p
    R, N = sim.stance.shape
    authority = sim.authority
    blame = ((1 - p.responsibility_shared) * p.loop_responsibility)[:, 0]
    voice = (p.voice_weight * p.openness + p.local_accountability)[:, 0]
    suspects = np.where(p.loop_enforcement[:, 0] > 0, sim.last_suspects, sim.suspects_at_start)
    pool = officials.BACKGROUND_SUSPECTS * sim.last_members + suspects
    chance = (1 - np.exp(-p.audit_k * (sim.last_audits / np.maximum(pool, 1e-12))[:, None]))[:, 0]
    reach = (1 - officials.DECENTRALISED_DETECTION * p.decentralisation)[:, 0]
    view = (officials.VIEW_AT_FULL_OPENNESS * p.openness)[:, 0]
    visible = (officials.VISIBLE_WITHOUT_OPENNESS + (1 - officials.VISIBLE_WITHOUT_OPENNESS) * p.openness)[:, 0]
    expression = ((officials.OPENNESS_FLOOR + (1 - officials.OPENNESS_FLOOR) * p.openness)
                  * (1 - officials.AUTHORITY_HOLD * authority[:, None]))[:, 0]
    m = sim.neighbours.matrix
    out = {name: np.empty((R, N)) for name in ("risk_of_obeying", "audit_probability", "risk_of_disobeying",
                                                "peer_share", "pressure", "exit_pull", "republic_pull",
                                                "centre_pull")}
    new = np.empty((R, N), dtype=np.int8)
    allegiance = np.empty((R, N), dtype=np.int8)
    col = lambda x: np.ascontiguousarray(x[:, 0])  # noqa: E731
    _decide(R, N, authority, blame, voice, col(p.crisis_weight), col(p.network_local), col(p.decentralisation),
            col(p.punishment_severity), chance, reach, col(p.network_cover), col(p.loop_contagion), view, visible,
            col(p.motive_weight), expression, col(p.identity_weight), col(p.local_accountability), col(p.openness),
            col(p.dependence_weight), col(p.counter_mobilisation),
            sim.shortfall, sim.unrest, sim.local_weight, sim.network, sim.plan, sim.output, sim.plan_gap, sim.fear,
            sim.allegiance, sim.risk_aversion, sim.loyalty, sim.stance, m.indptr, m.indices, m.data,
            sim.peer_threshold, sim.autonomy_share, sim.dependence, sim.autonomy_threshold, sim.titular,
            sim.status, sim.mobilisation, sim.republic, *out.values(), new, allegiance, max(N - 1, 1))
    for name, value in out.items():
        setattr(sim, name, value)
    old = sim.stance
    sim.model_stance = new.copy()
    status = sim.status[:, sim.republic]
    if sim.player_choices:
        officials._apply_player_choices(sim, new, allegiance, status)
    elif sim.any_played:
        sim.played[:] = False
        sim.any_played = False
    sim.log_stance_changes(old, new, sim.allegiance, allegiance)
    sim.stance = new
    sim.allegiance = allegiance


# ============================================================================ deliveries
@njit
def _deliver(stance, output, plan, target, network, withholding, supply_reform, own, in_indptr, in_indices,
             in_data, out_indptr, out_indices, out_data, chain, padding, information, fiscal, delivered, sent,
             received, padding_claim, reported, withheld, reserve_stock, partner_share, reform_leakage, trade_cut,
             pad_without_network, central_use):
    R, N = stance.shape
    in_rate = np.empty(N)
    out_rate = np.empty(N)
    sent_over_leak = np.empty(N)
    deliverable_row = np.empty(N)
    for r in range(R):
        keep = 1 - withholding[r]
        leak = 1 - reform_leakage * supply_reform[r]
        for i in range(N):
            s = stance[r, i]
            feasible = mn(output[r, i] / plan[r, i], 1.0)
            rate = 1.0 if s == OBEYING else (keep if s == MANAGING else 0.0)
            delivered[r, i] = (1 - partner_share) * plan[r, i] * feasible * rate
            traded = (1 - trade_cut) if s == AUTONOMOUS else 1.0
            out_rate[i] = ((1 - trade_cut) if s == AUTONOMOUS else rate) * feasible * leak
            in_rate[i] = traded * feasible * leak
            sr = own[i] * in_rate[i] + (1 - own[i]) * out_rate[i]
            sent[r, i] = partner_share * plan[r, i] * sr
            sent_over_leak[i] = partner_share * plan[r, i] * sr / leak
            deliverable_row[i] = plan[r, i] * feasible
        delivered_total = row_sum(delivered[r])
        made = delivered_total + row_sum(sent_over_leak)
        deliverable = row_sum(deliverable_row)
        withheld[r] = mn(mx(1 - made / mx(deliverable, 1e-12), 0.0), 1.0)
        for i in range(N):
            if chain[r]:
                got = sparse_row(in_indptr, in_indices, in_data, in_rate, i)
                got += sparse_row(out_indptr, out_indices, out_data, out_rate, i)
            else:
                got = leak
            received[r, i] = mn(got, 1.0)
            s = stance[r, i]
            pad = padding[r] * (pad_without_network + (1 - pad_without_network) * network[r, i]) * information[r]
            claim = (1.0 if s == OBEYING else 0.0) * pad * mx(target[r, i] - output[r, i], 0.0)
            padding_claim[r, i] = claim
            rep = output[r, i] + claim - (1.0 if s == MANAGING else 0.0) * withholding[r] * output[r, i]
            reported[r, i] = target[r, i] if s == AUTONOMOUS else rep
        reserve_stock[r] += fiscal[r] * (1 - central_use) * delivered_total


def deliver_and_report(sim):
    p = sim.p
    R, N = sim.stance.shape
    level = p.economic_councils[:, 0].astype(np.int64)
    if len(set(level.tolist())) != 1 or sim.supply[int(level[0])][0].matrix is None:
        return deliveries.deliver_and_report(sim)  # (the prototype handles one council structure at a time)
    inside, outside = sim.supply[int(level[0])]
    for name in ("delivered", "sent", "received", "padding_claim", "reported"):
        setattr(sim, name, np.empty((R, N)))
    sim.withheld = np.empty(R)
    col = lambda x: np.ascontiguousarray(x[:, 0])  # noqa: E731
    _deliver(sim.stance, sim.output, sim.plan, sim.target, sim.network, col(p.withholding), col(p.supply_reform),
             sim.own_share[int(level[0])], inside.matrix.indptr, inside.matrix.indices, inside.matrix.data,
             outside.matrix.indptr, outside.matrix.indices, outside.matrix.data, p.loop_supply_chain[:, 0] > 0,
             col(p.padding), col(p.loop_information), p.loop_fiscal[:, 0] > 0, sim.delivered, sim.sent, sim.received,
             sim.padding_claim, sim.reported, sim.withheld, sim.reserve_stock, economy.PARTNER_SHARE,
             deliveries.REFORM_LEAKAGE, deliveries.TRADE_CUT, deliveries.PAD_WITHOUT_NETWORK, economy.CENTRAL_USE)


# ============================================================================ audits and careers
@njit
def _careers_tail(tenure, network, growth, step_years):
    R, N = tenure.shape
    for r in range(R):
        for i in range(N):
            tenure[r, i] += step_years
            network[r, i] += (1 - network[r, i]) * growth[r]


def careers(sim):
    p = sim.p
    replace = sim.dismissed
    moving = p.cadre_turnover[:, 0] > 0
    if moving.any():
        members = (sim.stance != AUTONOMOUS) & (sim.allegiance == CENTRE)
        departs = members & (sim.draw(moving, sim.n_regions, fill=1.0) < p.cadre_turnover / sim.steps_per_year)
        replace = departs | replace
    if replace.any():
        audits.appoint(sim, replace)
    growth = ((1 - (1 - p.network_growth) ** (1.0 / sim.steps_per_year)) * p.loop_entrenchment)[:, 0]
    _careers_tail(sim.tenure, sim.network, np.ascontiguousarray(growth), 1.0 / sim.steps_per_year)


INSTALLED = {"plan_quotas": plan_quotas, "supply": supply, "produce": produce, "decide": decide,
             "deliver_and_report": deliver_and_report, "local_accounts": local_accounts, "careers": careers}
ORIGINAL = {name: getattr(model_module, name) for name in INSTALLED}


def use(kernels: bool) -> None:
    for name in INSTALLED:
        setattr(model_module, name, INSTALLED[name] if kernels else ORIGINAL[name])


# ============================================================================ checks and timings
def outcomes(quick: bool) -> dict:
    out = {}
    for scenario, seed, kw in [("ussr-1953-1991", 1, {}), ("gorbachev", 2, {}), ("khrushchev", 3, {}),
                               ("gorbachev", 4, {"world": "synthetic", "n_regions": 150, "topology": "grid"}),
                               ("ussr-1953-1991", 5, {"world": "synthetic", "n_regions": 120, "topology": "network"})]:
        m = CohesionModel(scenario, rng=seed, **kw)
        m.run_model()
        out[(scenario, seed)] = (m.indicators(), m.declarations(), m.region_records())
    out["ensemble"] = ensemble.Ensemble("gorbachev", range(6 if quick else 16), keep="series",
                                        punishment_severity=list(np.linspace(0, 1, 6 if quick else 16)),
                                        appeasement=[0.0, 0.3] * (3 if quick else 8)).tables()["series"]
    return out


def same(a, b) -> list[str]:
    bad = []
    for key in a:
        xs, ys = (a[key], b[key]) if isinstance(a[key], tuple) else ((a[key],), (b[key],))
        for x, y in zip(xs, ys):
            try:
                pd.testing.assert_frame_equal(x, y, check_exact=True)
            except AssertionError as exc:
                bad.append(f"{key}: {str(exc).splitlines()[0]}")
    return bad


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        c0 = time.process_time()
        fn()
        times.append(time.process_time() - c0)
    return statistics.median(times)


def main(argv=None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--quick", action="store_true")
    quick = args.parse_args(argv).quick
    import numba
    print(f"numba {numba.__version__}, numpy {np.__version__}; load average {os.getloadavg()}")
    use(True)
    t0 = time.perf_counter()
    outcomes(True)  # compile (cached on disk afterwards)
    print(f"compiling the kernels: {time.perf_counter() - t0:.1f} s (on first use in each process; not cached:"
          f" numba 0.68 crashed here loading the recursive row sum from its cache)")
    with_kernels = outcomes(quick)
    use(False)
    plain = outcomes(quick)
    differences = same(plain, with_kernels)
    print("1. whole runs, numpy against the kernels: " + ("identical, bit for bit" if not differences else
                                                           f"{len(differences)} differ: " + "; ".join(differences[:5])))
    repeats = 2 if quick else 5
    big = 2_000 if quick else 100_000

    def full():
        m = CohesionModel("ussr-1953-1991", rng=1)
        m.run_model()
        m.indicators(), m.region_records(), m.declarations()

    def batch():
        ensemble.run("ussr-1953-1991", range(16 if quick else 256), keep="final")

    def many():
        sim = Simulation(["ussr-1953-1991"], [np.random.default_rng(0)], [{"n_regions": big, "collect_regions": False}],
                         world="synthetic", steps=10 if quick else 40)
        c0 = time.process_time()
        sim.run()
        many.run = time.process_time() - c0

    print(f"2. CPU seconds per whole run, median of {repeats} (load average {os.getloadavg()})")
    print(f"   {'':40s} {'numpy':>9s} {'kernels':>9s} {'speed-up':>9s}")
    for label, fn in (("one full ussr-1953-1991 run, all records", full),
                      (f"ensemble of {16 if quick else 256} USSR runs", batch),
                      (f"{big:,} regions, {10 if quick else 40} steps (steps only)", many)):
        times = {}
        for kernels in (False, True):
            use(kernels)
            if fn is many:
                runs = []
                for _ in range(repeats):
                    many()
                    runs.append(many.run)
                times[kernels] = statistics.median(runs)
            else:
                times[kernels] = median_time(fn, repeats)
        use(False)
        print(f"   {label:40s} {times[False]:9.3f} {times[True]:9.3f} {times[False] / times[True]:8.2f}x")
    print(f"   load average at the end {os.getloadavg()}")
    return 0 if not differences else 1


if __name__ == "__main__":
    sys.exit(main())
