"""Helpers for the dashboard's tests: load the dashboard package, render its page without a
browser, and run a real server for the browser tests."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from soviet_cohesion.dashboard_launcher import BackgroundServer

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
def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class DashboardServer(BackgroundServer):
    """``solara run dashboard/app.py --production --host 127.0.0.1 --port <free>`` as a child
    process, with the launcher's settings (see ``BackgroundServer``)."""

    def __init__(self, extra_env: dict | None = None):
        super().__init__(extra_env=extra_env, app=APP)
