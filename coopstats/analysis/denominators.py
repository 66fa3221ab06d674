"""What a rate is divided by: a population, or (for yuan) a donor's or recipient's budget or GDP.

Two families, declared once in :mod:`coopstats.dataset.parameters`:

* populations (:data:`~coopstats.dataset.parameters.POPULATIONS`): the 2020 census residents of the
  recipient or the donor, or the recipient's registered population (``data/context/places.csv``);
* counts (:data:`~coopstats.dataset.parameters.COUNTS`): the recipient's county-level divisions
  (East–West money is allocated largely per key county, so a per-resident rate favours small
  recipients; a prefecture's rate per county shows it);
* shares (:data:`~coopstats.dataset.parameters.SHARES`): a year's yuan over a year's general public
  budget revenue of whoever paid, or the recipient's GDP or general public budget
  expenditure (``data/context/finance.csv``), in percent.

A share uses the mean of the published yearly values over the calendar years the figure's
window may touch, or, for the donor's revenue, over the years before them
(:data:`BASE_LAG`): the rules of the earlier programmes set a donor's contribution as a
share of its *previous* year's revenue (Wenchuan: 上年地方财政收入), and a budget year's
aid is appropriated from a budget planned on it. Nothing is interpolated: a row whose place
has published values for fewer than :data:`MIN_COVERAGE` of those years gets no share, and
``denominator_issue`` says which years are known. Whose revenue it is follows the coding
model's ``funder_level``: the donor city's for ``city``, the donor's province's for
``province``; any other funder gets no share (``mixed`` and ``unknown`` say who paid only in
part, or not at all).

Examples
--------
>>> import coopstats
>>> from coopstats.analysis.totals import pairing_figures
>>> data = coopstats.load_all()
>>> f = pairing_figures(data.facts).set_index("fact_id").loc[["qd-013"]]
>>> from coopstats.analysis.periods import windows
>>> w = windows(f, data, budget_years=True)  # budget years 2021–2022
>>> base = share_base(f.join(w), data, "donor_revenue")  # the years before them
>>> base[["denominator_years", "denominator_issue"]].values.tolist()
[['2020–2021', '']]
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from coopstats.dataset.parameters import COUNTS, POPULATIONS, SHARES, one_of

__all__ = ["BASE_LAG", "MIN_COVERAGE", "PAYERS", "for_measure", "population",
           "population_issue", "share_base"]

#: the least part of a window's calendar years whose denominator must be published
MIN_COVERAGE = 0.5

#: how many years before the aid's years a share's denominator is taken (the rules' base)
BASE_LAG = {"donor_revenue": 1, "recipient_gdp": 0, "recipient_expenditure": 0}

#: ``funder_level`` → whose revenue a share of the donor's revenue uses
PAYERS = {"city": "donor_id", "province": "donor_province"}


def for_measure(measure, denominator: str) -> str:
    """The denominator a measure is divided by when ``denominator`` is asked for: a share
    for yuan a year (a flow of yuan), else, since a count or a stock cannot be a share of
    yuan, the recipient's population in place of a share; a measure that names what it is
    divided by (:attr:`coopstats.analysis.measures.Measure.divide_by`: ties per township) takes
    that in place of a population or a share.

    Examples
    --------
    >>> from coopstats.analysis.measures import MEASURES
    >>> for_measure(MEASURES["fiscal_aid"], "recipient_gdp")
    'recipient_gdp'
    >>> for_measure(MEASURES["aid_projects"], "recipient_gdp")
    'recipient_population'
    >>> for_measure(MEASURES["aid_projects"], "donor_population")
    'donor_population'
    >>> for_measure(MEASURES["pairing_ties"], "recipient_population")
    'recipient_townships'
    """
    own = getattr(measure, "divide_by", None)
    if own and (denominator in POPULATIONS or denominator in SHARES):
        return own
    if denominator in SHARES and not (measure.unit == "CNY" and measure.per_year):
        return "recipient_population"
    return denominator


def population(rows: pd.DataFrame, data, denominator: str) -> pd.Series:
    """What each row's rate is divided by, for a population or a count of places
    (:data:`~coopstats.dataset.parameters.POPULATIONS`,
    :data:`~coopstats.dataset.parameters.COUNTS`): the recipient's or the donor's 2020
    census residents, the recipient's registered population (the figure nearest 2020), or its
    county-level divisions (one for a county or district); NaN where ``context/places.csv`` has none
    (:func:`population_issue` says why) and for any other denominator.

    Examples
    --------
    >>> import coopstats
    >>> data = coopstats.load_all()
    >>> rows = pd.DataFrame({"pairing_id": ["qingdao_dingxi", "rizhao_qianjiang"]})
    >>> population(rows, data, "recipient_counties").tolist()  # a prefecture, a district
    [7.0, 1.0]
    """
    spec = POPULATIONS.get(denominator) or COUNTS.get(denominator)
    if spec is None:
        return pd.Series(np.nan, index=rows.index)
    side, _, indicator = spec
    ctx = data.context[data.context["indicator"] == indicator]
    ctx = ctx.assign(gap=(ctx["year"].astype("Float64") - 2020).abs().fillna(99))
    values = ctx.sort_values(["place_id", "gap"]).drop_duplicates("place_id") \
        .set_index("place_id")["value"].astype(float)
    place = rows["pairing_id"].astype(str).map(
        data.pairings.set_index("pairing_id")[side].astype(str))
    out = place.map(values).astype(float)
    if denominator == "recipient_counties":  # a county or district is one county division
        level = data.places.set_index("place_id")["level"].astype(str)
        out = out.where(out.notna() | ~place.map(level).isin(["county", "district"]), 1.0)
    return out


def population_issue(rows: pd.DataFrame, data, denominator: str,
                     values: pd.Series | None = None) -> pd.Series:
    """Why a row has no population or count to divide by ("" where it has one); ``values``:
    the rows' :func:`population`, when already looked up."""
    spec = POPULATIONS.get(denominator) or COUNTS.get(denominator)
    if spec is None:
        return pd.Series("", index=rows.index)
    missing = (population(rows, data, denominator) if values is None else values).isna()
    place = rows["pairing_id"].astype(str).map(
        data.pairings.set_index("pairing_id")[spec[0]].astype(str))
    return pd.Series([f"no {spec[2]} of {p} in context/places.csv" if m else ""
                      for p, m in zip(place, missing, strict=True)], index=rows.index)


def _years_text(years: list[int]) -> str:
    """``2021–2023`` for a run of years, else ``2020, 2021, 2023``."""
    if not years:
        return ""
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def _place(row, data, denominator: str) -> tuple[str | None, str]:
    """The place whose finance divides the row, or None and why."""
    side = SHARES[denominator][0]
    pairing = data.pairings.set_index("pairing_id").loc[str(row["pairing_id"])]
    if side != "donor_id":
        return str(pairing[side]), ""
    funder = str(row["funder_level"])
    if funder not in PAYERS:
        return None, (f"funder {funder}: whose revenue is not known"
                      if funder in ("mixed", "unknown") else
                      f"funder {funder}: not a government budget")
    place = str(pairing["donor_id"])
    if PAYERS[funder] == "donor_province":
        place = str(data.places.set_index("place_id").loc[place, "province_id"])
    return place, ""


def _base(row, data, denominator: str, known: dict) -> tuple[float, str, str]:
    """Mean published value over the window's calendar years, those years, and why not."""
    place, issue = _place(row, data, denominator)
    if place is None:
        return math.nan, "", issue
    if pd.isna(row["start_low"]) or pd.isna(row["end_high"]):
        return math.nan, "", "no window to match a year's budget or GDP with"
    lag = BASE_LAG[denominator]
    years = list(range(math.floor(row["start_low"]) - lag, math.ceil(row["end_high"]) - lag))
    values = known.get(place, {})
    have = [y for y in years if y in values]
    what = SHARES[denominator][1]
    if not values:
        return math.nan, "", f"no {what} of {place} in context/finance.csv"
    if len(have) < MIN_COVERAGE * len(years) or not have:
        return (math.nan, _years_text(have),
                f"{what} of {place} known for {_years_text(sorted(values))} only; window "
                f"{_years_text(years)}")
    return float(np.mean([values[y] for y in have])), _years_text(have), ""


def share_base(rows: pd.DataFrame, data, denominator: str) -> pd.DataFrame:
    """What each row's yuan are a share of: ``denominator_value`` (current yuan a year),
    the ``denominator_years`` whose published values it averages, and ``denominator_issue``
    (why there is no value; "" when there is one).

    ``rows`` need ``pairing_id``, ``funder_level`` and the window columns of
    :func:`coopstats.analysis.periods.windows` (``start_low``, ``end_high``).
    """
    one_of("denominator", denominator, SHARES)
    fin = data.finance[data.finance["indicator"] == SHARES[denominator][1]]
    known: dict[str, dict[int, float]] = {}
    for r in fin.itertuples():
        known.setdefault(str(r.place_id), {})[int(r.year)] = float(r.value)
    out = [_base(row, data, denominator, known) for _, row in rows.iterrows()]
    return pd.DataFrame(out, index=rows.index,
                        columns=["denominator_value", "denominator_years", "denominator_issue"])
