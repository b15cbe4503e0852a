"""The dashboard without a browser: its run session and history, the address, the catalogues,
the explanations, the chart options, the play loop, the seed band, and the page rendered with
``solara.render`` (clicks and browser events go straight to the widgets' handlers)."""

from __future__ import annotations

import io
import json
import re
import threading
import time

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest

solara = pytest.importorskip("solara")

import dashboard_support as ds  # noqa: E402

from soviet_cohesion import CohesionModel, ParameterError, Stance  # noqa: E402
from soviet_cohesion import scenarios as scenario_files  # noqa: E402

session_mod = ds.dashboard_module("session")
history_mod = ds.dashboard_module("history")
address = ds.dashboard_module("address")
charts = ds.dashboard_module("charts")
explain = ds.dashboard_module("explain")
i18n = ds.dashboard_module("i18n")
player_mod = ds.dashboard_module("player")
band_mod = ds.dashboard_module("band")
state_mod = ds.dashboard_module("state")
live_chart = ds.dashboard_module("live_chart")
RunSession = session_mod.RunSession
EN, RU = i18n.catalogue("en"), i18n.catalogue("ru")


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture
def session():
    return RunSession("gorbachev", 1)


def render(search: str = ""):
    """A rendered page for the address ``?search`` (its own tab state)."""
    import solara.routing

    app = ds.load_app()

    @solara.component
    def WithAddress():
        router = solara.routing.Router(f"/?{search}", routes=[solara.Route("/")])
        router.search = search
        solara.routing.router_context.provide(router)
        return app.Page()

    box, rc = solara.render(WithAddress() if search else app.Page(), handle_error=False)
    return rc


@pytest.fixture
def dashboard_page():
    rc = render()
    yield rc
    rc.close()


def year_text(rc) -> str:
    (widget,) = ds.find_by_class(rc, v.Html, "sc-year")
    return widget.children[0]


def button(rc, css: str) -> v.Btn:
    (widget,) = ds.find_by_class(rc, v.Btn, css)
    return widget


def message_text(rc) -> str:
    alerts = rc.find(v.Alert).widgets
    return " ".join(str(c) for a in alerts for c in a.children if isinstance(c, str))


def chart_widget(rc, css: str):
    found = [w for w in rc.find(live_chart.LiveEchartsWidget).widgets if css in w.attributes.get("class", "")]
    return found[0] if found else None


def browser_event(widget, event: str, data) -> None:
    """What the browser sends when a visitor acts on a widget (a Vue event)."""
    widget._handle_event(None, {"event": event, "data": data}, [])


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def steps(rc, n: int) -> None:
    for _ in range(n):
        button(rc, "sc-step").click()


# ------------------------------------------------------------------------------ the run session
@pytest.mark.parametrize("text, expected", [("1", 1), (" 42 ", 42), ("0", 0)])
def test_parse_seed_accepts_whole_numbers(text, expected):
    assert session_mod.parse_seed(text) == expected


@pytest.mark.parametrize("text, key", [("", "seed.empty"), ("  ", "seed.empty"), ("abc", "seed.not_whole"),
                                       ("1.5", "seed.not_whole"), ("-3", "seed.range"), (None, "seed.empty"),
                                       ("9" * 30, "seed.range")])
def test_parse_seed_rejects_bad_input_with_a_message_in_every_language(text, key):
    with pytest.raises(session_mod.SeedError) as info:
        session_mod.parse_seed(text)
    assert info.value.key == key
    for tr in (EN, RU):
        message = tr(info.value.key, **info.value.values)
        assert message != key and "\n" not in message


def test_session_steps_to_the_end_and_keeps_every_quarter(session):
    while session.step():
        pass
    assert not session.running and session.step() is False
    n = session.model.n_steps
    assert len(session.history) == n + 1 and len(session.history.snapshots) == n + 1
    counts = session.history.stance_counts
    assert all(sum(c[k] for c in counts.values()) == session.model.world.n for k in range(n + 1))
    df = session.model.indicators()
    for name in history_mod.TRACKED:
        assert np.allclose(session.history.values[name], df[name].to_numpy(), atol=1e-4)


def test_a_snapshot_is_the_quarter_as_it_was():
    session = RunSession("gorbachev", 2)
    model = CohesionModel("gorbachev", rng=2)
    for step in range(1, 20):
        session.step()
        model.step()
        if step in (5, 12, 19):
            snap = session.history.snapshot(step)
            assert snap.stance.tolist() == model.stance.tolist()
            terms = snap.region(3)
            assert terms["risk_of_obeying"] == pytest.approx(model.officials[3].decision["risk_of_obeying"], rel=1e-5)
            assert snap.log_length == len(model.event_log)
    earlier = session.history.snapshot(5)
    assert earlier.stance.tolist() != session.model.stance.tolist()  # the run moved on since
    view = session.history.upto(5)
    assert len(view) == 6 and len(view.values["cohesion"]) == 6


def test_same_seed_same_run_different_sessions_independent():
    a, b = RunSession("gorbachev", 3), RunSession("gorbachev", 3)
    for _ in range(12):
        a.step()
    assert b.model.steps == 0
    for _ in range(12):
        b.step()
    assert a.history.values["cohesion"] == b.history.values["cohesion"]


def test_reset_changes_scenario_and_seed_and_keeps_the_run_on_bad_input(session):
    session.step()
    session.reset("stalin", 5)
    assert (session.scenario, session.seed, session.model.steps) == ("stalin", 5, 0)
    with pytest.raises(scenario_files.ScenarioError):
        session.reset("no-such-scenario", 1)
    assert session.scenario == "stalin"


def test_set_lever_acts_on_the_running_model_and_holds(session):
    for _ in range(4):
        session.step()
    assert session.set_lever("responsibility_shared", 0.8) == pytest.approx(0.8)
    assert "responsibility_shared" in session.held_levers
    assert session.history.snapshot(4).levers["responsibility_shared"] == pytest.approx(0.8)
    with pytest.raises(ParameterError):
        session.set_lever("openness", 7)
    with pytest.raises(ParameterError):
        session.set_lever("n_regions", 3)


def test_dragging_a_slider_within_one_period_records_one_intervention(session):
    for value in (0.1, 0.2, 0.3):
        session.set_lever("appeasement", value)
    assert session.interventions == [(0, "appeasement", pytest.approx(0.3))]


def test_restore_replays_a_run_exactly(session):
    for _ in range(5):
        session.step()
    session.set_lever("appeasement", 0.6)
    for _ in range(3):
        session.step()
    session.compare("audit_capacity", 0.3, from_now=True)
    for _ in range(4):
        session.step()
    other = RunSession("stalin", 9)
    c = session.comparison
    other.restore("gorbachev", 1, session.interventions, session_mod.Comparison(c.lever, c.value, c.from_step),
                  steps=session.steps)
    assert other.steps == session.steps and other.interventions == session.interventions
    assert other.history.values == session.history.values
    assert other.counterfactual_history.values == session.counterfactual_history.values
    assert other.model.stance.tolist() == session.model.stance.tolist()
    with pytest.raises(scenario_files.ScenarioError):
        other.restore("nope", 1)
    assert other.scenario == "gorbachev"  # a failed restore leaves the run as it was


def test_comparison_with_an_unchanged_lever_reproduces_the_run(session):
    session.compare("appeasement", session.lever_value("appeasement"), from_now=True)
    while session.step():
        pass
    assert session.counterfactual_history.values["cohesion"] == session.history.values["cohesion"]


def test_comparison_from_the_start_diverges_and_steps_in_lockstep(session):
    for _ in range(3):
        session.step()
    session.compare("responsibility_shared", 1.0)
    assert len(session.counterfactual_history) == len(session.history)
    while session.step():
        pass
    assert len(session.counterfactual_history) == len(session.history)
    assert session.counterfactual_history.values["cohesion"] != session.history.values["cohesion"]


def test_csv_exports_have_a_row_per_period_and_region(session):
    for _ in range(6):
        session.step()
    indicators = pd.read_csv(io.StringIO(session.indicators_csv()))
    assert len(indicators) == 7
    assert {"scenario", "seed", "period", "cohesion", "compliance", "authority"} <= set(indicators.columns)
    regions = pd.read_csv(io.StringIO(session.regions_csv()))
    assert len(regions) == 7 * session.model.world.n
    assert set(regions["stance"]) <= {s.label for s in Stance}
    events = pd.read_csv(io.StringIO(session.events_csv()))
    assert len(events) == len(session.model.event_log)
    session.compare("openness", 0.0)
    both = pd.read_csv(io.StringIO(session.comparison_csv()))
    assert len(both) == 14 and both["run"].nunique() == 2


# ------------------------------------------------------------------------------ the address
def test_calendar_writes_and_reads_quarters():
    cal = address.Calendar(1985.0, 4)
    assert [cal.quarter(s) for s in (1, 2, 5, 28)] == ["1985Q1", "1985Q2", "1986Q1", "1991Q4"]
    for s in range(1, 29):
        assert cal.step_of(cal.quarter(s)) == s
    assert cal.step_of("1987 Q2") == cal.step_of("1987-q2") == 10
    assert cal.step_of("1984Q4") is None and cal.step_of("1987Q5") is None and cal.step_of("soon") is None


def test_the_address_round_trips_a_run():
    recipe = address.Recipe("gorbachev", 3, steps=16, moves=[(0, "openness", 0.2), (8, "loop_contagion", False)],
                            comparison=("audit_capacity", 0.3, 5), view=9, marks=[4, 9], lang="ru",
                            presentation=True, lesson=True)
    cal, _ = address.calendar_of("gorbachev")
    query = address.to_query(recipe, cal)
    assert "at=1988Q4" in query and "move=openness:0.2@1985Q1" in query and "move=loop_contagion:off@1987Q1" in query
    assert "compare=audit_capacity:0.3@1986Q2" in query and "view=1987Q1" in query
    back, problems = address.from_query(query, ("en", "ru"))
    assert problems == [] and back == recipe


@pytest.mark.parametrize("query, key", [
    ("scenario=nope", "address.scenario"), ("seed=x", "address.seed"), ("lang=xx", "address.lang"),
    ("at=2050Q1", "address.quarter"), ("move=openness@1986Q1", "address.lever"),
    ("move=openness:7@1986Q1", "address.value"), ("move=n_regions:3@1986Q1", "address.lever"),
    ("compare=loop_fiscal:maybe@start", "address.value"), ("view=yesterday", "address.quarter")])
def test_a_broken_address_is_reported_and_the_rest_applies(query, key):
    prefix = "" if key == "address.seed" else "seed=2&"
    recipe, problems = address.from_query(prefix + query, ("en", "ru"))
    assert [p.key for p in problems] == [key]
    assert recipe.seed == (1 if key == "address.seed" else 2)
    for tr in (EN, RU):
        text = tr(problems[0].key, **problems[0].values)
        assert "{" not in text and "\n" not in text


# ------------------------------------------------------------------------------ the catalogues
#: placeholders the code fills in that English does not use
SUPPLIED = {"date.quarter": {"roman"}, "date.period": {"roman"}}


def test_every_catalogue_has_the_english_keys_and_placeholders():
    english = i18n.load_strings("en")
    for lang in i18n.languages():
        strings = i18n.load_strings(lang)
        optional = {k for k in strings if k.startswith("scenario_title.")}
        plural = {k.rsplit(".", 1)[0] for k in english if k.rsplit(".", 1)[-1] in ("one", "other")}
        for key, text in english.items():
            stem = key.rsplit(".", 1)[0]
            if stem in plural:
                forms = [k for k in strings if k.rsplit(".", 1)[0] == stem]
                assert forms, f"{lang}: {stem} has no plural forms"
                for form in forms:
                    assert i18n.placeholders(strings[form]) <= i18n.placeholders(text) | {"n"}, form
                continue
            assert key in strings, f"{lang}.toml lacks {key}"
            supplied = i18n.placeholders(text) | SUPPLIED.get(key, set())
            assert i18n.placeholders(strings[key]) <= supplied, f"{lang}: {key}"
        extra = set(strings) - set(english) - optional
        extra = {k for k in extra if k.rsplit(".", 1)[0] not in plural}
        assert not extra, f"{lang}.toml has keys English does not: {sorted(extra)[:5]}"


def test_every_key_the_code_asks_for_is_in_the_english_catalogue():
    source = "\n".join(p.read_text() for p in (ds.REPO / "dashboard").glob("*.py"))
    keys = set(re.findall(r"""tr(?:\.get|\.plural)?\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""", source))
    keys |= set(re.findall(r"""state\.tr\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""", source))
    assert len(keys) > 150
    plural_stems = {k.rsplit(".", 1)[0] for k in i18n.load_strings("en") if k.endswith(".one")}
    missing = [k for k in keys if not EN.has(k) and k not in plural_stems]
    assert not missing, missing


def test_plurals_and_quarters_follow_each_language():
    assert EN.plural("time.years", 1) == "1 year" and EN.plural("time.years", 3) == "3 years"
    assert [RU.plural("time.years", n) for n in (1, 2, 5, 11, 21, 22)] == \
        ["1 год", "2 года", "5 лет", "11 лет", "21 год", "22 года"]
    assert EN.quarter("1987Q2") == "1987 Q2" and RU.quarter("1987 Q2") == "II кв. 1987"
    assert EN.quarter("start") == "start"


# ------------------------------------------------------------------------------ explanations
def region_view(terms: dict, stance: int = 0, levers: dict | None = None, appointed: float = 1985.0):
    base = {"risk_of_obeying": 0.1, "risk_of_disobeying": 0.5, "audit_probability": 0.2, "peer_share": 0.1,
            "peer_threshold": 0.4, "exit_pull": 0.1, "autonomy_threshold": 0.4, "shortfall": 0.0, "unrest": 0.0}
    return explain.RegionView("Kaunas", "Lithuanian SSR", stance, {**base, **terms}, "national cadre", appointed,
                              levers or {"punishment_severity": 0.5, "decentralisation": 0.0}, 1989.5, 1985.0)


def test_a_likely_audit_beside_a_small_danger_is_always_explained():
    view = region_view({"audit_probability": 0.64, "risk_of_disobeying": 0.03, "risk_of_obeying": 1.3},
                       stance=1, levers={"punishment_severity": 0.05, "decentralisation": 0.0})
    text = " ".join(explain.sentences(view, EN))
    assert "An audit is likely (64% chance), but the punishment is mild" in text
    assert "stopped obeying" in text and "managing its own risk" in text
    assert "1.30" not in text  # no bare numbers of danger in the sentences
    compact = " ".join(explain.compact_sentences(view, EN))
    assert "punishment is mild" in compact


@pytest.mark.parametrize("stance, word", [(0, "keeps obeying"), (1, "stopped obeying"), (2, "went further")])
def test_the_explanation_agrees_with_the_stance_on_the_map(stance, word):
    text = " ".join(explain.sentences(region_view({}, stance=stance), EN))
    assert word in text
    assert ("autonomous" in text) == (stance == 2) or stance != 2


def test_bars_replace_bare_numbers_and_name_themselves():
    rows = explain.bars(region_view({"risk_of_obeying": 1.3, "risk_of_disobeying": 0.03}), EN)
    names = [name for name, _, _ in rows]
    assert names[:2] == ["Danger if it obeys", "Danger if it disobeys"]
    assert "aria-label='Danger if it obeys: high (1.30)'" in rows[0][1]
    assert "width:86.7%" in rows[0][1] and "width:2.0%" in rows[1][1]
    assert "sc-bar-mark" in rows[3][1]  # the neighbours' bar marks the official's threshold


def test_time_in_office_is_the_real_one():
    def quarter(year):
        return EN.quarter(address.Calendar(1985.0).quarter(max(1, round((year - 1985.0) * 4))))
    assert explain.in_office(region_view({}), EN, quarter) == "In office since before 1985 Q1, when the scenario begins."
    later = explain.in_office(region_view({}, appointed=1987.25), EN, quarter)
    assert later == "Appointed in 1987 Q1 after the previous official was dismissed: 2 years and 1 quarter in office."


# ------------------------------------------------------------------------------ chart options
def _json_only(option) -> bool:
    json.dumps(option)  # raises on anything that is not plain JSON (no functions)
    return True


def test_tile_layout_codes_sit_on_their_republics_and_never_touch():
    model = CohesionModel("gorbachev", rng=1)
    layout = charts.TileLayout.of(model.world)
    assert len(layout.x) == model.world.n and len(set(zip(layout.x, layout.y))) == model.world.n
    assert {code for code, _, _ in layout.labels} == set(model.world.republic_codes)
    for i, (_, x1, y1) in enumerate(layout.labels):
        for _, x2, y2 in layout.labels[i + 1:]:
            assert abs(x1 - x2) >= 2 or abs(y1 - y2) >= 1.4, (layout.labels[i], x2, y2)


def test_map_option_colours_letters_and_explains_every_region(session):
    for _ in range(20):
        session.step()
    layout = charts.TileLayout.of(session.model.world)
    option = charts.map_option(layout, session.history.snapshot(20), EN, selected=3, title="t", file="f")
    assert _json_only(option)
    cells = option["series"][0]["data"]
    assert [c["value"][2] for c in cells] == session.model.stance.tolist()
    assert cells[3]["itemStyle"]["borderWidth"] > 1
    assert option["series"][0]["label"]["formatter"] == "sc:letter" and option["scMeta"]["letters"] == ["·", "M", "A"]
    assert option["tooltip"]["position"] == "sc:inside-screen"  # never off the screen
    assert "toolbox" not in option  # the Save PNG button is outside the canvas
    assert "Danger if it obeys" in cells[0]["name"]
    assert option["scMeta"]["alt"].startswith(f"Of {session.model.n_regions} regions")


def test_the_map_and_the_log_show_what_the_second_generation_adds(session):
    """Allegiance and the classroom game's choices in the tooltip; declarations in the log."""
    session.step()
    snap = session.history.snapshot(1)
    layout = charts.TileLayout.of(session.model.world)
    allegiance = np.zeros(session.model.world.n, dtype=np.int8)
    allegiance[4] = 1
    played = np.zeros(session.model.world.n, dtype=bool)
    played[4] = True
    richer = history_mod.Snapshot(**{**snap.__dict__, "allegiance": allegiance, "played": played})
    tip = charts.tile_tooltip(layout, 4, richer, EN)
    assert "Answers to: its republic" in tip and "A player chose" in tip
    assert "Подчиняется: своей республике" in charts.tile_tooltip(layout, 4, richer, RU)
    event_log = ds.dashboard_module("event_log")
    entry = {"period": "1990 Q1", "kind": "declaration", "declaration": "sovereignty", "republic": "Lithuanian SSR",
             "label": "Lithuanian SSR declares sovereignty"}
    assert event_log.log_line(entry, EN) == "1990 Q1: The Lithuanian SSR declares sovereignty"
    assert event_log.log_line(entry, RU) == "I кв. 1990: Литовская ССР провозглашает суверенитет"
    assert event_log.log_line({"period": "1990 Q1", "kind": "new kind", "label": "as the model wrote it"}, RU) \
        == "I кв. 1990: as the model wrote it"


def test_event_numbers_get_rows_that_never_overlap():
    years = [e.year for e in scenario_files.load("ussr-1953-1991").events]
    levels = charts.event_levels(years, 1953.0, 1992.0)
    gap = (1992.0 - 1953.0) * 0.045
    for i, (a, la) in enumerate(zip(years, levels)):
        for b, lb in zip(years[i + 1:], levels[i + 1:]):
            assert la != lb or abs(b - a) >= gap


def test_time_plots_carry_events_quarters_and_the_band(session):
    for _ in range(5):
        session.step()
    timeline = session.model.timeline
    band = band_mod.BandResult([1985.0, 1985.25], [0.9, 0.8], [0.95, 0.85], [0.99, 0.9], [1, 2])
    option = charts.indicators_option(session.history, timeline.events, timeline.start, timeline.end, EN,
                                      ["1985-01-01", "1985-04-01"], band=band, quarters={"1985-04-01": "1985 Q1"})
    assert _json_only(option)
    ids = [s["id"] for s in option["series"]]
    assert ids[:5] == ["cohesion", "compliance", "plan_fulfilment", "authority", "reserves"]
    assert {"band_low", "band_width", "calendar"} <= set(ids)
    marks = option["series"][0]["markLine"]["data"]
    assert len(marks) == len(timeline.events) and marks[0]["xAxis"] == charts.event_date(timeline.events[0])
    assert option["tooltip"]["formatter"] == "sc:axis"
    events = option["scMeta"]["events"]
    assert events[charts.event_date(timeline.events[2])] == ["3. " + timeline.events[2].label]


def test_year_to_date():
    assert charts.year_to_date(1989.25) == "1989-04-01"
    assert charts.year_to_date(1991.999) == "1992-01-01"


# ------------------------------------------------------------------------------ the play loop, the band
def test_player_plays_until_the_end_and_reports_it():
    steps_done, stopped = [], []
    player = player_mod.Player(lambda: steps_done.append(1) or len(steps_done) < 5, stopped.append,
                               gate=player_mod.PlayGate())
    player.play(speed=100)
    assert wait_for(lambda: stopped == [None])
    assert len(steps_done) == 5 and not player.playing


def test_player_pause_stops_and_an_error_is_handed_on():
    steps_done = []
    player = player_mod.Player(lambda: steps_done.append(1) or True, lambda m: None, gate=player_mod.PlayGate())
    player.play(speed=200)
    assert wait_for(lambda: len(steps_done) >= 3)
    assert player.rate is None or player.rate > 0
    player.pause()
    time.sleep(0.1)
    n = len(steps_done)
    time.sleep(0.1)
    assert len(steps_done) == n and not player.playing

    def broken():
        raise RuntimeError("boom")

    errors = []
    player = player_mod.Player(broken, errors.append, gate=player_mod.PlayGate())
    player.play(speed=100)
    assert wait_for(lambda: len(errors) == 1)
    assert str(errors[0]) == "boom"


def test_play_gate_takes_turns_and_leaves_time_free():
    gate = player_mod.PlayGate(share=0.5)
    busy, lock, inside = [], threading.Lock(), [0]

    def work():
        for _ in range(5):
            with gate.turn():
                with lock:
                    inside[0] += 1
                    assert inside[0] == 1
                time.sleep(0.01)
                busy.append(0.01)
                with lock:
                    inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(busy) / (time.perf_counter() - started) <= 0.55


def test_the_band_holds_the_middle_of_many_seeds_and_follows_the_lever_moves():
    done = threading.Event()
    progress = []
    band = band_mod.SeedBand("gorbachev", 1, count=5, on_progress=lambda d, t: progress.append((d, t)),
                             on_done=lambda r, e: done.set()).start()
    assert done.wait(120) and band.error is None
    result = band.result
    assert result.seeds == [1, 2, 3, 4, 5] and progress[-1] == (5, 5)
    assert len(result.years) == len(result.low) == scenario_files.load("gorbachev").steps(4) + 1
    assert all(lo <= m <= hi for lo, m, hi in zip(result.low, result.median, result.high))
    own = RunSession("gorbachev", 1)
    while own.step():
        pass
    assert result.low[-1] - 1e-9 <= own.history.values["cohesion"][-1] or result.seeds[0] == 1
    shared = band_mod.SeedBand("gorbachev", 1, moves=[(0, "responsibility_shared", 1.0)], count=3).start()
    shared.thread.join(120)
    assert shared.result.median[-1] > result.median[-1]  # the lever moves are in the band's runs


def test_a_cancelled_band_stops_within_a_step():
    band = band_mod.SeedBand("ussr-1953-1991", 1, count=20).start()
    time.sleep(0.2)
    band.cancel()
    band.thread.join(10)
    assert not band.thread.is_alive() and band.result is None


# ------------------------------------------------------------------------------ the lesson in the scenario files
def test_every_scenario_has_a_lesson_with_questions_in_its_years():
    for name in scenario_files.names():
        timeline = scenario_files.load(name)
        lesson = scenario_files.load_lesson(name)
        assert lesson, name
        assert all(timeline.start <= q.year < timeline.end and "?" in q.question for q in lesson), name


# ------------------------------------------------------------------------------ the page
def test_page_renders_with_the_scenarios_the_quarter_and_the_address(dashboard_page):
    assert year_text(dashboard_page) == "1985"
    (select,) = ds.find_by_class(dashboard_page, v.Select, "sc-scenario")
    assert {item["value"] for item in select.items} == set(scenario_files.names())
    headings = " ".join(w.children[0] for w in dashboard_page.find(v.ExpansionPanelHeader).widgets)
    for heading in ("What is it?", "What happened", "How it works", "How to use it", "Things to try", "Words used here"):
        assert heading in headings
    sync = dashboard_page.find(ds.dashboard_module("page_sync").PageSync).widgets[0]
    assert sync.query == "scenario=gorbachev&seed=1" and sync.lang == "en"


def test_step_play_and_pause(dashboard_page):
    steps(dashboard_page, 2)
    assert year_text(dashboard_page) == "1985 Q2"
    button(dashboard_page, "sc-play").click()
    assert wait_for(lambda: year_text(dashboard_page) != "1985 Q2")
    assert "Pause" in button(dashboard_page, "sc-play").children
    button(dashboard_page, "sc-play").click()
    # here the click does not hold the kernel's lock as a served page's does, so a step the player
    # is drawing can carry the redraw: the label turns within that step
    assert wait_for(lambda: "Play" in button(dashboard_page, "sc-play").children)
    # the player finishes the step it was in (on a busy machine that can take a moment), then stops
    assert wait_for(lambda: not any(t.name == "soviet-cohesion-player" and t.is_alive()
                                    for t in threading.enumerate()))
    shown = year_text(dashboard_page)
    time.sleep(0.5)
    assert year_text(dashboard_page) == shown


def test_a_slider_echo_never_holds_a_lever_but_a_visitors_move_does(dashboard_page):
    steps(dashboard_page, 3)
    (slider,) = ds.find_by_class(dashboard_page, v.Slider, "sc-slider-punishment_severity")
    slider.v_model = 0.83  # the browser rounding the value the server sent (no visitor involved)
    steps(dashboard_page, 1)
    assert "Punishment  (held)" not in ds.texts(dashboard_page)
    browser_event(slider, "change", 0.2)  # a visitor's click or key on the slider
    assert "Punishment  (held)" in ds.texts(dashboard_page)
    (switch,) = ds.find_by_class(dashboard_page, v.Switch, "sc-switch-loop_contagion")
    switch.v_model = False  # an echo again: nothing
    assert "Contagion  (held)" not in ds.texts(dashboard_page)
    browser_event(switch, "change", False)
    assert "Contagion  (held)" in ds.texts(dashboard_page)


def test_a_bad_seed_disables_reset_and_a_picked_scenario_still_runs(dashboard_page):
    (seed,) = ds.find_by_class(dashboard_page, v.TextField, "sc-seed")
    for bad, words in (("", "empty"), ("abc", "not a whole number"), ("-1", "from 0 to")):
        seed.v_model = bad
        (seed,) = ds.find_by_class(dashboard_page, v.TextField, "sc-seed")
        assert words in " ".join(seed.error_messages)
        assert button(dashboard_page, "sc-reset").disabled
    (select,) = ds.find_by_class(dashboard_page, v.Select, "sc-scenario")
    select.v_model = "stalin"
    assert year_text(dashboard_page) == "1946"  # the scenario picked runs, with the run's own seed
    assert "seed 1" in message_text(dashboard_page)
    (select,) = ds.find_by_class(dashboard_page, v.Select, "sc-scenario")
    assert select.v_model == "stalin"


def test_a_typed_seed_is_named_on_reset_and_started_by_enter(dashboard_page):
    (seed,) = ds.find_by_class(dashboard_page, v.TextField, "sc-seed")
    seed.v_model = "7"
    assert "Start seed 7" in button(dashboard_page, "sc-reset").children
    (seed,) = ds.find_by_class(dashboard_page, v.TextField, "sc-seed")
    assert seed.hint == "Press Enter to start seed 7"
    browser_event(seed, "keyup.enter", {})
    sync = dashboard_page.find(ds.dashboard_module("page_sync").PageSync).widgets[0]
    assert "seed=7" in sync.query and "Reset" in button(dashboard_page, "sc-reset").children


def test_stepping_past_the_end_gives_a_message_not_a_traceback(dashboard_page):
    steps(dashboard_page, 30)
    assert "ended" in message_text(dashboard_page)
    assert "Traceback" not in ds.texts(dashboard_page)


def test_two_pages_are_independent():
    a, b = render(), render()
    try:
        steps(a, 3)
        assert year_text(a) == "1985 Q3" and year_text(b) == "1985"
        button(b, "sc-reset").click()
        assert year_text(a) == "1985 Q3"
    finally:
        a.close()
        b.close()


def test_the_timeline_shows_an_earlier_quarter_and_bookmarks_it(dashboard_page):
    steps(dashboard_page, 16)
    live = chart_widget(dashboard_page, "sc-map").update["series"][0]["data"]
    (scrubber,) = ds.find_by_class(dashboard_page, v.Slider, "sc-scrubber")
    browser_event(scrubber, "change", 6)
    assert year_text(dashboard_page) == "1986 Q2"
    then = chart_widget(dashboard_page, "sc-map").update["series"][0]["data"]
    model = CohesionModel("gorbachev", rng=1)
    for _ in range(6):
        model.step()
    assert [c["value"][2] for c in then] == model.stance.tolist() != [c["value"][2] for c in live]
    assert len(chart_widget(dashboard_page, "sc-indicators").update["series"][0]["data"]) == 7
    button(dashboard_page, "sc-mark").click()
    assert any("1986 Q2" in str(b.children) for b in ds.find_by_class(dashboard_page, v.Btn, "sc-bookmark"))
    sync = dashboard_page.find(ds.dashboard_module("page_sync").PageSync).widgets[0]
    assert "view=1986Q2" in sync.query and "mark=1986Q2" in sync.query
    button(dashboard_page, "sc-step").click()  # stepping returns to the latest quarter, and on
    assert year_text(dashboard_page) == "1989 Q1"


def test_the_address_restores_the_page():
    rc = render("scenario=gorbachev&seed=2&at=1987Q2&move=appeasement:0.6@1986Q1&view=1986Q4&mark=1986Q3&lang=ru")
    try:
        assert year_text(rc) == "IV кв. 1986"
        assert "Уступки  (закреплён)" in ds.texts(rc)
        sync = rc.find(ds.dashboard_module("page_sync").PageSync).widgets[0]
        assert sync.lang == "ru" and "at=1987Q2" in sync.query and "move=appeasement:0.6@1986Q1" in sync.query
    finally:
        rc.close()


def test_lesson_mode_stops_at_an_event_with_the_files_question():
    rc = render("scenario=gorbachev&seed=1&lesson=1")
    try:
        steps(rc, 5)
        assert not ds.find_by_class(rc, v.Btn, "sc-lesson-continue") or year_text(rc) in ("1985 Q2", "1986 Q1")
        steps(rc, 1)
        text = ds.texts(rc)
        assert year_text(rc) == "1986 Q2" and "Glasnost proclaimed" in text
        assert "Which regions do you think stop obeying first?" in text
        assert "Ask the class to point" not in text  # the teacher's note stays folded
        button(rc, "sc-lesson-note-toggle").click()
        assert "Ask the class to point" in ds.texts(rc)
        button(rc, "sc-lesson-continue").click()
        assert wait_for(lambda: not ds.find_by_class(rc, v.Btn, "sc-lesson-continue") or year_text(rc) != "1986 Q2")
    finally:
        rc.close()


def test_clicking_a_region_explains_it_in_sentences_and_bars(dashboard_page):
    steps(dashboard_page, 12)
    chart_widget(dashboard_page, "sc-map").vue_on_click({"seriesType": "heatmap", "dataIndex": 5})
    text = ds.texts(dashboard_page)
    assert "Danger if it obeys" in text and "Danger if it disobeys" in text and "sc-bar-fill" in text
    assert "In office since before 1985 Q1" in text or "Appointed in" in text
    chart_widget(dashboard_page, "sc-map").vue_on_click({"seriesType": "lines", "dataIndex": 2})  # a border: ignored
    assert "Danger if it obeys" in ds.texts(dashboard_page)


def test_the_band_is_computed_in_the_background_and_drawn(dashboard_page):
    button(dashboard_page, "sc-band-run").click()
    steps(dashboard_page, 2)  # the page answers while the band runs
    assert year_text(dashboard_page) == "1985 Q2"
    assert wait_for(lambda: "20 runs" in ds.texts(dashboard_page), 120)
    ids = [s["id"] for s in chart_widget(dashboard_page, "sc-indicators").option["series"]]
    assert "band_width" in ids
    button(dashboard_page, "sc-reset").click()
    assert "One run is one possible history" in ds.texts(dashboard_page)


def test_the_page_speaks_russian_with_no_english_left():
    rc = render("lang=ru&scenario=gorbachev&seed=1")
    try:
        steps(rc, 22)
        chart_widget(rc, "sc-map").vue_on_click({"seriesType": "heatmap", "dataIndex": 20})
        button(rc, "sc-compare-run").click()
        text = ds.texts(rc)
        scenario_text = json.dumps(scenario_files.load("gorbachev").narrative)
        leftovers = []
        for key, english in i18n.load_strings("en").items():
            russian = i18n.load_strings("ru").get(key)
            if russian == english or len(english) < 8 or " " not in english or "{" in english:
                continue
            if english in text and english not in scenario_text:
                leftovers.append((key, english))
        assert not leftovers, leftovers[:5]
        assert "Пуск" in text and "Журнал событий" in text
        assert "Играть в классе" in text and "Play it in class" not in text  # the class session's button too
    finally:
        rc.close()


def test_the_lesson_sheet_has_everything_a_lesson_needs(dashboard_page):
    steps(dashboard_page, 28)
    button(dashboard_page, "sc-sheet-make").click()
    html = ds.texts(dashboard_page)
    assert html.count("class='sc-sheet-map'") == 3 and html.count("class='sc-sheet-chart'") == 2
    assert "Seed 1" in html and "Glasnost proclaimed" in html and "Which regions do you think" in html
    assert "scenario=gorbachev" in html


def test_the_history_box_shows_real_dates_and_what_the_model_does_not_claim(dashboard_page):
    assert "What the model does not claim" not in ds.texts(dashboard_page)  # folded
    button(dashboard_page, "sc-history-toggle").click()
    text = ds.texts(dashboard_page)
    assert "What the model does not claim" in text and "Glasnost proclaimed" in text
    assert "It does not predict dates" in text


def test_the_history_box_puts_real_declarations_beside_the_models(monkeypatch):
    """With the model's declarations and the history data (the second generation), the box
    shows each republic's real dates beside this run's."""
    import sys
    import types

    history_box = ds.dashboard_module("history_box")
    fake_history = types.ModuleType("soviet_cohesion.history")
    fake_history.declarations = lambda: pd.DataFrame([
        {"republic": "Estonia", "declaration": "sovereignty", "date": "16 November 1988"},
        {"republic": "Lithuania", "declaration": "independence", "date": "11 March 1990"}])
    monkeypatch.setitem(sys.modules, "soviet_cohesion.history", fake_history)
    history_box.real_declarations.cache_clear()
    session = RunSession("gorbachev", 1)
    session.model.declarations = lambda: pd.DataFrame([
        {"republic": "Estonian SSR", "declaration": "sovereignty", "year": 1989.5, "step": 19}])
    state = state_mod.TabState(session, address.Recipe())
    try:
        text = history_box.history_html(state)
        assert "16 November 1988" in text and "11 March 1990" in text and "1989 Q3" in text
        assert "Sovereignty (history)" in text and "not (yet)" in text
        assert "What the model does not claim" in text
    finally:
        history_box.real_declarations.cache_clear()
        state.close()


def test_presentation_mode_shows_fewer_larger_panels(dashboard_page):
    normal_cards = len(dashboard_page.find(v.Card).widgets)
    (switch,) = ds.find_by_class(dashboard_page, v.Switch, "sc-presentation-switch")
    switch.v_model = True
    assert len(dashboard_page.find(v.Card).widgets) < normal_cards
    assert ds.find_by_class(dashboard_page, v.Sheet, "sc-presentation")
    assert "Speed" in ds.texts(dashboard_page)  # the run controls stay, on one line


# ------------------------------------------------------------------------------ the launcher
def test_launcher_runs_solara_in_production_with_classroom_settings():
    from soviet_cohesion import dashboard_launcher as launcher

    app = launcher.app_path()
    assert app.name == "app.py" and app.is_file()
    cmd = launcher.command("127.0.0.1", 8765, open_browser=False)
    assert cmd[1:4] == ["-m", "solara", "run"] and "--production" in cmd
    env = launcher.server_environment({"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "true"})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false" and env["SOLARA_THEME_SHOW_BANNER"] == "false"
    assert launcher.server_environment({"SOLARA_KERNEL_CULL_TIMEOUT": "5m"})["SOLARA_KERNEL_CULL_TIMEOUT"] == "5m"


def test_a_busy_port_is_one_line_and_exit_status_2(capsys):
    import socket

    from soviet_cohesion import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = cli.main(["dashboard", "--port", str(port)])
    err = capsys.readouterr().err.strip()
    assert status == 2 and "\n" not in err
    assert err.startswith("soviet-cohesion: error:") and f"port {port}" in err and "--port" in err


def test_an_address_that_is_not_ours_is_one_line_and_exit_status_2(capsys):
    from soviet_cohesion import dashboard_launcher as launcher

    assert launcher.serve("203.0.113.7", 8765) == 2  # TEST-NET-3: never this computer's
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "203.0.113.7" in err


def test_a_port_taken_in_a_race_becomes_one_line():
    from soviet_cohesion import dashboard_launcher as launcher

    stream = io.BytesIO(b"INFO: starting\nERROR:    [Errno 98] error while attempting to bind on address "
                        b"('127.0.0.1', 8765): address already in use\n")
    relay = threading.Thread(target=launcher._relay_errors, args=(stream, "127.0.0.1", 8765))
    relay.busy_port = False
    relay.start()
    relay.join(5)
    assert relay.busy_port


# ------------------------------------------------------------------------------ the second generation on the page
@pytest.fixture(scope="module")
def finished():
    """The gorbachev scenario, seed 1, run to its end (republics declare, the union dissolves)."""
    session = RunSession("gorbachev", 1)
    while session.step():
        pass
    return session


def _union_acts(session) -> list[dict]:
    return [e for e in session.model.event_log if e.get("kind") in ("declaration", "dissolution")]


def test_every_declaration_and_the_dissolution_reach_the_log_as_they_happen():
    """Step by step, the log shows each declaration the model makes in that step (its republic,
    its kind, in both languages), and the union's dissolution when it comes."""
    event_log = ds.dashboard_module("event_log")
    session = RunSession("gorbachev", 1)
    seen = 0
    while session.running:
        session.step()
        step = session.steps
        made = session.model.declarations()
        made = made[made["step"] == step]
        shown = event_log.log_html(session.model.event_log, EN)
        for row in made.itertuples():
            line = f"{EN.quarter(session.model.period_label(step))}: The {row.name} declares {row.declaration}"
            assert line in shown, line
            seen += 1
    declarations = session.model.declarations()
    assert seen == len(declarations) > 0  # every one of the model's declarations, as it happened
    acts = _union_acts(session)
    assert [(e["republic"], e["declaration"]) for e in acts if e["kind"] == "declaration"] == \
        list(zip(declarations["name"], declarations["declaration"]))
    assert session.model.dissolved
    (dissolution,) = [e for e in acts if e["kind"] == "dissolution"]
    assert event_log.entry_text(dissolution, EN).startswith("The Soviet Union dissolves")
    assert event_log.entry_text(dissolution, RU).startswith("Советский Союз распадается")
    whole = event_log.log_html(session.model.event_log, RU, shown=len(session.model.event_log))
    for name, kind in zip(declarations["name"], declarations["declaration"]):
        verb = {"sovereignty": "провозглашает суверенитет", "independence": "провозглашает независимость"}[kind]
        assert f"{RU(f'republic.{name}')} {verb}" in whole
    assert "sc-log-declaration" in whole and "sc-log-dissolution" in whole


def test_the_history_box_puts_the_models_date_beside_the_real_one_for_every_republic(finished):
    """With the package's own history data and the model's declarations (republic codes such as
    "LIT"), every republic that declared in the run has its model date in the table."""
    history_box = ds.dashboard_module("history_box")
    history_box.real_declarations.cache_clear()
    state = state_mod.TabState(finished, address.Recipe())
    try:
        text = history_box.history_html(state)
        rows = re.findall(r"<tr><th scope='row'>(.*?)</th>(.*?)</tr>", text)
        assert len(rows) == finished.model.world.n_republics
        declarations = finished.model.declarations()
        assert len(declarations)
        by_name = {}
        for name, cells in rows:
            by_name[name] = re.findall(r"<td>(.*?)</td>", cells)  # real, model, real, model
        for row in declarations.itertuples():
            cells = by_name[EN(f"republic.{row.name}")]
            model_cell = cells[1] if row.declaration == "sovereignty" else cells[3]
            assert model_cell == state.quarter_of_year(row.year), (row.name, row.declaration, cells)
        filled = sum(1 for cells in by_name.values() for c in (cells[1], cells[3]) if c != EN("history.not_in_run"))
        assert filled == len(declarations)  # the model column is not empty
        assert by_name["Lithuanian SSR"][2] == "1990 Q1"  # the real date (11 March 1990), as the page writes dates
        assert all(cells[0] != "–" for cells in by_name.values())  # every republic's real sovereignty
    finally:
        state.close()


def test_lesson_mode_stops_at_a_declaration():
    session = RunSession("gorbachev", 1)
    while session.steps < 17:
        session.step()
    state = state_mod.TabState(session, address.Recipe(lesson=True))
    try:
        state.step()
        stop = state.stop.value
        assert stop is not None and stop.step == 18
        made = session.model.declarations()
        assert [(a["republic"], a["declaration"]) for a in stop.acts] == \
            list(zip(made[made["step"] == 18]["name"], made[made["step"] == 18]["declaration"]))
        lesson_panel = ds.dashboard_module("lesson_panel")
        _box, rc = solara.render(lesson_panel.LessonStop(state), handle_error=False)
        try:
            assert "The Moldavian SSR declares sovereignty" in ds.texts(rc)
            state.set_lang("ru")
            assert "Молдавская ССР провозглашает суверенитет" in ds.texts(rc)
        finally:
            rc.close()
    finally:
        state.close()


def test_the_map_shows_the_republics_status_and_the_regions_allegiance(finished):
    model = finished.model
    layout = charts.TileLayout.of(model.world)
    # every republic's outline closes around its own tiles (4 edges per tile less the shared ones)
    assert len(layout.outlines) == model.world.n_republics and all(layout.outlines)
    step = 24  # all fifteen sovereign, none independent yet
    snap = finished.history.snapshot(step)
    assert snap.status is not None and (snap.status == 1).all()
    option = charts.map_option(layout, snap, EN, title="t", file="f")
    assert _json_only(option)
    series = {s["id"]: s for s in option["series"]}
    labels = series["republics"]["data"]
    assert len(labels) == 15 and all(item["label"]["borderType"] == "dashed" for item in labels)
    assert len(series["declared"]["data"]) == sum(len(e) for e in layout.outlines)
    marks = series["allegiance"]["data"]
    countered = int(snap.countered.sum())
    assert countered == finished.history.republics["counter_mobilised"][step] > 0
    assert len(marks) == int(np.count_nonzero(snap.allegiance != 0)) + countered
    assert sum(m["symbol"] == "circle" for m in marks) == countered
    assert "15 have declared sovereignty" in option["scMeta"]["alt"]
    i = int(np.flatnonzero(snap.countered)[0])
    assert "Sides with Moscow against its republic" in series["regions"]["data"][i]["name"]
    # at the end: the independent republics white on black, outlined in solid black
    end = finished.history.snapshot(finished.history.last_step)
    update = charts.map_update(layout, end, RU, None, "t", "f")
    parts = {s["id"]: s for s in update["series"]}
    independent = [item for item in parts["republics"]["data"] if item.get("label", {}).get("color") == "#ffffff"]
    assert len(independent) == int(np.count_nonzero(end.status == 2)) > 0
    assert any(line["lineStyle"]["type"] == "solid" for line in parts["declared"]["data"])
    assert "независимость" in update["scMeta"]["alt"]
    # before any declaration: nothing drawn
    start = charts.map_update(layout, finished.history.snapshot(0), EN, None, "t", "f")
    assert not [s for s in start["series"] if s["id"] in ("declared", "allegiance") and s["data"]]
    # the key: statuses and marks, in both languages
    tile_map = ds.dashboard_module("tile_map")
    key = tile_map.legend_html(EN)
    assert "declared sovereignty" in key and "sides with Moscow against its republic" in key and "<svg" in key
    assert "за Москву против своей республики" in tile_map.legend_html(RU)


def test_the_republics_chart_follows_the_run_and_says_it_in_words(finished):
    history = finished.history
    df = finished.model.indicators()
    for key in ("sovereign_share", "independent_share"):
        assert np.allclose(history.republics[key], df[key].to_numpy(), atol=1e-4)
    model, timeline = finished.model, finished.model.timeline
    dates = [charts.year_to_date(timeline.start + s / 4) for s in range(model.n_steps + 1)]
    option = charts.republics_option(history, timeline.events, timeline.start, timeline.end, EN, dates, title="t",
                                     file="f", alt="a")
    assert _json_only(option)
    ids = [s["id"] for s in option["series"]]
    assert ids[:3] == ["sovereign_share", "independent_share", "counter_mobilised"]
    assert "markLine" in option["series"][0]
    assert option["series"][2]["yAxisIndex"] == 1 and len(option["yAxis"]) == 2
    assert len({s["lineStyle"]["type"] for s in option["series"][:3]}) == 3  # greyscale: three dash patterns
    update = charts.republics_update(history.upto(20))
    assert [len(s["data"]) for s in update["series"]] == [21, 21, 21]
    plots = ds.dashboard_module("plots")
    state = state_mod.TabState(finished, address.Recipe())
    try:
        alt = plots.republics_alt(state, history.upto(history.last_step))
        assert "People in sovereign republics (share): 0.00 at the start, 1.00 in 1991 Q4" in alt
        assert "Regions siding with Moscow against their republic" in alt
    finally:
        state.close()


def test_the_page_draws_the_republics_chart_and_the_map_key():
    rc = render("scenario=gorbachev&seed=1")
    try:
        steps(rc, 2)
        chart = chart_widget(rc, "sc-republics")
        assert chart is not None and chart.option["series"][0]["id"] == "sovereign_share"
        assert len(chart.update["series"][0]["data"]) == 3
        assert "The republics" in ds.texts(rc) and "follows its republic" in ds.texts(rc)
        option = chart_widget(rc, "sc-map").option
        assert "allegiance" in [s["id"] for s in option["series"]]
        assert option["scMeta"]["legend_more"][1].startswith("Corner marks: ▲ follows its republic")  # the PNG's key
    finally:
        rc.close()


def test_the_map_sends_the_republics_again_only_when_their_status_changes():
    """Per step the map sends its cells and marks; the outlines and the codes' boxes only in a
    step in which a republic declared (or when the timeline shows another status)."""
    rc = render("scenario=gorbachev&seed=1")
    try:
        steps(rc, 17)
        ids = lambda: [s["id"] for s in chart_widget(rc, "sc-map").update["series"]]  # noqa: E731
        assert ids() == ["regions", "allegiance"]  # nothing declared yet: nothing new to send
        steps(rc, 1)  # 1989 Q2: Moldavia and Armenia declare sovereignty
        assert "declared" in ids() and "republics" in ids()
        declared = next(s for s in chart_widget(rc, "sc-map").update["series"] if s["id"] == "declared")["data"]
        assert declared and all(line["lineStyle"]["type"] != "solid" for line in declared)
        steps(rc, 1)  # 1989 Q3: no declaration
        assert ids() == ["regions", "allegiance"]
        (scrubber,) = ds.find_by_class(rc, v.Slider, "sc-scrubber")
        browser_event(scrubber, "change", 10)  # back to a quarter before the declarations: the outlines go
        assert year_text(rc) == "1987 Q2" and "declared" in ids()
        assert not next(s for s in chart_widget(rc, "sc-map").update["series"] if s["id"] == "declared")["data"]
    finally:
        rc.close()


def test_the_lesson_sheets_maps_show_the_declared_republics(finished):
    svg = ds.dashboard_module("svg")
    layout = charts.TileLayout.of(finished.model.world)
    letters = {s: charts.tile_letter(s, EN) for s in (0, 1, 2)}
    end = finished.history.snapshot(finished.history.last_step)
    drawn = svg.tile_map(layout, end.stance, letters, "t", status=end.status)
    assert drawn.count("class='sc-sheet-declared-2'") == int(np.count_nonzero(end.status == 2)) > 0
    assert drawn.count("class='sc-sheet-declared-1'") == int(np.count_nonzero(end.status == 1)) > 0
    assert "stroke-dasharray='3 2'" in drawn  # sovereignty dashed, readable in black and white
    start = finished.history.snapshot(0)
    assert "sc-sheet-declared" not in svg.tile_map(layout, start.stance, letters, "t", status=start.status)
