"""The classroom dashboard (a Solara app) for soviet-cohesion.

``app.py`` is the entry point for ``solara run`` (and ``soviet-cohesion dashboard``); it loads
this folder as the package ``soviet_cohesion_dashboard`` so that the modules below can import
each other whether the folder sits in the repository (``dashboard/``) or in an installed wheel
(``soviet_cohesion/dashboard/``).

Modules, one idea each:

* ``session``: one visitor's run (the model, the counterfactual, the CSV exports); no UI.
  ``history``: the run quarter by quarter, for the timeline. ``address``: the run in the page's
  address. ``band``: 20 seeds in the background ("how sure is it?"). ``explain``: a decision in
  plain sentences and bars. ``i18n`` and ``locales/*.toml``: every visible string, one file per
  language.
* ``player``: the per-tab play loop (a thread) and the gate that lets all tabs take turns.
* ``state``: one tab's state (its session, its player, the signals the panels listen to).
* ``palette``, ``style``: colours (Okabe-Ito) and the CSS (presentation, phone, print).
* ``charts``: the ECharts options as plain dicts; ``live_chart``: the chart widget fed a whole
  option once and small updates per step (with its Save PNG button and keyboard map);
  ``page_sync``: the address, the page's language and printing; ``svg``: drawings for the sheet.
* ``controls``, ``tile_map``, ``timeline``, ``region_panel``, ``plots``, ``levers``,
  ``compare_panel``, ``band_panel``, ``lesson_panel``, ``event_log``, ``info_panel``,
  ``history_box``, ``export_panel``, ``sheet``, ``prose``: the page's components.
* ``page``: the page layout (normal and presentation mode).
* ``loadtest``: the classroom load test (a benchmark script, not a unit test).

The dashboard uses only the model's public surface (see the project's README).
"""
