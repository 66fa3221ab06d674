"""Validate a copy of the dataset: cells, cross-table rules and evidence, all problems at once.

Every problem is one :class:`~coopstats.csvfile.Problem` (``path:line: column: reason``).
Nothing here raises on bad data and nothing writes a file.
"""

from __future__ import annotations

import datetime
import functools
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from . import evidence
from ._files import Unreadable, folder, search_folder
from .csvfile import Problem, RawTable, read_table
from .numerals import FigureParseError, parse_figure
from .schema import SCHEMA, YEAR_RANGE, Column, Table

__all__ = ["Checked", "Row", "check", "validate"]

#: Cell texts that look like missing-value markers; never read as missing, always flagged.
NA_TOKENS = frozenset({"NA", "N/A", "n/a", "na", "null", "NULL", "Null", "nan", "NaN", "NAN",
                       "None", "#N/A", "-"})
_FORMULA_START = ("=", "+", "@", "\t", "\r")
# numbers as a spreadsheet writes them, ASCII digits only (``float()`` and ``\d`` also take
# ``٣١``, ``3_1`` or ``inf``)
_INT = re.compile("[0-9]+")
_FLOAT = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?")
_MAX_INT_DIGITS = 18  # fits Int64; ``int()`` of thousands of digits is slow or refused
# bidirectional controls: they make a cell display as something else (U+202E reverses it)
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Unicode categories a reader cannot see: controls, format (zero-width, BOM), separators
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


class Row(dict):
    """One data row: its cells as text (``row["raw"]``), where it came from (``display``,
    ``line``). A dict, so reading a cell is a plain dictionary lookup."""

    __slots__ = ("display", "line")

    def __init__(self, cells: dict[str, str], display: str, line: int) -> None:
        super().__init__(cells)
        self.display = display
        self.line = line

    @property
    def cells(self) -> dict[str, str]:
        return self

    def __repr__(self) -> str:
        return f"Row({dict(self)!r}, {self.display!r}, {self.line})"


@functools.cache
def _pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@dataclass
class Checked:
    """The result of :func:`check`: rows per table and every problem found."""

    data_dir: Path
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _flagged: set[tuple[str, int, str]] = field(default_factory=set, repr=False)
    #: tables that could not be read completely (missing, wrong encoding, a malformed row
    #: left out …): references to them are not checked, so one unreadable file gives one
    #: line, not one per reference
    unreadable: set[str] = field(default_factory=set, repr=False)
    _bad_keys: set[str] = field(default_factory=set, repr=False)

    def add(self, row: Row | None, column: str, reason: str, *, display: str = "",
            line: int = 0) -> None:
        if row is not None:
            display, line = row.display, row.line
        self.problems.append(Problem(display, line, column, reason))
        self._flagged.add((display, line, column))

    def flagged(self, row: Row, column: str) -> bool:
        """Whether a problem was already reported for this cell (later rules then skip it,
        so one bad cell gives one line, not a cascade)."""
        return (row.display, row.line, column) in self._flagged

    def keys_known(self, name: str) -> bool:
        """Whether every id of table ``name`` was read and is valid, so that an id missing
        from it is really unknown. When one is bad (already reported), references to the
        table are not checked: they may well be to the bad id."""
        return name not in self.unreadable and name not in self._bad_keys

    def note_bad_keys(self) -> None:
        """Remember which tables have a bad id (called once the cells are checked, before
        the rules between rows)."""
        self._bad_keys = {name for name, rows in self.rows.items() if SCHEMA[name].key and
                          any(self.flagged(r, SCHEMA[name].key) for r in rows)}


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except (ValueError, OSError):  # another drive on Windows; no current folder
        return str(path)
    return rel if not rel.startswith(".." + os.sep + "..") else str(path)


def _q(text: str) -> str:
    """A cell as echoed in a problem: quoted, and cut to 60 characters."""
    return repr(text) if len(text) <= 60 else repr(text[:60]) + "…"


def _other_digits(text: str) -> bool:
    return not text.isascii() and any(c.isdigit() and not c.isascii() for c in text)


def _invisible(text: str) -> bool:
    """Whether ``text`` has nothing a reader would see (spaces, zero-width and bidi
    characters, byte-order marks …)."""
    return all(unicodedata.category(c) in _INVISIBLE for c in text)


def _check_cell(col: Column, text: str, row: Row, out: Checked) -> None:
    reason = _cell_problem(col, text)
    if reason:
        out.add(row, col.name, reason)


def _cell_problem(col: Column, text: str) -> str | None:
    if text == "" or (col.required and not text.isprintable() and _invisible(text)):
        if not col.required:
            return None
        return "required; the cell is empty" + (
            f" (it holds only invisible characters: {_q(text)})" if text else "")
    if text in NA_TOKENS and text not in col.choices:
        return f"{_q(text)} looks like a missing-value marker; leave the cell empty instead"
    if text.startswith(_FORMULA_START) or (col.kind != "str" and text.startswith("-")):
        return f"{text[:20]!r} starts like a spreadsheet formula"
    if text != text.strip():
        return "leading or trailing spaces"
    bidi = None if text.isprintable() else _BIDI.search(text)  # (they are not printable)
    if bidi:
        return (f"contains the bidirectional control character U+{ord(bidi.group()):04X}, "
                "which reorders how text is shown; remove it")
    if col.kind in ("int", "float"):
        return _number_problem(col, text)
    if col.kind == "category" and text not in col.choices:
        return f"{_q(text)} is not one of: {', '.join(col.choices)}"
    if col.kind == "list":
        bad = [item for item in text.split(";") if item not in col.choices]
        return f"{_q(bad[0])} is not one of: {', '.join(col.choices)}" if bad else None
    if col.pattern and not _pattern(col.pattern).fullmatch(text):
        if col.kind == "id":
            return f"{_q(text)} is not a valid id (expected {col.pattern})"
        return f"{_q(text)} does not match {col.pattern}"
    return None


def _number_problem(col: Column, text: str) -> str | None:
    """An int or float cell: ASCII digits only, no leading zero in a whole number, within
    the column's bounds. What passes converts with ``int()``/``float()`` to a finite value."""
    if _other_digits(text):
        return f"{_q(text)} has digits other than ASCII 0-9 (full-width, Arabic-Indic, " \
               "superscript …); use 0-9"
    whole = col.kind == "int"
    if not (_INT if whole else _FLOAT).fullmatch(text):
        return f"{_q(text)} is not {'a whole number' if whole else 'a number'}"
    if whole and len(text) > 1 and text[0] == "0":
        return f"{_q(text)} has a leading zero"
    too_big = whole and len(text) > _MAX_INT_DIGITS
    value = None if too_big else (int(text) if whole else float(text))
    if col.bounds:
        lo, hi = (int(b) for b in col.bounds) if whole else col.bounds
        if value is None or not lo <= value <= hi:
            return f"{text if len(text) <= 20 else text[:20] + '…'} is outside {lo}–{hi}"
    elif value is None or not math.isfinite(value):
        return f"{_q(text)} is too large"
    return None


def _read(table: Table, path: Path, out: Checked) -> list[Row]:
    display = _display(path)
    raw, problems = read_table(path, table.column_names, display, root=out.data_dir)
    out.problems.extend(problems)
    if not table.many_files and (raw is None or any(p.column == "(row)" for p in problems)):
        out.unreadable.add(table.name)  # not read, or rows left out: its ids are not known
    if raw is None:
        return []
    return _rows(table, raw, out)


def _rows(table: Table, raw: RawTable, out: Checked) -> list[Row]:
    rows = [Row(cells, raw.display, line) for cells, line in zip(raw.rows, raw.lines, strict=True)]
    # (column, plain): a plain text column needs only the NA/formula/space/bidi checks, and
    # only when its text says so (many such cells; this keeps them fast)
    columns = [(c, c.kind == "str" and not c.pattern) for c in table.columns]
    for row in rows:
        for col, plain in columns:
            text = row[col.name]
            if not text:
                if col.required:
                    _check_cell(col, text, row, out)
            elif not plain or not text.isprintable() or text in NA_TOKENS or \
                    text.startswith(_FORMULA_START) or text[0].isspace() or text[-1].isspace():
                _check_cell(col, text, row, out)
    return rows


def _check_unique(table: Table, rows: list[Row], out: Checked) -> None:
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
                out.add(row, col.name, f"duplicate id {_q(value)} (first at "
                                       f"{prev.display}:{prev.line})")
            else:
                first[value] = row


def _check_references(out: Checked) -> None:
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
        out.add(row, column, f"unknown {noun} id {_q(value)}" + (
            f" (and {more} more row{'s' if more > 1 else ''})" if more else ""))


def _year(text: str) -> int | None:
    """A four-digit year written as the schema allows (ASCII digits, no leading zero)."""
    return int(text) if len(text) == 4 and _INT.fullmatch(text) and text[0] != "0" else None


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


def _check_articles(out: Checked) -> None:
    for row in out.rows["articles"]:
        if row["pub_date"] and not out.flagged(row, "pub_date"):
            reason = _date_problem(row["pub_date"], row["pub_date_precision"])
            if reason:
                out.add(row, "pub_date", reason)


def _check_facts_files(out: Checked, facts_files: dict[str, Path], misfiled: set[str]
                       ) -> None:
    """Every article has its facts file (unless the folder could not be read, or its facts
    were found, and reported, in a file with another name)."""
    if "facts" in out.unreadable:
        return
    for row in out.rows["articles"]:
        article_id = row["article_id"]
        if article_id and not out.flagged(row, "article_id") and \
                article_id not in facts_files and article_id not in misfiled:
            out.add(row, "article_id", f"no facts file facts/{article_id}.csv")


def _check_places(out: Checked) -> None:
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


def _check_indicators(out: Checked) -> None:
    for row in out.rows["indicators"]:
        if out.flagged(row, "units") or out.flagged(row, "count_means"):
            continue
        units = row["units"].split(";")
        cm = row["count_means"]
        if cm and cm not in units:
            out.add(row, "count_means", f"{cm!r} is not among the indicator's units")
        if "count" in units and cm != "count":
            out.add(row, "count_means", "must be 'count' when 'count' is a unit")


def _source_texts(out: Checked, sources: Path | None, names: set[str]) -> dict[str, str]:
    """The normalised text of each article's source, by article id. A source file is only
    looked for as a plain file name listed in the sources folder, and read only if it is a
    regular file there (see :func:`coopstats._files.read_file`); each article whose
    source is missing or unreadable gives one line."""
    texts: dict[str, str] = {}
    if sources is None:
        return texts
    for row in out.rows["articles"]:
        name = row["source_file"]
        if not name or out.flagged(row, "source_file"):
            continue
        if name not in names:
            out.add(row, "source_file", f"{_q(name)} not found in {sources}")
            continue
        try:
            texts[row["article_id"]] = evidence.read_source(sources / name, root=sources)
        except Unreadable as err:
            out.add(row, "source_file", f"{_q(name)} in {sources}: {err.reason}")
    return texts


def _check_pairings(out: Checked, texts: dict[str, str]) -> None:
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


@functools.lru_cache(maxsize=64)
def _stem(display: str) -> str:
    return Path(display).stem


def _fact_article(row: Row, articles: dict[str, Row], misfiled: set[tuple[str, str]],
                  out: Checked) -> Row | None:
    """The article of a fact row, or None when it is unknown or not the one its file is
    named after (said once per file and article id; the rules that depend on it skip)."""
    art = None if out.flagged(row, "article_id") else articles.get(row["article_id"])
    if art is None:
        return None
    stem = _stem(row.display)
    if row["article_id"] != stem:
        if (row.display, row["article_id"]) not in misfiled:
            misfiled.add((row.display, row["article_id"]))
            out.add(row, "article_id", f"{row['article_id']!r} does not match the file name "
                                       f"({stem}.csv)")
        return None
    return art


def _check_prefixes(out: Checked) -> None:
    """Fact ids start with their article's prefix. When none of an article's facts does,
    the prefix is what is wrong: one line on it, not one per fact."""
    facts: dict[str, list[Row]] = {}
    for row in out.rows["facts"]:
        if row["fact_id"] and not out.flagged(row, "fact_id") and \
                row["article_id"] == _stem(row.display):
            facts.setdefault(row["article_id"], []).append(row)
    for art in out.rows["articles"]:
        rows = facts.get(art["article_id"], [])
        if not rows or out.flagged(art, "fact_prefix") or out.flagged(art, "article_id"):
            continue
        wrong = [r for r in rows if not r["fact_id"].startswith(art["fact_prefix"] + "-")]
        if len(rows) > 1 and len(wrong) == len(rows):
            out.add(art, "fact_prefix", f"{art['fact_prefix']!r} starts none of the fact ids "
                                        f"in {rows[0].display} ({rows[0]['fact_id']!r} …)")
            continue
        for row in wrong:
            out.add(row, "fact_id", f"should start with the article's prefix "
                                    f"{art['fact_prefix']!r}-")


def _check_scope(row: Row, out: Checked) -> None:
    """Scope decides which of pairing_id / subject_id is filled."""
    scope = row["scope"]
    if scope in ("pairing", "component"):
        if not row["pairing_id"]:
            out.add(row, "pairing_id", f"required for scope {scope!r}")
        if row["subject_id"]:
            out.add(row, "subject_id", f"must be empty for scope {scope!r} (the pairing "
                                       "says whom the figure is about)")
    elif scope in ("donor_all", "province"):
        if not row["subject_id"]:
            out.add(row, "subject_id", f"required for scope {scope!r}")
        if row["pairing_id"]:
            out.add(row, "pairing_id", f"must be empty for scope {scope!r}")


def _check_figure(row: Row, indicators: dict[str, Row], out: Checked) -> None:
    """The figure in ``raw``: it parses, and its qualifier and unit agree with the row."""
    if not row["raw"] or out.flagged(row, "raw"):
        return
    try:
        figure = parse_figure(row["raw"])
    except FigureParseError as err:
        out.add(row, "raw", err.reason + f" ({_q(row['raw'])})")
        return
    except (ValueError, ArithmeticError):  # a parser bug must not hide the other problems
        out.add(row, "raw", f"{_q(row['raw'])} cannot be read as a figure")
        return
    if row["qualifier"] and row["qualifier"] != figure.qualifier and \
            not out.flagged(row, "qualifier"):
        out.add(row, "qualifier", f"{row['qualifier']!r} but {_q(row['raw'])} reads as "
                                  f"{figure.qualifier!r}")
    ind = indicators.get(row["indicator"])
    if ind is None or out.flagged(ind, "units") or out.flagged(ind, "count_means"):
        return
    units = ind["units"].split(";")
    unit = figure.unit
    if unit == "count" and ind["count_means"]:
        unit = ind["count_means"]
    if unit not in units:
        out.add(row, "raw", f"unit {unit or 'none'!r} of {_q(row['raw'])} does not match "
                            f"indicator {row['indicator']!r} ({', '.join(units)})")


def _check_evidence(row: Row, art: Row | None, text: str | None, out: Checked) -> None:
    """The quote is in the article; the figure is in the quote."""
    raw_ok = bool(row["raw"]) and not out.flagged(row, "raw")  # e.g. unparseable: said once
    quote_ok = bool(row["quote"]) and not out.flagged(row, "quote")
    if art is not None and text is not None and quote_ok and \
            not evidence.quote_in_source(row["quote"], text):
        out.add(row, "quote", f"not found in {art['source_file']}")
    elif raw_ok and quote_ok and evidence.normalise(row["raw"]) not in evidence.normalise(
            row["quote"]):
        out.add(row, "raw", f"{_q(row['raw'])} is not in the quote")


def _check_facts(out: Checked, texts: dict[str, str]) -> set[str]:
    """Every fact rule; returns the ids of articles whose facts are in a file named after
    another (already reported)."""
    articles = {r["article_id"]: r for r in out.rows["articles"]}
    pairings = {r["pairing_id"]: r for r in out.rows["pairings"]}
    indicators = {r["indicator_id"]: r for r in out.rows["indicators"]}
    seen: dict[tuple[str, ...], Row] = {}
    misfiled: set[tuple[str, str]] = set()
    for row in out.rows["facts"]:
        art = _fact_article(row, articles, misfiled, out)
        _check_scope(row, out)
        _check_figure(row, indicators, out)
        _check_period(row, art, pairings.get(row["pairing_id"]), out)
        _check_evidence(row, art, texts.get(row["article_id"]), out)
        key = tuple(row[c] for c in ("article_id", "pairing_id", "scope", "indicator", "raw",
                                     "quote"))
        if all(key[3:]):
            if key in seen:
                prev = seen[key]
                out.add(row, "(row)", f"duplicates the row at {prev.display}:{prev.line}")
            else:
                seen[key] = row
    return {article_id for _, article_id in misfiled}


def _check_period(row: Row, art: Row | None, pairing: Row | None, out: Checked) -> None:
    start, end = _year(row["period_start"]), _year(row["period_end"])
    basis = row["period_basis"]
    if start is not None and end is not None and start > end:
        out.add(row, "period_end", f"{end} is before period_start {start}")
    if basis == "none":
        if row["period_start"] or row["period_end"]:
            out.add(row, "period_basis", "'none' but a period is given")
        return
    if basis in ("stated", "relative", "annual", "pairing_start") and not (
            row["period_start"] and row["period_end"]):
        out.add(row, "period_basis", f"{basis!r} needs both period_start and period_end")
    if basis == "open_start" and (row["period_start"] or not row["period_end"]):
        out.add(row, "period_basis", "'open_start' needs an empty period_start and a "
                                     "period_end")
    if basis == "annual" and start is not None and end is not None and start != end:
        out.add(row, "period_basis", "'annual' figures cover one year: start must equal end")
    if basis and not row["period_text"]:
        out.add(row, "period_text", f"required when period_basis is {basis!r}")
    if basis == "pairing_start" and pairing is not None and start is not None and \
            not out.flagged(pairing, "start_year"):
        pairing_start = _year(pairing["start_year"])
        if pairing_start is not None and pairing_start != start:
            out.add(row, "period_start", f"{start} but the pairing started in "
                                         f"{pairing_start}")
        if not pairing["start_year"]:
            out.add(row, "period_basis", "'pairing_start' but the pairing has no start year")
    if art is not None and end is not None and row["status"] == "achieved" and \
            not out.flagged(art, "pub_date"):
        year = _year(art["pub_date"][:4])
        if year is not None and end > year:
            out.add(row, "period_end", f"{end} is after the article's year {year} for an "
                                       "achieved figure")


def _check_context(out: Checked) -> None:
    seen: dict[tuple[str, str, str], Row] = {}
    for row in out.rows.get("context", []):
        key = (row["place_id"], row["indicator"], row["year"])
        if key in seen:
            out.add(row, "(row)", f"duplicates the row at {seen[key].display}:{seen[key].line}")
        seen[key] = row
        expected = {"population": "person", "area": "km2"}.get(row["indicator"])
        if expected and row["unit"] and row["unit"] != expected:
            out.add(row, "unit", f"{row['indicator']} is in {expected!r}, not {row['unit']!r}")
    have = {(r["place_id"], r["indicator"]) for r in out.rows.get("context", [])}
    for row in out.rows.get("places", []) if "context" not in out.unreadable else ():
        if row["role"] in ("donor", "recipient") and not out.flagged(row, "place_id") and \
                (row["place_id"], "population") not in have:
            out.add(row, "place_id", "no population in context/places.csv for this "
                                     f"{row['role']}")
    cpi = out.rows.get("cpi", [])
    if any(out.flagged(r, "year") for r in cpi):
        return  # a bad year is reported in its row: the gap it leaves would repeat it
    years = sorted(int(r["year"]) for r in cpi)
    for a, b in pairwise(years):
        if b != a + 1:
            out.add(None, "year", f"CPI years jump from {a} to {b}; the series must be "
                                  "contiguous", display=_display(out.data_dir / "context/cpi.csv"),
                    line=0)


def _folder_problem(out: Checked, path: Path, what: str, *, listing: bool = False
                    ) -> list[str] | None:
    """The entries of folder ``path`` (none unless ``listing``), or None after one line
    saying why it cannot be used."""
    try:
        return search_folder(path, listing=listing)
    except Unreadable as err:
        out.add(None, "(folder)", f"{what} not found" if err.missing else err.reason,
                display=_display(path), line=0)
        return None


def _read_tables(out: Checked) -> dict[str, Path]:
    """Read every table into ``out.rows``; return the facts files by article id."""
    blocked: set[str] = set()  # sub-folders that exist but cannot be opened: one line each
    for sub in sorted({os.path.dirname(t.path) for t in SCHEMA.values()} - {"", "facts"}):
        try:
            search_folder(out.data_dir / sub)
        except Unreadable as err:
            if not err.missing:
                _folder_problem(out, out.data_dir / sub, sub)
                blocked.add(sub)
    for name, table in SCHEMA.items():
        if table.many_files:
            continue
        if os.path.dirname(table.path) in blocked:
            out.unreadable.add(name)
            out.rows[name] = []
        else:
            out.rows[name] = _read(table, out.data_dir / table.path, out)
    facts_dir = out.data_dir / "facts"
    names = _folder_problem(out, facts_dir, "facts folder", listing=True)
    if names is None:
        out.unreadable.add("facts")
    facts_files = {Path(n).stem: facts_dir / n for n in sorted(names or []) if n.endswith(".csv")}
    out.rows["facts"] = []
    for path in facts_files.values():
        out.rows["facts"].extend(_read(SCHEMA["facts"], path, out))
    return facts_files


def check(data_dir: Path | str, sources: Path | str | None = None) -> Checked:
    """Read and check every table under ``data_dir``.

    Only regular files inside ``data_dir`` (and, for the articles, inside ``sources``) are
    read, each at most :data:`coopstats._files.MAX_FILE_BYTES`; a symbolic link leading
    out of its folder, a FIFO, a device or an unreadable file or folder is one problem line.

    Parameters
    ----------
    data_dir : Path
        Folder with ``articles.csv``, ``places.csv``, ``pairings.csv``, ``indicators.csv``,
        ``context/*.csv`` and ``facts/*.csv``. An empty string is refused (``ValueError``):
        it would silently mean the current folder.
    sources : Path, optional
        Folder with the source articles; when given, every quote is checked against them.

    Returns
    -------
    Checked
        The rows of every table (as text, with file and line) and all problems.
    """
    out = Checked(folder(data_dir))
    sources = folder(sources) if sources is not None else None
    if _folder_problem(out, out.data_dir, "data folder") is None:
        return out
    listed = _folder_problem(out, sources, "sources folder", listing=True) \
        if sources is not None else None
    if listed is None:
        sources = None
    facts_files = _read_tables(out)
    out.note_bad_keys()
    for name, rows in out.rows.items():
        _check_unique(SCHEMA[name], rows, out)
    _check_references(out)
    _check_articles(out)
    _check_places(out)
    _check_indicators(out)
    texts = _source_texts(out, sources, set(listed or ()))
    _check_pairings(out, texts)
    _check_prefixes(out)
    misfiled = _check_facts(out, texts)
    _check_facts_files(out, facts_files, misfiled)
    _check_context(out)
    out.problems.sort(key=lambda p: (p.path, p.line, p.column))
    return out


def validate(data_dir: Path | str | None = None, sources: Path | str | None = None
             ) -> list[Problem]:
    """Validate the dataset and return every problem (an empty list when it is clean).

    Parameters
    ----------
    data_dir : path, optional
        A copy of the data folder; default: the data shipped with the package.
    sources : path, optional
        Folder of source articles for the evidence check; default: ``$COOPSTATS_SOURCES`` if
        set, else no evidence check.

    Returns
    -------
    list of Problem
        Each prints as ``path:line: column: reason``.

    Examples
    --------
    >>> import coopstats
    >>> coopstats.validate()
    []
    """
    from .locations import resolve_data_dir, sources_dir

    return check(resolve_data_dir(data_dir), sources_dir(sources)).problems
