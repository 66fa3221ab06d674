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
  :mod:`coopstats.analysis.priors`).
* ``open_start``: the start lies between the pairing's start and the end.
* ``annual``: exactly one year (the figure is per year).
* ``as_of``: an achieved figure with no period words is as of the article (codebook P2,
  P3): its window ends at the article's date and has no start, so it is not annualised
  (a flow keeps an issue); a stock is counted at that date.
* ``none``: no window; the figure is not annualised.

**Budget years** (P13, :func:`budget_window`). Fiscal aid is appropriated per budget year,
and the projects it finances are planned per budget year (:data:`BUDGET_YEAR_GROUPS`). A
cumulative total of such figures covers *whole* budget years: from its start year (all of
it, even when the pairing began in April) to the year before the report, plus the report's
own year when that year's allocation may already have been issued: not before
:data:`ISSUE_MONTH` (a report of April 2023 covers 2021–2022), and in part, wholly or not at
all from then on (bounds, not a guess). A figure of one year, or ending before the report's
year, covers exactly those budget years; ``近年来`` at least two budget years, an open start
(``目前``) at least one.

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

__all__ = ["AS_OF_ISSUE", "BUDGET_YEAR_GROUPS", "ISSUE_MONTH", "RECENT_MIN_YEARS", "Window",
           "budget_window", "month_start", "recent_bounds", "window", "windows"]

#: ``近年来`` ("in recent years", plural) covers at least this many years (codebook P2).
RECENT_MIN_YEARS = 2.0
#: Comparable groups counted in whole budget years (codebook P13): appropriated money and
#: the projects it finances.
BUDGET_YEAR_GROUPS = ("fiscal_aid", "aid_projects")
#: A report from this month on may hold its own year's allocation (in part, wholly or not at
#: all); before it, it holds none (codebook P13: budgets are passed in January–March, and a
#: report of April 2023 counts 2021–2022).
ISSUE_MONTH = 5
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
#: The issue of an ``as_of`` window: it has an end, the article's date, and no start.
AS_OF_ISSUE = "no period in the text: counted as of the article only, no start"


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
           starts: list[tuple[int, int | None]] | None = None,
           latest_start: int | None = None) -> Window:
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
    latest_start : int, optional
        For ``recent``: the external layer's bound (P14): the window starts in this year at
        the latest.

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
    >>> w = window(None, 2023, "as_of", pub=(2023, None, "year"))
    >>> w.end_low, w.end_high, w.issue
    (2023.0, 2024.0, 'no period in the text: counted as of the article only, no start')
    """
    starts = starts or []
    if basis == "none" or end is None:
        return _NO_WINDOW
    end_low, end_high = _end(end, pub)
    if basis == "as_of":  # an end (the article's date), no start: never annualised
        return Window(_NAN, _NAN, end_low, end_high, AS_OF_ISSUE)
    if basis == "annual":
        return Window(float(end), float(end), float(end + 1), float(end + 1))
    if basis in ("recent", "open_start"):
        return _open_window(basis, starts[0] if starts else None, end_low, end_high,
                            latest_start)
    if start is None:
        return _NO_WINDOW
    start_low, start_high = _start(start, starts)
    return Window(start_low, min(start_high, end_low), end_low, end_high)


def budget_window(start: int | None, end: int | None, basis: str, *,
                  pub: tuple[int, int | None, str],
                  starts: list[tuple[int, int | None]] | None = None,
                  latest_start: int | None = None) -> Window:
    """The window of a figure counted in whole budget years (codebook P13).

    Parameters are those of :func:`window`. Bounds are whole years: ``start_low`` is the
    first budget year counted, ``end_low`` the year after the last budget year certainly
    counted, ``end_high`` one more when the report's own year may be counted (wholly, in part
    or not at all: the figure may hold some of that year's allocation).

    Examples
    --------
    >>> w = budget_window(2021, 2023, "stated", pub=(2023, 4, "month"), starts=[(2021, 4)])
    >>> w.start_low, w.end_low, w.end_high, w.years_low, w.years_high  # 2021 and 2022
    (2021.0, 2023.0, 2023.0, 2.0, 2.0)
    >>> w = budget_window(2021, 2024, "stated", pub=(2024, 10, "day"), starts=[(2021, 4)])
    >>> w.years_low, w.years_high  # 2021–2023, and 2024 wholly, in part or not at all
    (3.0, 4.0)
    >>> budget_window(2025, 2025, "article_frame", pub=(2025, 12, "day")).years_high
    1.0
    """
    w = window(start, end, basis, pub=pub, starts=starts, latest_start=latest_start)
    if w.issue:
        return w
    year, month, precision = pub
    if basis == "annual" or (start is not None and start == end) or end != year:
        last = end if basis != "annual" else w.start_low
        first = float(start) if start is not None and basis != "annual" else float(last)
        return Window(first, first, float(last) + 1, float(last) + 1)
    may_hold = precision == "year" or month is None or month >= ISSUE_MONTH
    end_low, end_high = float(year), float(year + (1 if may_hold else 0))
    if basis in ("recent", "open_start"):  # at least two budget years, or at least one
        least = w.min_years if basis == "recent" else 1.0
        floor = float(int(w.start_low))
        latest = float(int(end_high - least))
        if latest_start is not None and basis == "recent":
            latest = min(latest, float(latest_start))
        return Window(floor, max(latest, floor), end_low, end_high, min_years=least)
    first = float(start)
    return Window(first, min(first, end_low), end_low, end_high)


def _open_window(basis: str, first: tuple[int, int | None] | None, end_low: float,
                 end_high: float, latest_start: int | None = None) -> Window:
    if first is None:
        words = "recent years" if basis == "recent" else "open start"
        return Window(_NAN, _NAN, end_low, end_high,
                      f"{words} and no known start of the pairing")
    floor = _month_or_year(*first)[0]
    if basis == "open_start":
        return Window(floor, max(end_low, floor), end_low, end_high)
    latest = max(end_high - RECENT_MIN_YEARS, floor)
    if latest_start is not None:
        latest = max(min(latest, latest_start + 1.0), floor)  # within that year at the latest
    return Window(floor, latest, end_low, end_high, min_years=RECENT_MIN_YEARS)


def _pub(date: str, precision: str) -> tuple[int, int | None, str]:
    return int(date[:4]), int(date[5:7]) if len(date) >= 7 else None, str(precision)


def windows(rows: pd.DataFrame, data, *, budget_years: bool = False) -> pd.DataFrame:
    """The window of every row, with the article's date and the pairing's starts looked up.

    Parameters
    ----------
    rows : DataFrame
        With ``pairing_id``, ``period_start``, ``period_end``, ``period_basis`` and
        ``article_id`` (facts or :func:`coopstats.analysis.totals.pairing_figures`), or with the
        row's own ``pub_date`` and ``pub_date_precision`` (an external report,
        :func:`coopstats.load_reports`).
    data : Dataset
        :func:`coopstats.load_all`.
    budget_years : bool
        Count the rows of :data:`BUDGET_YEAR_GROUPS` in whole budget years
        (:func:`budget_window`, codebook P13); the others, and every row when False, by the
        report's date (:func:`window`).

    Returns
    -------
    DataFrame
        Same index as ``rows``: ``start_low``, ``start_high``, ``end_low``, ``end_high``,
        ``years_low``, ``years_high``, ``min_years`` (NaN where there is no window),
        ``period_issue`` (empty when the row can be annualised) and ``budget_years``
        (whether the window is in whole budget years).

    Examples
    --------
    >>> import coopstats
    >>> data = coopstats.load_all()
    >>> w = windows(data.facts.set_index("fact_id").loc[["qd-044", "dx-010"]], data)
    >>> w[["years_low", "years_high"]].round(2).values.tolist()  # 近年来 from 2015 at the latest
    [[1.0, 1.0], [7.0, 13.0]]
    """
    pubs = _pubs(rows, data)
    starts = {str(p["pairing_id"]): _starts(p) for _, p in data.pairings.iterrows()}
    groups = data.indicators.set_index("indicator_id")["comparable_group"].astype(str)
    whole = rows["indicator"].astype(str).map(groups).isin(BUDGET_YEAR_GROUPS) \
        if budget_years else pd.Series(False, index=rows.index)
    bounds = _sentence_bounds(data)
    keys = _bound_keys(rows, groups)
    out = []
    for pub, pid, key, s, e, b, by in zip(pubs, rows["pairing_id"], keys, rows["period_start"],
                                          rows["period_end"], rows["period_basis"], whole,
                                          strict=True):
        bound = bounds.get(key) if b == "recent" else None
        w = (budget_window if by else window)(
            None if pd.isna(s) else int(s), None if pd.isna(e) else int(e), str(b),
            pub=pub, starts=starts[str(pid)] if pd.notna(pid) else [],
            latest_start=bound[0] if bound and bound[1] <= pub[0] else None)
        out.append((w.start_low, w.start_high, w.end_low, w.end_high, w.years_low,
                    w.years_high, w.min_years, w.issue, bool(by)))
    cols = ["start_low", "start_high", "end_low", "end_high", "years_low", "years_high",
            "min_years", "period_issue", "budget_years"]
    return pd.DataFrame(out, index=rows.index, columns=cols)


def recent_bounds(data) -> dict[tuple[str, str], tuple[int, int]]:
    """The external layer's bounds on ``近年来`` (codebook P14): for each pairing and
    comparable group, the earliest stated start of an independent external report that counts
    a total of the group from a year of its own (``2015年以來…1.4億元``), with the year that
    report ends. A ``recent`` window of the same pairing and group, in an article or report of
    that year or later, starts in that year at the latest: ``近年来`` continues the count the
    earlier report dates (it cannot leave out years that report counts).

    Examples
    --------
    >>> import coopstats
    >>> recent_bounds(coopstats.load_all())[("dezhou_xiushan", "fiscal_aid")]
    (2015, 2020)
    """
    r = data.reports
    groups = data.indicators.set_index("indicator_id")["comparable_group"].astype(str)
    spans = r[(r["scope"] == "pairing") & (r["independent"] == "yes") &
              r["period_basis"].isin(["stated", "relative"]) & r["period_start"].notna() &
              (r["period_start"] < r["period_end"])]
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for pid, ind, s, e in zip(spans["pairing_id"], spans["indicator"], spans["period_start"],
                              spans["period_end"], strict=True):
        key = (str(pid), groups[str(ind)])
        found[key] = min(found.get(key, (int(s), int(e))), (int(s), int(e)))
    return found


def _bound_keys(rows: pd.DataFrame, groups: pd.Series) -> list[tuple]:
    """What an external bound attaches to: an article's period words for the pairing (all
    its figures dated by them share one window), or a report's pairing and group."""
    arts = rows["article_id"] if "article_id" in rows.columns else \
        pd.Series(pd.NA, index=rows.index)
    return [("article", str(a), str(p), str(t)) if pd.notna(a) else
            ("group", str(p), groups.get(str(i), "")) for a, p, t, i in zip(
                arts, rows["pairing_id"], rows["period_text"], rows["indicator"], strict=True)]


def _sentence_bounds(data) -> dict[tuple, tuple[int, int]]:
    """:func:`recent_bounds`, for each report's pairing and group, and for every ``recent``
    period of an article (its words for the pairing) that dates a figure of a bounded group:
    the figures one ``近年来`` dates share one window."""
    by_group = recent_bounds(data)
    groups = data.indicators.set_index("indicator_id")["comparable_group"].astype(str)
    out: dict[tuple, tuple[int, int]] = {("group", *k): v for k, v in by_group.items()}
    f = data.facts[data.facts["period_basis"] == "recent"]
    for a, p, t, i in zip(f["article_id"], f["pairing_id"], f["period_text"], f["indicator"],
                          strict=True):
        bound = by_group.get((str(p), groups[str(i)]))
        key = ("article", str(a), str(p), str(t))
        if bound is not None:
            out[key] = min(out.get(key, bound), bound)
    return out


def _pubs(rows: pd.DataFrame, data) -> list[tuple[int, int | None, str]]:
    """Each row's date: its own (an external report's ``pub_date``), else its article's."""
    by_article = {str(a): _pub(d, p) for a, d, p in zip(
        data.articles["article_id"], data.articles["pub_date"],
        data.articles["pub_date_precision"], strict=True)}
    own = rows["pub_date"] if "pub_date" in rows.columns else pd.Series(pd.NA, rows.index)
    prec = rows["pub_date_precision"] if "pub_date" in rows.columns else own
    arts = rows["article_id"] if "article_id" in rows.columns else own
    return [_pub(str(d), str(p)) if pd.notna(d) else by_article[str(a)]
            for d, p, a in zip(own, prec, arts, strict=True)]


def _starts(pairing) -> list[tuple[int, int | None]]:
    """The pairing's first start, then its new round's, where known."""
    found = []
    if pd.notna(pairing["first_year"]):
        month = pairing["first_month"]
        found.append((int(pairing["first_year"]), None if pd.isna(month) else int(month)))
    if pd.notna(pairing["new_round_year"]):
        found.append((int(pairing["new_round_year"]), None))
    return found
