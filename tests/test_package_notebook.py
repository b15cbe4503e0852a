"""The example notebooks, and the classroom dashboard inside Jupyter (``soviet_cohesion.notebook``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

solara = pytest.importorskip("solara")

import ipyvuetify as v  # noqa: E402

import dashboard_support as ds  # noqa: E402
from soviet_cohesion.notebook import dashboard  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def rendered_year(element) -> tuple[str, str]:
    _, rc = solara.render(element, handle_error=False)
    try:
        (year,) = ds.find_by_class(rc, v.Html, "sc-year")
        alerts = " ".join(str(c) for a in rc.find(v.Alert).widgets for c in a.children if isinstance(c, str))
        return year.children[0], alerts
    finally:
        rc.close()


def test_the_notebook_dashboard_opens_the_asked_for_run():
    year, alerts = rendered_year(dashboard("brezhnev", seed=3))
    assert year == "1964" and alerts == ""


def test_a_bad_scenario_in_the_notebook_shows_a_message_and_the_default_run():
    year, alerts = rendered_year(dashboard("andropov", seed=3))
    assert year == "1985" and "andropov" in alerts


@pytest.mark.slow
def test_the_example_notebooks_run_from_top_to_bottom(tmp_path):
    notebooks = sorted(str(p) for p in (ROOT / "examples").glob("*.ipynb"))
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "run_notebooks.py"), "--cwd", str(tmp_path), *notebooks],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("ok ") == len(notebooks)
    assert (tmp_path / "results" / "quick_look" / "runs").is_dir()  # the sweep notebook wrote its results there
