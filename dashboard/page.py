"""The page: layout of the panels, in normal mode (teacher or student at a screen) and in
presentation mode (a projector: larger type, fewer panels)."""

from __future__ import annotations

import solara
from solara.alias import rv

from .compare_panel import CompareChart, ComparePanel
from .controls import MessageBar, RunControls, YearBanner
from .event_log import EventLog
from .export_panel import ExportPanel
from .info_panel import InfoPanel
from .levers import LeverPanel
from .plots import IndicatorPlot, StancePlot
from .region_panel import RegionPanel
from .state import TabState, use_tab_state
from .style import CSS
from .tile_map import TileMap


@solara.component
def Header(state: TabState):
    """Title, the year in large type and the presentation switch; the run controls below."""
    presentation = state.presentation.value
    with solara.Row(classes=["sc-header"], style={"justify-content": "space-between"}):
        with solara.Column(gap="0px"):
            solara.Text("Soviet cohesion", classes=["sc-title"])
            if not presentation:
                solara.Text("How a centralised state loses control from the local level", classes=["sc-subtitle"])
        with solara.Row(style={"align-items": "center", "gap": "24px"}):
            YearBanner(state, large=presentation)
            solara.Switch(label="Presentation", value=state.presentation, classes=["sc-presentation-switch"])
    RunControls(state, large=presentation)


@solara.component
def NormalLayout(state: TabState):
    with rv.Row(dense=True):
        with rv.Col(cols=12, md=6, lg=5):
            with solara.Card("Map: the regions by stance (click one)", margin=0, classes=["sc-card", "sc-map-card"]):
                TileMap(state)
            RegionPanel(state)
            EventLog(state)
        with rv.Col(cols=12, md=6, lg=4):
            with solara.Card("Cohesion and its parts", margin=0, classes=["sc-card"]):
                IndicatorPlot(state)
                StancePlot(state)
            CompareChart(state)
            LeverPanel(state)
        with rv.Col(cols=12, md=12, lg=3):
            InfoPanel(state)
            ComparePanel(state)
            ExportPanel(state)


@solara.component
def PresentationLayout(state: TabState):
    with rv.Row(dense=True):
        with rv.Col(cols=12, md=6):
            with solara.Card("The regions by stance", margin=0, classes=["sc-card", "sc-map-card"]):
                TileMap(state)
            RegionPanel(state, compact=True)
        with rv.Col(cols=12, md=6):
            with solara.Card("Cohesion and its parts", margin=0, classes=["sc-card"]):
                IndicatorPlot(state, height="420px")
            CompareChart(state, height="300px")
            EventLog(state, shown=4, title="Latest")


@solara.component
def Page():
    router = solara.use_router()
    state, problem = use_tab_state(router.search)
    solara.Title("Soviet cohesion")
    solara.Style(CSS)
    if state is None:
        with solara.Column(classes=["sc-page"]):
            solara.Error(problem)
        return
    presentation = state.presentation.value
    with solara.Column(classes=["sc-page"] + (["sc-presentation"] if presentation else []), gap="6px"):
        Header(state)
        MessageBar(state)
        if presentation:
            PresentationLayout(state)
        else:
            NormalLayout(state)
