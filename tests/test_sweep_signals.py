"""Signals and orphans (slow): a sweep killed with SIGKILL leaves no process behind and its
output pipe ends (``| tee`` finishes); SIGTERM (SLURM, systemd, Kubernetes) stops it like
Ctrl-C: a message, an ``interrupted`` record, exit status 143, no leaked semaphores, no process
left; the same command then resumes it to the same table."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from soviet_cohesion.sweep import read_results, run_sweep
from soviet_cohesion.sweep.storage import ResultStore
from sweep_support import assert_same_results, session_processes, write_spec

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process checks read /proc")]

TESTS = Path(__file__).resolve().parent
#: long enough that the signal lands mid-sweep: 240 runs of 0.1 s at least, on 2 workers
SPEC = """
name = "signals"
scenario = "gorbachev"
world = "synthetic"
steps = 6
replicates = 20
seed = 5
model = "sweep_support:SlowModel"

[fixed]
n_regions = 25

[vary]
punishment_severity = [0.1, 0.4, 0.7, 1.0]
scarcity = [0.1, 0.3, 0.5]

[outputs]
timeseries = true
"""


def _start(spec: Path, out: Path) -> subprocess.Popen:
    """The CLI in a session of its own, stdout and stderr into one pipe (as ``2>&1 | tee``)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "soviet_cohesion.cli", "sweep", str(spec), "--out", str(out),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, start_new_session=True)


def _read_to_end(proc: subprocess.Popen) -> tuple[list[str], threading.Event]:
    """Read the pipe in a thread (as tee would); the event is set when the pipe ends."""
    lines, ended = [], threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line)
        ended.set()

    threading.Thread(target=read, daemon=True).start()
    return lines, ended


def _wait_for_workers_and_a_chunk(proc, out: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the sweep ended before the signal"
        if ResultStore(out).parts("runs") and len(session_processes(proc.pid)) >= 5:
            return  # main, resource tracker, fork server and two workers, one chunk saved
        time.sleep(0.05)
    raise AssertionError("the sweep did not get going")


def _no_process_left(sid: int, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = session_processes(sid)
        if not left:
            return []
        time.sleep(0.1)
    return session_processes(sid)


def _cleanup(sid: int) -> None:
    try:
        os.killpg(sid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signals")
    spec = write_spec(folder, SPEC, "signals.toml")
    import sweep_support

    pause, sweep_support.SlowModel.pause_s = sweep_support.SlowModel.pause_s, 0.0
    try:
        assert run_sweep(spec, folder / "serial", workers=1, progress=False).complete
    finally:
        sweep_support.SlowModel.pause_s = pause
    return spec, folder / "serial"


def test_sigkill_leaves_no_process_behind_and_the_pipe_ends(serial, tmp_path):
    spec, reference = serial
    out = tmp_path / "killed"
    proc = _start(spec, out)
    lines, ended = _read_to_end(proc)
    try:
        _wait_for_workers_and_a_chunk(proc, out)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        left = _no_process_left(proc.pid)
        assert not left, f"processes left behind after SIGKILL: {left}"
        assert ended.wait(timeout=10), "the output pipe never ended (| tee would hang)"
    finally:
        _cleanup(proc.pid)
    partial = len(read_results(out))
    assert 0 < partial < 240
    report = run_sweep(spec, out, workers=2, progress=False)
    assert report.done_before == partial and report.complete
    assert_same_results(reference, out)


def test_sigterm_stops_the_sweep_like_ctrl_c(serial, tmp_path):
    spec, reference = serial
    out = tmp_path / "terminated"
    proc = _start(spec, out)
    lines, ended = _read_to_end(proc)
    try:
        _wait_for_workers_and_a_chunk(proc, out)
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=60) == 128 + signal.SIGTERM
        assert ended.wait(timeout=10)
        left = _no_process_left(proc.pid)
        assert not left, f"processes left behind after SIGTERM: {left}"
    finally:
        _cleanup(proc.pid)
    text = "".join(lines)
    assert "interrupted (SIGTERM): the finished runs are saved" in text
    assert "leaked semaphore" not in text and "Traceback" not in text
    log = [json.loads(line) for line in (out / "sessions.jsonl").read_text().splitlines()]
    assert log[-1]["event"] == "interrupted" and log[-1]["signal"] == "SIGTERM"
    partial = len(read_results(out))
    assert 0 < partial < 240
    report = run_sweep(spec, out, workers=2, progress=False)
    assert report.done_before == partial and report.complete
    assert_same_results(reference, out)


@pytest.mark.parametrize("name", ["SIGHUP", "SIGINT"])
def test_a_signal_to_the_whole_group_stops_it_cleanly(serial, tmp_path, name):
    """A closed terminal (SIGHUP) or Ctrl-C (SIGINT) reaches every process of the group: the
    sweep, not its helpers, decides, and nothing complains or stays behind."""
    spec, _ = serial
    out = tmp_path / name
    proc = _start(spec, out)
    lines, ended = _read_to_end(proc)
    signum = getattr(signal, name)
    try:
        _wait_for_workers_and_a_chunk(proc, out)
        os.killpg(proc.pid, signum)
        assert proc.wait(timeout=60) == 128 + signum
        assert ended.wait(timeout=10)
        assert not _no_process_left(proc.pid)
    finally:
        _cleanup(proc.pid)
    text = "".join(lines)
    assert "interrupted" in text and "the finished runs are saved" in text
    assert "Traceback" not in text and "leaked" not in text and "died unexpectedly" not in text
