"""Helpers for the dashboard's tests: load the dashboard package, render its page without a
browser, and run a real server for the browser tests."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "dashboard" / "app.py"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
LOOPBACK_PREFIXES = ("http://127.0.0.1", "ws://127.0.0.1", "http://localhost", "ws://localhost",
                     "http://[::1]", "ws://[::1]", "data:", "blob:", "about:")


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
    """All the text on a rendered page: text children, labels and inner HTML, at any depth."""
    parts = []
    for widget in all_widgets(rc):
        children = getattr(widget, "children", None)
        if isinstance(children, (list, tuple)):
            parts.extend(c for c in children if isinstance(c, str))
        for attribute in ("label", "unsafe_innerHTML"):
            value = getattr(widget, attribute, None)
            if isinstance(value, str):
                parts.append(value)
    return "\n".join(parts)


# ------------------------------------------------------------------------------ a real server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class DashboardServer:
    """``solara run dashboard/app.py --production --host 127.0.0.1 --port <free>`` as a child
    process, with the launcher's settings; polled until ready; stopped with terminate, then kill."""

    def __init__(self, extra_env: dict | None = None):
        from soviet_cohesion.dashboard_launcher import server_environment

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = server_environment()
        env.update(extra_env or {})
        self.log = tempfile.NamedTemporaryFile("w+", prefix="dashboard-test-", suffix=".log", delete=False)
        cmd = [sys.executable, "-m", "solara", "run", str(APP), "--production", "--host", "127.0.0.1",
               "--port", str(self.port), "--no-open"]
        self.process = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO)

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited ({self.process.returncode}):\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server not ready after {timeout:.0f} s:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        try:
            os.unlink(self.log.name)
        except OSError:
            pass
