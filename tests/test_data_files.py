"""The data files: archetypes and scenarios are validated on load, with one line naming the
file and the field; the USSR figures carry their sources."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

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


# ------------------------------------------------------------------ USSR region and republic data
REGION_COLUMNS = [
    "region", "republic_code", "kind", "tile_x", "tile_y", "weight", "population_1989_thousands",
    "titular_share", "russian_share", "largest_group", "largest_group_share", "autonomy_group",
    "autonomy_group_share", "incorporated", "council_1957", "council_1963", "source_population",
    "source_ethnic", "source_incorporated", "source_council", "reliability",
]
REPUBLIC_NEW_COLUMNS = [
    "titular_nationality", "nmp_1989_bn_rub", "trade_balance_1989_domestic_bn_rub",
    "trade_balance_1989_world_bn_rub", "trade_transfer_share", "source_trade_transfer",
    "reliability_trade_transfer", "budget_transfer_share", "source_budget_transfer",
    "reliability_budget_transfer",
]
SHARES = ("titular_share", "russian_share", "largest_group_share")
ROUNDING = 0.002  # shares are stored with three decimals
POPULATION_TOLERANCE = 0.015  # present (republic table) against permanent population (most regions)
REPUBLIC_SHARE_TOLERANCE = 0.01  # population-weighted regional shares against the republic's


def _table(name):
    with data_path(name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


@pytest.fixture(scope="module")
def regions():
    return _table("ussr_regions.csv")[1]


@pytest.fixture(scope="module")
def republics():
    return {r["code"]: r for r in _table("ussr_republics.csv")[1]}


@pytest.fixture(scope="module")
def by_name(regions):
    return {r["region"]: r for r in regions}


def test_region_columns_present_and_typed(regions):
    columns, _ = _table("ussr_regions.csv")
    assert columns == REGION_COLUMNS
    for r in regions:
        name = r["region"]
        assert float(r["population_1989_thousands"]) > 0, name
        for key in SHARES:
            assert 0.0 <= float(r[key]) <= 1.0, (name, key)
        assert r["largest_group"].strip(), name
        assert r["incorporated"] in ("", "1939", "1940", "1944", "1945"), name
        assert r["council_1957"].strip() and r["council_1963"].strip(), name
        for key in ("source_population", "source_ethnic", "source_incorporated", "source_council"):
            assert r[key].strip(), (name, key)
        assert r["reliability"].startswith(("census", "estimate")), name
        int(r["tile_x"]), int(r["tile_y"])


def test_shares_are_consistent(regions):
    for r in regions:
        titular, russian, largest = (float(r[k]) for k in SHARES)
        if r["republic_code"] == "RSFSR":  # the RSFSR's titular nationality is the Russians
            assert titular == russian, r["region"]
        else:
            assert titular + russian <= 1 + ROUNDING, r["region"]
        assert largest >= max(titular, russian) - ROUNDING / 2, r["region"]


def test_region_populations_sum_to_the_republic(regions, republics):
    totals = {}
    for r in regions:
        totals[r["republic_code"]] = totals.get(r["republic_code"], 0.0) + float(r["population_1989_thousands"])
    assert set(totals) == set(republics)
    for code, total in totals.items():
        expected = float(republics[code]["population_1989_thousands"])
        assert total == pytest.approx(expected, rel=POPULATION_TOLERANCE), code


def test_regional_shares_add_up_to_the_republic(regions, republics):
    """The population-weighted regional shares reproduce the republic's census shares."""
    for code, rep in republics.items():
        rows = [r for r in regions if r["republic_code"] == code]
        pop = sum(float(r["population_1989_thousands"]) for r in rows)
        for key, rep_key in (("titular_share", "titular_share_1989"), ("russian_share", "russian_share_1989")):
            mean = sum(float(r[key]) * float(r["population_1989_thousands"]) for r in rows) / pop
            assert mean == pytest.approx(float(rep[rep_key]), abs=REPUBLIC_SHARE_TOLERANCE), (code, key)


def test_weights_are_the_population_shares(regions):
    for code in {r["republic_code"] for r in regions}:
        rows = [r for r in regions if r["republic_code"] == code]
        pop = sum(float(r["population_1989_thousands"]) for r in rows)
        assert sum(float(r["weight"]) for r in rows) == pytest.approx(1.0, abs=1e-9), code
        for r in rows:
            assert float(r["weight"]) == pytest.approx(float(r["population_1989_thousands"]) / pop, abs=1e-3)


def test_every_autonomy_has_its_own_group(regions):
    for r in regions:
        if r["kind"] in ("ASSR", "AO"):
            assert r["autonomy_group"].strip(), r["region"]
            assert 0 < float(r["autonomy_group_share"]) <= 1, r["region"]
        else:
            assert not r["autonomy_group"].strip() and not r["autonomy_group_share"].strip(), r["region"]


def test_autonomies_are_no_longer_flat(by_name):
    karelians = float(by_name["Karelian ASSR"]["autonomy_group_share"])
    tatars = float(by_name["Tatar ASSR"]["autonomy_group_share"])
    assert karelians < 0.15 and tatars > 0.45
    assert by_name["Tatar ASSR"]["largest_group"] == "Tatars"


def test_the_named_errors_are_fixed(by_name):
    narva = by_name["Narva region"]
    assert narva["largest_group"] == "Russians" and float(narva["russian_share"]) > 0.5
    karabakh = by_name["Nagorno-Karabakh AO"]
    assert karabakh["largest_group"] == "Armenians" and float(karabakh["largest_group_share"]) > 0.7
    assert float(karabakh["titular_share"]) < 0.3  # the Azerbaijani share
    assert karabakh["autonomy_group"] == "Armenians"
    crimea = by_name["Crimean Oblast"]
    assert crimea["largest_group"] == "Russians" and float(crimea["titular_share"]) < 0.3
    assert by_name["South Ossetian AO"]["largest_group"] == "Ossetians"
    assert by_name["Abkhaz ASSR"]["autonomy_group"] == "Abkhaz"
    assert float(by_name["Abkhaz ASSR"]["titular_share"]) < 0.5
    for name in ("Daugavpils region", "Tiraspol region", "Komrat region"):
        assert float(by_name[name]["titular_share"]) < 0.5, name
    assert by_name["Komrat region"]["largest_group"] == "Gagauz"
    assert float(by_name["Vilnius region"]["titular_share"]) < 0.6
    for name in ("Lvov Oblast", "Ternopol Oblast", "Ivano-Frankovsk Oblast", "Volyn Oblast", "Rovno Oblast",
                 "Brest Oblast", "Grodno Oblast"):
        assert by_name[name]["incorporated"] == "1939", name
    assert by_name["Tiraspol region"]["incorporated"] == ""  # Soviet (Moldavian ASSR) since 1924
    for name in ("Kishinev region", "Tallinn region", "Riga region", "Kaunas region", "Chernovtsy Oblast"):
        assert by_name[name]["incorporated"] == "1940", name
    assert by_name["Tuva ASSR"]["incorporated"] == "1944"
    for name in ("Kaliningrad Oblast", "Transcarpathian Oblast"):
        assert by_name[name]["incorporated"] == "1945", name
    assert by_name["Moscow City"]["incorporated"] == ""


def test_no_naryn_oblast_in_january_1989(by_name):
    assert "Naryn Oblast" not in by_name  # inside Issyk-Kul Oblast from October 1988 to December 1990
    _, parts = _table("ussr_region_parts.csv")
    assert any(p["region"] == "Issyk-Kul Oblast" and "Naryn" in p["part"] for p in parts)


def test_tile_map_one_tile_each_and_republics_in_one_block(regions):
    tiles = [(int(r["tile_x"]), int(r["tile_y"])) for r in regions]
    assert len(set(tiles)) == len(tiles)
    for code in {r["republic_code"] for r in regions}:
        cells = {t for t, r in zip(tiles, regions) if r["republic_code"] == code}
        seen, todo = set(), [next(iter(cells))]
        while todo:
            x, y = todo.pop()
            if (x, y) in seen:
                continue
            seen.add((x, y))
            todo += [c for c in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)) if c in cells]
        assert seen == cells, code


def test_councils_of_1957_and_1963(regions):
    _, councils = _table("ussr_councils.csv")
    table = {(c["reform"], c["council_id"]): c for c in councils}
    n57 = sum(1 for c in councils if c["reform"] == "1957")
    n63 = sum(1 for c in councils if c["reform"] == "1963")
    assert 100 <= n57 <= 110 and 45 <= n63 <= 49
    used57 = {r["council_1957"] for r in regions}
    used63 = {r["council_1963"] for r in regions}
    assert 100 <= len(used57) <= 110 and 45 <= len(used63) <= 49
    for r in regions:
        assert ("1957", r["council_1957"]) in table, r["region"]
        assert ("1963", r["council_1963"]) in table, r["region"]
        assert r["republic_code"] in table[("1957", r["council_1957"])]["republics"].split(";"), r["region"]
    for c in councils:
        assert c["source"].strip() and c["reliability"].strip(), c["council_id"]
        if c["reform"] == "1957":  # each council of 1957 lies within one republic
            assert ";" not in c["republics"], c["council_id"]
    assert table[("1963", "SREDAZ")]["republics"].split(";") == ["UZB", "KIR", "TAJ", "TUR"]


AGGREGATE = Path(__file__).resolve().parents[1] / "scripts" / "aggregate_region_parts.py"


def _aggregate(*args):
    return subprocess.run([sys.executable, str(AGGREGATE), *args], capture_output=True, text=True)


def test_composite_regions_are_in_step_with_their_parts():
    """Stylised and merged rows are the aggregates of ussr_region_parts.csv (scripts/aggregate_region_parts.py)."""
    result = _aggregate("--check")
    assert result.returncode == 0, result.stderr


def test_aggregation_finds_a_stale_row_and_rewrites_it(tmp_path):
    for name in ("ussr_regions.csv", "ussr_republics.csv", "ussr_region_parts.csv"):
        shutil.copy(data_path(name), tmp_path / name)
    parts = (tmp_path / "ussr_region_parts.csv").read_text(encoding="utf-8")
    (tmp_path / "ussr_region_parts.csv").write_text(parts.replace("Estonians=0.185", "Estonians=0.285"),
                                                    encoding="utf-8")
    stale = _aggregate("--check", "--data", str(tmp_path))
    assert stale.returncode == 1 and "Narva region" in stale.stderr and "Tartu region" in stale.stderr
    assert _aggregate("--data", str(tmp_path)).returncode == 0
    assert _aggregate("--check", "--data", str(tmp_path)).returncode == 0
    with (tmp_path / "ussr_regions.csv").open(encoding="utf-8") as f:
        narva = next(r for r in csv.DictReader(f) if r["region"] == "Narva region")
    assert narva["titular_share"] == "0.285"


@pytest.mark.parametrize("old, new, words", [
    ("Estonians=0.185", "Estonians 0.185", ["Estonians 0.185", "Name=share"]),
    ("Ida-Viru county)\",221.5", "Ida-Viru county)\",1400", ["Tartu region", "exceed the republic total"]),
])
def test_aggregation_rejects_bad_parts(tmp_path, old, new, words):
    for name in ("ussr_regions.csv", "ussr_republics.csv", "ussr_region_parts.csv"):
        shutil.copy(data_path(name), tmp_path / name)
    parts = (tmp_path / "ussr_region_parts.csv").read_text(encoding="utf-8")
    assert old in parts
    (tmp_path / "ussr_region_parts.csv").write_text(parts.replace(old, new), encoding="utf-8")
    result = _aggregate("--check", "--data", str(tmp_path))
    assert result.returncode == 2 and "\n" not in result.stderr.strip()
    for word in words:
        assert word in result.stderr


def test_region_parts_are_well_formed(by_name):
    _, parts = _table("ussr_region_parts.csv")
    for p in parts:
        if p["region"] != "(republic total)":
            assert p["region"] in by_name, p["region"]
            assert p["republic_code"] == by_name[p["region"]]["republic_code"], p["region"]
        assert p["covers"].strip() and p["source"].strip() and p["reliability"].strip(), p["part"]
        if p["groups"].strip() == "residual":
            assert not p["population_1989_thousands"].strip()
            continue
        assert float(p["population_1989_thousands"]) > 0
        shares = [float(item.split("=")[1]) for item in p["groups"].split(";")]
        assert all(0 <= s <= 1 for s in shares) and sum(shares) <= 1 + ROUNDING, p["part"]


def test_republic_transfer_channels_have_sources(republics):
    columns, _ = _table("ussr_republics.csv")
    for key in REPUBLIC_NEW_COLUMNS:
        assert key in columns, key
    assert "net_transfer_share" in columns  # the old lumped figure, kept for today's loader
    for code, r in republics.items():
        for key in ("source_trade_transfer", "reliability_trade_transfer", "source_budget_transfer",
                    "reliability_budget_transfer", "titular_nationality"):
            assert r[key].strip(), (code, key)
        for key in ("budget_transfer_share", "trade_transfer_share"):
            assert -0.5 <= float(r[key]) <= 0.5, (code, key)
        domestic, world = r["trade_balance_1989_domestic_bn_rub"], r["trade_balance_1989_world_bn_rub"]
        if domestic and world:  # the implicit transfer is what world prices take off the balance
            implied = (float(domestic) - float(world)) / float(r["nmp_1989_bn_rub"])
            assert float(r["trade_transfer_share"]) == pytest.approx(implied, abs=0.001), code
        else:
            assert r["reliability_trade_transfer"].startswith("estimate"), code


def test_baltic_budget_and_trade_channels_point_opposite_ways(republics):
    """Tarr (1993), Orlowski (1993): the Baltic republics paid into the union budget but received an
    implicit transfer in trade at Soviet prices; the RSFSR gave through both channels; the energy and
    raw-material exporters Kazakhstan and Turkmenistan received through the budget and gave through trade."""
    def channels(code):
        return float(republics[code]["budget_transfer_share"]), float(republics[code]["trade_transfer_share"])

    for code in ("EST", "LAT", "LIT"):
        budget, trade = channels(code)
        assert budget < 0 < trade, code
    assert max(channels("RSFSR")) < 0
    for code in ("KAZ", "TUR"):
        budget, trade = channels(code)
        assert trade < 0 < budget, code
    for code in ("UZB", "KIR", "TAJ"):
        assert channels(code)[0] > 0, code
    for code in ("BLR", "MOL"):  # Tarr's other losers from world prices
        assert channels(code)[1] > 0, code
