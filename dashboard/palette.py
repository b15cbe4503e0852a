"""Colours and labels shared by every panel.

Stances use the Okabe-Ito palette (Okabe & Ito 2008), which stays distinguishable under the
common colour-vision deficiencies and in greyscale (blue dark, orange light, vermillion mid).
"""

from __future__ import annotations

from soviet_cohesion import Stance

#: stance index -> colour (index = value of ``model.stance``)
STANCE_COLOURS = {
    int(Stance.OBEYING): "#0072B2",  # blue
    int(Stance.MANAGING_RISK): "#E69F00",  # orange
    int(Stance.AUTONOMOUS): "#D55E00",  # vermillion
}
#: stance index -> label shown in legends ("obeying", "managing risk", "autonomous")
STANCE_LABELS = {int(s): s.label for s in Stance}

#: the indicators drawn over time, with their labels and Okabe-Ito colours
INDICATOR_SERIES = (
    ("cohesion", "Cohesion", "#000000"),
    ("compliance", "Compliance", "#0072B2"),
    ("plan_fulfilment", "Plan fulfilment", "#009E73"),
    ("authority", "Centre's authority", "#CC79A7"),
    ("reserves", "Reserves", "#56B4E9"),
)

#: the counterfactual's line in the comparison chart
COUNTERFACTUAL_COLOUR = "#D55E00"
#: colour of the dated scenario events on the time axis
EVENT_COLOUR = "#666666"
#: event-log kinds -> colour of the marker in the running log
LOG_COLOURS = {
    "event": "#000000",
    "stopped obeying": STANCE_COLOURS[int(Stance.MANAGING_RISK)],
    "autonomous": STANCE_COLOURS[int(Stance.AUTONOMOUS)],
    "back in line": STANCE_COLOURS[int(Stance.OBEYING)],
    "replaced": "#999999",
}
