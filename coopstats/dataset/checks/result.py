"""What a check produces: the rows it read (as text, with file and line) and its problems."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coopstats.dataset.csvfile import Problem
from coopstats.dataset.schema import SCHEMA

__all__ = ["Checked", "Row", "display"]


class Row(dict):
    """One data row: its cells as text (``row["raw"]``), where it came from (``display``,
    ``line``). A dict, so reading a cell is a plain dictionary lookup."""

    __slots__ = ("display", "line")

    def __init__(self, cells: dict[str, str], display: str, line: int) -> None:
        super().__init__(cells)
        self.display = display
        self.line = line

    def __repr__(self) -> str:
        return f"Row({dict(self)!r}, {self.display!r}, {self.line})"


@dataclass
class Checked:
    """The result of :func:`coopstats.dataset.checks.check`: rows per table and every problem
    found."""

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

    def add_duplicates(self, rows: Iterable[Row], columns: tuple[str, ...]) -> None:
        """One problem on each row whose ``columns`` repeat an earlier row's, naming the
        first (a table's rule of one row per place, indicator and year, and the like)."""
        first: dict[tuple[str, ...], Row] = {}
        for row in rows:
            prev = first.setdefault(tuple(row[c] for c in columns), row)
            if prev is not row:
                self.add(row, "(row)", f"duplicates the row at {prev.display}:{prev.line}")

    def note_bad_keys(self) -> None:
        """Remember which tables have a bad id (called once the cells are checked, before
        the rules between rows)."""
        self._bad_keys = {name for name, rows in self.rows.items() if SCHEMA[name].key and
                          any(self.flagged(r, SCHEMA[name].key) for r in rows)}


def display(path: Path) -> str:
    """How a problem names a file: relative to the current folder, unless that path would
    climb more than one folder up."""
    try:
        rel = os.path.relpath(path)
    except (ValueError, OSError):  # another drive on Windows; no current folder
        return str(path)
    return rel if not rel.startswith(".." + os.sep + "..") else str(path)
