"""Rules between rows and tables: unique ids, references, and each table's own rules.

Each rule skips a cell already reported (:meth:`Checked.flagged`), so one bad cell gives
one line, not a cascade.
"""

from __future__ import annotations

import datetime
import math
from itertools import pairwise
from pathlib import Path

from coopstats.dataset import evidence
from coopstats.dataset._files import Unreadable
from coopstats.dataset._text import quoted
from coopstats.dataset.checks.result import Checked, Row, display
from coopstats.dataset.numerals import FigureParseError, parse_figure
from coopstats.dataset.schema import CONTEXT_UNITS, LIST_SEPARATOR, SCHEMA, YEAR_RANGE, Table

__all__ = ["check_articles", "check_context", "check_facts_files", "check_indicators",
           "check_pairings", "check_places", "check_references", "check_renamed_article",
           "check_unique", "source_texts", "without_taken_prefix"]


#: what a duplicate in these columns means, said after the line
_UNIQUE_HINTS = {"fact_prefix": "; each article needs a prefix of its own: its fact ids "
                                "start with it"}


def check_unique(table: Table, rows: list[Row], out: Checked) -> None:
    for col in table.columns:
        if not col.unique:
            continue
        first: dict[str, Row] = {}
        for row in rows:
            value = row[col.name]
            if value == "" or out.flagged(row, col.name):
                continue
            if value in first:
                prev = first[value]
                out.add(row, col.name, f"duplicate id {quoted(value)} (first at "
                                       f"{prev.display}:{prev.line})" + _UNIQUE_HINTS.get(
                                           col.name, ""))
            else:
                first[value] = row


def without_taken_prefix(out: Checked, facts: list[Row]) -> list[Row]:
    """The fact rows, less those of articles whose ``fact_prefix`` repeats an earlier
    article's (said once, on the later article's row): their ids repeat the other article's,
    and one line per id would blame the other, older file."""
    taken = {r["article_id"] for r in out.rows["articles"] if out.flagged(r, "fact_prefix")}
    return [r for r in facts if r["article_id"] not in taken] if taken else facts


def check_renamed_article(out: Checked, facts_files: dict[str, Path]) -> None:
    """An article without a facts file while one facts file belongs to no article and names
    no known article: one misspelt id, said once on the article's row (references to the
    articles are then not checked: they may be to either spelling)."""
    if "facts" in out.unreadable:
        return
    ids = {r["article_id"] for r in out.rows["articles"]}
    named: dict[str, set[str]] = {}
    for row in out.rows["facts"]:
        named.setdefault(Path(row.display).stem, set()).add(row["article_id"])
    orphans = [stem for stem in facts_files
               if stem not in ids and not named.get(stem, set()) & ids]
    lacking = [r for r in out.rows["articles"] if r["article_id"] not in facts_files
               and not out.flagged(r, "article_id")]
    if len(orphans) != 1 or len(lacking) != 1:
        return
    row, stem = lacking[0], orphans[0]
    out.add(row, "article_id", f"no facts file facts/{row['article_id']}.csv, and "
                               f"facts/{stem}.csv belongs to no article (its rows name "
                               f"{', '.join(map(repr, sorted(named.get(stem, ()))))}): one of "
                               "the two ids is misspelt")


def check_references(out: Checked) -> None:
    """Every id a row refers to exists. An unknown id is said once, at its first row, with
    how many more rows refer to it (a renamed id is one mistake, not one per reference)."""
    keys = {name: {r[SCHEMA[name].key] for r in rows} for name, rows in out.rows.items()
            if SCHEMA[name].key}
    unknown: dict[tuple[str, str], list[tuple[Row, str]]] = {}
    for name, rows in out.rows.items():
        for col in SCHEMA[name].columns:
            target = col.references.split(".")[0] if col.references else ""
            if not target or not out.keys_known(target):
                continue
            for row in rows:
                value = row[col.name]
                if value and value not in keys[target] and not out.flagged(row, col.name):
                    unknown.setdefault((target, value), []).append((row, col.name))
    for (target, value), refs in unknown.items():
        noun = "place" if target == "places" else target[:-1]
        more = len(refs) - 1
        row, column = refs[0]
        out.add(row, column, f"unknown {noun} id {quoted(value)}" + (
            f" (and {more} more row{'s' if more > 1 else ''})" if more else ""))


def _date_problem(date: str, precision: str) -> str | None:
    """``pub_date`` (already matching its pattern) against its precision and the calendar."""
    expected_len = {"year": 4, "month": 7, "day": 10}.get(precision)
    if expected_len and len(date) != expected_len:
        return f"{date!r} does not have the precision {precision!r}"
    year, month, day = (*(int(part) for part in date.split("-")), 1, 1)[:3]
    lo, hi = YEAR_RANGE
    if not lo <= year <= hi:
        return f"{date!r}: the year is outside {lo}–{hi}"
    try:
        datetime.date(year, month, day)
    except ValueError:
        return f"{date!r} is not a date in the calendar"
    return None


def check_articles(out: Checked) -> None:
    for row in out.rows["articles"]:
        if row["pub_date"] and not out.flagged(row, "pub_date"):
            reason = _date_problem(row["pub_date"], row["pub_date_precision"])
            if reason:
                out.add(row, "pub_date", reason)


def check_facts_files(out: Checked, facts_files: dict[str, Path], misfiled: set[str]) -> None:
    """Every article has its facts file (unless the folder could not be read, or its facts
    were found, and reported, in a file with another name)."""
    if "facts" in out.unreadable:
        return
    for row in out.rows["articles"]:
        article_id = row["article_id"]
        if article_id and not out.flagged(row, "article_id") and \
                article_id not in facts_files and article_id not in misfiled:
            out.add(row, "article_id", f"no facts file facts/{article_id}.csv")


def check_places(out: Checked) -> None:
    places = {r["place_id"]: r for r in out.rows["places"]}
    for row in out.rows["places"]:
        prov = places.get(row["province_id"])
        if prov is not None and prov["level"] != "province" and not out.flagged(prov, "level"):
            out.add(row, "province_id", f"{row['province_id']!r} is not a province")
        if out.flagged(row, "level"):
            continue
        if row["level"] == "province" and row["parent_id"]:
            out.add(row, "parent_id", "a province has no parent")
        if row["level"] != "province" and not row["parent_id"]:
            out.add(row, "parent_id", "required for a place below province level")


def check_indicators(out: Checked) -> None:
    _check_group_units(out)
    for row in out.rows["indicators"]:
        if out.flagged(row, "units") or out.flagged(row, "count_means"):
            continue
        units = row["units"].split(LIST_SEPARATOR)
        cm = row["count_means"]
        if cm and cm not in units:
            out.add(row, "count_means", f"{cm!r} is not among the indicator's units")
        if "count" in units and cm != "count":
            out.add(row, "count_means", "must be 'count' when 'count' is a unit")


def _check_group_units(out: Checked) -> None:
    """Indicators of one comparable group have the same units (they are summed and ranked
    together); a row that differs from the group's first row is the one reported."""
    first: dict[str, Row] = {}
    for row in out.rows["indicators"]:
        group = row["comparable_group"]
        if not group or out.flagged(row, "comparable_group") or out.flagged(row, "units"):
            continue
        if group not in first:
            first[group] = row
            continue
        other = first[group]
        if set(row["units"].split(LIST_SEPARATOR)) != set(other["units"].split(LIST_SEPARATOR)):
            out.add(row, "units", f"{quoted(row['units'])} differs from the units of comparable "
                                  f"group {quoted(group)} ({quoted(other['units'])}, as "
                                  f"{other['indicator_id']} at line {other.line}); indicators "
                                  "of one group are summed and ranked together")


def source_texts(out: Checked, sources: Path | None, names: set[str]) -> dict[str, str]:
    """The normalised text of each article's source, by article id. A source file is only
    looked for as a plain file name listed in the sources folder, and read only if it is a
    regular file there (see :func:`coopstats.dataset._files.read_file`); each article whose
    source is missing or unreadable gives one line."""
    texts: dict[str, str] = {}
    if sources is None:
        return texts
    for row in out.rows["articles"]:
        name = row["source_file"]
        if not name or out.flagged(row, "source_file"):
            continue
        if name not in names:
            out.add(row, "source_file", f"{quoted(name)} not found in {sources}")
            continue
        try:
            texts[row["article_id"]] = evidence.read_source(sources / name, root=sources)
        except Unreadable as err:
            out.add(row, "source_file", f"{quoted(name)} in {sources}: {err.reason}")
    return texts


def check_pairings(out: Checked, texts: dict[str, str]) -> None:
    articles = {r["article_id"]: r for r in out.rows["articles"]}
    for row in out.rows["pairings"]:
        if row["start_year"] and not row["start_precision"]:
            out.add(row, "start_precision", "required when start_year is given")
        if row["start_precision"] and not row["start_year"]:
            out.add(row, "start_year", "start_precision is given but start_year is empty")
        if row["donor_id"] and row["donor_id"] == row["recipient_id"]:
            out.add(row, "recipient_id", "donor and recipient are the same place")
        text = texts.get(row["article_id"])
        if (text is not None and row["start_quote"] and not out.flagged(row, "start_quote")
                and not evidence.quote_in_source(row["start_quote"], text)):
            source_file = articles[row["article_id"]]["source_file"]
            out.add(row, "start_quote", f"not found in {source_file}")


#: what makes a row of context/places.csv or context/finance.csv one of its kind
_PLACE_YEAR = ("place_id", "indicator", "year")


def _check_context_rows(out: Checked) -> None:
    """One row per place, indicator and year, in the indicator's unit."""
    out.add_duplicates(out.rows.get("context", []), _PLACE_YEAR)
    for row in out.rows.get("context", []):
        expected = CONTEXT_UNITS.get(row["indicator"])
        if expected and row["unit"] and row["unit"] != expected:
            out.add(row, "unit", f"{row['indicator']} is in {expected!r}, not {row['unit']!r}")


def _check_population(out: Checked) -> None:
    """Every donor and recipient has its population (the rates' denominator)."""
    have = {(r["place_id"], r["indicator"]) for r in out.rows.get("context", [])}
    for row in out.rows.get("places", []) if "context" not in out.unreadable else ():
        if row["role"] in ("donor", "recipient") and not out.flagged(row, "place_id") and \
                (row["place_id"], "population") not in have:
            out.add(row, "place_id", "no population in context/places.csv for this "
                                     f"{row['role']}")


#: the price-index tables and their names in messages
_PRICE_INDICES = {"cpi": "CPI", "gdp_deflator": "GDP deflator"}


def _check_price_years(out: Checked) -> None:
    """Each price index (the CPI, the GDP deflator) has no gap."""
    for table, name in _PRICE_INDICES.items():
        rows = out.rows.get(table, [])
        if any(out.flagged(r, "year") for r in rows):
            continue  # a bad year is reported in its row: the gap it leaves would repeat it
        years = sorted(int(r["year"]) for r in rows)
        for a, b in pairwise(years):
            if b != a + 1:
                out.add(None, "year", f"{name} years jump from {a} to {b}; the series must "
                                      "be contiguous",
                        display=display(out.data_dir / SCHEMA[table].path), line=0)


def _check_finance(out: Checked) -> None:
    """One row per place, indicator and year; ``value`` is what ``raw`` says, in yuan."""
    out.add_duplicates(out.rows.get("finance", []), _PLACE_YEAR)
    for row in out.rows.get("finance", []):
        if not row["raw"] or out.flagged(row, "value"):
            continue
        try:
            figure = parse_figure(row["raw"])
        except FigureParseError as err:
            out.add(row, "raw", str(err))
            continue
        if figure.unit != "CNY" or figure.qualifier != "exact":
            out.add(row, "raw", f"{row['raw']!r} is not an exact amount of yuan")
        elif not math.isclose(figure.value, float(row["value"]), rel_tol=1e-9):
            out.add(row, "value", f"{row['value']} is not what raw says "
                                  f"({row['raw']} = {figure.value:.0f})")


def _check_benchmarks(out: Checked) -> None:
    for row in out.rows.get("benchmarks", []):
        if row["share_high"] and not out.flagged(row, "share_high") and \
                not out.flagged(row, "share_low") and \
                float(row["share_high"]) < float(row["share_low"]):
            out.add(row, "share_high", f"{row['share_high']} is below share_low "
                                       f"{row['share_low']}")


def check_context(out: Checked) -> None:
    _check_context_rows(out)
    _check_finance(out)
    _check_benchmarks(out)
    _check_population(out)
    _check_price_years(out)
