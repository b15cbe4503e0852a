"""The class session: one run of the model shared by the teacher (the centre) and the students
(regional officials), with its own lock.

Everything every page does to the session goes through a method of :class:`Classroom`, which
holds ``lock`` while it reads or changes the run, so that joins, choices, the teacher's step and
the clock's step never interleave. Rules:

* A student joins with the join code and a name and gets a seat: a region (the next free one,
  or the one they pick if the teacher lets them) and a secret token. Only the token chooses for
  that region, and only for the quarter the student's page shows.
* Only the teacher key steps the run, plays or pauses it, sets the timer, moves the centre's
  levers, frees a seat or restarts.
* A quarter closes when the teacher steps, or, while the teacher plays, when its time is up or
  soon after every student has answered; it is run by :class:`runs.ClassRuns` (the students'
  choices go to the model, a student without an answer is left to the model's own official, and
  the model's own run of the same seed steps beside the class's).

Changes are announced through the session's :class:`Broadcaster` by topic ("quarter", "answers",
"roster", "clock", "levers", "seats", "pick"), after the lock is released. The session knows
nothing of Solara.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from soviet_cohesion import Stance, scenarios
from soviet_cohesion import classroom_launcher as launcher

from .allocation import next_free
from .broadcast import Broadcaster
from .clock import QuarterClock
from .codes import new_join_code, new_seat_token, new_teacher_key, normalise_code, same_secret
from .runs import ClassRuns
from .seats import Seat, Turn, clean_name
from .views import student_view

#: seconds per quarter the teacher can choose (None: no limit, the quarter waits for the teacher)
TIMER_CHOICES = (*launcher.TIMER_CHOICES, None)
DEFAULT_TIMER = launcher.DEFAULT_TIMER
#: once every student has answered (while playing), the quarter closes this much later
ALL_ANSWERED_GRACE = 1.5
#: what changed: the quarter (a step or a restart), a student's answer, the class list, the
#: clock (play, pause, timer), a lever, a seat freed (its student must know), the pick setting
TOPICS = ("quarter", "answers", "roster", "clock", "levers", "seats", "pick")


class JoinError(ValueError):
    """A student cannot join (wrong code, bad name, region taken, class full); the message says why."""


class ChoiceError(ValueError):
    """A choice that cannot be taken (quarter closed, run over, seat freed); the message says why."""


class TeacherOnly(PermissionError):
    """Something only the teacher's page may do was asked without the teacher key."""

    def __init__(self, what: str = "That"):
        super().__init__(f"{what} needs the teacher's page (its address holds the teacher key).")


@dataclass(frozen=True)
class RosterRow:
    """One student as the teacher's roster shows them."""

    token: str
    name: str
    region: int
    region_name: str
    republic: str
    answered: bool
    online: bool
    active: bool
    last: Turn | None
    missed: int  # quarters the model's official decided for them


class Classroom:
    """A class session. ``teacher_key`` and ``join_code`` default to fresh random ones;
    ``clock=False`` leaves out the quarter clock (tests step by hand); ``broadcaster`` defaults
    to one with delivery threads."""

    def __init__(self, scenario: str = "gorbachev", seed: int = 1, *, teacher_key: str | None = None,
                 join_code: str | None = None, join_url: str = "", world: str | None = None,
                 timer: int | None = DEFAULT_TIMER, broadcaster: Broadcaster | None = None, clock: bool = True):
        self.lock = threading.RLock()
        self.teacher_key = teacher_key or new_teacher_key()
        self.join_code = normalise_code(join_code) or new_join_code()
        self.join_url = join_url
        self.world_kind = world
        self.broadcaster = broadcaster if broadcaster is not None else Broadcaster()
        self.seats: dict[str, Seat] = {}
        self.allow_pick = False
        self.early_close = True
        self.timer = self._checked_timer(timer)
        self.playing = False
        self.deadline: float | None = None  # time.monotonic() when the open quarter closes
        self.note = ""  # what happened at the last close, for the teacher ("3 did not answer ...")
        self._versions = dict.fromkeys(TOPICS, 0)
        self._start(scenario, seed)
        self._clock = QuarterClock(self.tick) if clock else None

    # ================================================================== the runs
    def _start(self, scenario: str, seed: int) -> None:
        self.runs = ClassRuns(scenario, seed, self.world_kind)

    # the runs' parts, as the pages and the debrief read them
    scenario = property(lambda self: self.runs.scenario)
    seed = property(lambda self: self.runs.seed)
    model = property(lambda self: self.runs.model)
    baseline = property(lambda self: self.runs.baseline)
    history = property(lambda self: self.runs.history)
    baseline_history = property(lambda self: self.runs.baseline_history)
    interventions = property(lambda self: self.runs.interventions)
    order = property(lambda self: self.runs.order)

    @property
    def running(self) -> bool:
        return bool(self.model.running)

    @property
    def n_regions(self) -> int:
        return int(self.model.n_regions)

    @property
    def quarter(self) -> int:
        """The number of the quarter now open (1 for the first); it goes up with every step."""
        return int(self.model.steps) + 1

    @property
    def period(self) -> str:
        """The label of the quarter now open ("1986 Q2"), or of the last one once the run is over."""
        model = self.model
        return model.period_label(model.steps + 1 if model.running else model.steps)

    def version(self, *topics: str) -> tuple[int, ...]:
        """Counters of the given topics (they go up with every change of that kind)."""
        with self.lock:
            return tuple(self._versions[t] for t in topics)

    def _changed(self, *topics: str) -> tuple[str, ...]:
        for topic in topics:
            self._versions[topic] += 1
        return topics

    def _announce(self, topics: tuple[str, ...]) -> None:
        """Publish (outside the lock) and wake the clock."""
        if topics:
            self.broadcaster.publish(*topics)
        if self._clock is not None:
            self._clock.poke()

    # ================================================================== students
    def active_seats(self) -> list[Seat]:
        return [s for s in self.seats.values() if s.active]

    def taken_regions(self) -> set[int]:
        return {s.region for s in self.seats.values() if s.active}

    def free_regions(self) -> list[int]:
        """Regions without a student, in the order they are given out."""
        with self.lock:
            taken = self.taken_regions()
            return [r for r in self.order if r not in taken]

    def join(self, code, name, *, region: int | None = None, browser: str | None = None) -> Seat:
        """Seat a student: the join code as typed, their name, optionally the region they picked
        (only if the teacher lets them pick) and their browser's session id. Raises
        :class:`JoinError` with a message for the student."""
        if not same_secret(normalise_code(code), self.join_code):
            raise JoinError("That is not this class's code: check the number on the projector.")
        try:
            name = clean_name(name)
        except ValueError as exc:
            raise JoinError(str(exc)) from None
        with self.lock:
            if any(s.name.casefold() == name.casefold() for s in self.active_seats()):
                raise JoinError(f"Someone in the class is already called {name!r}: add an initial or a number.")
            taken = self.taken_regions()
            given: int | None
            if region is not None:
                if not self.allow_pick:
                    raise JoinError("In this class the teacher hands out the regions: leave the region empty.")
                if not isinstance(region, int) or isinstance(region, bool) or not 0 <= region < self.n_regions:
                    raise JoinError("There is no such region: pick one from the list.")
                if region in taken:
                    raise JoinError(f"{self.model.world.names[region]} has just been taken: pick another region.")
                given = region
            else:
                given = next_free(self.order, taken)
                if given is None:
                    raise JoinError("Every region already has a student: the class is full.")
            assert given is not None
            token = new_seat_token()
            while token in self.seats:  # pragma: no cover - 96 random bits
                token = new_seat_token()
            seat = Seat(token, name, given, int(self.model.steps), self.period)
            if browser:
                seat.browsers.add(str(browser))
            self.seats[token] = seat
            topics = self._changed("roster")
        self._announce(topics)
        return seat

    def seat(self, token) -> Seat | None:
        """The seat of a token (None for an unknown token or anything that is not a string)."""
        if not isinstance(token, str):
            return None
        with self.lock:
            return self.seats.get(token)

    def seat_for_browser(self, browser: str | None) -> Seat | None:
        """The latest active seat joined from this browser (to offer "continue as ...")."""
        if not browser:
            return None
        with self.lock:
            mine = [s for s in self.seats.values() if s.active and browser in s.browsers]
            return mine[-1] if mine else None

    def student_view(self, token):
        """What the student of ``token`` sees now (a :class:`views.StudentView`), or None."""
        with self.lock:
            seat = self.seats.get(token) if isinstance(token, str) else None
            return None if seat is None else student_view(self, seat)

    def choose(self, token, stance, *, quarter: int | None = None) -> Seat:
        """The student of ``token`` chooses ``stance`` for the open quarter (they may change it
        until the quarter closes). ``quarter`` is the quarter their page showed: a click that
        arrives after that quarter closed is refused rather than counted for the next one."""
        if isinstance(stance, bool) or not isinstance(stance, int) or stance not in {int(s) for s in Stance}:
            raise ChoiceError("Choose Obey, Hold back or Break away.")
        stance = int(stance)
        with self.lock:
            seat = self.seats.get(token) if isinstance(token, str) else None
            if seat is None:
                raise ChoiceError("This page is not a seat in the class: join again with the code.")
            if not seat.active:
                raise ChoiceError("The teacher has freed your seat: your region is played by the model now.")
            if not self.model.running:
                raise ChoiceError("The run is over: there are no more quarters to play.")
            if quarter is not None and quarter != self.quarter:
                raise ChoiceError(f"That quarter has closed; this is {self.period}: choose again.")
            seat.answer = stance
            topics = self._changed("answers")
        self._announce(topics)
        return seat

    def page_opened(self, token, page: str, connected=None) -> None:
        """A student's page is open (the roster shows them online while ``connected()`` says so;
        without it, while the page is open)."""
        with self.lock:
            seat = self.seats.get(token) if isinstance(token, str) else None
            if seat is None or page in seat.pages:
                return
            seat.pages[page] = connected
            topics = self._changed("roster")
        self._announce(topics)

    def page_closed(self, token, page: str) -> None:
        with self.lock:
            seat = self.seats.get(token) if isinstance(token, str) else None
            if seat is None or page not in seat.pages:
                return
            del seat.pages[page]
            topics = self._changed("roster")
        self._announce(topics)

    def everyone_answered(self) -> bool:
        seats = self.active_seats()
        return bool(seats) and all(s.answer is not None for s in seats)

    # ================================================================== the teacher
    def is_teacher(self, key) -> bool:
        return same_secret(key, self.teacher_key)

    def _require(self, key, what: str) -> None:
        if not self.is_teacher(key):
            raise TeacherOnly(what)

    def step(self, key) -> bool:
        """The teacher closes the open quarter now and runs it; False if the run was already over."""
        self._require(key, "Stepping the run")
        with self.lock:
            done = self._close_quarter("teacher")
            topics = self._changed("quarter", "clock") if done else ()
        self._announce(topics)
        return done

    def play(self, key) -> None:
        """Quarters close by themselves: when the timer runs out, or once everyone has answered."""
        self._require(key, "Playing the run")
        with self.lock:
            if not self.model.running:
                raise ChoiceError("The run is over: restart it to play again.")
            self.playing = True
            self.deadline = self._new_deadline()
            topics = self._changed("clock")
        self._announce(topics)

    def pause(self, key) -> None:
        self._require(key, "Pausing the run")
        with self.lock:
            self.playing = False
            self.deadline = None
            topics = self._changed("clock")
        self._announce(topics)

    @staticmethod
    def _checked_timer(seconds) -> int | None:
        if seconds is None or seconds == "":
            return None
        try:
            value = int(seconds)
        except (TypeError, ValueError):
            value = -1
        if value not in TIMER_CHOICES:
            allowed = ", ".join(str(t) for t in TIMER_CHOICES if t is not None)
            raise ValueError(f"timer={seconds!r} is not allowed: choose {allowed} seconds, or no limit")
        return value

    def set_timer(self, key, seconds) -> None:
        """Seconds per quarter (None: no limit); while playing, the open quarter starts again with it."""
        self._require(key, "Setting the timer")
        timer = self._checked_timer(seconds)
        with self.lock:
            self.timer = timer
            if self.playing:
                self.deadline = self._new_deadline()
            topics = self._changed("clock")
        self._announce(topics)

    def set_allow_pick(self, key, allow: bool) -> None:
        self._require(key, "Letting students pick their region")
        with self.lock:
            self.allow_pick = bool(allow)
            topics = self._changed("pick")
        self._announce(topics)

    def set_early_close(self, key, early: bool) -> None:
        self._require(key, "Changing when quarters close")
        with self.lock:
            self.early_close = bool(early)
            topics = self._changed("clock")
        self._announce(topics)

    def set_lever(self, key, name: str, value) -> Any:
        """Move one of the centre's levers on the class's run (and on the model's own run, at the
        same quarter); returns the value as the model stored it."""
        self._require(key, "Moving the centre's levers")
        with self.lock:
            stored = self.runs.set_lever(name, value)
            topics = self._changed("levers")
        self._announce(topics)
        return stored

    def lever_value(self, name: str) -> Any:
        with self.lock:
            return self.model.params[name]

    def release(self, key, token) -> None:
        """Free a student's seat: the model plays their region again; their quarters so far stay
        in the debrief."""
        self._require(key, "Freeing a seat")
        with self.lock:
            seat = self.seats.get(token) if isinstance(token, str) else None
            if seat is None or not seat.active:
                return
            seat.active = False
            seat.answer = None
            topics = self._changed("roster", "seats")
        self._announce(topics)

    def restart(self, key, scenario: str | None = None, seed: int | None = None) -> None:
        """Start the run again (optionally another scenario or seed). The students keep their seats
        (and regions, where the new world has them); their quarters so far are cleared."""
        self._require(key, "Restarting the run")
        scenario = self.scenario if scenario is None else scenario
        seed = self.seed if seed is None else seed
        if scenario not in scenarios.names():
            raise scenarios.ScenarioError(
                f"scenario {scenario!r} not found; choose one of {', '.join(scenarios.names())}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValueError(f"seed={seed!r} is not allowed: expected a whole number >= 0")
        with self.lock:
            self._start(scenario, seed)
            self.playing, self.deadline, self.note = False, None, ""
            taken: set[int] = set()
            for seat in self.active_seats():
                if not 0 <= seat.region < self.n_regions or seat.region in taken:
                    region = next_free(self.order, taken)
                    if region is None:  # a smaller world: more students than regions
                        seat.active = False
                        continue
                    seat.region = region
                taken.add(seat.region)
                seat.answer = None
                seat.history.clear()
                seat.joined_step, seat.joined_period = 0, self.period
            topics = self._changed(*TOPICS)
        self._announce(topics)

    # ================================================================== closing a quarter
    def _new_deadline(self) -> float | None:
        return time.monotonic() + self.timer if self.timer is not None else None

    def seconds_left(self) -> float | None:
        """Seconds until the open quarter closes by itself (None when it will not)."""
        with self.lock:
            if not self.playing or self.deadline is None or not self.model.running:
                return None
            return max(0.0, self.deadline - time.monotonic())

    def tick(self) -> float | None:
        """The clock's turn: close the quarter if its time is up (or everyone has answered while
        playing); returns the seconds until the next look (None: nothing is timed)."""
        topics: tuple[str, ...] = ()
        with self.lock:
            if not self.playing or not self.model.running:
                return None
            now = time.monotonic()
            if self.early_close and self.everyone_answered():
                soon = now + ALL_ANSWERED_GRACE
                if self.deadline is None or self.deadline > soon:
                    self.deadline = soon
                    topics += self._changed("clock")
            if self.deadline is not None and now >= self.deadline:
                self._close_quarter("clock")
                topics += self._changed("quarter", "clock")
            wait = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
        if topics:
            self.broadcaster.publish(*topics)
        return wait

    def _close_quarter(self, by: str) -> bool:
        """Run the open quarter (the lock is held; ``by``: "teacher" or "clock")."""
        model = self.model
        if not model.running:
            return False
        seats = self.active_seats()
        missed = self.runs.close_quarter(seats)
        period = model.period_label()
        self.note = (f"{period}: {missed} of {len(seats)} student(s) did not answer; the model's officials "
                     f"decided for them." if missed else "")
        if not model.running:
            self.playing, self.deadline = False, None
        elif self.playing:
            self.deadline = self._new_deadline()
        return True

    # ================================================================== what the teacher sees
    def roster(self) -> list[RosterRow]:
        """Every student (active ones first, in joining order)."""
        with self.lock:
            world = self.model.world
            rows = []
            for seat in sorted(self.seats.values(), key=lambda s: not s.active):
                rows.append(RosterRow(
                    seat.token, seat.name, seat.region, world.names[seat.region],
                    world.republic_names[int(world.republic[seat.region])], seat.answer is not None,
                    seat.online, seat.active, seat.history[-1] if seat.history else None,
                    sum(1 for t in seat.history if not t.answered)))
            return rows

    def answered_count(self) -> tuple[int, int]:
        """(students who have answered this quarter, students playing)."""
        with self.lock:
            seats = self.active_seats()
            return sum(s.answer is not None for s in seats), len(seats)

    # ================================================================== the end
    def close(self) -> None:
        """Stop the clock and the delivery threads (tests; a server closes with its process)."""
        if self._clock is not None:
            self._clock.close()
        self.broadcaster.close()
