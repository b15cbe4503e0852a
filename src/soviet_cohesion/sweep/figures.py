"""The sweep's figures, drawn with matplotlib's object API on the Agg canvas (no display needed,
and the caller's pyplot backend is left alone)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FormatStrFormatter, MaxNLocator

LABELS = {
    "cohesion": "final cohesion", "compliance": "final compliance", "authority": "final authority",
    "plan_fulfilment": "final plan fulfilment", "autonomous_regions": "autonomous regions at the end",
    "managing_regions": "risk-managing regions at the end", "reserves": "final reserves",
    "min_cohesion": "lowest cohesion", "collapse_year": "year cohesion fell below the threshold",
    "implementation_consistency": "final implementation consistency",
}
COLORS = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#2e4057", "#b5651d",
          "#999999", "#5d2e8c"]


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: Path) -> None:
    fig.savefig(path, dpi=150)


def _edges(centres: np.ndarray) -> np.ndarray:
    """Cell edges around (possibly uneven) grid values."""
    c = np.asarray(centres, dtype=float)
    if len(c) == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


# ====================================================================== phase diagram
def phase_diagram(ok: pd.DataFrame, x: str, y: str, design, path: Path, facets: list[str]) -> None:
    """Heat maps of mean final cohesion and of the share of runs that collapsed over (x, y), with
    the collapse boundary (mean cohesion = threshold) drawn as a contour."""
    metric = "cohesion" if "cohesion" in ok else design.metrics[0]
    t = design.threshold
    groups = [("", ok)]
    if facets:
        groups = [(", ".join(f"{k}={v}" for k, v in zip(facets, key if isinstance(key, tuple) else (key,))), f)
                  for key, f in ok.groupby(facets, sort=False)][:6]
    fig = _figure(11, 4.4 * len(groups))
    axes = fig.subplots(len(groups), 2, squeeze=False)
    for row, (label, frame) in enumerate(groups):
        collapsed = (frame[metric] < t).astype(float)
        mean = frame.groupby([y, x])[metric].mean().unstack(x).sort_index().sort_index(axis=1)
        share = collapsed.groupby([frame[y], frame[x]]).mean().unstack(x).sort_index().sort_index(axis=1)
        xs, ys = mean.columns.to_numpy(dtype=float), mean.index.to_numpy(dtype=float)
        for col, (grid, cmap, title, vmax) in enumerate([
                (mean, "RdYlBu", f"mean {_label(metric)}", 1.0),
                (share, "Reds", f"share of runs with {metric} < {t:g} at the end", 1.0)]):
            ax = axes[row, col]
            mesh = ax.pcolormesh(_edges(xs), _edges(ys), grid.to_numpy(dtype=float), cmap=cmap,
                                 vmin=0.0, vmax=vmax, shading="flat")
            fig.colorbar(mesh, ax=ax, shrink=0.9)
            values = mean.to_numpy(dtype=float)
            if len(xs) >= 2 and len(ys) >= 2 and np.nanmin(values) < t < np.nanmax(values):
                ax.contour(xs, ys, values, levels=[t], colors="black", linewidths=2)
                ax.plot([], [], color="black", linewidth=2, label=f"collapse boundary: mean {metric} = {t:g}")
                ax.legend(loc="upper left", fontsize=7, framealpha=0.85)
            ax.set_xlabel(_label(x))
            ax.set_ylabel(_label(y))
            ax.set_title(f"{title}{' (' + label + ')' if label else ''}", fontsize=10)
    where = ", ".join(x for x in (f"scenario {design.scenario}" if design.scenario else "",
                                  f"{'USSR' if design.world == 'ussr' else design.world} world" if design.world else "") if x)
    fig.suptitle(f"{design.name}: {where}{', ' if where else ''}{design.replicates} replicates per cell",
                 fontsize=11)
    _save(fig, path)


def response(ok: pd.DataFrame, x: str, design, path: Path, groups: list[str]) -> None:
    """Mean and 10-90% band of each metric against one varied parameter."""
    metrics = design.metrics[:4]
    fig = _figure(4.2 * len(metrics), 3.6)
    axes = fig.subplots(1, len(metrics), squeeze=False)[0]
    parts = [("", ok)] if not groups else [
        (", ".join(str(v) for v in (k if isinstance(k, tuple) else (k,))), f)
        for k, f in ok.groupby(groups, sort=False)][:len(COLORS)]
    for ax, metric in zip(axes, metrics):
        for i, (label, frame) in enumerate(parts):
            g = frame.groupby(x)[metric]
            xs = np.array(list(g.groups), dtype=float)
            order = np.argsort(xs)
            mean, lo, hi = g.mean().to_numpy()[order], g.quantile(0.1).to_numpy()[order], g.quantile(0.9).to_numpy()[order]
            ax.plot(xs[order], mean, color=COLORS[i], label=label or None)
            ax.fill_between(xs[order], lo, hi, color=COLORS[i], alpha=0.2, linewidth=0)
        ax.set_xlabel(_label(x))
        ax.set_ylabel(_label(metric))
        if parts[0][0]:
            ax.legend(fontsize=7)
    fig.suptitle(f"{design.name}: mean and 10-90% range over {design.replicates} replicates", fontsize=11)
    _save(fig, path)


# ====================================================================== sensitivity
def sobol(table: pd.DataFrame, design, path: Path) -> None:
    """First-order (S1) and total (ST) Sobol indices with 95% confidence intervals, one panel
    per metric (and per group of grid factors); parameters in the same order in every panel."""
    groups = list(dict.fromkeys(table["group"]))[:6]
    metrics = list(dict.fromkeys(table["metric"]))
    first = table[(table["group"] == groups[0]) & (table["metric"] == metrics[0])]
    order = list(first.sort_values("ST", ascending=False)["parameter"])
    panels = [(g, m) for g in groups for m in metrics]
    cols = min(2, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig = _figure(max(5.0, 0.6 * len(order) + 1.5) * cols, 3.9 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for k, (ax, (group, metric)) in enumerate(zip(axes, panels)):
        t = table[(table["group"] == group) & (table["metric"] == metric)].set_index("parameter").reindex(order)
        pos = np.arange(len(order))
        ax.bar(pos - 0.2, t["S1"], 0.4, yerr=t["S1_conf"], capsize=2, color=COLORS[0], label="first order S1")
        ax.bar(pos + 0.2, t["ST"], 0.4, yerr=t["ST_conf"], capsize=2, color=COLORS[1], label="total ST")
        ax.set_xticks(pos, order, fontsize=7, rotation=30, ha="right")
        ax.axhline(0, color="black", linewidth=0.6)
        ax.set_ylim(-0.15, 1.15)  # indices lie in [0, 1]; wider intervals are cut at the frame
        ax.set_ylabel("Sobol index")
        ax.set_title(f"{_label(metric)}{' (' + group + ')' if group else ''}", fontsize=10)
        if k == 0:
            ax.legend(fontsize=8)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    s = design.sampler
    reps = f"{design.replicates} replicate{'s' if design.replicates != 1 else ''}"
    fig.suptitle(f"{design.name}: Sobol indices, N = {s['n']} ({reps} averaged per sample point); "
                 "error bars: 95% confidence intervals", fontsize=11)
    _save(fig, path)


def morris(table: pd.DataFrame, design, path: Path) -> None:
    """Morris screening: mean absolute elementary effect (mu*, with its confidence interval) and
    its spread (sigma: interactions and non-linearity), parameters ranked by mu*."""
    groups = list(dict.fromkeys(table["group"]))[:6]
    metrics = list(dict.fromkeys(table["metric"]))
    panels = [(g, m) for g in groups for m in metrics]
    n_par = table["parameter"].nunique()
    cols = min(3, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig = _figure(4.6 * cols, (0.28 * n_par + 1.4) * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for k, (ax, (group, metric)) in enumerate(zip(axes, panels)):
        t = table[(table["group"] == group) & (table["metric"] == metric)].sort_values("mu_star")
        pos = np.arange(len(t))
        ax.barh(pos + 0.2, t["mu_star"], 0.4, xerr=t["mu_star_conf"], capsize=2, color=COLORS[0],
                label="mu* (influence)")
        ax.barh(pos - 0.2, t["sigma"], 0.4, color=COLORS[2], label="sigma (interactions)")
        ax.set_yticks(pos, list(t["parameter"]), fontsize=7)
        ax.set_xlim(left=0)
        ax.set_xlabel("elementary effect")
        ax.set_title(f"{_label(metric)}{' (' + group + ')' if group else ''}", fontsize=10)
        if k == 0:
            ax.legend(fontsize=7, loc="lower right")
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(f"{design.name}: Morris screening, {design.sampler['n']} trajectories", fontsize=11)
    _save(fig, path)


def scatter(ok: pd.DataFrame, design, path: Path) -> None:
    """The first metric against each sampled parameter (Latin hypercube designs)."""
    metric = design.metrics[0]
    names = design.sampled
    cols = min(4, len(names))
    rows = math.ceil(len(names) / cols)
    fig = _figure(3.4 * cols, 3.0 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, name in zip(axes, names):
        ax.scatter(ok[name], ok[metric], s=4, alpha=0.4, color=COLORS[0], linewidths=0)
        ax.set_xlabel(_label(name))
        ax.set_ylabel(_label(metric))
    for ax in axes[len(names):]:
        ax.set_visible(False)
    fig.suptitle(f"{design.name}: {len(ok)} runs, Latin hypercube", fontsize=11)
    _save(fig, path)


# ====================================================================== comparison
def comparison(ok: pd.DataFrame, categorical: list[str], design, path: Path) -> None:
    """Distribution of each final metric across seeds, one box (with the runs as dots) per category."""
    key = categorical[0]
    order = [v for v in design.factors[key]["values"] if v in set(ok[key])]
    metrics = [m for m in design.metrics if m in ok][:4]
    if "collapse_year" in ok and ok["collapse_year"].notna().any() and "collapse_year" not in metrics:
        metrics = metrics + ["collapse_year"]
    fig = _figure(max(4.0, 0.9 * len(order) + 1.5) * min(2, len(metrics)), 3.8 * math.ceil(len(metrics) / 2))
    axes = fig.subplots(math.ceil(len(metrics) / 2), min(2, len(metrics)), squeeze=False).ravel()
    rng = np.random.default_rng(0)
    for ax, metric in zip(axes, metrics):
        data = [ok.loc[ok[key] == v, metric].dropna().to_numpy(dtype=float) for v in order]
        ax.boxplot(data, positions=np.arange(len(order)), widths=0.55, showfliers=False,
                   medianprops={"color": "black"})
        for i, values in enumerate(data):
            ax.scatter(i + rng.uniform(-0.18, 0.18, len(values)), values, s=8, alpha=0.5,
                       color=COLORS[i % len(COLORS)], linewidths=0, zorder=3)
        ax.set_xticks(np.arange(len(order)), [str(v).replace("-", "-\n", 1) for v in order], fontsize=8)
        ax.set_ylabel(_label(metric))
        if metric == "collapse_year":
            n = [len(d) for d in data]
            ax.set_title("runs that collapsed: " + ", ".join(map(str, n)), fontsize=8)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    fig.suptitle(f"{design.name}: spread across {design.replicates} seeds per {key}", fontsize=11)
    _save(fig, path)


def timeseries(store, design, group: str | None, path: Path) -> bool:
    """Median and 10-90% / 25-75% bands over seeds of each metric through time, per group."""
    import pyarrow.dataset as ds

    parts = store.parts("timeseries")
    if not parts:
        return False
    from .runner import schemas

    schema = schemas(store.manifest()["config"])["timeseries"]
    metrics = [m for m in design.metrics if m in schema.names][:4]
    if not metrics:
        return False
    cols = ["run", "Step", "year", *metrics] + ([group] if group else [])
    frame = ds.dataset([str(p) for p in parts], format="parquet", schema=schema).to_table(columns=cols).to_pandas()
    keys = ([group] if group else []) + ["Step"]
    q = frame.groupby(keys, sort=False)
    stats = {p: q[metrics].quantile(p) for p in (0.1, 0.25, 0.5, 0.75, 0.9)}
    years = q["year"].mean()
    labels = list(design.factors[group]["values"]) if group else [None]
    fig = _figure(5.2 * min(2, len(metrics)), 3.6 * math.ceil(len(metrics) / 2))
    axes = fig.subplots(math.ceil(len(metrics) / 2), min(2, len(metrics)), squeeze=False).ravel()
    for ax, metric in zip(axes, metrics):
        for i, label in enumerate(labels):
            sel = (lambda s: s.xs(label, level=group)) if group else (lambda s: s)
            try:
                x = sel(years).sort_index()
            except KeyError:
                continue
            color = COLORS[i % len(COLORS)]
            med = sel(stats[0.5][metric]).reindex(x.index)
            ax.fill_between(x.to_numpy(), sel(stats[0.1][metric]).reindex(x.index).to_numpy(),
                            sel(stats[0.9][metric]).reindex(x.index).to_numpy(), color=color, alpha=0.15, linewidth=0)
            ax.fill_between(x.to_numpy(), sel(stats[0.25][metric]).reindex(x.index).to_numpy(),
                            sel(stats[0.75][metric]).reindex(x.index).to_numpy(), color=color, alpha=0.3, linewidth=0)
            ax.plot(x.to_numpy(), med.to_numpy(), color=color, label=str(label) if group else "median")
        if metric == "cohesion":
            ax.axhline(design.threshold, color="black", linestyle=":", linewidth=0.8)
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
        ax.set_ylabel(metric.replace("_", " "))
    axes[0].legend(fontsize=7)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    fig.suptitle(f"{design.name}: median, 25-75% and 10-90% bands over {design.replicates} seeds", fontsize=11)
    _save(fig, path)
    return True
