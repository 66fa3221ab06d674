"""Numbers in sentences: a notebook's prose is rendered from the values it computes.

A sentence such as "Dingxi got about 182 yuan per resident and year (175–190)" is written in
a code cell as ``say(f"… about {num(r)} yuan … ({span(lo, hi)})")``: the number is the
computed one, rounded as printed, so the prose cannot disagree with the table above it, and
it stays true when a parameter or the data change. The report shows such a cell's text, not
its code (the cell is tagged ``hide-input``).

Examples
--------
>>> num(145.67), num(47.9), num(7.704), num(0.3125), num(1252.4)
('146', '48', '7.7', '0.31', '1,252')
>>> span(121.4, 182.1)
'121–182'
"""

from __future__ import annotations

import math

__all__ = ["between", "interval", "num", "say", "share", "span"]


def num(x: float, digits: int = 2) -> str:
    """``x`` as a sentence prints it: whole numbers from 10 up (with thousands separators),
    else ``digits`` significant digits.

    Examples
    --------
    >>> num(684.88), num(9.0), num(0.0)
    ('685', '9', '0')
    """
    if not math.isfinite(x):
        return "n/a"
    if abs(x) >= 10 or x == 0:
        return f"{round(x):,}"
    places = max(digits - 1 - math.floor(math.log10(abs(x))), 0)
    text = f"{x:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def span(low: float, high: float, digits: int = 2) -> str:
    """An interval as printed: ``121–182``."""
    return f"{num(low, digits)}–{num(high, digits)}"


def between(low: float, high: float, digits: int = 2) -> str:
    """An interval that may hold negative numbers, or one number when both ends are equal:
    ``-8 to 2``, ``55``.

    Examples
    --------
    >>> between(-8.0, 2.0), between(55.0, 55.0), between(27400, 28400)
    ('-8 to 2', '55', '27,400 to 28,400')
    """
    if num(low, digits) == num(high, digits):
        return num(low, digits)
    return f"{num(low, digits)} to {num(high, digits)}"


def interval(low: float, high: float, suffix: str = "", digits: int = 2) -> str:
    """An interval in brackets after a central value, or nothing when it is one number as
    printed: ``' (121–182)'``, ``''``.

    Examples
    --------
    >>> interval(121.4, 182.1, "%"), interval(0.3601, 0.3604, "%")
    (' (121–182%)', '')
    """
    if num(low, digits) == num(high, digits):
        return ""
    return f" ({span(low, high, digits)}{suffix})"


def share(p: float) -> str:
    """A probability as a percentage: ``0.895`` → ``'90%'``.

    Examples
    --------
    >>> share(0.895), share(0.0), share(1.0)
    ('90%', '0%', '100%')
    """
    return f"{round(100 * p)}%"


def say(text: str) -> None:
    """Show ``text`` as Markdown in a notebook (printed as it is elsewhere)."""
    from IPython.display import Markdown, display

    display(Markdown(text))
