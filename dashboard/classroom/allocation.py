"""Which region a student is given.

Students are spread over the republics first: the first joiner gets the most populous region of
the most populous republic, the next the most populous region of the next republic, and so on
round the republics; then the second region of each, and so on. A class of 15 covers every
republic of the USSR, and every student's region matters to the country.
"""

from __future__ import annotations

import numpy as np


def allocation_order(world) -> list[int]:
    """Region indices in the order they are given out (``world`` as in ``model.world``)."""
    republic = np.asarray(world.republic, dtype=int)
    population = np.asarray(world.population, dtype=float)
    republics = sorted(set(republic.tolist()), key=lambda r: (-population[republic == r].sum(), r))
    queues = []
    for r in republics:
        members = np.flatnonzero(republic == r)
        queues.append(sorted(members.tolist(), key=lambda i: (-population[i], i)))
    order: list[int] = []
    depth = 0
    while len(order) < len(republic):
        for queue in queues:
            if depth < len(queue):
                order.append(queue[depth])
        depth += 1
    return order


def next_free(order: list[int], taken) -> int | None:
    """The first region of ``order`` not in ``taken`` (None when every region is taken)."""
    for region in order:
        if region not in taken:
            return region
    return None
