"""The dashboard without a browser: its run session, chart options, play loop, launcher, and the
page rendered with ``solara.render`` (clicks go straight to the widgets' handlers)."""

from __future__ import annotations

import io
import json
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
charts = ds.dashboard_module("charts")
player_mod = ds.dashboard_module("player")
state_mod = ds.dashboard_module("state")
RunSession = session_mod.RunSession


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture
def session():
    return RunSession("gorbachev", 1)


@pytest.fixture
def dashboard_page():
    """A rendered page (its own tab state); closed afterwards (stops its player)."""
    app = ds.load_app()
    box, rc = solara.render(app.Page(), handle_error=False)
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


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


# ------------------------------------------------------------------------------ the run session
@pytest.mark.parametrize("text, expected", [("1", 1), (" 42 ", 42), ("0", 0)])
def test_parse_seed_accepts_whole_numbers(text, expected):
    assert session_mod.parse_seed(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "abc", "1.5", "-3", None, "9" * 30])
def test_parse_seed_rejects_bad_input_with_a_readable_message(text):
    with pytest.raises(ValueError) as info:
        session_mod.parse_seed(text)
    message = str(info.value)
    assert "seed" in message.lower() and "\n" not in message


def test_session_steps_to_the_end_of_the_scenario(session):
    steps = 0
    while session.step():
        steps += 1
    assert not session.running
    assert session.step() is False  # stepping past the end does nothing
    n = session.model.n_steps
    assert len(session.history) == n + 1
    assert session.history.years[0] == pytest.approx(session.model.timeline.start)
    assert session.history.years[-1] == pytest.approx(session.model.year)
    counts = session.history.stance_counts
    assert all(sum(c[k] for c in counts.values()) == session.model.world.n for k in range(n + 1))
    assert "end of the scenario" in session.progress


def test_session_history_matches_the_models_indicators(session):
    for _ in range(10):
        session.step()
    df = session.model.indicators()
    for name in session_mod.TRACKED:
        assert np.allclose(session.history.values[name], df[name].to_numpy(), atol=1e-4)


def test_same_seed_same_run_different_sessions_independent():
    a, b = RunSession("gorbachev", 3), RunSession("gorbachev", 3)
    for _ in range(12):
        a.step()
    assert b.model.steps == 0  # one visitor's run never moves another's
    for _ in range(12):
        b.step()
    assert a.history.values["cohesion"] == b.history.values["cohesion"]


def test_reset_changes_scenario_and_seed_and_keeps_the_run_on_bad_input(session):
    session.step()
    session.reset("stalin", 5)
    assert (session.scenario, session.seed, session.model.steps) == ("stalin", 5, 0)
    with pytest.raises(scenario_files.ScenarioError):
        session.reset("no-such-scenario", 1)
    assert session.scenario == "stalin"  # untouched


def test_set_lever_acts_on_the_running_model_and_holds(session):
    for _ in range(4):
        session.step()
    stored = session.set_lever("responsibility_shared", 0.8)
    assert stored == pytest.approx(0.8)
    assert session.lever_value("responsibility_shared") == pytest.approx(0.8)
    assert "responsibility_shared" in session.held_levers
    with pytest.raises(ParameterError):
        session.set_lever("openness", 7)
    with pytest.raises(ParameterError):
        session.set_lever("n_regions", 3)


def test_dragging_a_slider_within_one_period_records_one_intervention(session):
    for value in (0.1, 0.2, 0.3):
        session.set_lever("appeasement", value)
    assert session.interventions == [(0, "appeasement", pytest.approx(0.3))]


def test_comparison_with_an_unchanged_lever_reproduces_the_run(session):
    # the scenario never moves appeasement, so holding it at its value changes nothing
    session.compare("appeasement", session.lever_value("appeasement"), from_now=True)
    while session.step():
        pass
    assert session.counterfactual_history.values["cohesion"] == session.history.values["cohesion"]


def test_comparison_from_the_start_diverges_and_steps_in_lockstep(session):
    for _ in range(3):
        session.step()
    session.compare("responsibility_shared", 1.0)
    assert len(session.counterfactual_history) == len(session.history)  # caught up
    while session.step():
        pass
    assert len(session.counterfactual_history) == len(session.history)
    assert session.counterfactual_history.values["cohesion"] != session.history.values["cohesion"]
    assert "Share responsibility = 1.00 from the start" == session.comparison.describe()


def test_comparison_from_now_replays_the_visitors_interventions(session):
    for _ in range(5):
        session.step()
    session.set_lever("appeasement", 0.6)
    for _ in range(3):
        session.step()
    session.compare("punishment_severity", 0.9, from_now=True)
    assert session.counterfactual_history.values["cohesion"] == session.history.values["cohesion"]
    session.set_lever("audit_capacity", 0.3)  # mirrored into the counterfactual
    assert session.counterfactual.params["audit_capacity"] == pytest.approx(0.3)
    session.stop_comparing()
    assert session.counterfactual is None


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


def test_year_label():
    assert session_mod.year_label(1986.0) == "1986"
    assert session_mod.year_label(1986.25) == "1986 Q2"
    assert session_mod.year_label(1991.75) == "1991 Q4"


# ------------------------------------------------------------------------------ chart options
def _json_only(option) -> bool:
    json.dumps(option)  # raises on anything that is not plain JSON (no functions)
    return True


def test_tile_layout_covers_every_region_and_republic():
    model = CohesionModel("gorbachev", rng=1)
    layout = charts.TileLayout.of(model.world)
    assert len(layout.x) == model.world.n
    assert len(set(zip(layout.x, layout.y))) == model.world.n  # one tile each
    assert {code for code, _, _ in layout.labels} == set(model.world.republic_codes)
    assert layout.borders  # republics are outlined
    assert 0 <= min(layout.x) and max(layout.x) < layout.width


def test_map_option_colours_every_region_by_stance_with_a_legend():
    model = CohesionModel("gorbachev", rng=1)
    layout = charts.TileLayout.of(model.world)
    option = charts.map_option(layout, model.stance, model.officials, selected=3)
    assert _json_only(option)
    cells = option["series"][0]["data"]
    assert len(cells) == model.world.n
    assert [c["value"][2] for c in cells] == model.stance.tolist()
    assert cells[3]["itemStyle"]["borderWidth"] > 1  # the selected region is outlined
    pieces = option["visualMap"]["pieces"]
    assert [p["label"] for p in pieces] == ["obeying", "managing risk", "autonomous"]
    assert [p["color"] for p in pieces] == ["#0072B2", "#E69F00", "#D55E00"]  # Okabe-Ito
    assert option["toolbox"]["feature"]["saveAsImage"]  # PNG export
    update = charts.map_update(layout, model.stance, model.officials)
    assert update["series"][0]["id"] == "regions" and len(update["series"][0]["data"]) == model.world.n


def test_time_plots_mark_the_scenarios_events(session):
    for _ in range(5):
        session.step()
    timeline = session.model.timeline
    option = charts.indicators_option(session.history, timeline.events, timeline.start, timeline.end)
    assert _json_only(option)
    assert [s["id"] for s in option["series"]] == ["cohesion", "compliance", "plan_fulfilment", "authority",
                                                   "reserves"]
    marks = option["series"][0]["markLine"]["data"]
    assert len(marks) == len(timeline.events)
    assert marks[0]["xAxis"] == charts.year_to_date(timeline.events[0].year)
    assert len(option["series"][0]["data"]) == 6
    update = charts.indicators_update(session.history)
    assert len(update["series"]) == 5 and len(update["series"][0]["data"]) == 6
    stances = charts.stances_option(session.history, timeline.events, timeline.start, timeline.end,
                                    session.model.world.n)
    assert _json_only(stances)


def test_year_to_date():
    assert charts.year_to_date(1989.25) == "1989-04-01"
    assert charts.year_to_date(1985.0) == "1985-01-01"
    assert charts.year_to_date(1991.999) == "1992-01-01"


# ------------------------------------------------------------------------------ the play loop
def test_player_plays_until_the_end_and_reports_it():
    steps, stopped = [], []
    player = player_mod.Player(lambda: steps.append(1) or len(steps) < 5, stopped.append,
                               gate=player_mod.PlayGate())
    player.play(speed=100)
    assert wait_for(lambda: stopped == [None])
    assert len(steps) == 5 and not player.playing


def test_player_pause_stops_and_an_error_becomes_a_message():
    steps = []
    player = player_mod.Player(lambda: steps.append(1) or True, lambda m: None, gate=player_mod.PlayGate())
    player.play(speed=200)
    assert wait_for(lambda: len(steps) >= 3)
    player.pause()
    time.sleep(0.1)
    n = len(steps)
    time.sleep(0.1)
    assert len(steps) == n and not player.playing

    def broken():
        raise RuntimeError("boom")

    messages = []
    player = player_mod.Player(broken, messages.append, gate=player_mod.PlayGate())
    player.play(speed=100)
    assert wait_for(lambda: messages == ["The run stopped: boom"])


def test_play_gate_takes_turns_and_leaves_time_free():
    gate = player_mod.PlayGate(share=0.5)
    busy = []
    lock = threading.Lock()
    inside = [0]

    def work():
        for _ in range(5):
            with gate.turn():
                with lock:
                    inside[0] += 1
                    assert inside[0] == 1  # one play step at a time
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
    elapsed = time.perf_counter() - started
    assert sum(busy) / elapsed <= 0.55  # at most half of the time goes to play steps


# ------------------------------------------------------------------------------ the page
def test_page_renders_with_the_scenarios_and_the_year(dashboard_page):
    assert year_text(dashboard_page) == "1985"
    (select,) = ds.find_by_class(dashboard_page, v.Select, "sc-scenario")
    assert {item["value"] for item in select.items} == set(scenario_files.names())
    text = ds.texts(dashboard_page)
    for heading in ("What is it?", "What happened", "What to watch", "How it works", "How to use it",
                    "Things to notice", "Things to try", "Extending the model"):
        assert heading in " ".join(w.children[0] for w in dashboard_page.find(v.ExpansionPanelHeader).widgets), heading
    assert "Traceback" not in text


def test_step_button_advances_the_year(dashboard_page):
    button(dashboard_page, "sc-step").click()
    assert year_text(dashboard_page) == "1985 Q1"
    button(dashboard_page, "sc-step").click()
    assert year_text(dashboard_page) == "1985 Q2"


def test_play_and_pause(dashboard_page):
    button(dashboard_page, "sc-play").click()
    assert wait_for(lambda: year_text(dashboard_page) != "1985")
    assert "Pause" in button(dashboard_page, "sc-play").children
    button(dashboard_page, "sc-play").click()
    assert "Play" in button(dashboard_page, "sc-play").children
    time.sleep(0.4)
    shown = year_text(dashboard_page)
    time.sleep(0.6)
    assert year_text(dashboard_page) == shown


def test_bad_seed_shows_a_message_and_disables_reset(dashboard_page):
    (seed,) = ds.find_by_class(dashboard_page, v.TextField, "sc-seed")
    for bad in ("", "abc", "-1"):
        seed.v_model = bad
        assert seed.error is True and seed.messages and "seed" in seed.messages[0].lower()
        assert button(dashboard_page, "sc-reset").disabled
    seed.v_model = "7"
    assert not button(dashboard_page, "sc-reset").disabled
    button(dashboard_page, "sc-reset").click()
    assert "Traceback" not in ds.texts(dashboard_page)


def test_picking_a_scenario_resets_the_run(dashboard_page):
    button(dashboard_page, "sc-step").click()
    (select,) = ds.find_by_class(dashboard_page, v.Select, "sc-scenario")
    select.v_model = "stalin"
    assert year_text(dashboard_page) == "1946"
    assert "Late Stalinism" in ds.texts(dashboard_page)


def test_stepping_past_the_end_gives_a_message_not_a_traceback(dashboard_page):
    for _ in range(40):
        button(dashboard_page, "sc-step").click()
    assert "ended" in message_text(dashboard_page)
    assert "Traceback" not in ds.texts(dashboard_page)


def test_two_pages_are_independent():
    app = ds.load_app()
    _, a = solara.render(app.Page(), handle_error=False)
    _, b = solara.render(app.Page(), handle_error=False)
    try:
        for _ in range(3):
            button(a, "sc-step").click()
        assert year_text(a) == "1985 Q3" and year_text(b) == "1985"
        button(b, "sc-reset").click()
        assert year_text(a) == "1985 Q3"
    finally:
        a.close()
        b.close()


def test_lever_slider_sets_the_lever_on_the_running_model(dashboard_page):
    button(dashboard_page, "sc-step").click()
    (slider,) = ds.find_by_class(dashboard_page, v.Slider, "sc-slider-responsibility_shared")
    slider.v_model = 0.9
    assert "Share responsibility  (held)" in ds.texts(dashboard_page)
    (slider,) = ds.find_by_class(dashboard_page, v.Slider, "sc-slider-responsibility_shared")
    assert slider.v_model == pytest.approx(0.9)
    (switch,) = ds.find_by_class(dashboard_page, v.Switch, "sc-switch-loop_contagion")
    switch.v_model = False
    assert "Contagion  (held)" in ds.texts(dashboard_page)


def test_a_slider_snapping_to_its_grid_does_not_move_the_lever():
    levers = ds.dashboard_module("levers")
    assert not levers.moved(0.0625, levers.on_grid(0.0625))
    assert levers.moved(0.0625, 0.3)


def test_clicking_a_region_explains_its_decision(dashboard_page):
    for _ in range(12):
        button(dashboard_page, "sc-step").click()
    charts_widgets = [w for w in dashboard_page.find(ds.dashboard_module("live_chart").LiveEchartsWidget).widgets
                      if "sc-map" in w.attributes.get("class", "")]
    (map_widget,) = charts_widgets
    map_widget.vue_on_click({"seriesType": "heatmap", "dataIndex": 5})
    text = ds.texts(dashboard_page)
    assert "Risk of obeying" in text and "Risk of disobeying" in text and "Peers not obeying" in text
    map_widget.vue_on_click({"seriesType": "lines", "dataIndex": 2})  # a border: ignored
    assert "Risk of obeying" in ds.texts(dashboard_page)


def test_compare_panel_runs_a_counterfactual(dashboard_page):
    button(dashboard_page, "sc-compare-run").click()
    for _ in range(6):
        button(dashboard_page, "sc-step").click()
    assert any("sc-compare-chart" in w.attributes.get("class", "")
               for w in dashboard_page.find(ds.dashboard_module("live_chart").LiveEchartsWidget).widgets)
    assert "with Share responsibility = 1.00 from the start" in ds.texts(dashboard_page)
    button(dashboard_page, "sc-compare-stop").click()
    assert not any("sc-compare-chart" in w.attributes.get("class", "")
                   for w in dashboard_page.find(ds.dashboard_module("live_chart").LiveEchartsWidget).widgets)


def test_presentation_mode_shows_fewer_larger_panels(dashboard_page):
    normal_cards = len(dashboard_page.find(v.Card).widgets)
    (switch,) = ds.find_by_class(dashboard_page, v.Switch, "sc-presentation-switch")
    switch.v_model = True
    assert len(dashboard_page.find(v.Card).widgets) < normal_cards
    assert ds.find_by_class(dashboard_page, v.Sheet, "sc-presentation")


def test_address_presets_scenario_seed_and_mode():
    assert state_mod.initial_choice("scenario=stalin&seed=4") == ("stalin", 4, "")
    scenario, seed, problem = state_mod.initial_choice("scenario=nope&seed=x")
    assert (scenario, seed) == ("gorbachev", 1) and "nope" in problem and "seed" in problem
    assert state_mod.wants_presentation("presentation=1") and not state_mod.wants_presentation("")


# ------------------------------------------------------------------------------ the launcher
def test_launcher_runs_solara_in_production_with_classroom_settings():
    from soviet_cohesion import dashboard_launcher as launcher

    app = launcher.app_path()
    assert app.name == "app.py" and app.is_file()
    cmd = launcher.command("127.0.0.1", 8765, open_browser=False)
    assert cmd[1:4] == ["-m", "solara", "run"] and "--production" in cmd
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "8765"
    env = launcher.server_environment({"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "true"})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert env["SOLARA_KERNEL_CULL_TIMEOUT"] == "120s"
    assert launcher.server_environment({"SOLARA_KERNEL_CULL_TIMEOUT": "5m"})["SOLARA_KERNEL_CULL_TIMEOUT"] == "5m"
