"""The page: layout of the panels, in normal mode (teacher or student at a screen) and in
presentation mode (a projector: larger type, fewer panels, the controls on one line)."""

from __future__ import annotations

import solara
from solara.alias import rv

from .band_panel import BandPanel
from .classroom.start_button import ClassroomButton
from .compare_panel import CompareChart, ComparePanel
from .controls import MessageBar, RunControls, YearBanner
from .discovery_panel import DiscoveryPanel
from .event_log import EventLog
from .export_panel import ExportPanel
from .history_box import HistoryBox
from .i18n import catalogue, languages
from .info_panel import InfoPanel
from .lesson_panel import LessonStop, LessonSwitch
from .levers import LeverPanel
from .page_sync import PageSync
from .plots import EventKey, IndicatorPlot, RepublicPlot, StancePlot
from .region_panel import RegionPanel
from .sheet import SheetPanel, sheet_html
from .state import TabState, use_tab_state
from .style import CSS
from .tile_map import TileMap
from .timeline import Timeline


@solara.component
def LanguageSwitch(state: TabState):
    codes = list(languages())
    lang = state.lang.value
    rv.BtnToggle(v_model=codes.index(lang) if lang in codes else 0, mandatory=True, dense=True,
                 on_v_model=lambda i: state.set_lang(codes[i]) if i is not None else None,
                 class_="sc-lang", attributes={"aria-label": state.tr("page.language")},
                 children=[rv.Btn(children=[code.upper()], small=True, class_=f"sc-lang-{code}",
                                  attributes={"lang": code, "aria-label": catalogue(code)("language.name")})
                           for code in codes])


@solara.component
def Modes(state: TabState):
    tr = state.tr
    with solara.Row(style={"align-items": "center", "gap": "16px", "flex-wrap": "wrap"}, classes=["sc-modes"]):
        LanguageSwitch(state)
        LessonSwitch(state)
        solara.Switch(label=tr("page.presentation"), value=state.presentation.value,
                      on_value=state.set_presentation, classes=["sc-presentation-switch"])


@solara.component
def Header(state: TabState):
    """Title, the modes and the language, the quarter in large type; the run controls below
    (in presentation mode, all on one line: a projector's height is precious)."""
    tr = state.tr
    presentation = state.presentation.value
    with solara.Row(classes=["sc-header"], style={"justify-content": "space-between"}):
        with solara.Column(gap="0px", classes=["sc-title-box"]):
            rv.Html(tag="h1", children=[tr("page.title")], class_="sc-title")
            if presentation:
                Modes(state)
            else:
                solara.Text(tr("page.subtitle"), classes=["sc-subtitle"])
        if presentation:
            RunControls(state, large=False, compact=True)
        else:
            Modes(state)
            ClassroomButton(tr)
        YearBanner(state, large=presentation)
    if not presentation:
        RunControls(state)


@solara.component
def NormalLayout(state: TabState, on_sheet):
    tr = state.tr
    with rv.Row(dense=True, class_="sc-columns"):
        with rv.Col(cols=12, md=6, lg=5):
            with solara.Card(tr("map.title"), margin=0, classes=["sc-card", "sc-map-card"]):
                TileMap(state)
            Timeline(state)
            RegionPanel(state)
            EventLog(state)
        with rv.Col(cols=12, md=6, lg=4):
            LessonStop(state)
            with solara.Card(tr("chart.card"), margin=0, classes=["sc-card", "sc-plots"]):
                IndicatorPlot(state)
                EventKey(state)
                StancePlot(state)
            with solara.Card(tr("chart.republics"), margin=0, classes=["sc-card", "sc-republics-card"]):
                RepublicPlot(state)
            BandPanel(state)
            CompareChart(state)
            LeverPanel(state)
        with rv.Col(cols=12, md=12, lg=3):
            InfoPanel(state)
            HistoryBox(state)
            DiscoveryPanel(state)
            ComparePanel(state)
            ExportPanel(state, on_sheet=on_sheet)


@solara.component
def PresentationLayout(state: TabState):
    with rv.Row(dense=True, class_="sc-columns"):
        with rv.Col(cols=12, md=6):
            with solara.Card(margin=0, classes=["sc-card", "sc-map-card"]):
                TileMap(state)
            RegionPanel(state, compact=True)
        with rv.Col(cols=12, md=6):
            LessonStop(state)
            if state.stop.value is None or not state.lesson.value:
                with solara.Card(margin=0, classes=["sc-card", "sc-plots"]):
                    IndicatorPlot(state, height="min(44vh, 420px)")
                    EventKey(state)
            CompareChart(state, height="min(30vh, 300px)")
            EventLog(state, shown=4, title_key="log.latest")


@solara.component
def BrowserSync(state: TabState, print_count: int, on_base_url):
    """The address, the language and the title in the browser (its own component: the address
    changes with the run, and only this is redrawn for it)."""
    PageSync.element(query=state.address.value, lang=state.lang.value, title=state.tr("page.title"),
                     print_count=print_count, on_base_url=on_base_url)


@solara.component
def Page():
    router = solara.use_router()
    state, problem = use_tab_state(router.search)
    sheet = solara.use_reactive("")
    print_count = solara.use_reactive(0)
    base_url = solara.use_reactive("")
    solara.Style(CSS)
    if state is None:
        solara.Title("Soviet cohesion")
        with solara.Column(classes=["sc-page"]):
            solara.Error(problem)
        return
    tr = state.tr
    presentation = state.presentation.value
    solara.Title(tr("page.title"))
    BrowserSync(state, print_count.value, base_url.set)

    def make_sheet():
        sheet.set(sheet_html(state, base_url.value))

    def print_sheet():
        make_sheet()
        print_count.set(print_count.value + 1)

    classes = ["sc-page"] + (["sc-presentation"] if presentation else []) + (["sc-has-sheet"] if sheet.value else [])
    with solara.Column(classes=classes, gap="6px"):
        rv.Html(tag="a", children=[tr("page.skip")], class_="sc-skip", attributes={"href": "#sc-main"})
        Header(state)
        MessageBar(state)
        SheetPanel(state, sheet, print_sheet)
        with solara.Div(attributes={"id": "sc-main"}, classes=["sc-main"]):
            if presentation:
                PresentationLayout(state)
            else:
                NormalLayout(state, make_sheet)
