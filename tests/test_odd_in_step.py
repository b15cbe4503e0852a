"""docs/ODD.md is kept in step with the code: every parameter, submodel, indicator and named
constant of the model appears in it, and the constants with their values."""

import inspect
import re
from pathlib import Path

import pytest

from soviet_cohesion import INDICATORS, model
from soviet_cohesion.parameters import PARAMETERS

ODD = (Path(__file__).resolve().parents[1] / "docs" / "ODD.md").read_text(encoding="utf-8")
SUBMODELS = re.findall(r"self\.(\w+)\(\)", inspect.getsource(model.CohesionModel.step))
CONSTANTS = ("PLAN_SHARE", "CENTRAL_USE", "NEED_SHARE", "STOCK_CAP", "FEAR_DECAY",
             "BACKGROUND_SUSPECTS", "AUTONOMY_HYSTERESIS")


def test_the_schedule_is_the_documented_one():
    assert SUBMODELS[:9] == ["apply_events", "plan_quotas", "supply", "produce", "decide",
                             "deliver_and_report", "local_accounts", "audit_and_punish", "update_authority"]


@pytest.mark.parametrize("name", [*PARAMETERS, *SUBMODELS, *INDICATORS])
def test_named_in_the_odd(name):
    assert f"`{name}`" in ODD


@pytest.mark.parametrize("name", CONSTANTS)
def test_constants_with_their_values(name):
    value = getattr(model, name)
    assert re.search(rf"`{name}`[^\n]*{re.escape(f'{value:g}')}", ODD), (name, value)


def test_every_scenario_event_is_listed():
    from soviet_cohesion import load_scenario, scenario_names
    for name in scenario_names():
        assert f"`{name}`" in ODD
        for event in load_scenario(name).events:
            assert event.label in ODD, (name, event.label)
