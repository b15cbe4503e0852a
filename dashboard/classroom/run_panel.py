"""The teacher's run controls: the quarter in large type, Step, Play/Pause, the timer, who has
answered, when quarters close, whether students pick their region, the debrief, and a restart."""

from __future__ import annotations

import solara
from solara.alias import rv

from soviet_cohesion import scenarios

from .classroom import TIMER_CHOICES
from .countdown import Countdown
from .signals import use_session_version

#: largest seed accepted from the page
MAX_SEED = 2**63 - 1


def parse_seed(text) -> int:
    """A seed typed by the teacher, as a whole number >= 0; ``ValueError`` with a readable message."""
    cleaned = str(text if text is not None else "").strip()
    if not cleaned:
        raise ValueError("The seed is empty: type a whole number such as 1.")
    try:
        seed = int(cleaned)
    except ValueError:
        raise ValueError(f"The seed {cleaned[:20]!r} is not a whole number: type one such as 1 or 42.") from None
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"The seed must be between 0 and {MAX_SEED}.")
    return seed


def scenario_items() -> list[dict]:
    """The named scenarios as (title, name) items; a scenario file that does not load is left out."""
    items = []
    for name in scenarios.names():
        try:
            items.append({"text": scenarios.load(name).title, "value": name})
        except scenarios.ScenarioError:
            continue
    return items


def timer_items() -> list[dict]:
    return [{"text": "no limit" if t is None else f"{t} s", "value": -1 if t is None else t} for t in TIMER_CHOICES]


def progress_text(classroom) -> str:
    model = classroom.model
    if not model.running:
        return f"the run is over ({model.steps} quarters)"
    return f"quarter {classroom.quarter} of {model.n_steps}"


@solara.component
def AnsweredCount(classroom):
    """"Answered: 12 of 30", redrawn alone when a student answers (the rest of the panel is not)."""
    use_session_version(classroom, ("answers", "roster", "quarter"))
    answered, playing_students = classroom.answered_count()
    solara.Text(f"Answered: {answered} of {playing_students}", classes=["cl-answered-count"],
                style={"font-size": "1.4rem", "font-weight": "700"})


@solara.component
def RunPanel(classroom, key: str, attempt):
    """``attempt(action)`` runs a teacher action and shows its error, if any, as a message."""
    use_session_version(classroom, ("quarter", "clock", "pick"))
    router = solara.use_router()
    running = classroom.running
    with solara.Card(margin=0, classes=["cl-card", "cl-run-panel"]):
        with solara.Row(style={"align-items": "baseline", "justify-content": "space-between", "flex-wrap": "wrap"}):
            with solara.Column(gap="0px"):
                solara.Text(classroom.period, classes=["cl-period", "cl-quarter"])
                solara.Text(f"{classroom.model.timeline.title}, seed {classroom.seed}: {progress_text(classroom)}",
                            classes=["cl-muted", "cl-progress"])
            if running and classroom.playing:
                Countdown(classroom.seconds_left(), sum(classroom.version("clock", "quarter")),
                          idle="until everyone has answered")
        with solara.Column(gap="0px"):
            AnsweredCount(classroom)
            if classroom.note:
                solara.Text(classroom.note, classes=["cl-muted", "cl-close-note"])
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "8px"}):
            solara.Button("Step: close the quarter", icon_name="mdi-step-forward", color="primary",
                          disabled=not running, classes=["cl-step"],
                          on_click=lambda: attempt(lambda: classroom.step(key)))
            if classroom.playing:
                solara.Button("Pause", icon_name="mdi-pause", classes=["cl-play"], outlined=True,
                              on_click=lambda: attempt(lambda: classroom.pause(key)))
            else:
                solara.Button("Play", icon_name="mdi-play", classes=["cl-play"], outlined=True, disabled=not running,
                              on_click=lambda: attempt(lambda: classroom.play(key)))
            rv.Select(label="Time per quarter", items=timer_items(),
                      v_model=-1 if classroom.timer is None else classroom.timer,
                      on_v_model=lambda v: attempt(lambda: classroom.set_timer(key, None if v == -1 else v)),
                      dense=True, hide_details=True, outlined=True, style_="max-width: 170px", class_="cl-timer")
            solara.Button("Debrief", icon_name="mdi-clipboard-text-outline", classes=["cl-debrief-link"],
                          color="primary" if not running else None, outlined=running,
                          on_click=lambda: router.push(f"/debrief?key={key}"))
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "14px"}):
            solara.Switch(label="Students pick their region", value=classroom.allow_pick, classes=["cl-allow-pick"],
                          on_value=lambda v: attempt(lambda: classroom.set_allow_pick(key, v)))
            solara.Switch(label="When playing, move on once everyone has answered", value=classroom.early_close,
                          classes=["cl-early-close"],
                          on_value=lambda v: attempt(lambda: classroom.set_early_close(key, v)))


@solara.component
def RestartPanel(classroom, key: str, attempt):
    """Another scenario or seed: the run starts again, the students keep their seats."""
    use_session_version(classroom, ("quarter",))
    scenario = solara.use_reactive(classroom.scenario)
    seed_text = solara.use_reactive(str(classroom.seed))
    items = solara.use_memo(scenario_items, [])
    try:
        parse_seed(seed_text.value)
        seed_error = ""
    except ValueError as exc:
        seed_error = str(exc)

    def restart():
        attempt(lambda: classroom.restart(key, scenario.value, parse_seed(seed_text.value)))

    with solara.Details("Start the run again (another scenario or seed)"):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "8px"}):
            rv.Select(label="Scenario", items=items, v_model=scenario.value, on_v_model=scenario.set, dense=True,
                      hide_details=True, outlined=True, style_="min-width: 240px", class_="cl-scenario")
            solara.InputText("Seed", value=seed_text, continuous_update=True, error=seed_error or False,
                             style={"max-width": "110px"}, classes=["cl-seed"])
            solara.Button("Restart", icon_name="mdi-restore", outlined=True, disabled=bool(seed_error),
                          classes=["cl-restart"], on_click=restart)
        solara.Text("The students keep their seats and regions; the quarters played so far are cleared.",
                    classes=["cl-muted"])
