"""The stylised facts the model must show, measured over many seeds (docs/ODD.md, section 1.2).

Each function runs the scenarios it needs as ensembles (one generator per seed; run ``i``
equals ``CohesionModel(scenario, rng=seeds[i])``) and returns plain numbers, so the tests, the
README's figures (``experiments/stylised_facts.py``) and the robustness table
(``experiments/robustness.py``) all measure the same thing. Nothing here is told an outcome:
every number is read off runs.

>>> from soviet_cohesion import facts
>>> facts.gorbachev(range(20))["dissolved"]  # doctest: +SKIP
0.95
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from . import scenarios
from .model import Simulation

#: the seeds the facts are stated for (the README, the tests, the robustness table)
SEEDS = tuple(range(20))
#: the republic that declared independence first (11 March 1990)
FIRST_TO_INDEPENDENCE = "LIT"


def simulate(scenario: Any, seeds: Iterable[int] = SEEDS, *, steps: int | None = None,
             initial_state: list[dict] | None = None, **overrides: Any) -> Simulation:
    """One finished simulation of ``scenario`` with one run per seed (the same overrides in each)."""
    seeds = list(seeds)
    timeline = scenario if isinstance(scenario, scenarios.Scenario) else scenarios.load(scenario)
    sim = Simulation([timeline] * len(seeds), [np.random.default_rng(s) for s in seeds],
                     [dict(overrides, collect_regions=False) for _ in seeds], steps=steps,
                     initial_state=initial_state)
    sim.run()
    return sim


def _tables(sim: Simulation) -> list[pd.DataFrame]:
    return [sim.indicators(r) for r in range(sim.n_runs)]


def first_year(table: pd.DataFrame, mask) -> float:
    """Year of the first recorded step where ``mask`` holds (infinity if never)."""
    mask = np.asarray(mask)
    return float(table["year"].to_numpy()[mask.argmax()]) if mask.any() else np.inf


def _window(table: pd.DataFrame, start: float, end: float, column: str) -> float:
    rows = table[(table["year"] > start) & (table["year"] <= end)]
    return float(rows[column].mean())


def break_up(sim: Simulation) -> dict[str, Any]:
    """How the union came apart in each run of a 1985-1991 simulation (per-run arrays)."""
    n = sim.n_runs
    tables = _tables(sim)
    declared = pd.DataFrame(sim.declarations_made, columns=["run", "k", "declaration", "step", "year"])
    declared["code"] = [sim.world.republic_codes[k] for k in declared["k"]]
    sov = declared[declared["declaration"] == "sovereignty"]
    ind = declared[declared["declaration"] == "independence"]
    first_sov = sov.groupby("run")["year"].min().reindex(range(n)).fillna(np.inf).to_numpy(dtype=float)
    first_ind = ind.groupby("run")["year"].min().reindex(range(n)).fillna(np.inf).to_numpy(dtype=float)
    years = ind.pivot_table(index="run", columns="code", values="year").reindex(
        index=range(n), columns=sim.world.republic_codes)
    leader_rank = years.rank(axis=1, method="min")[FIRST_TO_INDEPENDENCE].to_numpy()
    dissolution = np.array([sim.start_year + (s - 1) / sim.steps_per_year if s >= 0 else np.inf
                            for s in sim.dissolution_step])
    localities = np.array([first_year(t, t["non_obedience"] > 0.5) for t in tables])
    centre = np.array([first_year(t, t["authority"] < 0.5) for t in tables])
    core = sim.world.rep_core[sim.republic]
    alone = np.array([(sim.allegiance[r, core] == 2).mean() for r in range(n)])
    return {"first_sovereignty": first_sov, "first_independence": first_ind, "dissolution": dissolution,
            "leader_rank": leader_rank, "localities": localities, "centre": centre,
            "core_regions_alone": alone, "final_cohesion": np.array([t["cohesion"].iloc[-1] for t in tables]),
            "declarations": declared}


# ------------------------------------------------------------------------------ the facts
def stalin(seeds=SEEDS, **overrides) -> dict[str, float]:
    """Late Stalinism keeps cohesion high and steady."""
    tables = _tables(simulate("stalin", seeds, **overrides))
    return {"min_cohesion": float(min(t["cohesion"].min() for t in tables)),
            "mean_final_cohesion": float(np.mean([t["cohesion"].iloc[-1] for t in tables]))}


def gorbachev(seeds=SEEDS, **overrides) -> dict[str, float]:
    """The union breaks along republic lines, from the bottom up, by the end of 1991."""
    b = break_up(simulate("gorbachev", seeds, **overrides))
    fs = b["first_sovereignty"]
    return {"dissolved": float(np.mean(b["dissolution"] < 1992.0)),
            "dissolution_median": float(np.median(b["dissolution"])),
            "first_sovereignty_median": float(np.median(fs)),
            "first_sovereignty_1988_89": float(np.mean((fs >= 1988.0) & (fs < 1990.0))),
            "first_independence_median": float(np.median(b["first_independence"])),
            "lithuania_first_two": float(np.mean(b["leader_rank"] <= 2)),
            "localities_first": float(np.mean(b["localities"] < b["centre"])),
            "core_regions_not_alone": float(1 - np.mean(b["core_regions_alone"])),
            "final_cohesion_median": float(np.median(b["final_cohesion"]))}


def reforms_cause(seeds=SEEDS, shift: float = 1.0, **overrides) -> dict[str, float]:
    """The reforms cause the collapse: without them it does not happen; moved by ``shift``
    years, the first declaration moves with them."""
    base = scenarios.load("gorbachev")
    fresh = break_up(simulate(base, seeds, **overrides))
    without = break_up(simulate(base.without("reform"), seeds, **overrides))
    moved = break_up(simulate(base.shifted(shift), seeds, **overrides))
    both = np.isfinite(fresh["first_sovereignty"]) & np.isfinite(moved["first_sovereignty"])
    delay = moved["first_sovereignty"][both] - fresh["first_sovereignty"][both]
    return {"dissolved_without_reforms": float(np.mean(without["dissolution"] < 1992.0)),
            "declared_without_reforms": float(np.mean(np.isfinite(without["first_sovereignty"]))),
            "first_declaration_delay_median": float(np.median(delay)) if delay.size else np.nan,
            "declared_with_both": float(np.mean(both))}


def shared_responsibility(seeds=SEEDS, **overrides) -> dict[str, float]:
    """The same reforms with responsibility moved with authority: the union holds."""
    sim = simulate("gorbachev-shared-responsibility", seeds, **overrides)
    b = break_up(sim)
    tables = _tables(sim)
    return {"dissolved": float(np.mean(b["dissolution"] < 1992.0)),
            "cohesive": float(np.mean(b["final_cohesion"] > 0.6)),
            "final_cohesion_median": float(np.median(b["final_cohesion"])),
            "final_non_obedience_median": float(np.median([t["non_obedience"].iloc[-1] for t in tables]))}


def khrushchev(seeds=SEEDS, **overrides) -> dict[str, float]:
    """Localism rises under the sovnarkhozy and falls after the 1965 recentralisation."""
    tables = _tables(simulate("khrushchev", seeds, **overrides))
    before = np.array([_window(t, 1953.5, 1957.5, "non_obedience") for t in tables])
    during = np.array([_window(t, 1958.5, 1965.75, "non_obedience") for t in tables])
    after = np.array([_window(t, 1967.0, 1970.0, "non_obedience") for t in tables])
    return {"before": float(before.mean()), "during": float(during.mean()), "after": float(after.mean()),
            "rises_and_falls": float(np.mean((during > before + 0.1) & (after < during - 0.1)))}


def brezhnev(seeds=SEEDS, **overrides) -> dict[str, float]:
    """Stability of cadres: hidden erosion rises while compliance stays above 0.9."""
    tables = _tables(simulate("brezhnev", seeds, **overrides))

    def at(t, year, column):
        return float(t.loc[(t["year"] - year).abs() < 1e-9, column].iloc[0])

    compliance = np.array([t.loc[t["year"] > 1966.0, "compliance"].min() for t in tables])
    out = {"compliant": float(np.mean(compliance > 0.9)), "min_compliance_median": float(np.median(compliance))}
    for column in ("entrenchment", "picture_gap", "misreporting", "mean_tenure"):
        start = np.array([at(t, 1966.0, column) for t in tables])
        end = np.array([at(t, 1985.0, column) for t in tables])
        out[f"{column}_1966"], out[f"{column}_1985"] = float(np.median(start)), float(np.median(end))
        out[f"{column}_rises"] = float(np.mean(end > start))
    return out


def whole_arc(seeds=SEEDS, **overrides) -> dict[str, float]:
    """Gorbachev's reforms started from the state the whole arc reaches in 1985 collapse sooner
    than the same reforms started fresh; the arc itself shows the Khrushchev pattern."""
    seeds = list(seeds)
    arc = simulate("ussr-1953-1991", seeds, steps=(1985 - 1953) * 4, **overrides)
    tables = _tables(arc)
    states = [arc.snapshot(r) for r in range(arc.n_runs)]
    fresh = break_up(simulate("gorbachev", seeds, **overrides))
    inherited = break_up(simulate("gorbachev", seeds, initial_state=states, **overrides))

    def when(b):  # dissolution year, or the first independence when there was none
        return np.where(np.isfinite(b["dissolution"]), b["dissolution"], b["first_independence"])

    earlier = when(inherited) < when(fresh)
    same = when(inherited) == when(fresh)
    return {"inherited_dissolution_median": float(np.median(inherited["dissolution"])),
            "fresh_dissolution_median": float(np.median(fresh["dissolution"])),
            "inherited_sooner": float(np.mean(earlier)), "inherited_later": float(np.mean(~earlier & ~same)),
            "compliance_1985": float(np.median([t["compliance"].iloc[-1] for t in tables])),
            "entrenchment_1985": float(np.median([t["entrenchment"].iloc[-1] for t in tables])),
            "localism_sovnarkhozy": float(np.mean([_window(t, 1958.5, 1965.75, "non_obedience") for t in tables])),
            "localism_1967_1985": float(np.mean([_window(t, 1967.0, 1985.0, "non_obedience") for t in tables]))}


def tipping_point(seeds=SEEDS, levels=None, **overrides) -> dict[str, Any]:
    """Scarcity raised step by step in the Brezhnev scenario: the share of officials obeying
    falls by more than a half within a tenth of scarcity (a tipping point, not a slope)."""
    levels = np.round(np.arange(0.0, 1.0001, 0.05), 2) if levels is None else np.asarray(levels)
    seeds = list(seeds)
    timeline = scenarios.load("brezhnev")
    runs = [(s, float(level)) for s in seeds for level in levels]  # every seed at every level, at once
    sim = Simulation([timeline] * len(runs), [np.random.default_rng(s) for s, _ in runs],
                     [dict(overrides, scarcity=level, collect_regions=False) for _, level in runs])
    sim.run()
    final = np.array([sim.indicators(r)["compliance"].iloc[-1] for r in range(sim.n_runs)]).reshape(
        len(seeds), len(levels))

    def largest_drop(curve):
        return max(abs(curve[j] - curve[i]) for i in range(len(levels)) for j in range(i + 1, len(levels))
                   if levels[j] - levels[i] <= 0.1 + 1e-9)

    per_seed = np.array([largest_drop(c) for c in final])
    mean = final.mean(axis=0)
    return {"levels": levels, "compliance": final, "tipping_share": float(np.mean(per_seed > 0.5)),
            "mean_curve_drop": float(largest_drop(mean)), "mean_low": float(mean[0]), "mean_high": float(mean[-1])}


def loops_off(seeds=SEEDS, **overrides) -> dict[str, tuple[float, float]]:
    """Gorbachev with one feedback loop switched off at a time: the share of runs in which the
    union dissolves and the median final cohesion (which loops the collapse needs)."""
    from .parameters import LOOPS

    out = {}
    for loop in (None, *LOOPS):
        extra = {} if loop is None else {loop: False}
        b = break_up(simulate("gorbachev", seeds, **dict(overrides, **extra)))
        key = "all on" if loop is None else loop
        out[key] = (float(np.mean(b["dissolution"] < 1992.0)), float(np.median(b["final_cohesion"])))
    return out
