"""The join panel of the teacher's page: the address, the code in very large type, and the QR
code of the address with the code filled in (drawn on the server, no internet)."""

from __future__ import annotations

import html

import solara

from .qr import join_address, qr_svg


@solara.component
def JoinPanel(classroom):
    address = join_address(classroom.join_url or "/", classroom.join_code)
    svg = solara.use_memo(lambda: qr_svg(address), [address])
    with (solara.Card("Students join here", margin=0, classes=["cl-card", "cl-join-panel"]),
          solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "18px"})):
            solara.HTML(tag="div", unsafe_innerHTML=svg, classes=["cl-qr"])
            with solara.Column(gap="4px"):
                solara.Text("Scan the code, or open", classes=["cl-muted"])
                solara.Text(classroom.join_url or "(this server's address)", classes=["cl-join-url"])
                solara.Text("and type the class code", classes=["cl-muted"])
                solara.Text(classroom.join_code, classes=["cl-code"])
                solara.HTML(tag="div", unsafe_innerHTML=f"<a href='{html.escape(address)}' target='_blank' "
                            "rel='noopener' class='cl-join-link'>open the join page</a>")
