"""Worlds: regions, republics, their attributes and the links between regions, as arrays.

* ``ussr``: the 15 union republics and their oblast-level regions, from
  ``data/ussr_republics.csv`` and ``data/ussr_regions.csv`` (figures with their sources in
  ``data/SOURCES.md``) and ``data/ussr_statehood.csv``; neighbours are regions on touching
  tiles of a stylised tile map (8-neighbourhood).
* ``synthetic``: N regions on a grid (8-neighbourhood), a small-world network (Watts-Strogatz
  ring, k = 4 each side, 10% rewired) or a complete graph, grouped into contiguous republics
  whose attributes are drawn from the world's own generator (``world_seed``), so that runs
  with different seeds share one world.

A world is fixed for a run; what varies between runs of one world is drawn per run by
:meth:`World.draw_capacity` (each region's productive capacity, with noise).

Two kinds of links between regions:

* ``neighbours``: whom an official sees (contagion), equal weights.
* ``supply``: the planned network of deliveries between regions (the plan is a network, not a
  star): each region draws its inputs from its neighbours in proportion to their capacity.
  Links inside one economic council are kept apart from links between councils, for each
  council structure (none, the 1957 sovnarkhozy, the 1962-63 councils), so localism can favour
  the council's own regions.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from scipy import sparse

try:  # the loops behind ``matrix @ x`` in scipy, without its per-call checks (the same sums, in the same order)
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # pragma: no cover - another scipy: its public product does the same
    _csr_matvec = _csr_matvecs = None

#: the core republic's identity salience: Russians identified with the union rather than with
#: the RSFSR as a nation-state (Hale 2004; Dunlop 1993), so the core's pull comes from its
#: leaders' rivalry with the centre, not from nationalism
CORE_IDENTITY = 0.3
#: years of interwar statehood that count as a full national memory (a generation: the Baltic
#: states had about 22; the Transcaucasian republics 2-3)
STATEHOOD_FULL_YEARS = 20.0
#: standard deviation of the log of each region's capacity noise, drawn per run
CAPACITY_NOISE = 0.1
#: exposure to scarcity (falling import capacity and revenue, failed harvests): higher in poorer
#: republics and in those living on transfers of either channel; a republic at the union's
#: average output per head with no transfers has VULNERABILITY_BASE - VULNERABILITY_PER_NMP = 0.65,
#: the richest 0.5, the poorest about 0.9 (stylised)
VULNERABILITY_BASE = 1.1
VULNERABILITY_PER_NMP = 0.45
VULNERABILITY_PER_TRANSFER = 1.0
#: nobody is wholly sheltered from a union-wide shortage
VULNERABILITY_MIN = 0.2
#: council structures: index of the ``economic_councils`` lever -> data column
COUNCIL_LEVELS = (None, "council_1957", "council_1963")


class WorldError(ValueError):
    """A world that cannot be built (a malformed data file or a bad size)."""


@dataclass
class Links:
    """A row-normalised weight matrix between regions, applied to a (runs, regions) array.

    ``apply(x)[r, i] = sum_j W[i, j] * x[r, j]``. For a complete graph the matrix is left
    implicit: ``W[i, j] = w[j] / (sum(w) - w[i])`` for ``j != i``.
    """

    matrix: sparse.csr_matrix | None
    weights: np.ndarray | None = None  # complete graph only
    group: np.ndarray | None = None  # complete graph only: keep j in (True) or out of i's group
    same_group: bool | None = None

    def apply(self, x: np.ndarray) -> np.ndarray:
        if self.matrix is not None:
            return rows_times(self.matrix, x)
        w = self.weights
        assert w is not None  # a complete graph (no matrix) always has its weights
        wx = x * w
        if self.group is None:
            return (wx.sum(axis=1, keepdims=True) - wx) / (w.sum() - w)
        n_groups = int(self.group.max()) + 1
        denominator = w.sum() - w
        group_sums = np.stack([np.bincount(self.group, weights=row, minlength=n_groups) for row in wx])
        if self.same_group:
            return (group_sums[:, self.group] - wx) / denominator
        return (wx.sum(axis=1, keepdims=True) - group_sums[:, self.group]) / denominator


@dataclass
class World:
    names: list[str]
    kind: list[str]
    republic: np.ndarray  # int index into republic_names, per region
    republic_names: list[str]
    republic_codes: list[str]
    population: np.ndarray  # population share of the union (sums to 1)
    base_capacity: np.ndarray  # productive capacity per period before the run's noise (mean 1)
    vulnerability: np.ndarray  # exposure to scarcity in [0, 1]
    titular_share: np.ndarray  # share of the republic's titular nationality in the region
    autonomy_share: np.ndarray  # share of an autonomy's own titular people (ASSR, AO); else 0
    memory: np.ndarray  # suppressed national memory in [0, 1] (interwar statehood, incorporation)
    councils: tuple[np.ndarray, ...]  # council id per region for each COUNCIL_LEVELS entry
    tile_x: np.ndarray
    tile_y: np.ndarray
    src: np.ndarray  # directed edges src -> dst (each undirected edge twice)
    dst: np.ndarray
    rep_identity: np.ndarray  # national identity salience per republic
    rep_budget: np.ndarray  # net budget transfer received, share of output, per republic
    rep_trade: np.ndarray  # net trade subsidy at world prices received, share of output
    rep_core: np.ndarray  # bool per republic: the core (RSFSR)
    complete: bool = False
    sources: dict = field(default_factory=dict)

    # ---------------------------------------------------------------- sizes and derived
    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def n_republics(self) -> int:
        return len(self.republic_names)

    @property
    def core(self) -> np.ndarray:
        return self.rep_core[self.republic]

    @property
    def budget_transfer(self) -> np.ndarray:
        return self.rep_budget[self.republic]

    @property
    def rep_population(self) -> np.ndarray:
        return np.bincount(self.republic, weights=self.population, minlength=self.n_republics)

    @property
    def degree(self) -> np.ndarray:
        if self.complete:
            return np.full(self.n, self.n - 1, dtype=float)
        return np.bincount(self.src, minlength=self.n).astype(float)

    def neighbours(self, i: int) -> np.ndarray:
        if self.complete:
            return np.delete(np.arange(self.n), i)
        return self.dst[self.src == i]

    def draw_capacity(self, rng: np.random.Generator) -> np.ndarray:
        """This run's capacity: base capacity times log-normal noise, scaled to mean 1.
        Draws one normal per region from ``rng``."""
        capacity = self.base_capacity * np.exp(CAPACITY_NOISE * rng.standard_normal(self.n))
        return capacity / capacity.mean()

    # ---------------------------------------------------------------- links
    def neighbour_links(self) -> Links:
        """Equal weights over each region's neighbours (whom its official sees)."""
        if self.complete:
            return Links(None, weights=np.ones(self.n))
        return Links(_row_normalised(self.src, self.dst, np.ones(self.src.size), self.n))

    def supply_links(self) -> tuple[tuple[Links, Links], ...]:
        """For each council structure: (links inside the region's council, links to other
        councils), weights ∝ the partner's base capacity, each row summing to one over both."""
        out = []
        for council in self.councils:
            if self.complete:
                w = self.base_capacity
                out.append((Links(None, weights=w, group=council, same_group=True),
                            Links(None, weights=w, group=council, same_group=False)))
                continue
            weight = self.base_capacity[self.dst]
            total = np.bincount(self.src, weights=weight, minlength=self.n)
            share = weight / np.maximum(total[self.src], 1e-300)
            same = council[self.src] == council[self.dst]
            out.append((Links(_matrix(self.src[same], self.dst[same], share[same], self.n)),
                        Links(_matrix(self.src[~same], self.dst[~same], share[~same], self.n))))
        return tuple(out)

    def supply_own_share(self) -> tuple[np.ndarray, ...]:
        """For each council structure: the share of each region's planned deliveries to
        partners that go to partners in its own council."""
        out = []
        for council in self.councils:
            if self.complete:
                # region j sends w_j / (W - w_i) of i's inputs to each i != j: sum those over the
                # i of j's own council, relative to all i
                w = self.base_capacity
                inverse = 1.0 / (w.sum() - w)
                in_council = np.bincount(council, weights=inverse)[council] - inverse
                out.append(in_council / (inverse.sum() - inverse))
                continue
            weight = self.base_capacity[self.dst]
            total = np.bincount(self.src, weights=weight, minlength=self.n)
            share = weight / np.maximum(total[self.src], 1e-300)
            same = council[self.src] == council[self.dst]
            sent = np.bincount(self.dst, weights=share, minlength=self.n)
            own = np.bincount(self.dst[same], weights=share[same], minlength=self.n)
            out.append(np.divide(own, sent, out=np.zeros(self.n), where=sent > 0))
        return tuple(out)

    def republic_matrix(self) -> sparse.csr_matrix:
        """(regions x republics) population weights: ``x @ M`` is each republic's
        population-weighted mean of ``x``."""
        share = self.population / self.rep_population[self.republic]
        return sparse.csr_matrix((share, (np.arange(self.n), self.republic)),
                                 shape=(self.n, self.n_republics))


def rows_times(matrix: sparse.csr_matrix, x: np.ndarray) -> np.ndarray:
    """``y[r] = matrix @ x[r]`` for every row ``r`` of ``x`` (runs x columns -> runs x rows).

    Each ``y[r, i]`` is summed over row ``i`` of the matrix in its stored order, whatever the
    number of runs, so a run gets the same numbers alone or in a batch (a dense BLAS product
    would not). The same loops as scipy's ``matrix @ x.T``, called directly: at the USSR's
    165 regions scipy's checks cost several times the arithmetic.
    """
    x = np.ascontiguousarray(x, dtype=float)
    n_rows, n_columns = matrix.shape
    if _csr_matvec is None:
        return np.ascontiguousarray((matrix @ x.T).T)
    if len(x) == 1:
        y = np.zeros((1, n_rows))
        _csr_matvec(n_rows, n_columns, matrix.indptr, matrix.indices, matrix.data, x[0], y[0])
        return y
    y = np.zeros((n_rows, len(x)))
    _csr_matvecs(n_rows, n_columns, len(x), matrix.indptr, matrix.indices, matrix.data,
                 np.ascontiguousarray(x.T).ravel(), y.ravel())
    return np.ascontiguousarray(y.T)


def _matrix(src, dst, weight, n) -> sparse.csr_matrix:
    return sparse.csr_matrix((weight, (src, dst)), shape=(n, n))


def _row_normalised(src, dst, weight, n) -> sparse.csr_matrix:
    total = np.bincount(src, weights=weight, minlength=n)
    return _matrix(src, dst, weight / np.maximum(total[src], 1e-300), n)


def data_path(name: str) -> Path:
    return Path(str(resources.files("soviet_cohesion") / "data" / name))


# -------------------------------------------------------------------------------- USSR
@lru_cache(maxsize=1)
def _read_csv(name: str) -> tuple[dict, ...]:
    path = data_path(name)
    try:
        with path.open(newline="", encoding="utf-8") as f:
            return tuple(csv.DictReader(f))
    except OSError as exc:
        raise WorldError(f"{path}: cannot be read ({exc.strerror})") from None


def _number(row: dict, column: str, path: str, default: float | None = None) -> float:
    text = (row.get(column) or "").strip()
    if not text:
        if default is not None:
            return default
        raise WorldError(f"{path}: row {row.get('region') or row.get('code')!r} has no value in {column!r}")
    try:
        return float(text)
    except ValueError:
        raise WorldError(f"{path}: {column}={text!r} in row {row.get('region') or row.get('code')!r} "
                         f"is not a number") from None


@lru_cache(maxsize=1)
def ussr() -> World:
    """The stylised USSR of 1989 (built once per process; it holds no randomness)."""
    republics = _read_csv("ussr_republics.csv")
    regions = _read_csv("ussr_regions.csv")
    statehood = {r["code"]: float(r["statehood_years"]) for r in _read_csv("ussr_statehood.csv")}
    codes = [r["code"] for r in republics]
    index = {c: i for i, c in enumerate(codes)}
    try:
        rep = np.array([index[r["republic_code"]] for r in regions])
    except KeyError as exc:
        raise WorldError(f"ussr_regions.csv: unknown republic code {exc.args[0]!r}") from None
    rp = "ussr_republics.csv"
    rg = "ussr_regions.csv"
    nmp = np.array([_number(r, "nmp_per_capita_index_1988", rp) for r in republics]) / 100.0
    titular_rep = np.array([_number(r, "titular_share_1989", rp) for r in republics])
    core_rep = np.array([r["core"].strip() in ("1", "true", "True") for r in republics])
    budget = np.array([_number(r, "budget_transfer_share", rp) for r in republics])
    trade = np.array([_number(r, "trade_transfer_share", rp) for r in republics])

    population = np.array([_number(r, "population_1989_thousands", rg) for r in regions])
    population = population / population.sum()
    base_capacity = population * nmp[rep]
    base_capacity = base_capacity / base_capacity.mean()
    kind = [r["kind"] for r in regions]
    titular = np.array([_number(r, "titular_share", rg) for r in regions])
    autonomy = np.array([_number(r, "autonomy_group_share", rg, 0.0) for r in regions])
    incorporated = np.array([bool((r.get("incorporated") or "").strip()) for r in regions], dtype=float)
    years = np.array([statehood.get(c, 0.0) for c in codes])
    memory = np.clip(years[rep] / STATEHOOD_FULL_YEARS + incorporated, 0.0, 1.0)
    identity = np.where(core_rep, CORE_IDENTITY, titular_rep)
    transfer = budget + trade
    vulnerability = np.clip(VULNERABILITY_BASE - VULNERABILITY_PER_NMP * nmp[rep]
                            + VULNERABILITY_PER_TRANSFER * transfer[rep], VULNERABILITY_MIN, 1.0)
    councils = [np.arange(len(regions), dtype=np.int64)]  # branch ministries: no council to favour
    for column in COUNCIL_LEVELS[1:]:
        ids = [(r.get(column) or "").strip() for r in regions]
        if not all(ids):
            raise WorldError(f"{rg}: every region needs a value in {column!r}")
        _, council = np.unique(np.array(ids), return_inverse=True)
        councils.append(council.astype(np.int64))
    tx = np.array([int(r["tile_x"]) for r in regions])
    ty = np.array([int(r["tile_y"]) for r in regions])
    src, dst = _tile_edges(tx, ty)
    return World(
        names=[r["region"] for r in regions], kind=kind, republic=rep,
        republic_names=[r["republic"] for r in republics], republic_codes=codes,
        population=population, base_capacity=base_capacity, vulnerability=vulnerability,
        titular_share=titular, autonomy_share=autonomy, memory=memory, councils=tuple(councils),
        tile_x=tx, tile_y=ty, src=src, dst=dst, rep_identity=identity, rep_budget=budget,
        rep_trade=trade, rep_core=core_rep,
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
#: regions per council in a synthetic world's "1957" structure (its "1963" one is the republic)
SYNTHETIC_COUNCIL_SIZE = 3


@lru_cache(maxsize=16)
def synthetic(n: int, topology: str = "grid", n_republics: int = 0, world_seed: int = 0) -> World:
    """A synthetic world of ``n`` regions, drawn from its own generator (``world_seed``).

    Draw order: capacity (n normals), vulnerability (n uniforms), per republic identity
    (Beta(2, 3)), budget and trade transfers (normals), then rewiring for ``network``.
    """
    if topology not in ("grid", "network", "complete"):
        raise WorldError(f"topology={topology!r} is not allowed: expected grid, network or complete")
    rng = np.random.default_rng(world_seed)
    n_rep = n_republics if n_republics > 0 else max(1, round(n / 10))
    n_rep = min(n_rep, n)
    side = int(np.ceil(np.sqrt(n)))
    tx = np.arange(n) % side
    ty = np.arange(n) // side
    # contiguous republics: split the tiles, read row by row in snake order, into equal runs
    order = np.lexsort((np.where(ty % 2 == 0, tx, side - 1 - tx), ty))
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    republic = np.minimum(position * n_rep // n, n_rep - 1)

    capacity = np.exp(0.3 * rng.standard_normal(n))
    capacity /= capacity.mean()
    vulnerability = 0.3 + 0.6 * rng.random(n)
    identity = rng.beta(2.0, 3.0, n_rep)
    budget = 0.04 * rng.standard_normal(n_rep)
    trade = 0.04 * rng.standard_normal(n_rep)
    core = np.zeros(n_rep, dtype=bool)
    core[0] = True  # the first republic plays the core region
    identity[0] = CORE_IDENTITY
    budget[0], trade[0] = -abs(budget[0]), -abs(trade[0])
    population = capacity / capacity.sum()
    councils = (np.arange(n, dtype=np.int64), position // SYNTHETIC_COUNCIL_SIZE, republic.copy())

    complete = topology == "complete"
    if topology == "grid":
        src, dst = _grid_edges(tx, ty, side, n)
    elif topology == "network":
        src, dst = _small_world_edges(n, 4, 0.1, rng)
    else:
        src = dst = np.empty(0, dtype=np.int64)
    return World(
        names=[f"Region {i + 1}" for i in range(n)], kind=["region"] * n, republic=republic,
        republic_names=[f"Republic {i + 1}" for i in range(n_rep)],
        republic_codes=[f"R{i + 1}" for i in range(n_rep)],
        population=population, base_capacity=capacity, vulnerability=vulnerability,
        titular_share=np.where(core[republic], 0.8, 0.7), autonomy_share=np.zeros(n),
        memory=np.zeros(n), councils=councils, tile_x=tx, tile_y=ty, src=src, dst=dst,
        rep_identity=identity, rep_budget=budget, rep_trade=trade, rep_core=core,
        complete=complete,
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


def build(kind: str, params: dict) -> World:
    """The world named ``kind`` (``ussr`` or ``synthetic``) for the given parameters."""
    if kind == "ussr":
        return ussr()
    if kind == "synthetic":
        return synthetic(int(params["n_regions"]), params["topology"], int(params["n_republics"]),
                         int(params["world_seed"]))
    raise WorldError(f"world={kind!r} is not allowed: expected ussr or synthetic")
