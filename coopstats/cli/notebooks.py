"""The report commands: ``notebooks`` (run them, write the report) and ``check-report``
(the report in headless Chromium)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coopstats.cli._common import command, writes_into_data
from coopstats.dataset._files import folder_argument

__all__ = ["add_check_report", "add_notebooks", "run_check_report", "run_notebooks"]


def add_notebooks(sub) -> None:
    nb = command(
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


def add_check_report(sub) -> None:
    cr = command(
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


def run_notebooks(args: argparse.Namespace) -> int:
    from coopstats.dataset.parameters import DefaultParameterError, ParameterError
    from coopstats.report.run import NotebookError, run_all

    cache = args.cache if args.cache is not None else args.out / ".cache"
    if writes_into_data(args.out, args.data_dir) or writes_into_data(cache, args.data_dir):
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


def run_check_report(args: argparse.Namespace) -> int:
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
