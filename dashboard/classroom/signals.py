"""A page's subscription to the class session: a Solara hook that redraws the component when
the session announces one of the topics it shows.

The callback runs in a delivery thread of the session's broadcaster. It enters the page's own
kernel (its Solara virtual kernel context, and that context's lock, which Solara also holds while
it handles a click on that page), so that the redraw goes to that page only and never overlaps
one of its clicks. A page whose kernel has closed unsubscribes itself.
"""

from __future__ import annotations

import contextlib

import solara


def current_kernel():
    try:
        from solara.server import kernel_context

        return kernel_context.get_current_context()
    except Exception:  # noqa: BLE001 - solara.render in tests: no server kernel
        return None


def use_session_version(classroom, topics: tuple[str, ...]) -> tuple[int, ...]:
    """The session's counters for ``topics``; the calling component redraws when they change."""
    version = solara.use_reactive(classroom.version(*topics))

    def subscribe():
        context = current_kernel()

        def deliver():
            if context is not None and context.closed_event.is_set():
                return False
            entered = context if context is not None else contextlib.nullcontext()
            lock = context.lock if context is not None else contextlib.nullcontext()
            with entered, lock:
                now = classroom.version(*topics)
                if version.peek() != now:
                    version.value = now
            return True

        unsubscribe = classroom.broadcaster.subscribe(deliver, topics)
        if context is not None:
            context.on_close(unsubscribe)
        deliver()  # catch up with what changed between the first render and the subscription
        return unsubscribe

    solara.use_effect(subscribe, [classroom])
    return version.value


def page_id() -> str:
    """An id for this page (its kernel), to count a student's open pages."""
    context = current_kernel()
    return str(getattr(context, "id", None) or id(context))


def connection_probe():
    """A function that says whether this page is connected now (its websocket is open), or None
    outside a server. A phone that went to sleep keeps its page (and its kernel) for a while,
    but shows as offline."""
    context = current_kernel()
    statuses = getattr(context, "page_status", None)
    if statuses is None:
        return None
    try:
        from solara.server.kernel_context import PageStatus
    except ImportError:  # pragma: no cover
        return None
    return lambda: any(status == PageStatus.CONNECTED for status in list(statuses.values()))
