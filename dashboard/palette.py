"""Colours shared by every panel (their names on the page come from the catalogue).

Stances use the Okabe-Ito palette (Okabe & Ito 2008), which stays distinguishable under the
common colour-vision deficiencies; in greyscale blue is dark, orange light and vermillion mid,
and every tile also carries its stance's letter (``stance_letter.*`` in the catalogue).
"""

from __future__ import annotations

from soviet_cohesion import Stance

#: stance index -> colour (index = value of ``model.stance``)
STANCE_COLOURS = {
    int(Stance.OBEYING): "#0072B2",  # blue
    int(Stance.MANAGING_RISK): "#E69F00",  # orange
    int(Stance.AUTONOMOUS): "#D55E00",  # vermillion
}

#: the indicators drawn over time (names: ``indicator.KEY``), with their Okabe-Ito colours
INDICATOR_SERIES = (
    ("cohesion", "#000000"),
    ("compliance", "#0072B2"),
    ("plan_fulfilment", "#009E73"),
    ("authority", "#CC79A7"),
    ("reserves", "#56B4E9"),
)

#: the counterfactual's line in the comparison chart
COUNTERFACTUAL_COLOUR = "#D55E00"
#: the band of 20 seeds around the cohesion curve
BAND_COLOUR = "#999999"
#: colour of the dated scenario events on the time axis
EVENT_COLOUR = "#444444"
#: event-log kinds -> colour of the marker in the running log
LOG_COLOURS = {
    "event": "#000000",
    "stopped obeying": STANCE_COLOURS[int(Stance.MANAGING_RISK)],
    "autonomous": STANCE_COLOURS[int(Stance.AUTONOMOUS)],
    "back in line": STANCE_COLOURS[int(Stance.OBEYING)],
    "replaced": "#777777",
    "declaration": "#CC79A7",
    "dissolution": "#000000",
}
