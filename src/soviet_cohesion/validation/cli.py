"""``soviet-cohesion validate [--seeds N] [--out DIR]`` (registered in soviet_cohesion.cli)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..parameters import ParameterError


def add_parser(sub, whole_number) -> None:
    p = sub.add_parser("validate", help="score the model against history and two null models, write a report")
    p.add_argument("--seeds", type=whole_number("--seeds", 1), default=20,
                   help="seeds per scenario (default: 20)")
    p.add_argument("--out", default="results/validation", help="report folder (default: results/validation)")
    p.set_defaults(func=cmd_validate)


def cmd_validate(args) -> int:
    from .report import write_report
    from .validate import failures, format_table, run_validation, summary_table

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {args.out!r}: exists and is not a folder")
    seeds = range(1, args.seeds + 1)
    result = run_validation(seeds, note=lambda text: print(text, file=sys.stderr))
    command = f"soviet-cohesion validate --seeds {args.seeds} --out {args.out}"
    files = write_report(result, out, command=command)
    table = summary_table(result)
    print(format_table(table))
    print()
    fails = failures(result)
    if fails:
        print("Where the model fails:")
        for text in fails:
            print("  - " + text.replace("**", ""))
    missing = [r["pattern"].name for r in result.rows if not r["model"].produced]
    if missing:
        print(f"Not produced by this model version: {', '.join(missing)}")
    print(f"{result.n_runs} runs in {result.elapsed_s:.1f} s; report: {files[0]}")
    return 0
