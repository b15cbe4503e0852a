"""The printable lesson sheet: one page with the scenario, the seed, the key to the events, the
map at three dates, the charts and the lesson's questions (with room to answer).

"Lesson sheet" builds it from the run as it stands and shows it on the page; "Print" prints
only the sheet (the print stylesheet hides the rest), which the browser's print dialog also
saves as a PDF. It reads in black and white: letters on the tiles, dash patterns on the lines.
The three dates are the first three bookmarks if there are three, else a third, two thirds
and all of the run so far.
"""

from __future__ import annotations

import html

import solara

from soviet_cohesion import scenarios

from . import svg
from .charts import TileLayout, tile_letter
from .palette import INDICATOR_SERIES, STANCE_COLOURS
from .plots import scenario_title
from .state import TabState


def sheet_dates(last: int, marks: list[int]) -> list[int]:
    """Three steps to draw the map at: three bookmarks, else a third, two thirds and the end."""
    chosen = sorted({m for m in marks if 0 <= m <= last})
    if len(chosen) >= 3:
        return chosen[:3]
    if last <= 0:
        return [0]
    picks = sorted({max(1, round(last / 3)), max(1, round(2 * last / 3)), last})
    return picks


def sheet_html(state: TabState, base_url: str = "") -> str:
    tr = state.tr
    session = state.session
    model = session.model
    timeline = model.timeline
    history = session.history
    cal = state.calendar()
    layout = TileLayout.of(model.world)
    last = history.last_step
    letters = {s: tile_letter(s, tr) for s in STANCE_COLOURS}
    e = html.escape

    events = []
    for i, event in enumerate(timeline.events):
        events.append(f"<li><b>{i + 1}</b> {e(state.quarter_of_year(event.year))}: {e(event.label)}</li>")
    maps = "".join(
        svg.tile_map(layout, history.snapshot(step).stance, letters,
                     state.quarter(step) if step else tr("date.start", quarter=state.quarter(0)),
                     codes={code: tr.get(f"republic_code.{code}", code) for code, _, _ in layout.labels},
                     status=history.snapshot(step).status)
        for step in sheet_dates(last, state.marks.value))
    key = e(tr("map.png_key", obeying=tr("stance.0"), managing=tr("stance.1"), autonomous=tr("stance.2"),
                  m=letters[1], a=letters[2])) + "<br>" + e(tr("map.png_republics"))
    marks = [(i + 1, event.year + 1 / cal.per_year) for i, event in enumerate(timeline.events)]
    indicators = svg.line_chart(
        [(tr(f"indicator.{k}"), colour, history.values[k]) for k, colour in INDICATOR_SERIES if k != "reserves"],
        history.years, timeline.start, timeline.end, marks, tr("chart.indicators"))
    stances = svg.line_chart(
        [(tr(f"stance.{s}"), c, [float(v) for v in history.stance_counts[s]]) for s, c in STANCE_COLOURS.items()],
        history.years, timeline.start, timeline.end, marks, tr("chart.stances"), y_max=float(model.world.n))
    try:
        lesson = scenarios.load_lesson(session.scenario)
    except Exception:  # noqa: BLE001 - a broken lesson leaves the sheet without questions
        lesson = ()
    questions = "".join(
        f"<li><b>{e(state.quarter_of_year(q.year))}</b>: "
        f"{e(q.question)}<div class='sc-sheet-answer'></div></li>" for q in lesson)
    if not questions:
        questions = f"<li>{e(tr('lesson.default_question'))}<div class='sc-sheet-answer'></div></li>"
    moves = "; ".join(f"{tr('lever.' + lever)} = {value if isinstance(value, bool) else f'{value:.2f}'} "
                      f"({tr('sheet.from', quarter=state.quarter(step + 1))})"
                      for step, lever, value in session.interventions)
    link = f"{base_url}?{state.address.value}" if base_url else f"?{state.address.value}"
    shown = state.quarter(last) if last else tr('date.start', quarter=state.quarter(0))
    return (
        f"<article class='sc-sheet' lang='{e(state.lang.value)}'>"
        f"<header><h1>{e(tr('sheet.title', scenario=scenario_title(state)))}</h1>"
        f"<p>{e(tr('sheet.run', seed=session.seed, quarter=shown, total=model.n_steps, step=last))}"
        f"{(' ' + e(tr('sheet.moves', moves=moves))) if moves else ''}</p>"
        f"<p class='sc-sheet-link'>{e(tr('sheet.link'))} <span>{e(link)}</span></p></header>"
        f"<section class='sc-sheet-maps'><h2>{e(tr('sheet.maps'))}</h2><div class='sc-sheet-key'>{key}</div>"
        f"<div class='sc-sheet-row'>{maps}</div></section>"
        f"<section class='sc-sheet-charts'><div class='sc-sheet-row'>{indicators}{stances}</div></section>"
        f"<section class='sc-sheet-bottom'><div><h2>{e(tr('events.key'))}</h2><ol class='sc-sheet-events'>"
        f"{''.join(events)}</ol></div>"
        f"<div><h2>{e(tr('sheet.questions'))}</h2><ol class='sc-sheet-questions'>{questions}</ol></div></section>"
        f"<footer>{e(tr('sheet.footer'))}</footer></article>"
    )


@solara.component
def SheetPanel(state: TabState, sheet: solara.Reactive, on_print):
    """The lesson sheet as built, with Print and Close (only when asked for)."""
    tr = state.tr
    content = sheet.value
    if not content:
        return
    with solara.Div(classes=["sc-sheet-box"]):
        with solara.Row(classes=["sc-sheet-tools"], style={"gap": "8px"}):
            solara.Button(tr("sheet.print"), icon_name="mdi-printer", on_click=on_print, color="primary",
                          classes=["sc-sheet-print"])
            solara.Button(tr("sheet.close"), on_click=lambda: sheet.set(""), text=True, classes=["sc-sheet-close"])
        solara.HTML(tag="div", unsafe_innerHTML=content, classes=["sc-sheet-html"])
