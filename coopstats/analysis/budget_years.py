"""Money as the programme moves it: a pairing's allocation in each budget year.

East–West fiscal aid is appropriated per budget year, and the projects it finances are
planned per budget year (codebook P13). A cumulative total printed in a report therefore
counts whole budget years: from its start to the year before the report, and some, all or
none of the report's own year's allocation where that may already have been issued
(:func:`coopstats.analysis.periods.budget_window`). Successive totals of one pairing, and figures of
one year, then bound each year's allocation ``B[t]``:

* a total from a known start ``s`` to the last whole year ``L`` is
  ``B[s] + … + B[L] + h``, where ``h`` (what it holds of year ``L + 1``) lies between 0 and
  ``B[L + 1]`` when the report may hold some of its own year, else 0;
* a total whose start is known only within bounds (``近年来``, ``目前``: between ``a`` and
  ``b``) is at least the sum from ``b`` and at most the sum from ``a`` — in the other
  direction: the sum from ``b`` is at most its high end, the sum from ``a`` at least its low
  end;
* every ``B[t]`` is at least zero, and nothing is paid before the pairing began.

These are linear constraints, so the least and the most each year, or each run of years, can
hold are linear programmes: the bounds are the data's, not a model's. Each constraint bounds a
run of consecutive years, so the programmes are shortest paths between running totals,
solved for every run at once (:func:`scipy.sparse.csgraph.shortest_path`; the tests check
them against :func:`scipy.optimize.linprog`). Where the reports pin down only the sum over
a run of years (a *block*: 2021 and 2022 together, from a total of April 2023), the panel
says so, and its central estimate splits the block evenly (the ``even`` prior; the block's
sum needs no prior). A report that must hold part, not all, of its own year's allocation is
flagged (``part year``), and a set of reports no allocations can satisfy is a ``conflict``,
never averaged: the panel then names the report without which the others agree.

The reports of a pairing are those :func:`coopstats.analysis.increments.series` lists (seed articles
and external reports, restatements merged): one per window end, preferring the flow stage
most of them have (money arrived before money arranged), the others listed as alternatives.

Examples
--------
>>> import coopstats
>>> p = allocations(coopstats.load_all(), "fiscal_aid", "qingdao_dingxi")
>>> b = p.drop_duplicates("block")
>>> list(zip(b["block"], (b["block_mid"] / 1e8).round(2)))  # 亿元
[('2021–2022', 9.12), ('2023–2024', 9.11), ('2025', 4.56)]
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd

from coopstats.analysis._memo import by_content
from coopstats.analysis.increments import measure_of, series
from coopstats.analysis.intensity import BASE_YEAR, deflator, extended_levels, population
from coopstats.analysis.measures import MEASURES, Measure
from coopstats.analysis.periods import windows
from coopstats.dataset.parameters import COUNTS, POPULATIONS, one_of

__all__ = ["PANEL_COLUMNS", "Constraint", "allocations", "constraints", "panel", "panel_rates"]

_EPS = 1e-6
#: which report stands for a window end, among reports that differ only in flow stage
_STAGE_ORDER = ("disbursed", "allocated", "unknown", "not_applicable")
#: The columns of :func:`allocations` and :func:`panel`.
PANEL_COLUMNS = ["pairing_id", "measure", "year", "block", "block_years", "block_low",
                 "block_mid", "block_high", "amount_low", "amount_mid", "amount_high",
                 "per_year_low", "per_year_mid", "per_year_high", "unit", "sources",
                 "stages", "funders", "derivation", "flag"]


@dataclass(frozen=True)
class Constraint:
    """One report as bounds on sums of budget years.

    ``first`` is the first budget year (``first_latest`` the latest it may be: equal for a
    known start), ``last`` the last whole budget year, ``part`` whether it may hold some of
    year ``last + 1``; ``low`` and ``high`` the figure's interval.
    """

    source_id: str
    raw: str
    first: int
    first_latest: int
    last: int
    part: bool
    low: float
    high: float
    stage: str
    funder: str = ""
    annual: bool = False


def _rows(data, measure: Measure, pairing_id: str, every: pd.DataFrame | None = None
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pairing's reports of the measure that bound budget years (one per window end and
    start, the usual flow stage first), and the alternatives left beside them; ``every``:
    the measure's :func:`~coopstats.analysis.increments.series`, when already computed."""
    s = series(data, measure) if every is None else every
    s = s[(s["pairing_id"] == pairing_id) & s["kind"].isin(
        ["cumulative", "annual", "other window", "open start"])]
    s = s.drop(columns=[c for c in s.columns if c in _WINDOW]).join(
        windows(s, data, budget_years=True))
    s = s[(s["period_issue"] == "") & s["budget_years"]]
    counts = s["flow_stage"].astype(str).value_counts()
    usual = min(counts.index, key=lambda st: (-counts[st], _STAGE_ORDER.index(st)),
                default="")
    s = s.assign(_other=s["flow_stage"].astype(str) != usual).sort_values(
        ["end_low", "end_high", "start_low", "start_high", "_other", "pub_date"],
        kind="stable")
    same = s.duplicated(["end_low", "end_high", "start_low", "start_high"])
    return s[~same].drop(columns="_other"), s[same].drop(columns="_other")


_WINDOW = ("start_low", "start_high", "end_low", "end_high", "years_low", "years_high",
           "min_years", "period_issue", "budget_years")


def constraints(data, measure: Measure | str, pairing_id: str,
                every: pd.DataFrame | None = None) -> list[Constraint]:
    """The pairing's reports of a budget-year measure as :class:`Constraint` s.

    Examples
    --------
    >>> import coopstats
    >>> c = constraints(coopstats.load_all(), "fiscal_aid", "qingdao_dingxi")
    >>> [(k.source_id, k.first, k.last, k.part) for k in c][:3]
    [('qd-013', 2021, 2022, False), ('ext-001', 2021, 2023, True), ('ext-004', 2021, 2024, True)]
    """
    measure = measure_of(measure)
    rows, _ = _rows(data, measure, pairing_id, every)
    return [Constraint(str(r.source_id), str(r.raw), int(r.start_low), int(r.start_high),
                       int(r.end_low) - 1, bool(r.end_high > r.end_low), float(r.value_low),
                       float(r.value_high), str(r.flow_stage), str(r.funder_level),
                       bool(r.start_low == r.start_high == r.end_low - 1 and
                            r.end_high == r.end_low))
            for r in rows.itertuples()]


class _Problem:
    """The bounds of one pairing under one reading: which reports hold their own year
    (``holds``); variables B[t], one for each budget year.

    Every report bounds the sum of a run of consecutive years, and every ``B[t]`` is at least
    zero, so in the running totals ``P[k] = B[years[0]] + … + B[years[k - 1]]`` each bound is
    a difference constraint (``P[j] - P[i] <= w``). The most a run of years can hold is then
    the shortest path from its first running total to its last in the graph of those
    constraints, the least is minus the shortest path back, and no allocations satisfy the
    reports exactly when the graph has a negative cycle: the linear programmes' optima, found
    by :func:`scipy.sparse.csgraph.shortest_path` (Bellman–Ford) at once for every run.
    """

    def __init__(self, cons: list[Constraint], first_year: int, holds: tuple[bool, ...],
                 skip: int | None = None) -> None:
        self.cons, self.holds, self.skip = cons, holds, skip
        used = [(c, h) for i, (c, h) in enumerate(zip(cons, holds, strict=True)) if i != skip]
        self.years = list(range(min([first_year, *(c.first for c, _ in used)]),
                                max(c.last + h for c, h in used) + 1))
        n = len(self.years) + 1
        weights = np.full((n, n), np.inf)  # weights[i, j]: P[j] - P[i] is at most this
        weights[np.arange(1, n), np.arange(n - 1)] = 0.0  # B[t] >= 0
        self._dist: np.ndarray | None = None
        for c, h in used:
            for (i, j), w in ((self._totals(c.first_latest, c.last + h), c.high),
                              (self._totals(c.first, c.last + h)[::-1], -c.low)):
                if i == j and w < 0:  # an empty run of years cannot hold a positive amount
                    return
                weights[i, j] = min(weights[i, j], w)
        self._dist = _distances(weights)

    def _totals(self, first: int, last: int) -> tuple[int, int]:
        """The running totals whose difference is the sum of years ``first``–``last``
        (clipped to the years of the problem)."""
        i = max(first, self.years[0]) - self.years[0]
        return i, max(min(last, self.years[-1]) - self.years[0] + 1, i)

    def bounds(self, first: int, last: int) -> tuple[float, float] | None:
        """The least and the most budget years ``first``–``last`` hold together; None when
        no allocations satisfy the reports."""
        if self._dist is None:
            return None
        i, j = self._totals(first, last)
        return float(-self._dist[j, i]) + 0.0, float(self._dist[i, j])

    def feasible(self) -> bool:
        return self._dist is not None

    def edges(self) -> set[int]:
        """The last years of runs of budget years whose sum the reports bound better than
        their last year alone (or that no report bounds at all)."""
        ends, a, loose = set(), self.years[0], False
        for t in self.years:
            lo, hi = self.bounds(a, t)
            alone = self.bounds(t, t)
            if not np.isfinite(hi) and not np.isfinite(alone[1]):  # no report bounds it
                if a < t:  # close the run before it
                    ends.add(t - 1)
                elif loose:  # extend the run of years no report bounds
                    ends.discard(t - 1)
                ends.add(t)
                a, loose = t + 1, True
                continue
            loose = False
            if np.isfinite(hi) and (hi - lo < _EPS * max(1.0, hi) or
                                      hi - lo < alone[1] - alone[0] - _EPS):
                ends.add(t)
                a = t + 1
        return ends | {self.years[-1]}


def _distances(weights: np.ndarray) -> np.ndarray | None:
    """Shortest paths between every pair of nodes of a dense graph (``inf``: no edge; a
    zero is an edge of weight zero); None when it has a negative cycle."""
    from scipy.sparse.csgraph import NegativeCycleError, csgraph_from_dense, shortest_path

    try:
        return shortest_path(csgraph_from_dense(weights, null_value=np.inf), method="BF")
    except NegativeCycleError:
        return None


def _first_year(data, pairing_id: str) -> int:
    p = data.pairings.set_index("pairing_id").loc[pairing_id]
    return int(p["first_year"]) if pd.notna(p["first_year"]) else 10_000


def _readings(cons: list[Constraint], first_year: int, skip: int | None = None
              ) -> list[_Problem]:
    """Every reading (which reports hold their own year) that some allocations satisfy."""
    may = [i for i, c in enumerate(cons) if c.part and i != skip]
    out = []
    for choice in product((False, True), repeat=len(may)):
        holds = [False] * len(cons)
        for i, h in zip(may, choice, strict=True):
            holds[i] = h
        prob = _Problem(cons, first_year, tuple(holds), skip)
        if prob.feasible():
            out.append(prob)
    return out


def _solve(cons: list[Constraint], first_year: int) -> tuple[list[_Problem], str]:
    """The feasible readings, leaving out the one report without which the others agree
    when no reading fits them all (a conflict, flagged)."""
    readings = _readings(cons, first_year)
    if readings:
        return readings, ""
    for i, c in enumerate(cons):
        readings = _readings(cons, first_year, skip=i)
        if readings:
            return readings, (f"conflict: {c.source_id} ({c.raw}, to {c.last}"
                              f"{f' or {c.last + 1}' if c.part else ''}) fits no whole number "
                              "of budget years beside the other reports, which agree without "
                              "it: left out, not averaged")
    return [], "conflict: no allocations satisfy the reports, nor all of them but one"


def _union(readings: list[_Problem], first: int, last: int
           ) -> tuple[float, float, int, int]:
    """Bounds of years ``first``–``last`` together over every reading (a reading counts them
    up to the last year it covers), and the least and most years counted."""
    los, his, ns = [], [], []
    for prob in readings:
        top = min(last, prob.years[-1])
        if top < first:
            continue
        lo, hi = prob.bounds(first, top)
        los.append(lo)
        his.append(hi)
        ns.append(top - first + 1)
    return min(los), max(his), min(ns), max(ns)


def allocations(data, measure: Measure | str, pairing_id: str,
                every: pd.DataFrame | None = None) -> pd.DataFrame:
    """One pairing's allocation in each budget year, as its reports bound it.

    Parameters
    ----------
    data : Dataset
        :func:`coopstats.load_all`.
    measure : Measure or str
        A measure counted in budget years (fiscal aid, aid projects) or its key.
    pairing_id : str
    every : DataFrame, optional
        The measure's :func:`coopstats.analysis.increments.series`, when already computed.

    Returns
    -------
    DataFrame
        One row per budget year (:data:`PANEL_COLUMNS`): the ``block`` of years whose sum
        the reports bound (``block_low``/``_mid``/``_high``, base units; ``block_years``
        the number of years it holds, or the least where a report may or may not hold its
        own year), the year's own bounds (``amount_low``/``_high``) and its central estimate
        (``amount_mid``: the block split evenly, a prior), the block's average per budget
        year (``per_year_*``: its sum over its years, no prior), ``sources`` (the reports
        whose counts start or end at the block's edges), ``stages`` and ``funders`` (their
        flow stages, and who paid: the one payer the reports name, an ``unknown`` one not
        contradicting it), ``derivation`` and ``flag`` (a report left out as a conflict; a
        year counted only if a report holds its own year). Empty when the pairing has no
        report of the measure with a window.
    """
    measure = measure_of(measure)
    if not measure.budget_years:
        raise ValueError(f"{measure.key}: not counted in budget years (codebook P13)")
    cons = constraints(data, measure, pairing_id, every)
    if not cons:
        return pd.DataFrame(columns=PANEL_COLUMNS)
    readings, flag = _solve(cons, _first_year(data, pairing_id))
    if not readings:
        return pd.DataFrame([{"pairing_id": pairing_id, "measure": measure.key, "flag": flag}],
                            columns=PANEL_COLUMNS)
    years = range(min(r.years[0] for r in readings), max(r.years[-1] for r in readings) + 1)
    edges = set.intersection(*(r.edges() | {t for t in years if t > r.years[-1]}
                               for r in readings)) | {years[-1]}
    rows, a = [], years[0]
    for b in sorted(edges):
        rows += _block_rows(readings, cons, measure, pairing_id, a, b,
                            flag if a == years[0] else "")
        a = b + 1
    return pd.DataFrame(rows, columns=PANEL_COLUMNS)


def _block_rows(readings, cons, measure, pairing_id, a, b, flag) -> list[dict]:
    lo, hi, n_low, n_high = _union(readings, a, b)
    mid = (lo + hi) / 2 if np.isfinite(hi) else np.nan
    skip = readings[0].skip
    edge = [c for i, c in enumerate(cons) if i != skip and (
        c.last in (a - 1, b) or (c.part and c.last + 1 in (a, b)) or c.first in (a, b + 1))]
    per_year = mid / ((n_low + n_high) / 2)
    out = []
    for t in range(a, b + 1):
        t_lo, t_hi, *_ = _union(readings, t, t)
        maybe = any(r.years[-1] < t for r in readings)
        out.append({
            "pairing_id": pairing_id, "measure": measure.key, "year": t,
            "block": f"{a}–{b}" if b > a else str(a), "block_years": n_low,
            "block_low": lo, "block_mid": mid, "block_high": hi, "amount_low": t_lo,
            "amount_mid": per_year, "amount_high": t_hi, "per_year_low": lo / n_high,
            "per_year_mid": per_year, "per_year_high": hi / n_low, "unit": measure.unit,
            "sources": " ".join(c.source_id for c in edge),
            "stages": ", ".join(sorted({c.stage for c in edge})),
            "funders": _funders(edge),
            "derivation": _derivation(edge, a, b, n_low, n_high),
            "flag": "; ".join(f for f in (
                flag if t == a else "",
                f"counted only if a report of {t} holds its own year" if maybe else "") if f)})
    return out


def _funders(edge: list[Constraint]) -> str:
    """Who paid the block's money, as its reports say: the one known payer (an ``unknown``
    report in the same chain does not contradict it), ``mixed`` for several, else
    ``unknown``."""
    known = {c.funder for c in edge} - {"unknown", "not_applicable", ""}
    return known.pop() if len(known) == 1 else "mixed" if known else "unknown"


def _derivation(edge: list[Constraint], a: int, b: int, n_low: int, n_high: int) -> str:
    """How the block's sum is bounded, in words."""
    def one(c: Constraint) -> str:
        start = str(c.first) if c.first == c.first_latest else f"{c.first}…{c.first_latest}"
        upto = f"{c.last}" + (f" (+ part of {c.last + 1}?)" if c.part else "")
        return f"{c.source_id} {c.raw} ({start}–{upto})"
    years = f"budget years {a}–{b}" if b > a else f"budget year {a}"
    if n_high > n_low:
        years += f" ({n_low} or {n_high} of them)"
    return f"{years}, bounded by " + "; ".join(one(c) for c in edge)


@by_content
def panel(data, measures: tuple[str, ...] = ("fiscal_aid", "aid_projects")) -> pd.DataFrame:
    """The pairing × budget-year panel: :func:`allocations` of every pairing, for each measure
    counted in budget years.

    Examples
    --------
    >>> import coopstats
    >>> p = panel(coopstats.load_all())
    >>> sorted(set(p.loc[p["measure"] == "fiscal_aid", "pairing_id"]))[:3]
    ['dezhou_xiushan', 'linyi_chengkou', 'qingdao_dingxi']
    """
    every = {m: series(data, MEASURES[m]) for m in measures}
    frames = [allocations(data, MEASURES[m], str(p), every[m]) for m in measures
              for p in data.pairings["pairing_id"]]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=PANEL_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out.astype({"year": "int64", "block_years": "Int64"})


def panel_rates(table: pd.DataFrame, data, *, base_year: int = BASE_YEAR,
                denominator: str = "recipient_population") -> pd.DataFrame:
    """Each block of :func:`panel` as a rate per budget year: the block's sum over its
    number of years (one budget year each), money deflated year by year (each year's
    allocation at its own price level, the years of a block equally), per the measure's
    ``per`` residents.

    Examples
    --------
    >>> import coopstats
    >>> data = coopstats.load_all()
    >>> r = panel_rates(allocations(data, "fiscal_aid", "qingdao_dingxi"), data)
    >>> r.drop_duplicates("block")[["block", "rate_mid"]].round(1).values.tolist()
    [['2021–2022', 182.8], ['2023–2024', 180.3], ['2025', 180.3]]
    """
    out = table.copy()
    money = out["unit"].astype(str) == "CNY"
    levels = extended_levels(data.cpi, base_year, float(out["year"].max()) + 1) \
        if money.any() else {}
    first = out["block"].astype(str).str[:4].astype(int)
    defl = [deflator(f, f + n, levels) if m else 1.0 for f, n, m in
            zip(first, out["block_years"].astype(float), money, strict=True)]
    per = out["measure"].map(lambda k: MEASURES[k].per).astype(float)
    one_of("denominator", denominator, (*POPULATIONS, *COUNTS, "none"))
    scale = (population(out, data, denominator) if denominator in COUNTS else
             population(out, data, denominator) / per if denominator != "none" else 1.0)
    for col in ("low", "mid", "high"):
        out[f"rate_{col}"] = out[f"per_year_{col}"] * np.array(defl) / scale
    return out.assign(deflator=defl, population=scale * per)
