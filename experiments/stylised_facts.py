"""Print the model's stylised facts over many seeds (the measurements of ``soviet_cohesion.facts``,
which the tests and the README's "What the model shows" also use).

    python experiments/stylised_facts.py [--seeds 20] [--only gorbachev khrushchev ...]

Each line is computed here, from runs made here; nothing is typed in by hand.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from soviet_cohesion import facts

FACTS = ("stalin", "gorbachev", "reforms_cause", "shared_responsibility", "khrushchev", "brezhnev", "whole_arc",
         "tipping_point", "loops_off")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=len(facts.SEEDS))
    parser.add_argument("--only", nargs="*", choices=FACTS, default=list(FACTS))
    args = parser.parse_args(argv)
    seeds = range(args.seeds)
    for name in args.only:
        started = time.perf_counter()
        measured = getattr(facts, name)(seeds)
        shown = {k: v for k, v in measured.items() if not isinstance(v, np.ndarray)}
        print(f"{name} ({args.seeds} seeds, {time.perf_counter() - started:.1f} s): "
              + ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in shown.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
