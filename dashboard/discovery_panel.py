"""What would have kept the union together? The scenario discovery's answer, for a class.

``scripts/dashboard_discovery.py`` runs the discovery (many imagined Gorbachev years, the
centre's levers and their dates sampled; PRIM boxes where the union survives, and where it
dissolves) and writes ``data/discovery.json``; this panel reads that file and says what it found
in sentences, with bars instead of bare numbers: how often the union held in the runs that share
a box's lever settings (density, with the share in all runs marked), how many of all the runs
where it held are of that kind (coverage), and how many runs are (mass). Folded until opened.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import math
from pathlib import Path

import solara

from .explain import bar, percent
from .state import TabState

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data" / "discovery.json"
COMMAND = "python scripts/dashboard_discovery.py"
#: colours (Okabe-Ito, as the other bars): where the union holds, where it breaks, the window of a limit
HELD, BROKE, WINDOW = "#009E73", "#D55E00", "#56B4E9"
#: the panel's own rules (kept here, beside the panel): the toggle as the history box's
CSS = """
.sc-discovery-toggle { text-transform: none !important; white-space: normal !important; height: auto !important;
                       min-height: 36px; text-align: left; letter-spacing: normal !important; }
.sc-discovery-toggle .v-btn__content { white-space: normal; flex: 1 1 auto; }
.sc-discovery-limit .sc-bar { margin: 2px 0 6px 0; }
"""


@functools.lru_cache(maxsize=4)
def load_discovery(path: str = str(DATA)) -> dict | None:
    """The discovery's data, or None when the file is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        logger.warning("the discovery data %s could not be read", path, exc_info=True)
        return None


def quarter_label(year: float, tr) -> str:
    """A decimal year as the quarter it falls in, in the page's language (1987.3 -> "1987 Q2")."""
    quarters = math.floor(float(year) * 4 + 1e-9)
    return tr.quarter(f"{quarters // 4}Q{quarters % 4 + 1}")


def limit_sentence(limit: dict, tr) -> str:
    """One limit of a box in words: "kept Openness (glasnost) at 0.66 or less"."""
    lever = tr.get(f"lever.{limit['lever']}", limit["lever"])
    has_low, has_high = not limit["low_at_edge"], not limit["high_at_edge"]
    if limit["kind"] == "year":
        low, high = quarter_label(limit["low"], tr), quarter_label(limit["high"], tr)
        key = "year_between" if has_low and has_high else "year_from" if has_low else "year_until"
    else:
        low, high = f"{limit['low']:.2f}", f"{limit['high']:.2f}"
        key = "value_between" if has_low and has_high else "value_at_least" if has_low else "value_at_most"
    return tr(f"discovery.{key}", lever=lever, low=low, high=high)


def window_bar(low: float, high: float, start: float, end: float, label: str) -> str:
    """A bar of a lever's whole sampled range with the box's part of it filled."""
    span = (end - start) or 1.0
    a = min(max((low - start) / span, 0.0), 1.0)
    b = min(max((high - start) / span, a), 1.0)
    return (f"<span class='sc-bar' role='img' aria-label='{html.escape(label, quote=True)}'>"
            f"<span class='sc-bar-fill' style='margin-left:{a * 100:.1f}%;width:{(b - a) * 100:.1f}%;"
            f"background:{WINDOW}'></span></span>")


def limit_range(limit: dict, data: dict) -> tuple[float, float]:
    """The whole range a limit's input was sampled from (the lever's range, or the years)."""
    if limit["kind"] == "year":
        return float(data["first_year"]), float(data["last_year"])
    for lever in data.get("levers", []):
        if lever["name"] == limit["lever"]:
            return float(lever["low"]), float(lever["high"])
    return float(limit["sampled_low"]), float(limit["sampled_high"])


def box_html(box: dict, data: dict, tr, dissolved: bool) -> str:
    """One box: the sentence, its limits (each with its window), and its three figures as bars."""
    e = html.escape
    colour = BROKE if dissolved else HELD
    overall = 1 - data["survival_share"] if dissolved else data["survival_share"]
    prefix = "discovery.broke" if dissolved else "discovery.held"
    items = []
    for limit in box["limits"]:
        sentence = limit_sentence(limit, tr)
        start, end = limit_range(limit, data)
        window = window_bar(limit["low"], limit["high"], start, end, tr("discovery.window_aria", limit=sentence))
        items.append(f"<li class='sc-discovery-limit'>{e(sentence)}{window}</li>")
    density, coverage, mass = box["density"], box["coverage"], box["mass"]
    rows = [
        (tr(f"{prefix}_density"), bar(density, colour, tr("discovery.density_aria", share=percent(density),
                                                          overall=percent(overall)), mark=overall), percent(density)),
        (tr(f"{prefix}_coverage"), bar(coverage, colour, tr("discovery.share_aria", share=percent(coverage))),
         percent(coverage)),
        (tr("discovery.mass"), bar(mass, "#999999", tr("discovery.share_aria", share=percent(mass))), percent(mass)),
    ]
    table = "".join(f"<tr><th scope='row'>{e(name)}</th><td class='sc-bar-cell'>{b}</td>"
                    f"<td class='sc-bar-words'>{e(words)}</td></tr>" for name, b, words in rows)
    return (f"<li class='sc-discovery-box'><p>{e(tr(prefix, share=percent(box['density'])))}</p>"
            f"<ul class='sc-discovery-limits'>{''.join(items)}</ul>"
            f"<table class='sc-why-table'><caption class='sc-sr-only'>{e(tr('discovery.figures'))}</caption>"
            f"{table}</table></li>")


def discovery_html(data: dict | None, tr) -> str:
    """The panel's content (one HTML string: one widget)."""
    e = html.escape
    if not data:
        return f"<p>{e(tr('discovery.missing', command=COMMAND))}</p>"
    share = data["survival_share"]
    headline = tr("discovery.headline", survived=data["survived"], runs=data["runs"], share=percent(share))
    rule = "discovery.rule_dissolved" if data["rule"] == "dissolved" else "discovery.rule_cohesion"
    parts = [
        f"<p class='sc-discovery-headline'><b>{e(headline)}</b></p>",
        bar(share, HELD, tr("discovery.share_aria", share=percent(share))),
        f"<p>{e(tr('discovery.how', runs=data['runs']))} {e(tr(rule, threshold=data['threshold']))}</p>",
    ]
    if data["boxes"] or data.get("dissolved_boxes"):
        parts.append(f"<p class='sc-discovery-scale'>{e(tr('discovery.scale'))} {e(tr('discovery.mark_note'))}</p>")
    if data["boxes"]:
        parts.append(f"<p><b>{e(tr('discovery.held_title'))}</b></p><ol class='sc-discovery-boxes'>"
                     + "".join(box_html(b, data, tr, dissolved=False) for b in data["boxes"]) + "</ol>")
    else:
        parts.append(f"<p>{e(tr('discovery.no_box'))}</p>")
    if data.get("dissolved_boxes"):
        parts.append(f"<p><b>{e(tr('discovery.broke_title'))}</b></p><ol class='sc-discovery-boxes'>"
                     + "".join(box_html(b, data, tr, dissolved=True) for b in data["dissolved_boxes"]) + "</ol>")
    parts.append(f"<p><i>{e(tr('discovery.not_history'))}</i></p>")
    made = tr("discovery.made_by", version=data["package_version"], seed=data["seed"])
    parts.append(f"<p class='sc-discovery-made'>{e(made)} <code>{e(data['command'])}</code></p>")
    return "".join(parts)


@solara.component
def DiscoveryContent(state: TabState):
    state.lang.value
    solara.HTML(tag="div", unsafe_innerHTML=discovery_html(load_discovery(), state.tr), classes=["sc-discovery"])


@solara.component
def DiscoveryPanel(state: TabState):
    """Folded until opened, like the history box."""
    tr = state.tr
    opened = solara.use_reactive(False)
    solara.Style(CSS)
    with solara.Card(tr("discovery.title"), margin=0, classes=["sc-card", "sc-discovery-card"]):
        solara.Button(tr("discovery.open"), icon_name="mdi-chevron-up" if opened.value else "mdi-chevron-down",
                      on_click=lambda: opened.set(not opened.value), text=True, classes=["sc-discovery-toggle"],
                      attributes={"aria-expanded": "true" if opened.value else "false"})
        if opened.value:
            DiscoveryContent(state)
