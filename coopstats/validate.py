"""Validate a copy of the dataset: cells, cross-table rules and evidence, all problems at once.

Every problem is one :class:`~coopstats.tables.Problem` (``path:line: column: reason``).
Nothing here raises on bad data and nothing writes a file.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from . import evidence
from .figures import FigureParseError, parse_figure
from .schema import SCHEMA, Column, Table
from .tables import Problem, RawTable, read_table

__all__ = ["Checked", "Row", "check", "validate"]

#: Cell texts that look like missing-value markers; never read as missing, always flagged.
NA_TOKENS = frozenset({"NA", "N/A", "n/a", "na", "null", "NULL", "Null", "nan", "NaN", "NAN",
                       "None", "#N/A", "-"})
_FORMULA_START = ("=", "+", "@", "\t", "\r")
_FULLWIDTH_DIGIT = re.compile("[０-９]")


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
    #: tables that could not be read at all (missing, wrong encoding …): references to them
    #: are not checked, so one unreadable file gives one line, not one per reference
    unreadable: set[str] = field(default_factory=set, repr=False)

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


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith(".." + os.sep + "..") else str(path)


def _check_cell(col: Column, text: str, row: Row, out: Checked) -> None:
    if text == "":
        if col.required:
            out.add(row, col.name, "required; the cell is empty")
        return
    if text in NA_TOKENS and text not in col.choices:
        out.add(row, col.name, f"{text!r} looks like a missing-value marker; "
                               "leave the cell empty instead")
        return
    if text.startswith(_FORMULA_START) or (col.kind != "str" and text.startswith("-")):
        out.add(row, col.name, f"{text[:20]!r} starts like a spreadsheet formula")
        return
    if text != text.strip():
        out.add(row, col.name, "leading or trailing spaces")
        return
    if col.kind in ("int", "float") and _FULLWIDTH_DIGIT.search(text):
        out.add(row, col.name, f"{text!r} has full-width digits; use ASCII 0-9")
        return
    if col.kind == "int":
        if not text.isascii() or not text.isdigit():
            out.add(row, col.name, f"{text!r} is not a whole number")
            return
        if col.bounds and not col.bounds[0] <= int(text) <= col.bounds[1]:
            lo, hi = (int(b) for b in col.bounds)
            out.add(row, col.name, f"{text} is outside {lo}–{hi}")
    elif col.kind == "float":
        try:
            value = float(text)
        except ValueError:
            out.add(row, col.name, f"{text!r} is not a number")
            return
        if value != value or (col.bounds and not col.bounds[0] <= value <= col.bounds[1]):
            out.add(row, col.name, f"{text} is outside {col.bounds[0]}–{col.bounds[1]}"
                    if col.bounds else f"{text!r} is not a number")
    elif col.kind == "category":
        if text not in col.choices:
            out.add(row, col.name, f"{text!r} is not one of: {', '.join(col.choices)}")
    elif col.kind == "list":
        for item in text.split(";"):
            if item not in col.choices:
                out.add(row, col.name, f"{item!r} is not one of: {', '.join(col.choices)}")
    elif col.kind == "id" and col.pattern and not _pattern(col.pattern).fullmatch(text):
        out.add(row, col.name, f"{text!r} is not a valid id (expected {col.pattern})")
    if col.kind == "str" and col.pattern and not _pattern(col.pattern).fullmatch(text):
        out.add(row, col.name, f"{text!r} does not match {col.pattern}")


def _read(table: Table, path: Path, out: Checked) -> list[Row]:
    display = _display(path)
    raw, problems = read_table(path, table.column_names, display)
    out.problems.extend(problems)
    if raw is None:
        if not table.many_files:
            out.unreadable.add(table.name)
        return []
    return _rows(table, raw, out)


def _rows(table: Table, raw: RawTable, out: Checked) -> list[Row]:
    rows = [Row(cells, raw.display, line) for cells, line in zip(raw.rows, raw.lines, strict=True)]
    # (column, plain): a plain text column needs only the NA/formula/space checks, done here
    # inline, because there are many such cells
    columns = [(c, c.kind == "str" and not c.pattern) for c in table.columns]
    for row in rows:
        for col, plain in columns:
            text = row[col.name]
            if not text:
                if col.required:
                    _check_cell(col, text, row, out)
            elif not plain or text in NA_TOKENS or text.startswith(_FORMULA_START) or (
                    text[0].isspace() or text[-1].isspace()):
                _check_cell(col, text, row, out)
    return rows


def _check_unique(table: Table, rows: list[Row], out: Checked) -> None:
    for col in table.columns:
        if not col.unique:
            continue
        first: dict[str, Row] = {}
        for row in rows:
            value = row[col.name]
            if value == "":
                continue
            if value in first:
                prev = first[value]
                out.add(row, col.name, f"duplicate id {value!r} (first at "
                                       f"{prev.display}:{prev.line})")
            else:
                first[value] = row


def _check_references(out: Checked) -> None:
    keys = {name: {r[SCHEMA[name].key] for r in rows} for name, rows in out.rows.items()
            if SCHEMA[name].key}
    for name, rows in out.rows.items():
        for col in SCHEMA[name].columns:
            if not col.references:
                continue
            target, _ = col.references.split(".")
            if target in out.unreadable:
                continue
            for row in rows:
                value = row[col.name]
                if value and value not in keys.get(target, set()) and value not in NA_TOKENS:
                    noun = "place" if target == "places" else target[:-1]
                    out.add(row, col.name, f"unknown {noun} id {value!r}")


def _year(text: str) -> int | None:
    return int(text) if len(text) == 4 and text.isascii() and text.isdigit() else None


def _check_articles(out: Checked, facts_files: dict[str, Path], sources: Path | None) -> None:
    for row in out.rows["articles"]:
        date, precision = row["pub_date"], row["pub_date_precision"]
        expected_len = {"year": 4, "month": 7, "day": 10}.get(precision)
        if expected_len and len(date) != expected_len:
            out.add(row, "pub_date", f"{date!r} does not have the precision {precision!r}")
        if row["article_id"] and row["article_id"] not in facts_files:
            out.add(row, "article_id", f"no facts file facts/{row['article_id']}.csv")
        if (sources is not None and row["source_file"]
                and not (sources / row["source_file"]).is_file()):
            out.add(row, "source_file", f"{row['source_file']!r} not found in {sources}")


def _check_places(out: Checked) -> None:
    levels = {r["place_id"]: r["level"] for r in out.rows["places"]}
    for row in out.rows["places"]:
        prov = row["province_id"]
        if prov in levels and levels[prov] != "province":
            out.add(row, "province_id", f"{prov!r} is not a province")
        if row["level"] == "province" and row["parent_id"]:
            out.add(row, "parent_id", "a province has no parent")
        if row["level"] != "province" and not row["parent_id"]:
            out.add(row, "parent_id", "required for a place below province level")


def _check_indicators(out: Checked) -> None:
    for row in out.rows["indicators"]:
        units = row["units"].split(";")
        cm = row["count_means"]
        if cm and cm not in units:
            out.add(row, "count_means", f"{cm!r} is not among the indicator's units")
        if "count" in units and cm != "count":
            out.add(row, "count_means", "must be 'count' when 'count' is a unit")


def _source_text(out: Checked, sources: Path | None, article: dict[str, str] | None
                 ) -> str | None:
    if sources is None or article is None:
        return None
    path = sources / article["source_file"]
    if not path.is_file():
        return None
    return evidence.read_source(path)


def _check_pairings(out: Checked, sources: Path | None) -> None:
    articles = {r["article_id"]: r.cells for r in out.rows["articles"]}
    for row in out.rows["pairings"]:
        if row["start_year"] and not row["start_precision"]:
            out.add(row, "start_precision", "required when start_year is given")
        if row["start_precision"] and not row["start_year"]:
            out.add(row, "start_year", "start_precision is given but start_year is empty")
        if row["donor_id"] and row["donor_id"] == row["recipient_id"]:
            out.add(row, "recipient_id", "donor and recipient are the same place")
        text = _source_text(out, sources, articles.get(row["article_id"]))
        if (text is not None and row["start_quote"]
                and not evidence.quote_in_source(row["start_quote"], text)):
            source_file = articles[row["article_id"]]["source_file"]
            out.add(row, "start_quote", f"not found in {source_file}")


def _check_facts(out: Checked, sources: Path | None) -> None:
    articles = {r["article_id"]: r.cells for r in out.rows["articles"]}
    pairings = {r["pairing_id"]: r.cells for r in out.rows["pairings"]}
    indicators = {r["indicator_id"]: r.cells for r in out.rows["indicators"]}
    seen: dict[tuple[str, ...], Row] = {}
    stems: dict[str, str] = {}
    for row in out.rows["facts"]:
        # a wrong article id is reported once; the rules that depend on it are skipped
        art = None if out.flagged(row, "article_id") else articles.get(row["article_id"])
        stem = stems.get(row.display) or stems.setdefault(row.display, Path(row.display).stem)
        if art and row["article_id"] != stem:
            out.add(row, "article_id", f"{row['article_id']!r} does not match the file name "
                                       f"({stem}.csv)")
            art = None
        if art and row["fact_id"] and not row["fact_id"].startswith(art["fact_prefix"] + "-"):
            out.add(row, "fact_id", f"should start with the article's prefix "
                                    f"{art['fact_prefix']!r}-")

        # scope decides which of pairing_id / subject_id is filled
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

        # the figure: parse, qualifier, unit
        figure = None
        raw_ok = bool(row["raw"]) and not out.flagged(row, "raw")
        if raw_ok:
            try:
                figure = parse_figure(row["raw"])
            except FigureParseError as err:
                out.add(row, "raw", err.reason + f" ({row['raw']!r})")
        if figure is not None:
            if row["qualifier"] and row["qualifier"] != figure.qualifier and not \
                    out.flagged(row, "qualifier"):
                out.add(row, "qualifier", f"{row['qualifier']!r} but {row['raw']!r} reads as "
                                          f"{figure.qualifier!r}")
            ind = indicators.get(row["indicator"])
            if ind is not None:
                units = ind["units"].split(";")
                unit = figure.unit
                if unit == "count" and ind["count_means"]:
                    unit = ind["count_means"]
                if unit not in units:
                    out.add(row, "raw", f"unit {unit or 'none'!r} of {row['raw']!r} does not "
                                        f"match indicator {row['indicator']!r} "
                                        f"({', '.join(units)})")

        _check_period(row, art, pairings.get(row["pairing_id"]), out)

        # evidence
        text = _source_text(out, sources, art)
        raw_ok = raw_ok and not out.flagged(row, "raw")  # e.g. unparseable: said once
        quote_ok = bool(row["quote"]) and not out.flagged(row, "quote")
        if text is not None and quote_ok and not evidence.quote_in_source(row["quote"], text):
            out.add(row, "quote", f"not found in {art['source_file']}")
        elif raw_ok and quote_ok and evidence.normalise(row["raw"]) not in evidence.normalise(
                row["quote"]):
            out.add(row, "raw", f"{row['raw']!r} is not in the quote")

        key = tuple(row[c] for c in ("article_id", "pairing_id", "scope", "indicator", "raw",
                                     "quote"))
        if all(key[3:]):
            if key in seen:
                prev = seen[key]
                out.add(row, "(row)", f"duplicates the row at {prev.display}:{prev.line}")
            else:
                seen[key] = row


def _check_period(row: Row, art: dict[str, str] | None, pairing: dict[str, str] | None,
                  out: Checked) -> None:
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
    if basis == "pairing_start" and pairing is not None and start is not None:
        if pairing["start_year"] and int(pairing["start_year"]) != start:
            out.add(row, "period_start", f"{start} but the pairing started in "
                                         f"{pairing['start_year']}")
        if not pairing["start_year"]:
            out.add(row, "period_basis", "'pairing_start' but the pairing has no start year")
    if art is not None and end is not None and row["status"] == "achieved":
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
    for row in out.rows.get("places", []):
        if row["role"] in ("donor", "recipient") and (row["place_id"], "population") not in have:
            out.add(row, "place_id", "no population in context/places.csv for this "
                                     f"{row['role']}")
    years = sorted(int(r["year"]) for r in out.rows.get("cpi", []) if r["year"].isdigit())
    for a, b in pairwise(years):
        if b != a + 1:
            out.add(None, "year", f"CPI years jump from {a} to {b}; the series must be "
                                  "contiguous", display=_display(out.data_dir / "context/cpi.csv"),
                    line=0)


def check(data_dir: Path, sources: Path | None = None) -> Checked:
    """Read and check every table under ``data_dir``.

    Parameters
    ----------
    data_dir : Path
        Folder with ``articles.csv``, ``places.csv``, ``pairings.csv``, ``indicators.csv`` and
        ``facts/*.csv``.
    sources : Path, optional
        Folder with the source articles; when given, every quote is checked against them.

    Returns
    -------
    Checked
        The rows of every table (as text, with file and line) and all problems.
    """
    data_dir = Path(data_dir)
    out = Checked(data_dir)
    if not data_dir.is_dir():
        out.add(None, "(folder)", "data folder not found", display=_display(data_dir), line=0)
        return out
    if sources is not None and not Path(sources).is_dir():
        out.add(None, "(folder)", "sources folder not found", display=_display(Path(sources)))
        sources = None
    for name, table in SCHEMA.items():
        if table.many_files:
            continue
        path = data_dir / table.path
        if not path.is_file():
            out.add(None, "(file)", "missing table", display=_display(path), line=0)
            out.unreadable.add(name)
            out.rows[name] = []
            continue
        out.rows[name] = _read(table, path, out)
    facts_dir = data_dir / "facts"
    facts_files = {p.stem: p for p in sorted(facts_dir.glob("*.csv"))} if facts_dir.is_dir() \
        else {}
    out.rows["facts"] = []
    for path in facts_files.values():
        out.rows["facts"].extend(_read(SCHEMA["facts"], path, out))
    for name, rows in out.rows.items():
        _check_unique(SCHEMA[name], rows, out)
    _check_references(out)
    _check_articles(out, facts_files, Path(sources) if sources else None)
    _check_places(out)
    _check_indicators(out)
    _check_pairings(out, Path(sources) if sources else None)
    _check_facts(out, Path(sources) if sources else None)
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
    from ._paths import resolve_data_dir, resolve_sources

    return check(resolve_data_dir(data_dir), resolve_sources(sources)).problems
