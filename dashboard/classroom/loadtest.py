"""Class load test: a benchmark script, not a unit test.

It starts its own class server on 127.0.0.1 (a free port, the settings of
``soviet-cohesion classroom``), seats N simulated students who answer every quarter, has the
teacher step, and measures **the time from the teacher's Step click to every student's screen
showing the new quarter**. Then it prints the median and the 95th percentile and stops the server::

    .venv/bin/python dashboard/classroom/loadtest.py                       # 40 Chromium pages
    .venv/bin/python dashboard/classroom/loadtest.py --students 40 --quarters 15 --contexts 4
    .venv/bin/python dashboard/classroom/loadtest.py --clients ws          # 40 websocket clients

How it measures:

* **Students.** ``--clients browser`` (default): N real headless Chromium pages, spread over
  ``--contexts`` browser contexts (each context is a device with its own cookies). Each joins
  through the join page (types its name, presses Join) and then, every quarter, clicks one of
  Obey / Hold back / Break away at a random moment within ``--answer-window`` seconds. A
  MutationObserver in each page notes the moment (``performance.timeOrigin + now()``, the
  machine's clock) when the quarter label first shows each quarter: that is when the page's DOM
  holds the new quarter, i.e. what the next frame paints. ``--clients ws``: N websocket clients
  that speak Solara's widget protocol as the page does (join, click, receive), without drawing;
  they show the server's own share when the clients cost the machine nothing.
* **Teacher.** A Chromium page on the teacher's address. Once every student has answered (the
  teacher's page reads "Answered: N of N"), a script in the page notes the time and clicks Step.
* **Figure.** Per quarter, the slowest student's delay (the moment every screen is updated);
  reported as median and 95th percentile over the quarters, with every student's delay too.

Everything runs on the same machine, so the clients take CPU from the server they measure (on
a 2-core laptop with 40 Chromium pages that is most of the CPU): the browser figure is an
upper bound for a class whose phones are separate devices.

Counts and times are bounded (``--students`` <= 60, ``--quarters`` <= 28) and every wait has a
timeout; a student that times out is reported, not waited for.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import random
import shutil
import statistics
import sys
import time
import uuid
from pathlib import Path

MAX_STUDENTS = 60
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--disable-renderer-backgrounding",
                 "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows"]
APP = Path(__file__).resolve().parent / "app.py"

WATCH_QUARTER_JS = """
() => {
  window.__quarterSeen = window.__quarterSeen || {};
  const note = () => {
    const el = document.querySelector('.cl-quarter');
    if (!el) return;
    const text = el.textContent.trim();
    if (!(text in window.__quarterSeen)) window.__quarterSeen[text] = performance.timeOrigin + performance.now();
  };
  new MutationObserver(note).observe(document.body, {subtree: true, childList: true, characterData: true});
  note();
}
"""
CLICK_STEP_JS = """
() => { const t = performance.timeOrigin + performance.now(); document.querySelector('.cl-step').click(); return t; }
"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def percentile(values: list[float], q: float) -> float:
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def summary(values_ms: list[float]) -> str:
    if not values_ms:
        return "no data"
    return (f"median {statistics.median(values_ms):.0f} ms, p95 {percentile(values_ms, 0.95):.0f} ms, "
            f"max {max(values_ms):.0f} ms (n={len(values_ms)})")


def quarter_label(start_year: int, quarter: int) -> str:
    """The label of quarter number ``quarter`` (1-based) of a run starting in ``start_year``."""
    return f"{start_year + (quarter - 1) // 4} Q{(quarter - 1) % 4 + 1}"


# ------------------------------------------------------------------------------ the teacher
class Teacher:
    """The teacher's page in Chromium."""

    def __init__(self, browser, url: str):
        self.page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
        self.page.goto(url, timeout=120_000)
        self.page.wait_for_selector(".cl-map canvas", timeout=120_000)

    def answered(self) -> tuple[int, int]:
        text = self.page.inner_text(".cl-answered-count")  # "Answered: 12 of 40"
        done, _, total = text.split(":", 1)[1].strip().partition(" of ")
        return int(done), int(total)

    def wait_all_answered(self, n: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done, total = self.answered()
            if total >= n and done >= n:
                return True
            time.sleep(0.05)
        return False

    def step(self) -> float:
        """Click Step; the click's moment (epoch ms)."""
        return self.page.evaluate(CLICK_STEP_JS)


# ------------------------------------------------------------------------------ Chromium students
class BrowserStudents:
    def __init__(self, browser, url: str, code: str, n: int, contexts: int, rng: random.Random):
        self.rng = rng
        self.contexts = [browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
                         for _ in range(max(1, min(contexts, n)))]
        self.pages = []
        self.join_times = []
        for i in range(n):
            page = self.contexts[i % len(self.contexts)].new_page()
            started = time.perf_counter()
            page.goto(f"{url}/?code={code}", timeout=120_000)
            page.wait_for_selector(".cl-name-input input", timeout=120_000)
            page.fill(".cl-name-input input", f"Student {i + 1}")
            page.click(".cl-join-button")
            page.wait_for_selector(".cl-choice-0", timeout=120_000)
            self.join_times.append(time.perf_counter() - started)
            page.evaluate(WATCH_QUARTER_JS)
            self.pages.append(page)

    def answer(self, window: float) -> None:
        """Every student clicks a random choice, at random moments over ``window`` seconds."""
        order = list(range(len(self.pages)))
        self.rng.shuffle(order)
        pause = window / max(len(order), 1)
        for i in order:
            choice = self.rng.choice([0, 0, 1, 2])
            self.pages[i].evaluate(f"() => document.querySelector('.cl-choice-{choice}').click()")
            time.sleep(self.rng.random() * 2 * pause)

    def seen(self, label: str) -> list[float | None]:
        """Per student, when the page first showed ``label`` (epoch ms; None: not yet)."""
        return [page.evaluate(f"() => (window.__quarterSeen || {{}})[{json.dumps(label)}] || null")
                for page in self.pages]

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


# ------------------------------------------------------------------------------ websocket students
def _message(msg_type: str, content: dict, session: str) -> str:
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "",
                   "version": "5.3", "date": datetime.datetime.now(datetime.UTC).isoformat()},
        "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []})


class WsStudent:
    """A student as a websocket client of Solara's widget protocol: it keeps every widget's state,
    finds the fields and buttons by their CSS classes and notes when the quarter label changes."""

    def __init__(self, base_url: str):
        self.ws_url = base_url.replace("http://", "ws://")
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict] = {}
        self.quarter_seen: dict[str, float] = {}  # label -> epoch ms first received

    async def open(self, path: str, timeout: float = 60.0) -> None:
        import websockets

        self.ws = await websockets.connect(
            f"{self.ws_url}/jupyter/api/kernels/{uuid.uuid4()}/channels?session_id={self.session}", max_size=None,
            open_timeout=timeout)
        control = uuid.uuid4().hex
        await self.ws.send(_message("comm_open", {"comm_id": control, "target_name": "solara.control", "data": {}},
                                    self.session))
        await self.ws.send(_message("comm_msg", {"comm_id": control, "data": {
            "method": "run", "args": {"path": path, "appName": None}}}, self.session))
        while True:
            message = await asyncio.wait_for(self._receive(), timeout)
            content = message.get("content", {})
            if content.get("comm_id") == control and content.get("data", {}).get("method") == "finished":
                break
        self.reader = asyncio.create_task(self._read())

    async def _receive(self) -> dict:
        from solara.server.kernel import deserialize_binary_message

        raw = await self.ws.recv()
        message = deserialize_binary_message(raw) if isinstance(raw, bytes) else json.loads(raw)
        kind = message.get("header", {}).get("msg_type")
        content = message.get("content", {})
        comm = content.get("comm_id")
        state = None
        if kind == "comm_open":
            state = dict(content.get("data", {}).get("state", {}))
            self.models[comm] = state
        elif kind == "comm_msg" and content.get("data", {}).get("method") in ("update", "echo_update"):
            state = content["data"].get("state", {})
            self.models.setdefault(comm, {}).update(state)
        if state is not None and "cl-quarter" in str(self.models[comm].get("class_") or "").split():
            text = " ".join(c for c in self.models[comm].get("children", []) if isinstance(c, str)
                            and not c.startswith("IPY_MODEL_")).strip()
            self.quarter_seen.setdefault(text, time.time() * 1000)
        return message

    async def _read(self) -> None:
        try:
            while True:
                await self._receive()
        except Exception:  # noqa: BLE001 - the connection closed: the waits for this student time out
            pass

    def _find(self, css: str) -> str | None:
        for comm, state in reversed(list(self.models.items())):
            if css in str(state.get("class_") or "").split():
                return comm
        return None

    def _choice_pad(self) -> str | None:
        """The student's choice pad (a template widget: found by its ``choices``)."""
        for comm, state in reversed(list(self.models.items())):
            if "choices" in state and "answer" in state:
                return comm
        return None

    async def _send(self, comm: str, data: dict) -> None:
        await self.ws.send(_message("comm_msg", {"comm_id": comm, "data": data}, self.session))

    async def click(self, css: str) -> None:
        comm = self._find(css)
        if comm is None:
            raise RuntimeError(f"no widget {css!r} on the page")
        await self._send(comm, {"method": "custom", "content": {"event": "click", "data": {}}})

    async def choose(self, stance: int) -> None:
        """Press one of the three choices, as the page's template does."""
        pad = self._choice_pad()
        if pad is None:
            raise RuntimeError("no choices on the page")
        await self._send(pad, {"method": "custom", "content": {"event": "choose", "data": stance}})

    async def join(self, name: str, timeout: float = 60.0) -> None:
        field = self._find("cl-name-input")
        if field is None:
            raise RuntimeError("no name field on the join page")
        await self._send(field, {"method": "update", "state": {"v_model": name}, "buffer_paths": []})
        await asyncio.sleep(0.05)
        await self.click("cl-join-button")
        deadline = time.monotonic() + timeout
        while self._choice_pad() is None:
            if time.monotonic() > deadline:
                raise TimeoutError("the student page did not open")
            await asyncio.sleep(0.02)

    async def close(self) -> None:
        self.reader.cancel()
        await self.ws.close()


class WsStudents:
    """N websocket students driven from their own event loop thread (the harness is synchronous)."""

    def __init__(self, url: str, code: str, n: int, rng: random.Random):
        import threading

        self.rng = rng
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.students = [WsStudent(url) for _ in range(n)]
        self.join_times = []
        for i, student in enumerate(self.students):
            started = time.perf_counter()
            self._run(student.open(f"/?code={code}"))
            self._run(student.join(f"Student {i + 1}"))
            self.join_times.append(time.perf_counter() - started)

    def _run(self, coroutine, timeout: float = 120.0):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def answer(self, window: float) -> None:
        async def everyone():
            async def one(student):
                await asyncio.sleep(self.rng.random() * window)
                await student.choose(self.rng.choice([0, 0, 1, 2]))
            await asyncio.gather(*(one(s) for s in self.students))
        self._run(everyone())

    def seen(self, label: str) -> list[float | None]:
        return [s.quarter_seen.get(label) for s in self.students]

    def close(self) -> None:
        async def everyone():
            await asyncio.gather(*(s.close() for s in self.students), return_exceptions=True)
        self._run(everyone())
        self.loop.call_soon_threadsafe(self.loop.stop)


# ------------------------------------------------------------------------------ the measurement
def run(args) -> dict:
    from playwright.sync_api import sync_playwright

    from soviet_cohesion import scenarios
    from soviet_cohesion.classroom_launcher import ClassroomServer

    executable = chromium_path()
    if executable is None:
        raise SystemExit("no Chromium found (the teacher's page, and the students with --clients browser, need it)")
    rng = random.Random(args.seed)
    start_year = int(scenarios.load(args.scenario).start)
    results: dict = {"cpu_count": os.cpu_count(), "students": args.students, "clients": args.clients,
                     "contexts": args.contexts, "scenario": args.scenario, "answer_window_s": args.answer_window,
                     "load_average_before": round(os.getloadavg()[0], 2)}
    with ClassroomServer(scenario=args.scenario, timer=0, app=APP) as server:
        server.wait_ready()
        print(f"server: {server.url} (teacher key and code made for this run)")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                teacher = Teacher(browser, server.teacher_url)
                started = time.perf_counter()
                students: BrowserStudents | WsStudents
                if args.clients == "browser":
                    students = BrowserStudents(browser, server.url, server.code, args.students, args.contexts, rng)
                else:
                    students = WsStudents(server.url, server.code, args.students, rng)
                joins = summary([t * 1000 for t in students.join_times])
                print(f"{args.students} students joined in {time.perf_counter() - started:.0f} s "
                      f"(one after the other; join page to student page: {joins})")
                if not teacher.wait_all_answered(0, 30) or teacher.answered()[1] != args.students:
                    print(f"  warning: the teacher's page counts {teacher.answered()[1]} students")
                per_quarter, per_student, missing = [], [], 0
                cpu0, wall0 = server.cpu_seconds(), time.perf_counter()
                for quarter in range(1, args.quarters + 1):
                    students.answer(args.answer_window)
                    if not teacher.wait_all_answered(args.students, 60):
                        print(f"  quarter {quarter}: not every answer reached the teacher ({teacher.answered()})")
                    clicked = teacher.step()
                    label = quarter_label(start_year, quarter + 1)
                    deadline = time.monotonic() + args.timeout
                    seen = students.seen(label)
                    while any(t is None for t in seen) and time.monotonic() < deadline:
                        time.sleep(0.05)
                        seen = students.seen(label)
                    delays = [t - clicked for t in seen if t is not None]
                    missing += sum(t is None for t in seen)
                    per_student.extend(delays)
                    if delays and len(delays) == len(seen):
                        per_quarter.append(max(delays))
                    slowest = max(delays) if delays else float("nan")
                    typical = statistics.median(delays) if delays else float("nan")
                    late = sum(t is None for t in seen)
                    print(f"  quarter {quarter} -> {label}: every screen updated after {slowest:.0f} ms "
                          f"(median student {typical:.0f} ms)" + (f", {late} not updated" if late else ""))
                wall = time.perf_counter() - wall0
                cpu_share = (server.cpu_seconds() - cpu0) / wall if wall > 0 else float("nan")
                students.close()
            finally:
                browser.close()
    results.update({
        "every_screen_ms": [round(x, 1) for x in per_quarter],
        "each_student_ms": [round(x, 1) for x in per_student],
        "not_updated": missing,
        "server_cpu_share_of_one_core": round(cpu_share, 3),
        "join_s": [round(x, 2) for x in students.join_times],
        "load_average_after": round(os.getloadavg()[0], 2),
    })
    return results


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40, help=f"students (default 40, at most {MAX_STUDENTS})")
    parser.add_argument("--quarters", type=int, default=12, help="quarters stepped and measured (default 12)")
    parser.add_argument("--clients", choices=["browser", "ws"], default="browser",
                        help="students as Chromium pages (default) or websocket clients")
    parser.add_argument("--contexts", type=int, default=4,
                        help="browser contexts the Chromium students share (default 4)")
    parser.add_argument("--answer-window", type=float, default=3.0,
                        help="seconds over which the students answer each quarter (default 3)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for every screen (default 30)")
    parser.add_argument("--scenario", default="gorbachev", help="scenario played (default gorbachev)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the students' random choices (default 1)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS:
        parser.error(f"--students must be in [1, {MAX_STUDENTS}]")
    if not 1 <= args.quarters <= 28:
        parser.error("--quarters must be in [1, 28]")
    if not 1 <= args.contexts <= MAX_STUDENTS:
        parser.error(f"--contexts must be in [1, {MAX_STUDENTS}]")
    if not 0 <= args.answer_window <= 60 or not 1 <= args.timeout <= 120:
        parser.error("--answer-window must be in [0, 60] and --timeout in [1, 120] seconds")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    print(f"soviet-cohesion class load test: {args.students} students ({args.clients} clients), "
          f"{args.quarters} quarters, {os.cpu_count()} CPU cores")
    results = run(args)
    print(f"\nteacher's Step -> every student's screen shows the new quarter: {summary(results['every_screen_ms'])}")
    print(f"teacher's Step -> one student's screen (all students, all quarters): {summary(results['each_student_ms'])}")
    print(f"server CPU while stepping: {results['server_cpu_share_of_one_core']:.0%} of one core; "
          f"screens not updated within {args.timeout:g} s: {results['not_updated']}")
    print(f"machine load average (1 min) before / after: {results['load_average_before']:.1f} / "
          f"{results['load_average_after']:.1f} on {os.cpu_count()} cores (other work on the machine counts too)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.path.append(str(Path(__file__).resolve().parents[2] / "src"))  # a source checkout without install
    sys.exit(main())
