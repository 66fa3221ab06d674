"""The data commands: ``validate``, ``describe``, ``export`` and ``datapackage``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coopstats.cli._common import command, writes_into_data
from coopstats.dataset._files import folder_argument

__all__ = ["add_datapackage", "add_describe", "add_export", "add_validate", "run_datapackage",
           "run_describe", "run_export", "run_validate"]

_EXPORT_DESCRIPTION = """\
Write the facts (with derived values) and a codebook, atomically.
  xlsx: one workbook, sheets facts, codebook and indicators
  csv:  the facts, and the codebook in <stem>.codebook.csv
  json: the facts as a JSON array, one object per fact (a missing value is null),
        and the codebook in <stem>.codebook.json the same way;
        read back with pandas.read_json(path) or json.load
  dta:  the facts for Stata 14 or later, each column's meaning as its variable label
        and each category list as value labels, and the codebook in <stem>.codebook.dta;
        read back with pandas.read_stata(path), or haven::read_dta(path) in R
--tables also writes the other tables of the data and the computed ones (the
pairing x budget-year panel, every rate compared, donor effort), each as
coopstats-<table>.<format> with its codebook in a folder (csv: with datapackage.json
for frictionless validate), or as sheets of one xlsx workbook; whole numbers (years)
stay whole in every format (Stata: int).
Spreadsheet formulas are neutralised in xlsx and csv (a leading '). An output that
cannot be written is one line and exit 2, before the data is read."""
_EXPORT_EXAMPLES = """examples:
  coopstats export --format xlsx --out coopstats-facts.xlsx
  coopstats export --format json --out exports/    # exports/coopstats-facts.json
  coopstats export --format dta --out coopstats-facts.dta
  coopstats export --format csv --tables all --out exports/
  coopstats export --format dta --tables panel,rates --out exports/"""


def add_validate(sub) -> None:
    v = command(
        sub, "validate", "check the data: schema, cross-table rules and evidence quotes",
        "Check every table: cells, ids, units, periods and (with --sources) that every quote "
        "is in its article and, once all that is clean, that every figure-like string of "
        "every article is coded or listed in skips.csv (the completeness audit). Prints "
        "every problem, one per line, as path:line: column: reason; exit 1 if there is any.",
        "example:\n  coopstats validate --data-dir data --sources ../shared/seeds")
    v.add_argument("--data-dir", type=folder_argument, default=None,
                   help="data folder to check (default: $COOPSTATS_DATA_DIR, else the data "
                        "shipped with coopstats)")
    v.add_argument("--sources", type=folder_argument, default=None,
                   help="folder of the source articles (default: $COOPSTATS_SOURCES; "
                        "without it quotes are not checked)")


def add_describe(sub) -> None:
    d = command(
        sub, "describe", "print a table's columns, types, units and meanings",
        "Print the columns of a table (or list the tables) from the schema and the codebook.",
        "examples:\n  coopstats describe facts\n  coopstats describe --markdown facts"
        "    # the column table of data/CODEBOOK.md")
    d.add_argument("table", nargs="?", help="articles, places, pairings, indicators, facts, "
                                            "context or cpi (default: list them)")
    d.add_argument("--markdown", action="store_true",
                   help="print the table's columns as the markdown table of data/CODEBOOK.md "
                        "(without a table: the column types and every table)")


def add_export(sub) -> None:
    e = command(sub, "export", "write the tidy facts with a codebook as xlsx, csv, json or "
                 "Stata (dta)",
                 _EXPORT_DESCRIPTION, _EXPORT_EXAMPLES)
    e.add_argument("--format", choices=("xlsx", "csv", "json", "dta"), required=True)  # = FORMATS
    e.add_argument("--out", required=True, metavar="FILE|FOLDER",
                   help="file to write, or a folder (an existing one, or a path ending in /) "
                        "to write coopstats-facts.FORMAT in; a missing folder is created")
    e.add_argument("--tables", default="facts", metavar="T,T,…",
                   help="tables to write, comma-separated, or 'all': the data's (facts, "
                        "articles, pairings, places, indicators, context, finance, "
                        "benchmarks, cpi, gdp_deflator, pairing_starts, reports) and the "
                        "computed panel, "
                        "rates and effort (default: facts); several tables go into a folder "
                        "(or one xlsx workbook)")
    e.add_argument("--data-dir", type=Path, default=None)


def add_datapackage(sub) -> None:
    dp = command(
        sub, "datapackage", "write datapackage.json (Frictionless) from the schema",
        "Generate the Frictionless Data Package descriptor from the same schema the validator "
        "uses.", "example:\n  coopstats datapackage --out datapackage.json")
    dp.add_argument("--out", type=Path, default=Path("datapackage.json"),
                    help="file to write, or a folder to write datapackage.json in "
                         "(default: datapackage.json)")


def run_describe(args: argparse.Namespace) -> int:
    from coopstats.dataset import codebook
    from coopstats.dataset.schema import SCHEMA

    if args.table and args.table not in SCHEMA:
        print(f"coopstats: unknown table {args.table!r}; one of {', '.join(SCHEMA)}",
              file=sys.stderr)
        return 2
    if args.markdown:
        print(codebook.markdown(args.table) if args.table else codebook.markdown_all(), end="")
    else:
        print(codebook.text(args.table) if args.table else codebook.tables_text(), end="")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from coopstats.dataset._atomic import OutputError
    from coopstats.dataset.loaders import DataValidationError
    from coopstats.export import export

    if writes_into_data(Path(args.out), args.data_dir):
        return 2
    from coopstats.export import TABLES

    tables = TABLES if args.tables == "all" else tuple(
        t.strip() for t in args.tables.split(",") if t.strip())
    unknown = [t for t in tables if t not in TABLES]
    if unknown or not tables:
        print(f"coopstats: --tables: unknown table {unknown[0] if unknown else '(none)'!r}; "
              f"one of {', '.join(TABLES)}, or all", file=sys.stderr)
        return 2
    try:
        files = export(args.format, args.out, args.data_dir, tables=tables)
    except OutputError as err:
        print(f"coopstats: {err}", file=sys.stderr)
        return 2
    except DataValidationError as err:
        for p in err.problems:
            print(p)
        return 1
    for f in files:
        print(f"wrote {f}")
    return 0


def run_datapackage(args: argparse.Namespace) -> int:
    import os

    from coopstats import __data_version__
    from coopstats.dataset._atomic import OutputError, write_text
    from coopstats.dataset.datapackage import dumps
    from coopstats.dataset.locations import shipped_data_dir as shipped

    target = args.out / "datapackage.json" if os.path.isdir(args.out) else args.out
    if writes_into_data(target):
        return 2
    out, data_dir = target.resolve(), shipped().resolve()
    if out.parent not in (data_dir.parent, *data_dir.parent.parents):
        # the Frictionless spec forbids absolute paths and '..' in resource paths
        print(f"coopstats: {target}: datapackage.json must be in {data_dir.parent} or a "
              "folder above it, so that its table paths can be relative", file=sys.stderr)
        return 2
    try:
        write_text(target, dumps(data_dir, out.parent, __data_version__))
    except OutputError as err:
        print(f"coopstats: {err}", file=sys.stderr)
        return 2
    print(f"wrote {target}")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    from coopstats.dataset.checks import check
    from coopstats.dataset.locations import resolve_data_dir, sources_dir

    data_dir = resolve_data_dir(args.data_dir)
    sources = sources_dir(args.sources)
    result = check(data_dir, sources)
    for problem in result.problems:
        print(problem)
    n_facts = len(result.rows.get("facts", []))
    if result.problems:
        print(f"{len(result.problems)} problem(s) found", file=sys.stderr)
        return 1
    where = f"quotes checked against {sources}, every figure coded or listed in skips.csv" \
        if sources else "quotes NOT checked (give --sources or set COOPSTATS_SOURCES)"
    n_reports = len(result.rows.get("reports", []))
    print(f"ok: {len(result.rows['articles'])} articles, {n_facts} facts, {n_reports} figures "
          f"of external reports in {data_dir}; {where}")
    return 0
