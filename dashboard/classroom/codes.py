"""The secrets of a class session: the join code students type, the teacher's key, and each
student's seat token.

* The **join code** (six digits, easy to type on a phone's number pad) keeps a student of another
  class on the same network from walking into this one; it is shown large on the teacher's page
  and carried by the QR code.
* The **teacher key** (random, 128 bits) is part of the teacher's address only: whoever holds it
  can step the run and move the centre's levers. It is compared in constant time.
* A **seat token** (random, 96 bits) is part of a student's own address after joining: it is how
  a reloaded or reconnected page finds its region again, and the only way to choose for it.
"""

from __future__ import annotations

import hmac
import re
import secrets

JOIN_CODE_DIGITS = 6


def new_join_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(JOIN_CODE_DIGITS))


def new_teacher_key() -> str:
    return secrets.token_urlsafe(16)


def new_seat_token() -> str:
    return secrets.token_urlsafe(12)


def normalise_code(text) -> str:
    """A typed join code without spaces or dashes ("482 913" -> "482913"); "" for anything else."""
    return re.sub(r"[\s\-]", "", str(text if text is not None else ""))[:32]


def same_secret(given, expected: str) -> bool:
    """Constant-time comparison of a secret taken from an address or a form."""
    if not isinstance(given, str) or not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))
