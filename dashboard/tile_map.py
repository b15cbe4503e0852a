"""The tile map: one tile per region, grouped by republic, coloured by stance; click for the why."""

from __future__ import annotations

import solara

from .charts import TileLayout, map_option
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
def TileMap(state: TabState, height: str = "auto"):
    """The map, redrawn after every step (only the tiles' stances change)."""
    tick = state.tick.value  # redraw after every step
    model = state.session.model
    selected = state.selected.value
    presentation = state.presentation.value
    layout = solara.use_memo(lambda: TileLayout.of(model.world), [model])

    def build():
        types = [official.official_type for official in model.officials]
        return map_option(layout, model.stance, types, selected, presentation, state.session.file_stem() + "_map")

    def on_click(event):
        region = clicked_region(event, model.world.n)
        if region is not None:
            state.select(region)

    # keep the tiles square: the chart's box follows the tile map's aspect ratio (+ the legend row)
    style = f"width: 100%; aspect-ratio: {layout.width} / {layout.height + 1.5};"
    if height != "auto":
        style = f"width: 100%; height: {height};"
    LiveEcharts(build, [tick, selected, presentation, model], on_click=on_click,
                attributes={"style": style, "class": "sc-map"})
