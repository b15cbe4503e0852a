"""The narrative next to the model, in NetLogo's Info-tab order: what is it, what happened,
what to watch, the scenario's events, how it works, how to use it, things to notice, things to
try, extending the model, references, and a glossary (the scenario's text from its
``[narrative]``, the rest from the catalogue)."""

from __future__ import annotations

import solara
from solara.alias import rv

from .plots import scenario_title
from .prose import Prose
from .state import TabState

#: sections open when the page loads
OPEN_AT_START = ("what_happened", "what_to_watch", "things_to_try")


def glossary_markdown(tr) -> str:
    """The glossary as a definition list in Markdown (the words a class stumbles on)."""
    lines = []
    for word in tr.children("glossary"):
        lines.append(f"**{tr(f'glossary.{word}.term')}**: {tr(f'glossary.{word}.meaning')}")
    return "\n\n".join(lines)


def info_sections(timeline, tr, quarter_of=None, title: str = "") -> list[tuple[str, str, str]]:
    """(key, heading, markdown) in the order the panel shows them; sections without text are left out."""
    narrative = timeline.narrative or {}
    note = tr("info.scenario_language")
    scenario_note = f"\n\n*{note}*" if note else ""
    sections = [
        ("what_is_it", tr("info.what_is_it"),
         f"**{title or timeline.title}.** {timeline.summary}\n\n{tr('texts.what_is_it')}"),
        ("what_happened", tr("info.what_happened"), narrative.get("what_happened", "") + scenario_note),
        ("what_to_watch", tr("info.what_to_watch"), narrative.get("what_to_watch", "")),
        ("how_it_works", tr("info.how_it_works"), tr("texts.how_it_works")),
        ("how_to_use", tr("info.how_to_use"), tr("texts.how_to_use")),
        ("things_to_notice", tr("info.things_to_notice"), narrative.get("things_to_notice", "")),
        ("things_to_try", tr("info.things_to_try"), narrative.get("things_to_try", "")),
        ("extending", tr("info.extending"), narrative.get("extending", "")),
        ("references", tr("info.references"), narrative.get("references", "")),
        ("glossary", tr("info.glossary"), glossary_markdown(tr)),
    ]
    quarter_of = quarter_of or (lambda year: f"{year:g}")
    events = "\n".join(f"{i + 1}. **{quarter_of(e.year)}**: {e.label}" for i, e in enumerate(timeline.events))
    if events:
        sections.insert(3, ("events", tr("info.events"), events))
    return [(key, heading, text.strip()) for key, heading, text in sections if text and text.strip()]


@solara.component
def InfoPanel(state: TabState):
    tr = state.tr
    state.run_id.value  # the text follows the scenario
    timeline = state.session.model.timeline

    sections = info_sections(timeline, tr, state.quarter_of_year, scenario_title(state))
    opened = solara.use_reactive([i for i, (k, _, _) in enumerate(sections) if k in OPEN_AT_START])
    with solara.Card(tr("info.title"), margin=0, classes=["sc-card", "sc-info"]):
        with rv.ExpansionPanels(multiple=True, accordion=False, flat=True, v_model=opened.value,
                                on_v_model=opened.set, class_="sc-info-panels"):
            for key, heading, text in sections:
                with rv.ExpansionPanel(class_=f"sc-info-{key}"):
                    rv.ExpansionPanelHeader(children=[heading], class_="sc-info-heading")
                    with rv.ExpansionPanelContent():
                        Prose(text)
