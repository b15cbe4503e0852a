"""Pattern-oriented validation: run the scenarios over many seeds, score every pattern for the
model and for the two null models, and tabulate the result.

>>> result = run_validation(seeds=range(1, 21))                  # doctest: +SKIP
>>> print(format_table(summary_table(result)))                   # doctest: +SKIP
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from .patterns import PATTERNS, Pattern, scenarios_needed
from .runs import LOOPS_OFF, RunOutput, simulate_runs
from .scoring import PatternScore, evaluate, evaluate_static


@dataclass
class ValidationResult:
    seeds: list[int]
    patterns: list[Pattern]
    rows: list[dict]  # per pattern: pattern, model, null (loops off), static (ranking)
    model_runs: dict[str, list[RunOutput]] = field(default_factory=dict)
    null_runs: dict[str, list[RunOutput]] = field(default_factory=dict)
    elapsed_s: float = 0.0

    @property
    def n_runs(self) -> int:
        return sum(len(v) for v in self.model_runs.values()) + sum(len(v) for v in self.null_runs.values())

    def scores(self, source: str = "model") -> dict[str, PatternScore]:
        return {r["pattern"].name: r[source] for r in self.rows}


def run_validation(seeds: Iterable[int], patterns: list[Pattern] | None = None,
                   simulate: Callable[..., list[RunOutput]] = simulate_runs,
                   note: Callable[[str], None] = lambda text: None) -> ValidationResult:
    """Run every scenario the patterns need with each seed, once as the model is and once with
    every feedback loop off, and score each pattern for the model and both null models."""
    seeds = [int(s) for s in seeds]
    patterns = list(PATTERNS if patterns is None else patterns)
    start = time.perf_counter()
    model_runs, null_runs = {}, {}
    for scenario in scenarios_needed(patterns):
        note(f"running {scenario}: {len(seeds)} seeds, then again with every feedback loop off")
        model_runs[scenario] = simulate(scenario, seeds)
        null_runs[scenario] = simulate(scenario, seeds, LOOPS_OFF)
    rows = [{"pattern": p, "model": evaluate(p, model_runs[p.scenario], "model"),
             "null": evaluate(p, null_runs[p.scenario], "loops off"), "static": evaluate_static(p)}
            for p in patterns]
    return ValidationResult(seeds, patterns, rows, model_runs, null_runs, time.perf_counter() - start)


def _match(score: PatternScore) -> str:
    if not score.produced:
        return ""
    if score.n == 1:
        return "yes" if score.matches[0] else "no"
    return f"{score.share_matching:.0%}"


def summary_table(result: ValidationResult) -> pd.DataFrame:
    """One row per pattern: history, the model's value with its spread, the share of seeds that
    match and the verdict, and the same for the two null models."""
    rows = []
    for r in result.rows:
        p, m, n, s = r["pattern"], r["model"], r["null"], r["static"]
        rows.append({
            "pattern": p.name, "level": p.level, "history": p.historical_text(),
            "matches if": p.criterion.describe(p.unit),
            "model": m.summary(), "model match": _match(m), "verdict": m.verdict,
            "static ranking": s.summary(), "static match": _match(s),
            "loops off": n.summary(), "loops-off match": _match(n), "loops-off verdict": n.verdict,
        })
    return pd.DataFrame(rows)


def format_table(df: pd.DataFrame, width: int = 34) -> str:
    """The summary as plain text, one line per pattern (long cells shortened)."""
    cols = ["pattern", "history", "model", "model match", "verdict", "static ranking", "static match",
            "loops off", "loops-off match"]
    cells = [[_short(str(row[c]), width) for c in cols] for _, row in df.iterrows()]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def _short(text: str, width: int) -> str:
    if text == "not produced by this model version":
        return "not produced by this model version"
    return text if len(text) <= width else text[: width - 3] + "..."


#: a reproduced timing pattern whose median misses history by more than this is reported as biased
BIAS_YEARS = 0.5


def failures(result: ValidationResult) -> list[str]:
    """Plain sentences on where the model fails or only partly reproduces history, and on timing
    patterns it matches only thanks to the tolerance (median more than half a year off)."""
    out = []
    for r in result.rows:
        p, m = r["pattern"], r["model"]
        if m.verdict == "reproduced" and p.unit == "year" and isinstance(p.historical.value, float):
            mid = m.quantiles()[1]
            if math.isfinite(mid) and abs(mid - p.historical.value) > BIAS_YEARS:
                out.append(f"**{p.title}** ({p.name}): within the tolerance in {m.share_matching:.0%} of seeds, but "
                           f"biased: {_gap(p, m)[:-1].replace('The model', 'the model')} "
                           f"(model {m.summary()}, history {p.historical_text()}).")
            continue
        if m.verdict not in ("fails", "partly"):
            continue
        text = (f"**{p.title}** ({p.name}): {m.verdict}; {m.share_matching:.0%} of seeds match "
                f"(history {p.historical_text()}, matches if {p.criterion.describe(p.unit)}; model {m.summary()}).")
        gap = _gap(p, m)
        if gap:
            text += " " + gap
        out.append(text)
    return out


def _gap(p: Pattern, m: PatternScore) -> str:
    if m.categorical or not isinstance(p.historical.value, float) or p.unit != "year":
        return ""
    mid = m.quantiles()[1]
    if math.isinf(mid):
        return "In most seeds it does not happen by the end of the run."
    diff = mid - p.historical.value
    return f"The model's median is {abs(diff):.1f} years {'before' if diff < 0 else 'after'} the historical date."


def null_as_good(result: ValidationResult) -> list[str]:
    """Patterns on which a null model does at least as well as the model."""
    out = []
    for r in result.rows:
        p, m = r["pattern"], r["model"]
        if not m.produced:
            continue
        for key, label in (("null", "with every feedback loop off"), ("static", "the static ranking")):
            s = r[key]
            if s.produced and s.share_matching >= m.share_matching:
                out.append(f"{p.name}: {label} matches as often as the model "
                           f"({s.share_matching:.0%} against {m.share_matching:.0%}).")
    return out
