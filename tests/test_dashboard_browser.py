"""End to end: a real dashboard server (``solara run dashboard/app.py --production`` on a free
loopback port) driven by headless Chromium through Playwright.

Every request the pages make is recorded; a test fails if one leaves the loopback range (the
dashboard must work with no internet). Requests elsewhere are also blocked, so nothing leaves
the machine during the tests either. The main test saves the screenshot the README shows
(``docs/img/dashboard.png``).
"""

from __future__ import annotations

import csv
import json
import time
import urllib.request

import pytest

import dashboard_support as ds

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(ds.chromium() is None, reason="needs Chromium (apt install chromium)")]

sync_api = pytest.importorskip("playwright.sync_api")

SCREENSHOT = ds.REPO / "docs" / "img" / "dashboard.png"
TIMEOUT_MS = 60_000

ECHARTS_JS = """
async (css) => {
  if (!window.__scEcharts) {
    await new Promise(resolve => requirejs([window.solara.cdn + '/echarts@5.4.0/dist/echarts.js'],
                                           e => { window.__scEcharts = e; resolve(true); }));
  }
  const chart = window.__scEcharts.getInstanceByDom(document.querySelector(css));
  if (!chart) return null;
  const option = chart.getOption();
  return {series: option.series.map(s => ({id: s.id, data: s.data}))};
}
"""
TILE_PIXEL_JS = """
async ([x, y]) => {
  const chart = window.__scEcharts.getInstanceByDom(document.querySelector('.sc-map'));
  return chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [x, y]);
}
"""


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def server():
    # a short cull timeout, so that the culling test needs seconds rather than minutes
    instance = ds.DashboardServer(extra_env={"SOLARA_KERNEL_CULL_TIMEOUT": "4s"})
    try:
        instance.wait_ready()
        yield instance
        assert "Could not load URL" not in instance.output(), "the server tried to fetch an asset from the internet"
    finally:
        instance.stop()


@pytest.fixture(scope="module")
def chromium_browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=ds.chromium(), args=ds.CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browsing(chromium_browser):
    """A browser context that records every request and blocks those leaving loopback."""
    ctx = chromium_browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    requests: list[str] = []
    ctx.on("request", lambda request: requests.append(request.url))
    ctx.on("websocket", lambda ws: requests.append(ws.url))

    def block_outside(route):
        if route.request.url.startswith(ds.LOOPBACK_PREFIXES):
            route.continue_()
        else:
            route.abort()

    ctx.route("**/*", block_outside)
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.requests = requests
    yield ctx
    ctx.close()


def assert_loopback_only(ctx):
    outside = [url for url in ctx.requests if not url.startswith(ds.LOOPBACK_PREFIXES)]
    assert not outside, f"requests left the loopback range: {outside[:5]}"
    assert ctx.requests, "no request was recorded"


def open_page(ctx, url):
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector(".sc-map canvas")
    page.wait_for_selector(".sc-indicators canvas")
    return page


def year(page) -> str:
    return page.inner_text(".sc-year").strip()


def wait_year(page, predicate, timeout=TIMEOUT_MS / 1000):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate(year(page)):
            return year(page)
        time.sleep(0.05)
    raise AssertionError(f"the year did not get there (it shows {year(page)!r})")


def chart(page, css: str) -> dict:
    return page.evaluate(ECHARTS_JS, css)


def series(page, css: str, series_id: str) -> list:
    (found,) = [s for s in chart(page, css)["series"] if s["id"] == series_id]
    return found["data"]


def wait_chart(page, condition, timeout=TIMEOUT_MS / 1000):
    """Wait until ``condition()`` holds (the charts follow the page's other panels by a moment)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the chart did not update")


def pick_scenario(page, title: str) -> None:
    page.click(".sc-scenario")
    page.get_by_role("option", name=title, exact=True).click()


def kernels(server) -> int:
    with urllib.request.urlopen(server.url + "/resourcez", timeout=5) as response:
        return json.load(response)["kernels"]["total"]


# ------------------------------------------------------------------------------ tests
def test_classroom_run_from_the_first_click_to_the_export(server, browsing):
    page = open_page(browsing, server.url)
    assert year(page) == "1985"

    # the scenario picker: another scenario, then gorbachev
    pick_scenario(page, "Late Stalinism 1946-1953")
    wait_year(page, lambda y: y == "1946")
    pick_scenario(page, "Gorbachev 1985-1991")
    wait_year(page, lambda y: y == "1985")
    page.wait_for_selector(".sc-info:has-text('Glasnost')")  # the narrative is next to the model
    wait_chart(page, lambda: series(page, ".sc-indicators", "cohesion")[0][0] == "1985-01-01")

    stances_at_start = [cell["value"][2] for cell in series(page, ".sc-map", "regions")]
    assert set(stances_at_start) == {0}  # everyone obeys in 1985
    cohesion_at_start = series(page, ".sc-indicators", "cohesion")[0][1]

    # play (fastest speed) until 1991, then pause
    page.locator(".sc-speed button", has_text="8").click()
    page.click(".sc-play")
    wait_year(page, lambda y: y.startswith("1991"))
    page.click(".sc-play")
    page.wait_for_selector(".sc-play:has-text('Play')")

    stances = [cell["value"][2] for cell in series(page, ".sc-map", "regions")]
    assert sum(s != 0 for s in stances) > len(stances) // 2  # the map changed colour
    cohesion = [point[1] for point in series(page, ".sc-indicators", "cohesion")]
    assert cohesion[-1] < cohesion_at_start - 0.15  # the cohesion curve fell
    steps = len(cohesion) - 1

    # the scenario's events are on the time axis, and the log is running
    marks = page.evaluate("""() => window.__scEcharts.getInstanceByDom(document.querySelector('.sc-indicators'))
                                  .getOption().series[0].markLine.data.length""")
    assert marks >= 5
    assert "region(s) of" in page.inner_text(".sc-log-card")

    # click a region: its official and the terms of its decision
    first = series(page, ".sc-map", "regions")[0]  # the first region's tile
    region_name = first["name"].split(" (")[0]
    x, y = page.evaluate(TILE_PIXEL_JS, first["value"][:2])
    box = page.locator(".sc-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector(".sc-why-title")
    why = page.inner_text(".sc-region-panel")
    assert region_name in why and "Risk of obeying" in why and "Risk of disobeying" in why
    assert "Peers not obeying" in why

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

    # the plots as PNG: ECharts' own "save as image" button, at the top right of each chart
    page.locator(".sc-indicators").scroll_into_view_if_needed()
    chart_box = page.locator(".sc-indicators").bounding_box()
    icon = (chart_box["x"] + chart_box["width"] - 16, chart_box["y"] + 8)
    page.mouse.move(*icon)
    page.wait_for_timeout(300)
    with page.expect_download() as download:
        page.mouse.click(*icon)
    assert download.value.suggested_filename == "soviet-cohesion_gorbachev_seed1_indicators.png"
    assert open(download.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"

    assert "Traceback" not in page.inner_text("body")
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
    for bad, words in (("abc", "not a whole number"), ("", "empty"), ("-4", "between")):
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


def test_presentation_mode_reads_from_the_back_of_the_room(server, browsing):
    page = open_page(browsing, server.url + "/?presentation=1&scenario=gorbachev&seed=2")
    page.wait_for_selector(".sc-presentation")
    assert page.locator(".sc-info").count() == 0  # fewer panels
    assert page.locator(".sc-levers").count() == 0
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.sc-year')).fontSize)")
    assert size >= 80
    page.click(".sc-presentation-switch input", force=True)
    page.wait_for_selector(".sc-info")
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
    assert wait_kernels(server, lambda n: n == 1, 20) == 1
    ctx.close()  # the tab goes away without saying goodbye (a laptop lid shut, a lost network)
    assert wait_kernels(server, lambda n: n == 0, 60) == 0
