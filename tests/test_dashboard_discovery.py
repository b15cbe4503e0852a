"""The dashboard's discovery panel ("what would have kept the union together?"): the panel says
what ``dashboard/data/discovery.json`` holds (figures read from the file, not written here), the
file has the fields ``scripts/dashboard_discovery.py`` writes today (a small fresh run, slow),
and the wheel ships it."""

from __future__ import annotations

import html
import importlib.util
import json
import shlex
import subprocess
import sys
import types

import ipyvuetify as v
import pytest

solara = pytest.importorskip("solara")

import dashboard_support as ds  # noqa: E402

panel = ds.dashboard_module("discovery_panel")
i18n = ds.dashboard_module("i18n")
explain = ds.dashboard_module("explain")
EN, RU = i18n.catalogue("en"), i18n.catalogue("ru")
SCRIPT = ds.REPO / "scripts" / "dashboard_discovery.py"
DATA = ds.REPO / "dashboard" / "data" / "discovery.json"


def load_script():
    spec = importlib.util.spec_from_file_location("dashboard_discovery_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


script = load_script()


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def render_page(search: str = ""):
    import solara.routing

    app = ds.load_app()

    @solara.component
    def WithAddress():
        router = solara.routing.Router(f"/?{search}", routes=[solara.Route("/")])
        router.search = search
        solara.routing.router_context.provide(router)
        return app.Page()

    _, rc = solara.render(WithAddress(), handle_error=False)
    return rc


def shown(text: str) -> str:
    """A string as the panel's HTML carries it."""
    return html.escape(text)


def open_panel(rc) -> str:
    (toggle,) = ds.find_by_class(rc, v.Btn, "sc-discovery-toggle")
    assert toggle.attributes["aria-expanded"] == "false"
    assert "union held" not in ds.texts(rc)  # folded until opened
    toggle.click()
    return ds.texts(rc)


# ------------------------------------------------------------------------------ the committed file
def test_the_committed_file_is_consistent_and_says_what_made_it(data):
    assert tuple(data) == script.FIELDS and data["schema"] == script.SCHEMA
    assert data["survived"] == round(data["survival_share"] * data["runs"])
    args = shlex.split(data["command"])
    workers = int(args[args.index("--workers") + 1])
    assert data["command"] == script.command_line(data["runs"], data["seed"], workers)
    assert data["runs"] >= 1000 and data["boxes"], "the shipped answer comes from a full discovery"
    for box in data["boxes"] + data["dissolved_boxes"]:
        assert tuple(box) == script.BOX_FIELDS and box["limits"]
        assert box["cases"] == round(box["density"] * box["n"])
        for limit in box["limits"]:
            assert tuple(limit) == script.LIMIT_FIELDS
            assert limit["sampled_low"] <= limit["low"] <= limit["high"] <= limit["sampled_high"]
            assert not (limit["low_at_edge"] and limit["high_at_edge"])  # a restriction limits something


# ------------------------------------------------------------------------------ the panel
def test_the_panel_renders_the_figures_of_the_file(data):
    rc = render_page()
    try:
        text = open_panel(rc)
    finally:
        rc.close()
    share = explain.percent(data["survival_share"])
    assert shown(EN("discovery.headline", survived=data["survived"], runs=data["runs"], share=share)) in text
    first = data["boxes"][0]
    assert shown(EN("discovery.held", share=explain.percent(first["density"]))) in text
    for limit in first["limits"]:
        assert shown(panel.limit_sentence(limit, EN)) in text
    # bars, not bare numbers: the density bar is filled to the density and marks the share in all runs
    assert f"width:{first['density'] * 100:.1f}%" in text and f"width:{first['coverage'] * 100:.1f}%" in text
    assert f"left:{data['survival_share'] * 100:.1f}%" in text
    assert shown(EN("discovery.not_history")) in text and shown(data["command"]) in text
    assert shown(EN("discovery.made_by", version=data["package_version"], seed=data["seed"])) in text


def test_the_panel_speaks_russian(data):
    rc = render_page("scenario=gorbachev&seed=1&lang=ru")
    try:
        text = open_panel(rc)
    finally:
        rc.close()
    share = explain.percent(data["survival_share"])
    assert shown(RU("discovery.headline", survived=data["survived"], runs=data["runs"], share=share)) in text
    assert shown(RU("discovery.not_history")) in text and RU("discovery.title") in text


def test_limits_read_as_sentences_and_missing_data_says_how_to_make_it():
    limit = {"input": "openness_year", "lever": "openness", "kind": "year", "low": 1987.3, "high": 1991.4,
             "sampled_low": 1985.26, "sampled_high": 1991.4, "low_at_edge": False, "high_at_edge": True}
    assert panel.limit_sentence(limit, EN) == "moved Openness (glasnost) no earlier than 1987 Q2"
    value = {**limit, "input": "audit_capacity", "lever": "audit_capacity", "kind": "value", "low": 0.0,
             "high": 0.12, "low_at_edge": True, "high_at_edge": False}
    assert panel.limit_sentence(value, EN) == "set Audits to 0.12 or less"
    assert panel.discovery_html(None, EN) == f"<p>{EN('discovery.missing', command=panel.COMMAND)}</p>"
    empty = {**json.loads(DATA.read_text()), "boxes": [], "dissolved_boxes": []}
    assert EN("discovery.no_box") in panel.discovery_html(empty, EN)


# ------------------------------------------------------------------------------ staleness
@pytest.mark.slow
def test_a_fresh_small_discovery_has_the_fields_of_the_committed_file(data, tmp_path):
    """The file's own command, at a small size, writes a file of the same shape (a changed script
    or discovery package means the committed file must be made again)."""
    args = shlex.split(data["command"])[1:]  # python <script> ...
    args[args.index("--runs") + 1] = "120"
    args[args.index("--workers") + 1] = "1"
    out = tmp_path / "discovery.json"
    r = subprocess.run([sys.executable, str(ds.REPO / args[0]), *args[1:], "--out", str(out)], capture_output=True,
                       text=True, timeout=300, cwd=ds.REPO)
    assert r.returncode == 0, r.stderr
    fresh = json.loads(out.read_text())
    assert tuple(fresh) == tuple(data)
    assert fresh["runs"] == 120 and fresh["seed"] == data["seed"] and fresh["levers"] == data["levers"]
    assert fresh["package_version"] == data["package_version"], "made by another version: run the command again"
    assert fresh["command"] == script.command_line(120, data["seed"], 1)
    for box in fresh["boxes"] + fresh["dissolved_boxes"]:
        assert tuple(box) == script.BOX_FIELDS
        assert all(tuple(limit) == script.LIMIT_FIELDS for limit in box["limits"])
    # the same function, in this process, gives the same file
    assert script.discovery_data(120, data["seed"], workers=1) == fresh


# ------------------------------------------------------------------------------ the wheel
def test_the_wheel_ships_the_dashboard_data(monkeypatch):
    """hatch_build.py's file list (hatchling itself is only in the build's environment)."""
    interface = types.ModuleType("hatchling.builders.hooks.plugin.interface")
    interface.BuildHookInterface = object  # type: ignore[attr-defined]
    for name in ("hatchling", "hatchling.builders", "hatchling.builders.hooks", "hatchling.builders.hooks.plugin"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, interface.__name__, interface)
    spec = importlib.util.spec_from_file_location("hatch_build_under_test", ds.REPO / "hatch_build.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    files = hook.shipped_files(ds.REPO)
    assert files[str(DATA)] == "soviet_cohesion/dashboard/data/discovery.json"
    assert files[str(ds.REPO / "dashboard" / "discovery_panel.py")] == "soviet_cohesion/dashboard/discovery_panel.py"
    assert files[str(ds.REPO / "dashboard" / "classroom" / "start_button.py")] == \
        "soviet_cohesion/dashboard/classroom/start_button.py"  # page.py imports it
    assert not [p for p in files if "__pycache__" in p or p.endswith(".pyc")]
