"""The three choices a student has each quarter (Obey, Hold back, Break away), as one widget.

One template widget instead of three buttons with their labels: a class's page is redrawn at
every quarter, and this keeps that redraw small. The server decides whether a click counts
(the tick marks the answer it has taken)."""

from __future__ import annotations

from collections.abc import Callable

import ipyvuetify
import solara
import traitlets

from soviet_cohesion import Stance

from .seats import CHOICES

COLOURS = {int(Stance.OBEYING): "#0072B2", int(Stance.MANAGING_RISK): "#B36B00", int(Stance.AUTONOMOUS): "#C24E00"}
CHOICE_ITEMS = [{"value": stance, "label": label, "hint": hint, "colour": COLOURS[stance]}
                for stance, (label, hint) in CHOICES.items()]


class ChoicePadWidget(ipyvuetify.VuetifyTemplate):
    template_file = (__file__, "choice_pad.vue")

    choices = traitlets.List(CHOICE_ITEMS).tag(sync=True)
    answer = traitlets.Int(-1).tag(sync=True)  # the stance taken for this quarter; -1: none yet
    disabled = traitlets.Bool(False).tag(sync=True)
    on_choose = traitlets.Callable(None, allow_none=True)

    def vue_choose(self, value):
        if self.on_choose is not None:
            self.on_choose(value)


@solara.component
def ChoicePad(answer: int | None, on_choose: Callable[[object], None], disabled: bool = False):
    """``on_choose`` gets what the page sent (checked by the session, never trusted)."""
    return ChoicePadWidget.element(answer=-1 if answer is None else int(answer), on_choose=on_choose,
                                   disabled=disabled)
