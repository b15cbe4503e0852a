"""The class session: students play the regional officials, the teacher plays the centre, in
one run shared by every page (``soviet-cohesion classroom``; see docs/classroom.md).

``app.py`` is the entry point for ``solara run``; it loads the dashboard folder above as the
package ``soviet_cohesion_dashboard`` (the class pages reuse its charts, palette and prose), so
these modules are ``soviet_cohesion_dashboard.classroom.*``.

The session, no UI (tested without a browser):

* ``classroom``: the shared session and its lock (join, choose, step, levers, timer, restart).
* ``runs``: the class's run and the model's own run of the same seed, stepped together.
* ``seats``: a student's seat and quarters (``Turn``), names checked, the three choices.
* ``codes``: the join code, the teacher key, the seat tokens.
* ``allocation``: which region a student is given.
* ``audits``: what the auditors did to a region, from the model's public surface.
* ``views``: what a student sees each quarter (``StudentView``).
* ``clock``: the thread that closes timed quarters while the teacher plays.
* ``broadcast``: telling every open page that the session changed.
* ``debrief``, ``debrief_html``: the debrief's rows, its CSV exports and the printable page.
* ``qr``: the QR code of the join address (segno, drawn locally).
* ``settings``: the server's session, from the launcher's environment; ``lifetime``: a session
  started from the dashboard ends with it; ``levers``: the centre's levers in class.

The pages (Solara):

* ``pages``: the routes (``/``, ``/play``, ``/teacher``, ``/debrief``) and the layout.
* ``join_page``, ``student_page`` (with ``choice_pad`` and ``countdown``), ``teacher_page`` (with
  ``join_panel``, ``run_panel``, ``roster_panel``, ``class_map``, ``class_chart``,
  ``lever_panel``), ``debrief_page``; ``signals``: a page's subscription to the session;
  ``style``: the CSS; ``start_button``: the dashboard's "Play it in class" button.
* ``loadtest``: the class load test (a benchmark script, not a unit test).
"""
