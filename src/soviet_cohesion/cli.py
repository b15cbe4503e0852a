"""The command line: ``soviet-cohesion COMMAND ...``.

Commands: scenarios, run, describe, dashboard, sweep, analyze, bench.
Bad input prints one line naming what is wrong and what is allowed, and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from . import parameters, scenarios


class UsageError(ValueError):
    """Bad command-line input (one line; exit status 2)."""


def _fail(message: str) -> int:
    print(f"soviet-cohesion: error: {message}", file=sys.stderr)
    return 2


# ------------------------------------------------------------------------------ commands
def cmd_scenarios(args) -> int:
    for name in scenarios.names():
        s = scenarios.load(name)
        print(f"{name:34s} {s.start:g}-{s.end - 1 if s.end == int(s.end) else s.end:g}  {s.summary}")
    return 0


def cmd_describe(args) -> int:
    names = args.params or list(parameters.PARAMETERS)
    for name in names:
        parameters.get(name)  # unknown name -> ParameterError
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
        print(f"  {p.name:24s} default {str(p.default):8s} {p.allowed}\n      {meaning}")
    return 0


def cmd_run(args) -> int:
    from .model import CohesionModel

    overrides = dict(parameters.parse_assignment(a) for a in args.set or [])
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
    print(f"{model.timeline.title} | seed {args.seed} | {model.n_regions} regions | {model.steps} periods")
    cols = ["cohesion", "compliance", "plan_fulfilment", "authority", "reserves", "autonomous_regions"]
    print(yearly_summary(df)[cols].to_string(float_format=lambda x: f"{x:.2f}"))
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


def cmd_sweep(args) -> int:
    from .sweep import cli_sweep

    return cli_sweep(args.spec, out=args.out, workers=args.workers, scheduler=args.scheduler)


def cmd_analyze(args) -> int:
    from .sweep import cli_analyze

    return cli_analyze(args.directory, out=args.out)


def cmd_bench(args) -> int:
    from .bench import main as bench_main

    return bench_main(args.bench_args)


# ------------------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soviet-cohesion",
        description="Agent-based model of how a centralised state loses control from the local level.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("scenarios", help="list the scenarios with one-line descriptions")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("run", help="run one scenario and print a summary by year")
    p.add_argument("--scenario", default="gorbachev", help="scenario name (default: gorbachev)")
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

    p = sub.add_parser("sweep", help="run a parameter sweep from a TOML specification")
    p.add_argument("spec", help="sweep specification (.toml), e.g. experiments/phase_diagram.toml")
    p.add_argument("--out", default=None, help="results folder (default: results/<spec name>)")
    p.add_argument("--workers", type=_whole_number("--workers", 1), default=None,
                   help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="run on an existing Dask distributed cluster")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("analyze", help="summarise a sweep's results and draw its figures")
    p.add_argument("directory", help="a sweep's results folder")
    p.add_argument("--out", default=None, help="where to write figures (default: DIRECTORY/figures)")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("bench", help="measure the model's speed against the per-agent reference")
    p.add_argument("bench_args", nargs=argparse.REMAINDER, help="options of the benchmark (--help)")
    p.set_defaults(func=cmd_bench)
    return parser


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
    except (UsageError, parameters.ParameterError, scenarios.ScenarioError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
