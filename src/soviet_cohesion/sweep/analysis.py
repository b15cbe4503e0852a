"""From a results folder to the tables and pictures a paper needs.

:func:`analyze` reads the manifest to learn the design, then writes

* ``summary.csv``: one row per design point (grid designs) or per group of the grid factors
  (sampled designs) with the number of runs, failures, and mean, sd, 10th and 90th
  percentiles of each metric over the replicates, and the share of runs that collapsed;
* ``sobol_indices.csv`` / ``morris_indices.csv`` / ``lhs_correlations.csv`` for sampled designs;
* figures (PNG): the phase diagram with its collapse boundary, Sobol indices with confidence
  intervals, Morris screening, the comparison of categories (scenarios) across seeds, the
  time-series bands, and response curves, whichever the design supports.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import scenarios
from . import figures
from .spec import SweepError
from .storage import ResultStore, read_results

DEFAULT_METRICS = ("cohesion", "compliance", "authority", "autonomous_regions")
#: most facets (panels) drawn for combinations of other factors
MAX_FACETS = 12


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

    @classmethod
    def from_manifest(cls, manifest: dict) -> "Design":
        spec = manifest["spec"]
        a = spec.get("analysis", {})
        threshold = a.get("threshold", spec["outputs"].get("collapse_threshold", 0.5))
        return cls(name=spec["name"], factors=spec["vary"], method=spec["sampler"]["method"],
                   sampler=spec["sampler"], replicates=spec["replicates"], n_runs=manifest["n_runs"],
                   threshold=float(threshold), metrics=list(a.get("metrics", [])), x=a.get("x"),
                   y=a.get("y"), tables=manifest["tables"], scenario=spec.get("scenario"),
                   world=spec.get("world"))


@dataclass
class AnalysisResult:
    text: str
    files: list[Path] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def analyze(directory: str | Path, out: str | Path | None = None) -> AnalysisResult:
    """Write the summary table(s) and figures of a results folder; return them with a text report."""
    store = ResultStore(directory)
    manifest = store.manifest()
    if manifest is None:
        raise SweepError(f"{directory}: not a sweep's results folder (no manifest.json)")
    design = Design.from_manifest(manifest)
    if design.world is None and design.scenario:
        try:
            design.world = scenarios.load(design.scenario).world
        except scenarios.ScenarioError:
            pass
    out_dir = Path(out) if out is not None else store.root / "figures"
    out_dir.mkdir(parents=True, exist_ok=True)
    runs = read_results(store.root, "runs", columns=None)
    runs = runs.drop(columns=["traceback"])
    if not design.metrics:
        design.metrics = [m for m in DEFAULT_METRICS if m in runs.columns]
    ok = runs[runs["status"] == "ok"]
    result = AnalysisResult(text="")
    lines = [_header(design, runs)]
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

    summary = summarise(ok, runs, design)
    summary_path = store.root / "summary.csv" if out is None else out_dir / "summary.csv"
    summary.to_csv(summary_path, index=False)
    result.tables["summary"] = summary
    result.files.append(summary_path)
    lines.append("")
    lines.append(_show(summary, design))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if design.method == "sobol":
            _sobol(store, ok, design, out_dir, result, lines)
        elif design.method == "morris":
            _morris(store, ok, design, out_dir, result, lines)
        elif design.method == "lhs":
            _lhs(ok, design, out_dir, result, lines)
        numeric = design.numeric_grid(2)
        if design.method == "grid" and len(numeric) >= 2:
            x = design.x or numeric[0]
            y = design.y or next(n for n in numeric if n != x)
            path = out_dir / "phase_diagram.png"
            figures.phase_diagram(ok, x, y, design, path, facets=_others(design, (x, y)))
            result.files.append(path)
        elif design.method == "grid" and len(numeric) == 1:
            path = out_dir / "response.png"
            figures.response(ok, numeric[0], design, path, groups=_others(design, (numeric[0],)))
            result.files.append(path)
        if design.categorical():
            path = out_dir / "comparison.png"
            figures.comparison(ok, design.categorical(), design, path)
            result.files.append(path)
        if "timeseries" in design.tables:
            group = _series_group(design)
            path = out_dir / "timeseries.png"
            if figures.timeseries(store, design, group, path):
                result.files.append(path)
    result.text = "\n".join(lines)
    return result


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
    """Mean, sd, 10th and 90th percentiles of each metric per design point (or per grid group)."""
    keys = design.grid if design.method != "grid" else list(design.factors)
    metrics = [m for m in design.metrics if m in ok.columns]
    agg = {}
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
    cols = keys + ["runs", "failed"] + [c for c in table.columns if c.endswith("_mean") or c == "collapsed_share"]
    shown = table[cols].head(limit)
    text = shown.to_string(index=False, float_format=lambda v: f"{v:.3f}")
    if len(table) > limit:
        text += f"\n... {len(table) - limit} more rows in summary.csv"
    return text


def _in(label: str) -> str:
    return f" ({label})" if label else ""


def _table_text(table: pd.DataFrame) -> str:
    if "group" in table and (table["group"] == "").all():
        table = table.drop(columns="group")
    return table.to_string(index=False, float_format=lambda v: f"{v:.3f}")


def _others(design: Design, used: tuple) -> list[str]:
    return [n for n in design.grid if n not in used]


def _series_group(design: Design) -> str | None:
    cats = design.categorical()
    if cats:
        return cats[0]
    small = [n for n in design.grid if len(design.factors[n]["values"]) <= 8]
    return small[0] if small else None


def _groups(ok: pd.DataFrame, design: Design):
    """(label, frame) per combination of grid factors (all runs when there are none)."""
    keys = design.grid
    if not keys:
        yield "", ok
        return
    for values, frame in ok.groupby(keys, sort=False):
        values = values if isinstance(values, tuple) else (values,)
        yield ", ".join(f"{k}={v}" for k, v in zip(keys, values)), frame


def _point_means(frame: pd.DataFrame, metric: str, n_samples: int, design: Design) -> np.ndarray:
    """Mean of ``metric`` over replicates for each sampler row, in sampler order."""
    local = frame["point"] % n_samples
    means = frame.groupby(local)[metric].mean()
    return means.reindex(range(n_samples)).to_numpy(dtype=float)


def _n_samples(design: Design) -> int:
    d = len(design.sampled)
    s = design.sampler
    if s["method"] == "sobol":
        return s["n"] * (2 * d + 2 if s.get("second_order") else d + 2)
    if s["method"] == "morris":
        return s["n"] * (d + 1)
    return s["n"]


def _problem(design: Design) -> dict:
    names = design.sampled
    return {"num_vars": len(names), "names": names,
            "bounds": [[design.factors[n]["low"], design.factors[n]["high"]] for n in names]}


def _sobol(store, ok, design, out_dir, result, lines) -> None:
    from SALib.analyze import sobol

    problem = _problem(design)
    n_samples = _n_samples(design)
    rows = []
    for label, frame in _groups(ok, design):
        for metric in design.metrics:
            y = _point_means(frame, metric, n_samples, design)
            missing = int(np.isnan(y).sum())
            if missing:
                lines.append(f"Sobol {metric}{_in(label)}: {missing} of {n_samples} sample points have no "
                             "successful run; indices not computed")
                continue
            if np.nanstd(y) == 0:
                lines.append(f"Sobol {metric}{_in(label)}: the output does not vary; indices not computed")
                continue
            si = sobol.analyze(problem, y, calc_second_order=design.sampler.get("second_order", False),
                               conf_level=0.95, seed=0)
            for i, name in enumerate(problem["names"]):
                rows.append({"group": label, "metric": metric, "parameter": name,
                             "S1": si["S1"][i], "S1_conf": si["S1_conf"][i],
                             "ST": si["ST"][i], "ST_conf": si["ST_conf"][i]})
    table = pd.DataFrame(rows, columns=["group", "metric", "parameter", "S1", "S1_conf", "ST", "ST_conf"])
    _report_indices(table, "sobol", "Sobol indices (first order S1 and total ST, 95% confidence half-widths):",
                    "ST", figures.sobol, design, out_dir, result, lines)


def _morris(store, ok, design, out_dir, result, lines) -> None:
    from SALib.analyze import morris

    problem = _problem(design)
    n_samples = _n_samples(design)
    sample = read_results(store.root, "design")
    x = sample.drop_duplicates("point").sort_values("point")
    x = x[x["point"] < n_samples][design.sampled].to_numpy(dtype=float)
    rows = []
    for label, frame in _groups(ok, design):
        for metric in design.metrics:
            y = _point_means(frame, metric, n_samples, design)
            if np.isnan(y).any():
                lines.append(f"Morris {metric}{_in(label)}: {int(np.isnan(y).sum())} sample points have no "
                             "successful run; indices not computed")
                continue
            si = morris.analyze(problem, x, y, num_levels=design.sampler.get("levels", 4), seed=0)
            for i, name in enumerate(problem["names"]):
                rows.append({"group": label, "metric": metric, "parameter": name, "mu": si["mu"][i],
                             "mu_star": si["mu_star"][i], "mu_star_conf": si["mu_star_conf"][i],
                             "sigma": si["sigma"][i]})
    table = pd.DataFrame(rows, columns=["group", "metric", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"])
    _report_indices(table, "morris", "Morris elementary effects (mu* with 95% confidence half-width, sigma):",
                    "mu_star", figures.morris, design, out_dir, result, lines)


def _report_indices(table, name, heading, rank_by, draw, design, out_dir, result, lines) -> None:
    """Save sensitivity indices as ``<name>_indices.csv``, add them to the summary text ranked
    by ``rank_by``, and draw ``<name>.png``."""
    path = out_dir / f"{name}_indices.csv"
    table.to_csv(path, index=False)
    result.tables[name] = table
    result.files.append(path)
    if table.empty:
        return
    shown = table.sort_values(["group", "metric", rank_by], ascending=[True, True, False])
    lines.extend(["", heading, _table_text(shown)])
    path = out_dir / f"{name}.png"
    draw(table, design, path)
    result.files.append(path)


def _lhs(ok, design, out_dir, result, lines) -> None:
    rows = []
    for label, frame in _groups(ok, design):
        for metric in design.metrics:
            for name in design.sampled:
                rho = frame[name].rank().corr(frame[metric].rank())
                rows.append({"group": label, "metric": metric, "parameter": name, "spearman": rho})
    table = pd.DataFrame(rows, columns=["group", "metric", "parameter", "spearman"])
    path = out_dir / "lhs_correlations.csv"
    table.to_csv(path, index=False)
    result.tables["lhs"] = table
    result.files.append(path)
    lines.append("")
    lines.append("Spearman rank correlation of each sampled parameter with each metric:")
    index = ["group", "parameter"] if (table["group"] != "").any() else ["parameter"]
    wide = table.pivot_table(index=index, columns="metric", values="spearman", sort=False, dropna=False)
    lines.append(wide.to_string(float_format=lambda v: f"{v:+.2f}"))
    path = out_dir / "lhs_scatter.png"
    figures.scatter(ok, design, path)
    result.files.append(path)
