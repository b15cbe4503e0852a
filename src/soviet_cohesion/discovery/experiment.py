""""What would have kept the union together?": the centre's levers and their timing over the
Gorbachev years, sampled and run, with the union's survival as the outcome.

Each sample sets, for every lever in :data:`LEVERS`, a value and a year: from the period that
starts in that year the centre sets the lever to the value and holds it to the end of 1991
(the scenario's later events that would move it are skipped). Before that year the scenario
runs as history did. Samples are a Latin hypercube over the values and years (own numpy code:
each input's range cut into ``n`` equal strata, one sample per stratum, strata shuffled
independently per input), with one seed per sample.

The union **survives** a run when, at the end of 1991, it is not dissolved (the model's
``dissolved`` indicator, when the model has one) or, in today's model, when cohesion is still
at least ``threshold`` (0.5 by default).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

SCENARIO = "gorbachev"
#: the centre's levers: (name, lowest value, highest value, what setting it means)
LEVERS = (
    ("responsibility_shared", 0.0, 1.0, "share of the blame for local crises the centre takes on itself"),
    ("appeasement", 0.0, 1.0, "share of supplies targeted at restive regions"),
    ("punishment_severity", 0.0, 1.0, "how hard the centre punishes and blames"),
    ("audit_capacity", 0.0, 0.3, "share of regions the centre can audit per period"),
    ("openness", 0.0, 1.0, "glasnost: how freely failures can be reported and seen"),
    ("supply_reform", 0.0, 1.0, "share of the planned supply system dismantled"),
)
#: when the centre may act: from the second quarter of 1985 to the third quarter of 1991
FIRST_YEAR, LAST_YEAR = 1985.25, 1991.5
THRESHOLD = 0.5


def inputs(levers=LEVERS) -> pd.DataFrame:
    """The sampled inputs: for each lever its value and its year, with their ranges."""
    rows = []
    for name, low, high, meaning in levers:
        rows.append({"input": name, "low": low, "high": high, "unit": "lever value", "meaning": meaning})
        rows.append({"input": f"{name}_year", "low": FIRST_YEAR, "high": LAST_YEAR, "unit": "year",
                     "meaning": f"from when the centre holds {name} at that value"})
    return pd.DataFrame(rows).set_index("input")


def latin_hypercube(n: int, ranges: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` samples, one per equal stratum of each input's range, strata shuffled per input."""
    out = {}
    for name, r in ranges.iterrows():
        u = (rng.permutation(n) + rng.random(n)) / n
        out[name] = r["low"] + u * (r["high"] - r["low"])
    return pd.DataFrame(out)


def design(n: int, seed: int = 1985, levers=LEVERS) -> pd.DataFrame:
    """The samples and a seed per run (from ``seed`` alone)."""
    rng = np.random.default_rng(seed)
    x = latin_hypercube(n, inputs(levers), rng)
    x["seed"] = rng.integers(0, 2 ** 63 - 1, size=n)
    return x


def quarter(year: float) -> float:
    """The start of the quarter in which ``year`` falls."""
    return math.floor(year * 4 + 1e-9) / 4


@dataclass
class Outcome:
    final_cohesion: float
    dissolved: bool | None  # None: the model has no 'dissolved' indicator


def run_policy(values: dict, years: dict, seed: int, scenario: str = SCENARIO) -> Outcome:
    """One run in which the centre sets each lever in ``values`` at the start of the quarter of its
    year in ``years`` and holds it."""
    from ..model import CohesionModel

    model = CohesionModel(scenario, rng=int(seed), collect_regions=False)
    schedule = sorted((quarter(years[name]), name) for name in values)
    while model.running:
        for when, name in schedule:
            if abs(model.year - when) < 1e-9:
                model.set_lever(name, values[name])
        model.step()
    table = model.indicators()
    dissolved = bool(table["dissolved"].iloc[-1]) if "dissolved" in table.columns else None
    return Outcome(float(table["cohesion"].iloc[-1]), dissolved)


def run_chunk(rows: list[dict], lever_names: list[str]) -> list[dict]:
    """Run a chunk of samples (module level: it travels to worker processes)."""
    out = []
    for row in rows:
        values = {n: row[n] for n in lever_names}
        years = {n: row[f"{n}_year"] for n in lever_names}
        o = run_policy(values, years, row["seed"])
        out.append({"final_cohesion": o.final_cohesion, "dissolved": o.dissolved})
    return out


def run_design(x: pd.DataFrame, levers=LEVERS, backend=None, chunk: int = 25,
               note=lambda text: None) -> pd.DataFrame:
    """Run every sample; return ``x`` with ``final_cohesion`` and ``dissolved``."""
    names = [name for name, *_ in levers]
    rows = x.to_dict("records")
    chunks = [rows[i:i + chunk] for i in range(0, len(rows), chunk)]
    if backend is None:
        results = []
        for i, c in enumerate(chunks):
            results.append(run_chunk(c, names))
            if (i + 1) % max(1, len(chunks) // 10) == 0:
                note(f"{min((i + 1) * chunk, len(rows))}/{len(rows)} runs")
    else:
        futures = [backend.executor.submit(run_chunk, c, names) for c in chunks]
        results = [f.result() for f in futures]
    flat = [r for part in results for r in part]
    out = x.copy()
    out["final_cohesion"] = [r["final_cohesion"] for r in flat]
    out["dissolved"] = [r["dissolved"] for r in flat]
    return out


def survives(results: pd.DataFrame, threshold: float = THRESHOLD) -> np.ndarray:
    """1 where the union survives (see the module docstring)."""
    if results["dissolved"].notna().all():
        return (~results["dissolved"].astype(bool)).to_numpy().astype(int)
    return (results["final_cohesion"] >= threshold).to_numpy().astype(int)
