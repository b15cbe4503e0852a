"""docs/ODD.md is kept in step with the code: the schedule of ``Simulation.step`` is the order of
the submodel headings of section 7, and every parameter, submodel, indicator, named constant (with
its value) and scenario event (with its kind) of the model appears in it."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

from soviet_cohesion import INDICATORS, mechanisms, model, world
from soviet_cohesion.parameters import PARAMETERS

ODD = (Path(__file__).resolve().parents[1] / "docs" / "ODD.md").read_text(encoding="utf-8")

#: the submodels, in the order Simulation.step calls them (``name(self)`` lines)
SUBMODELS = re.findall(r"^\s+(\w+)\(self\)$", inspect.getsource(model.Simulation.step), re.M)
#: the submodel headings of section 7: ``### 7.N `name```
HEADINGS = re.findall(r"^### 7\.(\d+) `(\w+)`", ODD, re.M)


def _named_constants():
    """(module, NAME, value) of every number a mechanism or the world builder names at module
    level (``NAME = ...``, one name per line; tuple unpacking of enum members is not a constant)."""
    modules = [importlib.import_module(f"soviet_cohesion.mechanisms.{m.name}")
               for m in pkgutil.iter_modules(mechanisms.__path__)] + [world]
    out = []
    for module in modules:
        for name in re.findall(r"^([A-Z][A-Z0-9_]*) = ", inspect.getsource(module), re.M):
            value = getattr(module, name)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out.append(pytest.param(name, value, id=f"{module.__name__.rsplit('.', 1)[-1]}.{name}"))
    return out


CONSTANTS = _named_constants()


def test_the_schedule_has_its_fourteen_submodels():
    assert SUBMODELS == ["apply_events", "centre_reacts", "plan_quotas", "supply", "produce", "decide",
                         "deliver_and_report", "local_accounts", "update_official_picture", "audit_and_punish",
                         "careers", "mobilise", "leaders_decide", "update_authority"]


def test_section_7_follows_the_schedule():
    assert [name for _, name in HEADINGS] == SUBMODELS
    assert [int(n) for n, _ in HEADINGS] == list(range(1, len(SUBMODELS) + 1))


def test_the_parameter_table_is_a_generated_block():
    begin, end = "<!-- BEGIN GENERATED: parameters -->", "<!-- END GENERATED: parameters -->"
    assert ODD.count(begin) == ODD.count(end) == 1 and ODD.index(begin) < ODD.index(end)
    table = ODD[ODD.index(begin):ODD.index(end)]
    for name in PARAMETERS:
        assert f"| `{name}` |" in table, name


@pytest.mark.parametrize("name", [*PARAMETERS, *SUBMODELS, *INDICATORS])
def test_named_in_the_odd(name):
    assert f"`{name}`" in ODD


def test_there_are_named_constants_to_check():
    assert len(CONSTANTS) >= 40


@pytest.mark.parametrize("name, value", CONSTANTS)
def test_constants_with_their_values(name, value):
    written = {f"{value:g}", f"{value:g}".replace("e-0", "e-")}
    assert any(re.search(rf"`{name}`[^\n]*(?<![\d.]){re.escape(w)}(?![\d])", ODD) for w in written), (name, value)


def test_every_scenario_event_is_listed_with_its_kind():
    from soviet_cohesion import load_scenario, scenario_names
    lines = ODD.splitlines()
    for name in scenario_names():
        assert f"`{name}`" in ODD
        for event in load_scenario(name).events:
            assert event.label in ODD, (name, event.label)
            assert any(event.label in line and f"| {event.kind} |" in line for line in lines), (name, event.label)
