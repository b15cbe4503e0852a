"""Scenarios from files: ``scenarios.load`` takes a shipped name or the path of a .toml file,
validated with the same one-line errors; the years a scenario covers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from soviet_cohesion import CohesionModel, scenarios, shipped
from soviet_cohesion.scenarios import ScenarioError, years_label

DOCS = Path(__file__).resolve().parents[1] / "docs" / "scenario-format.md"


def documented_example() -> str:
    """The complete scenario file shown in docs/scenario-format.md."""
    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1, "docs/scenario-format.md should show one complete TOML example"
    return blocks[0]


@pytest.fixture
def my_file(tmp_path) -> Path:
    return shipped.copy_shipped("scenario", "stalin", tmp_path / "my_stalin.toml")


@pytest.fixture
def example_file(tmp_path) -> Path:
    path = tmp_path / "example.toml"
    path.write_text(documented_example(), encoding="utf-8")
    return path


def test_the_documented_example_is_a_valid_scenario(example_file):
    s = scenarios.load(example_file)
    assert s.name == "perestroika-without-glasnost" and s.years == "1985-1991" and len(s.events) == 2
    assert set(s.narrative) <= set(scenarios.NARRATIVE_KEYS)
    model = CohesionModel(example_file, rng=1, steps=8, collect_regions=False)
    model.run_model()
    assert len(model.indicators()) == 9


def test_a_path_works_wherever_a_name_does(my_file, monkeypatch):
    by_path = scenarios.load(my_file)
    assert by_path.name == "my_stalin"  # the copy took the file's name
    assert scenarios.load(str(my_file)) == by_path
    monkeypatch.chdir(my_file.parent)
    assert scenarios.load("my_stalin.toml") == by_path  # relative to the working directory
    assert scenarios.load("./my_stalin.toml") == by_path
    model = CohesionModel("my_stalin.toml", rng=1, steps=3)
    model.run_model()
    assert model.timeline.name == "my_stalin" and len(model.indicators()) == 4


def test_the_same_file_gives_the_same_run_as_the_shipped_name(my_file):
    shipped_run = CohesionModel("stalin", rng=5, steps=6, collect_regions=False)
    file_run = CohesionModel(my_file, rng=5, steps=6, collect_regions=False)
    shipped_run.run_model()
    file_run.run_model()
    assert shipped_run.indicators().equals(file_run.indicators())


def test_an_edited_file_is_read_again(my_file):
    assert scenarios.load(my_file).summary != "Edited."
    text = my_file.read_text()
    my_file.write_text(text.replace(scenarios.load("stalin").summary, "Edited."))
    assert scenarios.load(my_file).summary == "Edited."


@pytest.mark.parametrize("name, words", [
    ("gorbachov", ["unknown scenario 'gorbachov'", "did you mean 'gorbachev'?", "ussr-1953-1991", ".toml"]),
    ("nothere.toml", ["nothere.toml: no such scenario file"]),
    ("some/folder/x", ["some/folder/x: no such scenario file"]),
    ("", ["unknown scenario ''"]),
])
def test_unknown_names_and_missing_files_are_one_line(name, words):
    with pytest.raises(ScenarioError) as info:
        scenarios.load(name)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message


@pytest.mark.parametrize("edit, words", [
    (lambda t: t.replace("[parameters]", "[paramters]"), ["unknown field 'paramters'", "did you mean 'parameters'?"]),
    (lambda t: t.replace('doctrine = "reform"', 'doctrine = "fear"'), ["doctrine='fear'", "terror"]),
    (lambda t: t.replace("year = 1987.5", "year = 1999.0"), ["events[1].year=1999.0", "[1985, 1992]"]),
    (lambda t: t.replace("end = 1992.0", "end = 1980.0"), ["start=1985.0 and end=1980.0"]),
    (lambda t: t + '\n[[events]]\nyear = 1990.0\nset = { n_regions = 10 }\n',
     ["'n_regions' cannot change during a run"]),
    (lambda t: t + "\n[[events]]\nyear = 1990.0\nwhen = 1\n", ["unknown field(s) ['when']"]),
    (lambda t: t.replace('name = "perestroika-without-glasnost"', "name = 3"),
     ["field 'name' is missing or not a str"]),
    (lambda t: t.replace("scarcity = 0.15", "scarcity = 1.5"), ["scarcity=1.5 is not allowed", "[0, 1]"]),
    (lambda t: t.replace("what_happened =", "what_hapened ="), ["narrative has unknown field 'what_hapened'"]),
    (lambda t: t + "\nscarcity = [", ["not valid TOML"]),
])
def test_a_bad_file_is_refused_with_one_line_naming_the_file_and_field(example_file, edit, words):
    text = example_file.read_text()
    assert edit(text) != text, "the edit must change the file"
    example_file.write_text(edit(text))
    with pytest.raises(ScenarioError) as info:
        scenarios.load(example_file)
    message = str(info.value)
    assert "\n" not in message and example_file.name in message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("start, end, label", [
    (1985.0, 1992.0, "1985-1991"),   # 28 quarters: 1985 Q1 to 1991 Q4
    (1946.0, 1953.0, "1946-1952"),
    (1985.25, 1991.5, "1985-1991"),  # ends mid-1991: 1991 is still covered
    (1990.0, 1991.0, "1990"),
    (1990.0, 1990.5, "1990"),
])
def test_years_are_those_a_run_covers_first_to_last(start, end, label):
    assert years_label(start, end) == label


def test_every_shipped_title_names_its_years_by_that_convention():
    for name in scenarios.names():
        s = scenarios.load(name)
        assert s.years in s.title, (name, s.title, s.years)
