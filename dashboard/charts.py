"""ECharts options (plain dicts) for the tile map and the time plots.

The charts are drawn in the browser by ECharts (shipped by solara-assets, so they work with no
internet); the server only builds these small dicts. Each chart carries ECharts' own
"save as image" button, which makes the PNG export in the browser.

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
                   tuple(labels))

    @property
    def aspect_ratio(self) -> float:
        return self.width / self.height


def map_option(layout: TileLayout, stance, official_types, selected: int | None = None,
               presentation: bool = False, file_stem: str = "map") -> dict:
    """The tile map: one cell per region, coloured by stance, the republics' codes on top.

    ``stance`` is the model's stance array; ``official_types`` one type name per region.
    """
    font = _font(presentation)
    stance = stance.tolist() if hasattr(stance, "tolist") else list(stance)
    cells = []
    for i, (x, y, s) in enumerate(zip(layout.x, layout.y, stance)):
        cell = {"name": f"<b>{layout.titles[i]}</b><br/>{STANCE_LABELS[s]} · {official_types[i]}",
                "value": [x, y, s]}
        if i == selected:
            cell["itemStyle"] = {"borderColor": "#000000", "borderWidth": 4}
        cells.append(cell)
    return {
        "animation": False,
        "aria": {"enabled": True, "label": {"description": "Map of the regions coloured by stance"}},
        "textStyle": {"fontSize": font},
        "toolbox": _toolbox(file_stem),
        "tooltip": {"trigger": "item", "formatter": "{b}", "textStyle": {"fontSize": font}},
        "grid": {"left": 2, "right": 2, "top": 28, "bottom": 2},
        "xAxis": {"type": "category", "data": list(range(layout.width)), "show": False},
        "yAxis": {"type": "category", "data": list(range(layout.height)), "show": False, "inverse": True},
        "visualMap": {
            "type": "piecewise", "dimension": 2, "seriesIndex": 0, "orient": "horizontal",
            "left": 0, "top": 0, "itemGap": 16, "textStyle": {"fontSize": font},
            "pieces": [{"value": s, "label": STANCE_LABELS[s], "color": c} for s, c in STANCE_COLOURS.items()],
        },
        "series": [
            {"type": "heatmap", "name": "regions", "data": cells,
             "itemStyle": {"borderColor": "#ffffff", "borderWidth": 1},
             "emphasis": {"itemStyle": {"borderColor": "#000000", "borderWidth": 2}}},
            {"type": "scatter", "name": "republics", "silent": True, "symbolSize": 0, "z": 5,
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
        series.append({"type": "line", "name": label, "showSymbol": False, "color": colour,
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
        series.append({"type": "line", "name": STANCE_LABELS[stance], "stack": "regions", "showSymbol": False,
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
        {"type": "line", "name": "Cohesion (this run)", "showSymbol": False, "color": "#000000",
         "lineStyle": {"width": width}, "data": _pairs(history.years, history.values["cohesion"]),
         "markLine": event_marks(events, presentation)},
        {"type": "line", "name": f"Cohesion ({counterfactual_label})", "showSymbol": False,
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
