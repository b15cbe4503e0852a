"""Print the model's stylised facts over many seeds: the figures quoted in the README.

    python experiments/stylised_facts.py [--seeds 20]

Each line is computed here, from runs made here; nothing is typed in by hand.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from soviet_cohesion import CohesionModel
from soviet_cohesion.parameters import LOOPS


def final_tables(scenario, seeds, **overrides):
    out = []
    for seed in seeds:
        model = CohesionModel(scenario, rng=seed, collect_regions=False, **overrides)
        model.run_model()
        out.append(model.indicators())
    return out


def first_year(table, mask):
    return float(table["year"][mask].iloc[0]) if mask.any() else np.inf


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args(argv)
    seeds = range(args.seeds)
    n = args.seeds

    stalin = final_tables("stalin", seeds)
    print(f"stalin ({n} seeds): lowest cohesion {min(t.cohesion.min() for t in stalin):.2f}, "
          f"mean final cohesion {np.mean([t.cohesion.iloc[-1] for t in stalin]):.2f}")

    gorb = final_tables("gorbachev", seeds)
    final = np.array([t.cohesion.iloc[-1] for t in gorb])
    local = np.array([first_year(t, (1 - t.compliance) > 0.5) for t in gorb])
    centre = np.array([first_year(t, t.authority < 0.5) for t in gorb])
    print(f"gorbachev ({n} seeds): final cohesion (end of 1991) median {np.median(final):.2f}, "
          f"below 0.35 in {np.mean(final < 0.35):.0%} of seeds; most regions stop obeying by "
          f"{np.median(local):.2f} (median), authority falls below one half at "
          f"{np.median(centre[np.isfinite(centre)]) if np.isfinite(centre).any() else float('nan'):.2f}; "
          f"localities first in {np.mean(local < centre):.0%} of seeds")

    shared = np.array([t.cohesion.iloc[-1] for t in final_tables("gorbachev-shared-responsibility", seeds)])
    print(f"gorbachev-shared-responsibility ({n} seeds): final cohesion median {np.median(shared):.2f}, "
          f"above 0.6 in {np.mean(shared > 0.6):.0%} of seeds")

    khr = final_tables("khrushchev", seeds)

    def localism(t, a, b):
        w = t[(t.year > a) & (t.year <= b)]
        return float((1 - w.compliance).mean())

    print("khrushchev: share of regions not obeying, 1953-57 {:.2f}, 1958-65 {:.2f}, 1967-69 {:.2f}".format(
        *np.mean([[localism(t, 1953.5, 1957.5), localism(t, 1958.5, 1965.75), localism(t, 1967, 1970)]
                  for t in khr], axis=0)))

    print(f"gorbachev, one feedback loop switched off at a time ({n} seeds, median final cohesion):")
    print(f"  all loops on          {np.median(final):.2f}")
    for loop in LOOPS:
        values = [t.cohesion.iloc[-1] for t in final_tables("gorbachev", seeds, **{loop: False})]
        print(f"  {loop:21s} off {np.median(values):.2f}")

    rows = []
    for seed in list(seeds)[:10]:
        model = CohesionModel("gorbachev", rng=seed)
        model.run_model()
        rec = model.region_records()
        first = rec[rec.stance == "autonomous"].groupby(["republic", "region"]).year.min()
        rows.append(first.groupby(level=0).median())
    order = pd.concat(rows, axis=1).median(axis=1).sort_values()
    print("gorbachev: median year the regions of each republic turn autonomous (10 seeds):")
    print("  " + ", ".join(f"{name.replace(' SSR', '').replace('Russian SFSR', 'RSFSR')} {year:.2f}"
                           for name, year in order.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
