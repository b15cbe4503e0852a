"""Guided lesson mode: the run pauses at each of the scenario's events, at each republic's
declaration and the union's dissolution, and at each question of its lesson, shows the event
large with a question for the class, and continues on a click.

The questions and the teacher's notes live in the scenario file, beside the narrative
(``[[lesson]]``: year, question, teacher_note; see ``soviet_cohesion.scenarios.load_lesson``).
The teacher's note stays folded, so that a projector shows only the question."""

from __future__ import annotations

import solara

from .event_log import entry_text
from .state import TabState


@solara.component
def LessonSwitch(state: TabState):
    tr = state.tr
    count = len(state.lesson_questions)
    state.run_id.value
    solara.Switch(label=tr("lesson.switch"), value=state.lesson.value, on_value=state.set_lesson,
                  classes=["sc-lesson-switch"])
    if state.lesson.value:
        solara.Text(tr.plural("lesson.count", count), classes=["sc-lesson-count"])


@solara.component
def LessonStop(state: TabState):
    """The lesson's pause, large: the quarter, the scenario's events, the questions, Continue."""
    tr = state.tr
    stop = state.stop.value
    show_note = solara.use_reactive(False)
    if stop is None or not state.lesson.value:
        return
    quarter = state.quarter(stop.step)
    with solara.Card(margin=0, classes=["sc-card", "sc-lesson-stop"],
                     style={"border": "3px solid #000"}):
        solara.Text(tr("lesson.when", quarter=quarter), classes=["sc-lesson-when"])
        for label in stop.events:
            solara.Text(label, classes=["sc-lesson-event"])
        for act in stop.acts:  # a republic's declaration, the union's dissolution (in the page's language)
            solara.Text(entry_text(act, tr), classes=["sc-lesson-event", "sc-lesson-act"])
        if stop.questions:
            for question in stop.questions:
                solara.Text(question.question, classes=["sc-lesson-question"])
        else:
            solara.Text(tr("lesson.default_question"), classes=["sc-lesson-question"])
        notes = [q.teacher_note for q in stop.questions if q.teacher_note]
        with solara.Row(style={"gap": "12px", "align-items": "center", "flex-wrap": "wrap"}):
            solara.Button(tr("lesson.continue") if state.session.running else tr("lesson.close"),
                          icon_name="mdi-play", on_click=state.continue_lesson, color="primary", x_large=True,
                          classes=["sc-lesson-continue"])
            if notes:
                solara.Button(tr("lesson.hide_note") if show_note.value else tr("lesson.show_note"),
                              on_click=lambda: show_note.set(not show_note.value), text=True,
                              classes=["sc-lesson-note-toggle"])
        if notes and show_note.value:
            for note in notes:
                solara.Text(note, classes=["sc-lesson-note"])
