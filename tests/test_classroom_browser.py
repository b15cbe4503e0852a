"""A lesson end to end: a real class server (``solara run dashboard/classroom/app.py
--production`` on a free loopback port, started like ``soviet-cohesion classroom``), one teacher
and several students in separate headless Chromium contexts (separate devices: their own
cookies), driven through Playwright.

Every request the pages make is recorded and those leaving the loopback range are blocked; a
test fails if one was attempted (nothing leaves the local network). The lesson test saves the
screenshots docs/classroom.md shows.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

import dashboard_support as ds

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(ds.chromium() is None, reason="needs Chromium (apt install chromium)")]

sync_api = pytest.importorskip("playwright.sync_api")

from soviet_cohesion.classroom_launcher import ClassroomServer  # noqa: E402

IMAGES = ds.REPO / "docs" / "img"
TIMEOUT_MS = 60_000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1600, "height": 1000}}

MAP_STANCES_JS = """
async () => {
  if (!window.__scEcharts) {
    await new Promise(resolve => requirejs([window.solara.cdn + '/echarts@5.4.0/dist/echarts.js'],
                                           e => { window.__scEcharts = e; resolve(true); }));
  }
  const chart = window.__scEcharts.getInstanceByDom(document.querySelector('.cl-map'));
  if (!chart) return null;
  const regions = chart.getOption().series.find(s => s.id === 'regions');
  return regions.data.map(cell => [cell.name.split(' (')[0], cell.value[2]]);
}
"""


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def server():
    instance = ClassroomServer(timer=15, extra_env={"SOLARA_KERNEL_CULL_TIMEOUT": "20s"})
    try:
        instance.wait_ready()
        yield instance
        assert "Could not load URL" not in instance.output(), "the server tried to fetch something from the internet"
        assert "Traceback" not in instance.output(), instance.output()[-3000:]
    finally:
        instance.stop()


@pytest.fixture(scope="module")
def chromium_browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=ds.chromium(), args=ds.CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def device(chromium_browser):
    """Make a device (a browser context of its own) that records every request and blocks
    those leaving loopback."""
    contexts = []

    def make(kind=PHONE):
        ctx = chromium_browser.new_context(accept_downloads=True, **kind)
        ctx.requests = []
        ctx.on("request", lambda request: ctx.requests.append(request.url))
        ctx.on("websocket", lambda ws: ctx.requests.append(ws.url))

        def block_outside(route):
            if route.request.url.startswith(ds.LOOPBACK_PREFIXES):
                route.continue_()
            else:
                route.abort()

        ctx.route("**/*", block_outside)
        ctx.set_default_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        outside = [url for url in ctx.requests if not url.startswith(ds.LOOPBACK_PREFIXES)]
        assert not outside, f"requests left the loopback range: {outside[:5]}"
        ctx.close()


@pytest.fixture
def teacher(server, device):
    page = device(LAPTOP).new_page()
    page.goto(server.teacher_url)
    page.wait_for_selector(".cl-map canvas")
    return page


# ------------------------------------------------------------------------------ helpers
def join(ctx, server, name, via_qr=True):
    page = ctx.new_page()
    page.goto(server.url + (f"/?code={server.code}" if via_qr else "/"))
    page.wait_for_selector(".cl-name-input input")
    if not via_qr:
        page.fill(".cl-code-input input", server.code)
    page.fill(".cl-name-input input", name)
    page.click(".cl-join-button")
    page.wait_for_selector(".cl-choice-0")
    assert "/play?seat=" in page.url
    return page


def region_of(student) -> str:
    who = student.inner_text(".cl-who")  # "Anna: Moscow City (Russian SFSR)"
    return who.split(": ", 1)[1].rsplit(" (", 1)[0]


def quarter(page) -> str:
    return page.inner_text(".cl-quarter").strip()


def wait_text(page, selector, words, timeout=TIMEOUT_MS / 1000):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.locator(selector).count() and words in page.inner_text(selector):
            return
        time.sleep(0.05)
    shown = page.inner_text(selector) if page.locator(selector).count() else "(nothing)"
    raise AssertionError(f"{words!r} did not appear in {selector} (it shows {shown[:200]!r})")


def map_stance(teacher_page, region: str) -> int:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        cells = teacher_page.evaluate(MAP_STANCES_JS)
        if cells:
            return dict(cells)[region]
        time.sleep(0.1)
    raise AssertionError("the map did not draw")


def new_run(teacher_page):
    """Restart the class's run from the teacher's page (the server lives for the whole module;
    students of earlier tests keep their seats)."""
    teacher_page.click("text=Start the run again")
    teacher_page.click(".cl-restart")
    teacher_page.wait_for_selector(".cl-progress:has-text('quarter 1 of')")


# ------------------------------------------------------------------------------ tests
def test_a_lesson_from_joining_to_the_debrief(server, teacher, device):
    new_run(teacher)
    teacher.reload()  # the page as a teacher first sees it (the restart panel closed)
    teacher.wait_for_selector(".cl-map canvas")
    IMAGES.mkdir(parents=True, exist_ok=True)
    welcome = device().new_page()
    welcome.goto(server.url + f"/?code={server.code}")  # what the QR code opens
    welcome.wait_for_selector(".cl-name-input input")
    welcome.fill(".cl-name-input input", "Anna")
    welcome.screenshot(path=str(IMAGES / "classroom_join.png"))
    welcome.close()
    anna = join(device(), server, "Anna")
    boris = join(device(), server, "Boris", via_qr=False)
    chloe = join(device(), server, "Chloe")
    regions = {p: region_of(p) for p in (anna, boris, chloe)}
    assert len(set(regions.values())) == 3
    wait_text(teacher, ".cl-roster", "Chloe")
    wait_text(teacher, ".cl-answered-count", "Answered: 0 of 3")

    # Anna breaks away, Boris holds back, Chloe does not answer
    anna.click(".cl-choice-2")
    boris.click(".cl-choice-1")
    wait_text(anna, ".cl-ask", "you may change it")
    wait_text(teacher, ".cl-answered-count", "Answered: 2 of 3")

    teacher.click(".cl-step")
    for student in (anna, boris, chloe):
        wait_text(student, ".cl-quarter", "1985 Q2")
    wait_text(anna, ".cl-outcome", "you chose Break away. Your region is now autonomous")
    wait_text(chloe, ".cl-outcome", "did not answer in time")
    assert map_stance(teacher, regions[anna]) == 2  # the choice is the region's stance on the map
    boris_outcome = boris.inner_text(".cl-outcome")
    assert ("you chose Hold back. Your region is now managing risk" in boris_outcome
            or "caught holding back" in boris_outcome)  # unless the auditors came
    anna.screenshot(path=str(IMAGES / "classroom_student.png"), full_page=True)

    # a late joiner takes a free region
    dmitri = join(device(), server, "Dmitri")
    assert region_of(dmitri) not in regions.values() and quarter(dmitri) == "1985 Q2"

    for round_ in range(3):
        anna.click(".cl-choice-1")
        boris.click(".cl-choice-2")
        wait_text(teacher, ".cl-answered-count", "Answered: 2 of 4")
        if round_ == 2:  # the teacher's page for docs/classroom.md: a few quarters in, two answers in
            teacher.mouse.move(0, 0)
            teacher.evaluate("window.scrollTo(0, 0)")
            teacher.wait_for_timeout(400)
            teacher.screenshot(path=str(IMAGES / "classroom_teacher.png"))
        shown = quarter(teacher)
        teacher.click(".cl-step")
        teacher.wait_for_function("q => document.querySelector('.cl-quarter').innerText.trim() !== q", arg=shown)
    wait_text(anna, ".cl-quarter", "1986 Q1")

    # the debrief: the two runs, the order of stopping, the choices against the model's official
    teacher.click(".cl-debrief-link")
    teacher.wait_for_selector(".cl-debrief-chart canvas")
    order = teacher.inner_text(".cl-stop-order-box")
    assert order.index("Anna") < order.index("Boris")  # Anna stopped obeying first (1985 Q1)
    grid = teacher.inner_text(".cl-grid-box")
    assert all(name in grid for name in ("Anna", "Boris", "Chloe", "Dmitri"))
    with teacher.expect_download() as download:
        teacher.get_by_role("button", name="Choices CSV").click()
    with open(download.value.path(), newline="") as exported:
        rows = list(csv.DictReader(exported))
    assert len(rows) == 3 * 4 + 3  # Dmitri joined a quarter late
    anna_rows = [r for r in rows if r["student"] == "Anna"]
    assert [r["choice"] for r in anna_rows] == ["Break away", "Hold back", "Hold back", "Hold back"]
    assert all(r["answered"] == "0" for r in rows if r["student"] == "Chloe")
    with teacher.expect_download() as download:
        teacher.get_by_role("button", name="Printable page").click()
    printable = Path(download.value.path()).read_text(encoding="utf-8")
    assert "<svg" in printable and "Anna" in printable and "<script" not in printable
    teacher.screenshot(path=str(IMAGES / "classroom_debrief.png"), full_page=True)
    teacher.click(".cl-back")
    teacher.wait_for_selector(".cl-map canvas")
    assert "Traceback" not in teacher.inner_text("body")


def test_a_student_who_does_not_answer_in_time_is_played_by_the_model(server, teacher, device):
    new_run(teacher)
    eva = join(device(), server, "Eva")
    fedor = join(device(), server, "Fedor")
    teacher.click(".cl-play")  # 15 s per quarter (the server's timer)
    teacher.wait_for_selector(".cl-play:has-text('Pause')")
    fedor.click(".cl-choice-2")
    started = time.monotonic()
    wait_text(eva, ".cl-quarter", "1985 Q2", timeout=40)
    assert time.monotonic() - started > 5  # it waited for Eva's time to run out, not for Fedor
    teacher.click(".cl-play")  # pause
    teacher.wait_for_selector(".cl-play:has-text('Play')")
    wait_text(eva, ".cl-outcome", "did not answer in time, so your official decided for you")
    wait_text(fedor, ".cl-outcome", "you chose Break away")
    wait_text(teacher, ".cl-roster", "model:")  # the roster marks the model's decision
    assert map_stance(teacher, region_of(fedor)) == 2


def test_a_reloaded_or_reconnected_student_keeps_the_region(server, teacher, device):
    new_run(teacher)
    phone = device()
    galina = join(phone, server, "Galina")
    region, address = region_of(galina), galina.url

    galina.reload()
    galina.wait_for_selector(".cl-choice-0")
    assert region_of(galina) == region and galina.url == address

    # the connection drops for a while and comes back: the page carries on
    phone.set_offline(True)
    time.sleep(3)
    phone.set_offline(False)
    galina.wait_for_timeout(1500)
    galina.click(".cl-choice-1")
    wait_text(galina, ".cl-ask", "you may change it")
    wait_text(teacher, ".cl-roster", "Galina")

    # the tab is closed; the join address on the same phone offers the seat back
    galina.close()
    again = phone.new_page()
    again.goto(server.url + "/")
    again.wait_for_selector(".cl-continue-button")
    again.click(".cl-continue-button")
    again.wait_for_selector(".cl-choice-0")
    assert region_of(again) == region
    assert "cl-chosen" in again.get_attribute(".cl-choice-1", "class")  # the answer is still there

    # another device cannot take the name
    other = device().new_page()
    other.goto(server.url + f"/?code={server.code}")
    other.fill(".cl-name-input input", "galina")
    other.click(".cl-join-button")
    wait_text(other, ".cl-join-problem", "already called")


def test_a_student_cannot_act_for_another_region_or_move_a_lever(server, teacher, device):
    new_run(teacher)
    ivan = join(device(), server, "Ivan")
    jana = join(device(), server, "Jana")
    assert ivan.locator(".v-slider").count() == 0 and ivan.locator(".cl-step").count() == 0

    # extra parameters in a student's address change nothing: the seat decides the region
    ivan.goto(ivan.url + "&region=0&key=x")
    ivan.wait_for_selector(".cl-choice-2")
    ivan.click(".cl-choice-2")
    wait_text(teacher, ".cl-answered-count", "Answered: 1 of")
    roster = teacher.inner_text(".cl-roster")
    jana_line = next(line for line in roster.splitlines() if line.startswith("Jana"))
    assert "waiting" in jana_line
    assert "cl-chosen" not in (jana.get_attribute(".cl-choice-2", "class") or "")  # Jana's page: untouched

    # the teacher's and the debrief's pages need the key: a student's seat token is not it
    token = ivan.url.split("seat=")[1].split("&")[0]
    for address in ("/teacher", f"/teacher?key={token}", "/teacher?key=guess", f"/debrief?key={token}"):
        ivan.goto(server.url + address)
        ivan.wait_for_selector(".cl-not-teacher")
        assert ivan.locator(".v-slider").count() == 0 and ivan.locator(".cl-step").count() == 0
        assert server.code not in ivan.inner_text("body")

    # someone else's seat cannot be guessed
    ivan.goto(server.url + "/play?seat=not-a-seat")
    ivan.wait_for_selector(".cl-not-in-class")
    assert ivan.locator(".cl-choice-0").count() == 0
    assert "Traceback" not in ivan.inner_text("body")
