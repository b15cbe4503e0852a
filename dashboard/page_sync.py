"""The browser's side of the page: its address, its language and its title follow the run.

The address holds the run (see ``address.py``); the widget replaces it (``history.replaceState``,
never a new history entry) whenever the run changes, so that a reload or a shared link restores
the run. ``<html lang>`` follows the language switch, for screen readers and hyphenation.
``print_count`` asks the browser to print (the lesson sheet's print stylesheet does the rest).
"""

from __future__ import annotations

import ipyvuetify
import traitlets


class PageSync(ipyvuetify.VuetifyTemplate):
    template_file = (__file__, "page_sync.vue")

    query = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    print_count = traitlets.Int(0).tag(sync=True)
    base_url = traitlets.Unicode("").tag(sync=True)  # set by the browser: origin and path of the page
