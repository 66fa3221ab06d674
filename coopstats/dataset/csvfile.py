"""Read a CSV table into rows with their line numbers, reporting every problem at once.

The reader is deliberately strict and never guesses: a file that is not UTF-8, a row with
the wrong number of fields, an unbalanced quote or a missing column is a :class:`Problem`
with the file, line and column, never an exception and never a silently repaired value.
A byte-order mark and Windows line ends are accepted. No value is turned into NaN: every
cell stays the text it was (``NA``, ``null`` and ``N/A`` included).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopstats.dataset._files import Unreadable, read_file

__all__ = ["Problem", "RawTable", "printable", "read_table"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the data, printed as ``path:line: column: reason``."""

    path: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return (f"{printable(self.path)}:{self.line}: {printable(self.column)}: "
                f"{printable(self.reason)}")


def printable(text: str) -> str:
    r"""``text`` with every non-printable character (newline, escape, bidi control, zero-width
    space …) written as its Python escape, so that data echoed into a problem line can
    neither break it in two nor make it read as something else.

    Examples
    --------
    >>> print(printable("raw\nforged.csv:1: raw: fake"))
    raw\nforged.csv:1: raw: fake
    >>> print(printable("名\u202eabc"))
    名\u202eabc
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass
class RawTable:
    """Rows of one CSV file as text, with the line each row starts on."""

    path: Path
    display: str
    header: list[str]
    rows: list[dict[str, str]]
    lines: list[int]


def _decode(data: bytes, display: str) -> tuple[str | None, Problem | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(display, 1, "(file)", "UTF-16 encoded; save the file as UTF-8")
    if b"\x00" in data:
        return None, Problem(display, 1, "(file)", "contains NUL bytes; not a text CSV file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = " (looks like GBK/GB18030)"
        except UnicodeDecodeError:
            pass
        return None, Problem(
            display, line, "(file)",
            f"not valid UTF-8 at byte {err.start}{hint}; save the file as UTF-8",
        )
    if not text.strip():  # nothing, blanks or only a byte-order mark
        return None, Problem(display, 1, "(file)", "empty file; expected a header row")
    return text, None


def _label(column: str) -> str:
    """A header cell as the column field of a problem: ``(blank)``, or cut to 60 characters."""
    if not column:
        return "(blank)"
    return column if len(column) <= 60 else column[:60] + "…"


#: separators spreadsheets write instead of commas, as a problem names them
_OTHER_SEPARATORS = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}


def _separator_problem(header: list[str], expected: tuple[str, ...], display: str
                       ) -> Problem | None:
    """One line when the header is the expected columns joined by another separator."""
    line = ",".join(header)
    for sep, name in _OTHER_SEPARATORS.items():
        if sep in line and set(c.strip().strip('"') for c in line.split(sep)) & set(expected):
            return Problem(display, 1, "(file)", f"the columns are separated by {name}, not "
                                                 "commas (as Excel saves CSV in some "
                                                 "locales); save it as comma-separated CSV "
                                                 "(UTF-8)")
    return None


def _header_problems(header: list[str], expected: tuple[str, ...], display: str
                     ) -> list[Problem]:
    separator = _separator_problem(header, expected, display)
    if separator is not None:
        return [separator]
    if not set(header) & set(expected):  # junk or a data row: one line, not one per column
        return [Problem(display, 1, "(header)", f"no header row: line 1 has none of the "
                                                f"columns ({', '.join(expected)})")]
    problems = [Problem(display, 1, c, "missing column") for c in expected if c not in header]
    counts: dict[str, int] = {}
    for c in header:
        counts[c] = counts.get(c, 0) + 1
    for c, n in counts.items():  # each name once, however often it is repeated
        if c not in expected:
            problems.append(Problem(display, 1, _label(c), "unknown column"))
        elif n > 1:
            problems.append(Problem(display, 1, c, "column appears twice"))
    return problems


def read_table(path: Path, expected: tuple[str, ...], display: str | None = None,
               root: Path | None = None) -> tuple[RawTable | None, list[Problem]]:
    """Read ``path`` as a CSV table with the ``expected`` columns.

    Parameters
    ----------
    path : Path
        The CSV file.
    expected : tuple of str
        Column names the header must have (order is free; none missing, none extra).
    display : str, optional
        How to name the file in problems (default: ``path`` as given).
    root : Path, optional
        The folder the file must be in (default: its own folder); see
        :func:`coopstats.dataset._files.read_file` for what is refused.

    Returns
    -------
    table : RawTable or None
        None when the file cannot be read as a table at all.
    problems : list of Problem
        Everything wrong at the file, header and row-shape level.
    """
    display = display or str(path)
    try:
        data = read_file(path, path.parent if root is None else root)
    except Unreadable as err:
        return None, [Problem(display, 0, "(file)", "missing table" if err.missing
                              else err.reason)]
    text, problem = _decode(data, display)
    if problem:
        return None, [problem]
    assert text is not None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header, problems = _check_header(reader, expected, display)
    if header is None:
        return None, problems
    rows, lines = _read_rows(reader, header, display, problems)
    if rows is None:
        return None, problems
    if not rows and not problems:
        problems.append(Problem(display, 2, "(file)", "header only; the table has no rows"))
    return RawTable(path, display, header, rows, lines), problems


def _check_header(reader: Any, expected: tuple[str, ...], display: str
                  ) -> tuple[list[str] | None, list[Problem]]:
    """The header row of a ``csv.reader`` (None when the table cannot be read with it) and
    its problems."""
    try:
        header = next(reader)
    except csv.Error as err:
        return None, [Problem(display, 1, "(header)", f"malformed CSV: {err}")]
    header = [h.strip() for h in header]
    problems = _header_problems(header, expected, display)
    if any(c not in header for c in expected) or len(set(header)) != len(header):
        return None, problems
    return header, problems


def _csv_error(err: csv.Error) -> str:
    """What a malformed row's error means, in the words of someone editing the file."""
    reason = str(err)
    if "EOF" in reason or "unexpected end" in reason:
        return "unbalanced quote character (a cell opens \" and never closes it)"
    if "expected after" in reason:
        return "unbalanced quote character (a \" inside a cell must be doubled, and the " \
               "cell quoted)"
    return reason


def _read_rows(reader: Any, header: list[str], display: str, problems: list[Problem]
               ) -> tuple[list[dict[str, str]] | None, list[int]]:
    """The rows after the header, by column, and the line each starts on; a row with the
    wrong number of fields is a problem and left out, a malformed CSV (rows None) ends
    the reading. Problems are added to ``problems``."""
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return rows, lines
        except csv.Error as err:
            problems.append(Problem(display, start, "(row)", f"malformed CSV: {_csv_error(err)}"))
            return None, lines
        line, start = start, reader.line_num + 1
        if not record or all(not cell.strip() for cell in record):
            continue  # blank line
        if len(record) != len(header):
            problems.append(Problem(
                display, line, "(row)",
                f"{len(record)} fields, expected {len(header)} "
                f"({'truncated row' if len(record) < len(header) else 'too many fields'}; "
                "a comma inside a cell needs quotes)",
            ))
            continue
        rows.append(dict(zip(header, record, strict=True)))
        lines.append(line)
