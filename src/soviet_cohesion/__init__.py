"""soviet-cohesion: an agent-based model of how a centralised state loses control from the
local level.

>>> from soviet_cohesion import CohesionModel
>>> model = CohesionModel(scenario="gorbachev", rng=1)
>>> model.run_model()
>>> model.indicators()[["year", "cohesion", "compliance", "authority"]].tail(1)  # doctest: +SKIP
"""

from .agents import Centre, RegionalOfficial, Stance
from .model import INDICATORS, REGION_FIELDS, CohesionModel
from .parameters import PARAMETERS, ParameterError
from .scenarios import ScenarioError
from .scenarios import load as load_scenario
from .scenarios import names as scenario_names

__all__ = ["CohesionModel", "RegionalOfficial", "Centre", "Stance", "INDICATORS", "REGION_FIELDS",
           "PARAMETERS", "ParameterError", "ScenarioError", "load_scenario", "scenario_names"]
__version__ = "0.1.0"
