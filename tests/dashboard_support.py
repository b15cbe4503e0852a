"""Helpers for the dashboard's tests: load the dashboard package, render its page without a
browser, and run a real server and headless Chromium for the browser tests.

The browser fixtures (``server``, ``chromium_browser``, ``browsing``, ``viewport``) are defined
here once and imported by the browser test modules; the server and the browser are started
once per test session and shared."""

from __future__ import annotations

import atexit
import importlib.util
import json
import shutil
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from soviet_cohesion.dashboard_launcher import BackgroundServer

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "dashboard" / "app.py"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
LOOPBACK_PREFIXES = ("http://127.0.0.1", "ws://127.0.0.1", "http://localhost", "ws://localhost",
                     "http://[::1]", "ws://[::1]", "data:", "blob:", "about:")
TIMEOUT_MS = 60_000
#: the viewports a class meets: projectors, a laptop, a phone
VIEWPORTS = {"projector": (1280, 720), "full-hd": (1920, 1080), "laptop": (1024, 768), "phone": (390, 844)}


def load_app():
    """Import ``dashboard/app.py`` (which loads the folder as ``soviet_cohesion_dashboard``)."""
    if "soviet_cohesion_dashboard_app" not in sys.modules:
        spec = importlib.util.spec_from_file_location("soviet_cohesion_dashboard_app", APP)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["soviet_cohesion_dashboard_app"]


def dashboard_module(name: str):
    """A module of the dashboard package, e.g. ``dashboard_module("session")``."""
    load_app()
    return importlib.import_module(f"soviet_cohesion_dashboard.{name}")


def all_widgets(rc) -> list:
    """Every widget on a rendered page, nested ones included (children and slots)."""
    import ipywidgets

    found, stack, seen = [], [rc.container], set()
    while stack:
        widget = stack.pop()
        if not isinstance(widget, ipywidgets.Widget) or id(widget) in seen:
            continue
        seen.add(id(widget))
        found.append(widget)
        children = getattr(widget, "children", None)
        if isinstance(children, (list, tuple)):
            stack.extend(children)
        for slot in getattr(widget, "v_slots", None) or []:
            slot_children = slot.get("children") if isinstance(slot, dict) else None
            stack.extend(slot_children if isinstance(slot_children, (list, tuple)) else [slot_children])
    return found


def find_by_class(rc, widget_class, css: str):
    """The widgets of ``widget_class`` whose CSS classes include ``css`` (at any depth)."""
    return [w for w in all_widgets(rc)
            if isinstance(w, widget_class) and css in str(getattr(w, "class_", "") or "").split()]


def texts(rc) -> str:
    """All the text on a rendered page: text children, labels, hints, messages and inner HTML."""
    parts = []
    for widget in all_widgets(rc):
        children = getattr(widget, "children", None)
        if isinstance(children, (list, tuple)):
            parts.extend(c for c in children if isinstance(c, str))
        for attribute in ("label", "unsafe_innerHTML", "hint", "save_label", "aria_label"):
            value = getattr(widget, attribute, None)
            if isinstance(value, str):
                parts.append(value)
        for attribute in ("error_messages", "messages"):
            value = getattr(widget, attribute, None)
            if isinstance(value, (list, tuple)):
                parts.extend(v for v in value if isinstance(v, str))
        items = getattr(widget, "items", None)
        if isinstance(items, (list, tuple)):
            parts.extend(str(i.get("text", "")) for i in items if isinstance(i, dict))
    return "\n".join(parts)


# ------------------------------------------------------------------------------ a real server
def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class DashboardServer(BackgroundServer):
    """``solara run dashboard/app.py --production --host 127.0.0.1 --port <free>`` as a child
    process, with the launcher's settings (see ``BackgroundServer``)."""

    def __init__(self, extra_env: dict | None = None):
        super().__init__(extra_env=extra_env, app=APP)


def kernels(server) -> int:
    with urllib.request.urlopen(server.url + "/resourcez", timeout=5) as response:
        return json.load(response)["kernels"]["total"]


#: one server and one browser for the whole test session, shared by every browser test module
#: (a session fixture imported into several modules is instantiated once per module; the
#: server would start twice and Playwright's sync API cannot start twice in one thread)
_SHARED: dict = {}


def shared_server() -> DashboardServer:
    if "server" not in _SHARED:
        # a short cull timeout, so that the culling test needs seconds rather than minutes
        instance = DashboardServer(extra_env={"SOLARA_KERNEL_CULL_TIMEOUT": "4s"})
        atexit.register(instance.stop)
        instance.wait_ready()
        _SHARED["server"] = instance
    return _SHARED["server"]


def shared_browser():
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)

        def stop():
            browser.close()
            playwright.stop()

        atexit.register(stop)
        _SHARED["browser"] = browser
    return _SHARED["browser"]


@pytest.fixture(scope="session")
def server():
    instance = shared_server()
    yield instance
    assert "Could not load URL" not in instance.output(), "the server tried to fetch an asset from the internet"


@pytest.fixture(scope="session")
def chromium_browser():
    pytest.importorskip("playwright.sync_api")
    return shared_browser()


def new_context(browser, width: int = 1600, height: int = 1000, **options):
    """A browser context that records every request and blocks those leaving loopback."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True, **options)
    requests: list[str] = []
    ctx.on("request", lambda request: requests.append(request.url))
    ctx.on("websocket", lambda ws: requests.append(ws.url))

    def block_outside(route):
        if route.request.url.startswith(LOOPBACK_PREFIXES):
            route.continue_()
        else:
            route.abort()

    ctx.route("**/*", block_outside)
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.requests = requests
    return ctx


@pytest.fixture
def browsing(chromium_browser):
    ctx = new_context(chromium_browser)
    yield ctx
    ctx.close()


def assert_loopback_only(ctx):
    outside = [url for url in ctx.requests if not url.startswith(LOOPBACK_PREFIXES)]
    assert not outside, f"requests left the loopback range: {outside[:5]}"
    assert ctx.requests, "no request was recorded"


# ------------------------------------------------------------------------------ reading the page
ECHARTS_JS = """
async (css) => {
  if (!window.__scEcharts) {
    await new Promise(resolve => requirejs([window.solara.cdn + '/echarts@5.4.0/dist/echarts.js'],
                                           e => { window.__scEcharts = e; resolve(true); }));
  }
  const chart = window.__scEcharts.getInstanceByDom(document.querySelector(css));
  if (!chart) return null;
  const option = chart.getOption();
  return {series: option.series.map(s => ({id: s.id, data: s.data, markLine: s.markLine || null}))};
}
"""
TILE_PIXEL_JS = """
async ([css, x, y]) => {
  if (!window.__scEcharts) {
    await new Promise(resolve => requirejs([window.solara.cdn + '/echarts@5.4.0/dist/echarts.js'],
                                           e => { window.__scEcharts = e; resolve(true); }));
  }
  const chart = window.__scEcharts.getInstanceByDom(document.querySelector(css));
  return chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [x, y]);
}
"""
#: a slow classroom network: every message the page sends leaves it 200 ms late
SLOW_NETWORK_JS = """(() => { const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function(data) { setTimeout(() => send.call(this, data), 200); }; })()"""


def open_page(ctx, url):
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector(".sc-map canvas")
    page.wait_for_selector(".sc-indicators canvas")
    return page


def year(page) -> str:
    return page.inner_text(".sc-year").strip()


def wait_until(condition, timeout=TIMEOUT_MS / 1000, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen in {timeout:.0f} s")


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
    wait_until(condition, timeout, "the chart's update")


def pick_scenario(page, title: str) -> None:
    page.click(".sc-scenario")
    page.get_by_role("option", name=title, exact=True).click()


def query(page) -> dict:
    """The page address's query, as a dict of lists."""
    import urllib.parse

    return urllib.parse.parse_qs(page.evaluate("() => location.search").lstrip("?"))


def within_viewport(box: dict, width: int, height: int, slack: float = 1.0) -> bool:
    return (box["x"] >= -slack and box["y"] >= -slack and box["x"] + box["width"] <= width + slack
            and box["y"] + box["height"] <= height + slack)
