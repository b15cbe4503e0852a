"""The join page (the address students open, ``/?code=...`` from the QR code): the class's code,
a name, and (if the teacher lets them) a region; then on to the student's own page.

A device that has already joined is offered to continue as that student (its browser's session
id was kept with the seat); a device lent to a classmate can still join under another name.
"""

from __future__ import annotations

import urllib.parse

import solara
from solara.alias import rv

from ..prose import Prose
from . import settings
from .classroom import JoinError
from .signals import use_session_version


def browser_id() -> str | None:
    """This browser's Solara session id (a cookie kept across reloads), or None outside a server."""
    try:
        return solara.get_session_id()
    except Exception:  # noqa: BLE001 - outside a Solara server (solara.render in tests) there is no session
        return None


def query_value(search: str | None, name: str) -> str:
    return (urllib.parse.parse_qs(search or "").get(name) or [""])[0]


def region_items(classroom) -> list[dict]:
    """The free regions for the picker, "Region (Republic)", sorted by republic then name."""
    world = classroom.model.world
    items = [{"text": f"{world.names[r]} ({world.republic_names[int(world.republic[r])]})", "value": r}
             for r in classroom.free_regions()]
    return sorted(items, key=lambda item: item["text"].split(" (", 1)[1] + item["text"])


@solara.component
def JoinPage():
    router = solara.use_router()
    classroom = settings.current()
    use_session_version(classroom, ("pick",))
    code = solara.use_reactive(query_value(router.search, "code"))
    name = solara.use_reactive("")
    region = solara.use_reactive(None)
    problem = solara.use_reactive("")
    browser = solara.use_memo(browser_id, [])
    earlier = classroom.seat_for_browser(browser)

    def join():
        try:
            seat = classroom.join(code.value, name.value, region=region.value if classroom.allow_pick else None,
                                  browser=browser)
        except JoinError as exc:
            problem.value = str(exc)
            return
        problem.value = ""
        router.push(f"/play?seat={seat.token}")

    solara.Title("Join the class")
    with solara.Column(classes=["cl-page", "cl-student", "cl-join"], gap="10px"):
        solara.Text("Soviet cohesion: the class", classes=["cl-title"])
        Prose("You are a **regional official** of the USSR. Each quarter you choose: obey Moscow, "
              "hold back, or break away. Type the class's code and your name.")
        if earlier is not None:
            with solara.Card(margin=0, classes=["cl-card", "cl-continue"]):
                solara.Text(f"This device joined as {earlier.name} ({classroom.model.world.names[earlier.region]}).")
                solara.Button(f"Continue as {earlier.name}", color="primary", classes=["cl-continue-button"],
                              on_click=lambda: router.push(f"/play?seat={earlier.token}"))
        solara.InputText("Class code", value=code, continuous_update=True, classes=["cl-code-input"])
        solara.InputText("Your name", value=name, continuous_update=True, classes=["cl-name-input"])
        if classroom.allow_pick:
            rv.Select(label="Your region (or leave empty to be given one)", items=region_items(classroom),
                      v_model=region.value, on_v_model=region.set, clearable=True, outlined=True, dense=True,
                      hide_details=True, class_="cl-region-pick")
        if problem.value:
            solara.Error(problem.value, classes=["cl-join-problem"])
        solara.Button("Join", color="primary", on_click=join, classes=["cl-join-button"], x_large=True)
