"""The state of one browser tab: its run, its player, and the reactive values the page reads.

``use_tab_state()`` is called once in the page component, so every tab (every virtual kernel)
gets its own :class:`TabState`; nothing is built at module level. Components subscribe to what
they show by reading ``.value``: ``tick`` (bumped after every change of the run), ``view`` (the
quarter the timeline shows), ``run_id`` (a new run or comparison), ``lang``, one reactive per
lever; a component that does not read ``tick`` is not redrawn when the run steps.

Every action a visitor can take goes through :meth:`TabState.attempt`, which turns any error
into a one-line message on the page (in the page's language) instead of a traceback.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import reacton.core
import solara

from soviet_cohesion import scenarios

from . import address
from .band import SeedBand
from .i18n import catalogue, languages
from .player import DEFAULT_SPEED, Player, _current_kernel_context
from .session import ALL_LEVERS, RunSession, SeedError, parse_seed

logger = logging.getLogger(__name__)

#: while playing, the address is rewritten at most this often (seconds)
ADDRESS_EVERY = 1.0
#: the model's log entries that are the republics' and the union's own acts: a republic's
#: declaration, the union's dissolution (bold in the log, and a stop in lesson mode)
UNION_KINDS = ("declaration", "dissolution")


@dataclass
class Stop:
    """A pause of the guided lesson: the quarter, the scenario's events then, the questions."""

    step: int
    events: list[str]
    questions: list  # scenarios.LessonQuestion
    acts: list[dict] = field(default_factory=list)  # the model's declarations and dissolution then (log entries)


@dataclass
class BandState:
    status: str = "idle"  # idle, running, done, failed
    done: int = 0
    total: int = 0
    result: Any = None  # band.BandResult
    error: str = ""


class Problem(Exception):
    """An action a visitor cannot take: a catalogue key and its values (shown as a message)."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(key)


class TabState:
    def __init__(self, session: RunSession, recipe: address.Recipe, batch=None):
        self.session = session
        self.batch = batch or contextlib.nullcontext()
        self._calendar: tuple[Any, address.Calendar] | None = None  # (the model it is for, its calendar)
        r = solara.reactive
        self.tick = r(0)  # bumped after every change of the run
        self.playing = r(False)
        self.selected: solara.Reactive[int | None] = r(None)  # region clicked on the map
        self.presentation = r(recipe.presentation)
        self.message = r("")  # the last problem, in words ("" for none)
        self.speed = r(float(DEFAULT_SPEED))
        self.run_id = r(0)  # a new run, or the comparison starts or stops
        self.log_version = r(0)  # the event log grew
        self.lang = r(recipe.lang)
        self.view: solara.Reactive[int | None] = r(None)  # the step the timeline shows (None: the latest)
        self.marks = r(list(recipe.marks))  # bookmarked steps
        self.lesson = r(recipe.lesson)  # guided lesson mode
        self.stop: solara.Reactive[Stop | None] = r(None)  # the lesson's pause on screen
        self.band = r(BandState())
        self.address = r("")  # the query string that restores this run
        self.pending_seed = r(str(session.seed))  # the seed box's text
        self.levers = {name: r(self.lever_now(name)) for name in ALL_LEVERS}
        self.player = Player(self._advance, self._stopped)
        self._band: SeedBand | None = None
        self._band_mutex = threading.RLock()  # outside a server (tests, scripts) the band's updates take turns
        self._address_at = 0.0
        self._log_seen = self._log_now()
        self._lesson = self._load_lesson()
        self._context = _current_kernel_context()
        if self._context is not None:
            self._context.on_close(self.close)
        self._update_address(force=True)

    # ------------------------------------------------------------------ reading
    @property
    def tr(self):
        return catalogue(self.lang.value)

    @property
    def view_step(self) -> int:
        """The step shown: the one the timeline points at, or the latest."""
        view = self.view.value
        last = self.session.history.last_step
        return last if view is None else max(0, min(int(view), last))

    @property
    def live(self) -> bool:
        return self.view.value is None or self.view.value >= self.session.history.last_step

    def lever_now(self, name: str) -> tuple:
        """(current value, held by the visitor?) of a lever."""
        return self.session.lever_value(name), name in self.session.held_levers

    def recipe(self) -> address.Recipe:
        s = self.session
        comparison = None if s.comparison is None else (s.comparison.lever, s.comparison.value,
                                                         s.comparison.from_step)
        view = self.view.value
        return address.Recipe(
            scenario=s.scenario, seed=s.seed, steps=s.steps, moves=list(s.interventions), comparison=comparison,
            view=None if view is None or view >= s.steps else int(view), marks=list(self.marks.value),
            lang=self.lang.value, presentation=bool(self.presentation.value), lesson=bool(self.lesson.value))

    def quarter(self, step: int) -> str:
        """The quarter step ``step`` ran, as the page writes it ("1986 Q2"); step 0, before the
        first quarter, is written as the first quarter."""
        return self.tr.quarter(self.calendar().quarter(max(int(step), 1)))

    def quarter_of_year(self, year: float) -> str:
        """The quarter that begins at ``year`` (a scenario event's or a question's date)."""
        cal = self.calendar()
        return self.tr.quarter(cal.quarter(max(1, round((year - cal.start) * cal.per_year) + 1)))

    def quarter_ending(self, year: float) -> str:
        """The quarter that ends at ``year`` (the model's year after a step: when an official
        appointed during a step takes office)."""
        cal = self.calendar()
        return self.tr.quarter(cal.quarter(max(1, round((year - cal.start) * cal.per_year))))

    def compact_quarter(self, step: int) -> str:
        """The quarter of a step for file names and the address ("1986Q2")."""
        return self.calendar().quarter(max(int(step), 1))

    def calendar(self) -> address.Calendar:
        """The run's calendar, made once per model (the page asks for it hundreds of times a step,
        and the model's parameter view is built afresh on each call)."""
        model = self.session.model
        if self._calendar is None or self._calendar[0] is not model:
            self._calendar = (model, address.Calendar(model.timeline.start,
                                                      int(model.params.get("steps_per_year", 4))))
        return self._calendar[1]

    # ------------------------------------------------------------------ internals
    def _log_now(self) -> tuple:
        log = self.session.model.event_log
        return id(log), len(log)

    def _load_lesson(self) -> tuple:
        try:
            return scenarios.load_lesson(self.session.scenario)
        except Exception as exc:  # noqa: BLE001 - a broken lesson must not take the run down
            logger.warning("the lesson of %s could not be read: %s", self.session.scenario, exc)
            return ()

    @property
    def lesson_questions(self) -> tuple:
        return self._lesson

    def _update_address(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and self.playing.peek() and now - self._address_at < ADDRESS_EVERY:
            return
        self._address_at = now
        query = address.to_query(self.recipe(), self.calendar())
        if self.address.peek() != query:
            self.address.value = query

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
            self._update_address(force=structural)

    def _stop_here(self) -> Stop | None:
        """The lesson's pause after the step just run: the scenario's events that started in this
        quarter, the republics' declarations and the union's dissolution in it, and the lesson's
        questions dated in it (None if there are none)."""
        model = self.session.model
        step = int(model.steps)
        # this step's entries are the last ones of the log
        now = list(itertools.takewhile(lambda e: e.get("step") == step, reversed(model.event_log)))[::-1]
        events = [e.get("label", "") for e in now if e.get("kind") == "event"]
        acts = [e for e in now if e.get("kind") in UNION_KINDS]
        calendar = self.calendar()
        begins, length = calendar.year_of(step), 1.0 / calendar.per_year
        questions = [q for q in self._lesson if begins - 1e-6 <= q.year < begins + length - 1e-6]
        if not events and not questions and not acts:
            return None
        return Stop(step, events, questions, acts)

    def _advance(self) -> bool:
        more = self.session.step()
        stop = self._stop_here() if self.lesson.peek() else None
        with self.batch:
            if stop is not None:
                self.stop.value = stop
            self._changed()
        return more and stop is None

    def _stopped(self, error: Exception | None) -> None:
        with self.batch:
            self.playing.value = False
            if error is not None:
                self.message.value = self.tr("message.run_stopped", error=str(error))
            self._update_address(force=True)

    def _describe(self, exc: Exception) -> str:
        tr = self.tr
        if isinstance(exc, Problem):
            return tr(exc.key, **exc.values)
        if isinstance(exc, SeedError):
            return tr(exc.key, **exc.values)
        return tr("message.error", error=str(exc))

    def attempt(self, action: Callable[[], Any], what: str = "") -> bool:
        """Run ``action`` (its changes drawn in one redraw); show its error as a message instead
        of raising. True on success."""
        with self.batch:
            try:
                action()
            except Exception as exc:  # every error a visitor can cause ends up here, readably
                if not isinstance(exc, (ValueError, Problem)):
                    logger.exception("dashboard action failed")
                prefix = f"{self.tr('action.' + what)}: " if what else ""
                self.message.value = prefix + self._describe(exc)
                return False
            self.message.value = ""
            return True

    def _forget_band(self) -> None:
        with self._band_mutex:
            if self._band is not None:
                self._band.cancel()
                self._band = None
            if self.band.peek().status != "idle":
                self.band.value = BandState()

    # ------------------------------------------------------------------ actions
    def _go_live(self) -> None:
        if self.view.peek() is not None:
            self.view.value = None

    def step(self) -> None:
        def run():
            self.pause()
            self._go_live()
            self.stop.value = None
            if not self.session.running:
                raise Problem("message.ended")
            self.session.step()
            if self.lesson.peek():
                self.stop.value = self._stop_here()
            self._changed()
        self.attempt(run, "step")

    def play(self) -> None:
        def run():
            if not self.session.running:
                raise Problem("message.ended")
            self._go_live()
            self.stop.value = None
            self.player.play(self.speed.value)
            self.playing.value = True
        self.attempt(run, "play")

    def pause(self) -> None:
        self.player.pause()
        with self.batch:
            self.playing.value = False
            self._update_address(force=True)

    def toggle_play(self) -> None:
        if self.playing.value:
            self.pause()
        else:
            self.play()

    def set_speed(self, speed: float) -> None:
        self.speed.value = float(speed)
        self.player.speed = float(speed)

    def reset(self, scenario: str | None = None, seed_text: Any = None) -> bool:
        """Rebuild the run (with the scenario and the seed as typed); False, with a message and
        the run unchanged, if they are not allowed."""
        def run():
            seed = parse_seed(seed_text) if seed_text is not None else None
            self.pause()
            self._forget_band()
            self.session.reset(scenario, seed)
            self._after_new_run()
        return self.attempt(run, "reset")

    def _after_new_run(self) -> None:
        self._lesson = self._load_lesson()
        self.selected.value = None
        self.view.value = None
        self.stop.value = None
        self.marks.value = []
        self.pending_seed.value = str(self.session.seed)
        self._changed(structural=True)

    def restore(self, recipe: address.Recipe) -> bool:
        """Replay a run from an address (scenario, seed, lever moves, comparison, quarter)."""
        def run():
            from .session import Comparison

            self.pause()
            self._forget_band()
            comparison = None if recipe.comparison is None else Comparison(*recipe.comparison)
            self.session.restore(recipe.scenario, recipe.seed, recipe.moves, comparison, recipe.steps)
            self._after_new_run()
            self.marks.value = [m for m in recipe.marks if m <= self.session.steps]
            if recipe.view is not None and recipe.view < self.session.steps:
                self.view.value = recipe.view
            self._changed(structural=True)
        return self.attempt(run, "restore")

    def set_lever(self, name: str, value: Any) -> None:
        def run():
            self._go_live()
            self.session.set_lever(name, value)
            self._forget_band()
            self._changed()
        self.attempt(run, "lever")

    def compare(self, lever: str, value: Any, from_now: bool) -> None:
        def run():
            self._go_live()
            self.session.compare(lever, value, from_now)
            self._changed(structural=True)
        self.attempt(run, "compare")

    def stop_comparing(self) -> None:
        self.attempt(lambda: (self.session.stop_comparing(), self._changed(structural=True)), "compare")

    def select(self, region: int | None) -> None:
        self.selected.value = region

    def show(self, step: int | None) -> None:
        """Point the timeline at ``step`` (None or the latest step: follow the run)."""
        with self.batch:
            if step is not None:
                step = max(0, min(int(step), self.session.history.last_step))
                if step >= self.session.history.last_step:
                    step = None
            if step is not None and self.playing.peek():
                self.pause()
            self.view.value = step
            self._update_address(force=True)

    def toggle_mark(self, step: int | None = None) -> None:
        step = self.view_step if step is None else int(step)
        marks = list(self.marks.value)
        marks = [m for m in marks if m != step] if step in marks else sorted(marks + [step])
        with self.batch:
            self.marks.value = marks
            self._update_address(force=True)

    def set_lang(self, lang: str) -> None:
        if lang in languages():
            with self.batch:
                self.lang.value = lang
                self.message.value = ""
                self._update_address(force=True)

    def set_presentation(self, on: bool) -> None:
        with self.batch:
            self.presentation.value = bool(on)
            self._update_address(force=True)

    def set_lesson(self, on: bool) -> None:
        with self.batch:
            self.lesson.value = bool(on)
            if not on:
                self.stop.value = None
            self._update_address(force=True)

    def continue_lesson(self) -> None:
        """Close the lesson's pause and play on."""
        with self.batch:
            self.stop.value = None
        if self.session.running:
            self.play()

    # ------------------------------------------------------------------ the seed band
    def start_band(self) -> None:
        """Run the 20 seeds of the band in the background (replacing a band already there)."""
        def run():
            self._forget_band()
            context = _current_kernel_context()
            entered = context if context is not None else contextlib.nullcontext()
            lock = context.lock if context is not None else self._band_mutex
            batch = self.batch

            def in_tab(update):
                def call(*args):
                    with entered, lock, batch:
                        if band is self._band:
                            update(*args)
                return call

            def progress(done, total):
                self.band.value = BandState("running", done, total)

            def finished(result, error):
                if error is not None:
                    self.band.value = BandState("failed", error=str(error))
                else:
                    self.band.value = BandState("done", len(result.seeds), len(result.seeds), result)

            s = self.session
            band = SeedBand(s.scenario, s.seed, s.interventions, world=s.world,
                            on_progress=in_tab(progress), on_done=in_tab(finished))
            self._band = band
            self.band.value = BandState("running", 0, len(band.seeds))
            band.start()
        self.attempt(run, "band")

    def cancel_band(self) -> None:
        with self.batch:
            self._forget_band()

    def close(self) -> None:
        """The tab is gone: stop playing and stop the band."""
        self.player.close()
        if self._band is not None:
            self._band.cancel()


def use_tab_state(search: str | None = None) -> tuple[TabState | None, str]:
    """This tab's state, built on first render from the page's address (returns (None, message)
    if the run cannot be built). ``search`` is the address's query string."""
    render_context = reacton.core.get_render_context(required=False)

    def build():
        recipe, problems = address.from_query(search, languages())
        tr = catalogue(recipe.lang)
        try:
            session = RunSession(recipe.scenario, recipe.seed)
        except Exception as exc:
            logger.exception("could not build the run")
            return None, tr("message.cannot_build", error=str(exc))
        state = TabState(session, recipe, batch=render_context or contextlib.nullcontext())
        if recipe.steps or recipe.moves or recipe.comparison:
            state.restore(recipe)
        elif recipe.marks:
            state.marks.value = []
        message = " ".join(tr(p.key, **p.values) for p in problems)
        if message:
            state.message.value = (state.message.peek() + " " + message).strip()
        return state, ""

    state, failure = solara.use_memo(build, [])

    def stop_on_unmount():
        return lambda: state.close() if state is not None else None

    solara.use_effect(stop_on_unmount, [])
    return state, failure
