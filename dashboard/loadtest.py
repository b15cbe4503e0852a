"""Classroom load test for the dashboard: a benchmark script, not a unit test.

It starts its own dashboard server on 127.0.0.1 (a free port, the same settings as
``soviet-cohesion dashboard``), measures, prints medians and stops the server::

    .venv/bin/python dashboard/loadtest.py                  # 1 visitor, then 30 visitors
    .venv/bin/python dashboard/loadtest.py --visitors 10 --duration 20
    .venv/bin/python dashboard/loadtest.py --clients browser --visitors 5

1. **One visitor, step + redraw** (needs Chromium): in a headless Chromium page, the time from
   a click on Step until the page shows the new quarter (the year label changed and the
   indicator chart holds one more point), median over ``--steps`` steps of the USSR world.
   The same over a bare websocket client gives the server's share of it.
2. **N visitors playing at once, pause then step**: N visitors open the page, pick the long
   scenario (``ussr-1953-1991``) and press Play. While they play, each visitor, at random
   moments, presses Pause and then Step and times the answer: from the Pause click until the
   page shows the quarter of that step (it clicks Step as soon as the button reads Play again,
   so this is two round trips, as a person does it). Then it presses Play again. ``--bands K``
   of them (default 3) also press "How sure is it?" once everybody plays, so that 20-seed bands
   compute in the background while the others are measured. The visitors are websocket
   clients that speak Solara's widget protocol exactly as the browser's page does, without
   drawing (30 Chromium pages would take the two cores from the server they are measuring);
   ``--clients browser`` uses real Chromium pages instead (fewer of them, please).

Counts and times are bounded (``--visitors`` <= 60, ``--duration`` <= 180 s) and every wait
has a timeout; a visitor that times out is reported, not waited for.
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

from soviet_cohesion.dashboard_launcher import BackgroundServer

MAX_VISITORS = 60
MAX_DURATION = 180.0
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
APP = Path(__file__).resolve().parent / "app.py"


# ------------------------------------------------------------------------------ a websocket visitor
def _message(msg_type: str, content: dict, session: str) -> str:
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "",
                   "version": "5.3", "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
        "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []})


class Visitor:
    """One page, as a websocket client of Solara's widget protocol (no drawing).

    It keeps every widget's state as the server sends it, finds the controls by their CSS
    classes (``sc-play``, ``sc-step``, ``sc-year``) and clicks them the way the page does.
    """

    def __init__(self, base_url: str, path: str):
        self.ws_url = base_url.replace("http://", "ws://")
        self.path = path
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict] = {}
        self.seq = 0  # messages received
        self.year_seen: list[tuple[int, float]] = []  # (seq, time) of every change of the year label
        self.play_label: list[tuple[int, float, str]] = []  # (seq, time, "Play"/"Pause")
        self._changed = asyncio.Event()
        self.ids: dict[str, str] = {}

    async def open(self, timeout: float = 60.0) -> float:
        import websockets

        started = time.perf_counter()
        kernel = str(uuid.uuid4())
        self.ws = await websockets.connect(
            f"{self.ws_url}/jupyter/api/kernels/{kernel}/channels?session_id={self.session}", max_size=None,
            open_timeout=timeout)
        control = uuid.uuid4().hex
        await self.ws.send(_message("comm_open", {"comm_id": control, "target_name": "solara.control", "data": {}},
                                    self.session))
        await self.ws.send(_message("comm_msg", {"comm_id": control, "data": {
            "method": "run", "args": {"path": self.path, "appName": None}}}, self.session))
        while True:
            message = await asyncio.wait_for(self._receive(), timeout)
            content = message.get("content", {})
            if content.get("comm_id") == control and content.get("data", {}).get("method") == "finished":
                break
        for css in ("sc-play", "sc-step", "sc-year", "sc-band-run"):
            self.ids[css] = self._find(css)
        self.reader = asyncio.create_task(self._read())
        return time.perf_counter() - started

    async def _receive(self) -> dict:
        from solara.server.kernel import deserialize_binary_message

        raw = await self.ws.recv()
        message = deserialize_binary_message(raw) if isinstance(raw, bytes) else json.loads(raw)
        self.seq += 1
        kind = message.get("header", {}).get("msg_type")
        content = message.get("content", {})
        if kind == "comm_open":
            self.models[content["comm_id"]] = dict(content.get("data", {}).get("state", {}))
        elif kind == "comm_msg" and content.get("data", {}).get("method") in ("update", "echo_update"):
            comm = content["comm_id"]
            self.models.setdefault(comm, {}).update(content["data"].get("state", {}))
            now = time.perf_counter()
            if comm == self.ids.get("sc-year") and "children" in content["data"]["state"]:
                self.year_seen.append((self.seq, now))
            if comm == self.ids.get("sc-play") and "children" in content["data"]["state"]:
                self.play_label.append((self.seq, now, self.label("sc-play")))
        return message

    async def _read(self) -> None:
        try:
            while True:
                await self._receive()
                self._changed.set()
        except Exception:  # connection closed: the waits time out and report it
            self._changed.set()

    def _find(self, css: str) -> str:
        for comm, state in self.models.items():
            if css in str(state.get("class_") or "").split():
                return comm
        raise RuntimeError(f"no widget with class {css!r} on the page")

    def label(self, css: str) -> str:
        children = self.models.get(self.ids[css], {}).get("children", [])
        return " ".join(c for c in children if isinstance(c, str) and not c.startswith("IPY_MODEL_"))

    async def click(self, css: str) -> None:
        await self.ws.send(_message("comm_msg", {"comm_id": self.ids[css], "data": {
            "method": "custom", "content": {"event": "click", "data": {}}}}, self.session))

    async def wait_until(self, condition, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), min(remaining, 1.0))
            except asyncio.TimeoutError:
                pass

    async def step_round_trip(self, timeout: float = 30.0) -> float:
        """Click Step; seconds until the year label changes."""
        seq, started = self.seq, time.perf_counter()
        await self.click("sc-step")
        await self.wait_until(lambda: any(s > seq for s, _ in self.year_seen), timeout)
        return next(t for s, t in self.year_seen if s > seq) - started

    async def play(self, timeout: float = 30.0) -> None:
        if self.label("sc-play") != "Pause":
            await self.click("sc-play")
            await self.wait_until(lambda: self.label("sc-play") == "Pause", timeout)

    async def pause_then_step(self, timeout: float = 30.0) -> float:
        """Click Pause; as soon as the button reads Play again, click Step; seconds from the Pause
        click until the page shows the quarter of that step (two round trips, as a person does it)."""
        started = time.perf_counter()
        await self.click("sc-play")  # the button reads "Pause" while playing
        await self.wait_until(lambda: self.label("sc-play") == "Play", timeout)
        seq = self.seq  # paused: the next change of the year is our step
        await self.click("sc-step")
        await self.wait_until(lambda: any(s > seq for s, _ in self.year_seen), timeout)
        return next(t for s, t in self.year_seen if s > seq) - started

    def steps_seen(self) -> int:
        return len(self.year_seen)

    async def close(self) -> None:
        self.reader.cancel()
        await self.ws.close()


# ------------------------------------------------------------------------------ measurements
def summary(values: list[float], unit: str = "ms", scale: float = 1000.0) -> str:
    if not values:
        return "no data"
    v = sorted(x * scale for x in values)
    p90 = v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
    return (f"median {statistics.median(v):.0f} {unit}, p90 {p90:.0f} {unit}, max {v[-1]:.0f} {unit} "
            f"(n={len(v)})")


STEP_AND_REDRAW_JS = """
async () => {
  // done when the year label shows the new quarter and each chart has drawn once
  // after the click (ECharts' 'rendered' event); a chart that does not exist is not waited for
  const charts = ['.sc-map', '.sc-indicators', '.sc-stances']
    .map(css => document.querySelector(css))
    .filter(el => el !== null)
    .map(el => window.__scEcharts.getInstanceByDom(el))
    .filter(chart => chart);
  const drawn = new Set();
  const handlers = charts.map((chart, i) => { const h = () => drawn.add(i); chart.on('rendered', h); return h; });
  const year = document.querySelector('.sc-year').innerText;
  const t0 = performance.now();
  document.querySelector('.sc-step').click();
  const ms = await new Promise(resolve => {
    const check = () => {
      const now = performance.now();
      if (now - t0 > 20000) resolve(-1);
      else if (drawn.size === charts.length && document.querySelector('.sc-year').innerText !== year) resolve(now - t0);
      else setTimeout(check, 2);
    };
    setTimeout(check, 2);
  });
  charts.forEach((chart, i) => chart.off('rendered', handlers[i]));
  return ms;
}
"""
LOAD_ECHARTS_JS = """
async () => new Promise(resolve => requirejs([window.solara.cdn + '/echarts@5.4.0/dist/echarts.js'],
                                            e => { window.__scEcharts = e; resolve(true); }))
"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def one_visitor_browser(url: str, steps: int) -> list[float]:
    """Step + redraw in headless Chromium, in seconds (empty if Chromium is not available)."""
    executable = chromium_path()
    if executable is None:
        print("  (no Chromium found: browser measurement skipped)")
        return []
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(url, timeout=60_000)
            page.wait_for_selector(".sc-indicators canvas", timeout=60_000)
            page.wait_for_timeout(1000)
            page.evaluate(LOAD_ECHARTS_JS)
            times = []
            for _ in range(steps):
                ms = page.evaluate(STEP_AND_REDRAW_JS)
                if ms >= 0:
                    times.append(ms / 1000)
            return times
        finally:
            browser.close()


async def one_visitor_websocket(url: str, path: str, steps: int) -> list[float]:
    visitor = Visitor(url, path)
    await visitor.open()
    try:
        return [await visitor.step_round_trip() for _ in range(steps)]
    finally:
        await visitor.close()


async def many_visitors_websocket(url: str, path: str, n: int, duration: float, rounds: int,
                                  server: BackgroundServer, bands: int = 0) -> dict:
    """N visitors play at once; each measures pause-then-step ``rounds`` times at random moments."""
    rng = random.Random(1)
    visitors = [Visitor(url, path) for _ in range(n)]
    load_times = []
    for visitor in visitors:  # open one after the other, as a class arrives
        load_times.append(await visitor.open())
    for visitor in visitors:
        await visitor.play()
    for visitor in visitors[:bands]:  # some ask "how sure is it?": 20 seeds in the background each
        await visitor.click("sc-band-run")
    cpu0, wall0 = server.cpu_seconds(), time.perf_counter()
    steps0 = [v.steps_seen() for v in visitors]
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + duration

    async def measure(visitor: Visitor):
        nonlocal failures
        await asyncio.sleep(rng.uniform(1.0, 3.0))
        for _ in range(rounds):
            if time.perf_counter() > deadline:
                return
            try:
                latencies.append(await visitor.pause_then_step(timeout=max(5.0, deadline + 30 - time.perf_counter())))
                await visitor.play()
            except TimeoutError:
                failures += 1
                return
            await asyncio.sleep(rng.uniform(1.0, 3.0))

    await asyncio.wait_for(asyncio.gather(*(measure(v) for v in visitors)), duration + 60)
    wall = time.perf_counter() - wall0
    cpu = server.cpu_seconds() - cpu0
    steps = [v.steps_seen() - s for v, s in zip(visitors, steps0)]
    for visitor in visitors:
        await visitor.close()
    return {"latencies": latencies, "failures": failures, "load_times": load_times,
            "steps_per_visitor_per_s": statistics.median(steps) / wall if wall > 0 else float("nan"),
            "server_cpu_share": cpu / wall if wall > 0 else float("nan"), "wall": wall}


PAUSE_THEN_STEP_JS = """
async () => {
  const play = document.querySelector('.sc-play');
  const year = () => document.querySelector('.sc-year').innerText;
  const t0 = performance.now();
  play.click();  // Pause
  const poll = (condition) => new Promise(resolve => {
    const check = () => {
      if (performance.now() - t0 > 30000) resolve(false);
      else if (condition()) resolve(true);
      else setTimeout(check, 1);
    };
    check();
  });
  if (!await poll(() => play.innerText.toUpperCase().includes('PLAY'))) return -1;
  const shown = year();
  document.querySelector('.sc-step').click();
  if (!await poll(() => year() !== shown)) return -1;
  return performance.now() - t0;
}
"""


def many_visitors_browser(url: str, n: int, duration: float, rounds: int, server: BackgroundServer) -> dict:
    """The same with real Chromium pages (measured one page at a time while the others play)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("no Chromium found for --clients browser")
    latencies, failures = [], 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            pages = []
            for _ in range(n):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(url, timeout=120_000)
                page.wait_for_selector(".sc-play", timeout=120_000)
                pages.append(page)
            for page in pages:
                page.click(".sc-play")
            cpu0, wall0 = server.cpu_seconds(), time.perf_counter()
            deadline = time.perf_counter() + duration
            for _ in range(rounds):
                for page in pages:
                    if time.perf_counter() > deadline:
                        break
                    ms = page.evaluate(PAUSE_THEN_STEP_JS)
                    if ms < 0:
                        failures += 1
                    else:
                        latencies.append(ms / 1000)
                    page.click(".sc-play")
            wall = time.perf_counter() - wall0
            cpu = server.cpu_seconds() - cpu0
        finally:
            browser.close()
    return {"latencies": latencies, "failures": failures, "load_times": [],
            "steps_per_visitor_per_s": float("nan"), "server_cpu_share": cpu / wall if wall else float("nan"),
            "wall": wall}


# ------------------------------------------------------------------------------ main
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visitors", type=int, default=30, help="visitors playing at once (default 30, at most 60)")
    parser.add_argument("--duration", type=float, default=30.0,
                        help="seconds of playing while visitors measure (default 30, at most 180)")
    parser.add_argument("--rounds", type=int, default=3, help="pause-then-step measurements per visitor (default 3)")
    parser.add_argument("--steps", type=int, default=20, help="steps timed for the single visitor (default 20)")
    parser.add_argument("--scenario", default="gorbachev", help="scenario of the single-visitor test")
    parser.add_argument("--load-scenario", default="ussr-1953-1991",
                        help="scenario the visitors play (long enough to keep playing; default ussr-1953-1991)")
    parser.add_argument("--bands", type=int, default=3,
                        help="visitors who also run the 20-seed band while the others are measured (default 3)")
    parser.add_argument("--clients", choices=["ws", "browser"], default="ws",
                        help="the N visitors: websocket clients (default) or Chromium pages")
    parser.add_argument("--skip-single", action="store_true", help="skip the single-visitor measurement")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not 1 <= args.visitors <= MAX_VISITORS:
        parser.error(f"--visitors must be in [1, {MAX_VISITORS}]")
    if not 1 <= args.duration <= MAX_DURATION:
        parser.error(f"--duration must be in [1, {MAX_DURATION:g}] seconds")
    if not 1 <= args.rounds <= 20 or not 1 <= args.steps <= 100:
        parser.error("--rounds must be in [1, 20] and --steps in [1, 100]")
    if not 0 <= args.bands <= args.visitors:
        parser.error(f"--bands must be in [0, --visitors] (here {args.visitors})")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    results: dict = {"cpu_count": os.cpu_count(), "visitors": args.visitors, "clients": args.clients,
                     "bands": args.bands, "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"soviet-cohesion dashboard load test ({os.cpu_count()} CPU cores, load average {load:.1f} at the start)")
    with BackgroundServer(app=APP) as server:
        server.wait_ready()
        print(f"server: {server.url}")
        if not args.skip_single:
            path = f"/?scenario={args.scenario}&seed=1"
            browser = one_visitor_browser(server.url + path, args.steps)
            print(f"1 visitor, step + redraw in Chromium ({args.scenario}): {summary(browser)}")
            ws = asyncio.run(one_visitor_websocket(server.url, path, args.steps))
            print(f"1 visitor, step round trip over the websocket (server side): {summary(ws)}")
            results["single_browser_ms"] = [round(x * 1000, 1) for x in browser]
            results["single_ws_ms"] = [round(x * 1000, 1) for x in ws]
        path = f"/?scenario={args.load_scenario}&seed=1"
        if args.clients == "ws":
            many = asyncio.run(many_visitors_websocket(server.url, path, args.visitors, args.duration, args.rounds,
                                                       server, args.bands))
        else:
            many = many_visitors_browser(server.url + path, args.visitors, args.duration, args.rounds, server)
        bands = f", {args.bands} of them running 20-seed bands" if args.clients == "ws" and args.bands else ""
        print(f"{args.visitors} visitors playing{bands}, pause then step ({args.clients} clients): "
              f"{summary(many['latencies'])}")
        if many["load_times"]:
            print(f"  page load (one after the other): {summary(many['load_times'])}")
        rate = many["steps_per_visitor_per_s"]
        rate_text = f"{rate:.2f} steps/s per visitor (median), " if rate == rate else ""
        print(f"  while playing: {rate_text}server CPU {many['server_cpu_share']:.0%} of one core, "
              f"{many['failures']} timed out")
        results.update({k: v for k, v in many.items() if k != "latencies"})
        results["pause_then_step_ms"] = [round(x * 1000, 1) for x in many["latencies"]]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.path.append(str(Path(__file__).resolve().parents[1] / "src"))  # a source checkout without install
    sys.exit(main())
