"""The calibration report: posterior table, schedule, runs per second, the posterior predictive
check on the targets, and the out-of-sample predictions (every pattern not targeted, including
the republics' order with its credible interval over the posterior)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..validation import patterns as pattern_registry
from ..validation import statistics as stats
from ..validation.scoring import score_values
from . import figures
from .session import Calibration
from .smc import weighted_quantile


def _md(rows: list[list], header: list[str]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return lines


def _spread(values) -> str:
    v = np.asarray(values, dtype=float)
    finite = v[~np.isnan(v)]
    if not len(finite):
        return "undefined"
    q = np.quantile(finite, [0.05, 0.5, 0.95], method="inverted_cdf")
    text = f"{_num(q[1])} [{_num(q[0])}, {_num(q[2])}]"
    never = np.isinf(v).sum()
    return text + (f" (never in {never}/{len(v)})" if never else "")


def _num(x) -> str:
    if math.isinf(x):
        return "never"
    return f"{x:.2f}" if abs(x) >= 100 else f"{x:.3g}"


def write_report(cal: Calibration, truth: dict | None = None) -> list:
    out = Path(cal.out)
    fig_dir = out / "figures"
    spec, result = cal.spec, cal.result
    g = result.posterior
    units = {n: stats.get(n).unit for n in spec.statistics}
    figs = figures.marginals(result, spec.priors, fig_dir, truth)
    figs += figures.pairwise(result, spec.priors, fig_dir, truth)
    figs += figures.schedule(result, fig_dir)
    figs += figures.predictive(result, spec.targets, cal.predictive, units, fig_dir)

    n_sim = result.n_simulations
    rps = cal.runs_per_second
    lines = [f"# Calibration: {spec.name}", "", *([spec.description, ""] if spec.description else []),
             f"Approximate Bayesian computation by sequential Monte Carlo over {len(spec.priors)} behavioural "
             f"parameters against {len(spec.targets)} union-level target(s). Stopped after "
             f"{len(result.generations)} generations ({result.stop_reason}). {n_sim} particles simulated "
             f"({n_sim * cal.simulator.runs_per_particle} model runs, {cal.simulator.runs_per_particle} per particle).",
             "",
             f"Runs per second achieved in this session: **{rps:.1f}** "
             f"({cal.simulator.n_runs} runs, with those of a generation left incomplete at the budget, in "
             f"{cal.simulator.elapsed_s:.1f} s of simulation; "
             f"{cal.elapsed_s:.1f} s in all, including the predictive check)."
             if math.isfinite(rps) else "No runs were needed in this session (every generation was already on disk).",
             "", "## Posterior", ""]
    rows = []
    for p in spec.priors.priors:
        x = g.particles[p.name].to_numpy()
        rows.append([p.name, p.describe(), f"{g.mean()[p.name]:.4g}", f"{g.sd()[p.name]:.3g}",
                     f"{weighted_quantile(x, g.weights, 0.05):.4g}", f"{weighted_quantile(x, g.weights, 0.5):.4g}",
                     f"{weighted_quantile(x, g.weights, 0.95):.4g}"]
                    + ([f"{truth[p.name]:g}"] if truth and p.name in truth else []))
    header = ["parameter", "prior", "mean", "sd", "5%", "median", "95%"] + (["true"] if truth else [])
    lines += _md(rows, header)
    lines += ["", f"Effective sample size of the last generation: {g.ess:.0f} of {len(g.particles)}.", "",
              "## Generations", ""]
    lines += _md([[x.t, "inf" if math.isinf(x.epsilon) else f"{x.epsilon:.4g}", x.n_simulations,
                   f"{x.acceptance_rate:.1%}", f"{x.ess:.0f}", f"{x.elapsed_s:.1f}"] for x in result.generations],
                 ["generation", "tolerance", "simulated", "accepted", "ESS", "seconds"])
    lines += ["", "## Targets and the posterior predictive check", ""]
    scales = g.distance_state.get("scales", {})
    rows = []
    for t in spec.targets:
        prior_v = result.generations[0].summaries[t.statistic]
        post = cal.predictive[t.statistic] if len(cal.predictive) else []
        scale = scales.get(t.statistic, math.nan)
        within = np.mean(t.gap(np.asarray(post, dtype=float)) <= (0 if t.is_band else scale)) if len(post) else math.nan
        rows.append([t.statistic, t.source, t.describe(), f"{scale:.3g}",
                     _spread(prior_v), _spread(post) if len(post) else "-",
                     f"{within:.0%}" if not math.isnan(within) else "-"])
    lines += _md(rows, ["statistic", "from", "target", "scale", "prior predictive", "posterior predictive",
                        "on target"])
    lines += ["", "*On target*: the share of posterior predictive runs inside the target's band, or within one "
              "scale of a point target. Scales not given in the spec are the median absolute deviation of the "
              "prior predictive sample (generation 0)."]
    lines += ["", "## Out-of-sample predictions", "",
              "Every pattern the calibration did not target, scored on the posterior predictive runs "
              "(median and 90% interval over the posterior; share of runs that match history). "
              "The republics' order was never a target: its rank correlation with history, with its credible "
              "interval, is the out-of-sample test.", ""]
    targeted = set(spec.statistics)
    rows = []
    for pattern in pattern_registry.PATTERNS:
        if pattern.statistic in targeted:
            continue
        if not len(cal.predictive):
            break
        missing = cal.predictive_missing.get(pattern.statistic, "")
        score = score_values(pattern, cal.predictive[pattern.statistic].tolist(), "posterior", not_produced=missing)
        rows.append([pattern.name, pattern.level, pattern.historical_text(), pattern.criterion.describe(pattern.unit),
                     score.summary(),
                     f"{score.share_matching:.0%}" if score.produced else "", score.verdict])
    lines += _md(rows, ["pattern", "level", "history", "matches if", "posterior predictive", "match", "verdict"]) \
        if rows else ["No posterior predictive runs were asked for ([check] predictive = 0)."]
    lines += ["", "## Figures", ""]
    lines += [f"![{p.stem}](figures/{p.name})\n" for p in figs if p.suffix == ".png"]
    lines += ["## Reproduce", "", "```bash", f"soviet-cohesion calibrate {spec.path or 'SPEC.toml'} --out {out}", "```",
              "", "Files: `posterior.parquet` (the last generation), `generations/gen_*.parquet` (every generation; "
              "the same command resumes from the last complete one), `predictive.parquet`.", ""]
    report = out / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    return [report, *figs]
