"""The state of one browser tab: its run, its player, and the few reactive values the page reads.

``use_tab_state()`` is called once in the page component, so every tab (every virtual kernel)
gets its own :class:`TabState`; nothing is built at module level. Components subscribe to
``tick`` (bumped after every change of the run) by reading ``tick.value``; a component that
does not read it is not redrawn when the run steps.

Every action a visitor can take goes through :meth:`TabState.attempt`, which turns any error
into a one-line message on the page instead of a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Callable

import reacton.core
import solara

from soviet_cohesion import scenarios

from .player import DEFAULT_SPEED, Player
from .session import ALL_LABELS, RunSession, parse_seed

logger = logging.getLogger(__name__)

DEFAULT_SCENARIO = "gorbachev"
DEFAULT_SEED = 1


@dataclass(eq=False)
class TabState:
    session: RunSession
    tick: solara.Reactive  # int, bumped after every change of the run
    playing: solara.Reactive  # bool
    selected: solara.Reactive  # int | None: the region clicked on the map
    presentation: solara.Reactive  # bool
    message: solara.Reactive  # str: the last problem to show ("" for none)
    speed: solara.Reactive  # float, steps per second
    run_id: solara.Reactive  # int, bumped when the run is rebuilt or the comparison starts or stops
    levers: dict  # lever name -> Reactive[(value, held)], set only when that lever changed
    log_version: solara.Reactive  # int, bumped when the event log grows
    batch: Any = field(default_factory=contextlib.nullcontext)  # groups changes into one redraw
    player: Player = field(init=False)

    def __post_init__(self):
        self.player = Player(self._advance, self._stopped)
        self._log_seen = self._log_now()

    # ------------------------------------------------------------------ internals
    def lever_now(self, name: str) -> tuple:
        """(current value, held by the visitor?) of a lever."""
        return self.session.lever_value(name), name in self.session.held_levers

    def _log_now(self) -> tuple:
        log = self.session.model.event_log
        return id(log), len(log)

    def _changed(self, structural: bool = False) -> None:
        """Tell the components what changed, in one redraw: every step bumps ``tick``; the
        levers, the log and the run's structure only when they changed."""
        with self.batch:
            self.tick.value = self.tick.value + 1
            for name, reactive in self.levers.items():  # only a lever that moved is redrawn
                now = self.lever_now(name)
                if reactive.peek() != now:
                    reactive.value = now
            log = self._log_now()
            if log != self._log_seen:
                self._log_seen = log
                self.log_version.value = self.log_version.value + 1
            if structural:
                self.run_id.value = self.run_id.value + 1

    def _advance(self) -> bool:
        more = self.session.step()
        self._changed()
        return more

    def _stopped(self, message: str | None) -> None:
        with self.batch:
            self.playing.value = False
            if message:
                self.message.value = message

    def attempt(self, action: Callable[[], Any], what: str = "") -> bool:
        """Run ``action`` (its changes drawn in one redraw); show its error as a message instead
        of raising. True on success."""
        with self.batch:
            try:
                action()
            except Exception as exc:  # every error a visitor can cause ends up here, readably
                if not isinstance(exc, ValueError):
                    logger.exception("dashboard action failed")
                prefix = f"{what}: " if what else ""
                self.message.value = f"{prefix}{exc}"
                return False
            self.message.value = ""
            return True

    # ------------------------------------------------------------------ actions
    def step(self) -> None:
        def run():
            self.pause()
            if not self.session.running:
                raise ValueError("The scenario has ended: press Reset to run it again.")
            self.session.step()
            self._changed()
        self.attempt(run, "Step")

    def play(self) -> None:
        def run():
            if not self.session.running:
                raise ValueError("The scenario has ended: press Reset to run it again.")
            self.player.play(self.speed.value)
            self.playing.value = True
        self.attempt(run, "Play")

    def pause(self) -> None:
        self.player.pause()
        with self.batch:
            self.playing.value = False

    def toggle_play(self) -> None:
        if self.playing.value:
            self.pause()
        else:
            self.play()

    def set_speed(self, speed: float) -> None:
        self.speed.value = float(speed)
        self.player.speed = float(speed)

    def reset(self, scenario: str | None = None, seed_text: Any = None) -> bool:
        """Rebuild the run (with the scenario and the seed as typed); False if they are not allowed."""
        def run():
            seed = parse_seed(seed_text) if seed_text is not None else None
            self.pause()
            self.session.reset(scenario, seed)
            self.selected.value = None
            self._changed(structural=True)
        return self.attempt(run, "Reset")

    def set_lever(self, name: str, value: Any) -> None:
        def run():
            self.session.set_lever(name, value)
            self._changed()
        self.attempt(run, "Lever")

    def compare(self, lever: str, value: Any, from_now: bool) -> None:
        def run():
            self.session.compare(lever, value, from_now)
            self._changed(structural=True)
        self.attempt(run, "Compare")

    def stop_comparing(self) -> None:
        self.attempt(lambda: (self.session.stop_comparing(), self._changed(structural=True)), "Compare")

    def select(self, region: int | None) -> None:
        self.selected.value = region


def initial_choice(search: str | None) -> tuple[str, int, str]:
    """The scenario and seed asked for in the page's address (``?scenario=gorbachev&seed=3``),
    with a message when one of them is not allowed (the default is used instead)."""
    query = urllib.parse.parse_qs(search or "")
    scenario = (query.get("scenario") or [DEFAULT_SCENARIO])[0]
    problems = []
    if scenario not in scenarios.names():
        problems.append(f"There is no scenario {scenario[:40]!r} (the address asked for it); "
                        f"showing {DEFAULT_SCENARIO!r}.")
        scenario = DEFAULT_SCENARIO
    seed = DEFAULT_SEED
    if "seed" in query:
        try:
            seed = parse_seed(query["seed"][0])
        except ValueError as exc:
            problems.append(f"{exc} (from the address; using seed {DEFAULT_SEED})")
    return scenario, seed, " ".join(problems)


def wants_presentation(search: str | None) -> bool:
    """``?presentation=1`` in the page's address opens the page in presentation mode."""
    value = (urllib.parse.parse_qs(search or "").get("presentation") or [""])[0]
    return value.strip().lower() in ("1", "true", "yes", "on")


def use_tab_state(search: str | None = None) -> tuple[TabState | None, str]:
    """This tab's state, built on first render (returns (None, message) if the run cannot be
    built). ``search`` is the page address's query string (scenario and seed presets)."""
    tick = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    selected = solara.use_reactive(None)
    presentation = solara.use_reactive(wants_presentation(search))
    scenario, seed, problem = solara.use_memo(lambda: initial_choice(search), [])
    message = solara.use_reactive(problem)
    speed = solara.use_reactive(float(DEFAULT_SPEED))
    run_id = solara.use_reactive(0)
    levers = solara.use_memo(lambda: {name: solara.reactive((None, False)) for name in ALL_LABELS}, [])
    log_version = solara.use_reactive(0)
    render_context = reacton.core.get_render_context(required=False)

    def build():
        try:
            session = RunSession(scenario, seed)
        except Exception as exc:
            logger.exception("could not build the run")
            return None, f"The model could not be built: {exc}"
        state = TabState(session, tick, playing, selected, presentation, message, speed, run_id, levers,
                         log_version, batch=render_context or contextlib.nullcontext())
        for name, reactive in levers.items():
            reactive.set(state.lever_now(name))
        return state, ""

    state, failure = solara.use_memo(build, [])

    def stop_on_unmount():
        return lambda: state.player.close() if state is not None else None

    solara.use_effect(stop_on_unmount, [])
    return state, failure
