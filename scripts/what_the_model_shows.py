"""Write the README's "What the model shows" section and its figure from runs made here.

    python scripts/what_the_model_shows.py                  # README.md and docs/img/what_the_model_shows.png
    python scripts/what_the_model_shows.py --check          # exit 1 if the README's text is out of date
    python scripts/what_the_model_shows.py --print          # print the section, change nothing
    python scripts/what_the_model_shows.py --phase-diagram  # also rerun the shipped phase_diagram
                                                            # sweep and update docs/img/sweep_phase_diagram.png

The section sits between ``<!-- BEGIN GENERATED: what-the-model-shows -->`` and
``<!-- END GENERATED: what-the-model-shows -->`` in README.md. Every number in it is computed here
(seeds 0 to N-1 of each scenario, N = ``--seeds``, 20 by default), with
``soviet_cohesion.facts``, the measurements the tests use; no figure is typed in by hand. The text ends with a
fingerprint of the data the figure plots, so that the README test also notices a stale figure.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "experiments")]

from generated_blocks import fill  # noqa: E402

from soviet_cohesion import CohesionModel, Stance, facts, scenarios  # noqa: E402
from soviet_cohesion.parameters import PARAMETERS  # noqa: E402

BLOCK = "what-the-model-shows"
HISTORY_BLOCK = "model-versus-history"
VALIDATION = ROOT / "docs" / "validation" / "summary.csv"
README = ROOT / "README.md"
FIGURE = ROOT / "docs" / "img" / "what_the_model_shows.png"
PHASE_FIGURE = ROOT / "docs" / "img" / "sweep_phase_diagram.png"
DEFAULT_SEEDS = 20


# ------------------------------------------------------------------------------ helpers
def pct(share: float) -> str:
    return f"{share:.0%}"


def year(y: float) -> str:
    return "never" if not np.isfinite(y) else f"{y:.2f}"


def loop_name(loop: str) -> str:
    return PARAMETERS[loop].meaning.split(":")[0]


# ------------------------------------------------------------------------------ the facts
def compute(n_seeds: int) -> dict:
    """Every figure the section quotes (``soviet_cohesion.facts``), and the series the figure plots."""
    seeds = range(n_seeds)
    f: dict = {"seeds": n_seeds, "regions": CohesionModel("gorbachev", rng=0, collect_agents=False).n_regions}
    for name in ("stalin", "gorbachev", "reforms_cause", "shared_responsibility", "khrushchev", "brezhnev",
                 "whole_arc", "loops_off"):
        f[name] = getattr(facts, name)(seeds)
    tip = facts.tipping_point(seeds)
    f["tipping_point"] = {k: v for k, v in tip.items() if k not in ("levels", "compliance")}
    declared = facts.break_up(facts.simulate("gorbachev", seeds))["declarations"]
    first = declared.groupby(["run", "code", "declaration"])["year"].min().unstack("declaration")
    f["order"] = first.groupby("code").median().sort_values("sovereignty")
    f["series"] = {name: [facts.simulate(name, seeds).indicators(r) for r in range(n_seeds)]
                   for name in ("gorbachev", "gorbachev-shared-responsibility", "ussr-1953-1991")}
    f["granovetter"] = granovetter()
    return f


def granovetter() -> tuple[int, int]:
    """Granovetter's (1978) riot: 100 officials with thresholds 0..99 who see everyone, every
    other mechanism off (tests/test_granovetter.py). Returns (defectors with thresholds 0..99,
    defectors when the threshold-1 official's is 2)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_granovetter import ONLY_PEER_THRESHOLDS

    out = []
    for counts in (list(range(100)), [0, 2, *range(2, 100)]):
        model = CohesionModel("brezhnev", rng=0, **ONLY_PEER_THRESHOLDS)
        for official, k in zip(model.officials, counts):
            official.peer_threshold = k / 99
        model.run_model()
        out.append(sum(o.stance != Stance.OBEYING for o in model.officials))
    return out[0], out[1]


# ------------------------------------------------------------------------------ the text
def figure_fingerprint(f: dict) -> str:
    """A short hash of the medians the figure plots (rounded), so a stale figure shows in the text."""
    h = hashlib.sha256()
    for name, tables in f["series"].items():
        for column in FIGURE_COLUMNS:
            h.update(name.encode() + column.encode())
            h.update(np.round(np.median([t[column].to_numpy() for t in tables], axis=0), 3).tobytes())
    return h.hexdigest()[:12]


def section(f: dict) -> str:
    n, g, r, sr = f["seeds"], f["gorbachev"], f["reforms_cause"], f["shared_responsibility"]
    k, b, a, t = f["khrushchev"], f["brezhnev"], f["whole_arc"], f["tipping_point"]
    s = {name: scenarios.load(name) for name in scenarios.names()}
    order = f["order"]
    sov = "; ".join(f"{code} {y:.2f}" for code, y in order["sovereignty"].dropna().items())
    ind_order = order["independence"].dropna().sort_values() if "independence" in order else pd.Series(dtype=float)
    ind = "; ".join(f"{code} {y:.2f}" for code, y in ind_order.items())
    loops = f["loops_off"]
    lines = [
        f"Every figure below comes from `python scripts/what_the_model_shows.py` (seeds 0-{n - 1} of each "
        f"scenario, USSR world of {f['regions']} regions), which writes this section and its figure; "
        "`tests/test_package_readme.py` fails when they differ from what the model produces now. No "
        "scenario event sets an outcome: the events are the centre's reforms and outside shocks, and every "
        "declaration, every official's stance and the dissolution come from the agents' decisions. The "
        "stylised facts below were calibration targets (docs/ODD.md, 1.2); the comparison with history "
        "that was not a target is in [docs/validation/report.md](docs/validation/report.md).",
        "",
        "![Median trajectories over the seeds: Gorbachev, the same reforms with responsibility shared, "
        "and the whole arc](docs/img/what_the_model_shows.png)",
        "",
        f"- **Late Stalinism ({s['stalin'].years}):** cohesion never falls below {f['stalin']['min_cohesion']:.2f} "
        "in any seed: fear keeps every region obeying.",
        f"- **Gorbachev ({s['gorbachev'].years}):** the union dissolves by the end of 1991 in "
        f"{pct(g['dissolved'])} of seeds (median {year(g['dissolution_median'])}; history: December 1991), "
        f"along republic lines: the first declaration of sovereignty comes at {year(g['first_sovereignty_median'])} "
        f"(median; in 1988-89 in {pct(g['first_sovereignty_1988_89'])} of seeds; history: Estonia, November "
        f"1988), the first of independence at {year(g['first_independence_median'])} (history: Lithuania, "
        f"March 1990), and Lithuania is among the first two to declare independence in "
        f"{pct(g['lithuania_first_two'])} of seeds. The erosion starts in the localities in "
        f"{pct(g['localities_first'])} of seeds (half the regions stop obeying before the centre's authority "
        f"falls below one half), and {pct(g['core_regions_not_alone'])} of the RSFSR's regions end following "
        "their republic or the centre, not themselves alone.",
        f"- **Order of the declarations** (median year over seeds): sovereignty {sov}; independence {ind}.",
        f"- **The reforms cause it:** with the reforms removed (the shocks kept) the union dissolves in "
        f"{pct(r['dissolved_without_reforms'])} of seeds and a republic declares sovereignty in "
        f"{pct(r['declared_without_reforms'])}; with every reform one year later, the first declaration comes "
        f"{r['first_declaration_delay_median']:.2f} years later (median).",
        f"- **The same reforms with responsibility shared** (from 1987 the centre takes on the blame for local "
        f"crises, and answers them from its reserves): the union dissolves in {pct(sr['dissolved'])} of seeds "
        f"and cohesion ends above 0.6 in {pct(sr['cohesive'])} (median {sr['final_cohesion_median']:.2f}); "
        f"the regions keep obeying (final non-obedience median {sr['final_non_obedience_median']:.2f}).",
        f"- **Khrushchev ({s['khrushchev'].years}):** the share of regions not obeying averages {k['before']:.2f} "
        f"in 1953-57, {k['during']:.2f} under the sovnarkhozy (1958-65) and {k['after']:.2f} after the 1965 "
        f"recentralisation; it rises and falls back in {pct(k['rises_and_falls'])} of seeds.",
        f"- **Brezhnev's hidden erosion ({s['brezhnev'].years}):** compliance stays above 0.9 in "
        f"{pct(b['compliant'])} of seeds while, from 1966 to 1985, the officials' mean tenure goes from "
        f"{b['mean_tenure_1966']:.1f} to {b['mean_tenure_1985']:.1f} years, their local networks from "
        f"{b['entrenchment_1966']:.2f} to {b['entrenchment_1985']:.2f}, padded output from "
        f"{b['misreporting_1966']:.1%} to {b['misreporting_1985']:.1%} of output and the unrevealed gap "
        f"between the official picture and life from {b['picture_gap_1966']:.2f} to {b['picture_gap_1985']:.2f}. "
        f"Gorbachev's reforms started from the state the whole arc reaches in 1985 (compliance "
        f"{a['compliance_1985']:.2f}) bring the dissolution sooner than started fresh in "
        f"{pct(a['inherited_sooner'])} of seeds, later in {pct(a['inherited_later'])} (median "
        f"{year(a['inherited_dissolution_median'])} against {year(a['fresh_dissolution_median'])}).",
        f"- **A tipping point** (Brezhnev, scarcity held at 0, 0.05, ..., 1): in {pct(t['tipping_share'])} of "
        f"seeds the share of officials obeying falls by more than one half between two levels at most 0.1 "
        f"apart; averaged over seeds it goes from {t['mean_low']:.2f} at scarcity 0 to {t['mean_high']:.2f} at 1.",
        "- **Which feedback loop the collapse needs** (Gorbachev, one loop off at a time; share of seeds "
        f"dissolved by 1992, median final cohesion): all on {pct(loops['all on'][0])}, {loops['all on'][1]:.2f}; "
        + "; ".join(f"{loop_name(loop)} off {pct(v[0])}, {v[1]:.2f}" for loop, v in loops.items()
                    if loop != "all on") + ".",
        f"- **Granovetter (1978)** with every other mechanism off: of 100 officials with thresholds 0, 1, ..., "
        f"99, {f['granovetter'][0]} stop obeying; raise the threshold-1 official's to 2 and "
        f"{f['granovetter'][1]} {'does' if f['granovetter'][1] == 1 else 'do'}.",
        "- **Knife edges:** each behavioural parameter moved by a fifth, one at a time, is in "
        "[docs/robustness.md](docs/robustness.md), with every setting where a fact fails named.",
        "", f"<!-- figure data: {figure_fingerprint(f)} -->"]
    return "\n".join(lines)


def history_section(summary_csv: Path = VALIDATION) -> str:
    """The README's "Model versus history", read off the validation report's summary table
    (``soviet-cohesion validate --seeds 20 --out docs/validation`` writes it)."""
    table = pd.read_csv(summary_csv, dtype=str).fillna("")
    by = table.set_index("pattern")
    verdicts = table["verdict"].value_counts()

    def names(verdict):
        return ", ".join(f"`{p}`" for p in table.loc[table["verdict"] == verdict, "pattern"]) or "none"

    def row(p, column):
        return by.loc[p, column] if p in by.index else "n/a"

    return "\n".join([
        "From `soviet-cohesion validate --seeds 20 --out docs/validation` (the whole report, with its "
        "figures: [docs/validation/report.md](docs/validation/report.md)). Each historical pattern is "
        "scored over 20 seeds: *reproduced* when at least 75% of seeds match history within the "
        "pattern's tolerance, *partly* from 25%, otherwise it *fails*. In sample: the behavioural "
        "parameters were set by a local search over the stylised facts (`experiments/calibration_search.py`, "
        "docs/ODD.md, 1.2) that also pulled, softly, towards four dates: the first and the last declaration "
        "of sovereignty, the centre's collapse and the dissolution. Out of sample: the first declaration of "
        "independence, the order of the republics, which republic declares first and the output series. "
        "The dates it was pulled towards it still misses (below): they are tied to the facts it must keep.",
        "",
        f"- **Reproduced ({verdicts.get('reproduced', 0)} of {len(table)}):** {names('reproduced')}.",
        f"- **Partly ({verdicts.get('partly', 0)}):** {names('partly')}.",
        f"- **Fails ({verdicts.get('fails', 0)}):** {names('fails')}.",
        f"- **Against the null models:** the order of the sovereignty declarations correlates with history "
        f"at rho {row('sovereignty_order', 'model')} in the model (median over seeds [90% interval]) and "
        f"{row('sovereignty_order', 'static ranking')} in a static ranking of the republics by identity and "
        f"dependence, which has no dynamics at all; for independence, {row('independence_order', 'model')} "
        f"against {row('independence_order', 'static ranking')}. With every feedback loop switched off the "
        f"union never dissolves (`dissolution`: {row('dissolution', 'loops off')}), and the eras before "
        "Gorbachev look as stable as with the loops on: those two patterns do not test the mechanisms.",
        "- **What the model does not claim:** it explores an argument; it is not a reconstruction. Its dates "
        "move by quarters, its regions are a stylised map, several data columns are estimates "
        "(src/soviet_cohesion/data/SOURCES.md), and the stylised facts above were calibration targets. "
        "Where it fails is written out in the report.",
    ])


# ------------------------------------------------------------------------------ the figure
FIGURE_COLUMNS = ("non_obedience", "authority", "sovereign_share", "independent_share", "cohesion")
COLOURS = {"non_obedience": "#E69F00", "authority": "#009E73", "sovereign_share": "#56B4E9",
           "independent_share": "#CC79A7", "cohesion": "#0072B2"}


def draw(f: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    titles = {"gorbachev": "Gorbachev 1985-1991", "gorbachev-shared-responsibility": "the same, responsibility shared",
              "ussr-1953-1991": "the whole arc 1953-1991"}
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), sharey=True, constrained_layout=True)
    for ax, (name, tables) in zip(axes, f["series"].items()):
        years = tables[0]["year"].to_numpy()
        for column in FIGURE_COLUMNS:
            values = np.array([t[column].to_numpy() for t in tables])
            if column == "cohesion":
                ax.fill_between(years, np.quantile(values, 0.1, axis=0), np.quantile(values, 0.9, axis=0),
                                color=COLOURS[column], alpha=0.15, linewidth=0)
            width = 1.6 if column == "cohesion" else 1.2
            ax.plot(years, np.median(values, axis=0), color=COLOURS[column], linewidth=width,
                    label=column.replace("_", " "))
        ax.set_title(titles[name], fontsize=10)
        ax.set_xlabel("year")
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("share (median over seeds)")
    axes[0].legend(loc="center left", fontsize=8)
    fig.suptitle(f"Median over {f['seeds']} seeds; band: 10-90% of cohesion", fontsize=11)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


def phase_diagram(target: Path) -> None:
    """Run the shipped phase_diagram spec (about 4,400 runs) and copy its figure to ``target``."""
    from soviet_cohesion import shipped
    from soviet_cohesion.sweep import analyze, load_spec, run_sweep

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "phase_diagram"
        report = run_sweep(load_spec(shipped.spec_path("phase_diagram")), out, progress=True)
        if not report.complete:
            raise SystemExit("the phase_diagram sweep did not complete; the figure was not changed")
        result = analyze(out)
        made = next(p for p in map(Path, result.files) if p.name == "phase_diagram.png")
        shutil.copyfile(made, target)
    print(f"wrote {target}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=DEFAULT_SEEDS, help="seeds per scenario (default 20)")
    parser.add_argument("--readme", type=Path, default=README, help="the Markdown file to fill (default README.md)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the text is out of date")
    parser.add_argument("--print", action="store_true", help="print the section; change nothing")
    parser.add_argument("--phase-diagram", action="store_true",
                        help="also rerun the shipped phase_diagram sweep and update its figure (minutes)")
    args = parser.parse_args(argv)
    measured = compute(args.seeds)
    text = section(measured)
    if args.print:
        print(text)
        return 0
    old = args.readme.read_text(encoding="utf-8")
    new = fill(fill(old, BLOCK, text, str(args.readme)), HISTORY_BLOCK, history_section(), str(args.readme))
    if args.check:
        if new != old:
            print(f"{args.readme}: the '{BLOCK}' section is out of date; run: python scripts/what_the_model_shows.py",
                  file=sys.stderr)
            return 1
        return 0
    args.readme.write_text(new, encoding="utf-8")
    draw(measured, FIGURE)
    print(f"wrote {args.readme} ({BLOCK}) and {FIGURE}")
    if args.phase_diagram:
        phase_diagram(PHASE_FIGURE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
