"""The sweep's outcome figures, drawn with matplotlib's object API on the Agg canvas (no display
needed, and the caller's pyplot backend is left alone).

Rules every figure follows, so none misleads:

* every metric the analysis keeps is drawn (none is cut off silently);
* a factor that is not on an axis is either a facet (its own panels, titled ``name=value``) or
  named in the title as pooled, with the number of values pooled; legends read ``name=value``;
* the number of runs behind each cell, point or band is stated (``n = ...``);
* colour bars are labelled with the quantity they show;
* the footer and the file metadata carry the spec hash and the model code fingerprint;
* each figure is saved as PNG and, beside it, as SVG (text kept as text).
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FormatStrFormatter, MaxNLocator

LABELS = {
    "cohesion": "final cohesion", "compliance": "final compliance", "authority": "final authority",
    "plan_fulfilment": "final plan fulfilment", "autonomous_regions": "autonomous regions at the end",
    "managing_regions": "risk-managing regions at the end", "reserves": "final reserves",
    "min_cohesion": "lowest cohesion", "collapse_year": "year cohesion fell below the threshold",
    "implementation_consistency": "final implementation consistency",
}
#: metrics that are shares in [0, 1] (drawn on a fixed 0-1 colour scale)
UNIT_METRICS = ("cohesion", "compliance", "authority", "plan_fulfilment", "implementation_consistency",
                "min_cohesion")
COLORS = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#2e4057", "#b5651d",
          "#999999", "#5d2e8c"]
#: most facets (combinations of factors not on an axis) drawn; beyond, they are pooled and named
MAX_FACETS = 6


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


def figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def stamp(design) -> str:
    """The footer of every figure: what made it."""
    return (f"{design.name} | spec {design.spec_hash} | model code {design.code} | "
            f"soviet-cohesion {design.version}")


def save(fig: Figure, path: Path, design) -> list[Path]:
    """Save as PNG and SVG (text kept as text), with the stamp as footer and metadata."""
    text = stamp(design)
    bottom = 0.2 / fig.get_figheight()  # keep 0.2 inch free for the footer
    engine = fig.get_layout_engine()
    assert isinstance(engine, ConstrainedLayoutEngine)  # every figure here is made by figure()
    engine.set(rect=(0, bottom, 1, 1 - bottom))
    fig.text(0.005, 0.004, text, fontsize=6, color="#666666", ha="left", va="bottom")
    title = f"{design.name}: {path.stem.replace('_', ' ')}"
    fig.savefig(path, dpi=150, metadata={"Title": title, "Description": text, "Source": text})
    svg = path.with_suffix(".svg")
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": design.spec_hash}):
        fig.savefig(svg, metadata={"Title": title, "Description": text, "Source": text, "Date": None})
    return [path, svg]


def n_text(counts, unit: str) -> str:
    """``n = 10 runs per cell`` or ``n = 7-10 runs per cell``."""
    counts = np.asarray(list(counts), dtype=int)
    if not len(counts):
        return f"no runs per {unit}"
    lo, hi = int(counts.min()), int(counts.max())
    return f"n = {lo} runs per {unit}" if lo == hi else f"n = {lo}-{hi} runs per {unit}"


def facets(frame: pd.DataFrame, design, used: tuple) -> tuple[list[tuple[str, pd.DataFrame]], str]:
    """Panels for the grid factors not in ``used``: one per combination if there are at most
    MAX_FACETS, else all runs pooled. Returns the panels and the words for what is pooled."""
    others = [n for n in design.grid if n not in used]
    sampled = [n for n in design.sampled if n not in used]
    if not others:
        pooled = _pooled_words(design, sampled)
        return [("", frame)], pooled
    combos = frame.groupby(others, sort=False)
    if combos.ngroups > MAX_FACETS:
        return [("", frame)], _pooled_words(design, others + sampled)
    panels = [(", ".join(f"{k}={v}" for k, v in zip(others, key if isinstance(key, tuple) else (key,))), f)
              for key, f in combos]
    return panels, _pooled_words(design, sampled)


def _pooled_words(design, names: list[str]) -> str:
    if not names:
        return ""
    parts = [f"{n} ({len(design.factors[n]['values'])} values)" if "values" in design.factors[n]
             else f"{n} (sampled)" for n in names]
    return "pooled over " + ", ".join(parts)


def _edges(centres: np.ndarray) -> np.ndarray:
    """Cell edges around (possibly uneven) grid values."""
    c = np.asarray(centres, dtype=float)
    if len(c) == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def _grid(n_panels: int, columns: int = 3, facets: int = 1) -> tuple[int, int]:
    """Rows and columns: one row per facet (a column per metric), or, without facets, the
    panels wrapped ``columns`` to a row."""
    if facets > 1:
        return facets, n_panels // facets
    cols = min(columns, n_panels)
    return math.ceil(n_panels / cols), cols


def _suffix(text: str) -> str:
    return f" ({text})" if text else ""


# ====================================================================== phase diagram
def boundary_note(mean: np.ndarray, t: float, metric: str) -> str | None:
    """Words for a phase diagram without a collapse boundary (None when there is one)."""
    values = mean[np.isfinite(mean)]
    if not len(values) or values.min() < t < values.max():
        return None
    side = "below" if values.max() <= t else "above"
    return (f"no collapse boundary: mean {metric} is {side} {t:g} in every cell "
            f"({values.min():.2f}-{values.max():.2f})")


def phase_diagram(ok: pd.DataFrame, x: str, y: str, design, path: Path) -> tuple[list[Path], list[str]]:
    """Heat maps over (x, y) of the mean of every metric and of the share of runs that collapsed,
    with the collapse boundary (mean cohesion = threshold) as a black contour, or a plain note
    that the data hold none. Returns the files and the notes."""
    t = design.threshold
    collapse_metric = "cohesion" if "cohesion" in ok else design.metrics[0]
    metrics = [m for m in design.metrics if m in ok]
    groups, pooled = facets(ok, design, (x, y))
    panels = [(g, m) for g in groups for m in [*metrics, "_collapsed"]]
    rows, cols = _grid(len(panels), facets=len(groups))
    fig = figure(4.6 * cols, 3.9 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    notes: list[str] = []
    for ax, ((facet, frame), metric) in zip(axes, panels):
        cells = frame.groupby([y, x])
        counts = cells.size().unstack(x).sort_index().sort_index(axis=1)
        mean_c = cells[collapse_metric].mean().unstack(x).sort_index().sort_index(axis=1)
        xs, ys = mean_c.columns.to_numpy(dtype=float), mean_c.index.to_numpy(dtype=float)
        if metric == "_collapsed":
            grid = (frame[collapse_metric] < t).astype(float).groupby([frame[y], frame[x]]).mean()
            grid = grid.unstack(x).sort_index().sort_index(axis=1)
            cmap, vmin, vmax = "Reds", 0.0, 1.0
            bar = f"share of runs with {collapse_metric} < {t:g} at the end"
            title = "runs that collapsed"
        else:
            grid = cells[metric].mean().unstack(x).sort_index().sort_index(axis=1)
            values = grid.to_numpy(dtype=float)
            unit = metric in UNIT_METRICS
            cmap = "RdYlBu" if unit else "viridis"
            vmin, vmax = (0.0, 1.0) if unit else (np.nanmin(values), np.nanmax(values))
            bar = f"mean {label(metric)}"
            title = f"mean {label(metric)}"
        mesh = ax.pcolormesh(_edges(xs), _edges(ys), grid.to_numpy(dtype=float), cmap=cmap,
                             vmin=vmin, vmax=vmax, shading="flat", rasterized=True)
        fig.colorbar(mesh, ax=ax, shrink=0.9, label=bar)
        if metric in (collapse_metric, "_collapsed"):
            values = mean_c.to_numpy(dtype=float)
            note = boundary_note(values, t, collapse_metric)
            if note is None and len(xs) >= 2 and len(ys) >= 2:
                ax.contour(xs, ys, values, levels=[t], colors="black", linewidths=2)
                ax.plot([], [], color="black", linewidth=2, label=f"collapse boundary: mean {collapse_metric} = {t:g}")
                ax.legend(loc="upper left", fontsize=7, framealpha=0.85)
            elif note is not None:
                ax.text(0.5, 0.5, note.replace(": ", ":\n", 1), transform=ax.transAxes, ha="center",
                        va="center", fontsize=8, bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "black"})
                full = f"{note}{_suffix(facet)}"
                if full not in notes:
                    notes.append(full)
        c = counts.to_numpy(dtype=float)
        if np.nanmin(c) != np.nanmax(c) and c.size <= 225:  # uneven cells: show each n
            for (i, yy), (j, xx) in ((a, b) for a in enumerate(ys) for b in enumerate(xs)):
                if np.isfinite(c[i, j]):
                    ax.text(xx, yy, f"{int(c[i, j])}", ha="center", va="center", fontsize=5, color="#333333")
        ax.set_xlabel(label(x))
        ax.set_ylabel(label(y))
        ax.set_title(f"{title}{_suffix(facet)}\n{n_text(c[np.isfinite(c)], 'cell')}", fontsize=9)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(f"{design.name}: {design.where()}; {design.replicates} replicates per point"
                 f"{'; ' + pooled if pooled else ''}", fontsize=11)
    return save(fig, path, design), notes


# ====================================================================== response curve
def response(ok: pd.DataFrame, x: str, design, path: Path) -> list[Path]:
    """Mean and 10-90% band of every metric against one varied parameter, one line per value of
    the other grid factors (legend ``name=value``) or pooled over them (named)."""
    metrics = [m for m in design.metrics if m in ok]
    lines, pooled = facets(ok, design, (x,))
    if len(lines) > len(COLORS):
        lines, pooled = [("", ok)], _pooled_words(design, [n for n in design.grid if n != x] + design.sampled)
    rows, cols = _grid(len(metrics))
    fig = figure(4.4 * cols, 3.6 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    counts = []
    for ax, metric in zip(axes, metrics):
        for i, (name, frame) in enumerate(lines):
            g = frame.groupby(x)[metric]
            xs = np.array(list(g.groups), dtype=float)
            order = np.argsort(xs)
            mean, lo, hi = (g.mean().to_numpy()[order], g.quantile(0.1).to_numpy()[order],
                            g.quantile(0.9).to_numpy()[order])
            counts += list(g.count())
            ax.plot(xs[order], mean, color=COLORS[i], marker="o", markersize=3, label=name or None)
            ax.fill_between(xs[order], lo, hi, color=COLORS[i], alpha=0.2, linewidth=0)
        ax.set_xlabel(label(x))
        ax.set_ylabel(label(metric))
        if lines[0][0]:
            ax.legend(fontsize=7)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    fig.suptitle(f"{design.name}: mean and 10-90% range; {n_text(counts, 'point')}"
                 f"{'; ' + pooled if pooled else ''}", fontsize=11)
    return save(fig, path, design)


# ====================================================================== comparison
def comparison(ok: pd.DataFrame, key: str, design, path: Path) -> list[Path]:
    """Distribution of every final metric across runs, a box (with the runs as dots) per value
    of the categorical factor ``key``; other factors are facets or named as pooled."""
    order = [v for v in design.factors[key]["values"] if v in set(ok[key])]
    metrics = [m for m in design.metrics if m in ok]
    if "collapse_year" in ok and ok["collapse_year"].notna().any() and "collapse_year" not in metrics:
        metrics = metrics + ["collapse_year"]
    groups, pooled = facets(ok, design, (key,))
    panels = [(g, m) for g in groups for m in metrics]
    rows, cols = _grid(len(panels), 2, facets=len(groups))
    fig = figure(max(4.0, 0.9 * len(order) + 1.5) * cols, 3.8 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    rng = np.random.default_rng(0)
    counts = []
    for ax, ((facet, frame), metric) in zip(axes, panels):
        data = [frame.loc[frame[key] == v, metric].dropna().to_numpy(dtype=float) for v in order]
        ax.boxplot(data, positions=np.arange(len(order)), widths=0.55, showfliers=False,
                   medianprops={"color": "black"})
        for i, values in enumerate(data):
            ax.scatter(i + rng.uniform(-0.18, 0.18, len(values)), values, s=8, alpha=0.5,
                       color=COLORS[i % len(COLORS)], linewidths=0, zorder=3)
        ax.set_xticks(np.arange(len(order)), [f"{key}=\n{v}" if i == 0 else str(v).replace("-", "-\n", 1)
                                              for i, v in enumerate(order)], fontsize=7)
        ax.set_ylabel(label(metric))
        n = [len(d) for d in data]
        what = "runs that collapsed" if metric == "collapse_year" else "runs"
        ax.set_title(f"{facet + ': ' if facet else ''}{what}: n = " + ", ".join(map(str, n)), fontsize=8)
        if metric != "collapse_year":
            counts += n
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(f"{design.name}: spread across runs per {key}; {n_text(counts, 'box')}"
                 f"{'; ' + pooled if pooled else ''}", fontsize=11)
    return save(fig, path, design)


# ====================================================================== time series
def timeseries(frame: pd.DataFrame, design, group: str | None, path: Path) -> list[Path]:
    """Median and 25-75% / 10-90% bands of every metric through time, one colour per value of
    ``group`` (legend ``name=value``), panels per combination of the other grid factors (or
    pooled over them, named), with the number of runs behind each band."""
    metrics = [m for m in design.metrics if m in frame]
    used = (group,) if group else ()
    panels_by, pooled = facets(frame, design, used)
    panels = [(f, m) for f in panels_by for m in metrics]
    rows, cols = _grid(len(panels), 2, facets=len(panels_by))
    fig = figure(4.6 * cols, 3.4 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    labels = list(design.factors[group]["values"]) if group else [None]
    counts = []
    for ax, ((facet, part), metric) in zip(axes, panels):
        for i, value in enumerate(labels):
            sub = part[part[group] == value] if group else part
            if sub.empty:
                continue
            q = sub.groupby("Step")
            years = q["year"].mean()
            stats = {p: q[metric].quantile(p).reindex(years.index) for p in (0.1, 0.25, 0.5, 0.75, 0.9)}
            n = sub["run"].nunique()
            counts.append(n)
            color = COLORS[i % len(COLORS)]
            xs = years.to_numpy()
            ax.fill_between(xs, stats[0.1].to_numpy(), stats[0.9].to_numpy(), color=color, alpha=0.15, linewidth=0)
            ax.fill_between(xs, stats[0.25].to_numpy(), stats[0.75].to_numpy(), color=color, alpha=0.3, linewidth=0)
            name = f"{group}={value} (n = {n})" if group else f"median (n = {n})"
            ax.plot(xs, stats[0.5].to_numpy(), color=color, label=name)
        if metric == "cohesion":
            ax.axhline(design.threshold, color="black", linestyle=":", linewidth=0.8)
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
        ax.set_ylabel(metric.replace("_", " "))
        ax.set_title(facet, fontsize=8)
        ax.legend(fontsize=6)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(f"{design.name}: median, 25-75% and 10-90% bands; {n_text(counts, 'band')}"
                 f"{'; ' + pooled if pooled else ''}", fontsize=11)
    return save(fig, path, design)
