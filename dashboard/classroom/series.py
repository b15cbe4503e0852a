"""A run's indicators quarter by quarter, for the charts and the debrief, read through the
model's public surface: the last row of ``model.indicators()`` after each step, and the count of
regions in each stance. An indicator the model does not report is kept as None (a gap in the
chart), never as NaN (which a browser cannot read)."""

from __future__ import annotations

import math

import numpy as np

from soviet_cohesion import Stance

#: the indicators the class's charts and exports follow
TRACKED = ("cohesion", "compliance", "plan_fulfilment", "authority", "reserves")


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else round(number, 4)


class RunSeries:
    """``years``, ``values`` (indicator -> list) and ``stance_counts`` (stance -> list), one entry
    per step from step 0."""

    def __init__(self, model):
        self.years: list[float] = []
        self.values: dict[str, list[float | None]] = {name: [] for name in TRACKED}
        self.stance_counts: dict[int, list[int]] = {int(s): [] for s in Stance}
        self.append(model)

    def append(self, model) -> None:
        table = model.indicators()
        row = table.iloc[-1] if len(table) else {}
        self.years.append(round(float(model.year), 4))
        for name in TRACKED:
            self.values[name].append(_number(row[name]) if name in row else None)
        counts = np.bincount(np.asarray(model.stance, dtype=np.int64), minlength=len(Stance)).tolist()
        for stance, series in self.stance_counts.items():
            series.append(int(counts[stance]))

    def __len__(self) -> int:
        return len(self.years)
