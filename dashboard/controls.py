"""Run controls: scenario, seed, reset, play/pause, step, speed; the quarter shown large (and
announced to screen readers); messages.

The scenario picker and the run never disagree: picking a scenario starts it at once (with the
seed typed, or the run's own seed when what is typed is not a seed, which the message says);
if it cannot start, the picker goes back to the scenario that runs. A typed seed never waits
silently: Enter starts it, and until then the Reset button says which seed it will start.
"""

from __future__ import annotations

import solara
from solara.alias import rv

from soviet_cohesion import scenarios

from .player import SPEEDS
from .session import SeedError, parse_seed
from .state import TabState


def scenario_items(tr) -> list[dict]:
    """The named scenarios as (title, name) items, in chronological order."""
    items = []
    for name in scenarios.names():
        try:
            title = scenarios.load(name).title
        except Exception:  # a malformed scenario file must not take the page down
            continue
        items.append({"text": tr.get(f"scenario_title.{name}", title), "value": name})
    return items


def speed_text(speed: float) -> str:
    return "½" if speed == 0.5 else f"{speed:g}"


def start_text(state: TabState) -> str:
    """The scenario's start, before any quarter has run: its year ("1985"), or its first quarter
    when it does not start with a year."""
    start = state.session.model.timeline.start
    return state.tr("date.start_year", year=f"{start:g}") if float(start).is_integer() else state.quarter(1)


def quarter_text(state: TabState, step: int) -> str:
    """The quarter of a step as the page shows it ("1986 Q2"); step 0 is the start."""
    return state.quarter(step)


@solara.component
def ScenarioPicker(state: TabState):
    tr = state.tr
    state.run_id.value  # follows a reset
    session = state.session
    items = solara.use_memo(lambda: scenario_items(tr), [state.lang.value])
    widget_ref = solara.use_ref(None)

    def pick(name):
        if name and name != session.scenario:
            typed = state.pending_seed.value
            try:
                parse_seed(typed)
                seed_text = typed
            except SeedError as exc:
                seed_text = str(session.seed)
                kept = tr("message.seed_kept", why=tr(exc.key, **exc.values), seed=session.seed)
            else:
                kept = ""
            if state.reset(scenario=name, seed_text=seed_text) and kept:
                state.message.value = kept
        # the picker shows the scenario that runs, whatever happened
        widget = widget_ref.current
        if widget is not None and widget.v_model != state.session.scenario:
            widget.v_model = state.session.scenario

    select = rv.Select(label=tr("controls.scenario"), items=items, v_model=session.scenario, on_v_model=pick,
                       dense=True, hide_details=True, outlined=True, class_="sc-scenario",
                       attributes={"aria-label": tr("controls.scenario")})

    def keep_widget():
        widget_ref.current = solara.get_widget(select)

    solara.use_effect(keep_widget, [])
    return select


@solara.component
def SeedField(state: TabState, large: bool = False):
    tr = state.tr
    state.run_id.value
    session = state.session
    text = state.pending_seed.value
    try:
        typed = parse_seed(text)
        error = ""
    except SeedError as exc:
        typed, error = None, tr(exc.key, **exc.values)
    differs = typed is not None and typed != session.seed

    def start():
        if typed is not None:
            state.reset(seed_text=text)

    start_ref = solara.use_ref(start)
    start_ref.current = start
    with solara.Row(style={"align-items": "flex-start", "gap": "8px"}, classes=["sc-seed-box"]):
        field = rv.TextField(label=tr("controls.seed"), v_model=text,
                             on_v_model=lambda v: state.pending_seed.set(str(v or "")),
                             error_messages=[error] if error else [],
                             hint=tr("controls.seed_hint", seed=typed) if differs else "",
                             persistent_hint=differs, dense=True, outlined=True, class_="sc-seed",
                             attributes={"aria-label": tr("controls.seed"), "inputmode": "numeric"})

        def listen():
            widget = solara.get_widget(field)

            def handler(*_):
                start_ref.current()

            widget.on_event("keyup.enter", handler)
            return lambda: widget.on_event("keyup.enter", handler, remove=True)

        solara.use_effect(listen, [])
        size = {"x_large": True} if large else {}
        label = tr("controls.start_seed", seed=typed) if differs else tr("controls.reset")
        solara.Button(label, icon_name="mdi-restore", on_click=lambda: state.reset(seed_text=text),
                      disabled=bool(error), outlined=True, classes=["sc-reset"], **size)


@solara.component
def RunControls(state: TabState, large: bool = False, compact: bool = False):
    """Scenario picker, seed, Reset, Play/Pause, Step and speed (``compact``: only the buttons
    and the speed, for presentation mode)."""
    tr = state.tr
    playing = state.playing.value
    size = {"x_large": True} if large else {}
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "8px"}, classes=["sc-controls"]):
        if not compact:
            with solara.Div(classes=["sc-scenario-box"]):
                ScenarioPicker(state)
            SeedField(state, large=large)
        solara.Button(tr("controls.pause") if playing else tr("controls.play"),
                      icon_name="mdi-pause" if playing else "mdi-play",
                      on_click=state.toggle_play, color="primary", classes=["sc-play"], **size)
        solara.Button(tr("controls.step"), icon_name="mdi-step-forward", on_click=state.step, outlined=True,
                      classes=["sc-step"], **size)
        with solara.Row(style={"align-items": "center", "gap": "4px"}, classes=["sc-speed"]):
            solara.Text(tr("controls.speed"), style={"font-size": "0.85em"})
            rv.BtnToggle(v_model=SPEEDS.index(state.speed.value) if state.speed.value in SPEEDS else None,
                         on_v_model=lambda i: state.set_speed(SPEEDS[i]) if i is not None else None,
                         mandatory=True, dense=True, class_="sc-speed-buttons",
                         children=[rv.Btn(children=[speed_text(s)], small=True, class_=f"sc-speed-{speed_text(s)}",
                                          attributes={"aria-label": tr("controls.speed_option", speed=speed_text(s))})
                                   for s in SPEEDS])


@solara.component
def YearBanner(state: TabState, large: bool = False):
    """The quarter shown, in large type (announced to screen readers when it changes), with the
    progress underneath: how far the run is, how fast it really plays, or the quarter the
    timeline looks back at."""
    tr = state.tr
    state.tick.value  # redraw after every step
    view = state.view.value
    session = state.session
    step = state.view_step
    model = session.model
    if step == 0:
        progress = tr("progress.ready", total=model.n_steps)
    elif not state.live:
        progress = tr("progress.looking_back", step=step, total=model.n_steps, now=state.quarter(session.steps))
    elif not model.running:
        progress = tr("progress.ended", step=step, total=model.n_steps)
    else:
        progress = tr("progress.step", step=step, total=model.n_steps)
    rate = state.player.rate if state.playing.value else None
    if rate is not None:
        progress += " · " + tr("progress.rate", rate=f"{rate:.1f}", asked=speed_text(state.speed.value))
    with solara.Column(gap="0px", classes=["sc-year-banner"], style={"align-items": "flex-end"}):
        # before the first quarter the start is shown as a year (1985), so that the first step
        # changes the label (and a screen reader announces it)
        rv.Html(tag="div", children=[quarter_text(state, step) if step else start_text(state)],
                class_="sc-year" + ("" if view is None else " sc-year-past"),
                attributes={"aria-live": "polite", "aria-atomic": "true"})
        solara.Text(progress, classes=["sc-progress"])


@solara.component
def MessageBar(state: TabState):
    """The last problem (bad input, an error in a step), in words; dismissable."""
    text = state.message.value
    if text:
        with solara.Row(classes=["sc-message"], style={"align-items": "center"}):
            solara.Error(text, icon=True, dense=True, attributes={"role": "alert"})
            solara.Button(state.tr("controls.dismiss"), text=True, on_click=lambda: state.message.set(""))
