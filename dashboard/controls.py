"""Run controls: scenario, seed, reset, play/pause, step, speed; the year shown large; messages."""

from __future__ import annotations

import solara
from solara.alias import rv

from soviet_cohesion import scenarios

from .player import SPEEDS
from .session import parse_seed
from .state import TabState


def scenario_items() -> list[dict]:
    """The named scenarios as (title, name) items, in chronological order."""
    items = []
    for name in scenarios.names():
        try:
            items.append({"text": scenarios.load(name).title, "value": name})
        except Exception:  # a malformed scenario file must not take the page down
            continue
    return items


def speed_text(speed: float) -> str:
    return "½" if speed == 0.5 else f"{speed:g}"


@solara.component
def RunControls(state: TabState, large: bool = False):
    """Scenario picker, seed, Reset, Play/Pause, Step and speed."""
    state.run_id.value  # the scenario shown follows a reset
    session = state.session
    seed_text = solara.use_reactive(str(session.seed))
    items = solara.use_memo(scenario_items, [])
    playing = state.playing.value
    try:
        parse_seed(seed_text.value)
        seed_error = ""
    except ValueError as exc:
        seed_error = str(exc)

    def pick_scenario(name):
        if name and name != session.scenario:
            state.reset(scenario=name, seed_text=seed_text.value)

    def reset():
        state.reset(seed_text=seed_text.value)

    size = {"x_large": True} if large else {}
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "8px"},
                    classes=["sc-controls"]):
        rv.Select(label="Scenario", items=items, v_model=session.scenario, on_v_model=pick_scenario,
                  dense=True, hide_details=True, outlined=True, style_="max-width: 340px; min-width: 220px",
                  class_="sc-scenario")
        solara.InputText("Seed", value=seed_text, continuous_update=True, error=seed_error or False,
                         style={"max-width": "110px"}, classes=["sc-seed"])
        solara.Button("Reset", icon_name="mdi-restore", on_click=reset, disabled=bool(seed_error),
                      outlined=True, classes=["sc-reset"], **size)
        solara.Button("Pause" if playing else "Play", icon_name="mdi-pause" if playing else "mdi-play",
                      on_click=state.toggle_play, color="primary", classes=["sc-play"], **size)
        solara.Button("Step", icon_name="mdi-step-forward", on_click=state.step, outlined=True,
                      classes=["sc-step"], **size)
        with solara.Row(style={"align-items": "center", "gap": "4px"}, classes=["sc-speed"]):
            solara.Text("Speed (quarters/s)", style={"font-size": "0.85em"})
            solara.ToggleButtonsSingle(value=state.speed.value, values=list(SPEEDS), on_value=state.set_speed,
                                       dense=True)


@solara.component
def YearBanner(state: TabState, large: bool = False):
    """The period just run, in large type, with the progress underneath."""
    state.tick.value  # redraw after every step
    session = state.session
    with solara.Column(gap="0px", classes=["sc-year-banner"], style={"align-items": "flex-end"}):
        solara.Text(session.period, classes=["sc-year"])
        solara.Text(session.progress, classes=["sc-progress"])


@solara.component
def MessageBar(state: TabState):
    """The last problem (bad input, an error in a step), in words; dismissable."""
    text = state.message.value
    if text:
        with solara.Row(classes=["sc-message"], style={"align-items": "center"}):
            solara.Error(text, icon=True, dense=True)
            solara.Button("Dismiss", text=True, on_click=lambda: state.message.set(""))
