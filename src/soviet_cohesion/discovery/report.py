"""Scenario discovery's outputs: the boxes table, the peeling trajectory, two figures (PNG and
SVG) and a Markdown report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..validation.figures import HISTORY, MODEL, NULL, new_figure, save
from .prim import Box, PrimResult, fmt, restriction_importance


def boxes_table(boxes: list[tuple[Box, PrimResult]], x: pd.DataFrame, y: np.ndarray, units: pd.Series) -> pd.DataFrame:
    """One row per restricted input of each box: limits, sampled range, and what dropping it costs."""
    rows = []
    for i, (box, _) in enumerate(boxes, start=1):
        imp = restriction_importance(box, x, y)
        for r in imp.itertuples():
            rows.append({"box": i, "coverage": box.coverage, "density": box.density, "mass": box.mass, "n": box.n,
                         "input": r.input, "unit": units.get(r.input, ""), "low": r.low, "high": r.high,
                         "sampled_low": r.sampled_low, "sampled_high": r.sampled_high,
                         "density_without": r.density_without, "quasi_p": r.quasi_p})
    return pd.DataFrame(rows, columns=["box", "coverage", "density", "mass", "n", "input", "unit", "low", "high",
                                       "sampled_low", "sampled_high", "density_without", "quasi_p"])


def trajectory_figure(result: PrimResult, chosen: Box, out: Path, outcome: str) -> list[Path]:
    t = result.table()
    fig = new_figure(7.5, 5)
    ax = fig.subplots()
    sc = ax.scatter(100 * t["coverage"], 100 * t["density"], c=t["restricted"], cmap="viridis", s=28,
                    label="boxes along the peeling trajectory")
    fig.colorbar(sc, ax=ax, label="number of restricted inputs")
    ax.plot(100 * chosen.coverage, 100 * chosen.density, "o", ms=14, mfc="none", mec=NULL, mew=2,
            label="chosen box (after pasting and pruning)")
    ax.axhline(100 * result.y.mean(), color=HISTORY, lw=0.8, ls=":", label=f"share of all runs where {outcome}")
    ax.set_xlabel(f"coverage: share of the runs where {outcome} that fall in the box (%)")
    ax.set_ylabel(f"density: share of the box's runs where {outcome} (%)")
    ax.set_xlim(-2, 102)
    ax.set_ylim(-2, 102)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("PRIM peeling trajectory: coverage against density")
    return save(fig, out, "prim_trajectory")


def boxes_figure(table: pd.DataFrame, out: Path, outcome: str) -> list[Path]:
    """Each box's limits on each restricted input, as a share of the input's sampled range."""
    if not len(table):
        return []
    labels, spans = [], []
    for r in table.itertuples():
        width = r.sampled_high - r.sampled_low
        spans.append(((r.low - r.sampled_low) / width, (r.high - r.sampled_low) / width, r.box))
        labels.append(f"box {r.box}: {r.input}\n[{fmt(r.low)}, {fmt(r.high)}] {r.unit}")
    fig = new_figure(8.5, 0.9 + 0.55 * len(labels))
    ax = fig.subplots()
    colors = [MODEL, NULL, "#66a182", "#edae49"]
    for i, (a, b, k) in enumerate(spans):
        ax.barh(i, 1.0, left=0, color="#eeeeee", height=0.6, label="sampled range" if i == 0 else None)
        ax.barh(i, b - a, left=a, color=colors[(k - 1) % len(colors)], height=0.6,
                label=f"box {k}" if i == 0 or spans[i - 1][2] != k else None)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the sampled range (0: lowest value sampled, 1: highest)")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(f"Where {outcome}: the boxes' limits on each restricted input")
    return save(fig, out, "prim_boxes")


def box_lines(boxes: list, table: pd.DataFrame, outcome: str) -> list[str]:
    """The Markdown of a set of boxes: one sentence each, then one table row per limit."""
    lines = []
    for i, (box, _) in enumerate(boxes, start=1):
        lines += [f"**Box {i}**: coverage {box.coverage:.0%}, density {box.density:.0%}, mass {box.mass:.0%} "
                  f"({box.n} runs). {box.describe()}.", ""]
    lines += ["| box | input | unit | low | high | sampled range | density if dropped | quasi-p |",
              "|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.box} | {r.input} | {r.unit} | {fmt(r.low)} | {fmt(r.high)} | "
                     f"{fmt(r.sampled_low)} to {fmt(r.sampled_high)} | {r.density_without:.0%} | {r.quasi_p:.2g} |")
    return lines + [""]


def write_report(out: Path, results: pd.DataFrame, y: np.ndarray, boxes: list, first: PrimResult,
                 inputs: pd.DataFrame, outcome: str, command: str, elapsed_s: float, rule: str,
                 breaks: list | None = None) -> list[Path]:
    """Write the tables, figures and ``report.md``; ``breaks`` are the boxes of the opposite
    outcome (where the union dissolves), written to ``boxes_dissolved.csv`` and reported too."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    x = results[list(inputs.index)]
    table = boxes_table(boxes, x, y, inputs["unit"])
    table.to_csv(out / "boxes.csv", index=False)
    first.table().to_csv(out / "trajectory.csv", index=False)
    files = [out / "boxes.csv", out / "trajectory.csv"]
    broken = boxes_table(breaks or [], x, 1 - np.asarray(y), inputs["unit"])
    broken.to_csv(out / "boxes_dissolved.csv", index=False)
    files.append(out / "boxes_dissolved.csv")
    chosen = boxes[0][0] if boxes else first.trajectory[0]
    files += trajectory_figure(first, chosen, out / "figures", outcome)
    files += boxes_figure(table, out / "figures", outcome)
    lines = ["# What would have kept the union together?", "",
             f"Produced by `{command}`: {len(results)} runs of the Gorbachev scenario in {elapsed_s:.0f} s, each with "
             "the centre's levers set to sampled values from sampled dates (Latin hypercube) and held to the end "
             f"of 1991. The union survives {y.mean():.1%} of the runs ({int(y.sum())} of {len(y)}); rule: {rule}.", "",
             "PRIM (Friedman and Fisher 1999) peels the input space down to boxes where survival is frequent. "
             "**Coverage**: the share of all surviving runs that lie in the box. **Density**: the share of the "
             "box's runs in which the union survives. **Mass**: the box's share of all runs.", "",
             "## Boxes", ""]
    if boxes:
        lines += box_lines(boxes, table, outcome)
        lines += ["*Density if dropped*: the box's density with that limit removed; the bigger the fall from the "
                  "box's density, the more that lever (or its timing) matters. *Quasi-p*: the one-sided binomial "
                  "p-value of the box's surviving runs given the density without that limit (as in the EMA "
                  "Workbench); limits with a quasi-p above 0.05 were dropped."]
    else:
        lines += [f"PRIM found no box clearly denser than the runs as a whole (the union survives {y.mean():.0%} of "
                  "all runs; a box must reach twice that share, at most 90%): no combination of the sampled levers "
                  "and dates stands out as keeping the union together in these runs."]
    if breaks is not None:
        lines += ["", "## Where the union dissolves", "",
                  "The same search for the opposite outcome (the union dissolved by the end of 1991): the policies "
                  f"that broke it in these runs. Coverage and density are now of the dissolving runs "
                  f"({int(len(y) - np.sum(y))} of {len(y)}); the limits are in `boxes_dissolved.csv`.", ""]
        lines += (box_lines(breaks, broken, "the union dissolves") if breaks else
                  ["PRIM found no box clearly denser in dissolving runs than the runs as a whole."])
    lines += ["", "## Peeling trajectory of the first box", "",
              "Each step removes the 5% of the box's runs, on one side of one input, whose removal raises the "
              "density most. The full trajectory is in `trajectory.csv`.", "",
              "![trajectory](figures/prim_trajectory.png)", ""]
    if boxes:
        lines += ["![boxes](figures/prim_boxes.png)", ""]
    lines += ["## Inputs", "", "| input | sampled from | to | unit | meaning |", "|---|---|---|---|---|"]
    for name, r in inputs.iterrows():
        lines.append(f"| {name} | {r['low']:g} | {r['high']:g} | {r['unit']} | {r['meaning']} |")
    lines += ["", "Files: `samples.parquet` (every run: inputs, seed, final cohesion, survival), `boxes.csv`, "
              "`boxes_dissolved.csv`, "
              "`trajectory.csv`, `figures/`.", "", "```bash", command, "```", ""]
    report = out / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    return [report, *files]
