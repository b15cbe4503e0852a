"""Why an official chose what it chose, in sentences a 16-year-old reads, with bars instead of
bare numbers.

The model gives the terms of every decision (``official.decision``): the danger of obeying
(blamed at home for shortages, unrest and the unmet plan), the danger of disobeying (an audit
times the punishment, plus loyalty to a centre with authority), the share of the neighbours
who had stopped obeying against the official's own threshold, and the pull towards breaking
away against its threshold. This module turns them into a few plain sentences that agree with
each other and with the stance on the map: when an audit is likely but disobeying still costs
little, it says why (mild punishment, an economy run locally, an official not easily
frightened), so the page never shows a 64% audit chance beside a tiny risk unexplained.

Every sentence comes from the catalogue (``why.*``), so the explanation reads the same in
every language.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

#: the danger bars run from 0 to this value (larger values fill the bar)
RISK_SCALE = 1.5
#: the pull bar runs from this value (negative: held back) to 1
PULL_LOW, PULL_HIGH = -0.5, 1.0


@dataclass(frozen=True)
class RegionView:
    """What the page knows of one region at one quarter (from a history snapshot)."""

    region: str
    republic: str
    stance: int  # 0 obeying, 1 managing risk, 2 autonomous
    terms: dict  # risk_of_obeying, risk_of_disobeying, audit_probability, peer_share, ...
    official_type: str
    appointed: float  # year the official took office
    levers: dict  # the centre's levers at that quarter
    year: float  # the year of that quarter (its end)
    start: float  # the scenario's start year
    played: bool = False
    neighbours: int = 0


STANCE_KEYS = {0: "obeying", 1: "managing", 2: "autonomous"}


def level(value: float, tr) -> str:
    """A share or a danger in words ("none", "low", "high", ...)."""
    if value is None or math.isnan(value):
        return tr("level.unknown")
    for bound, key in ((0.02, "none"), (0.15, "very_low"), (0.35, "low"), (0.6, "medium"), (0.9, "high")):
        if value < bound:
            return tr(f"level.{key}")
    return tr("level.very_high")


def percent(value: float) -> str:
    return "?" if value is None or math.isnan(value) else f"{max(0.0, value) * 100:.0f}%"


def _get(view: RegionView, name: str, default: float = float("nan")) -> float:
    value = view.terms.get(name, default)
    return float(default if value is None else value)


def quarters_text(quarters: int, tr) -> str:
    years, rest = divmod(max(int(quarters), 0), 4)
    parts = []
    if years:
        parts.append(tr.plural("time.years", years))
    if rest or not years:
        parts.append(tr.plural("time.quarters", rest))
    return tr("time.join", first=parts[0], second=parts[1]) if len(parts) == 2 else parts[0]


def in_office(view: RegionView, tr, quarter_of) -> str:
    """The official's real time in office: since before the scenario began, or since it was
    appointed (after its predecessor was dismissed) and for how long."""
    if view.appointed is None or math.isnan(view.appointed) or view.appointed <= view.start + 1e-9:
        return tr("why.office.before", start=quarter_of(view.start + 0.25))
    quarters = round((view.year - view.appointed) * 4)
    return tr("why.office.appointed", quarter=quarter_of(view.appointed), duration=quarters_text(quarters, tr))


def reasons(view: RegionView, tr) -> list[tuple[str, str]]:
    """The explanation, sentence by sentence, each with its kind (stance, played, compare,
    blame, audit, audit_mild, peers, so, pull); they agree with the stance shown on the map."""
    obey = _get(view, "risk_of_obeying")
    disobey = _get(view, "risk_of_disobeying")
    audit = _get(view, "audit_probability")
    peers = _get(view, "peer_share")
    threshold = _get(view, "peer_threshold")
    shortfall = _get(view, "shortfall", 0.0)
    unrest = _get(view, "unrest", 0.0)
    severity = float(view.levers.get("punishment_severity", float("nan")))
    decentralisation = float(view.levers.get("decentralisation", 0.0))
    stance = STANCE_KEYS.get(view.stance, "obeying")
    out = [("stance", tr(f"why.stance.{stance}", region=view.region))]
    if view.played:
        out.append(("played", tr("why.played")))

    # the two dangers, compared
    if not (math.isnan(obey) or math.isnan(disobey)):
        gap = obey - disobey
        comparison = ("much_riskier" if gap > 0.5 else "riskier" if gap > 0.05 else
                      "much_safer" if gap < -0.5 else "safer" if gap < -0.05 else "same")
        out.append(("compare", tr(f"why.compare.{comparison}")))
    # why obeying is dangerous: the official is blamed at home
    if not math.isnan(obey) and obey >= 0.15:
        short = tr("why.shortfall.some", share=percent(shortfall)) if shortfall >= 0.02 else tr("why.shortfall.none")
        mood = tr("why.unrest.angry" if unrest >= 0.5
                  else "why.unrest.restless" if unrest >= 0.2 else "why.unrest.calm")
        out.append(("blame", tr("why.blamed", shortfall=short, unrest=mood)))
    elif not math.isnan(obey):
        out.append(("blame", tr("why.blamed_little")))
    # why disobeying is (not) dangerous: the audit chance and what a caught official loses
    if not math.isnan(audit):
        if audit >= 0.3 and not math.isnan(disobey) and disobey < 0.2:
            if not math.isnan(severity) and severity < 0.35:
                reason = tr("why.mild.punishment", severity=f"{severity:.2f}")
            elif decentralisation >= 0.3:
                reason = tr("why.mild.local_economy")
            else:
                reason = tr("why.mild.fearless")
            out.append(("audit_mild", tr("why.audit_likely_but_mild", audit=percent(audit), reason=reason)))
        elif audit < 0.1:
            out.append(("audit", tr("why.audit_rare", audit=percent(audit))))
        else:
            out.append(("audit", tr("why.audit_risky", audit=percent(audit),
                                    severity="?" if math.isnan(severity) else f"{severity:.2f}")))
    # the neighbours, against the official's own threshold
    if not (math.isnan(peers) or math.isnan(threshold)):
        out.append(("peers", tr("why.peers", share=percent(peers), threshold=percent(threshold))))
    # the conclusion, which is what the map shows
    out.append(("so", tr(f"why.so.{stance}")))
    if stance != "obeying":
        pull, needed = _get(view, "exit_pull"), _get(view, "autonomy_threshold")
        if not (math.isnan(pull) or math.isnan(needed)):
            out.append(("pull", tr("why.pull.above" if pull >= needed else "why.pull.below")))
    return out


def sentences(view: RegionView, tr) -> list[str]:
    """The whole explanation as sentences."""
    return [text for _, text in reasons(view, tr)]


def compact_sentences(view: RegionView, tr) -> list[str]:
    """The few sentences a projector has room for: the stance, the two dangers compared, why
    disobeying is cheap when an audit is likely (never left unexplained), the conclusion."""
    return [text for kind, text in reasons(view, tr) if kind in ("stance", "compare", "audit_mild", "so")]


def bar(fraction: float, colour: str, label: str, mark: float | None = None) -> str:
    """An inline bar (``fraction`` of its width filled), named for screen readers by ``label``;
    ``mark`` draws a threshold line at that fraction."""
    fraction = 0.0 if fraction is None or math.isnan(fraction) else min(max(fraction, 0.0), 1.0)
    tick = "" if mark is None or math.isnan(mark) else \
        f"<span class='sc-bar-mark' style='left:{min(max(mark, 0.0), 1.0) * 100:.1f}%'></span>"
    return (f"<span class='sc-bar' role='img' aria-label='{html.escape(label, quote=True)}'>"
            f"<span class='sc-bar-fill' style='width:{fraction * 100:.1f}%;background:{colour}'></span>{tick}</span>")


def bars(view: RegionView, tr) -> list[tuple[str, str, str]]:
    """(name, bar HTML, words) rows: the two dangers, the neighbours against the threshold, the
    pull to break away against its threshold."""
    obey, disobey = _get(view, "risk_of_obeying"), _get(view, "risk_of_disobeying")
    peers, threshold = _get(view, "peer_share"), _get(view, "peer_threshold")
    pull, needed = _get(view, "exit_pull"), _get(view, "autonomy_threshold")
    audit = _get(view, "audit_probability")

    def risk_words(x):
        return level(x / RISK_SCALE * 1.0 if not math.isnan(x) else x, tr)

    rows = [
        (tr("why.bar.obey"), bar(obey / RISK_SCALE, "#E69F00", tr("why.bar.obey_aria", level=risk_words(obey),
                                                                 value=f"{obey:.2f}")), risk_words(obey)),
        (tr("why.bar.disobey"), bar(disobey / RISK_SCALE, "#0072B2",
                                    tr("why.bar.disobey_aria", level=risk_words(disobey), value=f"{disobey:.2f}")),
         risk_words(disobey)),
        (tr("why.bar.audit"), bar(audit, "#56B4E9", tr("why.bar.audit_aria", share=percent(audit))), percent(audit)),
        (tr("why.bar.peers"), bar(peers, "#D55E00", tr("why.bar.peers_aria", share=percent(peers),
                                                        threshold=percent(threshold)), mark=threshold),
         tr("why.bar.peers_words", share=percent(peers), threshold=percent(threshold))),
    ]
    if not (math.isnan(pull) or math.isnan(needed)):
        span = PULL_HIGH - PULL_LOW
        rows.append((tr("why.bar.pull"), bar((pull - PULL_LOW) / span, "#CC79A7",
                                             tr("why.bar.pull_aria", relation=tr(
                                                 "why.bar.above" if pull >= needed else "why.bar.below")),
                                             mark=(needed - PULL_LOW) / span),
                     tr("why.bar.above" if pull >= needed else "why.bar.below")))
    return rows


def explanation_html(view: RegionView, tr, colour: str, stance_label: str, type_label: str, office: str) -> str:
    """The panel's content for one region at one quarter (one HTML string: one widget)."""
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(name)}</th><td class='sc-bar-cell'>{bar_html}</td>"
        f"<td class='sc-bar-words'>{html.escape(words)}</td></tr>" for name, bar_html, words in bars(view, tr))
    text = " ".join(html.escape(s) for s in sentences(view, tr))
    return (
        f"<div class='sc-why'>"
        f"<div class='sc-why-title'><span class='sc-swatch' style='background:{colour}'></span>"
        f"<b>{html.escape(view.region)}</b> ({html.escape(view.republic)}): <b>{html.escape(stance_label)}</b></div>"
        f"<div class='sc-why-who'>{html.escape(tr('why.official', type=type_label))}. {html.escape(office)}</div>"
        f"<p class='sc-why-text'>{text}</p>"
        f"<table class='sc-why-table'><caption class='sc-sr-only'>{html.escape(tr('why.table_caption'))}</caption>"
        f"{rows}</table></div>"
    )
