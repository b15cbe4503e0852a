"""ECharts options (plain dicts) for the tile map and the time plots.

The charts are drawn in the browser by ECharts (shipped by solara-assets, so they work with no
internet); the server only builds these small dicts: a whole chart (``*_option``) once per run,
and per step only what changed (``*_update``, merged into the chart by series id; see
``live_chart.py``). Each chart carries ECharts' own "save as image" button, which makes the PNG
export in the browser.

The options hold no JavaScript functions (Solara sends them as JSON): tooltips use string
templates, and the colours of the map come from a piecewise visual map, which doubles as the
legend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .palette import COUNTERFACTUAL_COLOUR, EVENT_COLOUR, INDICATOR_SERIES, STANCE_COLOURS, STANCE_LABELS


def _font(presentation: bool) -> int:
    return 20 if presentation else 12


def _toolbox(file_stem: str) -> dict:
    return {"right": 8, "top": 0, "feature": {"saveAsImage": {
        "title": "Save as PNG", "name": file_stem, "pixelRatio": 2, "backgroundColor": "#ffffff"}}}


# ------------------------------------------------------------------------------ tile map
@dataclass(frozen=True)
class TileLayout:
    """What the map needs of a world that never changes during a run (built once per run)."""

    width: int
    height: int
    x: tuple[int, ...]
    y: tuple[int, ...]
    titles: tuple[str, ...]  # "Region (Republic)" per region
    labels: tuple[tuple[str, int, int], ...]  # (republic code, x, y) at one tile per republic
    borders: tuple[tuple[float, float, float, float], ...]  # tile edges between two republics

    @classmethod
    def of(cls, world) -> "TileLayout":
        x = np.asarray(world.tile_x, dtype=int)
        y = np.asarray(world.tile_y, dtype=int)
        x, y = x - x.min(), y - y.min()
        republic = np.asarray(world.republic, dtype=int)
        titles = tuple(f"{name} ({world.republic_names[r]})" for name, r in zip(world.names, republic.tolist()))
        labels = []
        for r, code in enumerate(world.republic_codes):
            members = np.flatnonzero(republic == r)
            if members.size == 0:
                continue
            cx, cy = x[members].mean(), y[members].mean()
            best = members[np.argmin((x[members] - cx) ** 2 + (y[members] - cy) ** 2)]
            labels.append((str(code), int(x[best]), int(y[best])))
        return cls(int(x.max()) + 1, int(y.max()) + 1, tuple(x.tolist()), tuple(y.tolist()), titles,
                   tuple(labels), _republic_borders(x.tolist(), y.tolist(), republic.tolist()))

    @property
    def aspect_ratio(self) -> float:
        return self.width / self.height


def _republic_borders(xs, ys, republic) -> tuple[tuple[float, float, float, float], ...]:
    """The tile edges that separate two republics, as (x1, y1, x2, y2) in tile units."""
    where = {(x, y): r for x, y, r in zip(xs, ys, republic)}
    edges = []
    for (x, y), r in where.items():
        for dx, dy in ((1, 0), (0, 1)):  # each shared edge once: right and lower neighbours
            other = where.get((x + dx, y + dy))
            if other is not None and other != r:
                if dx:
                    edges.append((x + 0.5, y - 0.5, x + 0.5, y + 0.5))
                else:
                    edges.append((x - 0.5, y + 0.5, x + 0.5, y + 0.5))
    return tuple(edges)


def why_line(decision: dict) -> str:
    """The terms of a decision in one short line, for the map's tooltip."""
    return (f"risk of obeying {decision['risk_of_obeying']:.2f} vs disobeying {decision['risk_of_disobeying']:.2f}; "
            f"peers not obeying {decision['peer_share']:.0%} (threshold {decision['peer_threshold']:.0%})")


def map_cells(layout: TileLayout, stance, officials, selected: int | None = None) -> list[dict]:
    """One heatmap cell per region: position, stance, and the tooltip (the official and the terms
    of its decision); the selected region outlined. ``stance`` is the model's stance array,
    ``officials`` the model's officials (one per region)."""
    stance = stance.tolist() if hasattr(stance, "tolist") else list(stance)
    cells = []
    for i, (x, y, s) in enumerate(zip(layout.x, layout.y, stance)):
        official = officials[i]
        text = f"{layout.titles[i]}\n{STANCE_LABELS[s]} · {official.official_type}\n{why_line(official.decision)}"
        cell = {"name": text, "value": [x, y, s]}
        if i == selected:
            cell["itemStyle"] = {"borderColor": "#000000", "borderWidth": 4}
        cells.append(cell)
    return cells


def map_update(layout: TileLayout, stance, officials, selected: int | None = None) -> dict:
    """What changes on the map in a step: the cells (merged into the chart by series id)."""
    return {"series": [{"id": "regions", "data": map_cells(layout, stance, officials, selected)}]}


def map_option(layout: TileLayout, stance, officials, selected: int | None = None,
               presentation: bool = False, file_stem: str = "map") -> dict:
    """The tile map: one cell per region, coloured by stance, with the republics' borders and
    codes on top."""
    font = _font(presentation)
    cells = map_cells(layout, stance, officials, selected)
    return {
        "animation": False,
        "aria": {"enabled": True, "label": {"description": "Map of the regions coloured by stance"}},
        "textStyle": {"fontSize": font},
        "toolbox": _toolbox(file_stem),
        # ECharts escapes the name's HTML; the line break shows through "pre-line"
        "tooltip": {"trigger": "item", "formatter": "{b}", "textStyle": {"fontSize": font},
                    "extraCssText": "white-space: pre-line;"},
        "grid": {"left": 2, "right": 2, "top": 28, "bottom": 2},
        # category axes place the tiles; value axes over the same grid (tile centres at whole
        # numbers) place the republic borders and labels, which need fractional positions
        "xAxis": [{"type": "category", "data": list(range(layout.width)), "show": False},
                  {"type": "value", "min": -0.5, "max": layout.width - 0.5, "show": False}],
        "yAxis": [{"type": "category", "data": list(range(layout.height)), "show": False, "inverse": True},
                  {"type": "value", "min": -0.5, "max": layout.height - 0.5, "show": False, "inverse": True}],
        "visualMap": {
            "type": "piecewise", "dimension": 2, "seriesIndex": 0, "orient": "horizontal",
            "left": 0, "top": 0, "itemGap": 16, "textStyle": {"fontSize": font},
            "pieces": [{"value": s, "label": STANCE_LABELS[s], "color": c} for s, c in STANCE_COLOURS.items()],
        },
        "series": [
            {"type": "heatmap", "id": "regions", "name": "regions", "data": cells,
             "itemStyle": {"borderColor": "#ffffff", "borderWidth": 1},
             "emphasis": {"itemStyle": {"borderColor": "#000000", "borderWidth": 2}}},
            {"type": "lines", "id": "borders", "name": "borders", "coordinateSystem": "cartesian2d",
             "silent": True, "z": 4,
             "xAxisIndex": 1, "yAxisIndex": 1,
             "lineStyle": {"color": "#1a1a1a", "width": 3 if presentation else 2, "opacity": 1},
             "data": [{"coords": [[x1, y1], [x2, y2]]} for x1, y1, x2, y2 in layout.borders]},
            {"type": "scatter", "id": "republics", "name": "republics", "silent": True, "symbolSize": 0, "z": 5,
             "xAxisIndex": 1, "yAxisIndex": 1,
             "data": [{"name": code, "value": [x, y]} for code, x, y in layout.labels],
             "label": {"show": True, "formatter": "{b}", "color": "#000000", "fontWeight": "bold",
                       "fontSize": font - 1, "textBorderColor": "#ffffff", "textBorderWidth": 3}},
        ],
    }


# ------------------------------------------------------------------------------ time plots
def event_marks(events, presentation: bool = False) -> dict:
    """The scenario's dated events as numbered dashed lines on the time axis."""
    return {
        "silent": False, "symbol": "none",
        "lineStyle": {"color": EVENT_COLOUR, "type": "dashed", "width": 1},
        "label": {"formatter": "{b}", "position": "end", "fontSize": _font(presentation) - 1,
                  "color": EVENT_COLOUR},
        "tooltip": {"formatter": "{c}"},
        "data": [{"xAxis": year_to_date(e.year), "name": str(i + 1), "value": e.label}
                 for i, e in enumerate(events)],
    }


def year_to_date(year: float) -> str:
    """A decimal year as an ISO date for ECharts' time axis (1989.25 -> "1989-04-01")."""
    whole = int(year // 1)
    month = int(round((year - whole) * 12))
    if month >= 12:
        whole, month = whole + 1, 0
    return f"{whole:04d}-{month + 1:02d}-01"


def _time_axes(start: float, end: float, font: int, y_name: str = "", y_max: float | None = 1.0) -> dict:
    y_axis = {"type": "value", "min": 0, "name": y_name, "nameTextStyle": {"fontSize": font},
              "axisLabel": {"fontSize": font}}
    if y_max is not None:
        y_axis["max"] = y_max
    return {
        "xAxis": {"type": "time", "min": year_to_date(start), "max": year_to_date(end),
                  "axisLabel": {"fontSize": font, "formatter": "{yyyy}"}, "splitLine": {"show": False}},
        "yAxis": y_axis,
    }


def _pairs(years, values) -> list[list[float]]:
    return [[year_to_date(x), v] for x, v in zip(years, values)]


def indicators_option(history, events, start: float, end: float, presentation: bool = False,
                      file_stem: str = "indicators", only_cohesion: bool = False) -> dict:
    """Cohesion, compliance, plan fulfilment, authority and reserves over time."""
    font = _font(presentation)
    width = 4 if presentation else 2
    series = []
    for key, label, colour in INDICATOR_SERIES:
        if only_cohesion and key != "cohesion":
            continue
        series.append({"type": "line", "id": key, "name": label, "showSymbol": False, "color": colour,
                       "lineStyle": {"width": width + (1 if key == "cohesion" else 0)},
                       "data": _pairs(history.years, history.values[key])})
    series[0]["markLine"] = event_marks(events, presentation)
    return {
        "animation": False,
        "textStyle": {"fontSize": font},
        "toolbox": _toolbox(file_stem),
        "legend": {"top": 0, "left": 0, "right": 40, "textStyle": {"fontSize": font}},
        "tooltip": {"trigger": "axis", "textStyle": {"fontSize": font}},
        "grid": {"left": 44, "right": 16, "top": 68 if not presentation else 96, "bottom": 28},
        **_time_axes(start, end, font),
        "series": series,
    }


def stances_option(history, events, start: float, end: float, n_regions: int,
                   presentation: bool = False, file_stem: str = "stances") -> dict:
    """How many regions obey, manage risk, or are autonomous, over time (stacked)."""
    font = _font(presentation)
    series = []
    for stance, colour in STANCE_COLOURS.items():
        series.append({"type": "line", "id": f"stance{stance}", "name": STANCE_LABELS[stance], "stack": "regions",
                       "showSymbol": False,
                       "color": colour, "lineStyle": {"width": 0}, "areaStyle": {"color": colour, "opacity": 0.9},
                       "data": _pairs(history.years, history.stance_counts[stance])})
    series[0]["markLine"] = event_marks(events, presentation)
    return {
        "animation": False,
        "textStyle": {"fontSize": font},
        "toolbox": _toolbox(file_stem),
        "legend": {"top": 0, "left": 0, "icon": "rect", "textStyle": {"fontSize": font}},
        "tooltip": {"trigger": "axis", "textStyle": {"fontSize": font}},
        "grid": {"left": 44, "right": 16, "top": 48 if not presentation else 64, "bottom": 28},
        **_time_axes(start, end, font, y_max=n_regions),
        "series": series,
    }


def comparison_option(history, counterfactual_history, counterfactual_label: str, events, start: float,
                      end: float, presentation: bool = False, file_stem: str = "comparison") -> dict:
    """The actual and the counterfactual cohesion curves, overlaid."""
    font = _font(presentation)
    width = 4 if presentation else 2
    series = [
        {"type": "line", "id": "actual", "name": "Cohesion (this run)", "showSymbol": False, "color": "#000000",
         "lineStyle": {"width": width}, "data": _pairs(history.years, history.values["cohesion"]),
         "markLine": event_marks(events, presentation)},
        {"type": "line", "id": "counterfactual", "name": f"Cohesion ({counterfactual_label})", "showSymbol": False,
         "color": COUNTERFACTUAL_COLOUR, "lineStyle": {"width": width, "type": "dashed"},
         "data": _pairs(counterfactual_history.years, counterfactual_history.values["cohesion"])},
    ]
    return {
        "animation": False,
        "textStyle": {"fontSize": font},
        "toolbox": _toolbox(file_stem),
        "legend": {"top": 0, "left": 0, "right": 40, "textStyle": {"fontSize": font}},
        "tooltip": {"trigger": "axis", "textStyle": {"fontSize": font}},
        "grid": {"left": 44, "right": 16, "top": 56, "bottom": 28},
        **_time_axes(start, end, font),
        "series": series,
    }


# ------------------------------------------------------------------------------ per-step updates
def indicators_update(history, only_cohesion: bool = False) -> dict:
    """What changes in the indicators chart in a step: each series' points."""
    return {"series": [{"id": key, "data": _pairs(history.years, history.values[key])}
                       for key, _, _ in INDICATOR_SERIES if not only_cohesion or key == "cohesion"]}


def stances_update(history) -> dict:
    return {"series": [{"id": f"stance{stance}", "data": _pairs(history.years, history.stance_counts[stance])}
                       for stance in STANCE_COLOURS]}


def comparison_update(history, counterfactual_history) -> dict:
    return {"series": [
        {"id": "actual", "data": _pairs(history.years, history.values["cohesion"])},
        {"id": "counterfactual",
         "data": _pairs(counterfactual_history.years, counterfactual_history.values["cohesion"])},
    ]}
