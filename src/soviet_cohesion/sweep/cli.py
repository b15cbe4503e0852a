"""``soviet-cohesion sweep`` and ``soviet-cohesion analyze`` (called from soviet_cohesion.cli)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .executors import WAIT_WORKERS_S
from .interrupts import SweepInterrupted
from .session import default_out, dry_run, run_sweep, summary_line
from .spec import SweepError, load_spec


def cli_sweep(spec: str, out: str | None = None, workers: int | None = None,
              scheduler: str | None = None, dry: bool = False, allow_mixed: bool = False,
              wait_workers: float | None = None) -> int:
    """Run or resume the sweep of SPEC; exit status 0 when every run is in the folder.

    Ctrl-C, SIGTERM and SIGHUP stop it cleanly with status 128 + the signal's number."""
    s = load_spec(spec)  # a bad spec raises SpecError (one line, exit status 2) before anything runs
    out_dir = Path(out) if out else default_out(spec)
    if scheduler and workers:
        print("note: --workers is ignored with --scheduler (the cluster's workers are used)", file=sys.stderr)
        workers = None
    wait = WAIT_WORKERS_S if wait_workers is None else wait_workers
    if dry:
        print(dry_run(s, out_dir, workers=workers, scheduler=scheduler, wait_workers_s=wait))
        return 0
    try:
        report = run_sweep(s, out_dir, workers=workers, scheduler=scheduler, progress=True,
                           allow_mixed=allow_mixed, wait_workers_s=wait)
    except KeyboardInterrupt as exc:
        why = f" ({exc.name})" if isinstance(exc, SweepInterrupted) and exc.name != "SIGINT" else ""
        print(f"interrupted{why}: the finished runs are saved in {out_dir}; run the same command to resume",
              file=sys.stderr)
        return exc.exit_status if isinstance(exc, SweepInterrupted) else 130
    print(summary_line(report, s.name))
    if report.failed:
        print(f"warning: {report.failed} run(s) failed; their rows hold the error (status = 'error'), "
              f"and 'soviet-cohesion analyze {out_dir}' lists the commonest", file=sys.stderr)
    if report.complete:
        print(f"next: soviet-cohesion analyze {out_dir}")
    return 0 if report.complete else 1


def cli_analyze(directory: str, out: str | None = None, allow_mixed: bool = False,
                ema: str | None = None) -> int:
    """Summary table (printed and saved as CSV), figures (PNG and SVG) and, with ``ema``, the
    runs in the EMA Workbench's (experiments, outcomes) form."""
    from .analysis import analyze

    try:
        result = analyze(directory, out, allow_mixed=allow_mixed)
        if ema:
            from .ema import save_ema

            result.files.append(save_ema(directory, ema, allow_mixed=allow_mixed))
    except OSError as exc:  # a full disk while writing figures: one line, as for sweeps
        raise SweepError(f"cannot write {exc.filename or out or directory}: "
                         f"{exc.strerror or type(exc).__name__}") from None
    try:
        print(result.text)
        for path in result.files:
            print(f"wrote {path}")
        sys.stdout.flush()
    except BrokenPipeError:  # `analyze DIR | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
