"""A student's seat: who sits at which region, and what they chose each quarter.

A :class:`Seat` is created when a student joins and kept until the session ends (a student the
teacher frees keeps their history for the debrief, but no longer plays). A :class:`Turn` records
one quarter of one student: what they chose (or that they did not answer, so the model's official
decided), what the official itself would have chosen, and what became of the region (audited,
caught, replaced).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from soviet_cohesion import Stance

#: longest name a student may type
MAX_NAME = 24
#: what a student presses, per stance: button label and what it means for the official
CHOICES = {
    int(Stance.OBEYING): ("Obey", "Deliver the plan in full and report the truth."),
    int(Stance.MANAGING_RISK): ("Hold back", "Keep part of the output for your region and shade the figures."),
    int(Stance.AUTONOMOUS): ("Break away", "Answer to your region, not to Moscow: deliver nothing."),
}


def choice_label(stance: int | None) -> str:
    """"Obey" / "Hold back" / "Break away" ("no answer" for None)."""
    return "no answer" if stance is None else CHOICES[int(stance)][0]


def stance_label(stance: int) -> str:
    """The model's word for a stance ("obeying", "managing risk", "autonomous")."""
    return Stance(int(stance)).label


def clean_name(text) -> str:
    """A student's name as typed, checked: letters (any alphabet), digits, spaces and - ' . _,
    starting with a letter or digit, at most ``MAX_NAME`` characters. Raises ``ValueError`` with
    a message for the student."""
    name = " ".join(str(text if text is not None else "").split())
    name = unicodedata.normalize("NFC", name)
    if not name:
        raise ValueError("Type your name (a first name is enough).")
    if len(name) > MAX_NAME:
        raise ValueError(f"That name is too long: at most {MAX_NAME} characters, please.")
    if not name[0].isalnum():
        raise ValueError("Start your name with a letter or a digit.")
    bad = sorted({c for c in name if not (c.isalnum() or c in " -'._")})
    if bad:
        shown = " ".join(repr(c) for c in bad[:5])
        raise ValueError(f"A name may hold letters, digits, spaces and - ' . _ only (not {shown}).")
    return name


@dataclass(frozen=True)
class Turn:
    """One quarter of one student.

    Attributes:
        step: the model's step that ran this quarter (1 for the first quarter).
        period: its label ("1986 Q2").
        choice: the student's choice (a stance), or None: no answer, the model's official decided.
        model_choice: what the official itself chose (the model's own decision, ``model_stance``).
        stance: the region's stance at the end of the quarter (after any audit).
        audited: the auditors came (None when the model does not say).
        caught: audited and found holding back: reprimanded, back to obeying.
        replaced: caught and dismissed: a new official took over the region.
    """

    step: int
    period: str
    choice: int | None
    model_choice: int
    stance: int
    audited: bool | None = None
    caught: bool = False
    replaced: bool = False

    @property
    def answered(self) -> bool:
        return self.choice is not None

    @property
    def decided(self) -> int:
        """What the region did this quarter before any audit: the student's choice, or the
        official's own when the student did not answer."""
        return self.model_choice if self.choice is None else self.choice

    @property
    def same_as_model(self) -> bool:
        return self.decided == self.model_choice


@dataclass(eq=False)
class Seat:
    """A student in the class: name, region, secret token, and the quarters played.

    ``answer`` is the choice for the quarter now open (None until they choose); ``pages`` the
    student's open pages, each with a probe that says whether it is connected now (a seat with no
    connected page is shown as offline); ``browsers`` the Solara session
    cookies of the devices they joined from, so that opening the join address again on the
    same device offers to continue.
    """

    token: str
    name: str
    region: int
    joined_step: int
    joined_period: str
    answer: int | None = None
    active: bool = True
    history: list[Turn] = field(default_factory=list)
    pages: dict[str, Callable[[], bool] | None] = field(default_factory=dict)
    browsers: set[str] = field(default_factory=set)

    @property
    def online(self) -> bool:
        for probe in list(self.pages.values()):
            try:
                if probe is None or probe():
                    return True
            except Exception:  # noqa: BLE001 - a page being torn down counts as offline
                continue
        return False
