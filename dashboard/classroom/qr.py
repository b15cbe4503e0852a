"""The QR code of the join address, drawn on this machine (segno, pure Python): no request
leaves the room to make it."""

from __future__ import annotations

import urllib.parse

import segno


def join_address(join_url: str, code: str) -> str:
    """The address students open, with the join code filled in (``http://10.0.0.5:8766/?code=482913``)."""
    base = join_url.rstrip("/") + "/"
    return base + "?" + urllib.parse.urlencode({"code": code})


def qr_svg(text: str, scale: int = 6) -> str:
    """An inline SVG of the QR code of ``text`` (error correction M, a quiet zone of 4 modules)."""
    qr = segno.make(text, error="m", micro=False)
    return qr.svg_inline(scale=scale, dark="#000000", light="#ffffff", border=4, title="Join address")
