"""Read a table and check each cell: the checks every cell gets, then its kind's rule.

The rule of each kind (a number, a choice, an id …) is declared with the kind in
:data:`coopstats.dataset.schema.KINDS`; what comes first here holds for every cell: a required cell
is not empty or invisible, no missing-value marker, nothing a spreadsheet would run as a
formula, no surrounding spaces, no bidirectional control character.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from coopstats.dataset._text import FORMULA_START, NA_TOKENS, TEXT_FORMULA_START, quoted
from coopstats.dataset.checks.result import Checked, Row, display
from coopstats.dataset.csvfile import RawTable, read_table
from coopstats.dataset.schema import KINDS, Column, Table

__all__ = ["cell_problem", "read"]

# bidirectional controls: they make a cell display as something else (U+202E reverses it)
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Unicode categories a reader cannot see: controls, format (zero-width, BOM), separators
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _invisible(text: str) -> bool:
    """Whether ``text`` has nothing a reader would see (spaces, zero-width and bidi
    characters, byte-order marks …)."""
    return all(unicodedata.category(c) in _INVISIBLE for c in text)


def _common_problem(col: Column, text: str, formula_start: tuple[str, ...]) -> str | None:
    """The checks every cell gets, in this order (the first that fails is reported)."""
    if text == "" or (col.required and not text.isprintable() and _invisible(text)):
        if not col.required:
            return None
        return "required; the cell is empty" + (
            f" (it holds only invisible characters: {quoted(text)})" if text else "")
    if text in NA_TOKENS and text not in col.choices:
        return f"{quoted(text)} looks like a missing-value marker; leave the cell empty instead"
    if text.startswith(formula_start):
        return f"{text[:20]!r} starts like a spreadsheet formula"
    if text != text.strip():
        return "leading or trailing spaces"
    bidi = None if text.isprintable() else _BIDI.search(text)  # (they are not printable)
    if bidi:
        return (f"contains the bidirectional control character U+{ord(bidi.group()):04X}, "
                "which reorders how text is shown; remove it")
    return None


def cell_problem(col: Column, text: str) -> str | None:
    """What is wrong with one cell of ``col``, or None.

    Examples
    --------
    >>> from coopstats.dataset.schema import SCHEMA
    >>> cell_problem(SCHEMA["facts"].column("status"), "NA")
    "'NA' looks like a missing-value marker; leave the cell empty instead"
    >>> cell_problem(SCHEMA["facts"].column("note"), "- see 2.1"), cell_problem(
    ...     SCHEMA["facts"].column("period_end"), "-2021")
    (None, "'-2021' starts like a spreadsheet formula")
    """
    kind = KINDS[col.kind]
    formula_start = TEXT_FORMULA_START if kind.free_text else FORMULA_START
    return _common_problem(col, text, formula_start) or (kind.check(col, text) if text
                                                         else None)


def _check_rows(table: Table, raw: RawTable, out: Checked) -> list[Row]:
    rows = [Row(cells, raw.display, line) for cells, line in zip(raw.rows, raw.lines, strict=True)]
    # the same cell text of a column has the same problem: a choice, an id or a year repeats
    # on many rows, so each distinct one is checked once (free text rarely repeats: not kept)
    columns = [(col, col.name, col.required, {} if not KINDS[col.kind].free_text else None)
               for col in table.columns]
    for row in rows:
        for col, name, required, seen in columns:
            text = row[name]
            if not (text or required):  # an optional empty cell is fine: no call
                continue
            if seen is None:
                reason = cell_problem(col, text)
            elif text in seen:
                reason = seen[text]
            else:
                reason = seen[text] = cell_problem(col, text)
            if reason:
                out.add(row, name, reason)
    return rows


def read(table: Table, path: Path, out: Checked) -> list[Row]:
    """The rows of one file of ``table``, every cell checked; problems go to ``out``."""
    raw, problems = read_table(path, table.column_names, display(path), root=out.data_dir)
    out.problems.extend(problems)
    if not table.many_files and (raw is None or any(p.column == "(row)" for p in problems)):
        out.unreadable.add(table.name)  # not read, or rows left out: its ids are not known
    if raw is None:
        return []
    return _check_rows(table, raw, out)
