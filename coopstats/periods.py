"""How long a coded period lasted: each figure's window, in fractions of a year.

A figure's window runs from a start to an end, each known only within bounds, which come
from the words that date the figure (``period_basis``), the article's date and when the
pairing began (as the article states it, or from the cited external layer). These are the
codebook's rules P3 ("How long a period lasted"); they live only here.

Time is measured in years: ``2021.0`` is 1 January 2021, ``2023.25`` is 1 April 2023.

* **End.** A period ending before the article's year ends with that year (``2022年`` ends on
  31 December 2022, at 2023.0). A period ending in the article's year ends at the article's
  date: within its month when ``pub_date_precision`` is month, anywhere in the year when it
  is year.
* **Start.** A start year counts from 1 January, except in the year the pairing (or its 2021
  new round) began: then the window starts in the start month if known, else somewhere in
  that year. No pairing figure starts before its pairing did.
* ``recent`` (近年来): at least :data:`RECENT_MIN_YEARS` years; the start lies between the
  pairing's start and that many years before the end (where in that range is a prior:
  :mod:`coopstats.priors`).
* ``open_start``: the start lies between the pairing's start and the end.
* ``annual``: exactly one year (the figure is per year).
* ``none``: no window; the figure is not annualised.

Examples
--------
>>> w = window(2022, 2022, "stated", pub=(2023, 4, "month"), starts=[(2021, 4)])
>>> w.years_low, w.years_high
(1.0, 1.0)
>>> w = window(2021, 2023, "stated", pub=(2023, 4, "month"), starts=[(2021, 4)])
>>> round(w.years_low, 3), round(w.years_high, 3)
(1.917, 2.083)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["RECENT_MIN_YEARS", "Window", "month_start", "window", "windows"]

#: ``近年来`` ("in recent years", plural) covers at least this many years (codebook P2).
RECENT_MIN_YEARS = 2.0
_NAN = float("nan")


def month_start(year: int, month: int) -> float:
    """The moment a month begins, in years: ``month_start(2023, 4) == 2023.25``."""
    return year + (month - 1) / 12


@dataclass(frozen=True)
class Window:
    """Bounds of a figure's window (years as floats). ``issue`` is empty when the window is
    usable; ``min_years`` is the shortest it can be (two years for ``recent``)."""

    start_low: float
    start_high: float
    end_low: float
    end_high: float
    issue: str = ""
    min_years: float = 0.0

    @property
    def years_low(self) -> float:
        """The shortest the window can be."""
        return max(self.end_low - self.start_high, self.min_years)

    @property
    def years_high(self) -> float:
        """The longest the window can be."""
        return self.end_high - self.start_low


_NO_WINDOW = Window(_NAN, _NAN, _NAN, _NAN, "no period in the text")


def _month_or_year(year: int, month: int | None) -> tuple[float, float]:
    """Bounds of a moment known to its month, or only to its year."""
    if month:
        return month_start(year, month), month_start(year, month) + 1 / 12
    return float(year), float(year + 1)


def _end(end: int, pub: tuple[int, int | None, str]) -> tuple[float, float]:
    year, month, precision = pub
    if end < year:
        return float(end + 1), float(end + 1)
    return _month_or_year(year, month if precision in ("month", "day") else None)


def _start(start: int, starts: list[tuple[int, int | None]]) -> tuple[float, float]:
    """A start year counts from 1 January, unless the pairing (or its new round) began that
    year: then from its month, or somewhere in the year."""
    for year, month in starts:
        if year == start:
            return _month_or_year(year, month)
    return float(start), float(start)


def window(start: int | None, end: int | None, basis: str, *,
           pub: tuple[int, int | None, str],
           starts: list[tuple[int, int | None]] | None = None) -> Window:
    """The window of one coded period.

    Parameters
    ----------
    start, end : int or None
        ``period_start`` and ``period_end`` as coded.
    basis : str
        ``period_basis``.
    pub : (year, month or None, precision)
        The article's date and its precision (``"year"``, ``"month"`` or ``"day"``).
    starts : list of (year, month or None), optional
        When the pairing began (first: its first start, stated else external), then when
        its new round began, where known.

    Returns
    -------
    Window

    Examples
    --------
    >>> w = window(None, 2023, "recent", pub=(2023, None, "year"), starts=[(2011, None)])
    >>> w.start_low, w.start_high, w.years_low, w.years_high
    (2011.0, 2022.0, 2.0, 13.0)
    >>> window(None, 2023, "open_start", pub=(2023, None, "year")).issue
    'open start and no known start of the pairing'
    """
    starts = starts or []
    if basis == "none" or end is None:
        return _NO_WINDOW
    end_low, end_high = _end(end, pub)
    if basis == "annual":
        return Window(float(end), float(end), float(end + 1), float(end + 1))
    if basis in ("recent", "open_start"):
        return _open_window(basis, starts[0] if starts else None, end_low, end_high)
    if start is None:
        return _NO_WINDOW
    start_low, start_high = _start(start, starts)
    return Window(start_low, min(start_high, end_low), end_low, end_high)


def _open_window(basis: str, first: tuple[int, int | None] | None, end_low: float,
                 end_high: float) -> Window:
    if first is None:
        words = "recent years" if basis == "recent" else "open start"
        return Window(_NAN, _NAN, end_low, end_high,
                      f"{words} and no known start of the pairing")
    floor = _month_or_year(*first)[0]
    if basis == "open_start":
        return Window(floor, max(end_low, floor), end_low, end_high)
    latest = max(end_high - RECENT_MIN_YEARS, floor)
    return Window(floor, latest, end_low, end_high, min_years=RECENT_MIN_YEARS)


def _pub(date: str, precision: str) -> tuple[int, int | None, str]:
    return int(date[:4]), int(date[5:7]) if len(date) >= 7 else None, str(precision)


def windows(rows: pd.DataFrame, data) -> pd.DataFrame:
    """The window of every row, with the article's date and the pairing's starts looked up.

    Parameters
    ----------
    rows : DataFrame
        With ``pairing_id``, ``period_start``, ``period_end``, ``period_basis`` and
        ``article_id`` (facts or :func:`coopstats.totals.pairing_figures`), or with the
        row's own ``pub_date`` and ``pub_date_precision`` (an external report,
        :func:`coopstats.load_reports`).
    data : Dataset
        :func:`coopstats.load_all`.

    Returns
    -------
    DataFrame
        Same index as ``rows``: ``start_low``, ``start_high``, ``end_low``, ``end_high``,
        ``years_low``, ``years_high``, ``min_years`` (NaN where there is no window) and
        ``period_issue`` (empty when the row can be annualised).

    Examples
    --------
    >>> import coopstats
    >>> data = coopstats.load_all()
    >>> w = windows(data.facts.set_index("fact_id").loc[["qd-044", "dx-010"]], data)
    >>> w[["years_low", "years_high"]].round(2).values.tolist()
    [[1.0, 1.0], [2.0, 13.0]]
    """
    if "pub_date" in rows.columns:  # the rows' own dates (external reports)
        pubs = [_pub(d, p) for d, p in zip(rows["pub_date"], rows["pub_date_precision"],
                                           strict=True)]
    else:
        by_article = {str(a): _pub(d, p) for a, d, p in zip(
            data.articles["article_id"], data.articles["pub_date"],
            data.articles["pub_date_precision"], strict=True)}
        pubs = [by_article[str(a)] for a in rows["article_id"]]
    starts = {str(p["pairing_id"]): _starts(p) for _, p in data.pairings.iterrows()}
    out = []
    for pub, pid, s, e, b in zip(pubs, rows["pairing_id"], rows["period_start"],
                                 rows["period_end"], rows["period_basis"], strict=True):
        w = window(None if pd.isna(s) else int(s), None if pd.isna(e) else int(e), str(b),
                   pub=pub, starts=starts[str(pid)] if pd.notna(pid) else [])
        out.append((w.start_low, w.start_high, w.end_low, w.end_high, w.years_low,
                    w.years_high, w.min_years, w.issue))
    cols = ["start_low", "start_high", "end_low", "end_high", "years_low", "years_high",
            "min_years", "period_issue"]
    return pd.DataFrame(out, index=rows.index, columns=cols)


def _starts(pairing) -> list[tuple[int, int | None]]:
    """The pairing's first start, then its new round's, where known."""
    found = []
    if pd.notna(pairing["first_year"]):
        month = pairing["first_month"]
        found.append((int(pairing["first_year"]), None if pd.isna(month) else int(month)))
    if pd.notna(pairing["new_round_year"]):
        found.append((int(pairing["new_round_year"]), None))
    return found
