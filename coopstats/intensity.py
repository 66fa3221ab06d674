"""Turn coded figures into comparable rates: per year, per resident, in constant yuan.

Every step carries an interval (``*_low``, ``*_high``) as well as a central value, from two
sources of uncertainty that are never hidden:

* the figure itself (``1.3万余`` is [13 000, 14 000)), from the parser;
* the period it covers (``2021年以来`` in a December 2025 article is 4 to 5 years;
  ``近年来`` only says the period ends in the article's year and began after the pairing did).

The library refuses to add or rank figures that the codebook says are not comparable
(different ``comparable_group``) or that have different units, unless the caller passes
``allow_incomparable=True``.

Duration rule (documented in the codebook): a period stated as the calendar years
``start``–``end`` (n = end − start + 1 years, counted inclusively) lasted between
max(n − 1, 0.5) and n years, because the first and the last year may be partial; an annual
figure (每年, 年产) covers exactly one year; an ``open_start`` figure began at the pairing's
stated start at the earliest and in its end year at the latest; a figure without a period
cannot be annualised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .parameters import DENOMINATORS, ParameterTypeError, one_of, positive, year
from .schema import STATUSES

__all__ = [
    "IncomparableError",
    "combine",
    "combine_draws",
    "durations",
    "ensure_comparable",
    "pairing_rates",
    "pairing_totals",
    "price_levels",
    "rank_correlation",
    "rank_probabilities",
    "rates",
    "scenario",
    "simulate_rates",
]


class IncomparableError(ValueError):
    """Raised when figures of different comparable groups or units would be combined."""


def _group_of(facts: pd.DataFrame, indicators: pd.DataFrame) -> pd.Series:
    groups = indicators.set_index("indicator_id")["comparable_group"].astype(str)
    return facts["indicator"].astype(str).map(groups)


def ensure_comparable(facts: pd.DataFrame, indicators: pd.DataFrame, *,
                      allow_incomparable: bool = False) -> None:
    """Raise :class:`IncomparableError` unless all ``facts`` share one comparable group and
    one unit.

    Parameters
    ----------
    facts : DataFrame
        Rows of :func:`coopstats.load_facts`.
    indicators : DataFrame
        :func:`coopstats.load_indicators`.
    allow_incomparable : bool
        Skip the check (the caller takes responsibility).

    Examples
    --------
    >>> import coopstats
    >>> f, ind = coopstats.load_facts(), coopstats.load_indicators()
    >>> money = f[f["indicator"].isin(["fiscal_aid_funds", "firm_investment"])]
    >>> ensure_comparable(money, ind)
    Traceback (most recent call last):
    ...
    coopstats.intensity.IncomparableError: not comparable: groups firm_investment, ...
    """
    if allow_incomparable or facts.empty:
        return
    groups = sorted(set(_group_of(facts, indicators).dropna()))
    units = sorted(set(facts["unit"].astype(str)))
    if len(groups) > 1 or len(units) > 1:
        raise IncomparableError(
            f"not comparable: groups {', '.join(groups)}; units {', '.join(units)} "
            "(the codebook's comparable_group and the units must agree; pass "
            "allow_incomparable=True to combine them anyway)")


def _check_selection(indicators: pd.DataFrame, *, group: str | None = None,
                     indicators_in: list[str] | None = None, unit: str | None = None,
                     facts: pd.DataFrame | None = None, status: str = "achieved") -> None:
    """One clear error for an unknown comparable group, indicator id, unit or status (a
    typo must not read as "no figures")."""
    if group is not None:
        one_of("group", group, sorted(set(indicators["comparable_group"].astype(str))),
               "comparable group")
    if indicators_in is not None:
        if isinstance(indicators_in, str) or not hasattr(indicators_in, "__iter__"):
            raise ParameterTypeError(f"indicators_in: must be a list of indicator ids; not "
                                     f"{type(indicators_in).__name__} {indicators_in!r}")
        known = sorted(set(indicators["indicator_id"].astype(str)))
        for ind in indicators_in:
            one_of("indicators_in", ind, known, "indicator")
    if unit is not None and facts is not None:
        one_of("unit", unit, sorted(set(facts["unit"].astype(str))), "unit")
    one_of("status", status, STATUSES)


def pairing_totals(facts: pd.DataFrame, indicators: pd.DataFrame, *,
                   indicators_in: list[str] | None = None, group: str | None = None,
                   status: str = "achieved", allow_incomparable: bool = False) -> pd.DataFrame:
    """Pairing-level totals of one comparable quantity, with intervals.

    Only ``scope == "pairing"`` rows are used (components, donor-wide and provincial figures
    are never pairing totals). Rows of the same pairing, unit and period are added (e.g. cadres
    trained + professionals trained over the same years); rows with different periods stay
    separate, since adding them would mix time spans.

    Parameters
    ----------
    facts, indicators : DataFrame
        From :func:`coopstats.load_facts` and :func:`coopstats.load_indicators`.
    indicators_in : list of str, optional
        Indicator ids to use.
    group : str, optional
        A ``comparable_group`` to use (all its indicators).
    status : str
        ``achieved`` (default) or ``planned``.
    allow_incomparable : bool
        Allow mixing groups or units.

    Returns
    -------
    DataFrame
        One row per pairing and period: ``pairing_id``, ``unit``, ``period_start``,
        ``period_end``, ``period_basis``, ``value``, ``value_low``, ``value_high``,
        ``n_facts``, ``fact_ids``.
    """
    _check_selection(indicators, group=group, indicators_in=indicators_in, status=status)
    sel = facts[(facts["scope"] == "pairing") & (facts["status"] == status)]
    if indicators_in is not None:
        sel = sel[sel["indicator"].isin(indicators_in)]
    if group is not None:
        sel = sel[_group_of(sel, indicators) == group]
    ensure_comparable(sel, indicators, allow_incomparable=allow_incomparable)
    keys = ["pairing_id", "unit", "period_start", "period_end", "period_basis"]
    sel = sel.assign(**{k: sel[k].astype(object) for k in keys})
    out = (sel.groupby(keys, dropna=False, sort=True)
           .agg(value=("value", "sum"), value_low=("value_low", "sum"),
                value_high=("value_high", "sum"), n_facts=("fact_id", "size"),
                fact_ids=("fact_id", lambda s: " ".join(s)))
           .reset_index())
    for k in ("period_start", "period_end"):
        out[k] = pd.array(out[k].where(out[k].notna(), None), dtype="Int64")
    return out


@dataclass(frozen=True)
class _Span:
    first_low: float
    first_high: float
    last: float
    years_low: float
    years_high: float
    issue: str


def _span(start, end, basis, pairing_start) -> _Span:
    nan = float("nan")
    if basis == "annual" and pd.notna(end):
        return _Span(end, end, end, 1.0, 1.0, "")
    if pd.notna(start) and pd.notna(end):
        n = float(end - start + 1)
        return _Span(start, start, end, max(n - 1.0, 0.5), n, "")
    if basis == "open_start" and pd.notna(end):
        if pd.isna(pairing_start):
            return _Span(nan, nan, end, nan, nan,
                         "open start and the article states no start for the pairing")
        return _Span(float(pairing_start), float(end), end, 0.5,
                     float(end - pairing_start + 1), "")
    return _Span(nan, nan, nan, nan, nan, "no period in the text")


def durations(rows: pd.DataFrame, pairings: pd.DataFrame) -> pd.DataFrame:
    """How many years each row's period may span, and its possible first years.

    Parameters
    ----------
    rows : DataFrame
        With ``pairing_id``, ``period_start``, ``period_end``, ``period_basis`` (facts or
        :func:`pairing_totals`).
    pairings : DataFrame
        :func:`coopstats.load_pairings`.

    Returns
    -------
    DataFrame
        Same index as ``rows``: ``first_year_low``, ``first_year_high``, ``last_year``,
        ``years_low``, ``years_high`` (NaN when the period is unknown) and ``period_issue``
        (empty when the row can be annualised).

    Examples
    --------
    >>> import pandas as pd, coopstats
    >>> r = pd.DataFrame({"pairing_id": ["liaocheng_pengshui"], "period_start": [2021],
    ...                   "period_end": [2025], "period_basis": ["stated"]})
    >>> durations(r, coopstats.load_pairings())[["years_low", "years_high"]].values.tolist()
    [[4.0, 5.0]]
    """
    starts = pairings.set_index("pairing_id")["start_year"]
    spans = [
        _span(s, e, b, starts.get(p, pd.NA) if pd.notna(p) else pd.NA)
        for p, s, e, b in zip(rows["pairing_id"], rows["period_start"], rows["period_end"],
                              rows["period_basis"], strict=True)
    ]
    return pd.DataFrame({
        "first_year_low": [s.first_low for s in spans],
        "first_year_high": [s.first_high for s in spans],
        "last_year": [s.last for s in spans],
        "years_low": [s.years_low for s in spans],
        "years_high": [s.years_high for s in spans],
        "period_issue": [s.issue for s in spans],
    }, index=rows.index).astype({c: "float64" for c in (
        "first_year_low", "first_year_high", "last_year", "years_low", "years_high")})


def price_levels(cpi: pd.DataFrame, base_year: int) -> pd.Series:
    """Price level of each year relative to ``base_year`` (= 1.0), chained from the
    previous-year = 100 index.

    Examples
    --------
    >>> import coopstats
    >>> lv = price_levels(coopstats.load_cpi(), 2020)
    >>> float(lv[2020])
    1.0

    Raises
    ------
    ParameterError
        When ``base_year`` is outside the series (a :class:`TypeError` too when it is not an
        int, e.g. the string ``"2020"``).
    """
    s = cpi.set_index("year")["value"].astype(float).sort_index() / 100.0
    years = s.index.astype(int)
    base_year = year("base_year", base_year, years)
    level = s.cumprod()
    level = level / level.loc[base_year]
    level.index = years
    return level


def _deflator(first: float, last: float, levels: pd.Series) -> float:
    """Mean of (base price / price of year y) over the years first..last (even spending)."""
    if np.isnan(first) or np.isnan(last):
        return float("nan")
    yrs = range(int(first), int(last) + 1)
    missing = [y for y in yrs if y not in levels.index]
    if missing:
        raise ValueError(f"no CPI for {missing[0]}; the series covers "
                         f"{levels.index.min()}–{levels.index.max()}")
    return float(np.mean([1.0 / levels[y] for y in yrs]))


def rates(totals: pd.DataFrame, pairings: pd.DataFrame, context: pd.DataFrame,
          cpi: pd.DataFrame | None = None, *, base_year: int = 2023,
          denominator: str = "recipient_population", per: float = 1.0,
          per_year: bool = True) -> pd.DataFrame:
    """Annualised, deflated, per-resident rates with intervals.

    Parameters
    ----------
    totals : DataFrame
        :func:`pairing_totals` (or facts rows with the same columns).
    pairings, context : DataFrame
        :func:`coopstats.load_pairings`, :func:`coopstats.load_context`.
    cpi : DataFrame, optional
        :func:`coopstats.load_cpi`; required to deflate amounts in CNY.
    base_year : int
        Constant-price year for CNY amounts.
    denominator : {"recipient_population", "donor_population", "none"}
        Divide by the 2020 census population of the recipient or the donor, or not at all.
    per : float
        Express the rate per this many people (e.g. 100 000), a positive number; ignored
        when denominator is "none".
    per_year : bool
        Annualise (default). False for stocks such as pairing ties: the figure is only
        divided by the denominator (and deflated to the period's prices if in CNY).

    Returns
    -------
    DataFrame
        ``totals`` plus ``years_low``, ``years_high``, ``deflator_low``, ``deflator_high``,
        ``population``, ``scale`` (what the rate is divided by: population / per, or 1),
        ``rate``, ``rate_low``, ``rate_high`` and ``period_issue``. Rows
        whose period is unknown keep NaN rates and say why in ``period_issue``.

    Raises
    ------
    ParameterError
        For an unknown denominator, a ``per`` that is not a positive number, or a base year
        outside the CPI series (a ``ValueError``; also a ``TypeError`` for a wrong type).
    """
    one_of("denominator", denominator, DENOMINATORS)
    positive("per", per)
    out = totals.copy()
    span = durations(out, pairings)
    if not per_year:  # a stock: no division by years, and an unknown period is no obstacle
        span["period_issue"] = ""
        span[["years_low", "years_high"]] = 1.0
    out = out.join(span)
    # deflators (CNY only): min and max over the possible first years
    levels = price_levels(cpi, base_year) if cpi is not None else None
    if levels is None and (out["unit"].astype(str) == "CNY").any():
        raise ValueError("amounts in CNY need the CPI to be deflated: pass cpi=load_cpi()")
    lows, highs = [], []
    for unit, f_lo, f_hi, last in zip(out["unit"].astype(str), out["first_year_low"],
                                      out["first_year_high"], out["last_year"], strict=True):
        if unit != "CNY":
            lows.append(1.0)
            highs.append(1.0)
            continue
        if np.isnan(f_lo):
            lows.append(np.nan)
            highs.append(np.nan)
            continue
        cands = [_deflator(f, last, levels) for f in range(int(f_lo), int(f_hi) + 1)]
        lows.append(min(cands))
        highs.append(max(cands))
    out["deflator_low"], out["deflator_high"] = lows, highs
    out["population"] = _population(out, pairings, context, denominator)
    out["scale"] = (out["population"] / per) if denominator != "none" else 1.0
    scale = out["scale"]
    years_mid = (out["years_low"] + out["years_high"]) / 2
    defl_mid = (out["deflator_low"] + out["deflator_high"]) / 2
    out["rate"] = out["value"] / years_mid * defl_mid / scale
    out["rate_low"] = out["value_low"] / out["years_high"] * out["deflator_low"] / scale
    out["rate_high"] = out["value_high"] / out["years_low"] * out["deflator_high"] / scale
    return out


def pairing_rates(facts: pd.DataFrame, indicators: pd.DataFrame, pairings: pd.DataFrame,
                  context: pd.DataFrame, cpi: pd.DataFrame | None = None, *,
                  group: str | None = None, indicators_in: list[str] | None = None,
                  unit: str | None = None, status: str = "achieved", base_year: int = 2023,
                  denominator: str = "recipient_population", per: float = 1.0,
                  per_year: bool = True, allow_incomparable: bool = False) -> pd.DataFrame:
    """Rates per pairing and indicator, ready to be combined with :func:`combine`.

    Totals (:func:`pairing_totals`, computed per indicator) are turned into rates
    (:func:`rates`). Where a pairing reports an indicator for several periods, the row that
    can be annualised and covers the longest span is kept (rates of one indicator over
    different spans are alternatives, not parts).

    Parameters
    ----------
    facts, indicators, pairings, context, cpi : DataFrame
        From the ``coopstats.load_*`` functions.
    group, indicators_in : optional
        What to compare: a ``comparable_group`` or a list of indicator ids.
    unit : str, optional
        Keep only figures in this unit (e.g. ``person_time``) so mixed-unit groups compare.
    status, base_year, denominator, per, per_year, allow_incomparable
        As in :func:`pairing_totals` and :func:`rates`.

    Returns
    -------
    DataFrame
        One row per pairing and indicator with the columns of :func:`rates` plus
        ``indicator``.
    """
    _check_selection(indicators, group=group, indicators_in=indicators_in, unit=unit,
                     facts=facts, status=status)
    sel = facts if unit is None else facts[facts["unit"] == unit]
    if indicators_in is not None:
        sel = sel[sel["indicator"].isin(indicators_in)]
    if group is not None:
        sel = sel[_group_of(sel, indicators) == group]
    ensure_comparable(sel[(sel["scope"] == "pairing") & (sel["status"] == status)],
                      indicators, allow_incomparable=allow_incomparable)
    parts = [t.assign(indicator=ind_id)
             for ind_id, rows in sel.groupby(sel["indicator"].astype(str), sort=True)
             if not (t := pairing_totals(rows, indicators, status=status,
                                         allow_incomparable=allow_incomparable)).empty]
    if not parts:
        raise ValueError(f"no pairing-level {status} figures for "
                         f"{group or indicators_in}")
    totals = pd.concat(parts, ignore_index=True)
    r = rates(totals, pairings, context, cpi, base_year=base_year, denominator=denominator,
              per=per, per_year=per_year)
    r = (r.assign(_ok=r["period_issue"].eq(""), _span=r["years_high"].fillna(-1))
         .sort_values(["pairing_id", "indicator", "_ok", "_span"],
                      ascending=[True, True, False, False])
         .groupby(["pairing_id", "indicator"], sort=False).head(1)
         .drop(columns=["_ok", "_span"]))
    return r.reset_index(drop=True)


def combine(rated: pd.DataFrame) -> pd.DataFrame:
    """One row per pairing: the rates of its indicators added, intervals added end to end.

    A pairing with any part that cannot be annualised gets NaN rates and the reason.

    Returns
    -------
    DataFrame
        ``pairing_id``, ``rate``, ``rate_low``, ``rate_high``, ``indicators``, ``fact_ids``,
        ``periods`` (text), ``period_issue``; sorted by ``rate``, highest first.
    """
    def period(row) -> str:
        s = "…" if pd.isna(row.period_start) else str(row.period_start)
        e = "?" if pd.isna(row.period_end) else str(row.period_end)
        return f"{row.indicator} {s}–{e}"

    rows = []
    for pid, g in rated.groupby("pairing_id", sort=True):
        issue = "; ".join(sorted({i for i in g["period_issue"] if i}))
        rows.append({
            "pairing_id": pid,
            "rate": np.nan if issue else g["rate"].sum(),
            "rate_low": np.nan if issue else g["rate_low"].sum(),
            "rate_high": np.nan if issue else g["rate_high"].sum(),
            "indicators": " + ".join(g["indicator"]),
            "fact_ids": " ".join(g["fact_ids"]),
            "periods": "; ".join(period(r) for r in g.itertuples()),
            "period_issue": issue,
        })
    out = pd.DataFrame(rows)
    return out.sort_values("rate", ascending=False, na_position="last").reset_index(drop=True)


def combine_draws(draws: np.ndarray, rated: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Add Monte Carlo draws (from :func:`simulate_rates`) of a pairing's indicators.

    Returns
    -------
    draws : numpy.ndarray
        Shape ``(n, number of pairings)``.
    labels : list of str
        The pairing ids, in column order.
    """
    labels = sorted(set(rated["pairing_id"]))
    pid = rated["pairing_id"].to_numpy()
    out = np.column_stack([draws[:, pid == p].sum(axis=1) for p in labels])
    return out, labels


def _population(rows: pd.DataFrame, pairings: pd.DataFrame, context: pd.DataFrame,
                denominator: str) -> pd.Series:
    if denominator == "none":
        return pd.Series(np.nan, index=rows.index)
    side = {"recipient_population": "recipient_id", "donor_population": "donor_id"}[
        one_of("denominator", denominator, DENOMINATORS)]
    pop = context[context["indicator"] == "population"].set_index("place_id")["value"]
    place = pairings.set_index("pairing_id")[side].astype(str)
    return rows["pairing_id"].astype(str).map(place).map(pop.astype(float)).astype(float)


def simulate_rates(rated: pd.DataFrame, cpi: pd.DataFrame | None = None, *,
                   base_year: int = 2023, n: int = 10_000, seed: int = 20231123
                   ) -> np.ndarray:
    """Monte Carlo draws of each row's rate over the coding uncertainty.

    For each draw and row: the figure is uniform on [value_low, value_high]; the first year
    is uniform over the possible first years (open periods); the duration is uniform on
    [max(n − 1, 0.5), n] for that first year; the deflator is computed for that period.

    Parameters
    ----------
    rated : DataFrame
        Output of :func:`rates` (rows with a period issue are NaN in every draw).
    cpi : DataFrame, optional
        Needed for CNY rows.
    base_year, n, seed : int
        Constant-price year, number of draws, random seed (results are reproducible).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, len(rated))``.
    """
    rng = np.random.default_rng(seed)
    levels = price_levels(cpi, base_year) if cpi is not None else None
    scale = rated["scale"].to_numpy(dtype=float)
    draws = np.full((n, len(rated)), np.nan)
    for j, row in enumerate(rated.itertuples(index=False)):
        if row.period_issue:
            continue
        value = rng.uniform(row.value_low, row.value_high, n) if row.value_high > \
            row.value_low else np.full(n, row.value)
        f_lo, f_hi, last = int(row.first_year_low), int(row.first_year_high), int(row.last_year)
        first = rng.integers(f_lo, f_hi + 1, n)
        if row.years_low == row.years_high == 1.0 and f_lo == f_hi == last:
            years = np.ones(n)
        else:
            n_years = last - first + 1
            years = rng.uniform(np.maximum(n_years - 1.0, 0.5), n_years)
        if str(row.unit) == "CNY":
            if levels is None:
                raise ValueError("CNY rows need cpi")
            table = {f: _deflator(f, last, levels) for f in range(f_lo, f_hi + 1)}
            defl = np.array([table[f] for f in first])
        else:
            defl = np.ones(n)
        draws[:, j] = value / years * defl / scale[j]
    return draws


def rank_probabilities(draws: np.ndarray, labels: list[str]) -> pd.DataFrame:
    """Probability that each column ranks first (highest) and last (lowest) across draws.

    Columns that are NaN in a draw take no part in it.

    Returns
    -------
    DataFrame
        Index ``labels``; columns ``p_first``, ``p_last``, ``median_rank`` (1 = highest).
    """
    filled = np.where(np.isnan(draws), -np.inf, draws)
    valid = ~np.isnan(draws)
    order = (-filled).argsort(axis=1).argsort(axis=1) + 1  # rank 1 = highest
    n_valid = valid.sum(axis=1, keepdims=True)
    first = (order == 1) & valid
    last = (order == n_valid) & valid
    ranks = np.where(valid, order, np.nan)
    median = np.full(draws.shape[1], np.nan)
    has = valid.any(axis=0)
    median[has] = np.nanmedian(ranks[:, has], axis=0)
    return pd.DataFrame({
        "p_first": first.mean(axis=0),
        "p_last": last.mean(axis=0),
        "median_rank": median,
    }, index=pd.Index(labels, name="label"))


def rank_correlation(inputs: pd.DataFrame, outcomes: pd.DataFrame) -> tuple[pd.DataFrame,
                                                                             float, float]:
    """Spearman rank correlation between two :func:`combine` tables over the pairings that
    have a rate in both.

    Returns
    -------
    merged : DataFrame
        ``pairing_id``, ``input``, ``input_low``, ``input_high``, ``outcome``,
        ``outcome_low``, ``outcome_high``.
    rho, p : float
        Spearman's rho and its exact two-sided permutation p-value: the share of all n!
        orderings of the outcomes with |rho| at least as large (NaN with fewer than three
        pairings). With so few pairings the usual asymptotic p-value is badly wrong (it gives
        0 for a perfect correlation of three points; the exact value is 1/3).
    """
    from itertools import permutations

    from scipy import stats

    cols = ["pairing_id", "rate", "rate_low", "rate_high"]
    merged = inputs[cols].merge(outcomes[cols], on="pairing_id", suffixes=("_in", "_out"))
    merged = merged.dropna().rename(columns={
        "rate_in": "input", "rate_low_in": "input_low", "rate_high_in": "input_high",
        "rate_out": "outcome", "rate_low_out": "outcome_low", "rate_high_out": "outcome_high"})
    if len(merged) < 3:
        return merged, float("nan"), float("nan")
    x = stats.rankdata(merged["input"])
    y = stats.rankdata(merged["outcome"])
    rho = float(stats.spearmanr(x, y).statistic)
    if len(merged) > 8:
        return merged, rho, float(stats.spearmanr(x, y).pvalue)
    perms = [float(stats.spearmanr(x, perm).statistic) for perm in permutations(y)]
    p = float(np.mean([abs(r) >= abs(rho) - 1e-12 for r in perms]))
    return merged, rho, p


def scenario(facts: pd.DataFrame, periods: dict[str, tuple[int | None, int | None]]
             ) -> pd.DataFrame:
    """A copy of ``facts`` with the periods of some facts replaced by an explicit assumption.

    For sensitivity analysis only: the coded data stay as they are; the returned rows say
    ``period_basis == "stated"`` and carry ``scenario`` in ``period_text``.

    Parameters
    ----------
    facts : DataFrame
        :func:`coopstats.load_facts`.
    periods : dict
        ``fact_id`` → ``(start, end)``.

    Examples
    --------
    >>> import coopstats
    >>> alt = scenario(coopstats.load_facts(), {"dx-010": (2021, 2023)})
    >>> alt.set_index("fact_id").loc["dx-010", ["period_start", "period_end"]].tolist()
    [2021, 2023]
    """
    unknown = sorted(set(periods) - set(facts["fact_id"]))
    if unknown:
        raise KeyError(f"unknown fact ids: {', '.join(unknown)}")
    out = facts.copy()
    for fid, (start, end) in periods.items():
        mask = out["fact_id"] == fid
        out.loc[mask, "period_start"] = start
        out.loc[mask, "period_end"] = end
        out.loc[mask, "period_basis"] = "stated"
        out.loc[mask, "period_text"] = "scenario"
    return out
