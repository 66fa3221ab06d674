"""Command line: ``coopstats validate|extract|agree|notebooks|check-report|describe|export|
datapackage``.

Problems are printed one per line as ``path:line: column: reason``; the exit status is 0 for
clean data, 1 for problems, 2 for a usage error or an output that cannot be written, 130 when
interrupted (Ctrl-C or SIGTERM). Bad data never produces a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coopstats.dataset._files import folder_argument

__all__ = ["main"]

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


def _command(sub, name: str, help: str, description: str, epilog: str):
    return sub.add_parser(name, help=help, description=description, epilog=epilog,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coopstats",
        description="Data on China's East-West cooperation pairings, coded from press articles.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_add_validate, _add_extract, _add_agree, _add_notebooks, _add_check_report,
                _add_describe, _add_export, _add_datapackage):
        add(sub)
    return parser


def _add_validate(sub) -> None:
    v = _command(
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


def _add_extract(sub) -> None:
    x = _command(
        sub, "extract", "draft a facts table from an article: every figure-like string",
        "Find every figure-like string of an article (numbers with their qualifier, "
        "multiplier and classifier; ranges; percentages) and write a draft facts table: raw, "
        "quote (its clause), qualifier, a suggested indicator, status and period, the parsed "
        "value, interval and unit, and skip_reason for what the codebook does not code "
        "(dates, ordinals, durations, names …). When the article's file is listed in the "
        "data folder's articles.csv, its id, fact prefix, year and pairing are filled in. "
        "Edit the draft: move the rows to code into facts/<article_id>.csv (without the "
        "last five columns) and what you deliberately leave out into skips.csv.",
        "examples:\n  coopstats extract my-articles/005_new.txt --out draft.csv\n"
        "  coopstats extract 005_new.txt --data-dir my-data --year 2025")
    x.add_argument("article", type=Path, help="the article's text file (UTF-8)")
    x.add_argument("--out", type=Path, default=None,
                   help="CSV file to write (default: print it)")
    x.add_argument("--data-dir", type=folder_argument, default=None,
                   help="data folder whose indicators and articles.csv to use (default: "
                        "$COOPSTATS_DATA_DIR, else the data shipped with coopstats)")
    x.add_argument("--year", type=int, default=None,
                   help="the article's year, for relative period words (default: its "
                        "pub_date in articles.csv)")


def _add_agree(sub) -> None:
    a = _command(
        sub, "agree", "compare two codings of the same articles: Krippendorff's alpha per field",
        "Match the facts of two codings (two data folders) by article and raw text, list the "
        "figures only one coder found, and report Krippendorff's alpha (nominal) per coded "
        "field over the matched figures, with how many agree, and the matched figures that "
        "differ. Exit 0 with the report.",
        "examples:\n  coopstats agree coder-a coder-b\n"
        "  coopstats agree coder-a coder-b --format csv > alpha.csv")
    a.add_argument("coding_a", type=folder_argument, help="the first coding (a data folder)")
    a.add_argument("coding_b", type=folder_argument, help="the second coding")
    a.add_argument("--format", choices=("text", "csv"), default="text",
                   help="text: the report (default); csv: one row per field")


def _add_notebooks(sub) -> None:
    nb = _command(
        sub, "notebooks", "execute every notebook in a fresh kernel and write the HTML report",
        "Execute notebooks/NN_*.ipynb top to bottom, headless, each in a fresh kernel, and "
        "write the executed notebooks, one HTML page each, index.html and every figure (PNG; "
        "SVG/PDF with --figure-formats) under --out. A notebook whose source, parameters, "
        "data, library code and installed libraries are unchanged since it last ran is "
        "copied from the cache (--cache) instead; --force runs it again.",
        "examples:\n  coopstats notebooks --out build -j 2 -p base_year=2020\n"
        "  coopstats notebooks --force    # run every notebook, whatever the cache has\n"
        "  coopstats notebooks --notebooks notebooks/06_adapt_it.ipynb "
        "--out build/dingxi -p pairing_id=qingdao_dingxi\n"
        "  coopstats notebooks --data-dir ../mydata --sources ../mysources --out build-mine")
    nb.add_argument("--notebooks", type=Path, default=Path("notebooks"),
                    help="folder of the numbered notebooks, or one .ipynb file "
                         "(default: notebooks)")
    nb.add_argument("--out", type=Path, default=Path("build"),
                    help="output folder (default: build)")
    nb.add_argument("-j", "--jobs", type=int, default=2,
                    help="notebooks to run at once (default: 2)")
    nb.add_argument("--figure-formats", type=_figure_formats, default=("png",),
                    metavar="FORMATS",
                    help="files written per figure, comma separated: png (always), svg, pdf "
                         "(default: png; e.g. --figure-formats png,svg,pdf for print)")
    nb.add_argument("--force", action="store_true",
                    help="run every notebook, even those the cache has (and store the new "
                         "runs)")
    nb.add_argument("--cache", type=Path, default=None, metavar="DIR",
                    help="the notebook cache: a notebook whose source, parameters, data, "
                         "library code and libraries are unchanged is copied from it "
                         "instead of run (default: OUT/.cache)")
    nb.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                    help="a value for the parameter NAME of every notebook that declares it "
                         "in its parameters cell (repeatable); checked, with each "
                         "notebook's own defaults, against the data before any notebook "
                         "runs, e.g. -p pairing_id=qingdao_dingxi -p base_year=2020")
    nb.add_argument("--data-dir", type=folder_argument, default=None,
                    help="run the notebooks on this copy of the data (sets "
                         "$COOPSTATS_DATA_DIR for their kernels; default: $COOPSTATS_DATA_DIR, "
                         "else the data shipped with coopstats)")
    nb.add_argument("--sources", type=folder_argument, default=None,
                    help="folder of the source articles for the notebooks (sets "
                         "$COOPSTATS_SOURCES for their kernels)")


def _add_check_report(sub) -> None:
    cr = _command(
        sub, "check-report", "open the HTML report in headless Chromium and list what is broken",
        "Serve the report folder on a loopback port, open index.html and every page it links "
        "in headless Chromium (Debian's chromium, driven by Playwright), and print one line "
        "per page that does not load, image that does not display, failed or off-machine "
        "request, or script error. Writes screenshots/ into the folder for review. Exit 0 "
        "clean, 1 problems, 2 no browser (0 with --optional).",
        "example:\n  coopstats check-report build")
    cr.add_argument("out", nargs="?", type=Path, default=Path("build"),
                    help="report folder (default: build)")
    cr.add_argument("--optional", action="store_true",
                    help="without Chromium or Playwright, print a note and exit 0")


def _add_describe(sub) -> None:
    d = _command(
        sub, "describe", "print a table's columns, types, units and meanings",
        "Print the columns of a table (or list the tables) from the schema and the codebook.",
        "examples:\n  coopstats describe facts\n  coopstats describe --markdown facts"
        "    # the column table of data/CODEBOOK.md")
    d.add_argument("table", nargs="?", help="articles, places, pairings, indicators, facts, "
                                            "context or cpi (default: list them)")
    d.add_argument("--markdown", action="store_true",
                   help="print the table's columns as the markdown table of data/CODEBOOK.md "
                        "(without a table: the column types and every table)")


def _add_export(sub) -> None:
    e = _command(sub, "export", "write the tidy facts with a codebook as xlsx, csv, json or "
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


def _add_datapackage(sub) -> None:
    dp = _command(
        sub, "datapackage", "write datapackage.json (Frictionless) from the schema",
        "Generate the Frictionless Data Package descriptor from the same schema the validator "
        "uses.", "example:\n  coopstats datapackage --out datapackage.json")
    dp.add_argument("--out", type=Path, default=Path("datapackage.json"),
                    help="file to write, or a folder to write datapackage.json in "
                         "(default: datapackage.json)")


def _describe(args: argparse.Namespace) -> int:
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


def _writes_into_data(out: Path, data_dir: Path | None = None) -> bool:
    """Print an error and return True when ``out`` is inside a data folder: no command
    rewrites the data."""
    from coopstats.dataset._atomic import refuse_data_dir
    from coopstats.dataset.locations import data_dir as default_data
    from coopstats.dataset.locations import shipped_data_dir

    reason = refuse_data_dir(out, shipped_data_dir(), default_data(), data_dir)
    if reason:
        print(f"coopstats: {reason}", file=sys.stderr)
    return reason is not None


def _export(args: argparse.Namespace) -> int:
    from coopstats.dataset._atomic import OutputError
    from coopstats.dataset.loaders import DataValidationError
    from coopstats.export import export

    if _writes_into_data(Path(args.out), args.data_dir):
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


def _datapackage(args: argparse.Namespace) -> int:
    import os

    from coopstats import __data_version__
    from coopstats.dataset._atomic import OutputError, write_text
    from coopstats.dataset.datapackage import dumps
    from coopstats.dataset.locations import shipped_data_dir as shipped

    target = args.out / "datapackage.json" if os.path.isdir(args.out) else args.out
    if _writes_into_data(target):
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


def _figure_formats(text: str) -> tuple[str, ...]:
    from coopstats.figures._figure_files import parse_formats

    try:
        return parse_formats(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


class _UsageError(Exception):
    """A bad command line: one line, exit 2."""


def _parameters(items: list[str]) -> dict[str, object]:
    """``-p NAME=VALUE`` options → name: value. A VALUE that reads as a Python literal is
    that literal (``2020``, ``'x'``, ``[1, 2]``, ``None``), any other text is a string; only
    str, int, float, bool and None, and lists and dicts of them, are accepted (no bytes,
    sets or other objects: the value is written into the notebook with ``repr``)."""
    import ast
    import keyword

    from coopstats.dataset.parameters import ParameterError, literal

    values: dict[str, object] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.isidentifier() or keyword.iskeyword(name):
            raise _UsageError(f"-p expects NAME=VALUE with a Python name, got {item!r}")
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):  # plain text, e.g. -p pairing_id=qingdao_dingxi
            value = text
        except (MemoryError, RecursionError):
            raise _UsageError(f"-p {name}: the value is nested too deeply") from None
        try:
            values[name] = literal(name, value)
        except ParameterError as err:
            raise _UsageError(f"-p {err}") from None
    return values


def _data_problems(data_dir: Path | None) -> bool:
    """Print the problems of a data folder the notebooks are pointed at (they would stop at
    their first cell with them) and return True when there are any."""
    from coopstats.dataset.checks import check

    if data_dir is None:
        return False
    problems = check(data_dir, None).problems
    for problem in problems:
        print(problem)
    if problems:
        print(f"coopstats: the data in {data_dir} do not validate ({len(problems)} problem(s)); "
              "no notebook was run", file=sys.stderr)
    return bool(problems)


def _notebooks(args: argparse.Namespace) -> int:
    from coopstats.dataset.parameters import DefaultParameterError, ParameterError
    from coopstats.report.run import NotebookError, run_all

    cache = args.cache if args.cache is not None else args.out / ".cache"
    if _writes_into_data(args.out, args.data_dir) or _writes_into_data(cache, args.data_dir):
        return 2
    if _data_problems(args.data_dir):
        return 1
    try:
        values = _parameters(args.parameter)
        run_all(args.notebooks, args.out, jobs=args.jobs, parameters=values,
                figure_formats=args.figure_formats, cache=cache, force=args.force,
                progress=lambda msg: print(msg, flush=True), data_dir=args.data_dir,
                sources=args.sources)
    except _UsageError as err:  # the command line and the parameters are checked before
        print(f"coopstats: {err}", file=sys.stderr)  # anything is written
        return 2
    except DefaultParameterError as err:  # names its notebook
        print(f"coopstats: {err}", file=sys.stderr)
        return 2
    except ParameterError as err:
        print(f"coopstats: -p {err}", file=sys.stderr)
        return 2
    except NotebookError as err:
        print(f"coopstats: notebook failed: {err}", file=sys.stderr)
        return 1
    return 0


def _check_report(args: argparse.Namespace) -> int:
    from coopstats.dataset._atomic import OutputError
    from coopstats.report.check import BrowserUnavailable, check_report

    try:
        result = check_report(args.out,
                              progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    except OutputError as err:  # e.g. screenshots into a data folder
        print(f"coopstats: {err}", file=sys.stderr)
        return 2
    except BrowserUnavailable as err:
        print(f"coopstats: {'note: report not checked' if args.optional else 'error'}: {err}",
              file=sys.stderr)
        return 0 if args.optional else 2
    except FileNotFoundError as err:
        print(f"coopstats: {err}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s) in the report", file=sys.stderr)
        return 1
    print(f"report ok in Chromium: {len(result.pages)} pages, "
          f"{sum(result.images.values())} images; screenshots in {args.out / 'screenshots'}")
    return 0


def _extract(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from coopstats.coding.extract import Vocabulary, _read_rows, article_info, draft_csv, draft_rows
    from coopstats.dataset._atomic import OutputError, write_text
    from coopstats.dataset._files import Unreadable, read_file
    from coopstats.dataset.locations import resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    if args.out is not None and _writes_into_data(args.out, data_dir):
        return 2
    try:
        text = read_file(args.article, args.article.parent).decode("utf-8-sig")
    except Unreadable as err:
        print(f"coopstats: {args.article}: {err.reason}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as err:
        print(f"coopstats: {args.article}: not valid UTF-8 at byte {err.start}; save the "
              "article as UTF-8", file=sys.stderr)
        return 2
    info = article_info(data_dir, args.article.name)
    if args.year is not None:
        info = replace(info, year=args.year)
    rows = draft_rows(text, vocabulary=Vocabulary.of(_read_rows(data_dir / "indicators.csv")),
                      year=info.year, pairing_start=info.pairing_start,
                      article_id=info.article_id, prefix=info.prefix,
                      pairing_id=info.pairing_id)
    csv_text = draft_csv(rows)
    try:
        write_text(args.out, csv_text) if args.out else sys.stdout.write(csv_text)
    except OutputError as err:
        print(f"coopstats: {err}", file=sys.stderr)
        return 2
    skipped = sum(1 for r in rows if r["skip_reason"])
    print(f"{len(rows)} figure-like strings: {len(rows) - skipped} to code or list in "
          f"skips.csv, {skipped} not coded by the codebook (skip_reason)"
          + (f"; wrote {args.out}" if args.out else ""), file=sys.stderr)
    return 0


def _agree(args: argparse.Namespace) -> int:
    from coopstats.coding.agree import compare, read_coding, report_csv, report_text

    try:
        a, b = read_coding(args.coding_a), read_coding(args.coding_b)
    except ValueError as err:
        print(f"coopstats: {err}", file=sys.stderr)
        return 2
    result = compare(a, b)
    print(report_csv(result) if args.format == "csv" else
          report_text(result, str(args.coding_a), str(args.coding_b)), end="")
    return 0


def _validate(args: argparse.Namespace) -> int:
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
        commands = {"notebooks": _notebooks, "validate": _validate, "extract": _extract,
                    "agree": _agree,
                    "describe": _describe, "export": _export, "datapackage": _datapackage,
                    "check-report": _check_report}
        try:
            return commands[args.command](args)
        except KeyboardInterrupt as err:
            how = " (SIGTERM)" if isinstance(err, Terminated) else ""
            print(f"coopstats: interrupted{how}", file=sys.stderr)
            return 130
        except Exception as err:
            print(f"coopstats: internal error: {type(err).__name__}: {err} "
                  "(please report this with the command you ran)", file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main())
