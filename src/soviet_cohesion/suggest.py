"""The closest known name to a mistyped one ("did you mean ...?"), for one-line error messages.

>>> did_you_mean("opennes", ["openness", "scarcity"])
"did you mean 'openness'? "
>>> did_you_mean("xyz", ["openness", "scarcity"])
''
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name most like ``name`` (difflib's ratio of at least 0.6), or None."""
    matches = difflib.get_close_matches(str(name), list(known), n=1)
    return matches[0] if matches else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"did you mean 'X'? "`` for the closest known name X, or ``""`` when none is close.

    The result ends with a space so that it can sit in front of the list of what is allowed:
    ``f"unknown parameter {name!r}; {did_you_mean(name, known)}known parameters: ..."``.
    """
    match = closest(name, known)
    return f"did you mean {match!r}? " if match else ""
