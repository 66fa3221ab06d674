"""Rates: a pairing-level figure per year, per resident, in constant yuan, with intervals.

Each rate carries three numbers, never just one:

* ``rate_low`` and ``rate_high``: the figure's interval (``1.3万余`` is [13 000, 14 000)) over
  the windows it may have (:mod:`coopstats.analysis.periods`), each window at its own deflator: the
  lowest and highest rate a feasible window attains (:func:`feasible_windows`), not the
  longest window at the deflator of another;
* ``rate_mid``: the central estimate, drawn as the dot: the interval's midpoint
  (``value_mid``) over the middle of the window's length at the middle window's deflator. It
  lies inside the interval; ``value`` stays the printed number.

Money is spread over its window (fiscal aid and its projects over whole budget years,
:func:`coopstats.analysis.periods.budget_window`) and each year's share deflated with the national
CPI
(years after the CPI series at its last level; :func:`deflator`: evenly, or growing by a rate
a prior names, :mod:`coopstats.analysis.priors`). The
denominator is the 2020 census population of the recipient (or the donor), a budget or GDP
(a share, :mod:`coopstats.analysis.denominators`), or nothing.

Examples
--------
>>> import coopstats
>>> from coopstats.analysis.totals import pairing_figures
>>> data = coopstats.load_all()
>>> f = pairing_figures(data.facts).set_index("fact_id").loc[["qd-s02"]]
>>> r = rates(f, data, per=100_000)
>>> round(float(r["rate_mid"].iloc[0]), 1)  # Dingxi 2022: 17 287 / 25.241 hundred thousand
684.9
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coopstats.analysis.denominators import population, population_issue, share_base
from coopstats.analysis.periods import windows
from coopstats.dataset.parameters import COUNTS, DENOMINATORS, SHARES, one_of, positive, year

__all__ = ["BASE_YEAR", "IncomparableError", "deflator", "extended_levels",
           "feasible_windows", "population", "price_levels", "rates", "rates_of", "windowed"]

#: The price year yuan are expressed in unless told otherwise (the seed articles' newest
#: full year): the default ``base_year`` of every function and of the map. The notebooks
#: declare the same year in their parameters cells (a test checks they agree).
BASE_YEAR = 2023


class IncomparableError(ValueError):
    """Raised when figures that the codebook says are not comparable would be added or
    ranked together (another comparable group, unit, measure type, direction or funder)."""


def price_levels(cpi: pd.DataFrame, base_year: int) -> pd.Series:
    """Price level of each year relative to ``base_year`` (= 1.0), chained from the
    previous-year = 100 index.

    Raises
    ------
    ParameterError
        When ``base_year`` is outside the series (a :class:`TypeError` too when it is not an
        int, e.g. the string ``"2020"``).

    Examples
    --------
    >>> import coopstats
    >>> lv = price_levels(coopstats.load_cpi(), 2020)
    >>> float(lv[2020])
    1.0
    """
    s = cpi.set_index("year")["value"].astype(float).sort_index() / 100.0
    years = s.index.astype(int)
    base_year = year("base_year", base_year, years)
    level = s.cumprod()
    level = level / level.loc[base_year]
    level.index = years
    return level


def extended_levels(cpi: pd.DataFrame, base_year: int, until: float) -> dict[int, float]:
    """:func:`price_levels` by year, and years after the CPI series up to ``until`` at the
    series' last level (no inflation assumed: the series ends before the newest reports).

    Examples
    --------
    >>> import coopstats
    >>> lv = extended_levels(coopstats.load_cpi(), 2023, 2026.1)
    >>> lv[2026] == lv[2025]
    True
    """
    levels = price_levels(cpi, base_year).to_dict()
    last = max(levels)
    if np.isfinite(until):
        for y in range(last + 1, int(np.ceil(until)) + 1):
            levels[y] = levels[last]
    return levels


def deflator(start: float, end: float, levels: Mapping[int, float], *,
             growth: float = 0.0) -> float:
    """Base-year yuan per yuan spent over the window ``start``–``end`` (years as floats):
    the mean of 1 / price level over the window, each calendar year weighted by the part of
    the window it covers and by the spending pattern (even, or growing by ``growth`` a year).

    Examples
    --------
    >>> lv = pd.Series({2021: 0.9, 2022: 1.0})
    >>> round(deflator(2021.5, 2022.5, lv), 4)  # half a year at 0.9, half at 1.0
    1.0556
    """
    if not (np.isfinite(start) and np.isfinite(end)) or end <= start:
        return float("nan")
    years = range(int(np.floor(start)), int(np.ceil(end)))
    missing = [y for y in years if y not in levels]
    if missing:
        raise ValueError(f"no CPI for {missing[0]}; the series covers "
                         f"{min(levels.keys())}–{max(levels.keys())}")
    overlap = np.array([min(end, y + 1) - max(start, y) for y in years])
    weights = overlap * (1 + growth) ** (np.arange(len(overlap)))
    return float(np.sum(weights / np.array([levels[y] for y in years])) / np.sum(weights))


def feasible_windows(start_low: float, start_high: float, end_low: float, end_high: float,
                     min_years: float = 0.0) -> list[tuple[float, float]]:
    """The corners of the set of windows a figure may have: a start in
    [``start_low``, ``start_high``], an end in [``end_low``, ``end_high``], at least
    ``min_years`` long and not empty. Each is a window the figure can really have.

    Examples
    --------
    >>> feasible_windows(2011, 2022, 2023, 2024, min_years=2)  # 近年来: two years at least
    [(2011, 2023), (2011, 2024), (2021, 2023), (2022, 2024)]
    """
    edges = [(s, e) for s in (start_low, start_high) for e in (end_low, end_high)]
    edges += [(start_low, start_low + min_years), (start_high, start_high + min_years),
              (end_low - min_years, end_low), (end_high - min_years, end_high)]
    ok = {(s, e) for s, e in edges if start_low <= s <= start_high and end_low <= e <= end_high
          and e - s >= min_years - 1e-9 and e > s}
    return sorted(ok)


def _deflators(w: pd.DataFrame, money: pd.Series, levels: Mapping[int, float] | None,
               growth: float) -> pd.DataFrame:
    """Lowest, middle and highest deflator over the feasible windows, and the lowest and
    highest deflator per year of window that one window attains (``per_year_low``,
    ``per_year_high``: the rate's bounds, each from a window at its own deflator)."""
    out = pd.DataFrame(1.0, index=w.index, columns=_DEFLATOR_COLUMNS)
    out["per_year_low"], out["per_year_high"] = 1 / w["years_high"], 1 / w["years_low"]
    for i in w.index[money.to_numpy()]:
        r = w.loc[i]
        if r["period_issue"] or levels is None:
            out.loc[i] = np.nan
            continue
        mid_len = (r["years_low"] + r["years_high"]) / 2
        end_mid = (r["end_low"] + r["end_high"]) / 2
        mid = deflator(end_mid - mid_len, end_mid, levels, growth=growth)
        corners = [(deflator(s, e, levels, growth=growth), e - s) for s, e in feasible_windows(
            r["start_low"], r["start_high"], r["end_low"], r["end_high"], r["min_years"])]
        corners.append((mid, mid_len))
        found = [d for d, _ in corners]
        per_year = [d / years for d, years in corners]
        out.loc[i] = (min(found), mid, max(found), min(per_year), max(per_year))
    return out


_DEFLATOR_COLUMNS = ["deflator_low", "deflator_mid", "deflator_high", "per_year_low",
                     "per_year_high"]


def rates(figures: pd.DataFrame, data, *, base_year: int = BASE_YEAR,
          denominator: str = "recipient_population", per: float = 1.0,
          per_year: bool = True, growth: float = 0.0,
          budget_years: bool = True) -> pd.DataFrame:
    """Annualised, deflated rates per resident, with intervals and a central estimate.

    Parameters
    ----------
    figures : DataFrame
        Pairing-level figures (:func:`coopstats.analysis.totals.pairing_figures`).
    data : Dataset
        :func:`coopstats.load_all`.
    base_year : int
        Constant-price year for yuan.
    denominator : str
        One of :data:`coopstats.dataset.parameters.DENOMINATORS`: the 2020 census population of
        the recipient or the donor; a share (:data:`coopstats.dataset.parameters.SHARES`, in
        percent, in current yuan over current yuan, so never deflated; see
        :mod:`coopstats.analysis.denominators`); or ``"none"``.
    per : float
        Express the rate per this many people (e.g. 100 000); ignored for ``"none"``.
    per_year : bool
        Annualise (flows). False for stocks: the figure is only divided by the denominator.
    growth : float
        Spending grows by this rate a year within a window (0: even), for the deflator.
    budget_years : bool
        Count fiscal aid and aid projects in whole budget years (codebook P13,
        :func:`coopstats.analysis.periods.budget_window`); False: from and to the reports' dates.

    Returns
    -------
    DataFrame
        ``figures`` plus the window (:func:`coopstats.analysis.periods.windows`), ``deflator_low``,
        ``deflator_mid``, ``deflator_high``, ``population``, ``denominator_value``,
        ``denominator_years``, ``denominator_issue``, ``scale``, ``rate_low``, ``rate_mid``,
        ``rate_high``. A flow without a usable window keeps NaN rates and says why in
        ``period_issue``; a row without a share's denominator says why in
        ``denominator_issue``.

    Raises
    ------
    IncomparableError
        A share of figures that are not yuan, or of a stock.
    """
    return rates_of(windowed(figures, data, per_year=per_year, budget_years=budget_years),
                    data, base_year=base_year, denominator=denominator, per=per,
                    per_year=per_year, growth=growth)


def windowed(figures: pd.DataFrame, data, *, per_year: bool = True,
             budget_years: bool = True) -> pd.DataFrame:
    """``figures`` with their windows (:func:`coopstats.analysis.periods.windows`), as
    :func:`rates` reads them: a stock's "years" are 1 and it needs no period; a window that
    may be empty says so in ``period_issue``. What a rate needs that no denominator, price
    year or growth changes (:func:`coopstats.analysis.measures.compare` computes it once for
    every denominator).

    Examples
    --------
    >>> import coopstats
    >>> from coopstats.analysis.totals import pairing_figures
    >>> data = coopstats.load_all()
    >>> f = pairing_figures(data.facts).set_index("fact_id").loc[["qd-s02"]]
    >>> w = windowed(f, data)
    >>> r = rates_of(w, data, per=100_000)
    >>> r.equals(rates(f, data, per=100_000))
    True
    """
    out = figures.join(windows(figures, data, budget_years=budget_years))
    if not per_year:
        out["period_issue"] = ""
        out[["years_low", "years_high"]] = 1.0
    empty = (out["years_low"] <= 0) & (out["period_issue"] == "")
    out.loc[empty, "period_issue"] = "the window may be empty (no rate per year has an " \
                                     "upper bound)"
    return out


def rates_of(rows: pd.DataFrame, data, *, base_year: int = BASE_YEAR,
             denominator: str = "recipient_population", per: float = 1.0,
             per_year: bool = True, growth: float = 0.0) -> pd.DataFrame:
    """:func:`rates` of figures already :func:`windowed` (with the same ``per_year``)."""
    positive("per", per)
    one_of("denominator", denominator, DENOMINATORS)
    out = rows  # (never changed: the first join below makes a new frame)
    money = out["unit"].astype(str) == "CNY"
    share = denominator in SHARES
    if share:
        _check_share(out, per_year)
    levels = extended_levels(data.cpi, base_year, out["end_high"].max()) \
        if money.any() and not share else None
    out = out.join(_deflators(out, money & (not share), levels, growth))
    out["population"] = population(out, data, denominator)
    out = out.join(share_base(out, data, denominator) if share else _no_share(out))
    if not share:
        out["denominator_issue"] = population_issue(out, data, denominator,
                                                    values=out["population"])
    out["scale"] = (out["denominator_value"] / 100 if share else
                    out["population"] if denominator in COUNTS else
                    out["population"] / per if denominator != "none" else 1.0)
    years_mid = (out["years_low"] + out["years_high"]) / 2
    if not per_year:  # a stock: the deflator alone (its "years" are 1)
        out["per_year_low"], out["per_year_high"] = out["deflator_low"], out["deflator_high"]
    out["rate_low"] = out["value_low"] * out["per_year_low"] / out["scale"]
    out["rate_mid"] = out["value_mid"] / years_mid * out["deflator_mid"] / out["scale"]
    out["rate_high"] = out["value_high"] * out["per_year_high"] / out["scale"]
    out = out.drop(columns=["per_year_low", "per_year_high"])
    out.loc[out["period_issue"] != "", ["rate_low", "rate_mid", "rate_high"]] = np.nan
    return out


def _check_share(rows: pd.DataFrame, per_year: bool) -> None:
    """A share divides a year's yuan by a year's budget or GDP: nothing else."""
    units = sorted(set(rows["unit"].astype(str)) - {"CNY"})
    if units or not per_year:
        what = f"figures counted in {', '.join(units)}" if units else "a stock"
        raise IncomparableError(f"a share of a budget or GDP needs yuan a year, not {what}")


def _no_share(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"denominator_value": np.nan, "denominator_years": "",
                         "denominator_issue": ""}, index=rows.index)
