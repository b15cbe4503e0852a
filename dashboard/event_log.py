"""The running log: the scenario's dated events and what the regions did, newest first, in the
page's language; the newest entries are also announced to screen readers (aria-live). When
the timeline looks back, the log ends at that quarter."""

from __future__ import annotations

import html

import solara
from solara.alias import rv

from .palette import LOG_COLOURS
from .state import UNION_KINDS, TabState

#: entries shown (the export has them all)
SHOWN = 60
#: the model's kinds of entries -> catalogue keys of their sentences
KIND_KEYS = {"stopped obeying": "stopped", "autonomous": "autonomous", "back in line": "back",
             "replaced": "replaced", "follows republic": "follows", "acts alone": "alone",
             "sides with the centre": "sides"}


def republic_name(tr, name: str) -> str:
    return tr.get(f"republic.{name}", name)


def entry_text(entry: dict, tr) -> str:
    """One entry's sentence: a scenario event as written, a region count in the page's language
    ("2 regions of the Lithuanian SSR stop delivering as ordered"), anything else as the model
    wrote it."""
    kind = entry.get("kind", "")
    key = KIND_KEYS.get(kind)
    count, republic = entry.get("count"), entry.get("republic")
    if key is not None and isinstance(count, int) and republic:
        return tr.plural(f"log.{key}", count, republic=republic_name(tr, str(republic)))
    if kind == "declaration" and republic and entry.get("declaration"):
        return tr.get(f"log.declared.{entry['declaration']}", str(entry.get("label", "")),
                      republic=republic_name(tr, str(republic)))
    if kind == "dissolution":
        return tr.get("log.dissolved", str(entry.get("label", "")))
    return str(entry.get("label", ""))


def log_line(entry: dict, tr) -> str:
    """One entry as text: "1989 Q2: 2 regions of the Lithuanian SSR stop delivering as ordered"."""
    return f"{tr.quarter(entry.get('period', ''))}: {entry_text(entry, tr)}"


def log_html(entries: list[dict], tr, shown: int = SHOWN) -> str:
    if not entries:
        return f"<div class='sc-log-empty'>{html.escape(tr('log.empty'))}</div>"
    lines = []
    for entry in reversed(entries[-shown:]):
        kind = entry.get("kind", "")
        colour = LOG_COLOURS.get(kind, "#777777")
        css = "sc-log-event" if kind == "event" else f"sc-log-{kind}" if kind in UNION_KINDS else "sc-log-region"
        lines.append(f"<li class='{css}'><span class='sc-swatch' style='background:{colour}'></span>"
                     f"{html.escape(log_line(entry, tr))}</li>")
    more = len(entries) - shown
    tail = (f"<li class='sc-log-more'>{html.escape(tr('log.more', n=more))}</li>" if more > 0 and shown >= 10 else "")
    return f"<ul class='sc-log'>{''.join(lines)}{tail}</ul>"


@solara.component
def EventLog(state: TabState, shown: int = SHOWN, title_key: str = "log.title"):
    tr = state.tr
    state.log_version.value  # redraw only when the log grew
    state.view.value
    state.lang.value
    session = state.session
    log = session.model.event_log
    length = session.history.snapshot(state.view_step).log_length if not state.live else len(log)
    entries = log[:length]
    latest_step = entries[-1].get("step") if entries else None
    newest = [log_line(e, tr) for e in entries if e.get("step") == latest_step] if state.live else []
    with solara.Card(tr(title_key), margin=0, classes=["sc-card", "sc-log-card"]):
        solara.HTML(tag="div", unsafe_innerHTML=log_html(entries, tr, shown), classes=["sc-log-box"])
        rv.Html(tag="div", class_="sc-sr-only sc-log-live", attributes={"aria-live": "polite"},
                children=[" ".join(newest[:6])])
