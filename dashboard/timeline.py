"""The timeline: step back or drag to any quarter already run, and see the map, the
explanations, the charts and the log as they were then; bookmarks to come back to a quarter.

Pressing Play or Step, or moving a lever, returns to the latest quarter (the run itself never
goes back: a new run from an earlier quarter is a Reset, or a comparison)."""

from __future__ import annotations

import solara
from solara.alias import rv

from .levers import use_user_event
from .state import TabState


@solara.component
def Timeline(state: TabState):
    tr = state.tr
    state.tick.value
    state.lang.value
    marks = state.marks.value
    history = state.session.history
    last = history.last_step
    shown = state.view_step
    live = state.live

    def moved(value):
        if value is not None:
            state.show(int(round(float(value))))

    with solara.Card(tr("timeline.title"), margin=0, classes=["sc-card", "sc-timeline"]):
        with solara.Row(style={"align-items": "center", "gap": "6px", "flex-wrap": "wrap"}):
            solara.Button(icon_name="mdi-chevron-left", on_click=lambda: state.show(max(shown - 1, 0)),
                          disabled=shown == 0, text=True, classes=["sc-back"],
                          attributes={"aria-label": tr("timeline.back")})
            slider = rv.Slider(v_model=shown, min=0, max=max(last, 1), step=1, dense=True, hide_details=True,
                               disabled=last == 0, class_="sc-scrubber", style_="flex: 1 1 160px; min-width: 140px;",
                               attributes={"aria-label": tr("timeline.aria"),
                                           "aria-valuetext": state.quarter(shown) if shown else tr("timeline.start")})
            use_user_event(slider, "change", moved)
            solara.Button(icon_name="mdi-chevron-right", on_click=lambda: state.show(shown + 1),
                          disabled=live, text=True, classes=["sc-forward"],
                          attributes={"aria-label": tr("timeline.forward")})
            solara.Button(tr("timeline.now"), on_click=lambda: state.show(None), disabled=live, text=True,
                          classes=["sc-now"])
        with solara.Row(style={"align-items": "center", "gap": "6px", "flex-wrap": "wrap"}):
            solara.Text(tr("timeline.showing_now") if live else
                        tr("timeline.showing_past", quarter=state.quarter(shown) if shown else tr("timeline.start")),
                        classes=["sc-timeline-status"])
            marked = shown in marks
            solara.Button(tr("timeline.unmark") if marked else tr("timeline.mark"),
                          icon_name="mdi-bookmark" if marked else "mdi-bookmark-outline",
                          on_click=lambda: state.toggle_mark(shown), text=True, classes=["sc-mark"])
            for step in marks:
                solara.Button(state.quarter(step) if step else tr("timeline.start"), icon_name="mdi-bookmark",
                              on_click=lambda step=step: state.show(step), small=True, outlined=True,
                              classes=["sc-bookmark"], attributes={"aria-label": tr(
                                  "timeline.go_mark", quarter=state.quarter(step) if step else tr("timeline.start"))})
