"""Write ``docs/sensitivity.md``: Sobol indices of every behavioural parameter (issue 9), from the
shipped spec ``experiments/sobol_behaviour.toml``.

    python scripts/sensitivity_report.py                         # runs the sweep (about 6 minutes on 2 cores)
    python scripts/sensitivity_report.py --results results/sobol_behaviour   # create or resume it there

It runs (or resumes) the sweep, analyses it with ``soviet-cohesion analyze``'s code, copies the
figures to ``docs/img/sensitivity_behaviour*.{png,svg}`` and the tables to ``docs/sensitivity/``,
and writes the page: for each outcome the indices with their 95% intervals, the noise floor (the
dummy parameter, which changes only the seed), the convergence checks (N/2 against N, tolerance and
interval overlap) and the sentences that read them. Every figure on the page comes from this run.
Exit status 2 on any error (one line).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "experiments" / "sobol_behaviour.toml"
PAGE = ROOT / "docs" / "sensitivity.md"
IMG = ROOT / "docs" / "img"
TABLES = ROOT / "docs" / "sensitivity"
#: what each outcome is, in words, for the page
OUTCOMES = {
    "dissolved": "whether the union has dissolved by the end of 1991 (0 or 1)",
    "independent_share": "population share of the republics that have declared independence by then",
    "cohesion": "cohesion at the end of 1991",
}


def run(results: Path | None, workers: int | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str, int]:
    from soviet_cohesion.sweep.analysis import analyze
    from soviet_cohesion.sweep.session import run_sweep
    from soviet_cohesion.sweep.spec import SweepError, load_spec
    from soviet_cohesion.sweep.storage import read_results

    spec = load_spec(SPEC)
    with tempfile.TemporaryDirectory(prefix="sc-sensitivity-") as tmp:
        out = Path(results) if results else Path(tmp) / spec.name
        report = run_sweep(spec, out, workers=workers, progress="log")
        if not report.complete:
            raise SweepError(f"{SPEC}: the sweep did not finish; run the command again with --results to resume")
        figures = Path(tmp) / "figures"
        result = analyze(out, figures)
        IMG.mkdir(parents=True, exist_ok=True)
        TABLES.mkdir(parents=True, exist_ok=True)
        for name, dest in (("sobol", "sensitivity_behaviour"), ("sobol_timeseries", "sensitivity_behaviour_time")):
            for suffix in (".png", ".svg"):
                shutil.copyfile(figures / f"{name}{suffix}", IMG / f"{dest}{suffix}")
        indices = pd.read_csv(figures / "sobol_indices.csv")
        checks = pd.read_csv(figures / "sobol_checks.csv")
        runs = read_results(out, "runs")
        for frame, name in ((indices, "indices.csv"), (checks, "checks.csv")):
            frame.to_csv(TABLES / name, index=False, float_format="%.4f")
        # the page is written from the tables as stored, so that it can be rebuilt from them
        indices, checks = pd.read_csv(TABLES / "indices.csv"), pd.read_csv(TABLES / "checks.csv")
        return indices, checks, runs, result.text, report.n_runs


def floor_of(check) -> float:
    return float(check["dummy_ST"] + check["dummy_ST_conf"])


def page(indices: pd.DataFrame, checks: pd.DataFrame, dissolved_share: float, n_runs: int) -> str:
    """The Markdown page (a function of the tables alone, so a test can rebuild it from the CSVs)."""
    from soviet_cohesion.sweep.spec import load_spec

    spec = load_spec(SPEC)
    n = spec.sampler.n
    sampled = [f for f in spec.factors if f.sampled and not f.inert]
    lines = ["# Which behavioural parameters matter: Sobol indices", "",
             "<!-- written by `python scripts/sensitivity_report.py`; do not edit by hand -->", "",
             f"Produced by `python scripts/sensitivity_report.py` from `experiments/sobol_behaviour.toml`: {n_runs:,} "
             f"runs of the Gorbachev scenario (Saltelli's scheme, N = {n}, {len(sampled)} behavioural "
             "parameters and a dummy), each parameter drawn from half to one and a half times its calibrated default "
             "(within its allowed range), the centre's reforms as in the scenario. "
             f"Over these runs the union dissolved by the end of 1991 in {dissolved_share:.0%} of them "
             "(with every parameter at its default: in every one of 20 seeds; see the README).", "",
             "**How to read it.** The first-order index S1 is the share of the outcome's variance a parameter "
             "explains alone; the total index ST adds its interactions with the others. Intervals are 95% "
             "bootstrap intervals (SALib). The **dummy** parameter is never seen by the model: it changes only "
             "the run's seed, so its ST is the share of the variance that is luck, and a parameter whose ST is "
             "not above the dummy's upper bound cannot be told from luck at this sample size. **Convergence**: "
             f"the indices computed from the first half of the sample (N = {n // 2}) against the whole "
             "(N = " f"{n}): the largest change of a total index, and whether the two intervals of every "
             "parameter overlap.", "",
             "![Sobol indices](img/sensitivity_behaviour.png)", ""]
    for metric, meaning in OUTCOMES.items():
        check = checks[checks["metric"] == metric]
        part = indices[indices["metric"] == metric].sort_values("ST", ascending=False)
        lines += [f"## `{metric}`: {meaning}", ""]
        if check.empty or part.empty:
            lines += ["No indices: the outcome did not vary in these runs.", ""]
            continue
        c = check.iloc[0]
        floor = floor_of(c)
        above = part[(part["parameter"] != "dummy") & (part["ST"] > floor)]
        named = ", ".join(f"`{r.parameter}` (ST {r.ST:.2f} ± {r.ST_conf:.2f})" for r in above.itertuples())
        lines += [f"Luck (the dummy) accounts for ST = {c['dummy_ST']:.2f} ± {c['dummy_ST_conf']:.2f}. "
                  + (f"Above that noise floor ({floor:.2f}): {named}; the other "
                     f"{len(part) - 1 - len(above)} parameters cannot be told from luck."
                     if len(above) else "No parameter rises above that noise floor."), ""]
        verdict = "converged" if c["converged"] else "**not converged** at the tolerance"
        overlap = ("the intervals at N/2 and N overlap for every parameter" if c["intervals_agree"] else
                   f"the intervals at N/2 and N do not overlap for {str(c['intervals_apart']).replace(' ', ', ')}")
        lines += [f"Convergence: the total indices at N = {n // 2} and N = {n} differ by at most "
                  f"{c['max_change_ST']:.3f} ({verdict}, tolerance 0.05); {overlap}.", "",
                  "| parameter | S1 | ± | ST | ± | ST at N/2 | above the noise floor |",
                  "|---|---|---|---|---|---|---|"]
        for r in part.itertuples():
            mark = "dummy (the noise floor)" if r.parameter == "dummy" else ("yes" if floor < r.ST else "")
            lines.append(f"| `{r.parameter}` | {r.S1:.3f} | {r.S1_conf:.3f} | {r.ST:.3f} | {r.ST_conf:.3f} | "
                         f"{r.ST_half:.3f} | {mark} |")
        lines.append("")
    lines += ["## Through time", "",
              "The same indices computed each year from the runs' yearly series: when each parameter starts to "
              "matter.", "", "![Sobol indices through time](img/sensitivity_behaviour_time.png)", "",
              "## What this says about the model", "", *reading(indices, checks), "",
              "Tables: `docs/sensitivity/indices.csv` (every index with its interval and its value at N/2) and "
              "`docs/sensitivity/checks.csv` (the checks per outcome).", "",
              "```bash", "python scripts/sensitivity_report.py", "```", ""]
    return "\n".join(lines)


def reading(indices: pd.DataFrame, checks: pd.DataFrame) -> list[str]:
    """The page's conclusions, from the indices, the robustness table and the calibration spec."""
    import tomllib

    c = checks[checks["metric"] == "dissolved"]
    if c.empty:
        return ["The dissolution did not vary in these runs: no conclusion."]
    part = indices[(indices["metric"] == "dissolved") & (indices["parameter"] != "dummy")]
    above = set(part.loc[part["ST"] > floor_of(c.iloc[0]), "parameter"])
    out = [f"{len(above)} of {len(part)} behavioural parameters decide, beyond luck, whether the union is gone by "
           f"December 1991: {', '.join(f'`{p}`' for p in sorted(above))}."]
    robustness = ROOT / "docs" / "robustness.csv"
    if robustness.is_file():
        table = pd.read_csv(robustness)
        held = [col for col in table.columns if col.endswith("_holds")]
        edges = set(table.loc[~table[held].all(axis=1) & (table["parameter"] != "(centre)"), "parameter"])
        both, only_edge = sorted(above & edges), sorted(edges - above)
        out.append(f"The robustness table (robustness.md, each parameter moved by 20% alone) fails a fact for "
                   f"{len(edges)} parameter(s); {len(both)} of them are above the noise floor here"
                   + (f" ({', '.join(f'`{p}`' for p in both)})" if both else "")
                   + (f", and {', '.join(f'`{p}`' for p in only_edge)} fail(s) there without standing out here"
                      if only_edge else "") + ".")
    calibration = ROOT / "experiments" / "calibrate" / "union.toml"
    if calibration.is_file():
        priors = set(tomllib.loads(calibration.read_text(encoding="utf-8")).get("priors", {}))
        missing = sorted(above - priors)
        out.append("The calibration (`experiments/calibrate/union.toml`) "
                   + ("estimates every one of them, with its posterior." if not missing else
                      f"estimates {len(above & priors)} of them and fixes {', '.join(f'`{p}`' for p in missing)} "
                      "at its default: the dates it fits are conditional on that choice."))
    dummy = c.iloc[0]
    out.append(f"Luck is large: the dummy's total index is {dummy['dummy_ST']:.2f} for the dissolution, so with "
               "every parameter fixed, whether the union is gone at a fixed date is partly the draw of which "
               "officials panic first and which audits land; the facts in the README are shares over seeds for "
               "that reason.")
    return [" ".join(out)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=Path, default=None, help="results folder to create or resume")
    parser.add_argument("--workers", type=int, default=None, help="local worker processes (default: the cores)")
    args = parser.parse_args(argv)
    from soviet_cohesion.sweep.spec import SweepError

    try:
        indices, checks, runs, _text, n_runs = run(args.results, args.workers)
    except (SweepError, OSError) as exc:
        print(f"sensitivity_report: error: {exc}", file=sys.stderr)
        return 2
    ok = runs[runs["status"] == "ok"]
    PAGE.write_text(page(indices, checks, float(ok["dissolved"].mean()), n_runs), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)} ({n_runs:,} runs), docs/img/sensitivity_behaviour*.png and .svg, "
          "docs/sensitivity/indices.csv and checks.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
