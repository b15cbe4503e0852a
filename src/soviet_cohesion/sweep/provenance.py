"""Where results come from: the code, the libraries, the machine and the command that made them.

Two records are kept:

* a **build** (:func:`build`): what decides a run's numbers: the fingerprint of the model's code
  and data, the git commit of the checkout it was loaded from (and whether it had uncommitted
  changes), and the versions of Python and of the libraries. It is computed once per process,
  in every worker, and travels back with each chunk of results.
* a **session** (:func:`session`): who asked: host, process id, user, command line, start time,
  plus the build of the process that typed the command.

Two builds *agree* when the model code and the libraries that shape results
(:data:`RESULT_SHAPING`) are the same; a git commit or a dirty flag alone (a documentation edit)
does not make results differ.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import getpass
import hashlib
import json
import os
import platform
import socket
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

#: package files that cannot change a run's results (left out of the code fingerprint)
NOT_MODEL = ("sweep", "cli.py", "bench.py", "__main__.py", "dashboard", "dashboard_launcher.py",
             "__pycache__")
#: library versions that can change what a run computes
RESULT_SHAPING = ("soviet_cohesion", "python", "numpy", "mesa", "pandas")
#: other libraries recorded for information (storage, sampling, scheduling)
RECORDED = ("pyarrow", "scipy", "SALib", "dask", "distributed")


def code_fingerprint() -> str:
    """A hash of the model's code and data: the files that decide what a run computes."""
    return _code_fingerprint(_package_dir())


def _package_dir() -> Path:
    return Path(__file__).resolve().parents[1]


@lru_cache(maxsize=4)
def _code_fingerprint(pkg: Path) -> str:
    from .. import archetypes

    files = [p for p in sorted(pkg.rglob("*"))
             if p.is_file() and p.suffix in (".py", ".toml", ".csv", ".json")
             and not any(part.startswith(NOT_MODEL) for part in p.relative_to(pkg).parts)]
    with contextlib.suppress(Exception):  # no archetype folder: the model will say so itself
        files += sorted(p for p in archetypes.agents_dir().glob("*.toml"))
    h = hashlib.sha256()
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def versions() -> dict:
    """Versions of Python and of the libraries that shape or store results."""
    from importlib import metadata

    from .. import __version__

    out = {"soviet_cohesion": __version__, "python": platform.python_version()}
    for name in ("numpy", "mesa", "pandas", *RECORDED):
        module = sys.modules.get(name)
        version = getattr(module, "__version__", None) if module else None
        if version is None:
            with contextlib.suppress(Exception):
                version = metadata.version(name)
        if version is not None:
            out[name] = str(version)
    return out


@lru_cache(maxsize=4)
def git_state(folder: Path | None = None) -> dict:
    """``{"commit": ..., "dirty": bool}`` of the git checkout holding the package, or ``{}``
    when it is not in one (an installed wheel) or git is missing."""
    folder = folder or _package_dir()
    try:
        top = _git(folder, "rev-parse", "--show-toplevel")
        if not (Path(top) / "pyproject.toml").is_file():
            return {}  # some other repository that happens to contain site-packages
        commit = _git(folder, "rev-parse", "HEAD")
        status = _git(folder, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return {}
    return {"commit": commit, "dirty": bool(status.strip())}


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                          timeout=10, check=True)
    return done.stdout.strip()


@lru_cache(maxsize=1)
def build() -> dict:
    """What decides the numbers this process computes (cached: computed once per process)."""
    record = {"code": code_fingerprint(), "git": git_state(), "versions": versions()}
    record["id"] = build_id(record)
    return record


def build_id(record: dict) -> str:
    """A short digest of a build record (without its own id)."""
    data = {k: v for k, v in record.items() if k != "id"}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def result_key(record: dict) -> tuple:
    """The part of a build that can change results: builds with equal keys agree."""
    v = record.get("versions", {})
    return (record.get("code"), *(v.get(name) for name in RESULT_SHAPING))


def worker() -> dict:
    """This process as a worker: host, process id and, on a Dask cluster, the worker's address."""
    out = {"host": socket.gethostname(), "pid": os.getpid()}
    if "distributed" in sys.modules:
        with contextlib.suppress(Exception):
            from distributed import get_worker

            out["address"] = get_worker().address
    return out


def session(command: list[str] | None = None) -> dict:
    """The invocation: host, user, process, command line, time, and this process's build."""
    user = None
    with contextlib.suppress(Exception):
        user = getpass.getuser()
    return {"host": socket.gethostname(), "user": user, "pid": os.getpid(),
            "command": list(sys.argv if command is None else command), "cwd": os.getcwd(),
            "started": now(), "build": build()}


def now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def describe_build(record: dict) -> str:
    """One line: code fingerprint, git commit and libraries."""
    git = record.get("git") or {}
    where = (f"git {git['commit'][:10]}{' with uncommitted changes' if git.get('dirty') else ''}"
             if git.get("commit") else "not from a git checkout")
    v = record.get("versions", {})
    libs = ", ".join(f"{k} {v[k]}" for k in RESULT_SHAPING if k in v)
    return f"model code {record.get('code')} ({where}); {libs}"


def differences(a: dict, b: dict) -> list[str]:
    """What differs between two builds, in words (empty when they agree)."""
    out = []
    if a.get("code") != b.get("code"):
        out.append(f"model code {a.get('code')} vs {b.get('code')}")
    va, vb = a.get("versions", {}), b.get("versions", {})
    out += [f"{k} {va.get(k)} vs {vb.get(k)}" for k in RESULT_SHAPING if va.get(k) != vb.get(k)]
    return out
