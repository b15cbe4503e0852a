"""Sweeps on a real Dask cluster and through lost workers and killed sweeps (slow: run with -m '').

Each test takes a few seconds to about half a minute on two cores.
"""

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

from soviet_cohesion.sweep import SweepError, read_results, run_sweep
from soviet_cohesion.sweep.executors import LocalPool
from soviet_cohesion.sweep.storage import ResultStore
from sweep_support import assert_same_results, free_port, small_spec, table, write_spec

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=50) as c:
        yield c


def _serial(spec: Path, out: Path) -> Path:
    report = run_sweep(spec, out, workers=1, progress=False)
    assert report.complete
    return out


def _wait_for_parts(out: Path, n: int, thread_or_proc, timeout: float = 120) -> int:
    """Wait until at least ``n`` chunks are committed; return how many there are."""
    store = ResultStore(out)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        parts = len(store.parts("runs"))
        if parts >= n:
            return parts
        alive = thread_or_proc.is_alive() if hasattr(thread_or_proc, "is_alive") else thread_or_proc.poll() is None
        assert alive, "the sweep ended before it could be interrupted"
        time.sleep(0.01)
    raise AssertionError("no results appeared")


def _no_duplicates(out: Path) -> None:
    for name, keys in (("runs", ["run"]), ("timeseries", ["run", "Step"])):
        frame = table(out, name)
        assert not frame.duplicated(subset=keys).any()


# ---------------------------------------------------------------------- same results on a cluster
def test_serial_two_workers_and_cluster_give_identical_tables(cluster, tmp_path):
    spec = small_spec(tmp_path, regions=True)
    serial = _serial(spec, tmp_path / "serial")
    run_sweep(spec, tmp_path / "local", workers=2, progress=False)
    report = run_sweep(spec, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    assert report.complete and report.where.startswith("Dask cluster")
    for other in ("local", "dask"):
        assert_same_results(serial, tmp_path / other, tables=("runs", "timeseries", "regions"))


def test_cli_on_a_cluster(cluster, tmp_path):
    spec = small_spec(tmp_path)
    out = tmp_path / "cli"
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from soviet_cohesion.cli import main; sys.exit(main())",
         "sweep", str(spec), "--out", str(out), "--scheduler", cluster.scheduler_address],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Dask cluster" in proc.stdout
    assert_same_results(_serial(spec, tmp_path / "serial"), out)


# ---------------------------------------------------------------------- lost workers
SLOW_SPEC = """
name = "slow"
scenario = "gorbachev"
world = "synthetic"
steps = 6
replicates = 4
seed = 21
model = "sweep_support:SlowModel"

[fixed]
n_regions = 25

[vary]
punishment_severity = [0.1, 0.4, 0.7, 1.0]
scarcity = [0.1, 0.3, 0.5]

[outputs]
timeseries = true
"""


@pytest.fixture(scope="module")
def slow_reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow")
    spec = write_spec(folder, SLOW_SPEC, "slow.toml")
    return spec, _serial(spec, folder / "serial")


def test_a_killed_cluster_worker_costs_no_results(cluster, slow_reference, tmp_path):
    spec, serial = slow_reference
    from distributed import Client

    out = tmp_path / "dask"
    errors = []

    def sweep():
        try:
            run_sweep(spec, out, scheduler=cluster.scheduler_address, progress=False)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=sweep)
    thread.start()
    _wait_for_parts(out, 2, thread)
    with Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)
    thread.join(timeout=180)
    assert not thread.is_alive() and not errors, errors
    assert read_results(out)["run"].tolist() == list(range(48))
    _no_duplicates(out)
    assert_same_results(serial, out)
    # the nanny brought a fresh worker up for the next test
    with Client(cluster.scheduler_address) as client:
        client.wait_for_workers(2, timeout=60)


def test_a_killed_local_worker_costs_no_results(slow_reference, tmp_path):
    spec, serial = slow_reference
    out = tmp_path / "local"
    backend = LocalPool(2)
    errors = []

    def sweep():
        try:
            run_sweep(spec, out, backend=backend, progress=False)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=sweep)
    thread.start()
    try:
        _wait_for_parts(out, 2, thread)
        victim = next(iter(backend.executor._processes))
        os.kill(victim, signal.SIGKILL)
        thread.join(timeout=180)
    finally:
        backend.close(cancel=True)
    assert not thread.is_alive() and not errors, errors
    assert read_results(out)["run"].tolist() == list(range(48))
    _no_duplicates(out)
    assert_same_results(serial, out)


def test_a_run_that_kills_its_worker_is_recorded_as_failed(tmp_path):
    spec = small_spec(tmp_path, extra_top='model = "sweep_support:CrashingModel"')
    report = run_sweep(spec, tmp_path / "out", workers=2, progress=False)
    assert report.complete and report.failed == 2
    runs = read_results(tmp_path / "out")
    bad = runs[runs["status"] == "error"]
    assert set(zip(bad["punishment_severity"], bad["scarcity"])) == {(0.9, 0.1)}
    assert bad["error"].str.startswith("WorkerLost").all()
    assert (runs["status"] == "ok").sum() == 10


# ---------------------------------------------------------------------- a killed sweep
KILL_SPEC = """
name = "kill"
scenario = "gorbachev"
world = "synthetic"
steps = 10
replicates = 8
seed = 99

[fixed]
n_regions = 40

[vary]
punishment_severity = { low = 0.0, high = 1.0, num = 5 }
scarcity = { low = 0.0, high = 0.6, num = 4 }

[outputs]
timeseries = true
every = 3
"""


def _cli(spec: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from soviet_cohesion.cli import main; sys.exit(main())",
         "sweep", str(spec), "--out", str(out), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)


def test_a_sweep_killed_with_sigkill_resumes_without_gaps_or_duplicates(tmp_path):
    spec = write_spec(tmp_path, KILL_SPEC, "kill.toml")
    serial = _serial(spec, tmp_path / "serial")
    total = 5 * 4 * 8
    out = tmp_path / "killed"
    proc = _cli(spec, out)
    try:
        _wait_for_parts(out, 3, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        time.sleep(0.5)  # orphaned workers notice their parent is gone and exit
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything of that session still alive
        except ProcessLookupError:
            pass
    assert proc.returncode == -signal.SIGKILL
    partial = len(read_results(out))
    assert 0 < partial < total, "the kill did not land mid-sweep"

    resumed = _cli(spec, out)
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert "resuming" in stderr
    runs = read_results(out)
    assert runs["run"].tolist() == list(range(total))
    _no_duplicates(out)
    assert_same_results(serial, out)
    assert not list(out.rglob(".*.tmp"))


# ---------------------------------------------------------------------- an elastic cluster
def _max_concurrency(tasks: list[dict], since: float) -> int:
    """Most chunks computing at the same time after ``since`` (from Dask's task stream)."""
    events = []
    for task in tasks:
        if "execute_chunk" not in task["key"] and "run_chunk" not in task["key"]:
            continue
        for span in task["startstops"]:
            if span["action"] == "compute" and span["stop"] > since:
                events += [(max(span["start"], since), 1), (span["stop"], -1)]
    running = most = 0
    for _, change in sorted(events):
        running += change
        most = max(most, running)
    return most


def test_workers_that_join_late_get_runs(tmp_path):
    """Start on one worker, add three while the sweep runs: all four compute chunks at once."""
    distributed = pytest.importorskip("distributed")
    spec = write_spec(tmp_path, SLOW_SPEC.replace("replicates = 4", "replicates = 16"), "late.toml")
    out = tmp_path / "late"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=50) as cluster, \
            distributed.Client(cluster.scheduler_address) as client:
        errors = []

        def sweep():
            try:
                run_sweep(spec, out, scheduler=cluster.scheduler_address, progress=False)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        with distributed.get_task_stream(client) as stream:
            thread = threading.Thread(target=sweep)
            thread.start()
            _wait_for_parts(out, 1, thread)
            cluster.scale(4)
            client.wait_for_workers(4, timeout=120)
            joined = time.time()
            thread.join(timeout=300)
        assert not thread.is_alive() and not errors, errors
        assert _max_concurrency(stream.data, joined) >= 3
    assert read_results(out)["run"].tolist() == list(range(192))
    workers = {json.loads(line)["worker"].get("address") for line in (out / "chunks.jsonl").read_text().splitlines()
               if json.loads(line)["kind"] == "chunk"}
    assert len(workers) >= 3


def test_a_refused_scheduler_connection_is_reported_at_once(tmp_path):
    pytest.importorskip("distributed")
    spec = small_spec(tmp_path)
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(SweepError) as info:
        run_sweep(spec, tmp_path / "out", scheduler=address, progress=False)
    assert "connection refused" in str(info.value) and "\n" not in str(info.value)
    assert not (tmp_path / "out").exists()


def test_a_cluster_without_workers_is_reported_in_seconds(tmp_path):
    distributed = pytest.importorskip("distributed")
    spec = small_spec(tmp_path)
    with distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=":0", silence_logs=50) as cluster:
        with pytest.raises(SweepError) as info:
            run_sweep(spec, tmp_path / "out", scheduler=cluster.scheduler_address, progress=False,
                      wait_workers_s=2)
    message = str(info.value)
    assert "has no workers" in message and "dask worker" in message and "--wait-workers" in message
    assert not (tmp_path / "out").exists()
