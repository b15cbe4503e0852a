"""An ECharts chart that the server feeds in two parts: the whole chart, and per step only what
changed.

``solara.FigureEcharts`` resends and redraws the whole chart on every change (ECharts'
``notMerge``), and its option passes through the renderer's diff, which walks every value of
the dict. Here the element's arguments stay small and constant; effects assign

* ``option``: the whole chart (axes, legend, the scenario's event lines, the data), only when
  the run, the language, the mode or the layout changes;
* ``update``: a partial option with the data that changed this step, which ECharts merges into
  the chart (and draws on the next frame).

The widget (``live_chart.vue``) also draws, outside the canvas, a real "Save PNG" button (so it
never covers the legend and a keyboard reaches it), which saves the chart with a title band;
it names the chart for screen readers and gives it a text alternative; and with ``keyboard``
it lets the arrow keys move between the map's regions and Enter explain one.

ECharts itself comes from Solara's local assets (solara-assets ships it), as with FigureEcharts.
"""

from __future__ import annotations

from typing import Any, Callable

import ipyvuetify
import solara
import traitlets


class LiveEchartsWidget(ipyvuetify.VuetifyTemplate):
    template_file = (__file__, "live_chart.vue")

    option = traitlets.Dict({}).tag(sync=True)
    update = traitlets.Dict({}).tag(sync=True)
    attributes = traitlets.Dict({}).tag(sync=True)
    save_label = traitlets.Unicode("").tag(sync=True)
    aria_label = traitlets.Unicode("").tag(sync=True)
    keyboard = traitlets.Bool(False).tag(sync=True)
    cdn = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    on_click = traitlets.Callable(None, allow_none=True)

    @traitlets.default("cdn")
    def _cdn(self):
        import solara.settings

        if not solara.settings.assets.proxy:
            return solara.settings.assets.cdn
        return None

    def vue_on_click(self, data):
        if self.on_click is not None:
            self.on_click(data)


@solara.component
def LiveEcharts(build_option: Callable[[], dict], option_key: list,
                build_update: Callable[[], dict] | None = None, update_key: list | None = None,
                on_click: Callable[[Any], Any] | None = None, attributes: dict | None = None,
                save_label: str = "", aria_label: str = "", keyboard: bool = False):
    """A chart drawn from ``build_option()`` whenever ``option_key`` changes, and updated with
    ``build_update()`` whenever ``update_key`` changes. ``on_click`` gets ECharts' click event
    (series type and id, data index, name); ``save_label`` names the Save PNG button (none if
    empty); ``aria_label`` names the chart for screen readers."""
    click_ref = solara.use_ref(on_click)
    click_ref.current = on_click

    def make_handler():
        def clicked(event):
            if click_ref.current is not None:
                click_ref.current(event)
        return clicked

    handler = solara.use_memo(make_handler, [])
    element = LiveEchartsWidget.element(on_click=handler, attributes=attributes or {"style": "height: 400px;"},
                                        save_label=save_label, aria_label=aria_label, keyboard=keyboard)

    def push_option():
        solara.get_widget(element).option = build_option()

    def push_update():
        if build_update is not None:
            solara.get_widget(element).update = build_update()

    solara.use_effect(push_option, option_key)  # declared first: runs before the update
    solara.use_effect(push_update, [*option_key, *(update_key or [])])
    return element
