"""The validation report's figures (PNG and SVG), drawn with matplotlib's object API on the Agg
canvas: every figure has a title, labelled axes with units, a legend and the 90% intervals."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import history

MODEL, NULL, STATIC, HISTORY = "#1b6ca8", "#d1495b", "#66a182", "#222222"


def new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, out: Path, stem: str) -> list[Path]:
    """Write ``stem``.png and ``stem``.svg into ``out``; return both paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    fig.savefig(paths[0], dpi=130)
    fig.savefig(paths[1])
    return paths


def shared_legend(fig: Figure, axes, ncol: int) -> None:
    """One legend for all ``axes`` below the panels: each label once, with its first handle."""
    handles: dict[str, Artist] = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    fig.legend(list(handles.values()), list(handles.keys()), loc="outside lower center", ncol=ncol, fontsize=8,
               frameon=False)


# ====================================================================== patterns
def pattern_panels(rows: list[dict], n_seeds: int, out: Path) -> list[Path]:
    """One small panel per numeric pattern the model produces: the historical value and its
    tolerance band, the model's median and 90% interval over seeds, null model (b) likewise,
    and the static ranking's value where it has one."""
    rows = [r for r in rows if r["model"].produced and not r["model"].categorical]
    if not rows:
        return []
    fig = new_figure(8.5, 0.55 + 0.95 * len(rows))
    axes = fig.subplots(len(rows), 1, squeeze=False)[:, 0]
    for ax, r in zip(axes, rows):
        p = r["pattern"]
        lo, hi = p.criterion.low, p.criterion.high
        values = [v for s in (r["model"], r["null"], r["static"]) if s.produced for v in s.quantiles()]
        values += [v for v in (lo, hi, p.historical.value) if isinstance(v, float)]
        finite = [v for v in values if isinstance(v, float) and math.isfinite(v)]
        left, right = (min(finite), max(finite)) if finite else (0.0, 1.0)
        pad = 0.08 * (right - left or 1.0)
        left, right = left - pad, right + pad
        ax.axvspan(max(lo, left), min(hi, right), color="#dddddd", label="matches history")
        if isinstance(p.historical.value, float):
            ax.plot([p.historical.value], [0], marker="D", color=HISTORY, ls="none", ms=7, label="history")
        for y, score, color, label in ((0.35, r["model"], MODEL, "model, median and 90% interval"),
                                       (-0.35, r["null"], NULL, "all feedback loops off")):
            if not score.produced:
                continue
            q05, q50, q95 = (_clip(v, left, right) for v in score.quantiles())
            ax.plot([q05, q95], [y, y], color=color, lw=2.5)
            ax.plot([q50], [y], marker="o", color=color, ls="none", ms=6, label=label)
            if score.n_never:
                ax.annotate(f"never in {score.n_never}/{score.n}", (right, y), xytext=(-4, 0),
                            textcoords="offset points", ha="right", va="center", fontsize=7, color=color)
        if r["static"].produced:
            ax.plot([_clip(r["static"].values[0], left, right)], [0], marker="^", color=STATIC, ls="none",
                    ms=8, label="static ranking")
        ax.set_xlim(left, right)
        ax.set_ylim(-0.8, 0.8)
        ax.set_yticks([])
        ax.set_xlabel(p.unit, fontsize=8, labelpad=1)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(f"{p.title}  [{r['model'].verdict}]", fontsize=9, loc="left")
    shared_legend(fig, axes, ncol=3)
    fig.suptitle(f"The model against history, pattern by pattern ({n_seeds} seeds)", fontsize=11)
    return save(fig, out, "patterns")


def _clip(v: float, left: float, right: float) -> float:
    if isinstance(v, float) and math.isnan(v):
        return v
    return min(max(v, left), right)


# ====================================================================== trajectories
def _band(runs, column) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    years = runs[0].indicators["year"].to_numpy()
    values = np.vstack([r.indicators[column].to_numpy() for r in runs])
    lo, mid, hi = np.quantile(values, [0.05, 0.5, 0.95], axis=0)
    return years, lo, mid, hi


def trajectories(model_runs: dict, null_runs: dict, out: Path) -> list[Path]:
    """Share of regions not obeying (solid) and cohesion (dashed) over time in each scenario:
    median and 90% band over seeds, model and null model (b), with the historical periods
    and events the patterns refer to."""
    scenarios = [s for s in ("stalin", "khrushchev", "brezhnev", "gorbachev") if s in model_runs]
    if not scenarios:
        return []
    fig = new_figure(11, 3.2 * math.ceil(len(scenarios) / 2))
    axes = fig.subplots(math.ceil(len(scenarios) / 2), 2, squeeze=False).ravel()
    eras = history.eras()
    events = history.union_events().set_index("event")
    for ax, scenario in zip(axes, scenarios):
        for runs, color, who in ((model_runs[scenario], MODEL, "model"), (null_runs.get(scenario), NULL, "loops off")):
            if not runs:
                continue
            for column, style, label in (("compliance", "-", "share not obeying"), ("cohesion", "--", "cohesion")):
                years, lo, mid, hi = _band(runs, column)
                if column == "compliance":
                    lo, mid, hi = 1 - hi, 1 - mid, 1 - lo
                ax.fill_between(years, lo, hi, color=color, alpha=0.15, lw=0)
                ax.plot(years, mid, style, color=color, lw=1.6, label=f"{who}: {label}")
        if scenario == "khrushchev":
            for name, shade in (("khrushchev_localism_rise", "#f3e3c3"),):
                e = eras[name]
                ax.axvspan(e.start, e.end, color=shade, zorder=0, label="sovnarkhozy (1957-65)")
        if scenario == "gorbachev":
            for event, label in (("first_sovereignty", "first sovereignty"),
                                 ("first_independence", "first independence"),
                                 ("august_coup", "August coup"), ("dissolution", "dissolution")):
                ax.axvline(events.loc[event, "year"], color=HISTORY, lw=0.8, ls=":")
                ax.annotate(label, (events.loc[event, "year"], 1.02), rotation=90, fontsize=7, ha="right",
                            va="top", xycoords=("data", "axes fraction"))
        ax.set_ylim(-0.02, 1.05)
        ax.set_xlabel("year")
        ax.set_ylabel("share of regions / cohesion (0-1)")
        ax.set_title(scenario, loc="left", fontsize=10)
    for ax in axes[len(scenarios):]:
        ax.set_visible(False)
    shared_legend(fig, axes[:len(scenarios)], ncol=3)
    n = len(model_runs[scenarios[0]])
    fig.suptitle(f"Regions not obeying and cohesion by scenario: median and 90% band over {n} seeds", fontsize=11)
    return save(fig, out, "trajectories")


# ====================================================================== declarations
def declarations(model_runs: list, out: Path) -> list[Path]:
    """The model's declaration year of each republic (median and 90% interval over seeds)
    against the historical date, for sovereignty and for independence."""
    from .statistics import declaration_years

    fig = new_figure(11, 4.6)
    axes = fig.subplots(1, 2)
    for ax, kind in zip(axes, ("sovereignty", "independence")):
        observed = history.declaration_years(kind)
        table = pd.DataFrame({i: declaration_years(run, kind).reindex(observed.index)
                              for i, run in enumerate(model_runs)})
        table = table.fillna(np.inf)
        q = np.quantile(table.to_numpy(), [0.05, 0.5, 0.95], axis=1, method="inverted_cdf")
        top = max(run.end_year for run in model_runs)
        for i, code in enumerate(observed.index):
            lo, mid, hi = (min(v, top) for v in q[:, i])
            ax.plot([observed[code]] * 2, [lo, hi], color=MODEL, lw=1.5)
            ax.plot([observed[code]], [mid], "o", color=MODEL, ms=4,
                    label="model, median and 90% interval" if i == 0 else None)
            ax.annotate(code, (observed[code], mid), xytext=(3, 2), textcoords="offset points", fontsize=7)
        lim = (min(observed.min(), np.nanmin(q[0])) - 0.3, max(observed.max(), top) + 0.3)
        ax.plot(lim, lim, color=HISTORY, lw=0.8, ls="--", label="model = history")
        ax.axhline(top, color="#999999", lw=0.6, ls=":", label="end of run (never declared)")
        ax.set_xlabel(f"historical date of the {kind} declaration (year)")
        ax.set_ylabel("model's declaration (year)")
        ax.set_title(kind, loc="left")
        ax.legend(fontsize=8, loc="upper left")
    fig.suptitle(f"Declarations by republic, model against history ({len(model_runs)} seeds)")
    return save(fig, out, "declarations")


# ====================================================================== output
def output(model_scores: dict, out: Path) -> list[Path]:
    """The output decline of 1989-1991 as the sources give it, with the model's change in output
    (median and 90% interval) when the model produces one."""
    o = history.output()
    o = o[o["change_percent"].notna()]
    fig = new_figure(8, 4.2)
    ax = fig.subplots()
    kinds = {"official": "#555555", "estimate": "#8d6a9f", "forecast": "#edae49"}
    for i, r in enumerate(o.itertuples()):
        ax.bar(i, r.change_percent, color=kinds.get(r.kind, "#999999"), label=f"{r.kind}")
        ax.annotate(f"{r.change_percent:+.1f}%", (i, r.change_percent), ha="center",
                    va="top" if r.change_percent < 0 else "bottom", fontsize=8)
    labels = [f"{r.period}\n{r.series}" for r in o.itertuples()]
    x = len(o)
    for year in (1990, 1991):
        score = model_scores.get(f"output_decline_{year}")
        if score is not None and score.produced:
            lo, mid, hi = score.quantiles()
            ax.errorbar([x], [mid], yerr=[[mid - lo], [hi - mid]], fmt="o", color=MODEL, capsize=4,
                        label="model, median and 90% interval")
            labels.append(f"{year}\nmodel")
            x += 1
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(range(len(labels)), labels, fontsize=7)
    ax.set_ylabel("change in output on the year before (%)")
    handles = dict(zip(*reversed(ax.get_legend_handles_labels())))
    ax.legend(list(handles.values()), list(handles.keys()), fontsize=8, loc="lower left")
    produced = any(s is not None and s.produced for s in model_scores.values())
    ax.set_title("Soviet output 1989-1991: official series, estimates and forecasts"
                 + ("" if produced else "\n(the model does not produce output yet)"), fontsize=10)
    return save(fig, out, "output")
