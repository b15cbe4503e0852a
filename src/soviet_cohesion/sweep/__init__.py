"""Batch parameter sweeps: TOML specifications, a crash-safe parallel runner, and analysis.

>>> from soviet_cohesion.sweep import load_spec, run_sweep, read_results
>>> spec = load_spec("experiments/smoke.toml")                     # doctest: +SKIP
>>> report = run_sweep(spec, "results/smoke", workers=2)           # doctest: +SKIP
>>> runs = read_results("results/smoke")          # one row per run  # doctest: +SKIP

Command line: ``soviet-cohesion sweep SPEC.toml [--out DIR] [--workers N]
[--scheduler tcp://HOST:PORT] [--dry-run]`` and ``soviet-cohesion analyze DIR [--out FIGDIR]
[--ema FILE.tar.gz]``. See docs/sweeps.md.
"""

from .cli import cli_analyze, cli_sweep
from .interrupts import SweepInterrupted
from .session import SweepReport, dry_run, run_sweep
from .spec import Spec, SpecError, SweepError, load_spec, parse_spec
from .storage import query, read_results


def analyze(directory, out=None, allow_mixed: bool = False):
    """Summary tables and figures of a results folder (see :mod:`soviet_cohesion.sweep.analysis`)."""
    from .analysis import analyze as _analyze

    return _analyze(directory, out, allow_mixed=allow_mixed)


def experiments_outcomes(directory, allow_mixed: bool = False):
    """The runs in the EMA Workbench's ``(experiments, outcomes)`` form (see :mod:`.ema`)."""
    from .ema import experiments_outcomes as _export

    return _export(directory, allow_mixed)


__all__ = ["cli_sweep", "cli_analyze", "SpecError", "SweepError", "SweepInterrupted", "Spec", "load_spec",
           "parse_spec", "run_sweep", "dry_run", "SweepReport", "read_results", "query", "analyze",
           "experiments_outcomes"]
