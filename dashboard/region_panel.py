"""Why a region's official chose what it chose, in plain sentences and bars (``explain.py``), at
the quarter the timeline shows. A list of the regions lets a keyboard or a screen reader pick
one as a click on the map does."""

from __future__ import annotations

import html

import solara
from solara.alias import rv

from .charts import official_type
from .explain import RegionView, compact_sentences, explanation_html, in_office
from .palette import STANCE_COLOURS
from .state import TabState


def region_view(state: TabState, region: int, step: int) -> RegionView:
    """What the page knows of ``region`` at ``step`` (from the run's history)."""
    session = state.session
    history = session.history
    snapshot = history.snapshot(step)
    world = session.model.world
    calendar = state.calendar()
    played = snapshot.played is not None and bool(snapshot.played[region])
    return RegionView(
        region=str(world.names[region]),
        republic=state.tr.get(f"republic.{world.republic_names[world.republic[region]]}",
                              str(world.republic_names[world.republic[region]])),
        stance=int(snapshot.stance[region]), terms=snapshot.region(region),
        official_type=snapshot.official_type[region], appointed=float(snapshot.appointed[region]),
        levers=snapshot.levers, year=calendar.year_of(step) + 1 / calendar.per_year if step else calendar.start,
        start=calendar.start, played=played,
        neighbours=history.neighbours[region] if history.neighbours else 0)


def explanation(state: TabState, region: int, step: int) -> str:
    tr = state.tr
    view = region_view(state, region, step)
    return explanation_html(view, tr, STANCE_COLOURS.get(view.stance, "#000000"), tr(f"stance.{view.stance}"),
                            official_type(view.official_type, tr), in_office(view, tr, state.quarter_ending))


@solara.component
def RegionPicker(state: TabState):
    """All regions by republic in a list (type to search): the keyboard's way to the why."""
    tr = state.tr
    world = state.session.model.world
    def republic(i):
        name = world.republic_names[world.republic[i]]
        return tr.get(f"republic.{name}", name)

    items = solara.use_memo(
        lambda: [{"text": f"{world.names[i]} ({republic(i)})", "value": i}
                 for i in sorted(range(world.n), key=lambda i: (republic(i), world.names[i]))],
        [world, state.lang.value])
    rv.Autocomplete(label=tr("why.find"), items=items, v_model=state.selected.value, on_v_model=state.select,
                    dense=True, outlined=True, hide_details=True, clearable=True, class_="sc-region-picker",
                    no_data_text=tr("why.no_match"),
                    attributes={"aria-label": tr("why.find")})


@solara.component
def RegionPanel(state: TabState, compact: bool = False):
    """The selected region's official and the terms of its decision (follows the timeline)."""
    tr = state.tr
    region = state.selected.value
    state.lang.value
    state.view.value
    if region is not None:
        state.tick.value  # follow the selected region's decisions step by step
    model = state.session.model
    with solara.Card(tr("why.title"), margin=0, classes=["sc-card", "sc-region-panel"]):
        if not compact:
            RegionPicker(state)
        if region is None or not 0 <= region < model.world.n:
            solara.Text(tr("why.none"), classes=["sc-why-text"])
            return
        step = state.view_step
        if compact:
            view = region_view(state, region, step)
            text = " ".join(html.escape(s) for s in compact_sentences(view, tr))
            solara.HTML(tag="div",
                        unsafe_innerHTML=f"<p class='sc-why-text'><b>{html.escape(view.region)}</b>: {text}</p>")
        else:
            solara.HTML(tag="div", unsafe_innerHTML=explanation(state, region, step))
