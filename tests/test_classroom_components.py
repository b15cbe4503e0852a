"""The class pages rendered without a browser (``solara.render``): the join page, a student's
page, the teacher's page and the debrief, driven through their widgets' handlers, with the
session's announcements delivered at once."""

from __future__ import annotations

import ipyvuetify as v
import pytest

solara = pytest.importorskip("solara")

import classroom_support as cs  # noqa: E402
import dashboard_support as ds  # noqa: E402
from soviet_cohesion import Stance  # noqa: E402

settings = cs.module("settings")
choice_pad = cs.module("choice_pad")
join_page = cs.module("join_page")
live_chart = ds.dashboard_module("live_chart")

OBEY, HOLD, BREAK = int(Stance.OBEYING), int(Stance.MANAGING_RISK), int(Stance.AUTONOMOUS)


@pytest.fixture
def room():
    classroom = cs.quiet_classroom(join_url="http://192.168.1.20:8766/")
    settings.use(classroom)
    yield classroom
    settings.use(None)
    classroom.close()


@pytest.fixture
def render():
    opened = []

    def open_page(path):
        _, rc = solara.render(cs.page(path), handle_error=False)
        opened.append(rc)
        return rc

    yield open_page
    for rc in opened:
        rc.close()


def by_class(rc, widget_class, css):
    return ds.find_by_class(rc, widget_class, css)


def button(rc, css):
    (widget,) = by_class(rc, v.Btn, css)
    return widget


def text_field(rc, css):
    (widget,) = by_class(rc, v.TextField, css)
    return widget


def texts(rc):
    return ds.texts(rc)


def choices(rc):
    """The student's choice pad (None when the page shows none)."""
    pads = rc.find(choice_pad.ChoicePadWidget).widgets
    return pads[0] if pads else None


def click_choice(rc, stance):
    choices(rc).vue_choose(stance)


# ------------------------------------------------------------------------------ joining
def test_joining_with_code_and_name_opens_the_student_page(room, render):
    rc = render(f"/?code={room.join_code}")
    assert text_field(rc, "cl-code-input").v_model == room.join_code  # from the QR code's address
    text_field(rc, "cl-name-input").v_model = "Anna"
    button(rc, "cl-join-button").click()
    (seat,) = room.seats.values()
    assert seat.name == "Anna"
    assert [c["label"] for c in choices(rc).choices] == ["Obey", "Hold back", "Break away"]
    assert room.model.world.names[seat.region] in texts(rc)


def test_a_wrong_code_or_a_bad_name_shows_a_message_and_joins_nobody(room, render):
    rc = render("/")
    text_field(rc, "cl-code-input").v_model = "999999" if room.join_code != "999999" else "111111"
    text_field(rc, "cl-name-input").v_model = "Anna"
    button(rc, "cl-join-button").click()
    assert "not this class's code" in texts(rc)
    text_field(rc, "cl-code-input").v_model = room.join_code
    text_field(rc, "cl-name-input").v_model = "<b>"
    button(rc, "cl-join-button").click()
    assert "Start your name" in texts(rc)
    assert room.seats == {} and "Traceback" not in texts(rc)


def test_the_region_picker_appears_when_the_teacher_allows_it(room, render):
    rc = render(f"/?code={room.join_code}")
    assert not by_class(rc, v.Select, "cl-region-pick")
    room.set_allow_pick(room.teacher_key, True)
    (picker,) = by_class(rc, v.Select, "cl-region-pick")
    assert len(picker.items) == room.n_regions
    picker.v_model = 5
    text_field(rc, "cl-name-input").v_model = "Anna"
    button(rc, "cl-join-button").click()
    assert next(iter(room.seats.values())).region == 5


def test_a_device_that_joined_is_offered_to_continue(room, render, monkeypatch):
    seat = room.join(room.join_code, "Anna", browser="cookie-7")
    monkeypatch.setattr(join_page, "browser_id", lambda: "cookie-7")
    rc = render("/")
    assert "joined as Anna" in texts(rc)
    button(rc, "cl-continue-button").click()
    assert "Your official" in texts(rc) and room.seats[seat.token].name == "Anna"


# ------------------------------------------------------------------------------ a student's page
def test_a_student_chooses_and_sees_the_quarter_change(room, render):
    seat = room.join(room.join_code, "Anna")
    rc = render(f"/play?seat={seat.token}")
    assert "1985 Q1" in texts(rc)
    click_choice(rc, HOLD)
    assert seat.answer == HOLD and choices(rc).answer == HOLD
    click_choice(rc, BREAK)  # changed their mind
    assert seat.answer == BREAK and choices(rc).answer == BREAK
    room.step(room.teacher_key)  # the teacher closes the quarter: the student's page follows
    assert "1985 Q2" in texts(rc)
    assert "you chose Break away. Your region is now autonomous" in texts(rc)
    assert choices(rc).answer == -1  # a new quarter, not yet answered


def test_a_student_who_does_not_answer_is_told_the_model_decided(room, render):
    seat = room.join(room.join_code, "Anna")
    rc = render(f"/play?seat={seat.token}")
    room.step(room.teacher_key)
    assert "did not answer in time" in texts(rc) and "your official decided" in texts(rc)


def test_a_stale_click_after_the_quarter_closed_is_refused_visibly(room, render):
    seat = room.join(room.join_code, "Anna")
    rc = render(f"/play?seat={seat.token}")
    pad = choices(rc)
    # the page still shows 1985 Q1 when the click arrives, but the quarter has closed meanwhile
    with room.lock:
        room._close_quarter("test")
    pad.vue_choose(BREAK)
    assert "has closed" in texts(rc) and seat.answer is None


def test_a_student_page_has_no_control_of_the_centre(room, render):
    seat = room.join(room.join_code, "Anna")
    rc = render(f"/play?seat={seat.token}&key={room.teacher_key}&region=3")  # extra parameters are ignored
    assert not rc.find(v.Slider).widgets
    assert not by_class(rc, v.Btn, "cl-step") and not by_class(rc, v.Btn, "cl-play")
    click_choice(rc, BREAK)
    assert seat.answer == BREAK and all(s is seat for s in room.seats.values())
    room.step(room.teacher_key)
    assert room.model.played.sum() == 1 and room.model.played[seat.region]


@pytest.mark.parametrize("search", ["seat=nope", "", "seat=", "seat=%00%ff"])
def test_an_unknown_seat_shows_how_to_join(room, render, search):
    rc = render(f"/play?{search}")
    assert "not a seat in the class" in texts(rc) and not rc.find(v.Slider).widgets
    assert choices(rc) is None


def test_the_end_of_the_run_shows_the_student_a_summary(room, render):
    seat = room.join(room.join_code, "Anna")
    rc = render(f"/play?seat={seat.token}")
    while room.running:
        room.step(room.teacher_key)
    assert "The run is over" in texts(rc) and "your official" in texts(rc)
    assert choices(rc) is None


def test_a_freed_student_is_told(room, render):
    seat = room.join(room.join_code, "Anna")
    rc = render(f"/play?seat={seat.token}")
    room.release(room.teacher_key, seat.token)
    assert "freed your seat" in texts(rc) and choices(rc) is None


def test_a_students_open_page_counts_as_online(room, render):
    seat = room.join(room.join_code, "Anna")
    assert not room.roster()[0].online
    rc = render(f"/play?seat={seat.token}")
    assert room.roster()[0].online
    rc.close()
    assert not room.roster()[0].online


# ------------------------------------------------------------------------------ the teacher's page
@pytest.mark.parametrize("search", ["", "key=", "key=wrong", "key=%3Cscript%3E"])
def test_the_teacher_page_without_the_key_has_no_controls(room, render, search):
    rc = render(f"/teacher?{search}")
    assert "teacher's page" in texts(rc)
    assert not rc.find(v.Slider).widgets and not by_class(rc, v.Btn, "cl-step")
    assert room.join_code not in texts(rc)


def test_the_teacher_page_shows_the_code_qr_and_the_join_address(room, render):
    rc = render(f"/teacher?key={room.teacher_key}")
    text = texts(rc)
    assert room.join_code in text and "http://192.168.1.20:8766/" in text and "<svg" in text


def test_the_teacher_steps_and_sees_who_has_answered(room, render):
    anna = room.join(room.join_code, "Anna")
    room.join(room.join_code, "Boris")
    rc = render(f"/teacher?key={room.teacher_key}")
    assert "Answered: 0 of 2" in texts(rc)
    room.choose(anna.token, BREAK)
    assert "Answered: 1 of 2" in texts(rc) and "✓ answered" in texts(rc)
    (map_widget,) = [w for w in rc.find(live_chart.LiveEchartsWidget).widgets if "cl-map" in w.attributes["class"]]
    marks = next(s for s in map_widget.update["series"] if s["id"] == "students")["data"]
    assert sorted(m["itemStyle"]["color"] for m in marks) == ["#000000", "#ffffff"]  # one answered, one not
    button(rc, "cl-step").click()
    assert room.model.steps == 1 and "1985 Q2" in texts(rc) and "Answered: 0 of 2" in texts(rc)
    assert "did not answer" in texts(rc)  # Boris: the model decided


def test_the_teachers_lever_moves_both_runs(room, render):
    rc = render(f"/teacher?key={room.teacher_key}")
    (slider,) = by_class(rc, v.Slider, "cl-slider-responsibility_shared")
    slider.v_model = 0.9
    assert room.model.params["responsibility_shared"] == pytest.approx(0.9)
    assert room.baseline.params["responsibility_shared"] == pytest.approx(0.9)
    assert "Share responsibility  (held)" in texts(rc)


def test_play_pause_and_timer_from_the_teacher_page(room, render):
    rc = render(f"/teacher?key={room.teacher_key}")
    (timer,) = by_class(rc, v.Select, "cl-timer")
    timer.v_model = 30
    assert room.timer == 30
    timer.v_model = -1
    assert room.timer is None
    button(rc, "cl-play").click()
    assert room.playing and "Pause" in button(rc, "cl-play").children
    button(rc, "cl-play").click()
    assert not room.playing


def test_a_students_name_cannot_inject_markup_into_the_teacher_page(room, render):
    seat = room.join(room.join_code, "Anna")
    seat.name = "<img src=x onerror=alert(1)>"  # cannot be typed (names are checked): belt and braces
    rc = render(f"/teacher?key={room.teacher_key}")
    # HTML the page renders as markup shows the name escaped; plain text widgets (a select's items,
    # a label) show it as typed, which the browser never interprets
    html = "\n".join(w.unsafe_innerHTML for w in ds.all_widgets(rc)
                     if isinstance(getattr(w, "unsafe_innerHTML", None), str))
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_freeing_a_seat_from_the_roster(room, render):
    seat = room.join(room.join_code, "Anna")
    rc = render(f"/teacher?key={room.teacher_key}")
    (picker,) = by_class(rc, v.Select, "cl-free-pick")
    picker.v_model = seat.token
    button(rc, "cl-free").click()
    assert not seat.active and "freed" in texts(rc)


def test_restart_from_the_teacher_page_and_a_bad_seed(room, render):
    room.step(room.teacher_key)
    rc = render(f"/teacher?key={room.teacher_key}")
    text_field(rc, "cl-seed").v_model = "abc"
    assert button(rc, "cl-restart").disabled
    text_field(rc, "cl-seed").v_model = "9"
    (scenario,) = by_class(rc, v.Select, "cl-scenario")
    scenario.v_model = "stalin"
    button(rc, "cl-restart").click()
    assert room.scenario == "stalin" and room.seed == 9 and room.model.steps == 0
    assert "1946" in texts(rc)


# ------------------------------------------------------------------------------ the debrief
def test_the_debrief_page_shows_the_runs_the_order_and_the_choices(room, render):
    anna, boris = room.join(room.join_code, "Anna"), room.join(room.join_code, "Boris")
    for q in range(6):
        room.choose(anna.token, HOLD if q >= 1 else OBEY)
        room.choose(boris.token, OBEY)
        room.step(room.teacher_key)
    rc = render(f"/debrief?key={room.teacher_key}")
    text = texts(rc)
    assert "The order in which students stopped obeying" in text and "1985 Q2" in text
    assert "Anna" in text and "Boris" in text and "the model's own run" in text
    labels = [w.children for w in rc.find(v.Btn).widgets]
    assert any("Choices CSV" in str(c) for c in labels) and any("Printable page" in str(c) for c in labels)
    charts = [w for w in rc.find(live_chart.LiveEchartsWidget).widgets
              if "cl-debrief-chart" in w.attributes["class"]]
    assert charts and len(charts[0].option["series"]) == 2


def test_the_debrief_needs_the_teacher_key(room, render):
    room.join(room.join_code, "Anna")
    rc = render("/debrief?key=nope")
    assert "teacher's page" in texts(rc) and "Anna" not in texts(rc)


@pytest.mark.parametrize("sent", ["obey", "1", None, {"stance": 1}, [2], 7, -1, 1.5, True])
def test_whatever_a_page_sends_as_a_choice_is_checked(room, render, sent):
    seat = room.join(room.join_code, "Anna")
    rc = render(f"/play?seat={seat.token}")
    choices(rc).vue_choose(sent)
    assert seat.answer is None and "Choose Obey, Hold back or Break away" in texts(rc)
    assert "Traceback" not in texts(rc)


def style_sheets(rc) -> list[str]:
    """The style sheets on a rendered page (solara.Style puts each in a template widget)."""
    found = []
    for widget in ds.all_widgets(rc):
        template = getattr(widget, "template", None)
        template = template if isinstance(template, str) else getattr(template, "template", None)
        if isinstance(template, str) and ".cl-page {" in template:
            found.append(template)
    return found


@pytest.mark.parametrize("path", ["/", "/play?seat={seat}", "/teacher?key={key}", "/debrief?key={key}",
                                  "/teacher?key=wrong"])
def test_every_page_carries_the_class_style_sheet_once(room, render, path):
    seat = room.join(room.join_code, "Anna")
    rc = render(path.format(seat=seat.token, key=room.teacher_key))
    assert len(style_sheets(rc)) == 1
