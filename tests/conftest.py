"""Shared helpers for the model tests."""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from soviet_cohesion import CohesionModel

SEEDS = tuple(range(20))


@functools.lru_cache(maxsize=64)
def _runs(scenario: str, seeds: tuple[int, ...], items: tuple) -> tuple[pd.DataFrame, ...]:
    out = []
    for seed in seeds:
        model = CohesionModel(scenario, rng=seed, collect_regions=False, **dict(items))
        model.run_model()
        out.append(model.indicators())
    return tuple(out)


def runs(scenario: str, seeds=SEEDS, **overrides) -> tuple[pd.DataFrame, ...]:
    """Indicator tables of ``scenario`` over ``seeds`` (cached for the session)."""
    return _runs(scenario, tuple(seeds), tuple(sorted(overrides.items())))


@pytest.fixture
def gorbachev():
    model = CohesionModel("gorbachev", rng=7)
    model.run_model()
    return model
