"""Command line: ``coopstats validate|extract|agree|notebooks|check-report|describe|export|
datapackage``.

Problems are printed one per line as ``path:line: column: reason``; the exit status is 0 for
clean data, 1 for problems, 2 for a usage error or an output that cannot be written, 130 when
interrupted (Ctrl-C or SIGTERM). Bad data never produces a traceback.
"""

from __future__ import annotations

import argparse
import sys

from coopstats.cli import coding, data, notebooks

__all__ = ["COMMANDS", "main"]

_EXAMPLES = """examples:
  coopstats validate --sources ../shared/seeds
  coopstats validate --data-dir my-data --sources my-articles
  coopstats extract my-articles/005_new.txt --data-dir my-data --out draft.csv
  coopstats agree coder-a coder-b --format csv
  coopstats notebooks --out build -j 2
  coopstats notebooks -p base_year=2020
  coopstats notebooks --figure-formats png,svg,pdf
  coopstats check-report build
  coopstats describe facts
  coopstats export --format xlsx --out coopstats-facts.xlsx
  coopstats datapackage --out datapackage.json
"""

#: each command: how its options are added to the parser, and what runs it (in the order
#: ``coopstats --help`` lists them)
COMMANDS = {
    "validate": (data.add_validate, data.run_validate),
    "extract": (coding.add_extract, coding.run_extract),
    "agree": (coding.add_agree, coding.run_agree),
    "notebooks": (notebooks.add_notebooks, notebooks.run_notebooks),
    "check-report": (notebooks.add_check_report, notebooks.run_check_report),
    "describe": (data.add_describe, data.run_describe),
    "export": (data.add_export, data.run_export),
    "datapackage": (data.add_datapackage, data.run_datapackage),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coopstats",
        description="Data on China's East-West cooperation pairings, coded from press articles.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add, _ in COMMANDS.values():
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``coopstats`` command.

    Exit status: 0 ok, 1 problems (also when the reader of the output stops early, as
    ``| head`` does), 2 usage error or an output that cannot be written, 130 interrupted by
    Ctrl-C or SIGTERM (temporary files removed).
    """
    from coopstats._console import Terminated, console

    with console():
        parser = _parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        try:
            return COMMANDS[args.command][1](args)
        except KeyboardInterrupt as err:
            how = " (SIGTERM)" if isinstance(err, Terminated) else ""
            print(f"coopstats: interrupted{how}", file=sys.stderr)
            return 130
        except Exception as err:
            print(f"coopstats: internal error: {type(err).__name__}: {err} "
                  "(please report this with the command you ran)", file=sys.stderr)
            return 2
