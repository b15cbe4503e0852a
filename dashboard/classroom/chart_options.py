"""The class's charts as ECharts options (plain dicts, drawn in the browser by the ECharts that
solara-assets serves): the tile map with a dot per student, the class run's indicators, and the
two runs side by side for the debrief. A whole chart (``*_option``) is sent once per run; per
quarter only the data (``*_update``, merged into the chart by series id).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from soviet_cohesion import Stance

from ..palette import STANCE_COLOURS

STANCE_LABELS = {int(s): s.label for s in Stance}
FONT = 12
#: the class run's indicators over time: key, label, colour (Okabe-Ito, as on the dashboard)
INDICATOR_SERIES = (
    ("cohesion", "Cohesion", "#000000"),
    ("compliance", "Compliance", "#0072B2"),
    ("plan_fulfilment", "Plan fulfilment", "#009E73"),
    ("authority", "Centre's authority", "#CC79A7"),
    ("reserves", "Reserves", "#56B4E9"),
)
#: the model's own run in the debrief, and the scenario's dated events
MODEL_RUN_COLOUR = "#D55E00"
EVENT_COLOUR = "#444444"


def _toolbox(file_stem: str) -> dict:
    return {"right": 8, "top": 0, "feature": {"saveAsImage": {
        "title": "Save as PNG", "name": file_stem, "pixelRatio": 2, "backgroundColor": "#ffffff"}}}


# ------------------------------------------------------------------------------ the map
@dataclass(frozen=True)
class MapLayout:
    """Where each region's tile is, its name, and the republics' codes and borders (per run)."""

    width: int
    height: int
    x: tuple[int, ...]
    y: tuple[int, ...]
    titles: tuple[str, ...]  # "Region (Republic)"
    labels: tuple[tuple[str, int, int], ...]  # republic code at its most central tile
    borders: tuple[tuple[float, float, float, float], ...]  # tile edges between two republics

    @classmethod
    def of(cls, world) -> MapLayout:
        x = np.asarray(world.tile_x, dtype=int)
        y = np.asarray(world.tile_y, dtype=int)
        x, y = x - x.min(), y - y.min()
        republic = np.asarray(world.republic, dtype=int)
        titles = tuple(f"{name} ({world.republic_names[r]})" for name, r in zip(world.names, republic.tolist()))
        labels = []
        for r, code in enumerate(world.republic_codes):
            members = np.flatnonzero(republic == r)
            if members.size:
                cx, cy = x[members].mean(), y[members].mean()
                best = members[np.argmin((x[members] - cx) ** 2 + (y[members] - cy) ** 2)]
                labels.append((str(code), int(x[best]), int(y[best])))
        where = {(int(a), int(b)): int(r) for a, b, r in zip(x, y, republic)}
        borders = []
        for (a, b), r in where.items():
            right, below = where.get((a + 1, b)), where.get((a, b + 1))
            if right is not None and right != r:
                borders.append((a + 0.5, b - 0.5, a + 0.5, b + 0.5))
            if below is not None and below != r:
                borders.append((a - 0.5, b + 0.5, a + 0.5, b + 0.5))
        return cls(int(x.max()) + 1, int(y.max()) + 1, tuple(x.tolist()), tuple(y.tolist()), titles, tuple(labels),
                   tuple(borders))


def map_cells(layout: MapLayout, stance) -> list[dict]:
    """One cell per region: position and stance; the tooltip names the region and its stance."""
    stance = np.asarray(stance).tolist()
    return [{"name": f"{layout.titles[i]}: {STANCE_LABELS[s]}", "value": [layout.x[i], layout.y[i], s]}
            for i, s in enumerate(stance)]


def student_dots(layout: MapLayout, rows) -> list[dict]:
    """A dot on each playing student's region: filled once they have answered, hollow before."""
    return [{"name": f"{row.name}: {'answered' if row.answered else 'waiting'} ({row.region_name})",
             "value": [layout.x[row.region], layout.y[row.region]],
             "itemStyle": {"color": "#000000" if row.answered else "#ffffff", "borderColor": "#000000",
                           "borderWidth": 2}}
            for row in rows if row.active]


def map_option(layout: MapLayout, stance, rows, file_stem: str) -> dict:
    return {
        "animation": False,
        "aria": {"enabled": True, "label": {"description": "Map of the regions coloured by stance"}},
        "textStyle": {"fontSize": FONT},
        "toolbox": _toolbox(file_stem),
        "tooltip": {"trigger": "item", "formatter": "{b}", "textStyle": {"fontSize": FONT}},
        "grid": {"left": 2, "right": 2, "top": 28, "bottom": 2},
        # category axes place the tiles; value axes over the same grid place borders and labels
        "xAxis": [{"type": "category", "data": list(range(layout.width)), "show": False},
                  {"type": "value", "min": -0.5, "max": layout.width - 0.5, "show": False}],
        "yAxis": [{"type": "category", "data": list(range(layout.height)), "show": False, "inverse": True},
                  {"type": "value", "min": -0.5, "max": layout.height - 0.5, "show": False, "inverse": True}],
        "visualMap": {"type": "piecewise", "dimension": 2, "seriesIndex": 0, "orient": "horizontal", "left": 0,
                      "top": 0, "itemGap": 16, "textStyle": {"fontSize": FONT},
                      "pieces": [{"value": s, "label": STANCE_LABELS[s], "color": c}
                                 for s, c in STANCE_COLOURS.items()]},
        "series": [
            {"type": "heatmap", "id": "regions", "name": "regions", "data": map_cells(layout, stance),
             "itemStyle": {"borderColor": "#ffffff", "borderWidth": 1}},
            {"type": "lines", "id": "borders", "coordinateSystem": "cartesian2d", "silent": True, "z": 4,
             "xAxisIndex": 1, "yAxisIndex": 1, "lineStyle": {"color": "#1a1a1a", "width": 2, "opacity": 1},
             "data": [{"coords": [[x1, y1], [x2, y2]]} for x1, y1, x2, y2 in layout.borders]},
            {"type": "scatter", "id": "republics", "silent": True, "symbolSize": 0, "z": 5, "xAxisIndex": 1,
             "yAxisIndex": 1, "data": [{"name": code, "value": [x, y]} for code, x, y in layout.labels],
             "label": {"show": True, "formatter": "{b}", "color": "#000000", "fontWeight": "bold",
                       "fontSize": FONT - 1, "textBorderColor": "#ffffff", "textBorderWidth": 3}},
            {"type": "scatter", "id": "students", "name": "students", "symbol": "circle", "symbolSize": 11, "z": 6,
             "data": student_dots(layout, rows)},
        ],
    }


# ------------------------------------------------------------------------------ over time
def year_to_date(year: float) -> str:
    """A decimal year as an ISO date for ECharts' time axis (1989.25 -> "1989-04-01")."""
    whole = int(year // 1)
    month = int(round((year - whole) * 12))
    if month >= 12:
        whole, month = whole + 1, 0
    return f"{whole:04d}-{month + 1:02d}-01"


def _pairs(years, values) -> list[list]:
    return [[year_to_date(x), v] for x, v in zip(years, values)]


def _event_marks(events) -> dict:
    """The scenario's dated events as numbered dashed lines (hover for the text)."""
    return {"silent": False, "symbol": "none", "lineStyle": {"color": EVENT_COLOUR, "type": "dashed", "width": 1},
            "label": {"formatter": "{b}", "position": "end", "fontSize": FONT - 1, "color": EVENT_COLOUR},
            "tooltip": {"formatter": "{c}"},
            "data": [{"xAxis": year_to_date(e.year), "name": str(i + 1), "value": e.label}
                     for i, e in enumerate(events)]}


def _frame(start: float, end: float, file_stem: str, top: int) -> dict:
    return {
        "animation": False, "textStyle": {"fontSize": FONT}, "toolbox": _toolbox(file_stem),
        "legend": {"top": 0, "left": 0, "right": 40, "textStyle": {"fontSize": FONT}},
        "tooltip": {"trigger": "axis", "textStyle": {"fontSize": FONT}},
        "grid": {"left": 44, "right": 16, "top": top, "bottom": 28},
        "xAxis": {"type": "time", "min": year_to_date(start), "max": year_to_date(end),
                  "axisLabel": {"fontSize": FONT, "formatter": "{yyyy}"}, "splitLine": {"show": False}},
        "yAxis": {"type": "value", "min": 0, "max": 1, "axisLabel": {"fontSize": FONT}},
    }


def indicators_option(series, events, start: float, end: float, file_stem: str) -> dict:
    """Cohesion and its parts in the class's run."""
    lines = [{"type": "line", "id": key, "name": label, "showSymbol": False, "color": colour, "connectNulls": False,
              "lineStyle": {"width": 3 if key == "cohesion" else 2}, "data": _pairs(series.years, series.values[key])}
             for key, label, colour in INDICATOR_SERIES if key in series.values]
    lines[0]["markLine"] = _event_marks(events)
    return {**_frame(start, end, file_stem, 68), "series": lines}


def indicators_update(series) -> dict:
    return {"series": [{"id": key, "data": _pairs(series.years, series.values[key])}
                       for key, _, _ in INDICATOR_SERIES if key in series.values]}


def runs_option(class_series, model_series, events, start: float, end: float, file_stem: str) -> dict:
    """Cohesion in the class's run (solid) and in the model's own run of the same seed (dashed)."""
    lines = [
        {"type": "line", "id": "class", "name": "Cohesion (the class's run)", "showSymbol": False,
         "color": "#000000", "lineStyle": {"width": 3}, "markLine": _event_marks(events),
         "data": _pairs(class_series.years, class_series.values["cohesion"])},
        {"type": "line", "id": "model", "name": "Cohesion (the model's own run)", "showSymbol": False,
         "color": MODEL_RUN_COLOUR, "lineStyle": {"width": 3, "type": "dashed"},
         "data": _pairs(model_series.years, model_series.values["cohesion"])},
    ]
    return {**_frame(start, end, file_stem, 56), "series": lines}


def runs_update(class_series, model_series) -> dict:
    return {"series": [{"id": "class", "data": _pairs(class_series.years, class_series.values["cohesion"])},
                       {"id": "model", "data": _pairs(model_series.years, model_series.values["cohesion"])}]}
