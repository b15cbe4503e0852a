"""The README's "What the model shows" is what ``scripts/what_the_model_shows.py`` writes from runs
of today's model at the documented seeds (0-19).

The comparison runs the model some 700 times (15-40 s on a 2-core machine), so it is marked slow
and runs in CI (``make test-all``, ``.ci/run``); the fast suite checks that the committed section
says how it was made."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import generated_blocks as gb  # noqa: E402
import what_the_model_shows as wtms  # noqa: E402


def committed() -> str:
    return gb.body((ROOT / "README.md").read_text(encoding="utf-8"), wtms.BLOCK)


def test_the_section_states_the_seeds_it_was_made_with():
    text = committed()
    assert f"seeds 0-{wtms.DEFAULT_SEEDS - 1} of each scenario" in text
    assert "python scripts/what_the_model_shows.py" in text
    assert (ROOT / "docs" / "img" / "what_the_model_shows.png").is_file()
    assert "<!-- figure data: " in text


@pytest.mark.slow
def test_the_committed_section_is_what_the_model_produces_now():
    made = wtms.section(wtms.compute(wtms.DEFAULT_SEEDS))
    for heading in ("Late Stalinism (", "Gorbachev (", "Order of the declarations", "The reforms cause it",
                    "The same reforms with responsibility shared", "Khrushchev (", "Brezhnev's hidden erosion (",
                    "A tipping point", "Which feedback loop the collapse needs", "Granovetter (1978)", "Knife edges"):
        assert f"**{heading}" in made, heading
    assert committed() == made.strip("\n"), (
        "README.md's 'What the model shows' is out of date: run python scripts/what_the_model_shows.py "
        "(it also redraws docs/img/what_the_model_shows.png) and commit both")
