"""Where results cannot be written: a full disk, a read-only folder, an --out that is a file, a
mistyped --scheduler. Each ends in one line (exit status 2), before anything is written when it
can be known in advance, and loses none of the runs already saved.

The full disk is simulated two ways: a 1 MB tmpfs mounted for the test (needs root; skipped
otherwise), and, everywhere, the writes made to fail with ENOSPC after the first chunks."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from soviet_cohesion.cli import main
from soviet_cohesion.sweep import SweepError, read_results, run_sweep
from soviet_cohesion.sweep import storage
from sweep_support import assert_same_results, small_spec

TESTS = Path(__file__).resolve().parent


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    return err


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("disk")
    spec = small_spec(folder, regions=True)
    assert run_sweep(spec, folder / "out", workers=1, progress=False).complete
    return spec, folder / "out"


# ---------------------------------------------------------------------- --out checked first
def test_an_out_that_is_a_file_is_refused_in_one_line(tmp_path, capsys):
    spec = small_spec(tmp_path)
    target = tmp_path / "results.txt"
    target.write_text("precious")
    assert main(["sweep", str(spec), "--out", str(target), "--workers", "1"]) == 2
    assert "is a file" in _one_line(capsys)
    assert main(["sweep", str(spec), "--out", str(target / "sub"), "--workers", "1"]) == 2
    assert "is a file" in _one_line(capsys)
    assert target.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.txt", "small.toml"]


def test_a_mistyped_scheduler_is_refused_before_anything_is_written(tmp_path, capsys):
    spec = small_spec(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--scheduler", "tcp//127.0.0.1:8786"]) == 2
    assert "not a scheduler address" in _one_line(capsys)
    assert not out.exists()
    # the folder is not blocked: an edited spec can use it at once
    edited = small_spec(tmp_path, name="edited.toml", replicates=1)
    assert run_sweep(edited, out, workers=1, progress=False).complete


def test_a_folder_whose_sweep_never_saved_a_run_takes_an_edited_spec(tmp_path):
    spec = small_spec(tmp_path)
    out = tmp_path / "out"
    store = storage.ResultStore(out)
    from soviet_cohesion.sweep import load_spec, provenance
    from soviet_cohesion.sweep.session import build_manifest

    s = load_spec(spec)
    store.prepare(build_manifest(s, provenance.session()), s.source, None, [])  # ... and then it died
    edited = small_spec(tmp_path, name="edited.toml", replicates=1)
    report = run_sweep(edited, out, workers=1, progress=False)
    assert report.complete and report.ran == 6


def _mount_tmpfs(folder: Path, options: str) -> None:
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def mounted(tmp_path):
    mounts = []

    def mount(name: str, options: str) -> Path:
        folder = tmp_path / name
        _mount_tmpfs(folder, options)
        mounts.append(folder)
        return folder

    yield mount
    for folder in mounts:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_read_only_folder_is_refused_in_one_line(tmp_path, mounted, capsys):
    spec = small_spec(tmp_path)
    readonly = mounted("ro", "ro,size=64k")
    assert main(["sweep", str(spec), "--out", str(readonly / "out"), "--workers", "1"]) == 2
    assert "read-only" in _one_line(capsys)


# ---------------------------------------------------------------------- a disk that fills up
def test_a_full_tmpfs_ends_in_one_line_and_loses_nothing(reference, tmp_path, mounted):
    """A real full disk: a 1 MB tmpfs, a sweep whose region records need more."""
    spec, full_reference = reference
    disk = mounted("disk", "size=1m")
    out = disk / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    big = small_spec(tmp_path, name="big.toml", replicates=40, n_regions=60, regions=True)
    done = subprocess.run([sys.executable, "-m", "soviet_cohesion.cli", "sweep", str(big), "--out", str(out),
                           "--workers", "1"], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 2, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("soviet-cohesion: error: cannot write") and "the disk is full" in last
    assert "Traceback" not in done.stderr
    saved = read_results(out)  # every committed chunk passes its checksum
    assert 0 < len(saved) < 240 and f"the {len(saved):,} finished runs are saved" in last
    assert not list(out.rglob(".*.tmp"))
    # moved to a disk with room, the same command finishes it, identical to an uninterrupted sweep
    roomy = tmp_path / "roomy"
    shutil.copytree(out, roomy)
    report = run_sweep(big, roomy, workers=1, progress=False)
    assert report.done_before == len(saved) and report.complete
    clean = run_sweep(big, tmp_path / "clean", workers=1, progress=False)
    assert clean.complete
    assert_same_results(tmp_path / "clean", roomy, tables=("runs", "timeseries", "regions"))


def _fail_writes_after(monkeypatch, n_ok: int) -> None:
    """Make every write of a Parquet part fail with ENOSPC after ``n_ok`` succeeded."""
    real = storage.atomic_write_bytes
    count = {"n": 0}

    def write(path, data):
        if path.suffix == ".parquet" and path.parent.name in storage.TABLES:
            count["n"] += 1
            if count["n"] > n_ok:
                tmp = path.with_name(f".{path.name}.tmp")
                tmp.write_bytes(data[: len(data) // 2])  # half written when the disk filled
                tmp.unlink()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))
        real(path, data)

    monkeypatch.setattr(storage, "atomic_write_bytes", write)


def test_a_disk_that_fills_mid_sweep_ends_in_one_line_and_loses_nothing(reference, tmp_path, monkeypatch, capsys):
    spec, full = reference
    out = tmp_path / "out"
    _fail_writes_after(monkeypatch, 3 * 3)  # three chunks of runs, time series and regions
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("soviet-cohesion: error: cannot write") and "the disk is full (ENOSPC)" in err
    assert "finished runs are saved" in err and "resume" in err
    monkeypatch.undo()
    saved = read_results(out)
    assert 0 < len(saved) < 12
    assert not list(out.rglob(".*.tmp"))
    report = run_sweep(spec, out, workers=1, progress=False)
    assert report.done_before == len(saved) and report.complete
    assert_same_results(full, out, tables=("runs", "timeseries", "regions"))


def test_a_disk_full_at_the_first_write_leaves_nothing_behind(tmp_path, monkeypatch):
    spec = small_spec(tmp_path)
    out = tmp_path / "new" / "out"

    def full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(storage, "atomic_write_bytes", full)
    with pytest.raises(SweepError) as info:
        run_sweep(spec, out, workers=1, progress=False)
    assert "the disk is full" in str(info.value) and "no run was saved" in str(info.value)
    assert not (tmp_path / "new").exists()


def test_analyze_of_a_read_only_folder_says_where_to_write(reference, mounted, tmp_path, capsys):
    """Archived results on a read-only disk: analyze says so in one line, and --out works."""
    _, out = reference
    disk = mounted("archive", "size=8m")
    shutil.copytree(out, disk / "out", ignore=shutil.ignore_patterns("figures", "summary.csv"))
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    assert main(["analyze", str(disk / "out")]) == 2
    err = _one_line(capsys)
    assert "read-only" in err and "--out FOLDER" in err
    assert main(["analyze", str(disk / "out"), "--out", str(tmp_path / "figs")]) == 0
    assert (tmp_path / "figs" / "summary.csv").is_file()
