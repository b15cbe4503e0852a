"""What a simulation keeps as it runs: the indicators of every run, per-region records in
compact form, the republics' course, the declarations and (for one run at a time) the log.

Per-region records take 20 bytes per region and step: stance and allegiance as one byte each,
and REGION_FIELDS as 16-bit floats (three significant digits: enough to explain a decision,
not to restart a run). ``region_records()`` returns them with categorical columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .agents import Allegiance, Stance, Status
from .indicators import INDICATORS

#: per-region decision terms kept every recorded step (besides stance and allegiance)
REGION_FIELDS = ("risk_of_obeying", "risk_of_disobeying", "audit_probability", "peer_share",
                 "pressure", "exit_pull", "shortfall", "unrest", "network")
#: the dtype of those fields in the records
RECORD_DTYPE = np.float16
STANCE_LABELS = [s.label for s in Stance]
ALLEGIANCE_LABELS = [a.label for a in Allegiance]
STATUS_LABELS = [s.label for s in Status]


class Recorder:
    """Collects the records of a simulation's runs at its recorded steps.

    Per recorded step it keeps one ``(runs, indicators)`` array and the republics' status and
    mobilisation; with ``regions``, the per-region records go into two arrays allocated for
    the ``expected`` recorded steps (doubled if a run goes on longer): stance and allegiance
    as ``(steps, 2, runs, regions)`` int8, REGION_FIELDS as ``(steps, fields, runs, regions)``
    float16, so what is kept is 20 bytes per region-step and nothing else."""

    def __init__(self, n_runs: int, regions: bool, series: bool = True, n_regions: int = 0, expected: int = 1):
        self.n_runs = n_runs
        self.keep_regions = regions
        self.keep_series = series
        self.steps: list[int] = []
        self.years: list[float] = []
        self.series: list[np.ndarray] = []  # (runs, indicators) per recorded step
        self.status: list[np.ndarray] = []
        self.mobilisation: list[np.ndarray] = []
        if regions:
            self.codes = _Rows((2, n_runs, n_regions), np.int8, expected)  # stance, allegiance
            self.fields = _Rows((len(REGION_FIELDS), n_runs, n_regions), RECORD_DTYPE, expected)

    def record(self, sim, values: np.ndarray) -> None:
        if not self.keep_series:  # only the last recorded step is kept
            for kept in (self.series, self.steps, self.years, self.status, self.mobilisation):
                kept.clear()
        self.series.append(values)
        self.steps.append(sim.steps)
        self.years.append(sim.year)
        self.status.append(sim.status.copy())
        self.mobilisation.append(sim.mobilisation.astype(RECORD_DTYPE))
        if self.keep_regions:
            codes, fields = self.codes.next(), self.fields.next()
            codes[0], codes[1] = sim.stance, sim.allegiance
            for i, f in enumerate(REGION_FIELDS):
                fields[i] = getattr(sim, f)  # (to float16, rounded to nearest as by astype)

    # ------------------------------------------------------------------ tables of one run
    def indicators(self, run: int) -> pd.DataFrame:
        data = np.array([s[run] for s in self.series]) if self.series else np.empty((0, len(INDICATORS)))
        return pd.DataFrame(_typed(data.T), index=pd.Index(self.steps, name="Step"))

    def final(self) -> dict[str, np.ndarray]:
        """The last recorded indicators of every run: one column per indicator."""
        return _typed(self.series[-1].T)

    def series_table(self) -> pd.DataFrame:
        """The indicators of every run at every recorded step: ``row`` (the run's row in the
        simulation), Step and the indicators, run by run."""
        data = np.array(self.series)  # (steps, runs, indicators)
        k, runs = data.shape[:2]
        columns = _typed(data.transpose(2, 1, 0).reshape(len(INDICATORS), runs * k))
        return pd.DataFrame({"row": np.repeat(np.arange(runs), k), "Step": np.tile(np.array(self.steps, dtype=np.int64),
                                                                                   runs), **columns})

    def region_records(self, run: int, world) -> pd.DataFrame:
        n = world.n
        codes = self.codes.kept()[:, :, run] if self.keep_regions else np.empty((0, 2, n), np.int8)
        fields = (self.fields.kept()[:, :, run] if self.keep_regions
                  else np.empty((0, len(REGION_FIELDS), n), RECORD_DTYPE))
        k = len(codes)
        data = {
            "Step": np.repeat(np.array(self.steps[-k:] if k else [], dtype=np.int64), n),
            "year": np.repeat(np.array(self.years[-k:] if k else []), n),
            "region": pd.Categorical.from_codes(np.tile(np.arange(n), k), world.names),
            "republic": pd.Categorical.from_codes(np.tile(world.republic, k), world.republic_names),
            "stance": pd.Categorical.from_codes(codes[:, 0].reshape(-1), STANCE_LABELS),
            "allegiance": pd.Categorical.from_codes(codes[:, 1].reshape(-1), ALLEGIANCE_LABELS),
        }
        for i, f in enumerate(REGION_FIELDS):
            data[f] = fields[:, i].reshape(-1)
        return pd.DataFrame(data)

    def republic_records(self, run: int, world) -> pd.DataFrame:
        k, n = len(self.status), world.n_republics
        return pd.DataFrame({
            "Step": np.repeat(np.array(self.steps[-k:], dtype=np.int64), n),
            "year": np.repeat(np.array(self.years[-k:]), n),
            "republic": pd.Categorical.from_codes(np.tile(np.arange(n), k), world.republic_names),
            "code": pd.Categorical.from_codes(np.tile(np.arange(n), k), world.republic_codes),
            "status": pd.Categorical.from_codes(np.concatenate([s[run] for s in self.status]), STATUS_LABELS),
            "mobilisation": np.concatenate([m[run] for m in self.mobilisation]).astype(float),
        })

    def region_bytes(self) -> int:
        """Bytes held by the per-region records of the steps recorded so far."""
        return self.codes.kept().nbytes + self.fields.kept().nbytes if self.keep_regions else 0


#: indicators that are counts or flags (the others are floats)
COUNTS = ("sovereign_republics", "independent_republics", "autonomous_regions", "managing_regions", "acting_alone",
          "audits", "detected", "replaced", "force_used")
FLAGS = ("dissolved", "treaty")


def _typed(columns: np.ndarray) -> dict[str, np.ndarray]:
    """One array per indicator from ``(indicators, n)`` values: counts as int64, flags as bool."""
    out = {}
    for name, values in zip(INDICATORS, columns):
        out[name] = values.astype(np.int64) if name in COUNTS else values.astype(bool) if name in FLAGS else values
    return out


class _Rows:
    """Equal rows in one array allocated ahead and doubled when full (no object per row)."""

    def __init__(self, shape: tuple, dtype, expected: int):
        self.data = np.empty((max(expected, 1), *shape), dtype)
        self.size = 0

    def next(self) -> np.ndarray:
        """The next row, to be written in place."""
        if self.size == len(self.data):
            self.data = np.concatenate([self.data, np.empty_like(self.data)])
        self.size += 1
        return self.data[self.size - 1]

    def kept(self) -> np.ndarray:
        return self.data[:self.size]
