"""The calibration report's figures (PNG and SVG): marginal and pairwise posteriors, the
tolerance schedule, and the posterior predictive check."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..validation.figures import HISTORY, MODEL, NULL, new_figure, save, shared_legend
from .distance import Target
from .priors import Priors
from .smc import Result, weighted_quantile

PRIOR = "#999999"


def marginals(result: Result, priors: Priors, out: Path, truth: dict | None = None) -> list[Path]:
    """Each parameter's posterior (weighted histogram, last generation) against its prior, with
    the 90% credible interval; the true value when it is known (parameter recovery)."""
    g = result.posterior
    k = len(priors)
    cols = min(3, k)
    rows = math.ceil(k / cols)
    fig = new_figure(3.8 * cols, 3.0 * rows)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False).ravel())
    for ax, prior in zip(axes, priors.priors):
        x = g.particles[prior.name].to_numpy()
        bins = np.linspace(prior.low, prior.high, 31)
        ax.hist(x, bins=bins, weights=g.weights, density=True, color=MODEL, alpha=0.6, label="posterior")
        grid = np.linspace(prior.low, prior.high, 200)
        ax.plot(grid, np.exp(prior.logpdf(grid)), color=PRIOR, lw=1.5, label="prior")
        lo, hi = (weighted_quantile(x, g.weights, q) for q in (0.05, 0.95))
        ax.axvspan(lo, hi, color=MODEL, alpha=0.08, label="90% credible interval")
        if truth and prior.name in truth:
            ax.axvline(truth[prior.name], color=NULL, lw=2, label="true value")
        ax.set_xlabel(f"{prior.name} (parameter value)")
        ax.set_ylabel("density")
        ax.set_title(prior.name, loc="left", fontsize=10)
    for ax in axes[k:]:
        ax.set_visible(False)
    shared_legend(fig, axes[:k], ncol=4)
    fig.suptitle(f"Marginal posteriors after {len(result.generations)} generations "
                 f"({len(g.particles)} particles, tolerance {g.epsilon:.3g})")
    return save(fig, out, "marginals")


def pairwise(result: Result, priors: Priors, out: Path, truth: dict | None = None) -> list[Path]:
    """Pairs of parameters in the posterior (point size by weight) with each marginal on the diagonal."""
    g = result.posterior
    names = priors.names
    k = len(names)
    fig = new_figure(2.6 * k + 0.6, 2.6 * k + 0.6)
    axes = fig.subplots(k, k, squeeze=False)
    size = 4 + 60 * g.weights / g.weights.max()
    for i, yi in enumerate(names):
        for j, xj in enumerate(names):
            ax = axes[i, j]
            px, py = priors.priors[j], priors.priors[i]
            if i == j:
                ax.hist(g.particles[xj], bins=25, range=(px.low, px.high), weights=g.weights, color=MODEL, alpha=0.6,
                        label="posterior")
                ax.set_yticks([])
            elif i > j:
                ax.scatter(g.particles[xj], g.particles[yi], s=size, color=MODEL, alpha=0.35, lw=0,
                           label="posterior particles (size: weight)")
                if truth and xj in truth and yi in truth:
                    ax.plot([truth[xj]], [truth[yi]], "x", color=NULL, ms=9, mew=2, label="true values")
                ax.set_ylim(py.low, py.high)
            else:
                ax.set_visible(False)
                continue
            ax.set_xlim(px.low, px.high)
            if i == k - 1:
                ax.set_xlabel(xj, fontsize=8)
            if j == 0 and i > 0:
                ax.set_ylabel(yi, fontsize=8)
            ax.tick_params(labelsize=7)
    shared_legend(fig, axes.ravel(), ncol=3)
    fig.suptitle("Pairwise posterior (parameter values)", fontsize=11)
    return save(fig, out, "pairwise")


def schedule(result: Result, out: Path) -> list[Path]:
    """Tolerance and acceptance rate by generation."""
    gens = [g for g in result.generations if g.t > 0]
    fig = new_figure(8, 3.4)
    ax1, ax2 = fig.subplots(1, 2)
    t = [g.t for g in gens]
    ax1.plot(t, [g.epsilon for g in gens], "o-", color=MODEL, label="tolerance epsilon")
    ax1.set_yscale("log") if gens and min(g.epsilon for g in gens) > 0 else None
    ax1.set_xlabel("generation")
    ax1.set_ylabel("tolerance (distance units)")
    ax1.set_title("Tolerance", loc="left")
    ax1.legend(fontsize=8)
    ax2.plot(t, [100 * g.acceptance_rate for g in gens], "o-", color=NULL, label="acceptance rate")
    ax2.plot(t, [100 * g.ess / len(g.particles) for g in gens], "s--", color=HISTORY,
             label="effective sample size / population")
    ax2.set_xlabel("generation")
    ax2.set_ylabel("per cent")
    ax2.set_title("Acceptance and effective sample size", loc="left")
    ax2.legend(fontsize=8)
    fig.suptitle("ABC-SMC schedule")
    return save(fig, out, "schedule")


def predictive(result: Result, targets: list[Target], predictive_frame: pd.DataFrame, units: dict,
               out: Path) -> list[Path]:
    """Each target: prior predictive (generation 0) and posterior predictive distributions of the
    statistic against the target value or band."""
    if predictive_frame is None or not len(predictive_frame):
        return []
    k = len(targets)
    cols = min(3, k)
    rows = math.ceil(k / cols)
    fig = new_figure(3.9 * cols, 3.0 * rows)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False).ravel())
    prior_sample = result.generations[0].summaries
    for ax, t in zip(axes, targets):
        prior_v = prior_sample[t.statistic].to_numpy(dtype=float)
        post_v = predictive_frame[t.statistic].to_numpy(dtype=float)
        finite = np.concatenate([prior_v[np.isfinite(prior_v)], post_v[np.isfinite(post_v)]])
        lo, hi = (finite.min(), finite.max()) if len(finite) else (0.0, 1.0)
        if hi == lo:
            lo, hi = lo - 0.5, hi + 0.5
        bins = np.linspace(lo, hi, 25)
        ax.hist(prior_v[np.isfinite(prior_v)], bins=bins, density=True, color=PRIOR, alpha=0.5,
                label="prior predictive")
        ax.hist(post_v[np.isfinite(post_v)], bins=bins, density=True, color=MODEL, alpha=0.6,
                label="posterior predictive")
        if t.is_band:
            a = lo if math.isnan(t.low) else max(t.low, lo)
            b = hi if math.isnan(t.high) else min(t.high, hi)
            if b >= a:
                ax.axvspan(a, b, color=HISTORY, alpha=0.12, label="target band")
        else:
            ax.axvline(t.value, color=HISTORY, lw=2, label="target")
        never = np.mean(~np.isfinite(post_v))
        title = t.statistic + (f" (never/undefined in {never:.0%})" if never else "")
        ax.set_title(title, loc="left", fontsize=9)
        ax.set_xlabel(units.get(t.statistic, "value"))
        ax.set_ylabel("density")
    for ax in axes[k:]:
        ax.set_visible(False)
    shared_legend(fig, axes[:k], ncol=4)
    fig.suptitle(f"Posterior predictive check ({len(predictive_frame)} runs) against the targets")
    return save(fig, out, "predictive")
