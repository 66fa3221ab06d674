"""Rules about the text of a cell, declared once for the validator, the exporter and the parser.

What a spreadsheet runs as a formula, which texts look like a missing value, and which digits
are not ASCII 0-9. Plain Python with no imports from the package, so that every module can
use it without an import cycle.

Examples
--------
>>> "=SUM(A1)".startswith(FORMULA_START), "-5".startswith(TEXT_FORMULA_START)
(True, False)
>>> foreign_digit("１2"), digit_kind("１"), digit_kind("٣")
('１', 'full-width', 'non-ASCII')
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ASCII_DECIMAL", "ASCII_FLOAT", "ASCII_INT", "FORMULA_START", "FULLWIDTH_POINT",
           "MISSING", "NA_TOKENS", "TEXT_FORMULA_START", "digit_kind", "foreign_digit",
           "quoted"]

#: A cell starting with one of these is run as a formula by a spreadsheet (CSV injection):
#: the exporter neutralises them all.
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: The same without ``-``, which free text may start with (the validator allows it there;
#: anywhere else it is a formula, or a negative number the data never has).
TEXT_FORMULA_START: tuple[str, ...] = tuple(c for c in FORMULA_START if c != "-")

#: The only cell text that means "no value": the empty cell.
MISSING = ""
#: Cell texts that look like missing-value markers; never read as missing, always flagged.
NA_TOKENS = frozenset({"NA", "N/A", "n/a", "na", "null", "NULL", "Null", "nan", "NaN", "NAN",
                       "None", "#N/A", "-"})

# Numbers are written with ASCII digits only: ``float()`` and ``\d`` also take ``٣١``,
# ``3_1`` or ``inf``.
_DIGITS = "[0-9]"
#: A whole number as a spreadsheet writes it.
ASCII_INT = re.compile(f"{_DIGITS}+")
#: A number as a spreadsheet writes it: ``12``, ``1.5``, ``.5``, ``1e3``.
ASCII_FLOAT = re.compile(
    rf"(?:{_DIGITS}+(?:\.{_DIGITS}*)?|\.{_DIGITS}+)(?:[eE][-+]?{_DIGITS}{{1,3}})?")
#: A number as a newspaper prints it before its multiplier: ``240``, ``1.3``.
ASCII_DECIMAL = re.compile(f"{_DIGITS}+(?:[.]{_DIGITS}+)?")
#: The full-width decimal point (``１．５``), refused with the full-width digits.
FULLWIDTH_POINT = "．"


def foreign_digit(text: str, also: str = "") -> str | None:
    """The first digit of ``text`` that is not ASCII 0-9 (full-width ``３``, Arabic-Indic
    ``٣``, superscript ``³``, circled ``③`` …) or is one of ``also``; None when there is none.
    """
    if text.isascii():
        return None
    return next((c for c in text if not c.isascii() and (c.isdigit() or c in also)), None)


def digit_kind(char: str) -> str:
    """``full-width`` or ``non-ASCII``: how a problem names a digit :func:`foreign_digit`
    found."""
    return "full-width" if unicodedata.east_asian_width(char) == "F" else "non-ASCII"


def quoted(text: str) -> str:
    """A cell as echoed in a problem: quoted, and cut to 60 characters.

    >>> quoted("NA"), quoted("x" * 61)[-3:]
    ("'NA'", "x'…")
    """
    return repr(text) if len(text) <= 60 else repr(text[:60]) + "…"
