"""ECharts options (plain dicts) for the tile map and the time plots.

The charts are drawn in the browser by ECharts (shipped by solara-assets, so they work with no
internet); the server only builds these small dicts: a whole chart (``*_option``) once per run,
language or mode, and per step only what changed (``*_update``, merged into the chart by series
id; see ``live_chart.py``).

Options are plain JSON. What needs JavaScript lives in ``live_chart.vue`` and is asked for by
name: ``"sc:axis"`` (the time plots' tooltip: the quarter, the scenario's events of that
quarter, then the values) and ``"sc:letter"`` (the stance's letter on each tile, so the map
reads in greyscale). Each option carries a ``scMeta`` table for the widget (removed before
ECharts sees it): the quarters and events for the tooltip, the PNG's title and file name, the
text alternative, and for the map the tile grid for keyboard navigation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .palette import BAND_COLOUR, COUNTERFACTUAL_COLOUR, EVENT_COLOUR, INDICATOR_SERIES, STANCE_COLOURS


def _font(presentation: bool) -> int:
    return 20 if presentation else 13


# ------------------------------------------------------------------------------ tile map
@dataclass(frozen=True)
class TileLayout:
    """What the map needs of a world that never changes during a run (built once per run)."""

    width: int
    height: int
    x: tuple[int, ...]
    y: tuple[int, ...]
    names: tuple[str, ...]  # region names
    republics: tuple[str, ...]  # republic name per region
    labels: tuple[tuple[str, float, float], ...]  # (republic code, x, y): where its code is written
    borders: tuple[tuple[float, float, float, float], ...]  # tile edges between two republics
    under_codes: frozenset[int] = frozenset()  # regions whose tile a republic code covers (no letter there)
    republic_index: tuple[int, ...] = ()  # republic per region (index into the world's republics)
    outlines: tuple[tuple[tuple[float, float, float, float], ...], ...] = ()  # each republic's outer edges
    label_republic: tuple[int, ...] = ()  # republic index of each entry of ``labels``

    @classmethod
    def of(cls, world) -> "TileLayout":
        x = np.asarray(world.tile_x, dtype=int)
        y = np.asarray(world.tile_y, dtype=int)
        x, y = x - x.min(), y - y.min()
        republic = np.asarray(world.republic, dtype=int)
        republics = tuple(str(world.republic_names[r]) for r in republic.tolist())
        labels = label_positions(x, y, republic, world.republic_codes)
        codes = [str(c) for c in world.republic_codes]
        return cls(int(x.max()) + 1, int(y.max()) + 1, tuple(x.tolist()), tuple(y.tolist()),
                   tuple(str(n) for n in world.names), republics, labels,
                   _republic_borders(x.tolist(), y.tolist(), republic.tolist()), under_labels(x, y, labels),
                   tuple(republic.tolist()), _republic_outlines(x.tolist(), y.tolist(), republic.tolist(), len(codes)),
                   tuple(codes.index(code) for code, _, _ in labels))

    @property
    def aspect_ratio(self) -> float:
        return self.width / self.height


def label_positions(x, y, republic, codes) -> tuple[tuple[str, float, float], ...]:
    """Where to write each republic's code: on one of its own tiles, as far as it can be from the
    codes already placed (the largest republics first), then nudged half a tile apart from a
    code on the row above or below, so that neighbours' codes (ARM and AZE, LAT and LIT) never
    touch."""
    members = {r: np.flatnonzero(republic == r) for r in range(len(codes))}
    order = sorted((r for r in members if members[r].size), key=lambda r: -members[r].size)
    placed: list[list] = []
    for r in order:
        tiles = members[r]
        cx, cy = x[tiles].mean(), y[tiles].mean()
        centrality = (x[tiles] - cx) ** 2 + (y[tiles] - cy) ** 2
        if placed:
            gaps = np.min([(x[tiles] - px) ** 2 / 4 + (y[tiles] - py) ** 2 for _, px, py in placed], axis=0)
            score = np.minimum(gaps, 4.0) * 10 - centrality  # far enough from the others, then central
        else:
            score = -centrality
        best = tiles[int(np.argmax(score))]
        placed.append([str(codes[r]), float(x[best]), float(y[best])])
    for a in placed:
        for b in placed:
            if a is not b and abs(a[1] - b[1]) < 2 and 0 < b[2] - a[2] <= 1.01:
                a[2] -= 0.25  # a is the upper one of a close pair
                b[2] += 0.25
    return tuple((code, px, py) for code, px, py in placed)


def under_labels(x, y, labels) -> frozenset[int]:
    """The tiles a republic's code is written over (about a third of a tile per letter either side
    of its centre): their stance letters are left out, so that code and letters never overprint."""
    covered = set()
    for code, cx, cy in labels:
        half = 0.3 * len(code)
        covered.update(np.flatnonzero((np.abs(x - cx) <= half) & (np.abs(y - cy) < 0.75)).tolist())
    return frozenset(covered)


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


def _republic_outlines(xs, ys, republic, n_republics: int) -> tuple[tuple[tuple[float, float, float, float], ...], ...]:
    """Each republic's outline: the edges of its tiles that no tile of the same republic shares
    (towards another republic or the map's edge), as (x1, y1, x2, y2) in tile units."""
    where = {(x, y): r for x, y, r in zip(xs, ys, republic)}
    edges: list[list[tuple[float, float, float, float]]] = [[] for _ in range(n_republics)]
    for (x, y), r in where.items():
        left, right, top, bottom = x - 0.5, x + 0.5, y - 0.5, y + 0.5
        for dx, dy, edge in ((1, 0, (right, top, right, bottom)), (-1, 0, (left, top, left, bottom)),
                             (0, 1, (left, bottom, right, bottom)), (0, -1, (left, top, right, top))):
            if where.get((x + dx, y + dy)) != r:
                edges[r].append(edge)
    return tuple(tuple(e) for e in edges)


def tile_tooltip(layout: TileLayout, i: int, snapshot, tr) -> str:
    """A tile's tooltip: the region, its stance and official, and the decision in one line."""
    stance = int(snapshot.stance[i])
    terms = snapshot.region(i)
    republic = layout.republics[i]
    lines = [f"{layout.names[i]} ({tr.get(f'republic.{republic}', republic)})",
             f"{tr(f'stance.{stance}')} · {official_type(snapshot.official_type[i], tr)}"]
    if terms:
        from .explain import level

        lines.append(tr("map.tip_dangers", obey=level(terms["risk_of_obeying"] / 1.5, tr),
                        disobey=level(terms["risk_of_disobeying"] / 1.5, tr)))
        lines.append(tr("map.tip_peers", share=f"{terms['peer_share']:.0%}",
                        threshold=f"{terms['peer_threshold']:.0%}"))
    if snapshot.allegiance is not None:
        lines.append(tr(f"map.allegiance.{int(snapshot.allegiance[i])}"))
    if snapshot.countered is not None and bool(snapshot.countered[i]):
        lines.append(tr("map.countered"))
    if snapshot.status is not None and layout.republic_index:
        status = int(snapshot.status[layout.republic_index[i]])
        if status:
            lines.append(tr(f"map.status_tip.{status}"))
    if snapshot.played is not None and bool(snapshot.played[i]):
        lines.append(tr("map.played"))
    return "\n".join(lines)


def tile_letter(stance: int, tr) -> str:
    """The mark written on a tile, so the map reads in greyscale: a light dot for obeying (most of
    the map, most of the time: a letter on every tile would drown the others), the stance's
    letter otherwise."""
    return "·" if stance == 0 else tr(f"stance_letter.{stance}")


def official_type(name: str, tr) -> str:
    return tr.get(f"official_type.{name.replace(' ', '_')}", name)


def map_cells(layout: TileLayout, snapshot, tr, selected: int | None = None) -> list[dict]:
    """One heatmap cell per region: position, stance and tooltip; the selected region outlined."""
    cells = []
    stance = snapshot.stance.tolist()
    for i, (x, y, s) in enumerate(zip(layout.x, layout.y, stance)):
        cell = {"name": tile_tooltip(layout, i, snapshot, tr), "value": [x, y, s]}
        if i in layout.under_codes:
            cell["label"] = {"show": False}
        if i == selected:
            cell["itemStyle"] = {"borderColor": "#000000", "borderWidth": 4}
        cells.append(cell)
    return cells


def map_meta(layout: TileLayout, snapshot, tr, title: str, file: str) -> dict:
    counts = np.bincount(np.asarray(snapshot.stance, dtype=np.int64), minlength=3).tolist()
    alt = tr("alt.map", total=sum(counts), obeying=counts[0], managing=counts[1], autonomous=counts[2])
    if snapshot.status is not None:
        status = np.asarray(snapshot.status)
        countered = 0 if snapshot.countered is None else int(np.count_nonzero(snapshot.countered))
        alt += " " + tr("alt.map_republics", total=len(status), sovereign=int(np.count_nonzero(status == 1)),
                        independent=int(np.count_nonzero(status == 2)), countered=countered)
    return {"title": title, "file": file, "alt": alt}


#: a republic's status -> how its code is written on the map (loyal as before; sovereign in a
#: white box with a dashed frame; independent white on black), so that it reads in greyscale
STATUS_LABELS = {
    1: {"backgroundColor": "#ffffff", "borderColor": "#000000", "borderWidth": 1.5, "borderType": "dashed",
        "padding": [1, 3], "borderRadius": 2},
    2: {"backgroundColor": "#000000", "color": "#ffffff", "textBorderWidth": 0, "borderColor": "#000000",
        "borderWidth": 1.5, "padding": [1, 3], "borderRadius": 2},
}
#: a declared republic's outline under the borders: sovereign a dashed reddish-purple halo,
#: independent a thick black one (dashes and width tell them apart in greyscale)
STATUS_OUTLINES = {
    1: {"color": "#CC79A7", "width": 6, "type": [6, 4], "opacity": 1},
    2: {"color": "#000000", "width": 6, "type": "solid", "opacity": 1},
}
#: the mark in a tile's upper right corner for whom its official answers to, beside its stance:
#: follows its (declared) republic, sides with the centre against it (counter-mobilised), acts alone
ALLEGIANCE_MARKS = {
    "republic": {"symbol": "triangle", "itemStyle": {"color": "#000000", "borderColor": "#ffffff", "borderWidth": 1}},
    "centre": {"symbol": "circle", "itemStyle": {"color": "#ffffff", "borderColor": "#000000", "borderWidth": 2}},
    "alone": {"symbol": "diamond", "itemStyle": {"color": "#000000", "borderColor": "#ffffff", "borderWidth": 1}},
}


def republic_labels(layout: TileLayout, snapshot, tr) -> list[dict]:
    """The republics' codes, each boxed by its republic's status (loyal: as before)."""
    status = snapshot.status
    data = []
    for k, (code, x, y) in enumerate(layout.labels):
        item: dict = {"name": tr.get(f"republic_code.{code}", code), "value": [x, y]}
        if status is not None and layout.label_republic:
            style = STATUS_LABELS.get(int(status[layout.label_republic[k]]))
            if style:
                item["label"] = dict(style)
        data.append(item)
    return data


def declared_outlines(layout: TileLayout, snapshot) -> list[dict]:
    """The outlines of the republics that have declared sovereignty or independence."""
    status = snapshot.status
    if status is None or not layout.outlines:
        return []
    lines = []
    for r, edges in enumerate(layout.outlines):
        style = STATUS_OUTLINES.get(int(status[r]))
        if style:
            lines += [{"coords": [[x1, y1], [x2, y2]], "lineStyle": style} for x1, y1, x2, y2 in edges]
    return lines


def allegiance_marks(layout: TileLayout, snapshot) -> list[dict]:
    """A small mark on the tiles of regions whose allegiance matters: following their republic,
    siding with the centre against their declared republic, or acting alone."""
    allegiance = snapshot.allegiance
    if allegiance is None:
        return []
    countered = snapshot.countered
    marks = []
    for i in np.flatnonzero((np.asarray(allegiance) != 0) | (countered if countered is not None else False)).tolist():
        a = int(allegiance[i])
        kind = "republic" if a == 1 else "alone" if a == 2 else "centre"
        marks.append({"value": [layout.x[i] + 0.27, layout.y[i] - 0.27], **ALLEGIANCE_MARKS[kind]})
    return marks


def status_key(snapshot) -> bytes | None:
    """The republics' status of a snapshot, comparable between steps (None without republics)."""
    return None if snapshot.status is None else bytes(snapshot.status.tobytes())


def map_update(layout: TileLayout, snapshot, tr, selected: int | None, title: str, file: str,
               status_unchanged: bool = False) -> dict:
    """What changes on the map in a step: the cells, the regions' allegiance and, unless the
    republics' status is the one the map already shows (``status_unchanged``: most steps), the
    declared republics' outlines and codes (merged into the chart by series id)."""
    series = [{"id": "regions", "data": map_cells(layout, snapshot, tr, selected)},
              {"id": "allegiance", "data": allegiance_marks(layout, snapshot)}]
    if not status_unchanged:
        series += [{"id": "declared", "data": declared_outlines(layout, snapshot)},
                   {"id": "republics", "data": republic_labels(layout, snapshot, tr)}]
    return {"series": series, "scMeta": map_meta(layout, snapshot, tr, title, file)}


def map_option(layout: TileLayout, snapshot, tr, selected: int | None = None, presentation: bool = False,
               title: str = "", file: str = "map") -> dict:
    """The tile map: one cell per region, coloured by stance and marked with its letter, with the
    republics' borders and codes on top; the legend names the colours and letters."""
    font = _font(presentation)
    cells = map_cells(layout, snapshot, tr, selected)
    letters = [tile_letter(s, tr) for s in STANCE_COLOURS]
    return {
        "animation": False,
        "textStyle": {"fontSize": font},
        # ECharts escapes the name's HTML; the line breaks show through "pre-line"; the tooltip
        # is placed beside the pointer and inside the screen (live_chart.vue), never off its edge
        "tooltip": {"trigger": "item", "formatter": "{b}", "position": "sc:inside-screen", "appendToBody": True,
                    "textStyle": {"fontSize": font, "color": "#000000"},
                    "extraCssText": "white-space: pre-line; max-width: min(300px, 92vw);"},
        "grid": {"left": 2, "right": 2, "top": 2, "bottom": 2},
        # category axes place the tiles; value axes over the same grid (tile centres at whole
        # numbers) place the republic borders and labels, which need fractional positions
        "xAxis": [{"type": "category", "data": list(range(layout.width)), "show": False},
                  {"type": "value", "min": -0.5, "max": layout.width - 0.5, "show": False}],
        "yAxis": [{"type": "category", "data": list(range(layout.height)), "show": False, "inverse": True},
                  {"type": "value", "min": -0.5, "max": layout.height - 0.5, "show": False, "inverse": True}],
        "visualMap": {
            "type": "piecewise", "dimension": 2, "seriesIndex": 0, "show": False,
            "pieces": [{"value": s, "label": tr(f"stance.{s}"), "color": c} for s, c in STANCE_COLOURS.items()],
        },
        "series": [
            {"type": "heatmap", "id": "regions", "name": "regions", "data": cells,
             "itemStyle": {"borderColor": "#ffffff", "borderWidth": 1},
             "label": {"show": True, "formatter": "sc:letter", "color": "#000000", "fontSize": 9,
                       "fontWeight": "bold", "textBorderColor": "#ffffff", "textBorderWidth": 1.5},
             "emphasis": {"itemStyle": {"borderColor": "#000000", "borderWidth": 3}}},
            {"type": "lines", "id": "declared", "name": "declared", "coordinateSystem": "cartesian2d",
             "silent": True, "z": 3, "xAxisIndex": 1, "yAxisIndex": 1,
             "lineStyle": {"width": 6, "opacity": 1}, "data": declared_outlines(layout, snapshot)},
            {"type": "lines", "id": "borders", "name": "borders", "coordinateSystem": "cartesian2d",
             "silent": True, "z": 4,
             "xAxisIndex": 1, "yAxisIndex": 1,
             "lineStyle": {"color": "#1a1a1a", "width": 3 if presentation else 2, "opacity": 1},
             "data": [{"coords": [[x1, y1], [x2, y2]]} for x1, y1, x2, y2 in layout.borders]},
            {"type": "scatter", "id": "republics", "name": "republics", "silent": True, "symbolSize": 0, "z": 6,
             "xAxisIndex": 1, "yAxisIndex": 1,
             "data": republic_labels(layout, snapshot, tr),
             "label": {"show": True, "formatter": "{b}", "color": "#000000", "fontWeight": "bold",
                       "fontSize": font - 1, "textBorderColor": "#ffffff", "textBorderWidth": 3}},
            {"type": "scatter", "id": "allegiance", "name": "allegiance", "silent": True, "z": 5,
             "xAxisIndex": 1, "yAxisIndex": 1, "symbolSize": 7, "data": allegiance_marks(layout, snapshot)},
            # (z 5: over the tiles and borders, under the republics' codes)
        ],
        "scMeta": {"kind": "map", "grid": [layout.width, layout.height], "letters": letters,
                   "tiles": [[x, y] for x, y in zip(layout.x, layout.y)],
                   **map_meta(layout, snapshot, tr, title, file)},
    }


# ------------------------------------------------------------------------------ time plots
def year_to_date(year: float) -> str:
    """A decimal year as an ISO date for ECharts' time axis (1989.25 -> "1989-04-01")."""
    whole = int(year // 1)
    month = int(round((year - whole) * 12))
    if month >= 12:
        whole, month = whole + 1, 0
    return f"{whole:04d}-{month + 1:02d}-01"


def event_levels(years: list[float], start: float, end: float, gap: float = 0.045) -> list[int]:
    """A row for each event's number above the plot, so that close events' numbers never
    overlap: an event goes on the lowest row whose last number is at least ``gap`` of the time
    axis before it."""
    min_gap = (end - start) * gap
    last: list[float] = []
    levels = []
    for year in years:
        for level, previous in enumerate(last):
            if year - previous >= min_gap:
                last[level] = year
                levels.append(level)
                break
        else:
            last.append(year)
            levels.append(len(last) - 1)
    return levels


def event_date(event, per_year: int = 4) -> str:
    """Where an event is drawn: at the point of the quarter it starts in (each point of the
    plots is the state at the end of its quarter, labelled with that quarter)."""
    return year_to_date(event.year + 1 / per_year)


def event_marks(events, start: float, end: float, presentation: bool = False, per_year: int = 4) -> tuple[dict, int]:
    """The scenario's dated events as numbered dashed lines on the time axis, their numbers on
    staggered rows; returns the markLine and the number of rows."""
    levels = event_levels([e.year for e in events], start, end)
    font = _font(presentation) - 1
    data = []
    for i, (e, level) in enumerate(zip(events, levels)):
        data.append({"xAxis": event_date(e, per_year), "name": str(i + 1),
                     "label": {"distance": 3 + level * (font + 3)}})
    mark = {
        "silent": True, "symbol": "none", "animation": False,
        "lineStyle": {"color": EVENT_COLOUR, "type": "dashed", "width": 1},
        "label": {"formatter": "{b}", "position": "end", "fontSize": font, "color": EVENT_COLOUR},
        "data": data,
    }
    return mark, (max(levels) + 1 if levels else 0)


def plot_meta(quarters: dict, events, title: str, file: str, alt: str, per_year: int = 4) -> dict:
    """What the time plots' tooltip needs: each point's quarter and the events of that quarter."""
    by_date: dict[str, list[str]] = {}
    for i, e in enumerate(events):
        by_date.setdefault(event_date(e, per_year), []).append(f"{i + 1}. {e.label}")
    return {"quarters": quarters, "events": by_date, "title": title, "file": file, "alt": alt}


def calendar_series(dates: list[str]) -> dict:
    """An invisible series with a point at every quarter of the scenario, so that the tooltip
    can point at any quarter, future ones included."""
    return {"type": "line", "id": "calendar", "name": "", "data": [[d, None] for d in dates], "showSymbol": False,
            "silent": True, "lineStyle": {"opacity": 0}, "legendHoverLink": False}


def _time_axes(start: float, end: float, font: int, y_max: float | None = 1.0) -> dict:
    y_axis: dict[str, Any] = {"type": "value", "min": 0, "axisLabel": {"fontSize": font}}
    if y_max is not None:
        y_axis["max"] = y_max
    if y_max is not None and y_max > 1:
        y_axis["axisLabel"]["showMaxLabel"] = False  # a count's maximum (166) would print over the tick below it
    return {
        "xAxis": {"type": "time", "min": year_to_date(start), "max": year_to_date(end),
                  "axisLabel": {"fontSize": font, "formatter": "{yyyy}", "hideOverlap": True},
                  "splitLine": {"show": False}},
        "yAxis": y_axis,
    }


def _pairs(years, values) -> list[list]:
    return [[year_to_date(x), v] for x, v in zip(years, values)]


def band_series(band, tr) -> list[dict]:
    """The seed band as a shaded area (low, then the width on top of it, stacked)."""
    if band is None:
        return [{"type": "line", "id": "band_low", "data": []}, {"type": "line", "id": "band_width", "data": []}]
    width = [round(h - lo, 4) for lo, h in zip(band.low, band.high)]
    return [
        {"type": "line", "id": "band_low", "name": "", "stack": "band", "showSymbol": False, "silent": True,
         "lineStyle": {"opacity": 0}, "data": _pairs(band.years, band.low), "z": 1, "legendHoverLink": False},
        {"type": "line", "id": "band_width", "name": tr("chart.band", n=len(band.seeds)), "stack": "band",
         "showSymbol": False, "silent": True, "color": BAND_COLOUR, "lineStyle": {"opacity": 0},
         "areaStyle": {"color": BAND_COLOUR, "opacity": 0.45}, "data": _pairs(band.years, width), "z": 1},
    ]


def _axis_tooltip(font: int) -> dict:
    return {"trigger": "axis", "formatter": "sc:axis", "position": "sc:inside-screen", "appendToBody": True,
            "textStyle": {"fontSize": font, "color": "#000000"},
            "extraCssText": "white-space: normal; max-width: min(340px, 92vw);"}


def _legend(font: int, names: list[str]) -> dict:
    return {"top": 0, "left": 0, "right": 0, "textStyle": {"fontSize": font}, "data": names, "itemGap": 12}


def indicators_option(history, events, start: float, end: float, tr, calendar_dates: list[str],
                      presentation: bool = False, band=None, only_cohesion: bool = False,
                      title: str = "", file: str = "indicators", alt: str = "", quarters: dict | None = None,
                      legend_rows: int = 2, per_year: int = 4) -> dict:
    """Cohesion, compliance, plan fulfilment, authority and reserves over time; the seed band
    around cohesion when there is one."""
    font = _font(presentation)
    width = 4 if presentation else 2
    series = []
    for key, colour in INDICATOR_SERIES:
        if only_cohesion and key != "cohesion":
            continue
        series.append({"type": "line", "id": key, "name": tr(f"indicator.{key}"), "showSymbol": False,
                       "color": colour, "lineStyle": {"width": width + (1 if key == "cohesion" else 0)}, "z": 3,
                       "data": _pairs(history.years, history.values[key])})
    mark, rows = event_marks(events, start, end, presentation, per_year)
    series[0]["markLine"] = mark
    names = [s["name"] for s in series]
    series += band_series(band, tr)
    if band is not None:
        names.append(tr("chart.band", n=len(band.seeds)))
    series.append(calendar_series(calendar_dates))
    top = legend_rows * (font + 10) + rows * (font + 2) + 12
    return {
        "animation": False,
        "textStyle": {"fontSize": font},
        "legend": _legend(font, names),
        "tooltip": _axis_tooltip(font),
        "grid": {"left": 40, "right": 14, "top": top, "bottom": 26},
        **_time_axes(start, end, font),
        "series": series,
        "scMeta": {"kind": "plot", **plot_meta(quarters or {}, events, title, file, alt, per_year)},
    }


def stances_option(history, events, start: float, end: float, n_regions: int, tr, calendar_dates: list[str],
                   presentation: bool = False, title: str = "", file: str = "stances", alt: str = "",
                   quarters: dict | None = None, per_year: int = 4) -> dict:
    """How many regions obey, manage risk, or are autonomous, over time (stacked)."""
    font = _font(presentation)
    series = []
    for stance, colour in STANCE_COLOURS.items():
        series.append({"type": "line", "id": f"stance{stance}", "name": tr(f"stance.{stance}"), "stack": "regions",
                       "showSymbol": False, "color": colour, "lineStyle": {"width": 0},
                       "areaStyle": {"color": colour, "opacity": 0.9},
                       "data": _pairs(history.years, history.stance_counts[stance])})
    mark, rows = event_marks(events, start, end, presentation, per_year)
    series[0]["markLine"] = mark
    names = [s["name"] for s in series]
    series.append(calendar_series(calendar_dates))
    return {
        "animation": False,
        "textStyle": {"fontSize": font},
        "legend": {**_legend(font, names), "icon": "rect"},
        "tooltip": _axis_tooltip(font),
        "grid": {"left": 40, "right": 14, "top": (font + 12) + rows * (font + 2) + 10, "bottom": 26},
        **_time_axes(start, end, font, y_max=n_regions),
        "series": series,
        "scMeta": {"kind": "plot", **plot_meta(quarters or {}, events, title, file, alt, per_year)},
    }


def comparison_option(history, counterfactual_history, counterfactual_label: str, events, start: float,
                      end: float, tr, calendar_dates: list[str], presentation: bool = False, title: str = "",
                      file: str = "comparison", alt: str = "", quarters: dict | None = None, per_year: int = 4) -> dict:
    """The actual and the counterfactual cohesion curves, overlaid."""
    font = _font(presentation)
    width = 4 if presentation else 2
    series = [
        {"type": "line", "id": "actual", "name": tr("compare.this_run"), "showSymbol": False, "color": "#000000",
         "lineStyle": {"width": width}, "data": _pairs(history.years, history.values["cohesion"])},
        {"type": "line", "id": "counterfactual", "name": counterfactual_label, "showSymbol": False,
         "color": COUNTERFACTUAL_COLOUR, "lineStyle": {"width": width, "type": "dashed"},
         "data": _pairs(counterfactual_history.years, counterfactual_history.values["cohesion"])},
    ]
    mark, rows = event_marks(events, start, end, presentation, per_year)
    series[0]["markLine"] = mark
    names = [s["name"] for s in series]
    series.append(calendar_series(calendar_dates))
    return {
        "animation": False,
        "textStyle": {"fontSize": font},
        "legend": {**_legend(font, names), "orient": "vertical"},
        "tooltip": _axis_tooltip(font),
        "grid": {"left": 40, "right": 14, "top": 2 * (font + 10) + rows * (font + 2) + 12, "bottom": 26},
        **_time_axes(start, end, font),
        "series": series,
        "scMeta": {"kind": "plot", **plot_meta(quarters or {}, events, title, file, alt, per_year)},
    }


#: the republics chart's lines: key in ``History.republics``, colour, dash (they differ in dash
#: pattern as well as colour, so the chart reads in greyscale); the count on the right axis
REPUBLIC_SERIES = (
    ("sovereign_share", "#CC79A7", "solid"),
    ("independent_share", "#000000", "dashed"),
    ("counter_mobilised", "#0072B2", "dotted"),
)


def _republic_pairs(history, key: str) -> list[list]:
    """A republics series' points (a model without republics: no values, None rather than NaN,
    which is not JSON)."""
    return _pairs(history.years, [None if v != v else v for v in history.republics[key]])


def republics_option(history, events, start: float, end: float, tr, calendar_dates: list[str],
                     presentation: bool = False, title: str = "", file: str = "republics", alt: str = "",
                     quarters: dict | None = None, per_year: int = 4) -> dict:
    """The population shares in republics that have declared sovereignty and independence (left
    axis, 0 to 1) and the number of regions siding with the centre against their republic (right
    axis)."""
    font = _font(presentation)
    width = 4 if presentation else 2
    series = []
    for key, colour, dash in REPUBLIC_SERIES:
        series.append({"type": "line", "id": key, "name": tr(f"republics_chart.{key}"), "showSymbol": False,
                       "color": colour, "lineStyle": {"width": width, "type": dash},
                       "yAxisIndex": 1 if key == "counter_mobilised" else 0,
                       "data": _republic_pairs(history, key)})
    mark, rows = event_marks(events, start, end, presentation, per_year)
    series[0]["markLine"] = mark
    names = [s["name"] for s in series]
    series.append(calendar_series(calendar_dates))
    axes = _time_axes(start, end, font)
    count_axis = {"type": "value", "min": 0, "minInterval": 1, "splitLine": {"show": False},
                  "axisLabel": {"fontSize": font}}
    return {
        "animation": False,
        "textStyle": {"fontSize": font},
        "legend": {**_legend(font, names), "orient": "vertical"},
        "tooltip": _axis_tooltip(font),
        "grid": {"left": 40, "right": 34, "top": 3 * (font + 10) + rows * (font + 2) + 12, "bottom": 26},
        "xAxis": axes["xAxis"],
        "yAxis": [axes["yAxis"], count_axis],
        "series": series,
        "scMeta": {"kind": "plot", **plot_meta(quarters or {}, events, title, file, alt, per_year)},
    }


def republics_update(history, meta: dict | None = None) -> dict:
    update: dict = {"series": [{"id": key, "data": _republic_pairs(history, key)}
                               for key, _, _ in REPUBLIC_SERIES]}
    if meta:
        update["scMeta"] = meta
    return update


# ------------------------------------------------------------------------------ per-step updates
def indicators_update(history, only_cohesion: bool = False, meta: dict | None = None) -> dict:
    """What changes in the indicators chart in a step: each series' points."""
    update = {"series": [{"id": key, "data": _pairs(history.years, history.values[key])}
                         for key, _ in INDICATOR_SERIES if not only_cohesion or key == "cohesion"]}
    if meta:
        update["scMeta"] = meta
    return update


def stances_update(history, meta: dict | None = None) -> dict:
    update = {"series": [{"id": f"stance{stance}", "data": _pairs(history.years, history.stance_counts[stance])}
                         for stance in STANCE_COLOURS]}
    if meta:
        update["scMeta"] = meta
    return update


def comparison_update(history, counterfactual_history, meta: dict | None = None) -> dict:
    update = {"series": [
        {"id": "actual", "data": _pairs(history.years, history.values["cohesion"])},
        {"id": "counterfactual",
         "data": _pairs(counterfactual_history.years, counterfactual_history.values["cohesion"])},
    ]}
    if meta:
        update["scMeta"] = meta
    return update
