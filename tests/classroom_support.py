"""Helpers for the class session's tests: load the classroom package, make a session without
threads, and render its pages without a browser."""

from __future__ import annotations

import importlib
import importlib.util
import sys

import dashboard_support as ds

APP = ds.REPO / "dashboard" / "classroom" / "app.py"


def load_app():
    """Import ``dashboard/classroom/app.py`` (it loads the dashboard folder as a package)."""
    if "soviet_cohesion_classroom_app" not in sys.modules:
        spec = importlib.util.spec_from_file_location("soviet_cohesion_classroom_app", APP)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["soviet_cohesion_classroom_app"]


def module(name: str):
    """A module of the classroom package, e.g. ``module("classroom")``."""
    load_app()
    return importlib.import_module(f"soviet_cohesion_dashboard.classroom.{name}")


def quiet_classroom(scenario: str = "gorbachev", seed: int = 1, **kwargs):
    """A session without the clock thread, whose announcements are delivered at once in the
    publishing thread (so a test sees every redraw before the call returns)."""
    classroom_mod, broadcast = module("classroom"), module("broadcast")
    kwargs.setdefault("clock", False)
    kwargs.setdefault("broadcaster", broadcast.Broadcaster(workers=0))
    return classroom_mod.Classroom(scenario, seed, **kwargs)


def page(path: str):
    """The element Solara renders for ``path`` ("/play?seat=...") with the class's routes."""
    import solara
    import solara.autorouting

    app = load_app()
    return solara.RoutingProvider(children=[solara.autorouting.RenderPage()], routes=app.routes, pathname=path)
