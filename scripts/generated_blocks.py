"""Generated blocks in Markdown files: the text between

    <!-- BEGIN GENERATED: NAME -->
    ...
    <!-- END GENERATED: NAME -->

is written by a script from the code, never by hand. ``fill`` replaces a block's text, ``blocks``
lists the names of the blocks a text holds. The markers stay in place, so the same script can
bring the block up to date again; a test compares the committed text with what the script makes.
"""

from __future__ import annotations

import re
from pathlib import Path

BEGIN = "<!-- BEGIN GENERATED: {name} -->"
END = "<!-- END GENERATED: {name} -->"
_BLOCK = re.compile(r"<!-- BEGIN GENERATED: (?P<name>[\w.-]+) -->\n(?P<body>.*?)<!-- END GENERATED: (?P=name) -->",
                    re.DOTALL)


class BlockError(ValueError):
    """Missing, repeated or unbalanced markers (one-line message)."""


def blocks(text: str, where: str = "<text>") -> list[str]:
    """Names of the generated blocks in ``text``, in order; BlockError if the markers are unbalanced."""
    begins = re.findall(r"<!-- BEGIN GENERATED: ([\w.-]+) -->", text)
    ends = re.findall(r"<!-- END GENERATED: ([\w.-]+) -->", text)
    if sorted(begins) != sorted(ends):
        raise BlockError(f"{where}: BEGIN and END markers do not pair up (begins: {begins}, ends: {ends})")
    if len(set(begins)) != len(begins):
        raise BlockError(f"{where}: a generated block appears twice: {begins}")
    found = [m.group("name") for m in _BLOCK.finditer(text)]
    if found != begins:
        raise BlockError(f"{where}: each BEGIN marker must be followed, on a later line, by its END marker")
    return found


def fill(text: str, name: str, body: str, where: str = "<text>") -> str:
    """``text`` with the block ``name`` holding ``body`` (a blank line is kept on each side)."""
    if name not in blocks(text, where):
        raise BlockError(f"{where}: no generated block {name!r} (add the lines {BEGIN.format(name=name)} "
                         f"and {END.format(name=name)})")
    body = "\n" + body.strip("\n") + "\n\n"
    return _BLOCK.sub(lambda m: (m.group(0) if m.group("name") != name
                                 else BEGIN.format(name=name) + "\n" + body + END.format(name=name)), text)


def body(text: str, name: str) -> str:
    """The text now between the markers of block ``name`` (stripped of blank lines around it)."""
    for m in _BLOCK.finditer(text):
        if m.group("name") == name:
            return m.group("body").strip("\n")
    raise BlockError(f"no generated block {name!r}")


def update(path: Path, makers: dict, check: bool = False, elsewhere: tuple[str, ...] = ()) -> bool:
    """Fill every block of ``path`` whose name is in ``makers`` (name -> function returning the
    text). Returns True if the file was (``check``: would be) changed. Blocks named in
    ``elsewhere`` are left alone (another script writes them); any other block with no maker is
    an error: its markers name a generator that does not exist."""
    text = path.read_text(encoding="utf-8")
    new = text
    for name in blocks(text, str(path)):
        if name in elsewhere:
            continue
        if name not in makers:
            raise BlockError(f"{path}: no generator for the block {name!r}; known: {', '.join(makers)}")
        new = fill(new, name, makers[name](), str(path))
    if new != text and not check:
        path.write_text(new, encoding="utf-8")
    return new != text
