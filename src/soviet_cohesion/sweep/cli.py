"""``soviet-cohesion sweep`` and ``soviet-cohesion analyze`` (called from soviet_cohesion.cli)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .session import default_out, run_sweep, summary_line
from .spec import load_spec


def cli_sweep(spec: str, out: str | None = None, workers: int | None = None,
              scheduler: str | None = None) -> int:
    """Run or resume the sweep of SPEC; exit status 0 when every run is in the folder."""
    s = load_spec(spec)  # a bad spec raises SpecError (one line, exit status 2) before anything runs
    out_dir = Path(out) if out else default_out(spec)
    if scheduler and workers:
        print("note: --workers is ignored with --scheduler (the cluster's workers are used)", file=sys.stderr)
        workers = None
    try:
        report = run_sweep(s, out_dir, workers=workers, scheduler=scheduler, progress=True)
    except KeyboardInterrupt:
        print(f"interrupted: the finished runs are saved in {out_dir}; run the same command to resume",
              file=sys.stderr)
        return 130
    print(summary_line(report, s.name))
    if report.failed:
        print(f"warning: {report.failed} run(s) failed; their rows hold the error (status = 'error'), "
              f"and 'soviet-cohesion analyze {out_dir}' lists the commonest", file=sys.stderr)
    if report.complete:
        print(f"next: soviet-cohesion analyze {out_dir}")
    return 0 if report.complete else 1


def cli_analyze(directory: str, out: str | None = None) -> int:
    """Summary table (printed and saved as CSV) and figures (PNG) of a sweep's results."""
    from .analysis import analyze

    result = analyze(directory, out)
    try:
        print(result.text)
        for path in result.files:
            print(f"wrote {path}")
        sys.stdout.flush()
    except BrokenPipeError:  # `analyze DIR | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
