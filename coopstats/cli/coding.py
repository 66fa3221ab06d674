"""The coding commands: ``extract`` (a draft facts table from an article) and ``agree``
(two codings compared)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coopstats.cli._common import command, writes_into_data
from coopstats.dataset._files import folder_argument

__all__ = ["add_agree", "add_extract", "run_agree", "run_extract"]


def add_extract(sub) -> None:
    x = command(
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


def add_agree(sub) -> None:
    a = command(
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


def run_extract(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from coopstats.coding.extract import Vocabulary, _read_rows, article_info, draft_csv, draft_rows
    from coopstats.dataset._atomic import OutputError, write_text
    from coopstats.dataset._files import Unreadable, read_file
    from coopstats.dataset.locations import resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    if args.out is not None and writes_into_data(args.out, data_dir):
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


def run_agree(args: argparse.Namespace) -> int:
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
