"""Helpers for the sweep tests: small specs, test models, result comparison.

The test models are importable from worker processes too (pytest puts tests/ on sys.path
and the workers inherit it), so specs can name them with ``model = "sweep_support:..."``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pandas as pd

from soviet_cohesion import CohesionModel
from soviet_cohesion.sweep import read_results

#: a small grid on a tiny synthetic world: 3 x 2 points x 2 replicates = 12 runs, ~0.1 s serially
SMALL = """
name = "small"
scenario = "gorbachev"
world = "synthetic"
steps = {steps}
replicates = {replicates}
seed = 11
{extra_top}

[fixed]
n_regions = {n_regions}

[vary]
punishment_severity = [0.1, 0.5, 0.9]
scarcity = [0.1, 0.4]

[outputs]
timeseries = {timeseries}
every = 2
regions = {regions}
"""

#: a Sobol design over all eight levers (and the dummy) on a tiny world: 8 x (9 + 2) = 88 runs
SOBOL = """
name = "small_sobol"
scenario = "gorbachev"
world = "synthetic"
steps = 8
replicates = 1
seed = 3
seeds = "common"

[fixed]
n_regions = 30

[vary]
openness = {}
supply_reform = {}
decentralisation = {}
punishment_severity = {}
audit_capacity = {}
responsibility_shared = {}
appeasement = {}
local_accountability = {}

[sampler]
method = "sobol"
n = 8

[analysis]
metrics = ["cohesion", "compliance"]
"""


def write_spec(folder: Path, text: str, name: str = "spec.toml") -> Path:
    path = Path(folder) / name
    path.write_text(text, encoding="utf-8")
    return path


def small_spec(folder: Path, name: str = "small.toml", steps: int = 6, replicates: int = 2,
               n_regions: int = 25, timeseries: bool = True, regions: bool = False,
               extra_top: str = "") -> Path:
    text = SMALL.format(steps=steps, replicates=replicates, n_regions=n_regions,
                        timeseries=str(timeseries).lower(), regions=str(regions).lower(),
                        extra_top=extra_top)
    return write_spec(folder, text, name)


def uncommit(folder: Path, names: set[str]) -> None:
    """Drop the ledger lines of the chunks ``names`` (as if the sweep died before committing them)."""
    path = Path(folder) / "chunks.jsonl"
    keep = [line for line in path.read_text().splitlines()
            if json.loads(line).get("part") not in names]
    path.write_text("".join(line + "\n" for line in keep))


def table(out_dir, name: str = "runs") -> pd.DataFrame:
    """A results table without the columns that depend on timing."""
    return read_results(out_dir, name).drop(columns=["elapsed_s"], errors="ignore")


def assert_same_results(a, b, tables=("runs", "timeseries")) -> None:
    for name in tables:
        pd.testing.assert_frame_equal(table(a, name), table(b, name), check_exact=True)


# ---------------------------------------------------------------------- test models
class FlakyModel(CohesionModel):
    """Raises at set-up in the cell punishment_severity=0.5, scarcity=0.4 (a failing run)."""

    def __init__(self, *args, **kwargs):
        if kwargs.get("punishment_severity") == 0.5 and kwargs.get("scarcity") == 0.4:
            raise ValueError("this cell is broken on purpose")
        super().__init__(*args, **kwargs)


class SlowModel(CohesionModel):
    """The real model, plus a pause per run: keeps runs in flight long enough to kill a worker."""

    pause_s = 0.08

    def run_model(self):
        time.sleep(self.pause_s)
        super().run_model()


class CrashingModel(CohesionModel):
    """Kills its own process (as a segfault or the OOM killer would) in one cell."""

    def run_model(self):
        if self.params["punishment_severity"] == 0.9 and self.params["scarcity"] == 0.1:
            os._exit(3)
        super().run_model()


class InterruptingModel(CohesionModel):
    """Presses Ctrl-C (raises KeyboardInterrupt) when ``countdown`` runs have started."""

    countdown = 5

    def run_model(self):
        type(self).countdown -= 1
        if type(self).countdown == 0:
            raise KeyboardInterrupt
        super().run_model()


# ---------------------------------------------------------------------- processes, files, ports
def session_processes(sid: int) -> list[int]:
    """Process ids of the session ``sid`` that are still alive (Linux /proc; zombies left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if session == sid and state != "Z":
            found.append(int(entry.name))
    return found


def flip_bytes(path: Path, count: int = 16) -> None:
    """Invert ``count`` bytes in the middle third of a file (a damaged disk block)."""
    data = bytearray(Path(path).read_bytes())
    start = len(data) // 3
    for i in range(start, min(start + count, len(data))):
        data[i] ^= 0xFF
    Path(path).write_bytes(bytes(data))


def free_port() -> int:
    """A TCP port nothing listens on (chosen by the kernel, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
