"""Time: successive cumulative reports of one measure, turned into increments between them.

A pairing's total "since 2021" printed in 2023 says little about when the money came; later
reports of the same pairing (``context/reports.csv``, :func:`coopstats.load_reports`) print
the same total again. This module puts the seed articles' pairing-level figures
(:func:`coopstats.analysis.totals.pairing_figures`) and the external reports of one measure
side by side (:func:`series`) and differences the cumulative ones (:func:`increments`):

* **one measure**: the same comparable group, unit, measure type and (consumption)
  direction as :func:`coopstats.analysis.measures.compare` uses; only achieved, pairing-level
  figures;
* **linked, not counted twice**: a report that restates a figure (``duplicate_of``: the same
  number over the same period, e.g. a republication) is merged into the row it restates,
  which lists it among its ``sources``;
* **the same start**: cumulative reports count from one start, the one most of a pairing's
  reports share (their windows' start bounds, :mod:`coopstats.analysis.periods`); one-year
  figures are ``annual``, windows with another start ``other window``, and an open start
  (``目前``, ``近年来``) is ``open start``: none of these is differenced;
* **ordered by the date each covers up to** (the end of its window), and differenced from the
  start (zero) on: each increment has an interval from the two figures' intervals (余, 近, 约)
  and a duration from the two windows' end bounds;
* **conflicts are flagged, never averaged**: a later total certainly below an earlier one
  (``conflict``); an annual figure larger than the room the cumulative reports around it
  leave (:func:`annual_checks`);
* two reports up to the same date are alternatives (e.g. money arranged and money arrived):
  one is differenced, the other listed (``alternatives``).

Examples
--------
>>> import coopstats
>>> data = coopstats.load_all()
>>> inc = increments(data, "fiscal_aid", "qingdao_dingxi", only=["qd-013", "ext-004"])
>>> inc[["from_id", "to_id", "increment_mid"]].values.tolist()
[['start', 'qd-013', 912000000.0], ['qd-013', 'ext-004', 956000000.0]]
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

import numpy as np
import pandas as pd

from coopstats.analysis._memo import by_content
from coopstats.analysis.intensity import (
    BASE_YEAR,
    IncomparableError,
    deflator,
    extended_levels,
    feasible_windows,
    population,
)
from coopstats.analysis.measures import MEASURES, Measure, _moment, _reason
from coopstats.analysis.periods import windows
from coopstats.analysis.totals import pairing_figures
from coopstats.dataset.parameters import COUNTS, one_of

__all__ = ["KINDS", "annual_checks", "calendar_years", "increment_rates", "increments",
           "measure_of", "series"]

#: How a report's window relates to the others of its pairing (see the module docstring).
KINDS = ("cumulative", "annual", "other window", "open start", "stock", "no window")
#: Columns a row of :func:`series` has (then the window's,
#: :func:`coopstats.analysis.periods.windows`).
_COLUMNS = ["pairing_id", "source_id", "origin", "indicator", "raw", "qualifier", "value",
            "value_low",
            "value_mid", "value_high", "low_inclusive", "high_inclusive", "period_start",
            "period_end", "period_text", "period_basis", "funder_level", "flow_stage",
            "pub_date", "pub_date_precision", "publisher", "independent", "duplicate_of",
            "unit"]
_EPS = 1e-9
#: Which flow stage a chain prefers when reports up to one date differ only in it and the
#: chain's other reports do not decide: what arrived before what was arranged.
_STAGE_ORDER = ("disbursed", "allocated", "unknown", "not_applicable")


def measure_of(measure: Measure | str) -> Measure:
    """A :class:`~coopstats.analysis.measures.Measure`, from itself, its key or its comparable
    group.

    Examples
    --------
    >>> measure_of("aid_projects").group, measure_of(MEASURES["fiscal_aid"]).unit
    ('aid_projects', 'CNY')
    """
    if isinstance(measure, Measure):
        return measure
    by_group = {m.group: m for m in MEASURES.values() if
                sum(n.group == m.group for n in MEASURES.values()) == 1}
    return MEASURES.get(measure) or by_group.get(measure) or \
        MEASURES[one_of("measure", measure, MEASURES)]


def _of_measure(rows: pd.DataFrame, data, measure: Measure) -> pd.DataFrame:
    """Achieved, pairing-level rows of the measure (the rule :func:`compare` uses)."""
    groups = data.indicators.set_index("indicator_id")["comparable_group"].astype(str)
    rows = rows[(rows["status"] == "achieved") & (rows["scope"] == "pairing") &
                (rows["indicator"].astype(str).map(groups) == measure.group)]
    return rows[rows.apply(_reason, axis=1, measure=measure) == ""] if len(rows) else rows


def _seed_rows(data, measure: Measure) -> pd.DataFrame:
    figs = _of_measure(pairing_figures(data.facts), data, measure)
    art = data.articles.set_index("article_id")
    arts = figs["article_id"].astype(str)
    outlet = arts.map(art["outlet"].astype(object))
    return figs.assign(
        source_id=figs["fact_id"], origin="article", duplicate_of="", independent=True,
        pub_date=arts.map(art["pub_date"].astype(object)),
        pub_date_precision=arts.map(art["pub_date_precision"].astype(object)),
        publisher=outlet.where(outlet.notna(), "seed article " + arts))


def _report_rows(data, measure: Measure) -> pd.DataFrame:
    reps = _of_measure(data.reports, data, measure)
    return reps.assign(source_id=reps["report_id"], origin="report",
                       publisher=reps["source_publisher"],
                       independent=reps["independent"] == "yes",
                       duplicate_of=reps["duplicate_of"].fillna(""))


def _merge_links(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows that restate another row of the set are merged into it: its ``sources`` lists
    them, ``independent_sources`` counts the independent ones (itself included)."""
    ids = set(rows["source_id"])
    root = {s: d if d in ids else s for s, d in zip(rows["source_id"], rows["duplicate_of"],
                                                    strict=True)}
    for _ in range(len(root)):  # follow chains of restatements to their first row
        root = {s: root[r] for s, r in root.items()}
    independent = rows["independent"].astype(bool)
    rows = rows.assign(root=rows["source_id"].map(root), _ind=independent, _rep=~independent)
    linked = rows.groupby("root")
    kept = rows[rows["source_id"] == rows["root"]].copy()
    kept["sources"] = kept["root"].map(linked["source_id"].agg(" ".join))
    kept["independent_sources"] = kept["root"].map(linked["_ind"].sum()).astype(int)
    kept["republications"] = kept["root"].map(linked["_rep"].sum()).astype(int)
    return kept.drop(columns=["root", "_ind", "_rep"])


def _kind(rows: pd.DataFrame) -> pd.Series:
    """cumulative, annual, other window, open start or no window (module docstring)."""
    fixed = (rows["period_issue"] == "") & ~rows["period_basis"].isin(["recent", "open_start"])
    annual = fixed & ((rows["period_start"] == rows["period_end"]) |
                      (rows["period_basis"] == "annual"))
    kind = pd.Series("no window", index=rows.index)
    kind[(rows["period_issue"] == "") & ~fixed] = "open start"
    kind[fixed & ~annual] = "other window"
    kind[annual] = "annual"
    for _, group in rows[fixed & ~annual].groupby("pairing_id", observed=True):
        starts = group[["start_low", "start_high"]].round(6).apply(tuple, axis=1)
        counts = starts.value_counts()
        best = min(counts.index, key=lambda s: (-counts[s], s))
        kind[starts[starts == best].index] = "cumulative"
    return kind


@by_content
def series(data, measure: Measure | str) -> pd.DataFrame:
    """Every achieved, pairing-level report of one measure, seed and external, one row per
    pairing × window (restatements merged), ordered by pairing and the end of the window.

    Parameters
    ----------
    data : Dataset
        :func:`coopstats.load_all`.
    measure : Measure or str
        One of :data:`coopstats.analysis.measures.MEASURES`, its key or its comparable group.

    Returns
    -------
    DataFrame
        ``pairing_id``, ``source_id`` (fact or report id), ``origin`` (article or report),
        ``raw``, the value and its interval, the coded period, ``funder_level``,
        ``flow_stage``, ``pub_date``, ``publisher``, ``sources`` (the ids merged into the
        row), ``independent_sources``, ``republications``, the window
        (:func:`coopstats.analysis.periods.windows`), ``window`` (as text) and ``kind``
        (:data:`KINDS`; every dated report of a stock is a ``stock``).

    Examples
    --------
    >>> import coopstats
    >>> s = series(coopstats.load_all(), "aid_projects")
    >>> s[s["pairing_id"] == "liaocheng_pengshui"][["source_id", "sources", "kind"]].values.tolist()
    [['lp-003', 'lp-003 ext-030', 'cumulative']]
    """
    measure = measure_of(measure)
    rows = pd.concat([_seed_rows(data, measure)[_COLUMNS],
                      _report_rows(data, measure)[_COLUMNS]], ignore_index=True)
    rows["pairing_id"] = rows["pairing_id"].astype(str)
    rows = _merge_links(rows)
    rows = rows.join(windows(rows, data))
    rows["kind"] = _kind(rows) if len(rows) else pd.Series(dtype=str)
    if not measure.per_year:  # a stock is a level at a moment: no start, no chain
        rows["kind"] = rows["kind"].where(rows["kind"] == "no window", "stock")
    rows["window"] = [_span(r) for r in rows.itertuples()]
    return rows.sort_values(["pairing_id", "end_low", "end_high", "pub_date"],
                            kind="stable").reset_index(drop=True)


def _span(r) -> str:
    """``2021-04 → 2025-05``; ``… → 2020-10`` for an open start."""
    if pd.isna(r.end_low):
        return "no period"
    end = _moment(r.end_low, r.end_high, end=True)
    if r.period_issue or pd.isna(r.start_low) or r.start_high - r.start_low > 1 + _EPS:
        return f"… → {end}"
    start = _moment(r.start_low, r.start_high)
    return start if start == end else f"{start} → {end}"


def _chain(data, measure: Measure, pairing_id: str,
           only: Iterable[str] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cumulative reports differenced (one per end date) and their alternatives."""
    s = series(data, measure)
    cum = s[(s["pairing_id"] == pairing_id) & (s["kind"] == "cumulative")]
    if only is not None:
        keep = set(only)
        cum = cum[cum["sources"].str.split().apply(lambda ids: bool(keep & set(ids)))]
    counts = cum["flow_stage"].astype(str).value_counts()
    usual = min(counts.index, key=lambda st: (-counts[st], _STAGE_ORDER.index(st)), default="")
    cum = cum.assign(_other_stage=cum["flow_stage"].astype(str) != usual)
    cum = cum.sort_values(["end_low", "end_high", "_other_stage", "pub_date"], kind="stable")
    same = cum.duplicated(["end_low", "end_high"])
    return cum[~same].drop(columns="_other_stage"), cum[same].drop(columns="_other_stage")


def _caveat(a, b) -> str:
    """How two successive reports differ in what they count."""
    said = [f"{name}: {a[col]} → {b[col]}" for col, name in (
        ("indicator", "indicator"), ("flow_stage", "flow stage"), ("funder_level", "funder"))
        if str(a[col]) != str(b[col])]
    return "; ".join(said)


#: The columns of :func:`increments`.
_STEP_COLUMNS = ["pairing_id", "from_id", "to_id", "from_raw", "to_raw", "from_end", "to_end",
                 "from_low", "from_high", "to_low", "to_high", "years_low", "years_high",
                 "increment_low", "increment_mid", "increment_high", "per_year_low",
                 "per_year_mid", "per_year_high", "conflict", "caveat", "alternatives"]


def _step(a, b, alternatives: pd.DataFrame) -> dict:
    """The increment from report (or start) ``a`` to report ``b``."""
    years_low = max(b["end_low"] - a["end_high"], 0.0)
    years_high = b["end_high"] - a["end_low"]
    low, high = b["value_low"] - a["value_high"], b["value_high"] - a["value_low"]
    mid = b["value_mid"] - a["value_mid"]
    touching = not (b["high_inclusive"] and a["low_inclusive"])
    alt = alternatives[(alternatives["end_low"] == b["end_low"]) &
                       (alternatives["end_high"] == b["end_high"])]
    return {
        "pairing_id": b["pairing_id"], "from_id": a["source_id"], "to_id": b["source_id"],
        "from_raw": a["raw"], "to_raw": b["raw"], "from_end": a["window_end"],
        "to_end": b["window_end"], "from_low": a["end_low"], "from_high": a["end_high"],
        "to_low": b["end_low"], "to_high": b["end_high"], "years_low": years_low,
        "years_high": years_high, "increment_low": low, "increment_mid": mid,
        "increment_high": high,
        "per_year_low": low / (years_high if low >= 0 else years_low or np.nan),
        "per_year_mid": mid / ((years_low + years_high) / 2),
        "per_year_high": high / years_low if years_low > 0 else np.inf,
        "conflict": bool(b["value_high"] < a["value_low"] or
                         (b["value_high"] == a["value_low"] and touching and high <= 0)),
        "caveat": _caveat(a, b) if a["source_id"] != "start" else "",
        "alternatives": " ".join(alt["source_id"]),
    }


def increments(data, measure: Measure | str, pairing_id: str, *,
               only: Iterable[str] | None = None) -> pd.DataFrame:
    """The increments between a pairing's successive cumulative reports of one measure.

    Parameters
    ----------
    data : Dataset
        :func:`coopstats.load_all`.
    measure : Measure or str
        A measure, its key or its comparable group.
    pairing_id : str
    only : iterable of str, optional
        Difference only these reports (fact or report ids; a merged row is kept when any
        of its sources is named).

    Raises
    ------
    IncomparableError
        For a stock (pairing ties, jobs in workshops): its reports are levels.

    Returns
    -------
    DataFrame
        One row per increment, the first from the chain's start (zero): ``from_id``,
        ``to_id`` (``start`` for the start), their figures and the text of their ends,
        ``from_low``/``from_high`` and ``to_low``/``to_high`` (when each report's window
        ends, in years), ``years_low``/``years_high`` (how long the increment lasted),
        ``increment_low``/``_mid``/``_high`` (base units), ``per_year_low``/``_mid``/
        ``_high``, ``conflict`` (the later total is certainly below the earlier one),
        ``caveat`` (what differs between the two: indicator, flow stage, funder) and
        ``alternatives`` (reports up to the same date that were not differenced).

    Examples
    --------
    >>> import coopstats
    >>> inc = increments(coopstats.load_all(), "aid_projects", "qingdao_dingxi")
    >>> inc[["to_id", "to_raw", "increment_mid"]].values.tolist()
    [['qd-014', '422个', 422.0], ['ext-005', '864個', 442.0]]
    """
    measure = measure_of(measure)
    if not measure.per_year:
        raise IncomparableError(f"{measure.key} is a stock, counted at one moment: its "
                                "reports are levels, not cumulative totals to difference")
    chain, alternatives = _chain(data, measure, pairing_id, only)
    if chain.empty:
        return pd.DataFrame(columns=_STEP_COLUMNS)
    chain = chain.assign(window_end=[_moment(lo, hi, end=True) for lo, hi in
                                     zip(chain["end_low"], chain["end_high"], strict=True)])
    first = chain.iloc[0]
    start = pd.Series({**_ZERO, "pairing_id": pairing_id, "end_low": first["start_low"],
                       "end_high": first["start_high"],
                       "window_end": _moment(first["start_low"], first["start_high"])})
    points = [start, *(row for _, row in chain.iterrows())]
    steps = [_step(a, b, alternatives) for a, b in pairwise(points)]
    return pd.DataFrame(steps, columns=_STEP_COLUMNS)


#: The start of a chain: nothing yet.
_ZERO = {"pairing_id": "", "source_id": "start", "raw": "0", "value_low": 0.0,
         "value_mid": 0.0, "value_high": 0.0, "low_inclusive": True, "high_inclusive": True,
         "end_low": 0.0, "end_high": 0.0, "window_end": "", "indicator": "",
         "flow_stage": "", "funder_level": ""}


def annual_checks(data, measure: Measure | str, pairing_id: str) -> pd.DataFrame:
    """Whether each one-year report of a pairing fits between the cumulative reports around
    it: the later total minus the earlier leaves room for it (``slack`` ≥ 0), else a
    ``conflict``. The reports whose window ends inside the year are listed (``inside``).

    Examples
    --------
    >>> import coopstats
    >>> c = annual_checks(coopstats.load_all(), "fiscal_aid", "qingdao_dingxi")
    >>> c[["annual_id", "earlier_id", "later_id", "inside", "slack", "conflict"]].values.tolist()
    [['ext-014', 'ext-001', 'ext-007', 'ext-004', 0.0, False]]
    """
    measure = measure_of(measure)
    s = series(data, measure)
    annual = s[(s["pairing_id"] == pairing_id) & (s["kind"] == "annual")]
    chain, _ = _chain(data, measure, pairing_id, None)
    rows = []
    for a in annual.itertuples():
        before = chain[chain["end_high"] <= a.start_low + _EPS]
        after = chain[chain["end_low"] >= a.end_high - _EPS]
        inside = chain[(chain["end_high"] > a.start_low + _EPS) &
                       (chain["end_low"] < a.end_high - _EPS)]
        room = (after.iloc[0]["value_high"] - before.iloc[-1]["value_low"]
                if len(before) and len(after) else np.nan)
        slack = room - a.value_low
        rows.append({"pairing_id": pairing_id, "annual_id": a.source_id, "raw": a.raw,
                     "window": a.window, "value_low": a.value_low,
                     "earlier_id": before.iloc[-1]["source_id"] if len(before) else "",
                     "later_id": after.iloc[0]["source_id"] if len(after) else "",
                     "inside": " ".join(inside["source_id"]), "room_high": room,
                     "slack": slack, "conflict": bool(slack < 0)})
    return pd.DataFrame(rows, columns=["pairing_id", "annual_id", "raw", "window",
                                       "value_low", "earlier_id", "later_id", "inside",
                                       "room_high", "slack", "conflict"])


def calendar_years(incs: pd.DataFrame) -> pd.DataFrame:
    """A year-by-year reading of :func:`increments` under even spending within each
    increment (the ``uniform`` prior of :mod:`coopstats.analysis.priors`): each increment's central
    value spread over its central window, summed by calendar year. ``covered`` is the share
    of the year the increments cover. A central estimate only: it says when money came as
    far as the reports' dates allow, not more.

    Examples
    --------
    >>> import coopstats
    >>> inc = increments(coopstats.load_all(), "fiscal_aid", "qingdao_dingxi")
    >>> y = calendar_years(inc).set_index("year")
    >>> round(float(y.loc[2022, "amount_mid"]) / 1e8, 2), float(y.loc[2022, "covered"])
    (4.56, 1.0)
    """
    if incs.empty:
        return pd.DataFrame(columns=["year", "amount_mid", "covered"])
    start = (incs["from_low"] + incs["from_high"]) / 2
    end = (incs["to_low"] + incs["to_high"]) / 2
    years = range(int(np.floor(start.min())), int(np.ceil(end.max())))
    out = []
    for y in years:
        overlap = (np.minimum(end, y + 1) - np.maximum(start, y)).clip(lower=0)
        share = overlap / (end - start).where(end > start)
        out.append({"year": y, "amount_mid": float((incs["increment_mid"] * share).sum()),
                    "covered": float(overlap.sum())})
    return pd.DataFrame(out)


def _levels(data, base_year: int, until: float) -> dict[int, float]:
    """Price levels by year (base year = 1), years after the CPI series at its last level."""
    return extended_levels(data.cpi, base_year, until)


def increment_rates(incs: pd.DataFrame, data, measure: Measure | str, *,
                    base_year: int = BASE_YEAR,
                    denominator: str = "recipient_population") -> pd.DataFrame:
    """:func:`increments` as rates: per year and (for the measure's ``per``) resident, money
    in constant ``base_year`` yuan (deflated over each increment's window, as
    :mod:`coopstats.analysis.intensity` does; years after the CPI series keep its last level).
    ``rate_low``/``rate_high`` take the increment's interval over every feasible window at
    its own deflator (:func:`coopstats.analysis.intensity.feasible_windows`); ``rate_mid`` is the
    central increment over the middle duration.

    Examples
    --------
    >>> import coopstats
    >>> data = coopstats.load_all()
    >>> r = increment_rates(increments(data, "fiscal_aid", "qingdao_dingxi"), data,
    ...                     "fiscal_aid")
    >>> round(float(r["rate_mid"].iloc[0]), 1)  # notebook 3's 9.12亿 since April 2021
    182.2
    """
    measure = measure_of(measure)
    out = incs.copy()
    money = measure.unit == "CNY"
    levels = _levels(data, base_year, float(incs["to_high"].max())) if money and \
        len(incs) else {}
    per = 1 if denominator in COUNTS else measure.per  # a county is counted in ones
    scale = population(out, data, denominator) / per if denominator != "none" \
        else pd.Series(1.0, index=out.index)
    lows, mids, highs = [], [], []
    for r, sc in zip(out.itertuples(), scale, strict=True):
        mid_years = (r.years_low + r.years_high) / 2
        end_mid = (r.to_low + r.to_high) / 2
        windows = [*feasible_windows(r.from_low, r.from_high, r.to_low, r.to_high),
                   (end_mid - mid_years, end_mid)]
        per_year = [(deflator(s, e, levels) if money else 1.0) / (e - s) for s, e in windows
                    if e > s]
        d_mid = deflator(end_mid - mid_years, end_mid, levels) if money else 1.0
        corners = [v * f / sc for v in (r.increment_low, r.increment_high) for f in per_year]
        lows.append(min(corners) if r.years_low > 0 else -np.inf)
        mids.append(r.increment_mid / mid_years * d_mid / sc)
        highs.append(max(corners) if r.years_low > 0 else np.inf)
    return out.assign(population=scale * per, rate_low=lows, rate_mid=mids,
                      rate_high=highs)
