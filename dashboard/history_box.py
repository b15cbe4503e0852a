"""Model and history: the real dates beside the model's, and what the model does not claim.

When the model records republics' declarations (``model.declarations()``, the second
generation) and the package has its history data (``soviet_cohesion.history``), the box puts
each republic's real dates of its declarations of sovereignty and of independence beside the
model's dates in this run. Until then it lists the real dates the scenario is built on (its
events), the model's own milestones in this run, and always what the model does not claim.
"""

from __future__ import annotations

import functools
import html
import importlib
import logging
import math

import solara

from .state import TabState

logger = logging.getLogger(__name__)

#: first words of republic names as different sources spell them -> one key
REPUBLIC_ALIASES = {
    "russian": "russia", "rsfsr": "russia", "russia": "russia",
    "ukrainian": "ukraine", "ukraine": "ukraine", "byelorussian": "belarus", "belorussian": "belarus",
    "belarusian": "belarus", "belarus": "belarus", "uzbek": "uzbekistan", "uzbekistan": "uzbekistan",
    "kazakh": "kazakhstan", "kazakhstan": "kazakhstan", "georgian": "georgia", "georgia": "georgia",
    "azerbaijan": "azerbaijan", "azerbaijani": "azerbaijan", "lithuanian": "lithuania", "lithuania": "lithuania",
    "moldavian": "moldova", "moldovan": "moldova", "moldova": "moldova", "latvian": "latvia", "latvia": "latvia",
    "kirghiz": "kyrgyzstan", "kyrgyz": "kyrgyzstan", "kirgiz": "kyrgyzstan", "kyrgyzstan": "kyrgyzstan",
    "tajik": "tajikistan", "tajikistan": "tajikistan", "armenian": "armenia", "armenia": "armenia",
    "turkmen": "turkmenistan", "turkmenistan": "turkmenistan", "estonian": "estonia", "estonia": "estonia",
    # the republics' codes, as the model's declarations() and the history data name them
    "ukr": "ukraine", "blr": "belarus", "uzb": "uzbekistan", "kaz": "kazakhstan", "geo": "georgia",
    "aze": "azerbaijan", "lit": "lithuania", "mol": "moldova", "lat": "latvia", "kir": "kyrgyzstan",
    "taj": "tajikistan", "arm": "armenia", "tur": "turkmenistan", "est": "estonia",
}


def republic_key(name: str) -> str:
    first = str(name).strip().lower().replace("-", " ").split(" ")[0] if name else ""
    return REPUBLIC_ALIASES.get(first, first)


def _year_text(value, quarter_of) -> str:
    """A date as the page writes it: "16 Nov 1988" stays as given, a decimal year a quarter."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        year = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(year):
        return ""
    return quarter_of(year)


@functools.lru_cache(maxsize=1)
def real_declarations() -> dict | None:
    """{(republic key, "sovereignty"|"independence"): date text} from the history data, or None
    when the package has no history loader (or it has no declarations)."""
    try:
        history = importlib.import_module("soviet_cohesion.history")
    except ImportError:
        return None
    loader = next((getattr(history, name) for name in ("declarations", "load_declarations")
                   if callable(getattr(history, name, None))), None)
    if loader is None:
        return None
    try:
        table = loader()
        rows = table.to_dict("records") if hasattr(table, "to_dict") else list(table)
        found = {}
        for row in rows:
            republic = row.get("republic") or row.get("name")
            kind = str(row.get("declaration") or row.get("kind") or "").lower()
            # a decimal year (the package's history data) is written as the page writes every date,
            # its quarter, comparable at a glance with the model's; a date given as text stays as given
            year = row.get("year")
            when = float(year) if isinstance(year, (int, float)) and year == year else row.get("date")
            if hasattr(when, "strftime"):  # a date with no decimal year beside it
                when = when.strftime("%Y-%m-%d")
            if republic and kind in ("sovereignty", "independence") and when is not None:
                found[(republic_key(republic), kind)] = when if isinstance(when, str) else float(when)
        return found or None
    except Exception:  # a history table of another shape: the box falls back to the scenario
        logger.warning("the history data's declarations could not be read", exc_info=True)
        return None


def model_declarations(model) -> dict | None:
    """{(republic key, kind): year} from ``model.declarations()`` (the second generation), or None."""
    method = getattr(model, "declarations", None)
    if not callable(method):
        return None
    try:
        table = method()
        found = {}
        for row in table.to_dict("records"):
            key = (republic_key(row.get("republic", "")), str(row.get("declaration", "")).lower())
            if key not in found:
                found[key] = float(row.get("year"))
        return found
    except Exception:
        logger.warning("model.declarations() could not be read", exc_info=True)
        return None


def declarations_table(model, real: dict, modelled: dict, tr, quarter_of) -> str:
    e = html.escape
    rows = []
    for name in model.world.republic_names:
        key = republic_key(name)
        cells = []
        for kind in ("sovereignty", "independence"):
            cells.append(e(_year_text(real.get((key, kind)), quarter_of)) or "–")
            cells.append(e(_year_text(modelled.get((key, kind)), quarter_of)) or e(tr("history.not_in_run")))
        rows.append(f"<tr><th scope='row'>{e(tr.get(f'republic.{name}', name))}</th>"
                    + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th scope='col'>{e(tr(k))}</th>" for k in ("history.republic", "history.real_sovereignty",
                                                                   "history.model_sovereignty",
                                                                   "history.real_independence",
                                                                   "history.model_independence"))
    return f"<table class='sc-history-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def milestones(state: TabState) -> list[str]:
    """The model's own milestones in this run so far, in words (when compliance first fell below
    one half, when authority did)."""
    tr, history = state.tr, state.session.history
    out = []
    for key, name in (("compliance", "history.compliance_half"), ("authority", "history.authority_half")):
        values = history.values[key]
        below = next((i for i, v in enumerate(values) if v < 0.5), None)
        out.append(tr(name, quarter=state.quarter(below)) if below is not None else tr(name + "_not"))
    return out


def history_html(state: TabState) -> str:
    tr = state.tr
    model = state.session.model
    cal = state.calendar()
    e = html.escape

    def quarter_of(year: float) -> str:
        """The quarter a date falls in (a real date such as 11 March 1990 is in 1990 Q1; the
        model's dates are the starts of their quarters)."""
        per_year = cal.per_year
        return state.quarter_of_year(cal.start + math.floor((year - cal.start) * per_year + 1e-6) / per_year)

    parts = []
    real, modelled = real_declarations(), model_declarations(model)
    if real and modelled is not None:
        parts.append(f"<p>{e(tr('history.declarations_intro'))}</p>")
        parts.append(declarations_table(model, real, modelled, tr, quarter_of))
    else:
        if modelled:
            items = "".join(f"<li>{e(tr.get('republic.' + r, r))}: {e(k)} {e(quarter_of(y))}</li>"
                            for (r, k), y in sorted(modelled.items(), key=lambda kv: kv[1]))
            parts.append(f"<p>{e(tr('history.model_declarations'))}</p><ul>{items}</ul>")
        events = "".join(f"<li><b>{e(quarter_of(ev.year))}</b>: {e(ev.label)}</li>" for ev in model.timeline.events)
        parts.append(f"<p>{e(tr('history.real_events'))}</p><ul class='sc-history-events'>{events}</ul>")
        parts.append(f"<p>{e(tr('history.no_declarations'))}</p>")
    parts.append(f"<p><b>{e(tr('history.in_this_run'))}</b> " + " ".join(e(m) for m in milestones(state)) + "</p>")
    claims = "".join(f"<li>{e(tr(f'claims.{c}'))}</li>" for c in tr.children("claims"))
    parts.append(f"<p><b>{e(tr('history.claims_title'))}</b></p><ul class='sc-claims'>{claims}</ul>")
    return "".join(parts)


@solara.component
def HistoryContent(state: TabState):
    state.lang.value
    state.run_id.value
    state.log_version.value  # the model's milestones move on with the run
    solara.HTML(tag="div", unsafe_innerHTML=history_html(state), classes=["sc-history-box"])


@solara.component
def HistoryBox(state: TabState):
    """Folded until opened (and only then followed step by step)."""
    tr = state.tr
    opened = solara.use_reactive(False)
    with solara.Card(tr("history.title"), margin=0, classes=["sc-card", "sc-history"]):
        solara.Button(tr("history.open"), icon_name="mdi-chevron-up" if opened.value else "mdi-chevron-down",
                      on_click=lambda: opened.set(not opened.value), text=True, classes=["sc-history-toggle"],
                      attributes={"aria-expanded": "true" if opened.value else "false"})
        if opened.value:
            HistoryContent(state)
