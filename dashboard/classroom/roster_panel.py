"""Who is in the class, and who has answered this quarter (the teacher's page)."""

from __future__ import annotations

import html

import solara
from solara.alias import rv

from .seats import choice_label, stance_label
from .signals import use_session_version


def roster_html(rows) -> str:
    """The class as a table: name, region, this quarter's answer, last quarter, quarters missed."""
    if not rows:
        return "<p class='cl-muted'>Nobody has joined yet.</p>"
    lines = []
    for row in rows:
        if not row.active:
            status = "<span class='cl-offline'>freed</span>"
        elif row.answered:
            status = "<span class='cl-answered'>✓ answered</span>"
        else:
            status = "<span class='cl-waiting'>… waiting</span>"
        if row.active and not row.online:
            status += " <span class='cl-offline'>(offline)</span>"
        last = ""
        if row.last is not None:
            t = row.last
            own = html.escape(choice_label(t.model_choice))
            last = choice_label(t.choice) if t.answered else f"<i>model: {own}</i>"
            if t.replaced:
                last += " · dismissed"
            elif t.caught:
                last += " · caught"
            last = f"{last} → {html.escape(stance_label(t.stance))}"
        lines.append(f"<tr class='cl-roster-row'><td>{html.escape(row.name)}</td>"
                     f"<td>{html.escape(row.region_name)} "
                     f"<span class='cl-muted'>({html.escape(row.republic)})</span></td>"
                     f"<td>{status}</td><td>{last}</td><td class='cl-num'>{row.missed}</td></tr>")
    return ("<table><tr><th>Student</th><th>Region</th><th>This quarter</th><th>Last quarter</th>"
            "<th title='quarters the model decided for them (no answer)'>Missed</th></tr>"
            + "".join(lines) + "</table>")


@solara.component
def RosterPanel(classroom, key: str, attempt):
    use_session_version(classroom, ("answers", "roster", "quarter"))
    rows = classroom.roster()
    picked = solara.use_reactive(None)
    active = [{"text": f"{r.name} ({r.region_name})", "value": r.token} for r in rows if r.active]

    def free():
        attempt(lambda: classroom.release(key, picked.value))
        picked.set(None)
    playing = sum(r.active for r in rows)
    with solara.Card(f"The class ({playing} student{'' if playing == 1 else 's'})", margin=0, classes=["cl-card"]):
        solara.HTML(tag="div", unsafe_innerHTML=roster_html(rows), classes=["cl-roster"])
        if active:
            with solara.Row(style={"align-items": "center", "gap": "8px", "flex-wrap": "wrap"},
                            classes=["cl-no-print"]):
                rv.Select(label="Free a seat (the model plays that region again)", items=active,
                          v_model=picked.value, on_v_model=picked.set, dense=True, hide_details=True, outlined=True,
                          clearable=True, class_="cl-free-pick", style_="min-width: 200px; max-width: 100%")
                solara.Button("Free seat", outlined=True, disabled=picked.value is None, classes=["cl-free"],
                              on_click=free)
