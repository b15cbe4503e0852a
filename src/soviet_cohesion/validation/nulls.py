"""Null model (a): a static ranking of the republics by identity and dependence, no dynamics.

If the order in which the republics broke away can be read off the republic table alone, the
model's dynamics add nothing to it. The ranking uses the same two inputs the model gives each
republic (``data/ussr_republics.csv``), standardised and combined with equal weights::

    identity   = titular share (1989) + 0.25 if annexed in 1940, at most 1;
                 0.3 for the RSFSR (Russians identified with the union more than with the RSFSR)
    dependence = net transfer share (what the republic received from the rest of the union)
    score      = z(identity) - z(dependence)          (higher: expected to break away earlier)

The constants mirror the model's world (``world.IDENTITY_ANNEXED``, ``world.IDENTITY_CORE``) but
are set here, so the null model does not move when the model is retuned. Null model (b), the
events with every feedback loop switched off, is a set of model runs
(:data:`~.runs.LOOPS_OFF`).
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from .. import history
from .statistics import order_correlation

IDENTITY_ANNEXED = 0.25
IDENTITY_CORE = 0.3


def republic_table() -> pd.DataFrame:
    path = resources.files("soviet_cohesion") / "data" / "ussr_republics.csv"
    # read as text, then parsed with newline="" as the csv module asks (Traversable.open takes no newline)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return pd.DataFrame(rows).set_index("code")


@lru_cache(maxsize=1)
def _ranking() -> pd.DataFrame:
    t = republic_table()
    titular = t["titular_share_1989"].astype(float)
    annexed = t["annexed_1940"].astype(int)
    core = t["core"].astype(int).astype(bool)
    identity = np.minimum(1.0, titular + IDENTITY_ANNEXED * annexed).where(~core, IDENTITY_CORE)
    dependence = t["net_transfer_share"].astype(float)

    def z(x):
        return (x - x.mean()) / x.std(ddof=0)

    score = z(identity) - z(dependence)
    out = pd.DataFrame({"identity": identity, "dependence": dependence, "score": score})
    out = out.sort_values("score", ascending=False, kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def static_ranking() -> pd.DataFrame:
    """The republics from the first expected to break away to the last (index: code; columns
    identity, dependence, score, rank)."""
    return _ranking().copy()


def static_order_rho(kind: str) -> float:
    """Spearman's rho between the static ranking and the historical order of ``kind`` declarations."""
    return order_correlation(static_ranking()["rank"].astype(float), kind)


def static_first(kind: str) -> str:
    """The republic the static ranking expects to declare first (the same for either kind)."""
    if kind not in history.DECLARATIONS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(history.DECLARATIONS)}")
    return str(static_ranking().index[0])
