"""Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC), batch by batch.

The population Monte Carlo scheme of Beaumont, Cornuet, Marin and Robert (2009) with an
adaptive tolerance as in Del Moral, Doucet and Jasra (2012) and Drovandi and Pettitt (2011):

* generation 0: ``population`` particles drawn from the prior and simulated (tolerance
  infinite); the distance's open scales are fitted on their summaries;
* generation t: the tolerance ``epsilon_t`` is the ``quantile`` of the previous generation's
  distances (weighted); particles are proposed by drawing an ancestor by weight and moving it
  with a Gaussian kernel whose covariance is ``kernel_scale`` (2, as Beaumont et al.) times the
  previous population's weighted covariance; proposals outside the prior's support are drawn
  again without simulating; proposals are simulated **in batches** and accepted while
  ``d <= epsilon_t``, in proposal order, until the population is full;
* importance weights ``w_i = prior(theta_i) / sum_j W_j K(theta_i | theta_j)``, normalised; the
  effective sample size is ``1 / sum w_i^2``.

The run stops when the tolerance reaches ``min_epsilon``, when a generation's acceptance rate
falls below ``min_acceptance``, after ``max_generations``, or when the next batch would exceed
``max_simulations`` (the incomplete generation is then discarded).

The simulator is a batch function ``simulate(params: DataFrame, seeds: ndarray) -> DataFrame``
of summaries, one row per particle, so that many runs go to the model (or the ensemble
engine) at once. Every generation's random numbers come from ``(seed, generation)`` alone, and
each run's seed is drawn from them: a run that is stopped and resumed from its last complete
generation (see :mod:`.store`) gives exactly the result of an uninterrupted one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .distance import Distance
from .priors import Priors

Simulator = Callable[[pd.DataFrame, np.ndarray], pd.DataFrame]


@dataclass
class Generation:
    """One complete population."""

    t: int
    particles: pd.DataFrame  # one column per parameter
    weights: np.ndarray
    distances: np.ndarray
    summaries: pd.DataFrame
    seeds: np.ndarray
    epsilon: float
    n_simulations: int
    elapsed_s: float = 0.0
    simulate_s: float = 0.0
    distance_state: dict = field(default_factory=dict)

    @property
    def acceptance_rate(self) -> float:
        return len(self.particles) / self.n_simulations if self.n_simulations else math.nan

    @property
    def ess(self) -> float:
        return float(1.0 / np.sum(self.weights ** 2))

    def mean(self) -> pd.Series:
        return pd.Series(self.weights @ self.particles.to_numpy(), index=self.particles.columns)

    def sd(self) -> pd.Series:
        x = self.particles.to_numpy()
        m = self.weights @ x
        return pd.Series(np.sqrt(self.weights @ (x - m) ** 2), index=self.particles.columns)

    def quantile(self, q: float) -> pd.Series:
        return pd.Series({c: weighted_quantile(self.particles[c].to_numpy(), self.weights, q)
                          for c in self.particles.columns})


@dataclass
class Result:
    generations: list[Generation]
    stop_reason: str

    @property
    def posterior(self) -> Generation:
        return self.generations[-1]

    @property
    def n_simulations(self) -> int:
        return sum(g.n_simulations for g in self.generations)


class BudgetExhausted(Exception):
    pass


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``x`` under weights ``w`` (the smallest x whose cumulative weight
    reaches q); infinite values are allowed."""
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(np.asarray(w, dtype=float)[order])
    cum /= cum[-1]
    return float(np.asarray(x, dtype=float)[order][min(int(np.searchsorted(cum, q - 1e-12)), len(x) - 1)])


def weighted_covariance(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    m = w @ x
    d = x - m
    cov = (d * w[:, None]).T @ d / max(1.0 - np.sum(w ** 2), 1e-12)
    return np.atleast_2d(cov)


def _mvn_logpdf_matrix(points: np.ndarray, centres: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """log N(points_i | centres_j, cov) for every i, j (shape: points x centres)."""
    chol = np.linalg.cholesky(cov)
    k = cov.shape[0]
    diff = points[:, None, :] - centres[None, :, :]
    z = np.linalg.solve(chol, diff.reshape(-1, k).T).T.reshape(diff.shape)
    log_det = 2 * np.sum(np.log(np.diag(chol)))
    return -0.5 * (np.sum(z ** 2, axis=-1) + k * math.log(2 * math.pi) + log_det)


class ABCSMC:
    """See the module docstring. ``store`` (optional) saves each generation as it completes and
    gives back the saved ones on start; ``note`` receives one line per generation."""

    def __init__(self, priors: Priors, simulate: Simulator, distance: Distance, *, population: int = 100,
                 quantile: float = 0.5, max_generations: int = 10, min_epsilon: float = 0.0,
                 max_simulations: float = math.inf, min_acceptance: float = 0.0, batch: int = 256,
                 seed: int = 0, kernel_scale: float = 2.0, store=None,
                 note: Callable[[str], None] = lambda text: None):
        if population < 2:
            raise ValueError("population must be at least 2")
        if not 0 < quantile < 1:
            raise ValueError("quantile must be in (0, 1)")
        self.priors, self.simulate, self.distance = priors, simulate, distance
        self.population, self.quantile = int(population), float(quantile)
        self.max_generations, self.min_epsilon = int(max_generations), float(min_epsilon)
        self.max_simulations, self.min_acceptance = max_simulations, float(min_acceptance)
        self.batch, self.seed, self.kernel_scale = max(1, int(batch)), int(seed), float(kernel_scale)
        self.store, self.note = store, note

    # ------------------------------------------------------------------ running
    def run(self) -> Result:
        generations: list[Generation] = list(self.store.load()) if self.store is not None else []
        if generations:
            self.distance.load(generations[0].distance_state)
            self.note(f"resuming after generation {generations[-1].t} "
                      f"({sum(g.n_simulations for g in generations)} simulations done)")
            stop = self._stop_reason(generations)
            if stop:
                return Result(generations, stop)
        while True:
            t = len(generations)
            try:
                g = self._generation_zero() if t == 0 else self._generation(t, generations)
            except BudgetExhausted:
                if not generations:
                    raise
                return Result(generations, f"simulation budget ({self.max_simulations:g}) reached")
            generations.append(g)
            if self.store is not None:
                self.store.save(g)
            self.note(f"generation {t}: epsilon {g.epsilon:.4g}, acceptance {g.acceptance_rate:.1%}, "
                      f"ESS {g.ess:.0f}, {g.n_simulations} simulations in {g.elapsed_s:.1f} s")
            stop = self._stop_reason(generations)
            if stop:
                return Result(generations, stop)

    def _stop_reason(self, generations: list[Generation]) -> str:
        g = generations[-1]
        if g.t > 0 and g.epsilon <= self.min_epsilon:
            return f"tolerance reached min_epsilon ({self.min_epsilon:g})"
        if g.t > 0 and g.acceptance_rate < self.min_acceptance:
            return f"acceptance rate {g.acceptance_rate:.2%} below min_acceptance ({self.min_acceptance:.2%})"
        if len(generations) >= self.max_generations:
            return f"the maximum number of generations ({self.max_generations})"
        if sum(x.n_simulations for x in generations) >= self.max_simulations:
            return f"simulation budget ({self.max_simulations:g}) reached"
        return ""

    def _rng(self, t: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, t])

    def _simulate(self, params: pd.DataFrame, seeds: np.ndarray, done: int, clock: list) -> pd.DataFrame:
        if done + len(params) > self.max_simulations:
            raise BudgetExhausted
        start = time.perf_counter()
        out = self.simulate(params.reset_index(drop=True), seeds)
        clock[0] += time.perf_counter() - start
        if len(out) != len(params):
            raise RuntimeError(f"the simulator returned {len(out)} rows for {len(params)} particles")
        return out.reset_index(drop=True)

    def _generation_zero(self) -> Generation:
        start, clock = time.perf_counter(), [0.0]
        rng = self._rng(0)
        params = self.priors.sample(self.population, rng)
        seeds = rng.integers(0, 2 ** 63 - 1, size=self.population)
        summaries = []
        for i in range(0, self.population, self.batch):
            summaries.append(self._simulate(params.iloc[i:i + self.batch], seeds[i:i + self.batch], i, clock))
        summaries = pd.concat(summaries, ignore_index=True)
        state = self.distance.fit(summaries)
        distances = self.distance(summaries)
        weights = np.full(self.population, 1.0 / self.population)
        return Generation(0, params, weights, distances, summaries, seeds, math.inf, self.population,
                          time.perf_counter() - start, clock[0], state)

    def _generation(self, t: int, generations: list[Generation]) -> Generation:
        start, clock = time.perf_counter(), [0.0]
        prev = generations[-1]
        done = sum(g.n_simulations for g in generations)
        rng = self._rng(t)
        epsilon = weighted_quantile(prev.distances, prev.weights, self.quantile)
        if not math.isfinite(epsilon):
            finite = prev.distances[np.isfinite(prev.distances)]
            if not len(finite):
                raise RuntimeError("no particle of the previous generation has a finite distance: "
                                   "the targets cannot be reached (check that the model produces them)")
            epsilon = float(finite.max())
        epsilon = max(epsilon, self.min_epsilon)
        x_prev = prev.particles[self.priors.names].to_numpy(dtype=float)
        cov = self.kernel_scale * weighted_covariance(x_prev, prev.weights)
        span = np.diff(self.priors.bounds, axis=1).ravel()
        cov = cov + np.diag(np.maximum(np.diag(cov) * 1e-9, (span * 1e-6) ** 2))
        chol = np.linalg.cholesky(cov)
        rate = prev.acceptance_rate if t > 1 else self.quantile / 2
        accepted: list[tuple[np.ndarray, float, pd.Series, int]] = []
        n_sim = 0
        while len(accepted) < self.population:
            need = self.population - len(accepted)
            size = int(min(self.batch, max(math.ceil(need / max(rate, 0.01)), min(need, self.batch))))
            proposals = self._propose(size, x_prev, prev.weights, chol, rng)
            seeds = rng.integers(0, 2 ** 63 - 1, size=size)
            frame = pd.DataFrame(proposals, columns=self.priors.names)
            summaries = self._simulate(frame, seeds, done + n_sim, clock)
            n_sim += size
            d = self.distance(summaries)
            for i in np.flatnonzero(d <= epsilon):
                if len(accepted) < self.population:
                    accepted.append((proposals[i], float(d[i]), summaries.iloc[i], int(seeds[i])))
            rate = max(len(accepted) / n_sim, 1e-3)
        x = np.array([a[0] for a in accepted])
        log_prior = self.priors.logpdf(x)
        log_kernel = _mvn_logpdf_matrix(x, x_prev, cov)
        log_mix = np.log(prev.weights)[None, :] + log_kernel
        m = log_mix.max(axis=1, keepdims=True)
        log_den = (m + np.log(np.exp(log_mix - m).sum(axis=1, keepdims=True))).ravel()
        log_w = log_prior - log_den
        w = np.exp(log_w - log_w.max())
        w /= w.sum()
        return Generation(t, pd.DataFrame(x, columns=self.priors.names), w, np.array([a[1] for a in accepted]),
                          pd.DataFrame([a[2] for a in accepted]).reset_index(drop=True),
                          np.array([a[3] for a in accepted], dtype=np.int64), epsilon, n_sim,
                          time.perf_counter() - start, clock[0], prev.distance_state)

    def _propose(self, size, x_prev, weights, chol, rng) -> np.ndarray:
        """``size`` perturbed particles inside the prior's support."""
        out = np.empty((0, x_prev.shape[1]))
        for _ in range(10_000):
            if len(out) >= size:
                break
            k = 2 * (size - len(out))
            ancestors = rng.choice(len(x_prev), size=k, p=weights)
            moved = x_prev[ancestors] + rng.standard_normal((k, x_prev.shape[1])) @ chol.T
            inside = np.isfinite(self.priors.logpdf(moved))
            out = np.vstack([out, moved[inside]])
        else:
            raise RuntimeError("the perturbation kernel keeps leaving the prior's support")
        return out[:size]
