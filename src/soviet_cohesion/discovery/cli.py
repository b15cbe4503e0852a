"""``soviet-cohesion discover [--runs N] [--out DIR]`` (registered in soviet_cohesion.cli)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..parameters import ParameterError


def add_parser(sub, whole_number) -> None:
    p = sub.add_parser("discover",
                       help="scenario discovery (PRIM): which centre levers and dates kept the union together")
    p.add_argument("--runs", type=whole_number("--runs", 50), default=1000, help="sampled runs (default: 1000)")
    p.add_argument("--out", default="results/discovery", help="results folder (default: results/discovery)")
    p.add_argument("--seed", type=whole_number("--seed", 0), default=1985, help="seed of the design (default: 1985)")
    p.add_argument("--threshold", type=_share, default=None,
                   help="final cohesion at or above which the union counts as surviving, when the model has no "
                        "'dissolved' indicator (default: 0.5)")
    p.add_argument("--workers", type=whole_number("--workers", 1), default=None,
                   help="local worker processes (default: 1, in this process)")
    p.set_defaults(func=cmd_discover)


def _share(text):
    import argparse

    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"--threshold {text!r}: must be a number in [0, 1]")
    return value


def cmd_discover(args) -> int:
    from . import experiment
    from .prim import covering, prim
    from .report import write_report

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {args.out!r}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    threshold = experiment.THRESHOLD if args.threshold is None else args.threshold
    x = experiment.design(args.runs, args.seed)
    backend = None
    if args.workers and args.workers > 1:
        from ..sweep.executors import make_backend

        backend = make_backend(args.workers, None)
    start = time.perf_counter()
    try:
        results = experiment.run_design(x, backend=backend, note=lambda t: print(t, file=sys.stderr))
    except KeyboardInterrupt:
        print("interrupted: nothing written (the runs take minutes; run the command again)", file=sys.stderr)
        return 130
    finally:
        if backend is not None:
            backend.close()
    elapsed = time.perf_counter() - start
    results.to_parquet(out / "samples.parquet", index=False)
    y = experiment.survives(results, threshold)
    results["survives"] = y
    results.to_parquet(out / "samples.parquet", index=False)
    rule = ("the model's 'dissolved' indicator is false at the end of 1991" if results["dissolved"].notna().all()
            else f"cohesion at the end of 1991 at least {threshold:g}")
    inputs = experiment.inputs()
    xin = results[list(inputs.index)]
    first = prim(xin, y)
    boxes = covering(xin, y) if y.sum() else []
    breaks = covering(xin, 1 - y) if (1 - y).sum() else []
    command = (f"soviet-cohesion discover --runs {args.runs} --seed {args.seed} --out {args.out}"
               + (f" --threshold {args.threshold:g}" if args.threshold is not None else ""))
    files = write_report(out, results, y, boxes, first, inputs, "the union survives", command, elapsed, rule, breaks)
    print(f"{args.runs} runs in {elapsed:.0f} s: the union survives in {y.mean():.1%} ({rule})")
    if not boxes:
        print("PRIM found no box clearly denser than the runs as a whole.")
    for i, (box, _) in enumerate(boxes, start=1):
        print(f"box {i}: coverage {box.coverage:.0%}, density {box.density:.0%}, mass {box.mass:.0%}: {box.describe()}")
    for i, (box, _) in enumerate(breaks, start=1):
        print(f"dissolves, box {i}: coverage {box.coverage:.0%}, density {box.density:.0%}, mass {box.mass:.0%}: "
              f"{box.describe()}")
    print(f"report: {files[0]}")
    return 0
