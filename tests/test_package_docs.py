"""Documents that stay true: the generated parts of README.md and docs/*.md are what the scripts
make from today's code, the README lists every shipped spec, and the package metadata is in order.
(The README's "What the model shows", which runs the model, is checked in test_package_readme.py.)"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import generated_blocks as gb  # noqa: E402
import update_generated_docs as ugd  # noqa: E402

from soviet_cohesion import parameters, scenarios, shipped  # noqa: E402

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: argparse's help layout changes between Python versions; the committed text is 3.12's
HELP_PYTHON = (3, 12)


def generated(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    return [(name, gb.body(text, name)) for name in gb.blocks(text, str(path)) if name not in ugd.ELSEWHERE]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_generated_blocks_are_current(path):
    for name, committed in generated(path):
        if name == "cli-help" and sys.version_info[:2] != HELP_PYTHON:
            pytest.skip(f"cli-help is generated with Python {HELP_PYTHON}")
        assert committed == ugd.MAKERS[name]().strip("\n"), (
            f"{path.name}: the generated block {name!r} is out of date; run: python scripts/update_generated_docs.py")


def test_the_documents_have_the_blocks_they_promise():
    names = {p.name: [n for n, _ in generated(p)] for p in DOCUMENTS}
    assert names["ODD.md"] == ["parameters", "scenarios"]
    assert names["README.md"] == ["scenario-table", "spec-table"]
    assert "cli-help" in names["cli.md"]
    assert {"event-parameters", "doctrines"} <= set(names["scenario-format.md"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert gb.blocks(readme).count("what-the-model-shows") == gb.blocks(readme).count("model-versus-history") == 1


def test_odd_parameter_table_has_every_parameter_with_its_default():
    table = gb.body((ROOT / "docs" / "ODD.md").read_text(encoding="utf-8"), "parameters")
    for p in parameters.PARAMETERS.values():
        assert f"| `{p.name}` | {p.group} | {ugd.value(p.default)} | {p.allowed} |" in table


def test_odd_scenario_sections_cover_every_event():
    text = gb.body((ROOT / "docs" / "ODD.md").read_text(encoding="utf-8"), "scenarios")
    for name in scenarios.names():
        s = scenarios.load(name)
        assert f"### `{name}`: {s.title}" in text
        for event in s.events:
            assert event.label in text


def test_the_readme_layout_lists_every_shipped_spec():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):readme.index("## Read more")]
    row = next(line for line in layout.splitlines() if line.startswith("| `experiments/`"))
    for name in shipped.spec_names():
        assert f"`{name}`" in row, f"README layout: the experiments/ row does not name {name}"


def test_the_experiments_readme_lists_every_shipped_spec():
    text = (ROOT / "experiments" / "README.md").read_text(encoding="utf-8")
    for name in shipped.spec_names():
        assert f"| `{name}.toml` |" in text, f"experiments/README.md does not list {name}.toml"


def test_the_readme_commands_listen_on_localhost_only():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        if line.startswith(("dask scheduler", "dask worker")):
            assert "--host 127.0.0.1" in line, line
    assert "[--host H]" not in readme and "[--port P]" not in readme


# ------------------------------------------------------------------------------ the block machinery
def test_fill_replaces_only_its_block_and_keeps_the_markers():
    text = ("intro\n<!-- BEGIN GENERATED: a -->\nold a\n<!-- END GENERATED: a -->\nmiddle\n"
            "<!-- BEGIN GENERATED: b -->\nold b\n<!-- END GENERATED: b -->\nend\n")
    new = gb.fill(text, "a", "new a")
    assert "new a" in new and "old a" not in new and "old b" in new
    assert gb.blocks(new) == ["a", "b"] and gb.body(new, "a") == "new a"
    assert gb.fill(new, "a", "new a") == new  # idempotent


@pytest.mark.parametrize("text, words", [
    ("<!-- BEGIN GENERATED: a -->\n", ["do not pair up"]),
    ("<!-- BEGIN GENERATED: a -->\nx\n<!-- END GENERATED: a -->\n" * 2, ["appears twice"]),
    ("<!-- END GENERATED: a -->\n<!-- BEGIN GENERATED: a -->\n", ["followed"]),
])
def test_broken_markers_are_one_line_errors(text, words):
    with pytest.raises(gb.BlockError) as info:
        gb.blocks(text, "f.md")
    for word in words:
        assert word in str(info.value)


def test_a_block_without_a_generator_is_an_error(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("<!-- BEGIN GENERATED: nonsense -->\n<!-- END GENERATED: nonsense -->\n")
    assert ugd.main([str(path)]) == 2


def test_the_generator_fills_any_markdown_file_and_checks_it(tmp_path, capsys):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\n<!-- BEGIN GENERATED: parameters -->\n<!-- END GENERATED: parameters -->\n")
    assert ugd.main([str(path), "--check"]) == 1
    assert ugd.main([str(path)]) == 0
    assert "| `openness` | lever |" in path.read_text()
    assert ugd.main([str(path), "--check"]) == 0


# ------------------------------------------------------------------------------ package metadata
def test_pyproject_metadata():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["license"] == "MIT" and meta["license-files"] == ["LICENSE"]
    assert "Typing :: Typed" in meta["classifiers"]
    assert "urls" not in meta or all(u.startswith("https://") for u in meta["urls"].values())
    extras = meta["optional-dependencies"]
    assert {"dashboard", "sweep", "examples", "docs", "lint", "test", "all"} <= set(extras)
    assert (ROOT / "src" / "soviet_cohesion" / "py.typed").is_file()
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_every_dependency_is_pinned_in_constraints():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {line.split("==")[0].lower().replace("_", "-")
              for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line}
    requirements = meta["dependencies"] + [r for extra, rs in meta["optional-dependencies"].items()
                                           if extra != "all" for r in rs]
    for requirement in requirements:
        name = requirement.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower()
        assert name.replace("_", "-") in pinned, f"{name} is not pinned in constraints.txt"
    assert "http" not in (ROOT / "constraints.txt").read_text()


def test_citation_file():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["license"] == "MIT" and cff["type"] == "software"
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert cff["version"] == meta["version"]
    refs = {(r["authors"][0].get("family-names") or r["authors"][0]["name"], r.get("year")) for r in cff["references"]}
    for cited in [("Epstein", 2002), ("Granovetter", 1978), ("Kuran", 1991), ("Solnick", 1998), ("Hale", 2004),
                  ("Treisman", 1999), ("Giuliano", 2006), ("Beissinger", 2002), ("Grimm", 2005), ("Grimm", 2020)]:
        assert cited in refs, cited
    assert any("ODD" in r["title"] and r["type"] == "report" for r in cff["references"])


def test_changelog_has_an_unreleased_section():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog") and "## Unreleased" in text


# ------------------------------------------------------------------------------ notebooks
NOTEBOOKS = sorted((ROOT / "examples").glob("*.ipynb"))


def test_there_are_the_three_example_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01_first_run.ipynb", "02_sweep_with_duckdb.ipynb",
                                           "03_dashboard_in_jupyter.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebooks_carry_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        assert "id" in cell
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"{path.name}: clear the outputs"
