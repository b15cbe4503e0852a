"""The command line: ``soviet-cohesion COMMAND ...``.

Commands: scenarios, run, describe, dashboard, classroom, specs, sweep, analyze, bench, validate,
calibrate, discover.
Bad input prints one line naming what is wrong and what is allowed, and exits with status 2.
A command's code lives in its own module; this file registers it.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from . import parameters, scenarios, shipped, shipped_commands
from .suggest import did_you_mean


class UsageError(ValueError):
    """Bad command-line input (one line; exit status 2)."""


def _fail(message: str) -> int:
    print(f"soviet-cohesion: error: {message}", file=sys.stderr)
    return 2


# ------------------------------------------------------------------------------ commands
def cmd_describe(args) -> int:
    names = args.params or list(parameters.PARAMETERS)
    for name in names:
        _known_parameter(name, "describe")
    if args.params:
        for name in names:
            p = parameters.PARAMETERS[name]
            print(f"{p.name}  ({p.group})\n  {p.meaning}\n  default: {p.default}\n  allowed: {p.allowed}")
        return 0
    group = None
    for name in names:
        p = parameters.PARAMETERS[name]
        if p.group != group:
            group = p.group
            print(f"\n[{group}]")
        meaning = textwrap.shorten(p.meaning, 78, placeholder="...")
        print(f"  {p.name:24s} default {p.default!s:8s} {p.allowed}\n      {meaning}")
    return 0


def cmd_run(args) -> int:
    from .model import CohesionModel

    overrides = dict(_assignment(a) for a in args.set or [])
    world = args.world
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix not in (".csv", ".parquet"):
        raise UsageError(f"--out {args.out!r}: the file must end in .csv or .parquet")
    model = CohesionModel(args.scenario, rng=args.seed, world=world, steps=args.steps, **overrides)
    model.run_model()
    df = model.indicators()
    if model.skipped_events:
        print(f"held levers: {len(model.skipped_events)} scenario change(s) skipped "
              f"({'; '.join(model.skipped_events[:3])}{'...' if len(model.skipped_events) > 3 else ''})")
    timeline = model.timeline
    title = timeline.title if timeline.years in timeline.title else f"{timeline.title} {timeline.years}"
    print(f"{title} | seed {args.seed} | {model.n_regions} regions | {model.steps} periods")
    cols = ["cohesion", "non_obedience", "authority", "plan_fulfilment", "picture_gap", "sovereign_republics",
            "independent_republics"]
    print(yearly_summary(df)[cols].to_string(float_format=lambda x: f"{x:.2f}"))
    declared = model.declarations()
    if len(declared):
        print("declarations: " + "; ".join(f"{model.period_label(int(d.step))} {d.republic} {d.declaration}"
                                           for d in declared.itertuples()))
    if model.dissolved:
        print(f"the union dissolved in {model.period_label(int(model.sim.dissolution_step[0]))}")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix == ".csv":
            df.to_csv(out)
        else:
            df.to_parquet(out)
        print(f"wrote {len(df)} rows to {out}")
    return 0


def yearly_summary(df):
    """The state at the start of the run and at the end of each calendar year (or the last
    period, if the run stops mid-year), labelled "start YYYY" and "end YYYY"."""
    year = df["year"]
    at_year_end = (year - year.round()).abs() < 1e-9
    keep = at_year_end.copy()
    keep.iloc[0] = keep.iloc[-1] = True
    out = df[keep].copy()
    labels = [f"end {round(y) - 1}" if end else f"mid {int(y)}" for y, end in zip(out["year"], at_year_end[keep])]
    labels[0] = f"start {int(round(out['year'].iloc[0]))}"
    out.index = labels
    out.index.name = "state at"
    return out


def cmd_dashboard(args) -> int:
    from .dashboard_launcher import serve

    return serve(host=args.host, port=args.port)


def cmd_classroom(args) -> int:
    from .classroom_launcher import serve

    return serve(host=args.host, port=args.port, scenario=args.scenario, seed=args.seed, timer=args.timer)


def cmd_sweep(args) -> int:
    from .sweep import cli_sweep

    spec = str(shipped.resolve_spec(args.spec))  # a file, or the name of a shipped spec
    return cli_sweep(spec, out=args.out, workers=args.workers, scheduler=args.scheduler,
                     dry=args.dry_run, allow_mixed=args.allow_mixed_versions, wait_workers=args.wait_workers)


def cmd_analyze(args) -> int:
    from .sweep import cli_analyze

    return cli_analyze(args.directory, out=args.out, allow_mixed=args.allow_mixed_versions, ema=args.ema)


def cmd_bench(args) -> int:
    from .bench import main as bench_main

    return bench_main(args.bench_args)


# ------------------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soviet-cohesion",
        description="Agent-based model of how a centralised state loses control from the local level.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    shipped_commands.add_scenarios_parser(sub)

    p = sub.add_parser("run", help="run one scenario and print a summary by year")
    p.add_argument("--scenario", default="gorbachev",
                   help="scenario name, or the path of a scenario file ending in .toml (default: gorbachev)")
    p.add_argument("--seed", type=_seed, default=1, help="random seed (default: 1)")
    p.add_argument("--steps", type=_whole_number("--steps", 1), default=None,
                   help="periods to run (default: the scenario's span)")
    p.add_argument("--world", choices=["ussr", "synthetic"], default=None,
                   help="world (default: the scenario's)")
    p.add_argument("--set", action="append", metavar="PARAM=VALUE",
                   help="set a parameter (repeatable); see 'describe'")
    p.add_argument("--out", help="write the indicators to a .csv or .parquet file")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("describe", help="list every parameter with meaning, default and range")
    p.add_argument("params", nargs="*", metavar="PARAM", help="only these parameters")
    p.set_defaults(func=cmd_describe)

    p = sub.add_parser("dashboard", help="start the classroom dashboard in the browser")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8765, help="port (default 8765)")
    p.set_defaults(func=cmd_dashboard)

    p = sub.add_parser("classroom", help="a class session: students play the officials, the teacher the centre")
    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0: the school network)")
    p.add_argument("--port", type=_port, default=8766, help="port (default 8766)")
    p.add_argument("--scenario", default="gorbachev", help="scenario name (default: gorbachev)")
    p.add_argument("--seed", type=_seed, default=1, help="random seed (default: 1)")
    p.add_argument("--timer", type=_whole_number("--timer", 0), default=45,
                   help="seconds per quarter: 15, 20, 30, 45, 60, 90 or 120; 0 for no limit (default 45)")
    p.set_defaults(func=cmd_classroom)

    shipped_commands.add_specs_parser(sub)

    p = sub.add_parser("sweep", help="run a parameter sweep: a shipped spec by name, or a spec file")
    p.add_argument("spec", metavar="SPEC",
                   help="a shipped spec's name (see 'soviet-cohesion specs'), e.g. phase_diagram, "
                        "or a specification file, e.g. my_diagram.toml")
    p.add_argument("--out", default=None, help="results folder (default: results/<spec name>)")
    p.add_argument("--workers", type=_whole_number("--workers", 1), default=None,
                   help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="run on an existing Dask distributed cluster")
    p.add_argument("--wait-workers", type=_seconds, default=None, metavar="SECONDS",
                   help="how long a cluster may take to answer with a worker (default 10)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the run count and an estimated time from a short measurement; run nothing")
    p.add_argument("--allow-mixed-versions", action="store_true",
                   help="resume even if the folder's runs were made by other model code or libraries")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("analyze", help="summarise a sweep's results and draw its figures")
    p.add_argument("directory", help="a sweep's results folder")
    p.add_argument("--out", default=None, help="where to write figures (default: DIRECTORY/figures)")
    p.add_argument("--allow-mixed-versions", action="store_true",
                   help="analyse runs made by different model code or library versions together")
    p.add_argument("--ema", default=None, metavar="FILE.tar.gz",
                   help="also export the runs in the EMA Workbench's (experiments, outcomes) form")
    p.set_defaults(func=cmd_analyze)

    from .validation.cli import add_parser as add_validate

    add_validate(sub, _whole_number)
    from .calibration.cli import add_parser as add_calibrate

    add_calibrate(sub, _whole_number)
    from .discovery.cli import add_parser as add_discover

    add_discover(sub, _whole_number)

    p = sub.add_parser("bench", help="speed figures: sweeps, one run, 100,000 regions, memory, reference, workers")
    p.add_argument("bench_args", nargs=argparse.REMAINDER, help="options of the benchmark (--help)")
    p.set_defaults(func=cmd_bench)
    return parser


def _known_parameter(name: str, where: str) -> None:
    """One line with the closest known name when ``name`` is not a parameter."""
    if name not in parameters.PARAMETERS:
        raise UsageError(f"{where}: unknown parameter {name!r}; {did_you_mean(name, parameters.PARAMETERS)}"
                         f"known parameters: {', '.join(parameters.PARAMETERS)}")


def _assignment(text: str):
    """``--set NAME=VALUE``, with "did you mean" for a mistyped name."""
    if "=" in text:
        _known_parameter(text.split("=", 1)[0].strip(), "--set")
    return parameters.parse_assignment(text)


def _whole_number(flag: str, minimum: int):
    """An argparse type: a whole number >= ``minimum``, else one line naming the flag."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{flag} {text!r}: must be a whole number >= {minimum}")
        return value
    return parse


_seed = _whole_number("--seed", 0)


def _seconds(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"--wait-workers {text!r}: must be a number of seconds >= 0")
    return value


def _port(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"--port {text!r}: must be a whole number in [1, 65535]")
    return value


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:  # its options go to the benchmark (argparse's REMAINDER drops --quick etc.)
        from .bench import main as bench_main

        return bench_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)  # argparse itself exits with 2 and one line on bad usage
    try:
        return args.func(args)
    except (UsageError, parameters.ParameterError, scenarios.ScenarioError, shipped.ShippedError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
