"""The chunk ledger (``chunks.jsonl``): the manifest's record of every committed chunk.

One JSON object per line, appended and flushed to disk as each chunk is written:

* ``{"kind": "chunk", "part": "part-....parquet", "runs": [[first, stop], ...], "n": 256,
  "failed": 0, "files": {"runs": {"bytes": ..., "sha256": ...}, "timeseries": {...}},
  "session": ..., "build": ..., "worker": {"host", "pid", ...}, "started": ..., "seconds": ...}``:
  a chunk, its runs (half-open ranges of run numbers), the size and SHA-256 checksum of each of
  its Parquet files, and who computed it;
* ``{"kind": "build", "id": ..., "code": ..., "git": ..., "versions": ...}``: a build
  (see :mod:`.provenance`) that chunks refer to by id, written once before its first chunk.

The line is the chunk's commit: files without one are leftovers of an interrupted write. A
chunk whose files are missing, of the wrong size or fail their checksum is *corrupt*: a resumed
sweep deletes and recomputes it, and ``analyze`` refuses to read it. A line cut short by a
crash is ignored. Appending keeps the cost of a commit independent of the sweep's size.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass
class Ledger:
    chunks: dict[str, dict] = field(default_factory=dict)  # part name -> latest entry
    builds: dict[str, dict] = field(default_factory=dict)  # build id -> build record
    damaged_lines: int = 0
    superseded: int = 0  # entries replaced by a later one for the same part

    @property
    def n_runs(self) -> int:
        return sum(entry["n"] for entry in self.chunks.values())


def read(path: Path) -> Ledger:
    """The ledger's entries (an empty ledger if the file does not exist)."""
    ledger = Ledger()
    if not path.is_file():
        return ledger
    with open(path, "rb") as f:
        for raw in f:
            try:
                entry = json.loads(raw)
                kind = entry["kind"]
            except (ValueError, KeyError, TypeError):
                ledger.damaged_lines += 1
                continue
            if kind == "build":
                ledger.builds[entry["id"]] = entry
            elif kind == "chunk" and _well_formed(entry):
                if entry["part"] in ledger.chunks:
                    ledger.superseded += 1
                ledger.chunks[entry["part"]] = entry
            else:
                ledger.damaged_lines += 1
    return ledger


def _well_formed(entry: dict) -> bool:
    try:
        return (isinstance(entry["part"], str) and isinstance(entry["files"], dict)
                and all(len(r) == 2 and 0 <= r[0] < r[1] for r in entry["runs"])
                and entry["n"] == sum(b - a for a, b in entry["runs"]))
    except (KeyError, TypeError):
        return False


def append(path: Path, entries: list[dict]) -> None:
    """Append entries and force them to disk (the commit of a chunk)."""
    data = b"".join(json.dumps(e, separators=(",", ":")).encode() + b"\n" for e in entries)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def rewrite(path: Path, ledger: Ledger) -> None:
    """Replace the file by the ledger's valid entries (after a resume removed corrupt chunks)."""
    from .storage import atomic_write_bytes

    used = {e.get("build") for e in ledger.chunks.values()}
    lines = [b for i, b in ledger.builds.items() if i in used] + sorted(ledger.chunks.values(),
                                                                         key=lambda e: e["runs"][0][0])
    data = b"".join(json.dumps(e, separators=(",", ":")).encode() + b"\n" for e in lines)
    atomic_write_bytes(path, data)


def ranges(runs: np.ndarray) -> list[list[int]]:
    """Sorted run numbers as half-open ranges: [3, 4, 5, 9] -> [[3, 6], [9, 10]]."""
    runs = np.sort(np.asarray(runs, dtype=np.int64))
    if not len(runs):
        return []
    breaks = np.flatnonzero(np.diff(runs) != 1) + 1
    starts = np.concatenate([[0], breaks])
    stops = np.concatenate([breaks, [len(runs)]])
    return [[int(runs[a]), int(runs[b - 1]) + 1] for a, b in zip(starts, stops)]


def file_record(data: bytes) -> dict:
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def check_file(path: Path, record: dict) -> str | None:
    """Why ``path`` does not match its record (None when it does)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "missing"
    if size != record["bytes"]:
        return f"{size} bytes instead of {record['bytes']}"
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != record["sha256"]:
        return "checksum mismatch"
    return None
