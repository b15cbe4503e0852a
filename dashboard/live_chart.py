"""An ECharts figure whose option goes straight to its widget, bypassing the renderer's diff.

``solara.FigureEcharts(option=...)`` makes the renderer (reacton) walk every value of the option
dict on every redraw, looking for nested elements: for a map of 150 tiles and five time series
that walk cost more than everything else in a step. Here the element keeps constant, small
arguments, and an effect assigns the freshly built option to the widget after each render whose
``dependencies`` changed; the widget sends it to the browser, where ECharts draws it.
"""

from __future__ import annotations

from typing import Any, Callable

import solara
from solara.components.echarts import EchartsWidget


@solara.component
def LiveEcharts(build: Callable[[], dict], dependencies: list, on_click: Callable[[Any], Any] | None = None,
                attributes: dict | None = None):
    """A chart drawn from ``build()`` whenever ``dependencies`` change; ``on_click`` gets ECharts'
    click event (series type, data index, name, value)."""
    click_ref = solara.use_ref(on_click)
    click_ref.current = on_click

    def make_handler():
        def clicked(event):
            if click_ref.current is not None:
                click_ref.current(event)
        return clicked

    handler = solara.use_memo(make_handler, [])
    element = EchartsWidget.element(option={}, on_click=handler, on_mouseover=None, on_mouseover_enabled=False,
                                    on_mouseout=None, on_mouseout_enabled=False, maps={},
                                    attributes=attributes or {"style": "height: 400px;"}, responsive=True)

    def push():
        solara.get_widget(element).option = build()

    solara.use_effect(push, dependencies)
    return element
