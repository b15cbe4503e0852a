"""Entry point of the class session: ``solara run dashboard/classroom/app.py`` (what
``soviet-cohesion classroom`` runs).

It loads the dashboard folder above as the package ``soviet_cohesion_dashboard`` (the class
pages reuse its charts and palette) and exposes the class's routes; the session itself is made
once per server, from the launcher's environment (see ``settings.py``).
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

PACKAGE = "soviet_cohesion_dashboard"
_here = Path(__file__).resolve().parent


def load_package(name: str = PACKAGE):
    """Import the dashboard folder (this folder's parent) as the package ``name`` (once)."""
    if name not in sys.modules:
        folder = _here.parent
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        assert spec is not None and spec.loader is not None, f"cannot load {folder}"
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


load_package()
# on a school network the pages are served over http to the machine's address: Solara then
# falls back to a same-site cookie and says so on every page load; that is expected here
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")

from soviet_cohesion_dashboard.classroom.lifetime import watch_parent  # noqa: E402
from soviet_cohesion_dashboard.classroom.pages import Layout, routes  # noqa: E402

watch_parent()  # started from the dashboard: end with it

# `solara run` put this folder on sys.path; its modules are imported through the package only
sys.path[:] = [entry for entry in sys.path if entry != str(_here)]

__all__ = ["Layout", "routes"]
