"""Regenerate the documentation's phase diagram from the shipped spec (``make figures``).

    python -m soviet_cohesion.sweep.publish [--spec experiments/phase_diagram.toml]
        [--dest docs/img/sweep_phase_diagram.png] [--results DIR] [--workers N]

Runs the spec's whole sweep (in a fresh temporary folder unless ``--results`` names one to
create or resume), analyses it, and copies ``phase_diagram.png`` and ``phase_diagram.svg`` to
``--dest`` and the same name with ``.svg``. Both carry the spec hash and the model code
fingerprint of the runs behind them; when the data hold no collapse boundary, the figure and
this command's output say so instead of drawing one. Exit status 2 on any error (one line).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from .analysis import analyze
from .session import run_sweep
from .spec import SweepError, load_spec

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "experiments" / "phase_diagram.toml"
DEST = ROOT / "docs" / "img" / "sweep_phase_diagram.png"


def publish(spec: Path = SPEC, dest: Path = DEST, results: Path | None = None,
            workers: int | None = None) -> list[str]:
    """Run, analyse and copy the phase diagram; return the lines to print."""
    spec_obj = load_spec(spec)
    with tempfile.TemporaryDirectory(prefix="sc-figures-") as tmp:
        out = Path(results) if results else Path(tmp) / spec_obj.name
        report = run_sweep(spec_obj, out, workers=workers, progress="log")
        if not report.complete:
            raise SweepError(f"{spec}: the sweep did not finish; run the command again to resume")
        result = analyze(out, Path(tmp) / "figures")
        png = Path(tmp) / "figures" / "phase_diagram.png"
        if not png.is_file():
            raise SweepError(f"{spec}: the analysis drew no phase diagram (it needs two numeric grid factors)")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, dest)
        shutil.copyfile(png.with_suffix(".svg"), dest.with_suffix(".svg"))
    lines = [f"{spec_obj.name}: {report.n_runs} runs ({report.ran} run now) -> {dest} "
             f"and {dest.with_suffix('.svg').name}"]
    lines += result.notes or ["the collapse boundary is drawn where mean final cohesion crosses the threshold"]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m soviet_cohesion.sweep.publish", description=__doc__.split("\n")[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--dest", type=Path, default=DEST)
    parser.add_argument("--results", type=Path, default=None, help="results folder to create or resume")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        for line in publish(args.spec, args.dest, args.results, args.workers):
            print(line)
    except SweepError as exc:
        print(f"soviet-cohesion: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
