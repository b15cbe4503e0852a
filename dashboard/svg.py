"""Small SVG drawings for the printed lesson sheet: the tile map at one quarter and a line chart.

Printed sheets are often black and white: every tile carries its stance's letter beside its
colour, and the chart's lines differ in dash pattern as well as colour. The drawings are
plain SVG strings built on the server (no script, nothing to load), so the sheet prints the
same from any browser.
"""

from __future__ import annotations

import html

from .palette import EVENT_COLOUR, STANCE_COLOURS

#: dash patterns per line, so that the chart reads in greyscale
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def tile_map(layout, stance, letters: dict, title: str, tile: float = 11.0, codes: dict | None = None,
             status=None) -> str:
    """The map at one quarter: one lettered tile per region, the republics' codes on top; with
    ``status`` (per republic), the declared republics outlined (dashed: sovereignty; thick:
    independence) and their codes boxed as on the page (dashed frame; white on black)."""
    width, height = layout.width * tile, layout.height * tile + 16
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' "
             f"class='sc-sheet-map' role='img' aria-label='{_esc(title)}'>",
             f"<text x='0' y='11' font-size='10' font-weight='bold'>{_esc(title)}</text>"]
    stance = list(stance)
    for x, y, s in zip(layout.x, layout.y, stance):
        px, py = x * tile, y * tile + 16
        parts.append(f"<rect x='{px:.1f}' y='{py:.1f}' width='{tile - 1:.1f}' height='{tile - 1:.1f}' "
                     f"fill='{STANCE_COLOURS.get(int(s), '#999')}'/>")
        parts.append(f"<text x='{px + tile / 2 - 0.5:.1f}' y='{py + tile * 0.72:.1f}' font-size='{tile * 0.62:.1f}' "
                     f"text-anchor='middle' fill='#000' stroke='#fff' stroke-width='0.6' paint-order='stroke'>"
                     f"{_esc(letters.get(int(s), '?'))}</text>" if letters.get(int(s)) else "")
    declared = []
    outlines = getattr(layout, "outlines", ())
    if status is not None and outlines:
        for r, edges in enumerate(outlines):
            s = int(status[r])
            if s:
                path = " ".join(f"M{(x1 + 0.5) * tile:.1f} {(y1 + 0.5) * tile + 16:.1f}"
                                f"L{(x2 + 0.5) * tile:.1f} {(y2 + 0.5) * tile + 16:.1f}" for x1, y1, x2, y2 in edges)
                dash = " stroke-dasharray='3 2'" if s == 1 else ""
                parts.append(f"<path d='{path}' fill='none' stroke='#000' stroke-width='{2.4 if s == 2 else 1.6}'"
                             f"{dash} class='sc-sheet-declared-{s}'/>")
        declared = [int(status[r]) for r in layout.label_republic]
    for k, (code, x, y) in enumerate(layout.labels):
        s = declared[k] if k < len(declared) else 0
        if s:
            text = (codes or {}).get(code, code)
            w, h = tile * 0.5 * len(text) + 3, tile * 0.95
            cx, cy = x * tile + tile / 2, y * tile + 16 + tile * 0.45
            frame = "fill='#000'" if s == 2 else "fill='#fff' stroke-dasharray='2 1'"
            parts.append(f"<rect x='{cx - w / 2:.1f}' y='{cy - h / 2:.1f}' width='{w:.1f}' height='{h:.1f}' "
                         f"{frame} stroke='#000' stroke-width='0.8'/>")
        fill = "#fff" if s == 2 else "#000"
        parts.append(f"<text x='{x * tile + tile / 2:.1f}' y='{y * tile + 16 + tile * 0.7:.1f}' "
                     f"font-size='{tile * 0.72:.1f}' font-weight='bold' text-anchor='middle' fill='{fill}' "
                     f"stroke='{'#000' if s == 2 else '#fff'}' stroke-width='2' paint-order='stroke'>"
                     f"{_esc((codes or {}).get(code, code))}</text>")
    parts.append("</svg>")
    return "".join(parts)


def line_chart(series: list[tuple[str, str, list[float]]], years: list[float], start: float, end: float,
               events: list[tuple[int, float]], title: str, y_max: float = 1.0, width: int = 520,
               height: int = 190) -> str:
    """Lines over time (name, colour, values at ``years``), the events as numbered dashed lines,
    a legend under the title; every line with its own dash pattern."""
    left, right, top, bottom = 30, 8, 34, 18
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(year):
        return left + (year - start) / (end - start) * plot_w

    def py(value):
        return top + plot_h * (1 - max(0.0, min(value / y_max, 1.0)))

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' class='sc-sheet-chart' "
             f"role='img' aria-label='{_esc(title)}'>",
             f"<text x='0' y='11' font-size='11' font-weight='bold'>{_esc(title)}</text>"]
    x: float = left
    for i, (name, colour, _) in enumerate(series):
        dash = DASHES[i % len(DASHES)]
        parts.append(f"<line x1='{x}' y1='22' x2='{x + 18}' y2='22' stroke='{colour}' stroke-width='2' "
                     f"stroke-dasharray='{dash}'/><text x='{x + 22}' y='25' font-size='9'>{_esc(name)}</text>")
        x += 28 + 5.2 * len(name)
    parts.append(f"<rect x='{left}' y='{top}' width='{plot_w}' height='{plot_h}' fill='none' stroke='#000' "
                 f"stroke-width='0.6'/>")
    for fraction in (0.0, 0.5, 1.0):
        parts.append(f"<text x='{left - 3}' y='{py(fraction * y_max) + 3:.1f}' font-size='8' text-anchor='end'>"
                     f"{fraction * y_max:g}</text>")
    first, last = int(start), int(end)
    step = max(1, (last - first) // 8)
    for year in range(first + (0 if first == start else 1), last + 1, step):
        parts.append(f"<text x='{px(year):.1f}' y='{height - 5}' font-size='8' text-anchor='middle'>{year}</text>")
    for number, when in events:
        parts.append(f"<line x1='{px(when):.1f}' y1='{top}' x2='{px(when):.1f}' y2='{top + plot_h}' "
                     f"stroke='{EVENT_COLOUR}' stroke-width='0.6' stroke-dasharray='3 2'/>"
                     f"<text x='{px(when):.1f}' y='{top - 2}' font-size='7' text-anchor='middle'>{number}</text>")
    for i, (_name, colour, values) in enumerate(series):
        points = " ".join(f"{px(t):.1f},{py(v):.1f}" for t, v in zip(years, values) if v == v)
        parts.append(f"<polyline points='{points}' fill='none' stroke='{colour}' stroke-width='1.6' "
                     f"stroke-dasharray='{DASHES[i % len(DASHES)]}'/>")
    parts.append("</svg>")
    return "".join(parts)
