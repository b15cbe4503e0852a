"""The parameter values of every run, as columns: one ``(runs, 1)`` array per parameter.

An equation reads ``p.openness`` and gets each run's value in its own row, which broadcasts
against ``(runs, regions)`` and ``(runs, republics)`` arrays alike; ``p.openness[:, 0]`` is the
per-run vector. Switches (``loop_*``) are stored as 0.0 / 1.0 so they multiply. A value set
during a run (an event, a lever moved on the dashboard) changes only its run's row.

Structural parameters (world, recording) must be equal in every run of one simulation and are
kept as plain values in :attr:`Settings.structure`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import parameters
from .parameters import ParameterError


class Settings:
    """Every parameter that may differ between runs as a ``(runs, 1)`` float array attribute."""

    def __init__(self, rows: list[dict[str, Any]]):
        if not rows:
            raise ParameterError("a simulation needs at least one run")
        self.n_runs = len(rows)
        self.structure = {name: rows[0][name] for name in parameters.STRUCTURAL}
        for name in parameters.STRUCTURAL:
            values = {repr(row[name]) for row in rows}
            if len(values) > 1:
                raise ParameterError(
                    f"{name} must be the same in every run of one ensemble (got {', '.join(sorted(values))}); "
                    f"run the groups separately")
        for name in parameters.PER_RUN:
            column = np.array([[float(row[name])] for row in rows])
            setattr(self, name, column)

    if TYPE_CHECKING:
        # the per-run attributes are made from the parameter registry in __init__; declared for
        # the type checker only, so that a missing name still raises AttributeError at run time
        def __getattr__(self, name: str) -> np.ndarray: ...

    def set(self, name: str, runs, value) -> None:
        """Set ``name`` to ``value`` (scalar or one per run) in the rows ``runs``."""
        getattr(self, name)[runs, 0] = value

    def value(self, name: str, run: int = 0) -> Any:
        """The value of ``name`` in ``run``, as the registry's type (bool, int or float)."""
        if name in self.structure:
            return self.structure[name]
        kind = parameters.PARAMETERS[name].kind
        x = float(getattr(self, name)[run, 0])
        return kind(x) if kind in (bool, int) else x

    def as_dict(self, run: int = 0) -> dict[str, Any]:
        return {name: self.value(name, run) for name in parameters.PARAMETERS}
