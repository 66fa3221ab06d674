"""A donor's effort, like for like with the earlier programmes' rules.

The Wenchuan, Xinjiang and Tibet rules (``context/benchmarks.csv``) set a province's whole
contribution to a programme as a share of its *previous* year's local general budget
revenue. One pairing of a donor with several partners is not that: its share is a lower
bound of the donor's effort. This module sums a donor's fiscal aid over all its partners in
each budget year (:func:`coopstats.analysis.budget_years.panel`: each pairing's allocation in that
year, a block's average where the reports bound only a run of years) and divides it by the
donor's revenue of the year before (:data:`coopstats.analysis.denominators.BASE_LAG`).

Who paid decides whose effort it is: only a pairing's money that its donor city paid alone
(``funder_level`` city) counts towards the city's effort. A pairing paid by the province and
the city together, or by an unknown funder, is left out with the reason, and so is a pairing
with no figure for the year: the sum is then a **lower bound**, and ``complete`` says so.

A province's effort (:func:`province_effort`) is the rules' own yardstick: its aid to all
its partner provinces in a budget year — from the external layer's province-wide figures
(``scope`` province, ``partner_id`` the partner province), all levels together — over the
province's previous year's revenue.

Examples
--------
>>> import coopstats
>>> e = donor_effort(coopstats.load_all(), programmes=("east_west",))
>>> row = e.set_index(["donor_id", "year"]).loc[("qingdao", 2022)]
>>> float(round(row["aid_mid"] / 1e8, 2)), int(row["revenue_year"]), bool(row["complete"])
(4.56, 2021, False)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from coopstats.analysis.budget_years import panel

__all__ = ["EFFORT_COLUMNS", "donor_effort", "province_effort"]

#: The columns of :func:`donor_effort`.
EFFORT_COLUMNS = ["donor_id", "year", "programmes", "aid_low", "aid_mid", "aid_high",
                  "counted", "missing", "complete", "lower_bound", "revenue", "revenue_year",
                  "share_low", "share_mid", "share_high", "note"]


def _cell(cells: pd.DataFrame, pairing_id: str, year: int) -> tuple[pd.Series | None, str]:
    """The pairing's panel row for the year, or why it does not count."""
    row = cells[(cells["pairing_id"] == pairing_id) & (cells["year"] == year)]
    if row.empty or not np.isfinite(row["block_high"].iloc[0]):
        return None, "no fiscal-aid figure bounds the year"
    r = row.iloc[0]
    if str(r["funders"]) != "city":
        return None, f"funder {r['funders']}: not the donor city's own money"
    return r, ""


def donor_effort(data, *, programmes: Iterable[str] | None = None,
                 years: Iterable[int] = range(2021, 2026)) -> pd.DataFrame:
    """Each donor's fiscal aid to all its partners in each budget year, as a share of its
    previous year's general public budget revenue.

    Parameters
    ----------
    data : Dataset
        :func:`coopstats.load_all`.
    programmes : iterable of str, optional
        Only the donor's pairings of these programmes (``pairings.programme``, e.g.
        ``("east_west",)``); every programme when None.
    years : iterable of int
        Budget years.

    Returns
    -------
    DataFrame
        One row per donor and budget year (:data:`EFFORT_COLUMNS`): ``aid_low``/``_mid``/
        ``_high`` (current yuan: the sum of the pairings counted, each at its block's
        average per budget year), ``counted`` and ``missing`` (pairings, the latter with the
        reason), ``complete`` (every pairing counted), ``lower_bound`` (the sum may miss
        aid: a pairing not counted), ``revenue`` of ``revenue_year`` (the
        year before; NaN when not in ``context/finance.csv``) and ``share_low``/``_mid``/
        ``_high`` (percent). ``note`` says what a share rests on.
    """
    cells = panel(data, ("fiscal_aid",))
    pairings = data.pairings.assign(programme=data.pairings["programme"].astype(str))
    if programmes is not None:
        pairings = pairings[pairings["programme"].isin(list(programmes))]
    fin = data.finance[data.finance["indicator"] == "general_budget_revenue"]
    revenue = {(str(p), int(y)): float(v) for p, y, v in
               zip(fin["place_id"], fin["year"], fin["value"], strict=True)}
    rows = []
    for donor, group in pairings.groupby(pairings["donor_id"].astype(str), sort=True):
        for year in years:
            rows.append(_donor_year(donor, int(year), group, cells, revenue, programmes))
    return pd.DataFrame(rows, columns=EFFORT_COLUMNS)


def _donor_year(donor: str, year: int, group: pd.DataFrame, cells: pd.DataFrame,
                revenue: dict, programmes) -> dict:
    counted, missing, sums = [], [], np.zeros(3)
    for pid in group["pairing_id"].astype(str):
        r, why = _cell(cells, pid, year)
        if r is None:
            missing.append(f"{pid} ({why})")
            continue
        counted.append(f"{pid} ({r['block']})")
        sums += [r["per_year_low"], r["per_year_mid"], r["per_year_high"]]
    base = revenue.get((donor, year - 1), np.nan)
    share = sums / base * 100 if counted else np.full(3, np.nan)
    note = ("" if counted else "no pairing counted") if np.isfinite(base) else \
        f"no general budget revenue of {donor} for {year - 1} in context/finance.csv"
    return {"donor_id": donor, "year": year,
            "programmes": ", ".join(sorted(set(group["programme"]))) if programmes is None
            else ", ".join(programmes),
            "aid_low": sums[0] if counted else np.nan, "aid_mid": sums[1] if counted
            else np.nan, "aid_high": sums[2] if counted else np.nan,
            "counted": "; ".join(counted), "missing": "; ".join(missing),
            "complete": not missing, "lower_bound": bool(missing), "revenue": base,
            "revenue_year": year - 1,
            "share_low": share[0], "share_mid": share[1], "share_high": share[2],
            "note": note}


def _province_year(row, year: int, data) -> tuple[np.ndarray, str, str] | None:
    """What a province-wide report says of one budget year: a per-year figure of a span
    (每年) directly, a total over budget years as their average (a block, split evenly),
    with what it is and its qualifier; None when the year is not among those it counts
    wholly."""
    from coopstats.analysis.periods import windows

    vals = np.array([row["value_low"], row["value_mid"], row["value_high"]], dtype=float)
    if row["period_basis"] == "annual":
        inside = int(row["period_start"]) <= year <= int(row["period_end"])
        return (vals, f"{row['report_id']} (each year {row['period_start']}–"
                      f"{row['period_end']})", str(row["qualifier"])) if inside else None
    w = windows(row.to_frame().T, data, budget_years=True).iloc[0]
    if w["period_issue"] or not (w["start_high"] <= year < w["end_low"]):
        return None
    n_low, n_high = w["years_low"], w["years_high"]
    per = np.array([vals[0] / n_high, vals[1] / ((n_low + n_high) / 2), vals[2] / n_low])
    return (per, f"{row['report_id']} (average of {int(w['start_low'])}–"
                 f"{int(w['end_low']) - 1})", str(row["qualifier"]))


def province_effort(data, province: str = "shandong",
                    years: Iterable[int] = range(2021, 2026)) -> pd.DataFrame:
    """A province's East–West aid to all its partner provinces in each budget year, as a
    share of its previous year's general public budget revenue (:data:`EFFORT_COLUMNS`,
    ``donor_id`` the province): the like-for-like yardstick of the earlier programmes'
    rules. Each partner's aid comes from the external layer's province-wide reports; a
    partner with no report of the year is ``missing``, and the sum is a lower bound then,
    or when a figure is a floor (以上, 超) or an average over years before the new round.

    Examples
    --------
    >>> import coopstats
    >>> e = province_effort(coopstats.load_all()).set_index("year")
    >>> e.loc[2022, "counted"].split("; ")[0], int(e.loc[2022, "revenue_year"])
    ('chongqing: ext-052 (average of 2010–2023)', 2021)
    """
    p = data.pairings
    donors = set(data.places.loc[data.places["province_id"].astype(str) == province,
                                 "place_id"].astype(str))
    east_west = p[(p["programme"].astype(str) == "east_west") &
                  p["donor_id"].astype(str).isin(donors)]
    partners = sorted(set(data.places.set_index("place_id").loc[
        east_west["recipient_id"].astype(str), "province_id"].astype(str)))
    groups = data.indicators.set_index("indicator_id")["comparable_group"].astype(str)
    r = data.reports
    wide = r[(r["scope"] == "province") & (r["subject_id"].astype(str) == province) &
             (r["indicator"].astype(str).map(groups) == "fiscal_aid") &
             (r["status"] == "achieved")]
    fin = data.finance[data.finance["indicator"] == "general_budget_revenue"]
    revenue = {int(y): float(v) for pl, y, v in zip(fin["place_id"], fin["year"],
                                                    fin["value"], strict=True)
               if str(pl) == province}
    rows = []
    for year in years:
        sums, counted, missing, floor = np.zeros(3), [], [], False
        for partner in partners:
            found = [f for _, row in wide[wide["partner_id"].astype(str) == partner].iterrows()
                     if (f := _province_year(row, int(year), data)) is not None]
            if not found:
                missing.append(f"{partner} (no province-wide figure bounds the year)")
                continue
            vals, what, qualifier = min(found, key=lambda f: "average" in f[1])  # own year
            sums += vals
            floor |= qualifier == "at_least" or "average" in what
            counted.append(f"{partner}: {what}")
        base = revenue.get(int(year) - 1, np.nan)
        share = sums / base * 100 if counted else np.full(3, np.nan)
        rows.append({"donor_id": province, "year": int(year), "programmes": "east_west",
                     **dict(zip(("aid_low", "aid_mid", "aid_high"),
                                sums if counted else np.full(3, np.nan), strict=True)),
                     "counted": "; ".join(counted), "missing": "; ".join(missing),
                     "complete": not missing, "lower_bound": bool(missing) or floor,
                     "revenue": base, "revenue_year": int(year) - 1,
                     "share_low": share[0], "share_mid": share[1], "share_high": share[2],
                     "note": "" if np.isfinite(base) else
                     f"no general budget revenue of {province} for {int(year) - 1} in "
                     "context/finance.csv"})
    return pd.DataFrame(rows, columns=EFFORT_COLUMNS)
