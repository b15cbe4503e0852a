"""Write the generated parts of the documents from the code: the parameter table (from the
registry ``soviet_cohesion.parameters.PARAMETERS``), the scenario descriptions and table (from
the scenario files) and the table of shipped sweep specifications (from ``experiments/*.toml``).

    python scripts/update_generated_docs.py            # README.md and every docs/*.md
    python scripts/update_generated_docs.py FILE.md    # any Markdown file with generated blocks
    python scripts/update_generated_docs.py --check    # exit 1 if a file is out of date

A block is the text between ``<!-- BEGIN GENERATED: NAME -->`` and ``<!-- END GENERATED: NAME -->``
(see ``generated_blocks.py``); the blocks this script writes:

* ``parameters``: every parameter with its group, default, allowed values and meaning;
* ``scenarios``: each shipped scenario in chronological order: span, starting values, events;
* ``scenario-table``: one row per scenario: name, years covered, summary;
* ``spec-table``: one row per shipped sweep specification: name, description, runs;
* ``cli-help``: the ``--help`` of every command of ``soviet-cohesion``;
* ``doctrines``: the centre's doctrines a scenario can start from (``agents/centre.toml``);
* ``event-parameters``: the parameters a scenario's events may change.

``what-the-model-shows`` and ``model-versus-history`` (README) are written by
``what_the_model_shows.py`` (it runs the model and reads the validation report).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generated_blocks import BlockError, update  # noqa: E402

from soviet_cohesion import archetypes, parameters, scenarios, shipped  # noqa: E402

#: blocks other scripts write
ELSEWHERE = ("what-the-model-shows", "model-versus-history")
PERIODS = {1: "yearly", 2: "half-yearly", 4: "quarterly", 12: "monthly"}


def value(v) -> str:
    """A parameter value as the scenario files write it."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, str):
        return f'"{v}"'
    return str(v)


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


# ------------------------------------------------------------------------------ parameters
def parameter_table() -> str:
    rows = ["| Name | Group | Default | Allowed | Meaning | Source |", "|---|---|---|---|---|---|"]
    for p in parameters.PARAMETERS.values():
        rows.append(f"| `{p.name}` | {p.group} | {value(p.default)} | {p.allowed} | {cell(p.meaning)} "
                    f"| {cell(p.source or '-')} |")
    return "\n".join(rows)


# ------------------------------------------------------------------------------ scenarios
def _assignments(changes: dict) -> str:
    return ", ".join(f"`{k}` = {value(v)}" for k, v in changes.items())


def _moves(e) -> str:
    over = f" (phased in over {e.over:g} years)" if e.over else ""
    return ", ".join(f"`{k}`" for k in e.changes) + over


def scenario_sections() -> str:
    """Each shipped scenario: its span, world, doctrine and starting values, and every event with
    its kind (a reform the centre chose, or a shock) and the parameters it moves."""
    out = []
    for name in scenarios.names():
        s = scenarios.load(name)
        own = f"; its own starting values: {', '.join(f'`{k}`' for k in s.parameters)}" if s.parameters else ""
        out += [f"### `{s.name}`: {s.title}", "", s.summary, "",
                f"Span {s.start:g} to {s.end:g} (end excluded); world `{s.world}`; doctrine `{s.doctrine}`{own}.", ""]
        if not s.events:
            out += ["No events.", ""]
            continue
        out += ["| date | kind | event | moves |", "|---|---|---|---|"]
        out += [f"| {e.year:g} | {e.kind} | {cell(e.label)} | {_moves(e)} |" for e in s.events]
        out.append("")
    return "\n".join(out)


def scenario_table() -> str:
    rows = ["| name | years | what it shows |", "|---|---|---|"]
    for name in scenarios.names():
        s = scenarios.load(name)
        rows.append(f"| `{s.name}` | {s.years} | {cell(s.summary)} |")
    return "\n".join(rows)


# ------------------------------------------------------------------------------ sweep specs
def spec_table() -> str:
    rows = ["| spec | what it asks | runs |", "|---|---|---:|"]
    for name in shipped.spec_names():
        s = shipped.spec_summary(name)
        rows.append(f"| `{s.name}` | {cell(s.description)} | {'' if s.runs is None else f'{s.runs:,}'} |")
    return "\n".join(rows)


# ------------------------------------------------------------------------------ the command line
def _subcommands(parser: argparse.ArgumentParser, prefix: str):
    """(name, parser) of every subcommand, depth first, in the order of the help."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"{prefix} {name}", sub
                yield from _subcommands(sub, f"{prefix} {name}")


def cli_help() -> str:
    from soviet_cohesion import bench, cli

    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: fix the width
    out = []
    for name, sub in _subcommands(cli.build_parser(), "soviet-cohesion"):
        if name == "soviet-cohesion bench":
            sub = bench.build_parser()  # its options go straight to the benchmark
        out += [f"### `{name}`", "", "```text", sub.format_help().rstrip(), "```", ""]
    return "\n".join(out)


# ------------------------------------------------------------------------------ scenario format
def doctrine_table() -> str:
    rows = ["| doctrine | what it is | sets |", "|---|---|---|"]
    for name, values in archetypes.load_doctrines().items():
        sets = ", ".join(f"`{k}` = {value(v)}" for k, v in values.items() if k != "description")
        rows.append(f"| `{name}` | {cell(values.get('description', ''))} | {sets} |")
    return "\n".join(rows)


def event_parameters() -> str:
    groups: dict[str, list[str]] = {}
    for name in parameters.DYNAMIC:
        groups.setdefault(parameters.PARAMETERS[name].group, []).append(f"`{name}`")
    return "\n".join(f"- {group}: {', '.join(names)}" for group, names in groups.items())


MAKERS = {
    "parameters": parameter_table,
    "scenarios": scenario_sections,
    "scenario-table": scenario_table,
    "spec-table": spec_table,
    "cli-help": cli_help,
    "doctrines": doctrine_table,
    "event-parameters": event_parameters,
}


def default_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="Markdown files (default: README.md, docs/*.md)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is out of date")
    args = parser.parse_args(argv)
    stale = []
    try:
        for path in args.files or default_files():
            if update(path, MAKERS, check=args.check, elsewhere=ELSEWHERE):
                stale.append(path)
    except (BlockError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in stale:
        print(f"{path}: {'out of date' if args.check else 'updated'}")
    if args.check and stale:
        print("run: python scripts/update_generated_docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
