"""The quarter's countdown, counted by the browser (see ``countdown.vue``)."""

from __future__ import annotations

import ipyvuetify
import solara
import traitlets


class CountdownWidget(ipyvuetify.VuetifyTemplate):
    template_file = (__file__, "countdown.vue")

    seconds = traitlets.Float(-1.0).tag(sync=True)  # seconds left when sent; < 0: no time limit
    stamp = traitlets.Int(0).tag(sync=True)  # changes whenever the count starts again
    idle = traitlets.Unicode("no time limit").tag(sync=True)  # shown when nothing is counted
    attributes = traitlets.Dict({}).tag(sync=True)


@solara.component
def Countdown(seconds: float | None, stamp: int, idle: str = "no time limit", css: str = "sc-countdown-box"):
    """``seconds`` left (None: not timed), counted down in the browser from the moment it arrives."""
    return CountdownWidget.element(seconds=-1.0 if seconds is None else float(seconds), stamp=int(stamp), idle=idle,
                                   attributes={"class": css})
