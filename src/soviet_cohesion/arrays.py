"""Small array helpers whose results for one run do not depend on how many runs are computed
together (the ensemble's promise: run i of a batch equals the same run alone, bit for bit).

Dense matrix products (``x @ w``) go through BLAS, whose summation order changes with the shape
of the batch; numpy's own reductions over the last axis of a C-contiguous array sum each row
in the same order whatever the number of rows.
"""

from __future__ import annotations

import numpy as np


def clip(x, low, high, out=None):
    """``np.clip`` by its two ufuncs (the same numbers, without numpy's Python-level wrapper);
    ``out=x`` clips in place."""
    return np.minimum(np.maximum(x, low, out=out), high, out=out)


def total(x: np.ndarray) -> np.ndarray:
    """Sum of each row (``x.sum(axis=1)`` without its wrapper; counts for boolean arrays)."""
    return np.add.reduce(x, axis=1)


def row_mean(x: np.ndarray) -> np.ndarray:
    """Mean of each row (the same sum order as ``x.mean(axis=1)``, without its wrapper)."""
    return np.add.reduce(x, axis=1) * (1.0 / x.shape[1])


def weighted_sum(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum_j x[r, j] * weights[j]`` for every row ``r`` (rows independent of each other)."""
    return np.add.reduce(np.ascontiguousarray(x * weights, dtype=float), axis=1)
