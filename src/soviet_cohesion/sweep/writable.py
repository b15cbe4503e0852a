"""Can results be written there? Checked before anything is written, and write errors in words.

A sweep's ``--out`` must be a folder (or a path where one can be made) on a file system that
accepts writes, by this user. :func:`check_out_dir` says so in one line before the sweep writes
its first byte; :func:`write_error` turns an ``OSError`` met later (a disk that fills up
mid-sweep) into the same kind of line.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .spec import SweepError


def check_out_dir(out: Path) -> Path | None:
    """Raise :class:`SweepError` (one line) if ``out`` cannot hold a results folder.

    Returns the first folder of ``out`` that does not exist yet (the one a failed sweep may
    remove again), or None if ``out`` exists."""
    why = problem(out)
    if why:
        raise SweepError(f"--out {out}: {why}; choose another --out")
    first_missing = None
    while not out.exists():
        first_missing, out = out, out.parent
    return first_missing


def problem(out: Path) -> str | None:
    """Why no folder can be written at ``out`` (None if one can)."""
    if out.exists() and not out.is_dir():
        return "is a file, not a folder"
    existing = out
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is a file, so no folder can be made inside it"
    if _read_only(existing):
        return f"{existing} is on a read-only file system"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"no permission to write in {existing}"
    return None


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # no statvfs (Windows): the first write will tell
        return False


REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
           errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
           errno.EPERM: "permission denied", errno.EIO: "input/output error (a failing disk?)"}


def write_error(exc: OSError, out: Path, saved_runs: int) -> SweepError:
    """A one-line error for a failed write, saying what is kept and how to go on."""
    number = exc.errno
    why = (REASONS.get(number) if number is not None else None) or exc.strerror or type(exc).__name__
    where = exc.filename or out
    kept = (f"the {saved_runs:,} finished runs are saved; free space (or fix the folder) and run the "
            "same command to resume" if saved_runs else "no run was saved")
    code = errno.errorcode.get(number, number) if number is not None else None
    return SweepError(f"cannot write {where}: {why} ({code}); {kept}")
