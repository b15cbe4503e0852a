"""From a results folder to the tables and pictures a paper needs.

:func:`analyze` first checks the folder: every chunk against its checksum (a corrupt one is
refused, in one line, until a resumed sweep recomputes it) and the provenance of every chunk
(runs made by different model code or library versions are refused unless
``allow_mixed=True``). It prints where the runs come from, then writes

* ``summary.csv``: one row per design point (grid designs) or per group of the grid factors
  (sampled designs) with the number of runs, failures, and mean, sd, 10th and 90th
  percentiles of every kept metric over the replicates, and the share of runs that collapsed;
* ``sobol_indices.csv`` and ``sobol_checks.csv`` / ``morris_indices.csv`` /
  ``lhs_correlations.csv`` for sampled designs, and ``*_timeseries.csv`` (the same indices
  through time) when time series were kept;
* figures (PNG and SVG): the phase diagram with its collapse boundary (or a plain note that
  there is none), Sobol indices with their checks, Morris screening, the comparison of
  categories (scenarios) across seeds, the time-series bands, response curves, and indices
  through time, whichever the design supports.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import scenarios
from . import figures, provenance, sensitivity, writable
from . import sensitivity_figures as sfig
from .spec import SweepError
from .storage import read_results, verified

DEFAULT_METRICS = ("cohesion", "compliance", "authority", "autonomous_regions")
#: columns every runs table has besides the indicators
DERIVED = ("min_cohesion", "collapse_year")


@dataclass
class Design:
    """What the manifest says about a sweep, in the shape analysis needs."""

    name: str
    factors: dict  # name -> {"kind", "values" | "low"/"high"} (spec order)
    method: str
    sampler: dict
    replicates: int
    n_runs: int
    threshold: float
    metrics: list[str]
    x: str | None
    y: str | None
    tables: list[str]
    scenario: str | None
    world: str | None = None
    kept: list[str] = field(default_factory=list)  # every metric the runs table holds
    spec_hash: str = ""
    code: str = ""
    version: str = ""

    @property
    def grid(self) -> list[str]:
        return [n for n, f in self.factors.items() if "values" in f]

    @property
    def sampled(self) -> list[str]:
        return [n for n, f in self.factors.items() if "values" not in f]

    def numeric_grid(self, min_levels: int = 2) -> list[str]:
        return [n for n in self.grid if self.factors[n]["kind"] in ("float", "int")
                and len(self.factors[n]["values"]) >= min_levels]

    def categorical(self) -> list[str]:
        return [n for n in self.grid if self.factors[n]["kind"] in ("str", "bool")]

    def where(self) -> str:
        parts = [f"scenario {self.scenario}" if self.scenario else "",
                 f"{'USSR' if self.world == 'ussr' else self.world} world" if self.world else ""]
        return ", ".join(p for p in parts if p) or "several scenarios"

    @classmethod
    def from_manifest(cls, manifest: dict) -> "Design":
        spec = manifest["spec"]
        a = spec.get("analysis", {})
        threshold = a.get("threshold", spec["outputs"].get("collapse_threshold", 0.5))
        kept = [m for m in manifest["config"]["indicators"] if m != "year"] + list(DERIVED)
        listed = spec["outputs"].get("indicators")
        metrics = list(a.get("metrics") or ([m for m in listed if m != "year"] if isinstance(listed, list)
                                             else [m for m in DEFAULT_METRICS if m in kept]))
        return cls(name=spec["name"], factors=spec["vary"], method=spec["sampler"]["method"],
                   sampler=spec["sampler"], replicates=spec["replicates"], n_runs=manifest["n_runs"],
                   threshold=float(threshold), metrics=metrics, x=a.get("x"), y=a.get("y"),
                   tables=manifest["tables"], scenario=spec.get("scenario"), world=spec.get("world"),
                   kept=kept, spec_hash=manifest["spec_hash"],
                   version=manifest.get("versions", {}).get("soviet_cohesion", "?"))


@dataclass
class AnalysisResult:
    text: str
    files: list[Path] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # statements about the data (e.g. no boundary)


def analyze(directory: str | Path, out: str | Path | None = None, allow_mixed: bool = False) -> AnalysisResult:
    """Write the summary table(s) and figures of a results folder; return them with a text report."""
    store, manifest, state = verified(directory)
    design = Design.from_manifest(manifest)
    if design.world is None and design.scenario:
        try:
            design.world = scenarios.load(design.scenario).world
        except scenarios.ScenarioError:
            pass
    origin, design.code = provenance_lines(store.root, manifest, state, allow_mixed)
    out_dir = Path(out) if out is not None else store.root / "figures"
    why = writable.problem(out_dir)
    if why:
        raise SweepError(f"cannot write the analysis to {out_dir}: {why}; write it elsewhere with: "
                         f"soviet-cohesion analyze {directory} --out FOLDER")
    out_dir.mkdir(parents=True, exist_ok=True)
    runs = read_results(store.root, "runs").drop(columns=["traceback"])
    ok = runs[runs["status"] == "ok"]
    result = AnalysisResult(text="")
    lines = [_header(design, runs), *origin]
    if len(runs) < design.n_runs:
        lines.append(f"  the sweep is incomplete: {design.n_runs - len(runs)} runs missing; run the same "
                     "sweep command again to finish it")
    if ok.empty:
        lines.append("no successful runs to analyse")
        result.text = "\n".join(lines)
        return result

    errors = runs.loc[runs["status"] != "ok", "error"].value_counts().head(3)
    for message, count in errors.items():
        lines.append(f"  {count} run(s) failed with: {message[:160]}")
    unused = [m for m in design.kept if m not in design.metrics and m in ok]
    if unused:
        lines.append(f"  drawn: {', '.join(design.metrics)}; also kept, in summary.csv: {', '.join(unused)} "
                     "(list them in [analysis] metrics to draw them)")

    summary = summarise(ok, runs, design)
    summary_path = store.root / "summary.csv" if out is None else out_dir / "summary.csv"
    summary.to_csv(summary_path, index=False)
    result.tables["summary"] = summary
    result.files.append(summary_path)
    lines.append("")
    lines.append(_show(summary, design))

    series = _series(store.root, design) if "timeseries" in design.tables else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if design.method == "sobol":
            _sobol(ok, series, design, out_dir, result, lines)
        elif design.method == "morris":
            _morris(store, manifest, ok, series, design, out_dir, result, lines)
        elif design.method == "lhs":
            _lhs(ok, series, design, out_dir, result, lines)
        numeric = design.numeric_grid(2)
        if design.method == "grid" and len(numeric) >= 2:
            x = design.x or numeric[0]
            y = design.y or next(n for n in numeric if n != x)
            files, notes = figures.phase_diagram(ok, x, y, design, out_dir / "phase_diagram.png")
            result.files += files
            result.notes += notes
            lines += ["", *notes] if notes else []
        elif design.method == "grid" and len(numeric) == 1:
            result.files += figures.response(ok, numeric[0], design, out_dir / "response.png")
        if design.categorical():
            result.files += figures.comparison(ok, design.categorical()[0], design, out_dir / "comparison.png")
        if series is not None and not series.empty:
            result.files += figures.timeseries(series, design, _series_group(design), out_dir / "timeseries.png")
    result.text = "\n".join(lines)
    return result


# ====================================================================== provenance
def provenance_lines(root: Path, manifest: dict, state, allow_mixed: bool) -> tuple[list[str], str]:
    """Lines saying who made the runs, and the code fingerprint for the figures. Runs made by
    builds that disagree on results are refused (one line) unless ``allow_mixed``."""
    runs_by_build: Counter = Counter()
    hosts: Counter = Counter()
    sessions = set()
    for entry in state.good:
        runs_by_build[entry.get("build")] += entry["n"]
        hosts[(entry.get("worker") or {}).get("host", "?")] += entry["n"]
        sessions.add(entry.get("session"))
    builds = {b: state.ledger.builds.get(b) for b in runs_by_build if b in state.ledger.builds}
    by_key: dict[tuple, list] = {}
    for b, record in builds.items():
        by_key.setdefault(provenance.result_key(record), []).append((record, runs_by_build[b]))
    if len(by_key) > 1 and not allow_mixed:
        parts = [f"{sum(n for _, n in group):,} runs by {provenance.describe_build(group[0][0])}"
                 for group in by_key.values()]
        raise SweepError(f"{root}: runs made by {len(by_key)} different versions ({'; '.join(parts)}); "
                         "rerun the sweep into a new --out, or analyse them together with "
                         "--allow-mixed-versions")
    made = manifest.get("provenance", {})
    lines = [f"  spec {manifest['spec_hash']} ({manifest.get('spec_file')}); started "
             f"{made.get('started', manifest.get('created', '?'))} by: {' '.join(made.get('command', []))}"]
    for group in by_key.values():
        lines.append(f"  {sum(n for _, n in group):,} runs by {provenance.describe_build(group[0][0])}")
    if hosts:
        lines.append(f"  computed on {', '.join(f'{h} ({n:,} runs)' for h, n in hosts.most_common(5))}"
                     f"{' and others' if len(hosts) > 5 else ''}; {len(sessions)} session(s)")
    if len(by_key) > 1:
        lines.append(f"  warning: the runs mix {len(by_key)} versions (--allow-mixed-versions)")
    codes = sorted({record["code"] for group in by_key.values() for record, _ in group})
    code = codes[0] if len(codes) == 1 else ("mixed: " + "+".join(codes) if codes else manifest.get("code", "?"))
    return lines, code


# ====================================================================== tables
def _header(design: Design, runs: pd.DataFrame) -> str:
    failed = int((runs["status"] != "ok").sum())
    points = design.n_runs // max(design.replicates, 1)
    factors = ", ".join(design.factors) or "no factors"
    where = f"scenario {design.scenario}" if design.scenario else "several scenarios"
    reps = f"{design.replicates} replicate{'s' if design.replicates != 1 else ''}"
    return (f"{design.name}: {len(runs)}/{design.n_runs} runs ({failed} failed); {points} "
            f"point{'s' if points != 1 else ''} x {reps}; {design.method} over {factors}; {where}")


def summarise(ok: pd.DataFrame, runs: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Mean, sd, 10th and 90th percentiles of every kept metric per design point (or per grid group)."""
    keys = design.grid if design.method != "grid" else list(design.factors)
    metrics = [m for m in dict.fromkeys([*design.metrics, *design.kept]) if m in ok.columns]
    agg: dict[str, tuple[str, Any]] = {}  # column: (metric, statistic name or function)
    for m in metrics:
        agg[f"{m}_mean"] = (m, "mean")
        agg[f"{m}_sd"] = (m, "std")
        agg[f"{m}_p10"] = (m, lambda s: s.quantile(0.1))
        agg[f"{m}_p90"] = (m, lambda s: s.quantile(0.9))
    frame = ok.assign(_collapsed=(ok["cohesion"] < design.threshold).astype(float)) if "cohesion" in ok else ok
    if "cohesion" in ok:
        agg["collapsed_share"] = ("_collapsed", "mean")
    if "collapse_year" in ok:
        agg["collapse_year_median"] = ("collapse_year", "median")
    if keys:
        table = frame.groupby(keys, sort=False, dropna=False).agg(**agg).reset_index()
        counts = runs.groupby(keys, sort=False, dropna=False).agg(
            runs=("run", "size"), failed=("status", lambda s: int((s != "ok").sum()))).reset_index()
        table = counts.merge(table, on=keys, how="left")
    else:
        row = {k: [frame[col].agg(fn) if not callable(fn) else fn(frame[col])] for k, (col, fn) in agg.items()}
        table = pd.DataFrame({"runs": [len(runs)], "failed": [int((runs["status"] != "ok").sum())], **row})
    return table


def _show(table: pd.DataFrame, design: Design, limit: int = 30) -> str:
    keys = [c for c in table.columns if c in design.factors]
    cols = keys + ["runs", "failed"] + [f"{m}_mean" for m in design.metrics if f"{m}_mean" in table] + \
        (["collapsed_share"] if "collapsed_share" in table else [])
    shown = table[cols].head(limit)
    text = shown.to_string(index=False, float_format=lambda v: f"{v:.3f}")
    if len(table) > limit:
        text += f"\n... {len(table) - limit} more rows in summary.csv"
    return text


def _table_text(table: pd.DataFrame, columns: list[str]) -> str:
    table = table[columns]
    if "group" in table and (table["group"] == "").all():
        table = table.drop(columns="group")
    return table.to_string(index=False, float_format=lambda v: f"{v:.3f}")


def _series_group(design: Design) -> str | None:
    cats = design.categorical()
    if cats:
        return cats[0]
    small = [n for n in design.grid if len(design.factors[n]["values"]) <= 8]
    return small[0] if small else None


def _series(root: Path, design: Design) -> pd.DataFrame:
    """The kept time series (only the columns the analysis uses)."""
    cols = ["run", "point", "Step", "year", *design.factors, *[m for m in design.metrics if m != "year"]]
    series = read_results(root, "timeseries")
    return series[[c for c in dict.fromkeys(cols) if c in series]]


def _write(table: pd.DataFrame, path: Path, result: AnalysisResult, key: str) -> None:
    table.to_csv(path, index=False)
    result.tables[key] = table
    result.files.append(path)


# ====================================================================== sampled designs
def _sobol(ok, series, design, out_dir, result, lines) -> None:
    table, checks, notes = sensitivity.sobol_final(ok, design)
    lines.extend(notes)
    _write(table, out_dir / "sobol_indices.csv", result, "sobol")
    _write(checks, out_dir / "sobol_checks.csv", result, "sobol_checks")
    if table.empty:
        return
    shown = table.sort_values(["group", "metric", "ST"], ascending=[True, True, False])
    lines += ["", f"Sobol indices (first order S1 and total ST, 95% confidence half-widths), "
                  f"N = {design.sampler['n']}:",
              _table_text(shown, ["group", "metric", "parameter", "S1", "S1_conf", "ST", "ST_conf"]),
              "Checks (convergence between N/2 and N, the dummy parameter's noise floor, seed noise):",
              *sensitivity.check_lines(checks)]
    result.files += sfig.sobol(table, checks, design, out_dir / "sobol.png")
    if series is not None and not series.empty:
        over = sensitivity.over_time(series, design)
        if not over.empty:
            _write(over, out_dir / "sobol_timeseries.csv", result, "sobol_timeseries")
            result.files += sfig.over_time(over, "ST", design, out_dir / "sobol_timeseries.png",
                                           "total Sobol index ST")
            lines.append(f"  Sobol indices through time: sobol_timeseries.csv ({over['Step'].nunique()} steps)")


def _morris(store, manifest, ok, series, design, out_dir, result, lines) -> None:
    from .design import Plan

    n = sensitivity.n_samples(design)
    plan = Plan.from_manifest(manifest, store.stored_sample())
    x = plan.points_frame(np.arange(n))[design.sampled].to_numpy(dtype=float)
    table, notes = sensitivity.morris_final(ok, design, x)
    lines.extend(notes)
    _write(table, out_dir / "morris_indices.csv", result, "morris")
    if table.empty:
        return
    shown = table.sort_values(["group", "metric", "mu_star"], ascending=[True, True, False])
    lines += ["", "Morris elementary effects (mu* with 95% confidence half-width, sigma):",
              _table_text(shown, ["group", "metric", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"])]
    result.files += sfig.morris(table, design, out_dir / "morris.png")
    if series is not None and not series.empty:
        over = sensitivity.over_time(series, design, x)
        if not over.empty:
            _write(over, out_dir / "morris_timeseries.csv", result, "morris_timeseries")
            result.files += sfig.over_time(over, "mu_star", design, out_dir / "morris_timeseries.png",
                                           "Morris mu*")


def _lhs(ok, series, design, out_dir, result, lines) -> None:
    table = sensitivity.lhs_final(ok, design)
    _write(table, out_dir / "lhs_correlations.csv", result, "lhs")
    lines += ["", "Spearman rank correlation of each sampled parameter with each metric:"]
    index = ["group", "parameter"] if (table["group"] != "").any() else ["parameter"]
    wide = table.pivot_table(index=index, columns="metric", values="spearman", sort=False, dropna=False)
    lines.append(wide.to_string(float_format=lambda v: f"{v:+.2f}"))
    result.files += sfig.scatter(ok, design, out_dir / "lhs_scatter.png")
    if series is not None and not series.empty:
        over = sensitivity.over_time(series, design)
        if not over.empty:
            _write(over, out_dir / "lhs_timeseries.csv", result, "lhs_timeseries")
            result.files += sfig.over_time(over, "spearman", design, out_dir / "lhs_timeseries.png",
                                           "Spearman's rho")
