"""Entry point of the classroom dashboard: ``solara run dashboard/app.py`` (what
``soviet-cohesion dashboard`` runs).

Solara executes this file as a script; it loads the folder it sits in as the package
``soviet_cohesion_dashboard`` (whether that folder is the repository's ``dashboard/`` or the
installed ``soviet_cohesion/dashboard/``) and exposes the page. The page builds its model
inside the component, so every browser tab has its own run.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

PACKAGE = "soviet_cohesion_dashboard"


def load_package(name: str = PACKAGE):
    """Import this folder as the package ``name`` (once per process)."""
    if name not in sys.modules:
        here = Path(__file__).resolve().parent
        spec = importlib.util.spec_from_file_location(name, here / "__init__.py",
                                                      submodule_search_locations=[str(here)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


load_package()
from soviet_cohesion_dashboard.page import Page  # noqa: E402

try:  # Solara's "This website runs on Solara" badge covers the page's lower right corner
    import solara.server.settings

    solara.server.settings.theme.show_banner = False
except Exception:  # noqa: BLE001  # pragma: no cover - an older or newer Solara without the setting
    pass

# `solara run` put this folder on sys.path; the modules here are imported through the package
# only, so their short names (session, charts, style, ...) must not shadow anything else
_here = str(Path(__file__).resolve().parent)
sys.path[:] = [entry for entry in sys.path if entry != _here]

__all__ = ["Page"]
