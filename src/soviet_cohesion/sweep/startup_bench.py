"""How long a big sweep takes to start: the time and memory before its first run.

    python -m soviet_cohesion.sweep.startup_bench [--runs 2000000]

Writes a grid spec of ``--runs`` runs (a tiny synthetic world: the runs themselves do not
matter), starts ``soviet-cohesion sweep`` on it in a fresh process (``--workers 1``), and stops
it at its first run (the model factory below records the wall time since the command was
launched and the process's peak memory, then ends the process). Prints the figures; also the
time of ``--dry-run`` on the same spec. Nothing is kept.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPEC = """
name = "startup"
scenario = "gorbachev"
world = "synthetic"
steps = 2
replicates = {replicates}
seed = 1
model = "soviet_cohesion.sweep.startup_bench:first_run_stops"

[fixed]
n_regions = 10

[vary]
punishment_severity = {{ low = 0.0, high = 1.0, num = {side} }}
scarcity = {{ low = 0.0, high = 1.0, num = {side} }}
"""
_calls = [0]


def first_run_stops(**kwargs):
    """The model factory of the benchmark: the first call is the sweep's set-up check, the
    second its first run: record the time and memory then, and end the process."""
    _calls[0] += 1
    if _calls[0] == 2 and "SC_STARTUP_OUT" in os.environ:
        record = {"seconds": time.time() - float(os.environ["SC_STARTUP_T0"]),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        Path(os.environ["SC_STARTUP_OUT"]).write_text(json.dumps(record))
        os._exit(0)
    from ..model import CohesionModel

    return CohesionModel(**kwargs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m soviet_cohesion.sweep.startup_bench")
    parser.add_argument("--runs", type=int, default=2_000_000, help="runs of the design (about)")
    args = parser.parse_args(argv)
    side = max(1, int(math.sqrt(args.runs / 2)))
    with tempfile.TemporaryDirectory(prefix="sc-startup-") as tmp:
        spec = Path(tmp) / "startup.toml"
        spec.write_text(SPEC.format(side=side, replicates=2))
        record = Path(tmp) / "first_run.json"
        cli = [sys.executable, "-m", "soviet_cohesion.cli", "sweep", str(spec), "--out", str(Path(tmp) / "out"),
               "--workers", "1"]
        t0 = time.time()
        env = {**os.environ, "SC_STARTUP_T0": repr(t0), "SC_STARTUP_OUT": str(record)}
        subprocess.run(cli, env=env, capture_output=True, timeout=3600)
        if not record.is_file():
            print("the sweep ended before its first run", file=sys.stderr)
            return 1
        first = json.loads(record.read_text())
        t1 = time.perf_counter()
        plain = {k: v for k, v in env.items() if k != "SC_STARTUP_OUT"}
        subprocess.run([*cli, "--dry-run"], env=plain, capture_output=True, timeout=3600, check=True)
        dry = time.perf_counter() - t1
    print(f"design of {side * side * 2:,} runs ({side} x {side} cells x 2 replicates):")
    print(f"  first run {first['seconds']:.1f} s after the command started; peak memory {first['peak_mb']:.0f} MB")
    print(f"  --dry-run (count, chunks, a measured estimate) {dry:.1f} s")
    try:
        print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
