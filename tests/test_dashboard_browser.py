"""End to end: a real dashboard server (``solara run dashboard/app.py --production`` on a free
loopback port) driven by headless Chromium through Playwright: a whole classroom run from the
first click to the exports.

Every request the pages make is recorded; a test fails if one leaves the loopback range (the
dashboard must work with no internet). Requests elsewhere are also blocked, so nothing leaves
the machine during the tests either. The main test saves the screenshot the README shows
(``docs/img/dashboard.png``). The "fix first" list of issue 11 is in
``test_dashboard_browser_fixes.py``, the lesson features in ``test_dashboard_browser_lesson.py``.
"""

from __future__ import annotations

import csv
import time

import pytest

import dashboard_support as ds
from dashboard_support import (assert_loopback_only, browsing, chromium_browser, kernels, open_page,  # noqa: F401
                               pick_scenario, series, server, wait_chart, wait_year, year)

from soviet_cohesion import scenarios

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(ds.chromium() is None, reason="needs Chromium (apt install chromium)")]

pytest.importorskip("playwright.sync_api")

SCREENSHOT = ds.REPO / "docs" / "img" / "dashboard.png"


def test_classroom_run_from_the_first_click_to_the_export(server, browsing):
    page = open_page(browsing, server.url)
    assert year(page) == "1985" and "start" in page.inner_text(".sc-progress")

    # the scenario picker: another scenario, then gorbachev
    pick_scenario(page, scenarios.load("stalin").title)
    wait_year(page, lambda y: y == "1946")
    pick_scenario(page, "Gorbachev 1985-1991")
    wait_year(page, lambda y: y == "1985")
    page.wait_for_selector(".sc-info:has-text('Glasnost')")  # the narrative is next to the model
    wait_chart(page, lambda: series(page, ".sc-indicators", "cohesion")[0][0] == "1985-01-01")

    stances_at_start = [cell["value"][2] for cell in series(page, ".sc-map", "regions")]
    assert set(stances_at_start) == {0}  # everyone obeys in 1985
    cohesion_at_start = series(page, ".sc-indicators", "cohesion")[0][1]

    # play (fastest speed) to the end of the scenario: the run stops by itself
    page.locator(".sc-speed-8").click()
    page.click(".sc-play")
    page.wait_for_selector(".sc-progress:has-text('end of the scenario')")
    page.wait_for_selector(".sc-play:has-text('Play')")

    stances = [cell["value"][2] for cell in series(page, ".sc-map", "regions")]
    assert sum(s != 0 for s in stances) > len(stances) // 2  # the map changed colour
    cohesion = [point[1] for point in series(page, ".sc-indicators", "cohesion")]
    assert cohesion[-1] < cohesion_at_start - 0.15  # the cohesion curve fell
    steps = len(cohesion) - 1

    # the scenario's events are on the time axis, with their key; the log is running
    (line,) = [s for s in ds.chart(page, ".sc-indicators")["series"] if s["id"] == "cohesion"]
    assert len(line["markLine"]["data"]) >= 5
    assert "Glasnost proclaimed" in page.inner_text(".sc-event-key")
    assert "regions of the" in page.inner_text(".sc-log-card")

    # click a region: its official and why, in sentences and bars
    first = series(page, ".sc-map", "regions")[0]  # the first region's tile
    region_name = first["name"].split(" (")[0]
    x, y = page.evaluate(ds.TILE_PIXEL_JS, [".sc-map", *first["value"][:2]])
    box = page.locator(".sc-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector(".sc-why-title")
    why = page.inner_text(".sc-region-panel")
    assert region_name in why and "Danger if it obeys" in why and "Danger if it disobeys" in why
    assert "Official:" in why and ("In office since" in why or "Appointed in" in why)
    assert page.locator(".sc-region-panel .sc-bar").count() >= 4

    # the screenshot for the README
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)  # let the map's tooltip go, to show the selected region's outline
    page.wait_for_timeout(600)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOT))

    # export: the indicators, one row per period, and the regions, one row per region and period
    with page.expect_download() as download:
        page.get_by_role("button", name="Indicators CSV").click()
    rows = list(csv.DictReader(open(download.value.path(), newline="")))
    assert download.value.suggested_filename == "soviet-cohesion_gorbachev_seed1_indicators.csv"
    assert len(rows) == steps + 1
    assert float(rows[-1]["cohesion"]) == pytest.approx(cohesion[-1], abs=1e-3)
    with page.expect_download() as download:
        page.get_by_role("button", name="Regions CSV").click()
    regions = list(csv.DictReader(open(download.value.path(), newline="")))
    assert len(regions) == (steps + 1) * len(stances)
    assert {"region", "republic", "stance", "risk_of_obeying", "risk_of_disobeying"} <= set(regions[0])

    # the plots as PNG: the Save PNG button above each chart, a file named after the run and quarter
    save = page.locator(".sc-chart-box:has(.sc-indicators) .sc-save")
    with page.expect_download() as download:
        save.click()
    quarter = year(page).replace(" ", "")
    assert download.value.suggested_filename == f"soviet-cohesion_gorbachev_seed1_{quarter}_indicators.png"
    assert open(download.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"

    assert "Traceback" not in page.inner_text("body") and page.locator(".sc-message").count() == 0
    assert_loopback_only(browsing)


def test_two_tabs_have_their_own_runs(server, browsing):
    first = open_page(browsing, server.url)
    second = open_page(browsing, server.url)
    for _ in range(3):
        first.click(".sc-step")
    wait_year(first, lambda y: y == "1985 Q3")
    assert year(second) == "1985"
    second.click(".sc-play")
    wait_year(second, lambda y: y >= "1986")
    second.click(".sc-play")
    second.click(".sc-reset")
    wait_year(second, lambda y: y == "1985")
    time.sleep(0.5)
    assert year(first) == "1985 Q3"  # one visitor's play and reset never touch another's
    assert_loopback_only(browsing)


def test_bad_seed_gives_a_visible_message(server, browsing):
    page = open_page(browsing, server.url)
    seed = page.locator(".sc-seed input")
    for bad, words in (("abc", "not a whole number"), ("", "empty"), ("-4", "from 0 to")):
        seed.fill(bad)
        page.wait_for_selector(f".sc-seed .v-messages__message:has-text('{words}')")
        assert page.locator(".sc-reset").is_disabled()
    seed.fill("5")
    page.wait_for_function("() => !document.querySelector('.sc-reset').disabled")
    page.click(".sc-reset")
    page.click(".sc-step")
    wait_year(page, lambda y: y == "1985 Q1")
    assert "Traceback" not in page.inner_text("body")
    assert_loopback_only(browsing)


def test_levers_act_mid_run_and_the_comparison_overlays_two_curves(server, browsing):
    page = open_page(browsing, server.url)
    for _ in range(8):
        page.click(".sc-step")
    wait_year(page, lambda y: y == "1986 Q4")
    # click the far right of the "Share responsibility" slider: the lever goes to 1 and holds
    slider = page.locator(".sc-slider-responsibility_shared .v-slider")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 1, box["y"] + box["height"] / 2)
    page.wait_for_selector(".sc-lever-responsibility_shared:has-text('(held)')")
    assert "1.00" in page.inner_text(".sc-lever-responsibility_shared")

    # compare: this run against the same seed with audits held at today's level from the start
    page.click(".sc-compare-lever")
    page.get_by_role("option", name="Audits", exact=True).click()
    page.click(".sc-compare-run")
    page.wait_for_selector(".sc-compare-chart canvas")
    for _ in range(6):
        page.click(".sc-step")
    wait_year(page, lambda y: y == "1988 Q2")
    wait_chart(page, lambda: len(series(page, ".sc-compare-chart", "counterfactual")) == 15)
    actual = series(page, ".sc-compare-chart", "actual")
    other = series(page, ".sc-compare-chart", "counterfactual")
    assert len(actual) == len(other) == 15
    assert "cohesion" in page.inner_text(".sc-compare-summary")
    assert_loopback_only(browsing)


def wait_kernels(server, condition, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while not condition(kernels(server)) and time.monotonic() < deadline:
        time.sleep(0.25)
    return kernels(server)


def test_closed_tabs_are_culled(server, chromium_browser):
    # the tabs of the other tests are closed: their kernels go within seconds (cull timeout 4 s here)
    assert wait_kernels(server, lambda n: n == 0, 60) == 0
    ctx = chromium_browser.new_context()
    page = open_page(ctx, server.url)
    page.click(".sc-play")  # a playing tab too: its player stops with its kernel
    page.click(".sc-band-run")  # and a band computing in the background: it stops too
    assert wait_kernels(server, lambda n: n == 1, 20) == 1
    ctx.close()  # the tab goes away without saying goodbye (a laptop lid shut, a lost network)
    assert wait_kernels(server, lambda n: n == 0, 60) == 0
