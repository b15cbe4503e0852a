"""Markdown text rendered on the server to plain HTML.

``solara.Markdown`` loads KaTeX (for maths) from the CDN path on every mount, and
solara-assets does not ship KaTeX, so offline the server would try the internet for it.
The classroom text has no maths: we convert it with Python-Markdown (a Solara dependency)
and show it as HTML, with no asset to fetch.
"""

from __future__ import annotations

from functools import lru_cache

import markdown as _markdown
import solara


@lru_cache(maxsize=256)
def to_html(text: str) -> str:
    return _markdown.markdown(text or "", extensions=["sane_lists"])


@solara.component
def Prose(text: str, classes: list[str] = []):
    """Markdown ``text`` as HTML (one widget; no external assets)."""
    solara.HTML(tag="div", unsafe_innerHTML=to_html(text), classes=["sc-prose", *classes])
