"""The classroom dashboard inside Jupyter: the same page as ``soviet-cohesion dashboard``, for one
run, in a notebook cell.

    from soviet_cohesion.notebook import dashboard
    dashboard("gorbachev", seed=3)          # as the last line of a cell

``dashboard()`` returns a Solara element: Jupyter displays it as a widget (JupyterLab,
Notebook 7, VS Code), ``solara.display(...)`` shows it from inside other code, and
``solara.render(...)`` renders it in tests. The cell has its own run, like a browser tab: Play,
the levers, Compare and the exports all work there. Needs the ``dashboard`` extra
(``pip install 'soviet-cohesion[dashboard]'``).
"""

from __future__ import annotations

import importlib.util
import sys
import urllib.parse
from functools import lru_cache
from typing import Any

APP_MODULE = "soviet_cohesion_dashboard_app"


def page_component() -> Any:
    """The dashboard's ``Page`` component, from the installed app (or the repository's ``dashboard/``)."""
    if APP_MODULE not in sys.modules:
        from .dashboard_launcher import app_path

        path = app_path()
        spec = importlib.util.spec_from_file_location(APP_MODULE, path)
        if spec is None or spec.loader is None:  # pragma: no cover - app_path() found a file
            raise ImportError(f"cannot load the dashboard from {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[APP_MODULE] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[APP_MODULE]
            raise
    return sys.modules[APP_MODULE].Page


@lru_cache(maxsize=1)
def _component() -> Any:
    import solara
    from solara.routing import Router, router_context

    page = page_component()

    @solara.component
    def Dashboard(search: str = ""):
        """The page, given the address's query string (scenario, seed, presentation) that a browser
        tab would have."""
        router_context.provide(Router(f"/?{search}" if search else "/", routes=[]))
        return page()

    return Dashboard


def dashboard(scenario: str = "gorbachev", seed: int = 1, presentation: bool = False) -> Any:
    """The classroom dashboard for one run of a shipped ``scenario`` with ``seed``, as a Solara
    element (the last expression of a Jupyter cell displays it). ``presentation=True`` opens it
    in presentation mode. A scenario or seed that is not allowed shows a message on the page and
    the default run, as in the browser."""
    query = {"scenario": scenario, "seed": seed}
    if presentation:
        query["presentation"] = 1
    return _component()(search=urllib.parse.urlencode(query))
