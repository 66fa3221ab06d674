"""Column kinds: what a kind of cell means, declared once for every reader of the schema.

Each :class:`Kind` says what a cell of that kind holds, how the validator checks it, which
pandas dtype the loaders give it, which Frictionless type ``datapackage.json`` declares and
how it reads as a value. :mod:`coopstats.dataset.schema` gives every column one of these kinds.

Examples
--------
>>> KINDS["int"].dtype, KINDS["int"].frictionless
('Int64', 'integer')
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from coopstats.dataset._text import ASCII_FLOAT, ASCII_INT, foreign_digit, quoted


class Column(Protocol):
    """What a cell rule reads of a column (:class:`coopstats.dataset.schema.Column` has it):
    declared here so that the kinds need not import the schema that uses them."""

    name: str
    pattern: str | None
    choices: tuple[str, ...]
    bounds: tuple | None


__all__ = ["KINDS", "LIST_SEPARATOR", "Kind"]

#: Between the items of a ``list`` cell.
LIST_SEPARATOR = ";"
_MAX_INT_DIGITS = 18  # fits Int64; ``int()`` of thousands of digits is slow or refused


@dataclass(frozen=True)
class Kind:
    """What a column kind means to each reader of the schema.

    Attributes
    ----------
    meaning : str
        What a cell of this kind holds (``coopstats describe --markdown``, the codebook).
    dtype : str
        The pandas dtype of a loaded column. ``category`` is a categorical of the column's
        choices; any column that references a table is loaded as a categorical of its ids.
    frictionless : str
        The field type in ``datapackage.json`` (Frictionless Table Schema).
    check : callable
        ``check(column, text)``: what is wrong with a non-empty cell, or None; the checks
        every cell gets (missing-value markers, formulas, spaces …) come first
        (:mod:`coopstats.dataset.checks.cells`).
    parse : callable
        Cell text to value, for the loaders and the column's bounds.
    free_text : bool
        Whether a cell may start with ``-`` (:data:`coopstats.dataset._text.TEXT_FORMULA_START`).
    separator : str
        Between the items of a cell that lists several choices; "" for one value.
    """

    meaning: str
    dtype: str
    frictionless: str
    check: Callable[[Column, str], str | None]
    parse: Callable[[str], object] = str
    free_text: bool = False
    separator: str = ""


# --- what each kind means for the validator: the problem with a non-empty cell ---------------

@functools.cache
def _pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _text(col: Column, text: str) -> str | None:
    if col.pattern and not _pattern(col.pattern).fullmatch(text):
        return f"{quoted(text)} does not match {col.pattern}"
    return None


def _id(col: Column, text: str) -> str | None:
    if col.pattern and not _pattern(col.pattern).fullmatch(text):
        return f"{quoted(text)} is not a valid id (expected {col.pattern})"
    return None


def _choice(col: Column, text: str) -> str | None:
    if text not in col.choices:
        return f"{quoted(text)} is not one of: {', '.join(col.choices)}"
    return None


def _choices(col: Column, text: str) -> str | None:
    bad = next((item for item in text.split(LIST_SEPARATOR) if item not in col.choices), None)
    return None if bad is None else _choice(col, bad)


def _number(col: Column, text: str, parse: type[int] | type[float]) -> str | None:
    """ASCII digits only, no leading zero in a whole number, within the column's bounds.
    What passes converts with ``int()``/``float()`` to a finite value."""
    if foreign_digit(text) is not None:
        return f"{quoted(text)} has digits other than ASCII 0-9 (full-width, Arabic-Indic, " \
               "superscript …); use 0-9"
    whole = parse is int
    if not (ASCII_INT if whole else ASCII_FLOAT).fullmatch(text):
        return f"{quoted(text)} is not {'a whole number' if whole else 'a number'}"
    if whole and len(text) > 1 and text[0] == "0":
        return f"{quoted(text)} has a leading zero"
    value = None if whole and len(text) > _MAX_INT_DIGITS else parse(text)
    if col.bounds:
        lo, hi = (parse(b) for b in col.bounds)
        if value is None or not lo <= value <= hi:
            return f"{text if len(text) <= 20 else text[:20] + '…'} is outside {lo}–{hi}"
    elif value is None or not math.isfinite(value):
        return f"{quoted(text)} is too large"
    return None


def _int(col: Column, text: str) -> str | None:
    return _number(col, text, int)


def _float(col: Column, text: str) -> str | None:
    return _number(col, text, float)


def _derived(col: Column, text: str) -> str | None:
    raise TypeError(f"{col.name} is derived by the loaders, never read from a file")


#: Every column kind, declared once.
KINDS: dict[str, Kind] = {
    "str": Kind("free text", "string", "string", _text, free_text=True),
    "id": Kind("an identifier: lower-case ASCII letters and digits, with `_` or `-` where the "
               "column's pattern allows", "string", "string", _id),
    "category": Kind("one of the listed values", "category", "string", _choice),
    "list": Kind("one or more of the listed values, `;`-separated", "string", "string",
                 _choices, separator=LIST_SEPARATOR),
    "int": Kind("a whole number in ASCII digits, no leading zero", "Int64", "integer", _int,
                parse=int),
    "float": Kind("a number in ASCII digits (`12`, `1.5`, `1e3`)", "Float64", "number",
                  _float, parse=float),
    "bool": Kind("true or false (derived by the loaders)", "bool", "boolean", _derived),
}
