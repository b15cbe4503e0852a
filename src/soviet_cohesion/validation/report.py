"""The validation report: Markdown with the summary table, the failures in plain words, the null
models, the figures (PNG and SVG) and every pattern's source; plus ``summary.csv``."""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from . import figures
from .statistics import STATISTICS
from .validate import ValidationResult, failures, null_as_good, summary_table

READING = """\
Each pattern compares one statistic of the model with history. **model** gives the median over
seeds and, in brackets, the 90% interval (5th to 95th percentile); *never* means the event did not
happen by the end of the run. **match** is the share of seeds whose value lies where the pattern
says history lies (*matches if*). The verdict is *reproduced* when at least 75% of seeds match,
*partly* from 25% to 75%, *fails* below 25%. Two null models are scored the same way: (a) a
**static ranking** of the republics by identity and dependence, with no dynamics (it can only speak
to the republics' order); (b) the same scenarios with **every feedback loop switched off**. A
pattern the model version cannot produce is listed as such, never given a value."""


def _md_table(df) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, row in df.iterrows():
        lines.append("| " + " | ".join(str(row[c]).replace("|", "/") for c in cols) + " |")
    return "\n".join(lines)


def write_report(result: ValidationResult, out: Path, command: str = "soviet-cohesion validate") -> list[Path]:
    """Write ``report.md``, ``summary.csv`` and ``figures/*.png|svg`` into ``out``; return the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fig_dir = out / "figures"
    table = summary_table(result)
    files = [out / "summary.csv"]
    table.to_csv(files[0], index=False)

    figs = figures.pattern_panels(result.rows, len(result.seeds), fig_dir)
    figs += figures.trajectories(result.model_runs, result.null_runs, fig_dir)
    model_scores = result.scores("model")
    gorbachev = result.model_runs.get("gorbachev", [])
    declared = bool(gorbachev) and all(r.declarations is not None for r in gorbachev)
    if declared:
        figs += figures.declarations(gorbachev, fig_dir)
    figs += figures.output({k: v for k, v in model_scores.items() if k.startswith("output_decline")}, fig_dir)
    files += figs

    produced = [r for r in result.rows if r["model"].produced]
    missing = [r for r in result.rows if not r["model"].produced]
    lines = [
        "# Validation against history",
        "",
        f"Produced by `{command}` (soviet-cohesion {__version__}): {len(result.seeds)} seeds per scenario "
        f"(seeds {result.seeds[0]}-{result.seeds[-1]}), {result.n_runs} runs in {result.elapsed_s:.1f} s. "
        f"The model produces {len(produced)} of the {len(result.rows)} patterns.",
        "",
        "## How to read the table",
        "",
        READING,
        "",
        "## Summary",
        "",
        _md_table(table.drop(columns=["loops-off verdict"])),
        "",
        "## Where the model fails",
        "",
    ]
    fails = failures(result)
    lines += [f"- {t}" for t in fails] if fails else ["Nowhere, among the patterns this model version produces."]
    reproduced = [r["pattern"].name for r in produced if r["model"].verdict == "reproduced"]
    if reproduced:
        lines += ["", f"Reproduced: {', '.join(reproduced)}."]
    lines += ["", "## Not produced by this model version", ""]
    if missing:
        lines += [f"- **{r['pattern'].title}** ({r['pattern'].name}): {r['model'].not_produced}." for r in missing]
    else:
        lines += ["Every pattern is produced."]
    lines += ["", "## What the null models show", ""]
    same = null_as_good(result)
    lines += ([f"- {t}" for t in same] if same
              else ["Neither null model matches any produced pattern as often as the model."])
    static_only = [r for r in result.rows if r["static"].produced and not r["model"].produced]
    if static_only:
        lines += ["", "The static ranking already scores on patterns the model cannot produce yet: "
                  + "; ".join(f"{r['pattern'].name} {r['static'].summary()} (match: "
                              f"{'yes' if r['static'].matches[0] else 'no'})" for r in static_only)
                  + ". The model's declarations will have to beat it."]
    lines += ["", "## Figures", ""]
    for path in figs:
        if path.suffix == ".png":
            lines += [f"![{path.stem}](figures/{path.name})", ""]
    lines += ["", "## The patterns", ""]
    for r in result.rows:
        p = r["pattern"]
        stat = STATISTICS[p.statistic]
        h = p.historical
        lines += [f"### {p.title} (`{p.name}`, {p.level} level)", "",
                  f"- History: {h.text} Source: {h.source}. Reliability: {h.reliability}.",
                  f"- Model: {stat.description} (scenario `{stat.scenario}`, unit: {stat.unit}); "
                  f"matches if {p.criterion.describe(p.unit)}."]
        if p.note:
            lines.append(f"- Reading: {p.note}.")
        lines.append("")
    lines += ["## Reproduce", "", "```bash", command, "```", ""]
    report = out / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    return [report, *files]
