"""The commands ``soviet-cohesion specs`` and ``soviet-cohesion scenarios``: list what ships with
the package, copy a shipped file to start one's own, and check a scenario file.

    soviet-cohesion specs                                   # the sweep specifications, one line each
    soviet-cohesion specs copy phase_diagram my_diagram.toml
    soviet-cohesion scenarios                               # the scenarios, one line each
    soviet-cohesion scenarios copy gorbachev my_scenario.toml
    soviet-cohesion scenarios --check my_scenario.toml      # valid? one line per file
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import parameters, scenarios, shipped


# ------------------------------------------------------------------------------ specs
def add_specs_parser(sub) -> None:
    p = sub.add_parser("specs", help="list the shipped sweep specifications, or copy one to start your own",
                       description="List the shipped sweep specifications (run one with "
                                   "'soviet-cohesion sweep NAME'), or copy one to edit.")
    p.set_defaults(func=cmd_specs, action=None)
    actions = p.add_subparsers(dest="action", metavar="[copy]")
    c = actions.add_parser("copy", help="copy a shipped spec to edit it",
                           description="Copy a shipped specification to DEST (a .toml file name or a "
                                       "folder; default: the working directory). Never overwrites.")
    c.add_argument("name", metavar="NAME", help="a shipped spec (see 'soviet-cohesion specs')")
    c.add_argument("dest", metavar="DEST", nargs="?", default=None, help="file (.toml) or folder")


def cmd_specs(args) -> int:
    if args.action == "copy":
        target = shipped.copy_shipped("spec", args.name, args.dest)
        print(f"wrote {target} (a copy of the shipped spec {args.name}); edit it, then run it with: "
              f"soviet-cohesion sweep {target}")
        return 0
    summaries = [shipped.spec_summary(name) for name in shipped.spec_names()]
    width = max(len(s.name) for s in summaries)
    for s in summaries:
        runs = f"{s.runs:,} runs" if s.runs is not None else "(invalid)"
        print(f"{s.name:{width}s}  {runs:>12s}  {s.description}")
    return 0


# ------------------------------------------------------------------------------ scenarios
def add_scenarios_parser(sub) -> None:
    p = sub.add_parser("scenarios", help="list the scenarios, check a scenario file, or copy one",
                       description="List the shipped scenarios (years covered, first to last), "
                                   "check scenario files (--check), or copy a shipped scenario to edit.")
    p.add_argument("--check", nargs="+", metavar="FILE", default=None,
                   help="validate scenario files: one line per file; exit status 2 if any is invalid")
    p.set_defaults(func=cmd_scenarios, action=None)
    actions = p.add_subparsers(dest="action", metavar="[copy]")
    c = actions.add_parser("copy", help="copy a shipped scenario to edit it",
                           description="Copy a shipped scenario to DEST (a .toml file name or a folder; "
                                       "default: the working directory). Never overwrites.")
    c.add_argument("name", metavar="NAME", help="a shipped scenario (see 'soviet-cohesion scenarios')")
    c.add_argument("dest", metavar="DEST", nargs="?", default=None, help="file (.toml) or folder")


def cmd_scenarios(args) -> int:
    if args.action == "copy":
        target = shipped.copy_shipped("scenario", args.name, args.dest)
        print(f"wrote {target} (a copy of the scenario {args.name}); edit it, check it with "
              f"'soviet-cohesion scenarios --check {target}', run it with "
              f"'soviet-cohesion run --scenario {target}'")
        return 0
    if args.check:
        return check_files(args.check)
    listed = [scenarios.load(name) for name in scenarios.names()]
    width = max(len(s.name) for s in listed)
    for s in listed:
        print(f"{s.name:{width}s}  {s.years:9s}  {s.summary}")
    return 0


def describe_scenario(s: scenarios.Scenario) -> str:
    """One line: what a scenario file holds."""
    per_year = int(s.parameters.get("steps_per_year", parameters.PARAMETERS["steps_per_year"].default))
    steps = s.steps(per_year)
    events = len(s.events)
    return (f"scenario {s.name!r} ({s.title}): {s.years}, {steps} periods, world {s.world}, "
            f"doctrine {s.doctrine}, {events} event{'s' if events != 1 else ''}")


def check_files(files: list[str]) -> int:
    """Validate each file; print one line per file (errors on stderr); 2 if any is invalid."""
    status = 0
    for name in files:
        path = Path(name)
        try:
            if not path.is_file():
                raise scenarios.ScenarioError(f"{name}: no such scenario file")
            s = scenarios.load_file(path)
        except scenarios.ScenarioError as exc:
            print(f"soviet-cohesion: error: {exc}", file=sys.stderr)
            status = 2
            continue
        print(f"{name}: valid {describe_scenario(s)}")
    return status
