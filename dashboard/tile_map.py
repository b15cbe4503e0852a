"""The tile map: one tile per region, grouped by republic, coloured by stance; click for the why."""

from __future__ import annotations

import solara

from .charts import TileLayout, map_option, map_update
from .live_chart import LiveEcharts
from .state import TabState


def clicked_region(event: dict, n_regions: int) -> int | None:
    """The region index of an ECharts click on a map tile (None for anything else)."""
    if not isinstance(event, dict) or event.get("seriesType") != "heatmap":
        return None
    index = event.get("dataIndex")
    if isinstance(index, int) and 0 <= index < n_regions:
        return index
    return None


@solara.component
def TileMap(state: TabState):
    """The map. Per step only the tiles (stance, tooltip) go to the browser. Hovering a tile shows
    its official and the terms of its decision; clicking it explains them in the panel below."""
    tick = state.tick.value
    session = state.session
    model = session.model
    selected = state.selected.value
    presentation = state.presentation.value
    layout = solara.use_memo(lambda: TileLayout.of(model.world), [model])

    def build_option():
        return map_option(layout, model.stance, model.officials, selected, presentation, session.file_stem() + "_map")

    def build_update():
        return map_update(layout, model.stance, model.officials, selected)

    def on_click(event):
        region = clicked_region(event, model.world.n)
        if region is not None:
            state.select(region)

    # keep the tiles square: the chart's box follows the tile map's aspect ratio (+ the legend row)
    style = f"width: 100%; aspect-ratio: {layout.width} / {layout.height + 1.5};"
    LiveEcharts(build_option, [model, presentation], build_update, [tick, selected], on_click=on_click,
                attributes={"style": style, "class": "sc-map"})
