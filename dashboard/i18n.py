"""Every string the page shows, in one catalogue file per language: a translation is a file.

The catalogues are TOML files in ``locales/`` (``en.toml``, ``ru.toml``, ...), nested tables of
strings; a string is found by its dotted key (``controls.play``) and filled in with
``str.format`` (``"{n} of {total}"``). Counted phrases have one key per plural form
(``one``/``other`` in English; ``one``/``few``/``many`` in Russian) and are picked by
:meth:`Catalogue.plural`. A key missing from a translation falls back to English; the tests
check that every catalogue has the same keys and placeholders as the English one.

Adding a language: copy ``en.toml`` to ``xx.toml``, translate the strings, add its plural rule
to :data:`PLURAL_RULES` if it is not English-like.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent / "locales"
QUARTER = re.compile(r"(\d{4})\s*([QqPp])\s*(\d{1,2})")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X", 11: "XI",
         12: "XII"}
DEFAULT = "en"


def _plural_en(n: int) -> str:
    return "one" if n == 1 else "other"


def _plural_ru(n: int) -> str:
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


#: language -> rule giving the plural form of a count
PLURAL_RULES: dict[str, Callable[[int], str]] = {"en": _plural_en, "ru": _plural_ru}


def languages() -> tuple[str, ...]:
    """The languages with a catalogue, English first."""
    found = sorted(p.stem for p in LOCALES.glob("*.toml"))
    return tuple(sorted(found, key=lambda code: (code != DEFAULT, code)))


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def load_strings(lang: str) -> dict[str, str]:
    with (LOCALES / f"{lang}.toml").open("rb") as f:
        return _flatten(tomllib.load(f))


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a string is filled with."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


class Catalogue:
    """The strings of one language (with English behind it for anything missing)."""

    def __init__(self, lang: str):
        self.lang = lang if (LOCALES / f"{lang}.toml").is_file() else DEFAULT
        self.strings = load_strings(self.lang)
        self.fallback = load_strings(DEFAULT) if self.lang != DEFAULT else {}
        self.plural_rule = PLURAL_RULES.get(self.lang, _plural_en)

    def has(self, key: str) -> bool:
        return key in self.strings or key in self.fallback

    def raw(self, key: str) -> str:
        text = self.strings.get(key)
        if text is None:
            text = self.fallback.get(key)
        if text is None:
            return key  # shows the missing key on the page (the tests catch it first)
        return text

    def __call__(self, key: str, **values) -> str:
        text = self.raw(key)
        if not values:
            return text
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text

    def plural(self, key: str, n: int, **values) -> str:
        """The plural form of ``key`` for the count ``n`` (``{n}`` is filled in)."""
        form = self.plural_rule(int(n))
        for candidate in (f"{key}.{form}", f"{key}.other", f"{key}.many"):
            if candidate in self.strings:
                return self(candidate, n=n, **values)
        return self(f"{key}.{_plural_en(int(n))}", n=n, **values)

    def children(self, prefix: str) -> list[str]:
        """The names directly under ``prefix`` (``glossary`` -> ["apparatchik", ...]), in the
        order of the English catalogue."""
        names: list[str] = []
        for key in list(self.fallback or self.strings) + list(self.strings):
            if key.startswith(prefix + "."):
                name = key[len(prefix) + 1:].split(".", 1)[0]
                if name not in names:
                    names.append(name)
        return names

    def quarter(self, label: str) -> str:
        """A quarter as this language writes it: "1987Q2" or "1987 Q2" -> "1987 Q2" in English,
        "II кв. 1987" in Russian (``date.quarter``); anything else is returned as it is."""
        match = QUARTER.fullmatch(str(label).strip())
        if not match:
            return str(label)
        year, kind, part = match.group(1), match.group(2).upper(), int(match.group(3))
        key = "date.quarter" if kind == "Q" else "date.period"
        return self(key, year=year, q=part, roman=ROMAN.get(part, str(part)))

    def get(self, key: str, default: str = "", **values) -> str:
        """The string for ``key`` if the catalogue has it, else ``default``."""
        return self(key, **values) if self.has(key) else default


@cache
def catalogue(lang: str) -> Catalogue:
    return Catalogue(lang)
