"""A student's page (``/play?seat=TOKEN``): what their official sees this quarter, and the choice.

The seat token in the address is the student's only credential: a reload, or a page that lost its
connection and comes back, opens the same seat and region. The region never comes from the
address, so no page can choose for another region. The page is redrawn when a quarter closes,
when the clock changes and when the student's own seat changes (not when classmates answer), so
a class of 40 costs the server 40 small redraws per quarter.
"""

from __future__ import annotations

import html

import solara

from soviet_cohesion import Stance

from ..palette import STANCE_COLOURS
from . import settings
from .choice_pad import ChoicePad
from .classroom import ChoiceError
from .countdown import Countdown
from .join_page import query_value
from .seats import choice_label, stance_label
from .signals import connection_probe, current_kernel, page_id, use_session_version
from .views import StudentView


def pct(x: float) -> str:
    return f"{x:.0%}"


def swatch(stance: int) -> str:
    return f"<span class='cl-swatch' style='background:{STANCE_COLOURS[int(stance)]}'></span>"


def situation_html(view: StudentView) -> str:
    """The region's figures for the quarter just run, and the country around it."""
    when = view.last_period or "at the start"
    rows = []
    if view.plan_output is not None:
        plan, output = view.plan_output
        rows.append(("The plan asks for", f"{plan / output:.0%} of your output" if output > 0 else "all of it"))
    rows += [
        ("Your output against the plan", f"covers {pct(view.plan_covered)} of it"),
        ("Shortfall at home (what the region lacks)", pct(view.shortfall)),
        ("Unrest at home", pct(view.unrest)),
        ("Chance of an audit, as you see it",
         pct(view.audit_chance) if view.last_period else "not known before the first quarter"),
        ("The centre's punishment", pct(view.punishment)),
        ("The centre's authority", pct(view.authority)),
        ("Regions of the country no longer obeying", pct(view.country_not_obeying)),
    ]
    body = "".join(f"<tr><td>{html.escape(a)}</td><td class='cl-num'>{html.escape(b)}</td></tr>" for a, b in rows)
    extra = ""
    if view.republic_line:
        extra += f"<p class='cl-republic'>{html.escape(view.republic_line)}</p>"
    if view.allegiance:
        extra += f"<p>Your region answers to {html.escape(view.allegiance)}.</p>"
    return (f"<div class='cl-situation'><div class='cl-muted'>Your region, {html.escape(when)}: "
            f"{swatch(view.stance)}{html.escape(stance_label(view.stance))}</div>"
            f"<table class='cl-facts'>{body}</table>{extra}</div>")


def neighbours_html(view: StudentView) -> str:
    if not view.neighbours:
        return "<p class='cl-muted'>Your region has no neighbours on the map.</p>"
    items = "".join(f"<li>{swatch(n.stance)}{html.escape(n.name)}: {html.escape(stance_label(n.stance))}"
                    f"{' (a classmate)' if n.classmate else ''}</li>" for n in view.neighbours)
    return f"<ul class='cl-neighbours'>{items}</ul>"


def news_html(view: StudentView) -> str:
    if not view.news:
        return ""
    return "<ul class='cl-news'>" + "".join(f"<li>{html.escape(line)}</li>" for line in view.news) + "</ul>"


def history_html(turns) -> str:
    """The student's quarters, latest first."""
    if not turns:
        return "<p class='cl-muted'>No quarter played yet.</p>"
    rows = []
    for turn in reversed(turns):
        own = choice_label(turn.model_choice)
        choice = choice_label(turn.choice) if turn.answered else f"no answer (official: {own})"
        what = "dismissed" if turn.replaced else "caught" if turn.caught else "audited" if turn.audited else ""
        rows.append(f"<tr><td>{html.escape(turn.period)}</td><td>{html.escape(choice)}</td>"
                    f"<td>{swatch(turn.stance)}{html.escape(stance_label(turn.stance))}</td><td>{what}</td></tr>")
    return ("<table class='cl-facts cl-history'><tr><th>Quarter</th><th>You</th><th>Region</th><th>Audit</th></tr>"
            + "".join(rows) + "</table>")


def summary_text(view: StudentView) -> str:
    """The student's run in two sentences (shown at the end)."""
    turns = view.history
    if not turns:
        return "You did not play a quarter in this run."
    obeyed = sum(t.decided == int(Stance.OBEYING) for t in turns)
    model_obeyed = sum(t.model_choice == int(Stance.OBEYING) for t in turns)
    same = sum(t.same_as_model for t in turns if t.answered)
    answered = sum(t.answered for t in turns)
    return (f"You played {len(turns)} quarters and obeyed in {obeyed}; your official, left to itself, "
            f"would have obeyed in {model_obeyed}. In {same} of the {answered} quarters you answered, you chose "
            f"what it would have chosen.")


def header_html(view: StudentView) -> str:
    return (f"<div class='cl-who'>{html.escape(view.name)}: {html.escape(view.region_name)} "
            f"({html.escape(view.republic)})</div><div class='cl-muted'>Your official: "
            f"{html.escape(view.official_type)}. {html.escape(view.scenario_title)}.</div>")


def note_html(text: str, kind: str, css: str) -> str:
    """A coloured note (the quarter's outcome, a refused click, the end)."""
    return f"<div class='cl-note cl-note-{kind} {css}'>{html.escape(text)}</div>"


def notes_html(view: StudentView, problem: str) -> str:
    parts = []
    if view.outcome:
        parts.append(note_html(view.outcome, view.outcome_kind, "cl-outcome"))
    if problem:
        parts.append(note_html(problem, "error", "cl-problem"))
    if view.phase == "freed":
        parts.append(note_html("The teacher has freed your seat: the model plays your region now.", "warning",
                               "cl-freed"))
    elif view.phase == "ended":
        parts.append(note_html("The run is over. " + summary_text(view), "success", "cl-ended"))
    else:
        tail = " (you may change it until the quarter closes)" if view.answer is not None else ":"
        parts.append(f"<div class='cl-ask'>Your choice for {html.escape(view.period)}{tail}</div>")
    return "".join(parts)


def body_html(view: StudentView) -> str:
    return (f"<section class='cl-section'><h3>Your region and the country</h3>{situation_html(view)}"
            f"{news_html(view)}</section>"
            f"<section class='cl-section'><h3>What your neighbours did</h3>{neighbours_html(view)}</section>")


@solara.component
def History(turns: tuple):
    with solara.Details("Your quarters so far"):
        solara.HTML(tag="div", unsafe_innerHTML=history_html(turns))


@solara.component
def NotInClass(message: str):
    with solara.Column(classes=["cl-page", "cl-student"]):
        solara.Error(message, classes=["cl-not-in-class"])
        with solara.Link("/"):
            solara.Button("Join the class", color="primary")


@solara.component
def StudentPage():
    router = solara.use_router()
    token = query_value(router.search, "seat")
    classroom = settings.current()
    use_session_version(classroom, ("quarter", "clock", "seats"))
    mine = solara.use_reactive(0)  # bumped by this page's own choices
    problem = solara.use_reactive("")
    page = solara.use_memo(page_id, [])

    def presence():
        classroom.page_opened(token, page, connection_probe())
        context = current_kernel()
        if context is not None:  # a page culled by the server counts as closed
            context.on_close(lambda: classroom.page_closed(token, page))
        return lambda: classroom.page_closed(token, page)

    solara.use_effect(presence, [token])
    view = classroom.student_view(token)
    _ = mine.value
    # the history changes once a quarter: its element is kept between redraws (and not redrawn)
    turns = view.history if view is not None else ()
    history = solara.use_memo(lambda: History(turns), [len(turns), view.region if view else None])
    if view is None:
        NotInClass("This address is not a seat in the class (perhaps the class was started again). "
                   "Join with the class's code.")
        return

    def choose(stance):
        try:
            classroom.choose(token, stance, quarter=view.quarter)
            problem.value = ""
        except ChoiceError as exc:
            problem.value = str(exc)
        mine.value += 1

    playing = view.phase in ("choosing", "answered")
    with solara.Column(classes=["cl-page", "cl-student"], gap="8px"):
        solara.HTML(tag="div", unsafe_innerHTML=header_html(view))
        with solara.Row(style={"align-items": "baseline", "justify-content": "space-between"}):
            solara.Text(view.period, classes=["cl-period", "cl-quarter"])
            if playing:
                Countdown(view.seconds_left, view.clock_version, idle="the teacher will close it")
        solara.HTML(tag="div", unsafe_innerHTML=notes_html(view, problem.value))
        if playing:
            ChoicePad(view.answer, choose)
        solara.HTML(tag="div", unsafe_innerHTML=body_html(view))
        solara.Column(children=[history], gap="0px")
