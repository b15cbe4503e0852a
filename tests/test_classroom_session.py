"""The class session without a browser: joining, choosing, stepping, the model deciding for a
student who does not answer, audits reaching the students, the teacher's key, bad input, the
clock, the debrief and its exports."""

from __future__ import annotations

import csv
import io
import time

import numpy as np
import pytest

import classroom_support as cs
from soviet_cohesion import CohesionModel, ParameterError, ScenarioError, Stance

classroom_mod = cs.module("classroom")
codes = cs.module("codes")
seats_mod = cs.module("seats")
allocation = cs.module("allocation")
debrief_mod = cs.module("debrief")
debrief_html = cs.module("debrief_html")
views = cs.module("views")
qr = cs.module("qr")

OBEY, HOLD, BREAK = int(Stance.OBEYING), int(Stance.MANAGING_RISK), int(Stance.AUTONOMOUS)


@pytest.fixture
def room():
    classroom = cs.quiet_classroom()
    yield classroom
    classroom.close()


def join(room, name, **kwargs):
    return room.join(room.join_code, name, **kwargs)


# ------------------------------------------------------------------------------ joining
def test_students_get_distinct_regions_spread_over_the_republics(room):
    seats = [join(room, f"Student {i}") for i in range(15)]
    regions = [s.region for s in seats]
    assert len(set(regions)) == 15
    republics = {int(room.model.world.republic[r]) for r in regions}
    assert len(republics) == 15  # a class of 15 covers every republic of the USSR
    assert all(len(s.token) >= 16 for s in seats) and len({s.token for s in seats}) == 15


def test_allocation_order_covers_every_region_once():
    model = CohesionModel("gorbachev", rng=1)
    order = allocation.allocation_order(model.world)
    assert sorted(order) == list(range(model.n_regions))
    assert allocation.next_free(order, set(order)) is None


@pytest.mark.parametrize("code", ["", "000000x", "1", None, 123456, "<script>"])
def test_a_wrong_code_is_refused_with_a_message(room, code):
    with pytest.raises(classroom_mod.JoinError, match="not this class's code"):
        room.join(code, "Anna")
    assert room.seats == {}


def test_the_code_may_be_typed_with_spaces_or_dashes(room):
    spaced = room.join_code[:3] + " - " + room.join_code[3:]
    assert join(room, "Anna").name == "Anna"
    assert room.join(spaced, "Boris").name == "Boris"


@pytest.mark.parametrize("name, words", [
    ("", "Type your name"), ("   ", "Type your name"), ("x" * 40, "too long"), ("<b>Eve</b>", "Start your name"),
    ("Eve<script>", "letters, digits"), ("=cmd()", "Start your name"), ("Ann\x00a", "letters, digits"),
])
def test_bad_names_are_refused_with_a_readable_message(room, name, words):
    with pytest.raises(classroom_mod.JoinError, match=words):
        join(room, name)
    assert room.seats == {}


def test_names_in_any_alphabet_are_accepted_and_tidied(room):
    assert join(room, "  Наталья   К. ").name == "Наталья К."
    assert join(room, "Jean-Luc O'Neil").name == "Jean-Luc O'Neil"


def test_a_name_already_in_the_class_is_refused(room):
    join(room, "Anna")
    with pytest.raises(classroom_mod.JoinError, match="already called"):
        join(room, "anna")


def test_picking_a_region_only_when_the_teacher_allows_it(room):
    with pytest.raises(classroom_mod.JoinError, match="hands out the regions"):
        join(room, "Anna", region=3)
    room.set_allow_pick(room.teacher_key, True)
    assert join(room, "Anna", region=3).region == 3
    with pytest.raises(classroom_mod.JoinError, match="has just been taken"):
        join(room, "Boris", region=3)
    for bad in (-1, room.n_regions, "3", True):
        with pytest.raises(classroom_mod.JoinError, match="no such region"):
            join(room, "Boris", region=bad)
    assert 3 not in room.free_regions()


def test_a_full_class_says_so(room):
    small = cs.quiet_classroom("gorbachev", 1, world="synthetic")
    try:
        for i in range(small.n_regions):
            join(small, f"S{i}")
        with pytest.raises(classroom_mod.JoinError, match="class is full"):
            join(small, "One more")
    finally:
        small.close()


def test_a_late_joiner_takes_a_free_region_and_plays_from_the_open_quarter(room):
    first = join(room, "Anna")
    for _ in range(3):
        room.step(room.teacher_key)
    late = join(room, "Boris")
    assert late.region != first.region and late.region in set(room.order)
    assert late.joined_period == room.period == "1985 Q4"
    room.choose(late.token, HOLD)
    room.step(room.teacher_key)
    assert [t.period for t in late.history] == ["1985 Q4"] and len(first.history) == 4


def test_the_same_browser_is_offered_its_seat_again(room):
    seat = join(room, "Anna", browser="cookie-1")
    assert room.seat_for_browser("cookie-1") is seat
    assert room.seat_for_browser("cookie-2") is None and room.seat_for_browser(None) is None


# ------------------------------------------------------------------------------ choosing and stepping
def test_a_choice_reaches_the_model_and_the_region_stance(room):
    seat = join(room, "Anna")
    room.choose(seat.token, BREAK)
    assert room.step(room.teacher_key)
    model = room.model
    assert model.played[seat.region] and int(model.stance[seat.region]) == BREAK
    (turn,) = seat.history
    assert turn.choice == BREAK and turn.stance == BREAK and turn.model_choice == int(model.model_stance[seat.region])
    assert turn.period == "1985 Q1" and seat.answer is None  # the next quarter starts unanswered


def test_a_student_may_change_the_answer_until_the_quarter_closes(room):
    seat = join(room, "Anna")
    room.choose(seat.token, BREAK)
    room.choose(seat.token, OBEY)
    room.step(room.teacher_key)
    assert seat.history[-1].choice == OBEY


def test_no_answer_leaves_the_region_to_the_model_official(room):
    seat = join(room, "Anna")
    for _ in range(12):
        room.step(room.teacher_key)
    model = room.model
    assert not model.played[seat.region]
    assert all(not t.answered for t in seat.history)
    assert all(t.decided == t.model_choice for t in seat.history)
    view = room.student_view(seat.token)
    assert "did not answer in time" in view.outcome and view.outcome_kind == "warning"
    assert room.roster()[0].missed == 12
    assert "did not answer" in room.note


def test_the_class_run_equals_the_model_run_when_nobody_answers(room):
    join(room, "Anna")
    while room.running:
        room.step(room.teacher_key)
    assert room.history.values["cohesion"] == room.baseline_history.values["cohesion"]


def test_a_click_from_a_closed_quarter_is_refused_not_carried_over(room):
    seat = join(room, "Anna")
    shown = room.quarter
    room.step(room.teacher_key)
    with pytest.raises(classroom_mod.ChoiceError, match="has closed"):
        room.choose(seat.token, HOLD, quarter=shown)
    assert seat.answer is None
    room.choose(seat.token, HOLD, quarter=room.quarter)
    assert seat.answer == HOLD


@pytest.mark.parametrize("stance", [3, -1, "obey", "1", None, 1.5, 1.5j, True, [1]])
def test_a_bad_choice_is_refused(room, stance):
    seat = join(room, "Anna")
    with pytest.raises(classroom_mod.ChoiceError, match="Obey, Hold back or Break away"):
        room.choose(seat.token, stance)
    assert seat.answer is None


@pytest.mark.parametrize("token", ["", "nope", None, 42, ["x"]])
def test_nobody_can_choose_without_a_seat_token(room, token):
    join(room, "Anna")
    with pytest.raises(classroom_mod.ChoiceError, match="not a seat"):
        room.choose(token, HOLD)
    assert room.student_view(token) is None


def test_a_token_chooses_for_its_own_region_only(room):
    anna, boris = join(room, "Anna"), join(room, "Boris")
    room.choose(anna.token, BREAK)
    room.step(room.teacher_key)
    assert anna.history[-1].choice == BREAK and boris.history[-1].choice is None
    assert int(room.model.stance[anna.region]) == BREAK
    assert not room.model.played[boris.region]


def test_choosing_after_the_end_is_refused(room):
    seat = join(room, "Anna")
    while room.running:
        room.step(room.teacher_key)
    assert not room.step(room.teacher_key)
    with pytest.raises(classroom_mod.ChoiceError, match="run is over"):
        room.choose(seat.token, OBEY)
    assert room.student_view(seat.token).phase == "ended"


# ------------------------------------------------------------------------------ audits reach the students
def test_caught_students_are_told_and_the_turns_agree_with_the_model(room):
    room.set_lever(room.teacher_key, "audit_capacity", 1.0)  # audit every region that is still a member
    room.set_lever(room.teacher_key, "punishment_severity", 1.0)
    seats = [join(room, f"S{i}") for i in range(10)]
    for _ in range(3):
        for seat in seats:
            room.choose(seat.token, HOLD)
        room.step(room.teacher_key)
    turns = [t for s in seats for t in s.history]
    caught = [t for t in turns if t.caught]
    assert caught, "with every region audited, someone who held back must be caught"
    assert all(t.stance == OBEY and t.audited for t in caught)
    assert all(t.audited is not None for t in turns)  # the model says who was audited
    seat = next(s for s in seats if s.history[-1].caught)
    view = room.student_view(seat.token)
    assert view.outcome_kind == "error"
    assert ("reprimanded" in view.outcome) or ("dismissed" in view.outcome)
    dismissed = [t for t in turns if t.replaced]
    assert all(t.caught for t in dismissed)


def test_outcome_words_for_each_kind_of_quarter():
    Turn = seats_mod.Turn
    assert "dismissed" in views.outcome_text(Turn(1, "1985 Q1", HOLD, OBEY, OBEY, True, True, True))[0]
    assert "reprimanded" in views.outcome_text(Turn(1, "1985 Q1", HOLD, OBEY, OBEY, True, True, False))[0]
    text, kind = views.outcome_text(Turn(1, "1985 Q1", OBEY, HOLD, OBEY, True, False, False))
    assert "found nothing wrong" in text and kind == "info"
    assert views.outcome_text(None) == ("", "info")


# ------------------------------------------------------------------------------ the teacher key
@pytest.mark.parametrize("key", [None, "", "wrong", 12, "a" * 22])
def test_only_the_teacher_key_steps_moves_levers_and_frees_seats(room, key):
    seat = join(room, "Anna")
    openness = room.model.params["openness"]
    for action in (lambda: room.step(key), lambda: room.play(key), lambda: room.pause(key),
                   lambda: room.set_timer(key, 30), lambda: room.set_lever(key, "openness", 1.0),
                   lambda: room.release(key, seat.token), lambda: room.restart(key),
                   lambda: room.set_allow_pick(key, True), lambda: room.set_early_close(key, False)):
        with pytest.raises(classroom_mod.TeacherOnly, match="teacher"):
            action()
    assert room.model.steps == 0 and room.model.params["openness"] == openness and seat.active
    assert not room.playing and not room.allow_pick
    with pytest.raises(classroom_mod.TeacherOnly):
        room.set_lever(seat.token, "openness", 1.0)  # a student's token is not the key


def test_secrets_are_random_and_compared_safely():
    keys = {codes.new_teacher_key() for _ in range(50)}
    assert len(keys) == 50 and all(len(k) >= 20 for k in keys)
    assert all(len(codes.new_join_code()) == 6 and codes.new_join_code().isdigit() for _ in range(20))
    assert codes.same_secret("abc", "abc") and not codes.same_secret("abd", "abc")
    assert not codes.same_secret(None, "abc") and not codes.same_secret("", "") and not codes.same_secret(b"abc", "abc")


def test_levers_act_on_both_runs_and_are_recorded(room):
    room.step(room.teacher_key)
    assert room.set_lever(room.teacher_key, "responsibility_shared", 0.8) == pytest.approx(0.8)
    assert room.baseline.params["responsibility_shared"] == pytest.approx(0.8)
    assert room.interventions == [(1, "responsibility_shared", pytest.approx(0.8))]
    with pytest.raises(ParameterError, match="not a lever of the class"):
        room.set_lever(room.teacher_key, "steps_per_year", 2)
    with pytest.raises(ParameterError):
        room.set_lever(room.teacher_key, "openness", 7)
    assert room.model.params["openness"] == room.baseline.params["openness"]


def test_freeing_a_seat_gives_the_region_back_to_the_model(room):
    seat = join(room, "Anna")
    room.choose(seat.token, HOLD)
    room.step(room.teacher_key)
    room.release(room.teacher_key, seat.token)
    assert not seat.active and seat.region in room.free_regions()
    with pytest.raises(classroom_mod.ChoiceError, match="freed your seat"):
        room.choose(seat.token, OBEY)
    assert room.student_view(seat.token).phase == "freed"
    room.step(room.teacher_key)
    assert len(seat.history) == 1  # kept for the debrief, no longer played
    assert join(room, "Anna").region == seat.region  # the name and the region are free again


def test_restart_keeps_the_seats_and_clears_the_quarters(room):
    seat = join(room, "Anna")
    room.choose(seat.token, BREAK)
    room.step(room.teacher_key)
    room.restart(room.teacher_key, "brezhnev", 4)
    assert room.scenario == "brezhnev" and room.seed == 4 and room.model.steps == 0
    assert seat.active and seat.history == [] and seat.answer is None
    with pytest.raises(ScenarioError):
        room.restart(room.teacher_key, "nope")
    with pytest.raises(ValueError, match="seed"):
        room.restart(room.teacher_key, "stalin", -3)
    assert room.scenario == "brezhnev"


# ------------------------------------------------------------------------------ the clock
def test_the_timer_accepts_the_listed_choices_only(room):
    for ok in (15, 45, 120, None, "30"):
        room.set_timer(room.teacher_key, ok)
    for bad in (0, 7, -5, "soon", 1e9):
        with pytest.raises(ValueError, match="timer"):
            room.set_timer(room.teacher_key, bad)


def test_playing_closes_the_quarter_when_time_is_up():
    room = cs.quiet_classroom(timer=15)
    try:
        seat = join(room, "Anna")
        room.play(room.teacher_key)
        assert room.tick() == pytest.approx(15, abs=0.5) and room.model.steps == 0
        left = room.seconds_left()
        assert 14 < left <= 15
        room.deadline = time.monotonic() - 0.01  # as if 15 s had passed
        room.tick()
        assert room.model.steps == 1 and not seat.history[-1].answered
        assert 14 < room.seconds_left() <= 15  # the next quarter has its own time
        room.pause(room.teacher_key)
        assert room.seconds_left() is None and room.tick() is None
    finally:
        room.close()


def test_playing_moves_on_soon_after_everyone_has_answered():
    room = cs.quiet_classroom(timer=120)
    try:
        seats = [join(room, n) for n in ("Anna", "Boris")]
        room.play(room.teacher_key)
        room.choose(seats[0].token, OBEY)
        room.tick()
        assert room.seconds_left() > 100  # one still to answer
        room.choose(seats[1].token, HOLD)
        room.tick()
        assert room.seconds_left() <= classroom_mod.ALL_ANSWERED_GRACE
        room.set_early_close(room.teacher_key, False)
        room.set_timer(room.teacher_key, 120)
        room.tick()
        assert room.seconds_left() > 100
    finally:
        room.close()


def test_the_clock_thread_steps_by_itself():
    room = classroom_mod.Classroom("gorbachev", 1, timer=15, broadcaster=cs.module("broadcast").Broadcaster(workers=1))
    try:
        seat = join(room, "Anna")
        room.play(room.teacher_key)
        room.choose(seat.token, HOLD)  # everyone has answered: the quarter closes after the grace period
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with room.lock:
                if seat.history:
                    break
            time.sleep(0.05)
        with room.lock:
            assert seat.history and seat.history[0].choice == HOLD and seat.history[0].step == 1
    finally:
        room.pause(room.teacher_key)
        room.close()


# ------------------------------------------------------------------------------ what the student sees
def test_the_student_view_holds_what_the_official_sees(room):
    seat = join(room, "Anna")
    view = room.student_view(seat.token)
    assert view.phase == "choosing" and view.period == "1985 Q1" and view.last_period is None
    assert view.neighbours and all(isinstance(n.name, str) for n in view.neighbours)
    room.set_lever(room.teacher_key, "openness", 0.5)
    room.choose(seat.token, HOLD)
    assert room.student_view(seat.token).phase == "answered"
    room.step(room.teacher_key)
    view = room.student_view(seat.token)
    terms = room.model.decision_terms(seat.region)
    assert view.audit_chance == pytest.approx(terms["audit_probability"])
    assert view.shortfall == pytest.approx(terms["shortfall"]) and view.unrest == pytest.approx(terms["unrest"])
    assert view.plan_covered == pytest.approx(1 - terms["plan_gap"])
    assert view.last_period == "1985 Q1" and view.period == "1985 Q2"
    assert view.republic == room.model.world.republic_names[int(room.model.world.republic[seat.region])]


def test_a_neighbour_played_by_a_classmate_is_marked(room):
    room.set_allow_pick(room.teacher_key, True)
    anna = join(room, "Anna", region=0)
    neighbour = room.model.officials[0].neighbours[0].region
    join(room, "Boris", region=neighbour)
    marks = {n.name: n.classmate for n in room.student_view(anna.token).neighbours}
    assert marks[room.model.world.names[neighbour]] is True
    assert sum(marks.values()) == 1


def test_the_republic_leadership_is_shown_when_the_model_has_republics(room):
    from types import SimpleNamespace

    world = room.model.world
    name = world.republic_names[0]
    if getattr(room.model, "republics", None):  # the second-generation model: its own leaderships
        assert name in views.republic_line(room.model, 0)
        seat = join(room, "Anna")
        assert room.student_view(seat.token).republic_line.startswith("The leadership of")
    else:
        assert views.republic_line(room.model, 0) is None  # no republics in the model: nothing shown
    leadership = SimpleNamespace(name=name, code="X", status="sovereign", mobilisation=0.4)
    model = SimpleNamespace(world=world, republics=[leadership])
    line = views.republic_line(model, 0)
    assert name in line and "sovereignty" in line and "40%" in line
    assert views.republic_line(SimpleNamespace(world=world, republics=[]), 0) is None


# ------------------------------------------------------------------------------ the debrief
@pytest.fixture
def played(room):
    names = ["Anna", "Boris", "=Chloe", "Dmitri"]
    seats = [join(room, n.lstrip("=")) for n in names]
    seats[2].name = "=Chloe"  # as if a formula had got into a name: the CSV must defuse it
    for quarter in range(10):
        if quarter >= 2:
            room.choose(seats[0].token, HOLD)
        if quarter >= 5:
            room.choose(seats[1].token, BREAK)
        room.choose(seats[3].token, OBEY)
        room.step(room.teacher_key)
    return room, seats


def test_the_debrief_orders_students_by_when_they_stopped_obeying(played):
    room, _ = played
    debrief = debrief_mod.build(room)
    assert len(debrief.periods) == 10 and len(debrief.students) == 4
    order = debrief.stop_order
    assert order[0].name == "Anna" and order[0].stopped.period == "1985 Q3"
    assert order[1].name == "Boris" and order[1].stopped.period == "1986 Q2"
    assert order[-1].name == "Dmitri" and order[-1].stopped is None  # obeyed to the end: last
    dmitri = next(r for r in debrief.students if r.name == "Dmitri")
    assert dmitri.answered == 10 and dmitri.agreed == sum(t.model_choice == OBEY for t in dmitri.turns)
    assert debrief.final("cohesion")[1] == room.baseline_history.values["cohesion"][-1]


def test_the_choices_csv_has_one_row_per_student_and_quarter(played):
    room, _ = played
    rows = list(csv.DictReader(io.StringIO(debrief_mod.choices_csv(debrief_mod.build(room)))))
    assert len(rows) == 4 * 10
    anna = [r for r in rows if r["student"] == "Anna"]
    assert [r["choice"] for r in anna[:3]] == ["", "", "Hold back"] and anna[2]["answered"] == "1"
    assert {r["student"] for r in rows} == {"Anna", "Boris", "'=Chloe", "Dmitri"}  # no formula survives
    assert set(rows[0]) >= {"model_choice", "same_as_model", "stance_after", "audited", "caught", "dismissed"}


def test_the_runs_csv_holds_both_runs(played):
    room, _ = played
    rows = list(csv.DictReader(io.StringIO(debrief_mod.runs_csv(debrief_mod.build(room)))))
    assert len(rows) == 11
    assert float(rows[-1]["class_cohesion"]) == pytest.approx(room.history.values["cohesion"][-1])
    assert float(rows[-1]["model_cohesion"]) == pytest.approx(room.baseline_history.values["cohesion"][-1])


def test_the_printable_page_is_one_safe_file(played):
    room, seats = played
    seats[3].name = "<img src=x onerror=alert(1)>"
    page = debrief_html.printable_page(debrief_mod.build(room))
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<polyline" in page
    assert "<img" not in page and "&lt;img" in page
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "The order in which students stopped obeying" in page and "1985 Q3" in page


def test_the_debrief_of_an_empty_class_is_readable(room):
    page = debrief_html.printable_page(debrief_mod.build(room))
    assert "not started" in page and "No student" in page


# ------------------------------------------------------------------------------ the QR code
def test_the_qr_code_is_made_locally_for_the_join_address():
    address = qr.join_address("http://192.168.1.20:8766/", "482913")
    assert address == "http://192.168.1.20:8766/?code=482913"
    svg = qr.qr_svg(address)
    assert svg.startswith("<svg") and "path" in svg and "http" not in svg.split(">", 1)[1].replace(
        "http://www.w3.org/2000/svg", "")


def test_segno_reads_back_what_it_wrote():
    import segno

    code = segno.make(qr.join_address("http://10.0.0.5:8766", "000111"), error="m")
    assert code.error == "M" and code.version <= 4  # small enough to scan from the back of a room
    assert np.array(code.matrix).shape[0] == code.symbol_size(border=0)[0]


def test_a_page_that_lost_its_connection_shows_as_offline(room):
    seat = join(room, "Anna")
    connected = [True]
    room.page_opened(seat.token, "page-1", lambda: connected[0])
    assert room.roster()[0].online
    connected[0] = False
    assert not room.roster()[0].online
    room.page_opened(seat.token, "page-2", None)  # a second page, nothing known: open means online
    assert room.roster()[0].online
    room.page_closed(seat.token, "page-2")
    room.page_closed(seat.token, "page-1")
    assert not room.roster()[0].online and seat.pages == {}
