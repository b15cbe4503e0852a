"""The narrative next to the model, in NetLogo's Info-tab order: what is it, what happened,
what to watch, how it works, how to use it, things to notice, things to try, extending the
model, references (the scenario's text from its ``[narrative]``, the rest from ``texts.py``)."""

from __future__ import annotations

import solara
from solara.alias import rv

from . import texts
from .prose import Prose
from .session import year_label
from .state import TabState


def info_sections(timeline) -> list[tuple[str, str]]:
    """(heading, markdown) in the order the panel shows them; sections without text are left out."""
    narrative = timeline.narrative or {}
    sections = [
        ("What is it?", f"**{timeline.title}.** {timeline.summary}\n\n{texts.WHAT_IS_IT}"),
        ("What happened", narrative.get("what_happened", "")),
        ("What to watch", narrative.get("what_to_watch", "")),
        ("How it works", texts.HOW_IT_WORKS),
        ("How to use it", texts.HOW_TO_USE_IT),
        ("Things to notice", narrative.get("things_to_notice", "")),
        ("Things to try", narrative.get("things_to_try", "")),
        ("Extending the model", narrative.get("extending", "")),
        ("References", narrative.get("references", "")),
    ]
    events = "\n".join(f"{i + 1}. **{year_label(e.year)}**: {e.label}" for i, e in enumerate(timeline.events))
    if events:
        sections.insert(3, ("The scenario's events (numbered on the plots)", events))
    return [(heading, text.strip()) for heading, text in sections if text and text.strip()]


#: sections open when the page loads
OPEN_AT_START = ("What happened", "What to watch", "Things to try")


@solara.component
def InfoPanel(state: TabState):
    state.run_id.value  # the text follows the scenario
    timeline = state.session.model.timeline
    sections = info_sections(timeline)
    opened = solara.use_reactive([i for i, (h, _) in enumerate(sections) if h in OPEN_AT_START])
    with solara.Card("About this scenario", margin=0, classes=["sc-card", "sc-info"]):
        with rv.ExpansionPanels(multiple=True, accordion=False, flat=True, v_model=opened.value,
                                on_v_model=opened.set, class_="sc-info-panels"):
            for heading, text in sections:
                with rv.ExpansionPanel():
                    rv.ExpansionPanelHeader(children=[heading], class_="sc-info-heading")
                    with rv.ExpansionPanelContent():
                        Prose(text)
