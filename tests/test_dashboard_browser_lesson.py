"""Built for a lesson (issue 11), in a real Chromium against a real server: the address holds
the run, the timeline scrubs back, the guided lesson pauses at events, "how sure is it?" runs in
the background, the lesson sheet prints on one page, the PNGs carry a title, the page works
with the keyboard and a screen reader, and Russian is a file away."""

from __future__ import annotations

import io
import re

import pytest

import dashboard_support as ds
from dashboard_support import (assert_loopback_only, browsing, chromium_browser, open_page, query,  # noqa: F401
                               series, server, wait_chart, wait_until, wait_year, year)
from soviet_cohesion import CohesionModel

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(ds.chromium() is None, reason="needs Chromium (apt install chromium)")]

pytest.importorskip("playwright.sync_api")
DOCS = ds.REPO / "docs" / "img"


def snapshot(page) -> dict:
    """What a visitor sees of the run: the quarter, the map, the curves, the levers."""
    wait_chart(page, lambda: len(series(page, ".sc-map", "regions")) > 0)
    out = {"year": year(page),
           "map": [c["value"][2] for c in series(page, ".sc-map", "regions")],
           "cohesion": [p[1] for p in series(page, ".sc-indicators", "cohesion")],
           "levers": page.inner_text(".sc-levers"),
           "marks": page.locator(".sc-bookmark").all_inner_texts()}
    if page.locator(".sc-compare-chart").count():
        out["counterfactual"] = [p[1] for p in series(page, ".sc-compare-chart", "counterfactual")]
    return out


def steps(page, n: int) -> None:
    for _ in range(n):
        page.click(".sc-step")


def test_the_address_restores_a_run_after_a_reload_and_in_another_browser(server, chromium_browser, browsing):
    page = open_page(browsing, server.url + "/?scenario=gorbachev&seed=4")
    steps(page, 6)
    wait_year(page, lambda y: y == "1986 Q2")
    page.get_by_role("slider", name="Appeasement").focus()
    page.keyboard.press("End")  # a lever moved from the keyboard
    page.wait_for_selector(".sc-lever-appeasement:has-text('(held)')")
    steps(page, 4)
    page.click(".sc-compare-lever")
    page.get_by_role("option", name="Audits", exact=True).click()
    page.click(".sc-compare-run")
    page.wait_for_selector(".sc-compare-chart canvas")
    steps(page, 2)
    wait_year(page, lambda y: y == "1987 Q4")
    for _ in range(3):
        page.click(".sc-back")  # the timeline looks back three quarters
    wait_year(page, lambda y: y == "1987 Q1")
    page.click(".sc-mark")
    page.wait_for_selector(".sc-bookmark")
    wait_until(lambda: "view" in query(page) and "mark" in query(page), what="the address to follow")
    address = query(page)
    assert address["at"] == ["1987Q4"] and address["view"] == ["1987Q1"] and address["mark"] == ["1987Q1"]
    assert address["move"] == ["appeasement:1@1986Q3"] and address["compare"][0].startswith("audit_capacity:")
    before = snapshot(page)
    url = page.url

    page.reload()
    page.wait_for_selector(".sc-map canvas")
    wait_year(page, lambda y: y == "1987 Q1")
    assert snapshot(page) == before
    # the link shared with another browser restores the same run
    other = ds.new_context(chromium_browser)
    try:
        shared = open_page(other, url)
        wait_year(shared, lambda y: y == "1987 Q1")
        assert snapshot(shared) == before
    finally:
        other.close()
    # a broken address gives messages and the rest of the run
    page.goto(server.url + "/?scenario=gorbachev&seed=4&at=2050Q1&move=nonsense@1986Q1")
    page.wait_for_selector(".sc-message")
    message = page.inner_text(".sc-message")
    assert "2050Q1" in message and "nonsense" in message
    assert_loopback_only(browsing)


def test_the_scrubber_shows_an_earlier_quarter_as_it_was(server, browsing):
    page = open_page(browsing, server.url + "/?scenario=gorbachev&seed=1")
    steps(page, 18)
    wait_year(page, lambda y: y == "1989 Q2")
    live_map = [c["value"][2] for c in series(page, ".sc-map", "regions")]
    model = CohesionModel("gorbachev", rng=1)
    for _ in range(12):
        model.step()
    then = model.stance.tolist()
    assert then != live_map  # the map did change between 1987 Q4 and 1989 Q2
    # drag back with the keyboard: Home, then twelve quarters forward
    page.get_by_role("slider", name="Quarter shown").focus()
    page.keyboard.press("Home")
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    wait_year(page, lambda y: y == "1987 Q4")
    wait_chart(page, lambda: [c["value"][2] for c in series(page, ".sc-map", "regions")] == then)
    wait_chart(page, lambda: len(series(page, ".sc-indicators", "cohesion")) == 13)  # the charts as they were
    assert "looking back" in page.inner_text(".sc-progress")
    # a region's explanation as it was then, and as it is now
    page.get_by_role("textbox", name="Find a region").fill("Kaunas")
    page.get_by_role("option", name=re.compile("Kaunas")).first.click()
    page.wait_for_selector(".sc-why-title")
    explanation_then = page.inner_text(".sc-region-panel")
    page.click(".sc-now")
    wait_year(page, lambda y: y == "1989 Q2")
    wait_until(lambda: page.inner_text(".sc-region-panel") != explanation_then, 10, "the explanation of now")
    assert [c["value"][2] for c in series(page, ".sc-map", "regions")] == live_map
    # bookmarks come back in one click
    page.click(".sc-back")
    page.click(".sc-mark")
    page.click(".sc-now")
    page.locator(".sc-bookmark").first.click()
    wait_year(page, lambda y: y == "1989 Q1")


def test_lesson_mode_pauses_at_each_event_with_its_question(server, chromium_browser):
    ctx = ds.new_context(chromium_browser, 1280, 720)
    try:
        page = open_page(ctx, server.url + "/?scenario=gorbachev&seed=1&lesson=1&presentation=1")
        page.locator(".sc-speed-8").click()
        page.click(".sc-play")
        page.wait_for_selector(".sc-lesson-stop")
        assert "Gorbachev General Secretary" in page.inner_text(".sc-lesson-stop")
        assert year(page) == "1985 Q2"
        page.wait_for_selector(".sc-play:has-text('Play')")  # the run waits for the class
        for label in ("Cadre renewal", "Oil price"):  # the next events of the scenario, one stop each
            page.click(".sc-lesson-continue")
            wait_until(lambda: label in (page.inner_text(".sc-lesson-stop")
                                         if page.locator(".sc-lesson-stop").count() else ""), 60, f"the stop {label!r}")
        page.click(".sc-lesson-continue")
        wait_until(lambda: "Glasnost proclaimed" in (page.inner_text(".sc-lesson-stop")
                                                     if page.locator(".sc-lesson-stop").count() else ""), 60,
                   "the glasnost stop")
        stop = page.inner_text(".sc-lesson-stop")
        assert "Which regions do you think stop obeying first?" in stop  # the question from the scenario file
        assert "Ask the class to point" not in stop  # the teacher's note stays folded
        page.click(".sc-lesson-note-toggle")
        page.wait_for_selector(".sc-lesson-note:has-text('Ask the class to point')")
        assert query(page)["lesson"] == ["1"]
        page.click(".sc-lesson-note-toggle")
        page.mouse.move(1270, 710)
        page.screenshot(path=str(DOCS / "dashboard_lesson.png"))
    finally:
        ctx.close()


def test_how_sure_is_it_runs_in_the_background_and_stops_when_asked(server, browsing):
    page = open_page(browsing, server.url + "/?scenario=ussr-1953-1991&seed=2")
    page.click(".sc-band-run")
    page.wait_for_selector(".sc-band-summary:has-text('in the background')")
    steps(page, 3)  # the page answers while the seeds run
    wait_year(page, lambda y: y == "1953 Q3")
    page.wait_for_selector(".sc-band-summary:has-text('20 runs')", timeout=180_000)
    assert "seeds 2 to 21" in page.inner_text(".sc-band-summary")
    wait_chart(page, lambda: len(series(page, ".sc-indicators", "band_width")) == 157)
    low = series(page, ".sc-indicators", "band_low")
    width = series(page, ".sc-indicators", "band_width")
    assert all(w[1] >= 0 for w in width) and any(w[1] > 0.01 for w in width)
    assert 0 <= low[-1][1] <= 1
    # a reset drops the band; a band started and then reset never comes back
    page.click(".sc-reset")
    page.wait_for_selector(".sc-band-summary:has-text('One run is one possible history')")
    page.click(".sc-band-run")
    page.wait_for_selector(".sc-band-cancel")
    page.click(".sc-reset")
    page.wait_for_selector(".sc-band-run")
    page.wait_for_timeout(3000)
    assert "One run is one possible history" in page.inner_text(".sc-band-summary")
    assert series(page, ".sc-indicators", "band_width") == []


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_the_lesson_sheet_prints_on_one_page_and_pngs_are_titled(server, browsing):
    from PIL import Image

    page = open_page(browsing, server.url + "/?scenario=gorbachev&seed=1")
    page.locator(".sc-speed-8").click()
    page.click(".sc-play")
    wait_until(lambda: "end of the scenario" in page.inner_text(".sc-progress"), 120, "the end of the run")
    # the map as a PNG: a title band with the scenario, the seed and the quarter, then the map
    with page.expect_download() as download:
        page.locator(".sc-chart-box:has(.sc-map) .sc-save").click()
    assert download.value.suggested_filename == "soviet-cohesion_gorbachev_seed1_1991Q4_map.png"
    image = Image.open(io.BytesIO(open(download.value.path(), "rb").read())).convert("L")
    band = [image.getpixel((x, y)) for y in range(10, 60) for x in range(0, image.width, 3)]
    assert min(band) < 80  # dark title text at the top
    # the lesson sheet: scenario, seed, event key, the map at three dates, charts, questions
    page.click(".sc-sheet-make")
    page.wait_for_selector(".sc-sheet")
    sheet = page.inner_text(".sc-sheet")
    assert "Gorbachev 1985-1991" in sheet and "Seed 1" in sheet and "Glasnost proclaimed" in sheet
    assert page.locator(".sc-sheet svg.sc-sheet-map").count() == 3
    assert page.locator(".sc-sheet svg.sc-sheet-chart").count() == 2
    assert page.locator(".sc-sheet-questions li").count() == 5
    letters = page.evaluate("() => Array.from(document.querySelectorAll('.sc-sheet-map text')).map(t => t.textContent)")
    assert {"M", "A"} & set(letters)  # the stances read in greyscale
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert page_count(pdf) == 1
    page.screenshot(path=str(DOCS / "dashboard_sheet.png"), full_page=True)
    page.emulate_media(media="screen")


def test_the_page_works_with_the_keyboard_and_a_screen_reader(server, browsing):
    page = open_page(browsing, server.url + "/?scenario=gorbachev&seed=1")
    steps(page, 4)
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert page.get_attribute(".sc-year", "aria-live") == "polite"
    assert page.locator(".sc-log-live[aria-live]").count() == 1
    assert page.inner_text(".sc-log-live").startswith("1985 Q")  # the newest entries, to be read out
    for name in ("Openness (glasnost)", "Punishment", "Audits", "Share responsibility", "Quarter shown"):
        assert page.get_by_role("slider", name=name).count() == 1, name
    # every chart has a name and a text alternative
    for css in (".sc-map", ".sc-indicators", ".sc-stances"):
        label = page.get_attribute(css, "aria-label")
        described = page.get_attribute(css, "aria-describedby")
        assert label and page.inner_text(f"#{described}").strip(), css
    # Tab reaches the map and the Save PNG buttons; the arrows move between regions, Enter explains
    reached = set()
    page.locator(".sc-skip").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("() => document.activeElement.className"))
        if "sc-live-chart" in page.evaluate("() => document.activeElement.className") and \
                "sc-map" in page.evaluate("() => document.activeElement.className"):
            break
    assert any("sc-save" in c for c in reached)
    assert "sc-map" in page.evaluate("() => document.activeElement.className")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    announced = page.inner_text(".sc-chart-box:has(.sc-map) [aria-live]")
    assert "(" in announced and "·" in announced  # the region and its stance, read out
    page.keyboard.press("Enter")
    page.wait_for_selector(".sc-why-title")
    assert announced.split(" (")[0] in page.inner_text(".sc-why-title")


def test_russian_is_a_file_away(server, chromium_browser):
    ctx = ds.new_context(chromium_browser, 390, 844, is_mobile=True, has_touch=True)
    try:
        page = open_page(ctx, server.url + "/?scenario=gorbachev&seed=1")
        page.click(".sc-lang-ru")
        page.wait_for_selector(".sc-play:has-text('Пуск')")
        assert page.evaluate("() => document.documentElement.lang") == "ru"
        wait_until(lambda: query(page).get("lang") == ["ru"])
        steps(page, 14)
        wait_year(page, lambda y: y == "II кв. 1988")  # quarters written the Russian way
        body = page.inner_text("body")
        assert "Журнал событий" in body and "подчиняется" in body
        for english in ("Play", "Step", "Event log", "Cohesion and its parts", "The centre's levers", "Timeline"):
            assert english not in body, english
        page.reload()
        page.wait_for_selector(".sc-play:has-text('Пуск')")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(DOCS / "dashboard_phone_ru.png"))
    finally:
        ctx.close()
