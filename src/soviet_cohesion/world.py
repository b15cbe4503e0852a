"""Worlds: the regions, their republics, attributes and neighbours, as arrays.

* ``ussr``: the 15 union republics and their oblast-level regions, from
  ``data/ussr_republics.csv`` (republic figures with their sources) and
  ``data/ussr_regions.csv`` (regions, a stylised tile map, population weights);
  neighbours are regions on touching tiles (8-neighbourhood).
* ``synthetic``: N regions on a grid (8-neighbourhood), a small-world network
  (Watts-Strogatz ring, k=4 each side, 10% rewired) or a complete graph, grouped into
  contiguous republics with random attributes drawn from the model's generator.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np


@dataclass
class World:
    names: list[str]
    republic: np.ndarray  # int index into republic_names, per region
    republic_names: list[str]
    republic_codes: list[str]
    population: np.ndarray  # population weight (sums to 1)
    capacity: np.ndarray  # productive capacity per period (mean 1)
    identity: np.ndarray  # identity salience in [0, 1]
    transfer: np.ndarray  # structural net transfer from the centre (share of output, signed)
    vulnerability: np.ndarray  # exposure to scarcity in [0, 1]
    core: np.ndarray  # bool: region of the core republic (RSFSR)
    tile_x: np.ndarray
    tile_y: np.ndarray
    src: np.ndarray  # directed edges src -> dst (each undirected edge twice)
    dst: np.ndarray
    complete: bool = False  # every region sees every other (edges left implicit)

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def degree(self) -> np.ndarray:
        if self.complete:
            return np.full(self.n, self.n - 1, dtype=float)
        return np.bincount(self.src, minlength=self.n).astype(float)

    def neighbours(self, i: int) -> np.ndarray:
        if self.complete:
            return np.delete(np.arange(self.n), i)
        return self.dst[self.src == i]


def data_path(name: str) -> Path:
    return Path(str(resources.files("soviet_cohesion") / "data" / name))


# -------------------------------------------------------------------------------- USSR
IDENTITY_CORE = 0.3  # stylised: Russians identified with the union more than with the RSFSR
IDENTITY_AUTONOMY = {"ASSR": 0.65, "AO": 0.55}  # autonomous units inside a republic
IDENTITY_ANNEXED = 0.25  # republics annexed in 1940 remembered their interwar statehood


@lru_cache(maxsize=1)
def _ussr_tables():
    with data_path("ussr_republics.csv").open(newline="", encoding="utf-8") as f:
        republics = list(csv.DictReader(f))
    with data_path("ussr_regions.csv").open(newline="", encoding="utf-8") as f:
        regions = list(csv.DictReader(f))
    return republics, regions


def ussr(rng: np.random.Generator) -> World:
    """The stylised USSR. Draws from ``rng``: one normal per region (capacity noise)."""
    republics, regions = _ussr_tables()
    codes = [r["code"] for r in republics]
    index = {c: i for i, c in enumerate(codes)}
    rep = np.array([index[r["republic_code"]] for r in regions])
    pop_rep = np.array([float(r["population_1989_thousands"]) for r in republics])
    nmp = np.array([float(r["nmp_per_capita_index_1988"]) for r in republics]) / 100.0
    titular = np.array([float(r["titular_share_1989"]) for r in republics])
    transfer_rep = np.array([float(r["net_transfer_share"]) for r in republics])
    core_rep = np.array([r["core"].strip() in ("1", "true", "True") for r in republics])
    annexed = np.array([r["annexed_1940"].strip() in ("1", "true", "True") for r in republics])

    weight = np.array([float(r["weight"]) for r in regions])
    population = pop_rep[rep] * weight
    population = population / population.sum()
    capacity = population * nmp[rep] * np.exp(0.1 * rng.standard_normal(len(regions)))
    capacity = capacity / capacity.mean()
    kind = [r["kind"] for r in regions]
    identity = np.where(core_rep[rep], IDENTITY_CORE,
                        np.minimum(1.0, titular[rep] + IDENTITY_ANNEXED * annexed[rep]))
    identity = np.array([max(h, IDENTITY_AUTONOMY.get(k, 0.0)) for h, k in zip(identity, kind)])
    transfer = transfer_rep[rep]
    vulnerability = np.clip(1.1 - 0.45 * nmp[rep] + 1.0 * transfer, 0.2, 1.0)
    tx = np.array([int(r["tile_x"]) for r in regions])
    ty = np.array([int(r["tile_y"]) for r in regions])
    src, dst = _tile_edges(tx, ty)
    return World(
        names=[r["region"] for r in regions], republic=rep,
        republic_names=[r["republic"] for r in republics], republic_codes=codes,
        population=population, capacity=capacity, identity=identity, transfer=transfer,
        vulnerability=vulnerability, core=core_rep[rep], tile_x=tx, tile_y=ty, src=src, dst=dst,
    )


def _tile_edges(tx, ty):
    """Edges between regions on touching tiles (8-neighbourhood)."""
    where = {(x, y): i for i, (x, y) in enumerate(zip(tx.tolist(), ty.tolist()))}
    src, dst = [], []
    for (x, y), i in where.items():
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                j = where.get((x + dx, y + dy))
                if j is not None and j != i:
                    src.append(i)
                    dst.append(j)
    return np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)


# --------------------------------------------------------------------------- synthetic
def synthetic(n: int, topology: str, n_republics: int, rng: np.random.Generator) -> World:
    """A synthetic world of ``n`` regions.

    Draw order from ``rng``: capacity (n normals), vulnerability (n uniforms), per
    republic identity (Beta(2, 3)) and transfer (normal), then rewiring for ``network``.
    """
    n_rep = n_republics if n_republics > 0 else max(1, round(n / 10))
    n_rep = min(n_rep, n)
    side = int(np.ceil(np.sqrt(n)))
    tx = np.arange(n) % side
    ty = np.arange(n) // side
    # contiguous republics: split the tiles, read row by row in snake order, into equal runs
    order = np.lexsort((np.where(ty % 2 == 0, tx, side - 1 - tx), ty))
    republic = np.empty(n, dtype=np.int64)
    republic[order] = np.minimum(np.arange(n) * n_rep // n, n_rep - 1)

    capacity = np.exp(0.3 * rng.standard_normal(n))
    capacity /= capacity.mean()
    vulnerability = 0.3 + 0.6 * rng.random(n)
    identity_rep = rng.beta(2.0, 3.0, n_rep)
    transfer_rep = 0.06 * rng.standard_normal(n_rep)
    core_rep = np.zeros(n_rep, dtype=bool)
    core_rep[0] = True  # the first republic plays the core region
    identity_rep[0] = IDENTITY_CORE
    transfer_rep[0] = -abs(transfer_rep[0])
    population = capacity / capacity.sum()

    complete = topology == "complete"
    if topology == "grid":
        src, dst = _grid_edges(tx, ty, side, n)
    elif topology == "network":
        src, dst = _small_world_edges(n, 4, 0.1, rng)
    elif complete:
        src = dst = np.empty(0, dtype=np.int64)
    else:
        raise ValueError(f"topology={topology!r} must be one of grid, network, complete")
    rep_names = [f"Republic {i + 1}" for i in range(n_rep)]
    return World(
        names=[f"Region {i + 1}" for i in range(n)], republic=republic,
        republic_names=rep_names, republic_codes=[f"R{i + 1}" for i in range(n_rep)],
        population=population, capacity=capacity, identity=identity_rep[republic],
        transfer=transfer_rep[republic], vulnerability=vulnerability, core=core_rep[republic],
        tile_x=tx, tile_y=ty, src=src, dst=dst, complete=complete,
    )


def _grid_edges(tx, ty, side, n):
    src, dst = [], []
    for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
        x2, y2 = tx + dx, ty + dy
        j = y2 * side + x2
        ok = (x2 >= 0) & (x2 < side) & (y2 >= 0) & (j < n) & (j >= 0)
        src.append(np.arange(n)[ok])
        dst.append(j[ok])
    s, d = np.concatenate(src), np.concatenate(dst)
    return np.concatenate([s, d]), np.concatenate([d, s])


def _small_world_edges(n, k, p, rng):
    base = np.repeat(np.arange(n), k)
    offset = np.tile(np.arange(1, k + 1), n)
    target = (base + offset) % n
    rewire = rng.random(base.size) < p
    target = np.where(rewire, rng.integers(0, n, base.size), target)
    keep = target != base
    s, d = base[keep], target[keep]
    pairs = np.unique(np.stack([np.minimum(s, d), np.maximum(s, d)], axis=1), axis=0)
    s, d = pairs[:, 0], pairs[:, 1]
    return np.concatenate([s, d]), np.concatenate([d, s])
