"""``soviet-cohesion calibrate SPEC.toml [--out DIR] [--workers N] [--scheduler ...]``
(registered in soviet_cohesion.cli)."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub, whole_number) -> None:
    p = sub.add_parser("calibrate", help="ABC-SMC calibration of behavioural parameters against union-level patterns")
    p.add_argument("spec", help="calibration specification (.toml), e.g. experiments/calibrate/union.toml")
    p.add_argument("--out", default=None, help="results folder (default: results/<spec name>)")
    p.add_argument("--workers", type=whole_number("--workers", 1), default=None,
                   help="local worker processes (default: 1, in this process)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="run the simulations on an existing Dask distributed cluster")
    p.set_defaults(func=cmd_calibrate)


def cmd_calibrate(args) -> int:
    from .report import write_report
    from .session import run_calibration
    from .spec import load_spec

    spec = load_spec(args.spec)  # a bad spec: CalibrationError, one line, exit 2, before anything runs
    out = Path(args.out) if args.out else Path("results") / spec.name
    if args.scheduler and args.workers:
        print("note: --workers is ignored with --scheduler (the cluster's workers are used)", file=sys.stderr)
    try:
        cal = run_calibration(spec, out, workers=None if args.scheduler else args.workers, scheduler=args.scheduler,
                              note=lambda text: print(text, file=sys.stderr))
    except KeyboardInterrupt:
        print(f"interrupted: the complete generations are saved in {out / 'generations'}; run the same command "
              "to resume", file=sys.stderr)
        return 130
    files = write_report(cal)
    g = cal.result.posterior
    print(f"{spec.name}: {len(cal.result.generations)} generations, {cal.result.n_simulations} particles simulated; "
          f"stopped: {cal.result.stop_reason}")
    for name in spec.priors.names:
        print(f"  {name:22s} mean {g.mean()[name]:.4g}  sd {g.sd()[name]:.3g}  "
              f"90% [{g.quantile(0.05)[name]:.4g}, {g.quantile(0.95)[name]:.4g}]")
    if cal.runs_per_second == cal.runs_per_second:
        print(f"runs per second: {cal.runs_per_second:.1f}")
    print(f"report: {files[0]}")
    return 0
