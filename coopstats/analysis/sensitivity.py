"""Monte Carlo over what the coding leaves open: which rankings survive, under which prior.

Each draw picks, for every figure a comparison uses, a value within its interval, a window
within its bounds (:mod:`coopstats.analysis.periods`) and a deflator for that window, as a prior
says
(:mod:`coopstats.analysis.priors`). Windows are drawn once per sentence's period (article, pairing,
period words) and shared by every measure that uses them, so that the figures of one
sentence move together: a long ``近年来`` lowers the fiscal aid *and* the training rate of
Xiushan in the same draw. Draws are seeded and reproducible.

Examples
--------
>>> import coopstats
>>> from coopstats.analysis.measures import compare
>>> data = coopstats.load_all()
>>> d = draws([compare(data, "poor_employment")], data, n=200)
>>> float(rank_probabilities(d["poor_employment"]).loc["qingdao_dingxi", "p_first"])
1.0
"""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pandas as pd

from coopstats.analysis.denominators import population
from coopstats.analysis.intensity import BASE_YEAR, extended_levels
from coopstats.analysis.periods import windows as period_windows
from coopstats.analysis.priors import DEFAULT, Prior, value_bounds

__all__ = ["draws", "exact_spearman", "rank_correlations", "rank_probabilities"]


#: the window columns of :func:`coopstats.analysis.periods.windows`, drawn again under each prior
_WINDOW_COLUMNS = ["start_low", "start_high", "end_low", "end_high", "years_low",
                   "years_high", "min_years", "period_issue", "budget_years"]


def _window_key(row) -> tuple:
    """Figures of one sentence share their window: the same article (a report's own id for
    the external layer), pairing and period words, counted the same way."""
    source = row["article_id"] if pd.notna(row["article_id"]) else row["fact_id"]
    return (str(source), str(row["pairing_id"]), row["period_start"], row["period_end"],
            str(row["period_basis"]), str(row["period_text"]), bool(row["budget_years"]))


def _draw_window(row, prior: Prior, rng: np.random.Generator, n: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of ``n`` windows within the row's bounds, as the prior says."""
    if bool(row.get("budget_years", False)):
        return _draw_budget_years(row, prior, rng, n)
    end = rng.uniform(row["end_low"], row["end_high"], n)
    if row["period_basis"] == "annual":
        return end - 1.0, end
    if row["period_basis"] == "recent":
        years = _recent_years(end - row["start_high"], end - row["start_low"], prior, rng)
        return end - years, end
    start = rng.uniform(row["start_low"], row["start_high"], n)
    return np.minimum(start, end - row["min_years"]), end


def _recent_years(least: np.ndarray, most: np.ndarray, prior: Prior,
                  rng: np.random.Generator) -> np.ndarray:
    """How long ``近年来`` lasted, within its bounds (``least``: to the latest start the data
    allow, ``most``: to the pairing's start), as the prior says; where the prior's range
    misses the bounds, the bounds alone (the data win)."""
    shortest, longest = prior.recent_years
    lo = np.maximum(np.minimum(shortest, most), least)
    hi = most if longest is None else np.minimum(longest, most)
    outside = hi < lo
    return rng.uniform(np.where(outside, least, lo), np.where(outside, most, hi))


def _draw_budget_years(row, prior: Prior, rng: np.random.Generator, n: int
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Whole budget years (codebook P13): a first budget year within its bounds, and the
    share of the report's own year it holds, where it may hold some, uniform in [0, 1]."""
    end = row["end_low"] + rng.uniform(0.0, row["end_high"] - row["end_low"], n)
    if row["period_basis"] == "recent":
        years = _recent_years(end - row["start_high"], end - row["start_low"], prior, rng)
        start = np.clip(np.ceil(end - years - 1e-9), row["start_low"], row["start_high"])
    else:
        start = row["start_low"] + rng.integers(0, int(row["start_high"] -
                                                       row["start_low"]) + 1, n)
    end = np.minimum(np.maximum(end, start + row["min_years"]), row["end_high"])
    return start, end


def _deflators(start: np.ndarray, end: np.ndarray, levels: dict, growth: float
               ) -> np.ndarray:
    """:func:`coopstats.analysis.intensity.deflator` for many windows at once."""
    years = np.arange(int(np.floor(start.min())), int(np.ceil(end.max())))
    inv = np.array([1.0 / levels[y] for y in years])
    lo = np.maximum(start[:, None], years[None, :])
    hi = np.minimum(end[:, None], years[None, :] + 1)
    overlap = np.clip(hi - lo, 0, None)
    weight = overlap * (1 + growth) ** (years[None, :] - np.floor(start)[:, None])
    return (weight * inv).sum(axis=1) / weight.sum(axis=1)


def _population_factor(row, data, prior: Prior, rng, n: int) -> np.ndarray | float:
    """Residents over the population a draw divides by: 1 unless the prior draws a
    recipient's population between its residents and its registered population
    (:mod:`coopstats.analysis.priors`, ``registered``) and the row is divided by its residents."""
    if prior.population != "resident_or_registered":
        return 1.0
    one = pd.DataFrame({"pairing_id": [row["pairing_id"]]})
    resident = float(population(one, data, "recipient_population").iloc[0])
    registered = float(population(one, data, "recipient_registered").iloc[0])
    if not (np.isfinite(registered) and np.isclose(row["population"], resident)):
        return 1.0
    return resident / rng.uniform(min(resident, registered), max(resident, registered), n)


def _price_levels(data, prior: Prior, base_year: int, until: float) -> dict[int, float]:
    """Price levels of the prior's index (:data:`coopstats.analysis.priors.PRICE_RULES`) relative to
    ``base_year``; a base year after the index's last year takes that last level, which
    every later year keeps (:func:`coopstats.analysis.intensity.extended_levels`)."""
    series = getattr(data, prior.prices)
    last = int(series["year"].max())
    return extended_levels(series, min(base_year, last), max(until, base_year))


def _draw_rates(comparison, data, prior: Prior, windows: dict, rng, n: int,
                base_year: int) -> pd.DataFrame:
    table, measure = comparison.table, comparison.measure
    table = table.drop(columns=_WINDOW_COLUMNS).join(
        period_windows(table, data, budget_years=prior.budget_years))
    levels = _price_levels(data, prior, base_year, table["end_high"].max()) \
        if (table["unit"].astype(str) == "CNY").any() else None
    out = {}
    for _, row in table.iterrows():
        value = rng.uniform(*value_bounds(row["raw"], str(row.get("qualifier", "exact")),
                                          row["value_low"], row["value_high"], prior), n)
        value = value * _population_factor(row, data, prior, rng, n)
        if not measure.per_year:
            out[str(row["pairing_id"])] = value / row["scale"]
            continue
        key = _window_key(row)
        if key not in windows:
            windows[key] = _draw_window(row, prior, rng, n)
        start, end = windows[key]
        share = pd.notna(row.get("denominator_value"))  # current yuan over current yuan
        defl = _deflators(start, end, levels, prior.growth) \
            if str(row["unit"]) == "CNY" and not share else 1.0
        out[str(row["pairing_id"])] = value / (end - start) * defl / row["scale"]
    return pd.DataFrame(out)


def draws(comparisons: list, data, *, prior: Prior = DEFAULT, n: int = 10_000,
          seed: int = 20231123, base_year: int = BASE_YEAR) -> dict[str, pd.DataFrame]:
    """Draws of every rate of the comparisons (:func:`coopstats.analysis.measures.compare`).

    Parameters
    ----------
    comparisons : list of Comparison
        Drawn together: measures of the same sentence share their windows.
    data : Dataset
    prior : Prior
        See :mod:`coopstats.analysis.priors`.
    n, seed : int
        Number of draws; random seed (results are reproducible).
    base_year : int
        Constant-price year for yuan (use the comparisons' own).

    Returns
    -------
    dict
        Measure key → DataFrame of shape (n, pairings), one column per pairing.
    """
    rng = np.random.default_rng(seed)
    windows: dict = {}
    return {c.measure.key: _draw_rates(c, data, prior, windows, rng, n, base_year)
            for c in comparisons}


def rank_probabilities(draws: pd.DataFrame) -> pd.DataFrame:
    """How often each pairing ranks first (highest) and last over the draws, its median rank,
    and ``n``: how many pairings are ranked (for two, P(last) is just 1 − P(first)).

    Examples
    --------
    >>> d = pd.DataFrame({"a": [1.0, 3.0], "b": [2.0, 1.0]})
    >>> rank_probabilities(d)[["p_first", "n"]].values.tolist()
    [[0.5, 2.0], [0.5, 2.0]]
    """
    ranks = draws.rank(axis=1, ascending=False, method="first")
    return pd.DataFrame({
        "p_first": (ranks == 1).mean(),
        "p_last": (ranks == draws.shape[1]).mean(),
        "median_rank": ranks.median(),
        "n": float(draws.shape[1]),
    })


def exact_spearman(x, y) -> tuple[float, float]:
    """Spearman's rho of two short series and its exact two-sided permutation p-value (the
    share of all n! orderings with |rho| at least as large); NaN with fewer than three.

    Examples
    --------
    >>> exact_spearman([1, 2, 3], [10, 20, 30])
    (1.0, 0.3333333333333333)
    """
    from scipy import stats

    x, y = stats.rankdata(x), stats.rankdata(y)
    if len(x) < 3:
        return float("nan"), float("nan")
    rho = float(stats.spearmanr(x, y).statistic)
    perms = [float(stats.spearmanr(x, p).statistic) for p in permutations(y)]
    return rho, float(np.mean([abs(r) >= abs(rho) - 1e-12 for r in perms]))


def rank_correlations(x: pd.DataFrame, y: pd.DataFrame) -> pd.Series:
    """Spearman's rho between two measures' draws, per draw, over the pairings both have
    (joint draws: a shared window moves both rates together)."""
    common = [p for p in x.columns if p in y.columns]
    if len(common) < 3:
        return pd.Series(dtype=float)
    rx = x[common].rank(axis=1).to_numpy()
    ry = y[common].rank(axis=1).to_numpy()
    rx, ry = rx - rx.mean(axis=1, keepdims=True), ry - ry.mean(axis=1, keepdims=True)
    rho = (rx * ry).sum(axis=1) / np.sqrt((rx ** 2).sum(axis=1) * (ry ** 2).sum(axis=1))
    return pd.Series(rho, name="rho")
