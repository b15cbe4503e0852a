"""The tile map: one tile per region, grouped by republic, coloured by stance and marked with
its letter (so it reads in greyscale); hover or move to a tile with the arrow keys for its
official and decision, click it or press Enter for the why.

The map shows the quarter the timeline points at: the latest one while the run goes on, or
any earlier quarter exactly as it was (from the run's history)."""

from __future__ import annotations

import html

import solara

from .charts import TileLayout, map_option, map_update, status_key, tile_letter
from .live_chart import LiveEcharts
from .palette import STANCE_COLOURS
from .plots import scenario_title
from .state import TabState


def clicked_region(event: dict, n_regions: int) -> int | None:
    """The region index of an ECharts click on a map tile (None for anything else)."""
    if not isinstance(event, dict) or event.get("seriesType") != "heatmap":
        return None
    index = event.get("dataIndex")
    if isinstance(index, int) and 0 <= index < n_regions:
        return index
    return None


#: the allegiance marks as drawn in the key (small inline SVGs matching ``charts.ALLEGIANCE_MARKS``)
MARK_SVGS = {
    "republic": "<polygon points='6,1 11,11 1,11' fill='#000' stroke='#fff' stroke-width='1'/>",
    "centre": "<circle cx='6' cy='6' r='4' fill='#fff' stroke='#000' stroke-width='2'/>",
    "alone": "<polygon points='6,0.5 11.5,6 6,11.5 0.5,6' fill='#000' stroke='#fff' stroke-width='1'/>",
}


def _mark(kind: str) -> str:
    return (f"<svg class='sc-allegiance-mark' width='12' height='12' viewBox='0 0 12 12' aria-hidden='true'>"
            f"{MARK_SVGS[kind]}</svg>")


def legend_html(tr, republics: bool = True) -> str:
    """The map's key: a swatch and a letter per stance; then (second generation) how a republic's
    code shows its status and what the marks in the tiles' corners mean."""
    e = html.escape
    items = "".join(
        f"<li><span class='sc-swatch' style='background:{colour}'></span>"
        f"<b class='sc-letter'>{e(tile_letter(s, tr))}</b> {e(tr(f'stance.{s}'))}</li>"
        for s, colour in STANCE_COLOURS.items())
    key = f"<ul class='sc-map-key' aria-label='{e(tr('map.key'), quote=True)}'>{items}</ul>"
    if not republics:
        return key
    sample = e(tr("map.status_sample"))
    statuses = "".join(f"<li><span class='sc-rep-sample sc-rep-{s}'>{sample}</span> {e(tr(f'map.status.{s}'))}</li>"
                       for s in (0, 1, 2))
    marks = "".join(f"<li>{_mark(kind)} {e(tr(f'map.mark.{kind}'))}</li>" for kind in ("republic", "centre", "alone"))
    return (key + f"<ul class='sc-map-key sc-republic-key' aria-label='{e(tr('map.republic_key'), quote=True)}'>"
            f"{statuses}{marks}</ul>")


def map_title(state: TabState, step: int) -> tuple[str, str]:
    """The PNG's title (scenario, seed, quarter) and file name."""
    tr, session = state.tr, state.session
    title = tr("export.title", what=tr("map.name"), scenario=scenario_title(state), seed=session.seed,
               quarter=state.quarter(step))
    return title, f"{session.file_stem()}_{state.compact_quarter(step)}_map"


@solara.component
def TileMap(state: TabState, keyboard: bool = True):
    """The map. Per step only the tiles (stance, tooltip) go to the browser."""
    tr = state.tr
    tick = state.tick.value
    view = state.view.value
    lang = state.lang.value
    session = state.session
    model = session.model
    selected = state.selected.value
    presentation = state.presentation.value
    layout = solara.use_memo(lambda: TileLayout.of(model.world), [model])
    shown_status = solara.use_ref(None)  # the republics' status the map shows (sent again only when it changes)

    def build_option():
        step = state.view_step
        title, file = map_title(state, step)
        snapshot = session.history.snapshot(step)
        shown_status.current = status_key(snapshot)
        option = map_option(layout, snapshot, tr, selected, presentation, title, file)
        option["scMeta"]["legend"] = tr("map.png_key", obeying=tr("stance.0"), managing=tr("stance.1"),
                                        autonomous=tr("stance.2"), m=tile_letter(1, tr), a=tile_letter(2, tr))
        # the PNG's key for the republic layer, one line each under the stances' (live_chart.vue)
        option["scMeta"]["legend_more"] = [tr("map.png_republics"), tr("map.png_marks")]
        option["scMeta"]["selected"] = selected
        return option

    def build_update():
        step = state.view_step
        title, file = map_title(state, step)
        snapshot = session.history.snapshot(step)
        status = status_key(snapshot)
        update = map_update(layout, snapshot, tr, selected, title, file,
                            status_unchanged=status is not None and status == shown_status.current)
        shown_status.current = status
        update["scMeta"]["selected"] = selected
        return update

    def on_click(event):
        region = clicked_region(event, model.world.n)
        if region is not None:
            state.select(region)

    solara.HTML(tag="div", unsafe_innerHTML=legend_html(tr), classes=["sc-map-legend"])
    # keep the tiles square: the chart's box follows the tile map's aspect ratio
    style = f"width: 100%; aspect-ratio: {layout.width} / {layout.height};"
    if presentation:  # the map leaves room on a projector's screen for the explanation below it
        style += f" max-width: calc((100vh - 380px) * {layout.width} / {layout.height}); margin: 0 auto;"
    with solara.Div(classes=["sc-map-scroll"]):
        LiveEcharts(build_option, [model, presentation, lang], build_update, [tick, view, selected],
                    on_click=on_click, attributes={"style": style, "class": "sc-map"},
                    save_label=tr("export.save_png"), aria_label=tr("map.aria", n=model.world.n),
                    keyboard=keyboard)
