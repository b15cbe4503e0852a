"""The running log: the scenario's dated events and what the regions did, newest first."""

from __future__ import annotations

import html

import solara

from .palette import LOG_COLOURS
from .state import TabState

#: entries shown (the export has them all)
SHOWN = 60


def log_line(entry: dict) -> str:
    """One entry as text: "1989 Q2: 2 region(s) of Lithuanian SSR stop delivering as ordered"."""
    return f"{entry.get('period', '')}: {entry.get('label', '')}"


def log_html(entries: list[dict], shown: int = SHOWN) -> str:
    if not entries:
        return "<div class='sc-log-empty'>Nothing has happened yet: press Play or Step.</div>"
    lines = []
    for entry in reversed(entries[-shown:]):
        kind = entry.get("kind", "")
        colour = LOG_COLOURS.get(kind, "#999999")
        css = "sc-log-event" if kind == "event" else "sc-log-region"
        lines.append(f"<li class='{css}'><span class='sc-swatch' style='background:{colour}'></span>"
                     f"{html.escape(log_line(entry))}</li>")
    more = len(entries) - shown
    tail = (f"<li class='sc-log-more'>... and {more} earlier entries (in the event log CSV)</li>"
            if more > 0 and shown >= 10 else "")
    return f"<ul class='sc-log'>{''.join(lines)}{tail}</ul>"


@solara.component
def EventLog(state: TabState, shown: int = SHOWN, title: str = "Event log"):
    state.log_version.value  # redraw only when the log grew
    entries = state.session.model.event_log
    with solara.Card(title, margin=0, classes=["sc-card", "sc-log-card"]):
        solara.HTML(tag="div", unsafe_innerHTML=log_html(entries, shown), classes=["sc-log-box"])
