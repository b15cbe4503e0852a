"""How sure is it? Runs the same scenario, with the same lever moves, for 20 seeds in the
background and draws the band the middle 80% of them fall in around the cohesion curve
(see ``band.py``); the page stays usable while it computes."""

from __future__ import annotations

import solara

from .state import TabState


def band_summary(state: TabState) -> str:
    tr = state.tr
    band = state.band.value
    if band.status == "running":
        return tr("band.running", done=band.done, total=band.total)
    if band.status == "failed":
        return tr("band.failed", error=band.error)
    if band.status != "done" or band.result is None:
        return tr("band.idle")
    result = band.result
    last = len(result.low) - 1
    now = min(state.session.history.last_step, last)
    this_run = state.session.history.values["cohesion"][now]
    return tr("band.done", n=len(result.seeds), first=result.seeds[0], last_seed=result.seeds[-1],
              low=f"{result.low[last]:.2f}", high=f"{result.high[last]:.2f}", median=f"{result.median[last]:.2f}",
              quarter=state.quarter(now), value=f"{this_run:.2f}",
              band_low=f"{result.low[now]:.2f}", band_high=f"{result.high[now]:.2f}")


@solara.component
def BandPanel(state: TabState):
    tr = state.tr
    band = state.band.value
    state.lang.value
    if band.status == "done":
        state.tick.value  # the comparison with this run follows the run
    with solara.Card(tr("band.title"), margin=0, classes=["sc-card", "sc-band"]):
        with solara.Row(style={"align-items": "center", "gap": "8px", "flex-wrap": "wrap"}):
            if band.status == "running":
                solara.Button(tr("band.cancel"), on_click=state.cancel_band, outlined=True, classes=["sc-band-cancel"])
            else:
                solara.Button(tr("band.run") if band.status != "done" else tr("band.again"),
                              icon_name="mdi-chart-bell-curve",
                              on_click=state.start_band, outlined=True, classes=["sc-band-run"])
        solara.Text(band_summary(state), classes=["sc-band-summary"])
        if band.status == "running" and band.total:
            solara.ProgressLinear(value=100 * band.done / band.total)
