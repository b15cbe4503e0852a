"""The class session is shared on purpose by every page: many threads joining, choosing and
stepping at once must leave it consistent (one region per student, every quarter recorded once
per student, no choice lost or counted twice), and its announcements must reach every page."""

from __future__ import annotations

import random
import threading
import time

import pytest

import classroom_support as cs
from soviet_cohesion import Stance

classroom_mod = cs.module("classroom")
broadcast = cs.module("broadcast")


def run_threads(targets, timeout=60):
    errors = []

    def guard(target):
        def run():
            try:
                target()
            except Exception as exc:  # noqa: BLE001 - collected, reported by the test
                errors.append(exc)
        return run

    threads = [threading.Thread(target=guard(t)) for t in targets]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.1, timeout - (time.monotonic() - start)))
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return errors


def test_forty_students_joining_at_once_get_forty_regions():
    room = cs.quiet_classroom(broadcaster=broadcast.Broadcaster(workers=2))
    barrier = threading.Barrier(40)
    seats = []

    def student(i):
        def go():
            barrier.wait()
            seats.append(room.join(room.join_code, f"Student {i}", browser=f"b{i}"))
        return go

    try:
        assert run_threads([student(i) for i in range(40)]) == []
        assert len(seats) == 40 == len(room.seats)
        assert len({s.region for s in seats}) == 40 and len({s.token for s in seats}) == 40
    finally:
        room.close()


def test_picking_the_same_region_at_once_gives_it_to_one_student():
    room = cs.quiet_classroom()
    room.set_allow_pick(room.teacher_key, True)
    barrier = threading.Barrier(12)
    results = []

    def student(i):
        def go():
            barrier.wait()
            try:
                results.append(room.join(room.join_code, f"S{i}", region=7))
            except classroom_mod.JoinError as exc:
                results.append(exc)
        return go

    try:
        assert run_threads([student(i) for i in range(12)]) == []
        won = [r for r in results if not isinstance(r, Exception)]
        assert len(won) == 1 and won[0].region == 7
        assert all("has just been taken" in str(r) for r in results if isinstance(r, Exception))
    finally:
        room.close()


def test_choices_while_the_teacher_steps_are_each_counted_once():
    """30 students answer again and again while the teacher steps 20 quarters: every quarter is
    recorded once per student, and a recorded choice is one the student made in that quarter."""
    room = cs.quiet_classroom(broadcaster=broadcast.Broadcaster(workers=3))
    seats = [room.join(room.join_code, f"S{i}") for i in range(30)]
    made: dict[str, dict[int, set[int]]] = {s.token: {} for s in seats}  # token -> step -> choices made
    stop = threading.Event()

    def student(seat, rng):
        def go():
            while not stop.is_set():
                quarter = room.quarter
                stance = rng.choice([0, 1, 2])
                try:
                    room.choose(seat.token, stance, quarter=quarter)
                except classroom_mod.ChoiceError:
                    continue  # the quarter closed between reading it and choosing: refused, fine
                made[seat.token].setdefault(quarter, set()).add(stance)
                time.sleep(rng.random() * 0.002)
        return go

    def teacher():
        for _ in range(20):
            time.sleep(0.01)
            room.step(room.teacher_key)
        stop.set()

    try:
        targets = [student(s, random.Random(i)) for i, s in enumerate(seats)] + [teacher]
        assert run_threads(targets) == []
        assert room.model.steps == 20
        for seat in seats:
            assert [t.step for t in seat.history] == list(range(1, 21))
            for turn in seat.history:
                if turn.answered:
                    assert turn.choice in made[seat.token][turn.step]
                if turn.answered and not turn.caught:
                    assert turn.stance == turn.choice
        assert room.model.played.sum() == sum(t.answered for s in seats for t in s.history[-1:])
    finally:
        room.close()


def test_the_clock_and_the_teacher_stepping_together_never_skip_or_repeat_a_quarter():
    room = classroom_mod.Classroom("gorbachev", 1, timer=15, broadcaster=broadcast.Broadcaster(workers=2))
    seats = [room.join(room.join_code, f"S{i}") for i in range(10)]
    try:
        room.play(room.teacher_key)
        stop = threading.Event()

        def answer_all():
            while not stop.is_set():
                q = room.quarter
                for s in seats:
                    try:
                        room.choose(s.token, int(Stance.OBEYING), quarter=q)
                    except classroom_mod.ChoiceError:
                        pass
                time.sleep(0.005)

        def teacher():
            for _ in range(5):
                room.step(room.teacher_key)
                time.sleep(0.05)
            time.sleep(4)  # the clock closes quarters too (everyone has answered)
            stop.set()

        assert run_threads([answer_all, teacher], timeout=60) == []
        steps = room.model.steps
        assert steps > 5
        for s in seats:
            assert [t.step for t in s.history] == list(range(1, steps + 1))
    finally:
        room.pause(room.teacher_key)
        room.close()


def test_every_subscriber_hears_of_a_step_once_the_redraws_are_done():
    room = cs.quiet_classroom(broadcaster=broadcast.Broadcaster(workers=4))
    seen = {i: [] for i in range(40)}

    def page(i):
        def redraw():
            seen[i].append(room.version("quarter"))
            time.sleep(0.001)
        return redraw

    try:
        for i in range(40):
            room.broadcaster.subscribe(page(i), ("quarter",))
        for _ in range(5):
            room.step(room.teacher_key)
        assert room.broadcaster.idle(10)
        for i in range(40):
            assert seen[i] and seen[i][-1] == room.version("quarter")  # every page ends up up to date
            assert len(seen[i]) <= 5  # a page due several times may be drawn fewer times, never more
    finally:
        room.close()


def test_a_slow_page_does_not_hold_up_the_others():
    b = broadcast.Broadcaster(workers=3)
    release = threading.Event()
    fast = []
    try:
        b.subscribe(lambda: release.wait(5), ("quarter",))  # a phone on a weak connection
        for i in range(20):
            b.subscribe(lambda i=i: fast.append(i), ("quarter",))
        b.publish("quarter")
        deadline = time.monotonic() + 5
        while len(fast) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sorted(fast) == list(range(20))
    finally:
        release.set()
        b.close()


def test_a_page_that_fails_or_has_gone_is_unsubscribed():
    b = broadcast.Broadcaster(workers=0)
    calls = []
    b.subscribe(lambda: 1 / 0, ("quarter",))
    b.subscribe(lambda: False, ("quarter",))
    b.subscribe(lambda: calls.append(1), ("quarter",))
    unsubscribe = b.subscribe(lambda: calls.append(2), ("answers",))
    b.publish("quarter")
    assert b.subscribers == 2 and calls == [1]
    unsubscribe()
    b.publish("quarter", "answers")
    assert calls == [1, 1] and b.subscribers == 1


@pytest.mark.parametrize("workers", [0, 2])
def test_one_callback_is_never_run_twice_at_once(workers):
    b = broadcast.Broadcaster(workers=workers)
    inside, overlaps = [0], []
    lock = threading.Lock()

    def redraw():
        with lock:
            inside[0] += 1
            if inside[0] > 1:
                overlaps.append(True)
        time.sleep(0.002)
        with lock:
            inside[0] -= 1

    b.subscribe(redraw, ("quarter",))
    try:
        assert run_threads([lambda: [b.publish("quarter") for _ in range(50)] for _ in range(4)]) == []
        assert b.idle(10) and not overlaps
    finally:
        b.close()
