"""Aggregate the parts of composite regions into ``ussr_regions.csv`` and recompute the weights.

Some rows of ``src/soviet_cohesion/data/ussr_regions.csv`` are not one census unit: stylised
regions (``Narva region``: Narva, Kohtla-Jarve, Sillamae and the Kohtla-Jarve district), merged
oblasts (``Novgorod and Pskov Oblasts``), oblasts counted with their capital city (``Kiev Oblast``
with Kiev city) and the units of republics split into stylised regions. Their territory is listed,
part by part, in ``ussr_region_parts.csv`` with each part's 1989 population (thousands) and the
shares of its main national groups (``groups``: ``Estonians=0.185; Russians=0.72``).

The rule, for every region R made of parts p:

    population_R         = sum_p population_p
    count_R(g)           = sum_p population_p * share_p(g)        (a group not listed counts 0)
    share_R(g)           = count_R(g) / population_R
    titular_share_R      = share_R(titular nationality of the republic)
    largest_group_R      = argmax_g count_R(g)

A part whose ``groups`` is ``residual`` is the rest of its republic: its population and group
counts are the republic total (the ``(republic total)`` row) minus every other part of that
republic. ``weight`` (the region's share of its republic's population, read by ``world.py``) is
recomputed for every row from ``population_1989_thousands``: four decimals, the rounding remainder
put on the republic's largest region so that each republic sums to exactly 1.

Usage:  python scripts/aggregate_region_parts.py             (rewrite ussr_regions.csv)
        python scripts/aggregate_region_parts.py --check     (exit 1 if the file is out of step)
        ... --data DIR                                       (the data folder, for tests)
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "soviet_cohesion" / "data"
TOTAL = "(republic total)"
RESIDUAL = "residual"
SHARE_DECIMALS = 3


def read(folder: Path, name: str) -> list[dict]:
    with (folder / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def parse_groups(text: str) -> dict[str, float]:
    """``"Estonians=0.185; Russians=0.72"`` -> ``{"Estonians": 0.185, "Russians": 0.72}``."""
    out = {}
    for item in text.split(";"):
        name, _, value = item.partition("=")
        if not value:
            raise ValueError(f"groups item {item!r} is not of the form Name=share")
        out[name.strip()] = float(value)
    return out


def composite_regions(parts: list[dict]) -> dict[str, tuple[float, dict[str, float], list[dict]]]:
    """Region -> (population, counts by group, its parts), residual parts resolved."""
    totals, by_region, residual = {}, defaultdict(list), {}
    for p in parts:
        if p["region"] == TOTAL:
            shares = parse_groups(p["groups"])
            pop = float(p["population_1989_thousands"])
            totals[p["republic_code"]] = (pop, {g: pop * s for g, s in shares.items()})
        else:
            by_region[p["region"]].append(p)
    out = {}
    for region, members in by_region.items():
        pop, counts = 0.0, defaultdict(float)
        for p in members:
            if p["groups"].strip() == RESIDUAL:
                residual[p["republic_code"]] = region
                continue
            n = float(p["population_1989_thousands"])
            pop += n
            for g, s in parse_groups(p["groups"]).items():
                counts[g] += n * s
        out[region] = (pop, counts, members)
    for rep, region in residual.items():
        if rep not in totals:
            raise ValueError(f"{region}: a residual part needs a '{TOTAL}' row for {rep}")
        pop, counts = totals[rep]
        rest_pop, rest = pop, dict(counts)
        for other, (n, c, members) in out.items():
            if members[0]["republic_code"] == rep and other != region:
                rest_pop -= n
                for g, v in c.items():
                    rest[g] = rest.get(g, 0.0) - v
        members = out[region][2]
        if len(members) != 1:
            raise ValueError(f"{region}: a residual region has the residual part only")
        negative = sorted(g for g in counts if rest[g] < 0)
        if rest_pop <= 0 or negative:
            raise ValueError(f"{region}: the other regions of {rep} exceed the republic total "
                             f"(population {rest_pop:.1f}; groups {negative})")
        # groups not listed in the republic total are unknown for the residual: left out
        out[region] = (rest_pop, defaultdict(float, {g: rest[g] for g in counts}), members)
    return out


def reliability(members: list[dict]) -> str:
    kinds = [p["reliability"] for p in members]
    if any(p["groups"].strip() == RESIDUAL for p in members):
        return "estimate: stylised region, residual of the republic total minus its other regions"
    if len(members) == 1:
        return kinds[0]
    if any(k.startswith("estimate") for k in kinds):
        return "estimate: stylised region, aggregated from district figures partly estimated"
    if all(k == "census" for k in kinds):
        return "census, aggregated over the units it covers"
    return "census, aggregated over the units it covers; from memory (check)"


def aggregate(regions: list[dict], parts: list[dict], titular: dict[str, str]) -> list[dict]:
    comp = composite_regions(parts)
    names = {r["region"] for r in regions}
    unknown = sorted(set(comp) - names)
    if unknown:
        raise ValueError(f"ussr_region_parts.csv names regions not in ussr_regions.csv: {unknown}")
    out = []
    for r in regions:
        r = dict(r)
        if r["region"] in comp:
            pop, counts, members = comp[r["region"]]
            share = {g: v / pop for g, v in counts.items()}
            largest = max(share, key=share.get)
            r["population_1989_thousands"] = f"{pop:.1f}"
            r["titular_share"] = f"{share.get(titular[r['republic_code']], 0.0):.{SHARE_DECIMALS}f}"
            r["russian_share"] = f"{share.get('Russians', 0.0):.{SHARE_DECIMALS}f}"
            r["largest_group"] = largest
            r["largest_group_share"] = f"{share[largest]:.{SHARE_DECIMALS}f}"
            group = r["autonomy_group"].strip()
            r["autonomy_group_share"] = f"{share.get(group, 0.0):.{SHARE_DECIMALS}f}" if group else ""
            r["source_population"] = f"aggregated over {len(members)} part(s) in ussr_region_parts.csv"
            r["source_ethnic"] = f"aggregated over {len(members)} part(s) in ussr_region_parts.csv"
            r["reliability"] = reliability(members)
        out.append(r)
    return with_weights(out)


def with_weights(rows: list[dict]) -> list[dict]:
    by_rep = defaultdict(list)
    for r in rows:
        by_rep[r["republic_code"]].append(r)
    for members in by_rep.values():
        pops = [float(r["population_1989_thousands"]) for r in members]
        total = sum(pops)
        weights = [round(p / total, 4) for p in pops]
        biggest = pops.index(max(pops))
        weights[biggest] = round(weights[biggest] + 1.0 - sum(weights), 4)
        for r, w in zip(members, weights):
            r["weight"] = f"{w:.4f}"
    return rows


def main(argv: list[str]) -> int:
    folder = Path(argv[argv.index("--data") + 1]) if "--data" in argv else DATA
    regions = read(folder, "ussr_regions.csv")
    titular = {r["code"]: r["titular_nationality"] for r in read(folder, "ussr_republics.csv")}
    try:
        new = aggregate(regions, read(folder, "ussr_region_parts.csv"), titular)
    except ValueError as err:
        print(f"ussr_region_parts.csv: {err}", file=sys.stderr)
        return 2
    if "--check" in argv:
        stale = [a["region"] for a, b in zip(regions, new) if a != b]
        if stale:
            print(f"ussr_regions.csv is out of step with ussr_region_parts.csv for: {', '.join(stale)}; "
                  "run python scripts/aggregate_region_parts.py", file=sys.stderr)
            return 1
        return 0
    with (folder / "ussr_regions.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(regions[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
