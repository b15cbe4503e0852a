"""The classroom dashboard (a Solara app) for soviet-cohesion.

``app.py`` is the entry point for ``solara run`` (and ``soviet-cohesion dashboard``); it loads
this folder as the package ``soviet_cohesion_dashboard`` so that the modules below can import
each other whether the folder sits in the repository (``dashboard/``) or in an installed wheel
(``soviet_cohesion/dashboard/``).

Modules, one idea each:

* ``session``: one visitor's run (the model, its history, the counterfactual, the CSV exports);
  no UI.
* ``player``: the per-tab play loop (a thread) and the gate that lets all tabs take turns.
* ``state``: one tab's state (its session, its player, the signals the panels listen to).
* ``palette``, ``texts``, ``style``: colours (Okabe-Ito), the fixed classroom text, the CSS.
* ``charts``: the ECharts options (tile map, time plots, comparison) as plain dicts;
  ``live_chart``: the chart widget fed a whole option once and small updates per step.
* ``controls``, ``tile_map``, ``region_panel``, ``plots``, ``levers``, ``compare_panel``,
  ``event_log``, ``info_panel``, ``export_panel``, ``prose``: the page's components.
* ``page``: the page layout (normal and presentation mode).
* ``loadtest``: the classroom load test (a benchmark script, not a unit test).

The dashboard uses only the model's public surface (see the project's README).
"""
