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

__all__ = ["Problem", "RawTable", "read_table"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the data, printed as ``path:line: column: reason``."""

    path: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column}: {self.reason}"


@dataclass
class RawTable:
    """Rows of one CSV file as text, with the line each row starts on."""

    path: Path
    display: str
    header: list[str]
    rows: list[dict[str, str]]
    lines: list[int]


def _decode(data: bytes, display: str) -> tuple[str | None, Problem | None]:
    if not data.strip():
        return None, Problem(display, 1, "(file)", "empty file; expected a header row")
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
    return text, None


def read_table(path: Path, expected: tuple[str, ...], display: str | None = None
               ) -> tuple[RawTable | None, list[Problem]]:
    """Read ``path`` as a CSV table with the ``expected`` columns.

    Parameters
    ----------
    path : Path
        The CSV file.
    expected : tuple of str
        Column names the header must have (order is free; none missing, none extra).
    display : str, optional
        How to name the file in problems (default: ``path`` as given).

    Returns
    -------
    table : RawTable or None
        None when the file cannot be read as a table at all.
    problems : list of Problem
        Everything wrong at the file, header and row-shape level.
    """
    display = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [Problem(display, 0, "(file)", f"cannot read: {err.strerror}")]
    text, problem = _decode(data, display)
    if problem:
        return None, [problem]
    assert text is not None

    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as err:
        return None, [Problem(display, 1, "(header)", f"malformed CSV: {err}")]
    header = [h.strip() for h in header]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    for c in missing:
        problems.append(Problem(display, 1, c, "missing column"))
    for c in extra:
        problems.append(Problem(display, 1, c or "(blank)", "unknown column"))
    seen: set[str] = set()
    for c in header:
        if c in seen:
            problems.append(Problem(display, 1, c, "column appears twice"))
        seen.add(c)
    if missing or len(seen) != len(header):
        return None, problems

    rows: list[dict[str, str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            reason = str(err)
            if "EOF" in reason or "unexpected end" in reason:
                reason = "unbalanced quote character (a cell opens \" and never closes it)"
            elif "expected after" in reason:
                reason = ("unbalanced quote character (a \" inside a cell must be doubled, "
                          "and the cell quoted)")
            problems.append(Problem(display, start, "(row)", f"malformed CSV: {reason}"))
            return None, problems
        line = start
        start = reader.line_num + 1
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
    if not rows and not problems:
        problems.append(Problem(display, 2, "(file)", "header only; the table has no rows"))
    return RawTable(path, display, header, rows, lines), problems
