"""The dashboard's discovery panel data: run the scenario discovery ("what would have kept the
union together?", :mod:`soviet_cohesion.discovery`) and write ``dashboard/data/discovery.json``,
the small file the panel reads (it ships in the wheel).

    python scripts/dashboard_discovery.py [--runs 1000] [--seed 1985] [--workers 2] [--out FILE]

The file holds the share of runs where the union survives, and for each PRIM box (where it
survives, and where it dissolves) its coverage, density and mass and its limits: lever, value or
year, lower and upper bound, and whether each bound is at the edge of the sampled range (no real
limit). It also records the number of runs, the seed, the command and the package version that
made it. The numbers come from the same functions as ``soviet-cohesion discover``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

import soviet_cohesion
from soviet_cohesion.discovery import experiment
from soviet_cohesion.discovery.prim import Box, covering

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "dashboard" / "data" / "discovery.json"
SCHEMA = 1
#: the fields of the file, of a box and of a limit (the tests check the file against these)
FIELDS = ("schema", "command", "package_version", "runs", "seed", "survived", "survival_share", "rule",
          "threshold", "first_year", "last_year", "levers", "boxes", "dissolved_boxes")
BOX_FIELDS = ("coverage", "density", "mass", "n", "cases", "limits")
LIMIT_FIELDS = ("input", "lever", "kind", "low", "high", "sampled_low", "sampled_high", "low_at_edge",
                "high_at_edge")
EDGE = 1e-12


def _r(value: float) -> float:
    return round(float(value), 4)


def box_data(box: Box) -> dict:
    """A box as plain data: its figures and, per restricted input, its limits."""
    limits = []
    for name in box.restricted:
        low, high = float(box.limits.loc[name, "low"]), float(box.limits.loc[name, "high"])
        sampled_low, sampled_high = float(box.ranges.loc[name, "low"]), float(box.ranges.loc[name, "high"])
        is_year = name.endswith("_year")
        limits.append({"input": name, "lever": name.removesuffix("_year"), "kind": "year" if is_year else "value",
                       "low": _r(low), "high": _r(high), "sampled_low": _r(sampled_low),
                       "sampled_high": _r(sampled_high), "low_at_edge": bool(low <= sampled_low + EDGE),
                       "high_at_edge": bool(high >= sampled_high - EDGE)})
    return {"coverage": _r(box.coverage), "density": _r(box.density), "mass": _r(box.mass), "n": int(box.n),
            "cases": int(box.n_cases), "limits": limits}


def command_line(runs: int, seed: int, workers: int) -> str:
    return f"python scripts/dashboard_discovery.py --runs {runs} --seed {seed} --workers {workers}"


def discovery_data(runs: int = 1000, seed: int = 1985, workers: int = 2, note=lambda text: None) -> dict:
    """Run the discovery (as ``soviet-cohesion discover`` does) and return the panel's data."""
    x = experiment.design(runs, seed)
    backend = None
    if workers > 1:
        from soviet_cohesion.sweep.executors import make_backend

        backend = make_backend(workers, None)
    try:
        results = experiment.run_design(x, backend=backend, note=note)
    finally:
        if backend is not None:
            backend.close()
    y = experiment.survives(results, experiment.THRESHOLD)
    inputs = experiment.inputs()
    xin = results[list(inputs.index)]
    boxes = covering(xin, y) if y.sum() else []
    breaks = covering(xin, 1 - y) if (1 - y).sum() else []
    by_dissolved = bool(results["dissolved"].notna().all())
    return {
        "schema": SCHEMA,
        "command": command_line(runs, seed, workers),
        "package_version": soviet_cohesion.__version__,
        "runs": int(runs),
        "seed": int(seed),
        "survived": int(np.sum(y)),
        "survival_share": _r(np.mean(y)),
        "rule": "dissolved" if by_dissolved else "cohesion",
        "threshold": experiment.THRESHOLD,
        "first_year": experiment.FIRST_YEAR,
        "last_year": experiment.LAST_YEAR,
        "levers": [{"name": name, "low": low, "high": high} for name, low, high, _ in experiment.LEVERS],
        "boxes": [box_data(box) for box, _ in boxes],
        "dissolved_boxes": [box_data(box) for box, _ in breaks],
    }


def write(data: dict, out: Path = OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=1000, help="sampled runs (default: 1000)")
    p.add_argument("--seed", type=int, default=1985, help="seed of the design (default: 1985)")
    p.add_argument("--workers", type=int, default=2, help="local worker processes (default: 2)")
    p.add_argument("--out", type=Path, default=OUT, help=f"the file to write (default: {OUT.relative_to(ROOT)})")
    args = p.parse_args(argv)
    if args.runs < 50 or args.workers < 1:
        p.error("--runs must be at least 50 and --workers at least 1")
    start = time.perf_counter()
    data = discovery_data(args.runs, args.seed, args.workers, note=lambda t: print(t, file=sys.stderr))
    out = write(data, args.out)
    print(f"{data['runs']} runs in {time.perf_counter() - start:.0f} s: the union survives in "
          f"{data['survival_share']:.1%}; {len(data['boxes'])} boxes; written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
