"""Figures of the sensitivity analyses (see :mod:`.sensitivity`), following the rules of
:mod:`.figures`: every metric drawn, the dummy parameter and the checks shown, saved as PNG and
SVG with the spec hash and code fingerprint."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import FormatStrFormatter, MaxNLocator

from .figures import COLORS, figure, label, save

DUMMY_COLOR = "#999999"


def _panels(table: pd.DataFrame, design) -> list[tuple[str, str]]:
    """(group, metric) pairs, the metrics in the analysis's order."""
    groups = list(dict.fromkeys(table["group"]))
    present = set(table["metric"])
    metrics = [m for m in design.metrics if m in present] + sorted(present - set(design.metrics))
    return [(g, m) for g in groups for m in metrics]


def _title(metric: str, group: str) -> str:
    return f"{label(metric)}{' (' + group + ')' if group else ''}"


def sobol(table: pd.DataFrame, checks: pd.DataFrame, design, path: Path) -> list[Path]:
    """S1 and ST with 95% intervals per parameter, the ST estimated from the first half of the
    sample as open circles (convergence), the dummy's ST as a dashed line (noise floor), and
    the seed-noise share in each panel's title."""
    panels = _panels(table, design)
    first = table[(table["group"] == panels[0][0]) & (table["metric"] == panels[0][1])]
    order = list(first.sort_values("ST", ascending=False)["parameter"])
    cols = min(2, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig = figure(max(5.0, 0.6 * len(order) + 1.5) * cols, 4.1 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    inert = {n for n in design.sampled if design.factors[n].get("inert")}
    for k, (ax, (group, metric)) in enumerate(zip(axes, panels)):
        t = table[(table["group"] == group) & (table["metric"] == metric)].set_index("parameter").reindex(order)
        pos = np.arange(len(order))
        colors1 = [DUMMY_COLOR if p in inert else COLORS[0] for p in order]
        colors2 = [DUMMY_COLOR if p in inert else COLORS[1] for p in order]
        ax.bar(pos - 0.2, t["S1"], 0.4, yerr=t["S1_conf"], capsize=2, color=colors1, label="first order S1")
        ax.bar(pos + 0.2, t["ST"], 0.4, yerr=t["ST_conf"], capsize=2, color=colors2, label="total ST")
        if t["ST_half"].notna().any():
            ax.scatter(pos + 0.2, t["ST_half"], s=22, facecolors="none", edgecolors="black", zorder=4,
                       label=f"total ST from the first half (N = {design.sampler['n'] // 2})")
        check = checks[(checks["group"] == group) & (checks["metric"] == metric)]
        c = check.iloc[0].to_dict() if len(check) else {}
        if pd.notna(c.get("dummy_ST", np.nan)):
            ax.axhline(c["dummy_ST"] + c["dummy_ST_conf"], color=DUMMY_COLOR, linestyle="--", linewidth=1,
                       label="noise floor: dummy ST + its interval")
        ax.set_xticks(pos, order, fontsize=7, rotation=30, ha="right")
        ax.axhline(0, color="black", linewidth=0.6)
        ax.set_ylim(-0.15, 1.15)  # indices lie in [0, 1]; wider intervals are cut at the frame
        ax.set_ylabel("Sobol index")
        noise = c.get("seed_noise_runs")
        noise_text = (f"seed noise {100 * noise:.0f}% of single-run variance" if noise is not None
                      and pd.notna(noise) else "seed noise not measurable (1 replicate)")
        conv = c.get("max_change_ST")
        conv_text = f"; ST moved {conv:.3f} from N/2 to N" if conv is not None and pd.notna(conv) else ""
        ax.set_title(f"{_title(metric, group)}\n{noise_text}{conv_text}", fontsize=9)
        if k == 0:
            ax.legend(fontsize=7)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    reps = f"{design.replicates} replicate{'s' if design.replicates != 1 else ''}"
    fig.suptitle(f"{design.name}: Sobol indices, N = {design.sampler['n']} ({reps} averaged per sample "
                 "point); error bars: 95% confidence intervals; grey: the dummy parameter", fontsize=11)
    return save(fig, path, design)


def morris(table: pd.DataFrame, design, path: Path) -> list[Path]:
    """mu* (influence, with its interval) and sigma (interactions, non-linearity), ranked by mu*."""
    panels = _panels(table, design)
    n_par = table["parameter"].nunique()
    cols = min(3, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig = figure(4.6 * cols, (0.28 * n_par + 1.6) * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    inert = {n for n in design.sampled if design.factors[n].get("inert")}
    for k, (ax, (group, metric)) in enumerate(zip(axes, panels)):
        t = table[(table["group"] == group) & (table["metric"] == metric)].sort_values("mu_star")
        pos = np.arange(len(t))
        ax.barh(pos + 0.2, t["mu_star"], 0.4, xerr=t["mu_star_conf"], capsize=2, label="mu* (influence)",
                color=[DUMMY_COLOR if p in inert else COLORS[0] for p in t["parameter"]])
        ax.barh(pos - 0.2, t["sigma"], 0.4, color=COLORS[2], label="sigma (interactions)")
        ax.set_yticks(pos, list(t["parameter"]), fontsize=7)
        ax.set_xlim(left=0)
        ax.set_xlabel("elementary effect")
        ax.set_title(_title(metric, group), fontsize=10)
        if k == 0:
            ax.legend(fontsize=7, loc="lower right")
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(f"{design.name}: Morris screening, {design.sampler['n']} trajectories, "
                 f"{design.replicates} replicate(s) averaged per point", fontsize=11)
    return save(fig, path, design)


def scatter(ok: pd.DataFrame, design, path: Path) -> list[Path]:
    """Every metric (rows) against every sampled parameter (columns), one dot per run."""
    names, metrics = design.sampled, [m for m in design.metrics if m in ok]
    fig = figure(2.8 * len(names), 2.5 * len(metrics))
    axes = fig.subplots(len(metrics), len(names), squeeze=False)
    for i, metric in enumerate(metrics):
        for j, name in enumerate(names):
            ax = axes[i, j]
            ax.scatter(ok[name], ok[metric], s=4, alpha=0.4, color=COLORS[0], linewidths=0)
            ax.set_xlabel(label(name), fontsize=8)
            ax.set_ylabel(label(metric) if j == 0 else "", fontsize=8)
    fig.suptitle(f"{design.name}: {len(ok)} runs (n = 1 run per dot), Latin hypercube over "
                 f"{len(names)} parameters", fontsize=11)
    return save(fig, path, design)


def over_time(table: pd.DataFrame, value: str, design, path: Path, what: str) -> list[Path]:
    """An index (``value``: ST, mu_star or spearman) of each parameter through time, one panel
    per metric (and group); the dummy parameter dashed grey."""
    panels = _panels(table, design)
    cols = min(2, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig = figure(5.4 * cols, 3.6 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    inert = {n for n in design.sampled if design.factors[n].get("inert")}
    params = list(dict.fromkeys(table["parameter"]))
    for ax, (group, metric) in zip(axes, panels):
        t = table[(table["group"] == group) & (table["metric"] == metric)]
        for i, p in enumerate(params):
            line = t[t["parameter"] == p].sort_values("year")
            style = {"color": DUMMY_COLOR, "linestyle": "--"} if p in inert else {"color": COLORS[i % len(COLORS)]}
            ax.plot(line["year"], line[value], label=p, linewidth=1.2, **style)
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
        ax.set_ylabel(what)
        ax.set_title(f"{metric.replace('_', ' ')}{' (' + group + ')' if group else ''}", fontsize=9)
    axes[0].legend(fontsize=6, ncol=2)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(f"{design.name}: {what} of each parameter through time "
                 f"({design.replicates} replicate(s) averaged per sample point)", fontsize=11)
    return save(fig, path, design)
