"""The runs of a sweep in the EMA Workbench's form: ``(experiments, outcomes)``.

The EMA Workbench (Kwakkel 2017) analyses a model's results as a pair: ``experiments``, a
DataFrame with one row per run and one column per input, plus ``scenario``, ``policy`` and
``model``; and ``outcomes``, a dict from outcome name to a numpy array with one row per run
(``(runs,)`` for a final value, ``(runs, steps)`` for a time series, with the years in
``TIME``). Its scenario discovery (``prim.Prim(x, y)``), feature scoring
(``feature_scoring.get_feature_scores_all(x, outcomes)``) and plots take that pair directly.

:func:`experiments_outcomes` builds it in memory; :func:`save_ema` writes it as the
Workbench's ``save_results`` does (a ``.tar.gz`` of ``experiments.csv``, one file per outcome
and ``metadata.json``), so ``ema_workbench.load_results(path)`` reads it back. Only successful
runs are exported, in run order. Since the Workbench's ``scenario`` column names the point of
the design (here its ``point`` number), a varied historical scenario is exported as
``timeline``; ``policy`` is ``"none"``, ``model`` the spec's name.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd

from .analysis import Design, provenance_lines
from .spec import SweepError
from .storage import read_results, verified

#: the Workbench's own columns of ``experiments``
EMA_COLUMNS = ("scenario", "policy", "model")


def experiments_outcomes(directory: str | Path, allow_mixed: bool = False) -> tuple[pd.DataFrame, dict]:
    """``(experiments, outcomes)`` of a results folder (see the module's docstring)."""
    store, manifest, state = verified(directory)
    provenance_lines(store.root, manifest, state, allow_mixed)  # refuses mixed versions
    design = Design.from_manifest(manifest)
    runs = read_results(store.root, "runs")
    ok = runs[runs["status"] == "ok"].sort_values("run", ignore_index=True)
    if ok.empty:
        raise SweepError(f"{directory}: no successful runs to export")
    experiments = pd.DataFrame({_column(name): _typed(ok[name], design.factors[name]["kind"])
                                for name in design.factors})
    experiments["scenario"] = ok["point"].astype(str).astype("category")
    experiments["policy"] = pd.Categorical(["none"] * len(ok))
    experiments["model"] = pd.Categorical([design.name] * len(ok))
    outcomes: dict[str, np.ndarray] = {m: ok[m].to_numpy(dtype=float) for m in design.kept if m in ok}
    if "timeseries" in manifest["tables"]:
        series = read_results(store.root, "timeseries")
        series = series[series["run"].isin(set(ok["run"]))]
        for name, values in _series_arrays(series, ok["run"].to_numpy(), design).items():
            outcomes[name] = values
    return experiments, outcomes


def _column(name: str) -> str:
    return "timeline" if name in EMA_COLUMNS else name


def _typed(column: pd.Series, kind: str) -> pd.Series:
    if kind == "str":
        return column.astype("category")
    return column.astype({"float": "float64", "int": "int64", "bool": "bool"}[kind])


def _series_arrays(series: pd.DataFrame, order: np.ndarray, design) -> dict[str, np.ndarray]:
    """``(runs, steps)`` arrays of every metric through time, and ``TIME`` (the years). Runs
    with fewer recorded steps (another scenario's span) are padded with NaN."""
    steps = np.sort(series["Step"].unique())
    index = pd.MultiIndex.from_product([order, steps], names=["run", "Step"])
    frame = series.set_index(["run", "Step"]).reindex(index)
    out = {"TIME": frame["year"].to_numpy(dtype=float).reshape(len(order), len(steps))}
    for m in design.kept:
        if m in frame:
            out[f"{m}_series"] = frame[m].to_numpy(dtype=float).reshape(len(order), len(steps))
    return out


def save_ema(directory: str | Path, path: str | Path, allow_mixed: bool = False) -> Path:
    """Write the runs as the EMA Workbench's ``save_results`` would (``.tar.gz``)."""
    path = Path(path)
    if path.suffix != ".gz":
        raise SweepError(f"--ema {path}: the file must end in .tar.gz (the EMA Workbench's format)")
    experiments, outcomes = experiments_outcomes(directory, allow_mixed)
    members: list[tuple[str, bytes]] = [
        ("experiments.csv", experiments.to_csv(header=True, index=False).encode())]
    meta = []
    for name, values in outcomes.items():
        data = pd.DataFrame(values).to_csv(header=False, index=False).encode()
        # the Workbench's ScalarOutcome files end in ".cls", its ArrayOutcome files in ".csv"
        kind, filename = ("ScalarOutcome", f"{name}.cls") if values.ndim == 1 else ("ArrayOutcome", f"{name}.csv")
        members.append((filename, data))
        meta.append((kind, name, filename))
    metadata = {"version": 0.1, "outcomes": meta,
                "experiments": {k: v.name for k, v in experiments.dtypes.to_dict().items()}}
    members.append(("metadata.json", json.dumps(metadata).encode()))
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path
