"""The debrief as HTML: the tables the debrief page shows, and the printable page (one
self-contained file: the tables and an SVG chart of the two runs, no script, nothing fetched).

Every name a student typed is escaped before it goes into the page.
"""

from __future__ import annotations

import datetime
import html

from .debrief import LETTERS, Debrief
from .seats import choice_label

CLASS_COLOUR, MODEL_COLOUR = "#000000", "#D55E00"


def stop_order_html(debrief: Debrief) -> str:
    rows = []
    for rank, record in enumerate(debrief.stop_order, 1):
        turn, own = record.stopped, record.model_stopped
        if turn is None:
            when, how = "obeyed to the end", ""
        else:
            when = turn.period
            how = (f"chose {choice_label(turn.choice)}" if turn.answered
                   else f"no answer: the official chose {choice_label(turn.model_choice)}")
        model = own.period if own is not None else "never"
        rows.append(f"<tr><td class='cl-num'>{rank if turn is not None else ''}</td><td>{html.escape(record.name)}</td>"
                    f"<td>{html.escape(record.region_name)} ({html.escape(record.republic)})</td>"
                    f"<td>{html.escape(when)}</td><td>{html.escape(how)}</td><td>{html.escape(model)}</td></tr>")
    if not rows:
        return "<p class='cl-muted'>No student has played a quarter yet.</p>"
    return ("<table class='cl-table cl-stop-order'><tr><th>#</th><th>Student</th><th>Region</th>"
            "<th>Stopped obeying</th><th>How</th><th>The model's official would have stopped</th></tr>"
            + "".join(rows) + "</table>")


def choices_grid_html(debrief: Debrief) -> str:
    """Students by quarters: the student's letter over the official's (O obey, H hold back,
    B break away); a quarter they did not answer in italics, a disagreement highlighted."""
    if not debrief.students or not debrief.periods:
        return "<p class='cl-muted'>No quarter has been played yet.</p>"
    steps = range(1, len(debrief.periods) + 1)
    head = "".join(f"<th>{html.escape(p)}</th>" for p in debrief.periods)
    lines = []
    for record in debrief.students:
        by_step = {t.step: t for t in record.turns}
        cells = []
        for step in steps:
            t = by_step.get(step)
            if t is None:
                cells.append("<td></td>")
                continue
            mine = LETTERS[t.decided]
            css = "cl-missed" if not t.answered else ("" if t.same_as_model else "cl-differs")
            title = (f"{choice_label(t.choice) if t.answered else 'no answer'}; official: "
                     f"{choice_label(t.model_choice)}" + ("; caught" if t.caught else ""))
            cells.append(f"<td class='{css}' title='{html.escape(title)}'>{mine}/{LETTERS[t.model_choice]}"
                         f"{'!' if t.caught else ''}</td>")
        agreed = f"{record.agreed}/{record.answered}" if record.answered else "-"
        lines.append(f"<tr><td class='cl-name'>{html.escape(record.name)}</td>{''.join(cells)}"
                     f"<td class='cl-num'>{agreed}</td></tr>")
    return (f"<div class='cl-scroll'><table class='cl-grid'><tr><th>Student</th>{head}<th>Agreed</th></tr>"
            + "".join(lines) + "</table></div>"
            "<p class='cl-muted'>Each cell: the student's choice / the model's official's own choice. O obey, "
            "H hold back, B break away; <i>italics</i>: no answer (the official decided); highlighted: they "
            "differ; !: caught by the auditors. Agreed: quarters answered as the official would have.</p>")


def summary_html(debrief: Debrief) -> str:
    if len(debrief.years) < 2:
        return "<p>The run has not started yet.</p>"
    (cc, mc), (ccomp, mcomp) = debrief.final("cohesion"), debrief.final("compliance")
    answered = sum(r.answered for r in debrief.students)
    agreed = sum(r.agreed for r in debrief.students)
    share = f"{agreed / answered:.0%}" if answered else "-"
    return (f"<p>After {len(debrief.periods)} quarters, cohesion is <b>{cc:.2f}</b> in the class's run and "
            f"<b>{mc:.2f}</b> in the model's own run (compliance {ccomp:.0%} against {mcomp:.0%}). The students "
            f"answered {answered} times and chose what the model's official would have chosen {share} of the time.</p>")


def chart_svg(debrief: Debrief, indicator: str = "cohesion", width: int = 640, height: int = 240) -> str:
    """The two runs' ``indicator`` over time, as an SVG line chart (class: solid, model: dashed)."""
    left, right, top, bottom = 40, 10, 10, 28
    years = list(debrief.years) + list(debrief.model_years)
    if len(years) < 2:
        return ""
    x0, x1 = min(years), max(max(years), min(years) + 0.25)

    def x(year):
        return left + (year - x0) / (x1 - x0) * (width - left - right)

    def y(value):
        return top + (1 - max(0.0, min(1.0, value))) * (height - top - bottom)

    def line(years_, values, colour, dash):
        points = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(years_, values))
        dashes = "stroke-dasharray='6 4' " if dash else ""
        return f"<polyline fill='none' stroke='{colour}' stroke-width='2.5' {dashes}points='{points}'/>"

    grid = "".join(f"<line x1='{left}' x2='{width - right}' y1='{y(v):.1f}' y2='{y(v):.1f}' stroke='#ddd'/>"
                   f"<text x='{left - 6}' y='{y(v) + 4:.1f}' font-size='11' text-anchor='end'>{v:.1f}</text>"
                   for v in (0, 0.25, 0.5, 0.75, 1.0))
    ticks = "".join(f"<text x='{x(t):.1f}' y='{height - 8}' font-size='11' text-anchor='middle'>{t}</text>"
                    for t in range(int(x0) + (0 if x0 == int(x0) else 1), int(x1) + 1))
    legend = (f"<text x='{left + 8}' y='{top + 14}' font-size='12' fill='{CLASS_COLOUR}'>— the class's run</text>"
              f"<text x='{left + 130}' y='{top + 14}' font-size='12' fill='{MODEL_COLOUR}'>"
              "- - the model's own run</text>")
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}' "
            f"role='img' aria-label='{indicator}: the class against the model'>{grid}{ticks}"
            f"{line(debrief.model_years, debrief.model_series[indicator], MODEL_COLOUR, True)}"
            f"{line(debrief.years, debrief.class_series[indicator], CLASS_COLOUR, False)}{legend}</svg>")


PRINT_CSS = """
body { font-family: system-ui, sans-serif; color: #111; margin: 24px; }
h1 { font-size: 1.4rem; margin: 0 0 4px 0; } h2 { font-size: 1.1rem; margin: 18px 0 6px 0; }
.cl-muted { color: #444; font-size: 0.85rem; }
.cl-table, .cl-grid { border-collapse: collapse; font-size: 0.8rem; }
.cl-table td, .cl-table th { border-top: 1px solid #ccc; padding: 2px 6px; text-align: left; }
.cl-grid td, .cl-grid th { border: 1px solid #bbb; padding: 1px 3px; text-align: center; }
.cl-grid td.cl-name { text-align: left; white-space: nowrap; }
.cl-differs { background: #fde8d6; font-weight: 700; }
.cl-missed { color: #777; font-style: italic; }
.cl-num { text-align: right; }
@media print { body { margin: 0; } .cl-grid { font-size: 0.65rem; } }
"""


def printable_page(debrief: Debrief) -> str:
    """The whole debrief as one HTML document, ready to print."""
    today = datetime.date.today().isoformat()
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Debrief: {html.escape(debrief.title)}, seed {debrief.seed}</title>"
        f"<style>{PRINT_CSS}</style></head><body>"
        f"<h1>Soviet cohesion in class: {html.escape(debrief.title)}</h1>"
        f"<div class='cl-muted'>Seed {debrief.seed}; {len(debrief.students)} students; printed {today}.</div>"
        f"{summary_html(debrief)}"
        f"<h2>Cohesion: the class against the model's own run</h2>{chart_svg(debrief)}"
        f"<h2>The order in which students stopped obeying</h2>{stop_order_html(debrief)}"
        f"<h2>Each student's choices beside the model's official</h2>{choices_grid_html(debrief)}"
        "</body></html>")
