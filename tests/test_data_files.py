"""The data files: archetypes and scenarios are validated on load, with one line naming the
file and the field; the USSR figures carry their sources."""

import csv

import pytest

from soviet_cohesion import archetypes, scenarios
from soviet_cohesion.world import data_path

GOOD_TYPE = """
[[type]]
name = "apparatchik"
weight = 1.0
risk_aversion = { mean = 0.5, sd = 0.1 }
loyalty = { mean = 0.5, sd = 0.1 }
local_weight = { mean = 0.5, sd = 0.1 }
peer_threshold = { mean = 0.5, sd = 0.1 }
autonomy_threshold = { mean = 0.5, sd = 0.1 }
"""


def test_shipped_archetypes_load():
    types = archetypes.load_official_types()
    assert len(types) >= 2
    doctrines = archetypes.load_doctrines()
    assert {"terror", "reform"} <= set(doctrines)


@pytest.mark.parametrize("text, words", [
    (GOOD_TYPE.replace("weight = 1.0", "weight = -1"), ["weight", "apparatchik"]),
    (GOOD_TYPE.replace("mean = 0.5, sd = 0.1 }\nloyalty", "mean = 1.5, sd = 0.1 }\nloyalty"),
     ["risk_aversion.mean", "[0.01, 0.99]"]),
    (GOOD_TYPE.replace("loyalty = { mean = 0.5, sd = 0.1 }", "loyalty = 0.5"), ["loyalty"]),
    (GOOD_TYPE + "colour = 'red'\n", ["colour"]),
    ("[[type]]\nweight = 1", ["name"]),
    ("not toml [", ["not valid TOML"]),
])
def test_malformed_official_types_name_file_and_field(tmp_path, text, words):
    path = tmp_path / "officials.toml"
    path.write_text(text)
    with pytest.raises(archetypes.ArchetypeError) as err:
        archetypes.load_official_types(path)
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word in message


def test_malformed_doctrine_names_file_and_field(tmp_path):
    path = tmp_path / "centre.toml"
    path.write_text("[doctrine.harsh]\npunishment_severity = 4\n")
    with pytest.raises(archetypes.ArchetypeError) as err:
        archetypes.load_doctrines(path)
    assert str(path) in str(err.value) and "punishment_severity" in str(err.value)


def test_malformed_scenario_names_file_and_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\ntitle = "t"\nsummary = "s"\nstart = 1985\nend = 1990\n'
                    'doctrine = "reform"\n[[events]]\nyear = 1987\nlabel = "x"\nset = { openness = 7 }\n')
    with pytest.raises(scenarios.ScenarioError) as err:
        scenarios.load_file(path)
    assert str(path) in str(err.value) and "openness" in str(err.value) and "events[0]" in str(err.value)


def test_ussr_republic_figures_have_sources():
    with data_path("ussr_republics.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 15
    for row in rows:
        for key in ("source_population", "source_titular", "source_nmp", "source_transfer"):
            assert row[key].strip(), (row["code"], key)
        assert 0 < float(row["titular_share_1989"]) <= 1
    assert sum(float(r["population_1989_thousands"]) for r in rows) == pytest.approx(286_700, rel=0.02)
