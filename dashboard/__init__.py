"""The classroom dashboard (a Solara app) for soviet-cohesion.

``app.py`` is the entry point for ``solara run`` (and ``soviet-cohesion dashboard``); it loads
this folder as the package ``soviet_cohesion_dashboard`` so that the modules below can import
each other whether the folder sits in the repository (``dashboard/``) or in an installed wheel
(``soviet_cohesion/dashboard/``).

Modules, one idea each:

* ``session``: one visitor's run (the model, its history, the counterfactual); no UI.
* ``player``: the per-tab play loop (a thread) that steps the session at the chosen speed.
* ``palette``, ``texts``: colours (Okabe-Ito) and the fixed classroom text.
* ``charts``: the ECharts options (tile map, time plots, comparison) as plain dicts.
* ``controls``, ``tile_map``, ``region_panel``, ``plots``, ``levers``, ``compare_panel``,
  ``event_log``, ``info_panel``, ``export_panel``: the page's components.
* ``page``: the page layout (normal and presentation mode).
* ``loadtest``: the classroom load test (a benchmark script, not a unit test).

The dashboard uses only the model's public surface (see the project's README).
"""
