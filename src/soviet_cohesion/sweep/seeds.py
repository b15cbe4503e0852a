"""Per-run seeds, derived from the spec alone.

A run's seed depends on the spec's ``seed``, the values of the varied factors at its design
point and its replicate number, and on nothing else: not on the order in which runs are
executed, the number of workers, or the machine. The same spec therefore gives the same
results serially, in parallel and on a cluster, and a resumed sweep continues exactly where
the interrupted one stopped.

* ``seeds = "independent"`` (default): every (point, replicate) gets its own stream.
* ``seeds = "common"``: replicate ``r`` uses the same seed at every point (common random
  numbers); differences between points are then not blurred by different luck.

Fixed parameters do not enter the seed, so two specs that differ only in a fixed value
run paired replicates. Seeds are whole numbers below 2**63: any run can be repeated with
``soviet-cohesion run --seed SEED --set name=value ...``.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

import numpy as np


def point_key(values: dict[str, Any]) -> tuple[int, ...]:
    """Four 32-bit words that fingerprint a design point's factor values."""
    text = json.dumps({k: _plain(v) for k, v in values.items()}, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).digest()[:16]
    return tuple(int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4))


def run_seed(spec_seed: int, values: dict[str, Any], replicate: int, mode: str = "independent") -> int:
    """The seed of one run (an int in [0, 2**63))."""
    return seed_from_key(spec_seed, () if mode == "common" else point_key(values), replicate)


@lru_cache(maxsize=4096)
def seed_from_key(spec_seed: int, point: tuple[int, ...], replicate: int) -> int:
    """The seed of replicate ``replicate`` at the point fingerprinted by ``point`` (``()`` for
    common random numbers)."""
    key = (*point, replicate)
    state = np.random.SeedSequence(entropy=spec_seed, spawn_key=key).generate_state(2, np.uint32)
    return int((int(state[1]) << 32 | int(state[0])) & (2**63 - 1))


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return repr(v)  # exact and platform independent
    return v
