"""soviet-cohesion: an agent-based model of how a centralised state loses control from the
local level.

>>> from soviet_cohesion import CohesionModel
>>> model = CohesionModel(scenario="gorbachev", rng=1)
>>> model.run_model()
>>> model.indicators()[["year", "cohesion", "non_obedience", "authority"]].tail(1)  # doctest: +SKIP
>>> model.declarations()  # doctest: +SKIP
"""

from .agents import Allegiance, Centre, RegionalOfficial, RepublicLeadership, Stance, Status
from .indicators import INDICATORS
from .model import CohesionModel, Simulation
from .parameters import PARAMETERS, ParameterError
from .records import REGION_FIELDS
from .scenarios import ScenarioError
from .scenarios import load as load_scenario
from .scenarios import names as scenario_names

__all__ = ["CohesionModel", "Simulation", "RegionalOfficial", "RepublicLeadership", "Centre", "Stance",
           "Allegiance", "Status", "INDICATORS", "REGION_FIELDS", "PARAMETERS", "ParameterError",
           "ScenarioError", "load_scenario", "scenario_names"]
__version__ = "0.2.0.dev0"
