"""Why a region's official chose what it chose: the terms of its last decision, in words."""

from __future__ import annotations

import html

import solara

from soviet_cohesion import Stance

from .palette import STANCE_COLOURS
from .state import TabState

STANCE_COLOUR_BY_LABEL = {s.label: STANCE_COLOURS[int(s)] for s in Stance}


def decision_rows(decision: dict) -> list[tuple[str, str]]:
    """The terms of one decision as (label, value) rows for the panel."""
    def pct(x):
        return f"{x:.0%}"

    return [
        ("Risk of obeying (blamed for shortfalls, unrest, the unmet plan)", f"{decision['risk_of_obeying']:.2f}"),
        ("Risk of disobeying (audit × punishment, loyalty)", f"{decision['risk_of_disobeying']:.2f}"),
        ("Chance of an audit", pct(decision["audit_probability"])),
        (f"Peers not obeying (of {decision['neighbours']} neighbours it sees)", pct(decision["peer_share"])),
        ("Its threshold to follow them", pct(decision["peer_threshold"])),
        ("Pull towards autonomy / its threshold",
         f"{decision['exit_pull']:.2f} / {decision['autonomy_threshold']:.2f}"),
        ("Shortfall / unrest in the region", f"{pct(decision['shortfall'])} / {pct(decision['unrest'])}"),
    ]


def decision_html(official) -> str:
    """The panel's content for one official (an HTML string: one widget, cheap to update)."""
    d = official.decision
    colour = STANCE_COLOUR_BY_LABEL.get(d["stance"], "#000000")
    rows = "".join(f"<tr><td>{html.escape(label)}</td><td class='sc-num'>{html.escape(value)}</td></tr>"
                   for label, value in decision_rows(d))
    appointed = getattr(official, "appointed_year", None)
    since = f", in office since {appointed:.0f}" if isinstance(appointed, (int, float)) else ""
    return (
        f"<div class='sc-why'>"
        f"<div class='sc-why-title'><span class='sc-swatch' style='background:{colour}'></span>"
        f"<b>{html.escape(d['region'])}</b> ({html.escape(d['republic'])}): <b>{html.escape(d['stance'])}</b></div>"
        f"<div class='sc-why-who'>Official: {html.escape(str(d['official_type']))}{since}</div>"
        f"<p class='sc-why-text'>{html.escape(official.explain())}</p>"
        f"<table class='sc-why-table'>{rows}</table></div>"
    )


@solara.component
def RegionPanel(state: TabState, compact: bool = False):
    """The selected region's official and the terms of its decision (redrawn every step)."""
    region = state.selected.value
    if region is not None:
        state.tick.value  # follow the selected region's decisions step by step
    model = state.session.model
    with solara.Card("Why? Click a region", margin=0, classes=["sc-card", "sc-region-panel"]):
        if region is None or not 0 <= region < model.world.n:
            solara.Text("Click a tile on the map to see its official and why it obeys, manages its "
                        "own risk, or has turned autonomous.")
            return
        official = model.officials[region]
        if compact:
            solara.HTML(tag="div", unsafe_innerHTML=f"<p class='sc-why-text'>{html.escape(official.explain())}</p>")
        else:
            solara.HTML(tag="div", unsafe_innerHTML=decision_html(official))
