"""Sensitivity analysis of sampled designs, for final values and through time.

* **Sobol** (Saltelli's scheme, SALib): first-order and total indices with 95% bootstrap
  intervals, and three checks that say how far to trust them:

  - *convergence*: the indices are computed again from the first half of the sample (N/2 base
    rows: the prefix of a Sobol' sequence is itself a balanced design) and the largest change
    of a total index between N/2 and N is reported, converged if it is within ``TOLERANCE``;
    and whether every total index at N/2 and at N agree within their intervals (the two 95%
    intervals overlap: ``|ST(N) - ST(N/2)| <= conf(N) + conf(N/2)``);
  - *the dummy parameter* (``sampler.dummy``, on by default): a sampled factor the model never
    sees; it changes only the run's seed (also under common random numbers). Its total index is
    the part of the estimate that is luck: a parameter whose total index is not above the
    dummy's upper bound cannot be told from doing nothing;
  - *seed noise*: the share of the variance of single runs that lies between replicates of the
    same point (the mean over points of the variance across replicates, over the total
    variance), and the share left in the replicate means the indices are computed from.

* **Morris**: mu* (with its interval) and sigma of each parameter (and of the dummy).
* **Latin hypercube**: Spearman rank correlations of each parameter with each outcome.

Each point's outcome is averaged over its replicates first. With time series kept, the same
indices are computed at each recorded step (at most ``MAX_STEPS`` of them, evenly spaced).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

#: a total index that moves by more than this between N/2 and N has not converged
TOLERANCE = 0.05
#: most time steps at which indices are computed through time
MAX_STEPS = 25


def n_samples(design) -> int:
    d = len(design.sampled)
    s = design.sampler
    if s["method"] == "sobol":
        return s["n"] * (2 * d + 2 if s.get("second_order") else d + 2)
    if s["method"] == "morris":
        return s["n"] * (d + 1)
    return s["n"]


def problem(design) -> dict:
    names = design.sampled
    return {"num_vars": len(names), "names": names,
            "bounds": [[design.factors[n]["low"], design.factors[n]["high"]] for n in names]}


def groups(frame: pd.DataFrame, design):
    """(label, frame) per combination of grid factors (all rows when there are none)."""
    keys = design.grid
    if not keys:
        yield "", frame
        return
    for values, part in frame.groupby(keys, sort=False):
        values = values if isinstance(values, tuple) else (values,)
        yield ", ".join(f"{k}={v}" for k, v in zip(keys, values)), part


def point_means(frame: pd.DataFrame, metric: str, n: int) -> np.ndarray:
    """Mean of ``metric`` over replicates for each sampler row, in sampler order."""
    means = frame.groupby(frame["point"] % n)[metric].mean()
    return means.reindex(range(n)).to_numpy(dtype=float)


def noise_share(frame: pd.DataFrame, metric: str) -> float | None:
    """Share of the variance of single runs that lies between replicates of the same point."""
    counts = frame.groupby("point")[metric].count()
    if counts.max() < 2:
        return None
    total = frame[metric].var()
    if not total > 0:
        return None
    within = frame.groupby("point")[metric].var().dropna().mean()
    return float(min(1.0, within / total))


def _sobol(prob: dict, y: np.ndarray, second_order: bool, resamples: int = 100) -> dict:
    from SALib.analyze import sobol

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sobol.analyze(prob, y, calc_second_order=second_order, num_resamples=resamples,
                             conf_level=0.95, seed=0)


# ====================================================================== Sobol
def sobol_final(ok: pd.DataFrame, design) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Indices of the final values, their checks, and notes for the text report."""
    prob, n = problem(design), n_samples(design)
    second = design.sampler.get("second_order", False)
    base = design.sampler["n"]
    dummy = next((name for name in design.sampled if design.factors[name].get("inert")), None)
    rows, checks, notes = [], [], []
    for label, frame in groups(ok, design):
        for metric in design.metrics:
            where = f"{metric}{' (' + label + ')' if label else ''}"
            y = point_means(frame, metric, n)
            if np.isnan(y).any():
                notes.append(f"Sobol {where}: {int(np.isnan(y).sum())} of {n} sample points have no "
                             "successful run; indices not computed")
                continue
            if np.nanstd(y) == 0:
                notes.append(f"Sobol {where}: the output does not vary; indices not computed")
                continue
            si = _sobol(prob, y, second)
            half = _sobol(prob, y[: n // 2], second, resamples=20) if base >= 4 else None
            for i, name in enumerate(prob["names"]):
                rows.append({"group": label, "metric": metric, "parameter": name,
                             "S1": si["S1"][i], "S1_conf": si["S1_conf"][i],
                             "ST": si["ST"][i], "ST_conf": si["ST_conf"][i],
                             "S1_half": half["S1"][i] if half else np.nan,
                             "ST_half": half["ST"][i] if half else np.nan,
                             "ST_half_conf": half["ST_conf"][i] if half else np.nan})
            check = {"group": label, "metric": metric, "N": base,
                     "max_change_ST": float(np.max(np.abs(si["ST"] - half["ST"]))) if half else np.nan}
            check["converged"] = bool(check["max_change_ST"] <= TOLERANCE) if half else None
            if half:
                apart = np.abs(si["ST"] - half["ST"]) > si["ST_conf"] + half["ST_conf"]
                check["intervals_agree"] = bool(not apart.any())
                check["intervals_apart"] = " ".join(p for p, a in zip(prob["names"], apart) if a)
            else:
                check["intervals_agree"], check["intervals_apart"] = None, ""
            if dummy:
                j = prob["names"].index(dummy)
                check["dummy_ST"], check["dummy_ST_conf"] = float(si["ST"][j]), float(si["ST_conf"][j])
                floor = check["dummy_ST"] + check["dummy_ST_conf"]
                check["below_dummy"] = " ".join(p for k, p in enumerate(prob["names"])
                                                if p != dummy and si["ST"][k] <= floor)
            share = noise_share(frame, metric)
            check["replicates"] = design.replicates
            check["seed_noise_runs"] = share
            check["seed_noise_means"] = _noise_in_means(share, design.replicates)
            checks.append(check)
    return pd.DataFrame(rows), pd.DataFrame(checks), notes


def _noise_in_means(share: float | None, replicates: int) -> float | None:
    """The seed-noise share left in means of ``replicates`` runs (noise variance / replicates)."""
    if share is None:
        return None
    noise = share / replicates
    return float(noise / (noise + (1 - share))) if share < 1 else 1.0


def check_lines(checks: pd.DataFrame) -> list[str]:
    """The checks of the Sobol indices, one line per metric (and group)."""
    lines = []
    for row in checks.to_dict("records"):
        where = f"{row['metric']}{' (' + row['group'] + ')' if row['group'] else ''}"
        parts = []
        if row.get("converged") is None:
            parts.append("too small a sample for a convergence check (N < 4)")
        else:
            verdict = "converged" if row["converged"] else "NOT converged: increase sampler.n"
            parts.append(f"total indices at N = {row['N'] // 2} and N = {row['N']} differ by at most "
                         f"{row['max_change_ST']:.3f}: {verdict} (tolerance {TOLERANCE})")
            if row.get("intervals_agree") is not None and pd.notna(row.get("intervals_agree")):
                apart = row.get("intervals_apart") or ""
                parts.append("their 95% intervals overlap for every parameter" if row["intervals_agree"] else
                             f"intervals at N/2 and N do not overlap for {apart.replace(' ', ', ')}")
        if "dummy_ST" in row and pd.notna(row.get("dummy_ST")):
            weak = row.get("below_dummy") or ""
            parts.append(f"dummy ST = {row['dummy_ST']:.3f} ± {row['dummy_ST_conf']:.3f}"
                         + (f" (not distinguishable from it: {weak.replace(' ', ', ')})" if weak else ""))
        if row.get("seed_noise_runs") is None or pd.isna(row.get("seed_noise_runs")):
            parts.append("seed noise not measurable (one replicate per point)")
        else:
            parts.append(f"seed noise: {100 * row['seed_noise_runs']:.0f}% of the variance of single runs "
                         f"({100 * row['seed_noise_means']:.0f}% of the {row['replicates']}-replicate "
                         "means the indices use)")
        lines.append(f"  {where}: " + "; ".join(parts))
    return lines


# ====================================================================== Morris, LHS
def morris_final(ok: pd.DataFrame, design, x: np.ndarray) -> tuple[pd.DataFrame, list[str]]:
    prob, n = problem(design), n_samples(design)
    rows, notes = [], []
    for label, frame in groups(ok, design):
        for metric in design.metrics:
            y = point_means(frame, metric, n)
            if np.isnan(y).any():
                notes.append(f"Morris {metric}{' (' + label + ')' if label else ''}: "
                             f"{int(np.isnan(y).sum())} sample points have no successful run; indices not computed")
                continue
            si = _morris(prob, x, y, design)
            for i, name in enumerate(prob["names"]):
                rows.append({"group": label, "metric": metric, "parameter": name, "mu": si["mu"][i],
                             "mu_star": si["mu_star"][i], "mu_star_conf": si["mu_star_conf"][i],
                             "sigma": si["sigma"][i]})
    return pd.DataFrame(rows, columns=["group", "metric", "parameter", "mu", "mu_star", "mu_star_conf",
                                       "sigma"]), notes


def _morris(prob, x, y, design, resamples: int = 1000) -> dict:
    from SALib.analyze import morris

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return morris.analyze(prob, x, y, num_levels=design.sampler.get("levels", 4),
                              num_resamples=resamples, seed=0)


def lhs_final(ok: pd.DataFrame, design) -> pd.DataFrame:
    rows = []
    for label, frame in groups(ok, design):
        for metric in design.metrics:
            for name in design.sampled:
                rho = frame[name].rank().corr(frame[metric].rank())
                rows.append({"group": label, "metric": metric, "parameter": name, "spearman": rho})
    return pd.DataFrame(rows, columns=["group", "metric", "parameter", "spearman"])


# ====================================================================== through time
def over_time(series: pd.DataFrame, design, x: np.ndarray | None = None) -> pd.DataFrame:
    """The design's index at each recorded step (evenly thinned to ``MAX_STEPS``): Sobol S1 and
    ST, Morris mu*, or Spearman's rho, per group, metric and parameter."""
    method = design.method
    prob, n = problem(design), n_samples(design)
    steps = np.sort(series["Step"].unique())
    if len(steps) > MAX_STEPS:
        steps = steps[np.unique(np.linspace(0, len(steps) - 1, MAX_STEPS).round().astype(int))]
    series = series[series["Step"].isin(steps)]
    rows = []
    for label, frame in groups(series, design):
        for step, at in frame.groupby("Step", sort=True):
            year = float(at["year"].mean())
            for metric in design.metrics:
                if metric not in at:
                    continue
                if method == "lhs":
                    for name in design.sampled:
                        rows.append({"group": label, "metric": metric, "Step": step, "year": year,
                                     "parameter": name, "spearman": at[name].rank().corr(at[metric].rank())})
                    continue
                y = point_means(at, metric, n)
                if np.isnan(y).any() or not np.nanstd(y) > 0:
                    continue
                if method == "sobol":
                    si = _sobol(prob, y, design.sampler.get("second_order", False), resamples=10)
                    values = {"S1": si["S1"], "ST": si["ST"]}
                else:
                    si = _morris(prob, x, y, design, resamples=10)
                    values = {"mu_star": si["mu_star"], "sigma": si["sigma"]}
                for i, name in enumerate(prob["names"]):
                    rows.append({"group": label, "metric": metric, "Step": step, "year": year,
                                 "parameter": name, **{k: float(v[i]) for k, v in values.items()}})
    return pd.DataFrame(rows)
