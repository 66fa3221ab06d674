"""The measures the study compares, declared once, and one way to compare pairings on them.

A :class:`Measure` names one comparable quantity: a comparable group of indicators, in one
unit, of one measure type (a flow per period, or a stock at one moment), expressed per year
or not, per N residents, with its kind (input, output or outcome, from ``indicators.kind``).
:data:`MEASURES` is the table the notebooks, the parameterised notebook and the headline tests
iterate over.

:func:`compare` ranks pairings on a measure and refuses what is not comparable:

* only pairing-level, achieved figures of the measure's group, unit and measure type
  (:func:`coopstats.analysis.totals.pairing_figures`: printed totals, and derived totals summed from
  their parts) — a flow is never added to a stock, and nothing is ever added here;
* one figure per pairing: where a pairing has several reports of the measure (overlapping
  cumulative totals, or totals over different windows), one is used and the others are
  listed beside it (``alternatives``), never added; the rule that chose it is shown
  (``chosen``);
* which question a comparison answers decides whether the funder matters: aid *received*
  (a recipient-side denominator: per resident, per county, a share of the recipient's GDP or
  budget) counts whoever paid, each row showing its funder; a donor's *effort* (a donor-side
  denominator: the donor's residents or revenue) refuses figures of unlike funders (province,
  city, mixed …) unless the caller says ``funders="any"``;
* how far the money got decides too: figures of unlike flow stages (money allocated, 落实/
  安排, against money disbursed, 投入/到位; signed against completed investment) are refused
  unless the caller says ``stages="any"`` (each row showing its stage) or keeps one stage
  (``stages="disbursed"``, or ``"commonest"``: the stage most pairings' figures are of);
* fiscal aid and the projects it finances are counted in whole budget years (codebook P13,
  :func:`coopstats.analysis.periods.budget_window`), unless the caller asks for the continuous
  reading (``budget_years=False``, the ``uniform`` prior of :mod:`coopstats.analysis.priors`);
* the external layer (``context/reports.csv``) stands for a pairing the articles give no
  figure for, where the measure says so (fiscal aid and aid projects, ``reports``): flagged
  ``origin`` ``report``, grade C;
* every row shows its window (years and how they were read) and its era.

:func:`side_by_side` puts two comparisons' rates next to each other, for the pairings both
have: the table that stands where a scatter of three points would invite a regression line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopstats.analysis._memo import by_content
from coopstats.analysis.intensity import BASE_YEAR, IncomparableError, rates_of, windowed
from coopstats.analysis.periods import BUDGET_YEAR_GROUPS
from coopstats.analysis.totals import pairing_figures
from coopstats.dataset.parameters import POPULATIONS, SHARES, one_of
from coopstats.dataset.schema import FLOW_STAGES

__all__ = ["DONOR_SIDE", "MEASURES", "NEW_ROUND", "STAGE_CHOICES", "Comparison", "Measure",
           "commonest_stage", "compare", "compare_every", "side_by_side"]

#: the first year of the 2021 new round of East–West cooperation (codebook: external layer)
NEW_ROUND = 2021
#: denominators that make a rate a donor's effort (the funder decides whose effort it is);
#: the others measure what the recipient received
DONOR_SIDE = tuple(d for d, (side, *_) in {**POPULATIONS, **SHARES}.items()
                   if side == "donor_id")
#: which report a pairing's figure is, among several for one window: what arrived first
_STAGE_ORDER = ("disbursed", "allocated", "unknown", "not_applicable")
#: what ``compare(stages=…)`` takes: refuse unlike stages, compare them anyway, keep the
#: commonest stage, or keep one named stage
STAGE_CHOICES = ("same", "any", "commonest",
                 *(st for st in FLOW_STAGES if st != "not_applicable"))


@dataclass(frozen=True)
class Measure:
    """One comparable quantity.

    Attributes
    ----------
    key : str
        Short name (``"fiscal_aid"``).
    label : str
        What a chart calls it (``"Fiscal aid"``).
    group : str
        A ``comparable_group`` of ``indicators.csv``.
    unit : str
        The canonical unit of its figures (``CNY``, ``person_time`` …).
    measure_type : {"flow", "stock"}
        A flow is annualised (per year); a stock is counted at one moment.
    kind : {"input", "output", "outcome"}
        As ``indicators.kind`` says for the group's indicators (a test checks it).
    per : int
        Expressed per this many residents (1 for yuan, 100 000 for counts).
    quantity : str
        What is counted, for axis labels (``"yuan"``, ``"projects"`` …).
    direction : str, optional
        Consumption figures: only this direction (``one_way`` or ``two_way``).
    divide_by : str, optional
        What the measure is divided by in place of a population or a share: ties join
        places (county to township, township to village), not residents, so pairing ties are
        counted per recipient township (``recipient_townships``).
    external : bool
        Whether the external layer's pairing totals (``context/reports.csv``) stand, by
        default, for pairings the articles give no figure for: the government's own aid
        and its projects, which later reports print under the same names.
    """

    key: str
    label: str
    group: str
    unit: str
    measure_type: str
    kind: str
    per: int = 1
    quantity: str = ""
    direction: str | None = None
    external: bool = False
    divide_by: str | None = None

    @property
    def per_year(self) -> bool:
        """Whether the measure is annualised (flows are, stocks are not)."""
        return self.measure_type == "flow"

    @property
    def budget_years(self) -> bool:
        """Whether its figures are counted in whole budget years (codebook P13)."""
        return self.group in BUDGET_YEAR_GROUPS


def _m(*args, **kwargs) -> tuple[str, Measure]:
    measure = Measure(*args, **kwargs)
    return measure.key, measure


#: The measures the study compares, by key.
MEASURES: dict[str, Measure] = dict([
    _m("fiscal_aid", "Fiscal aid", "fiscal_aid", "CNY", "flow", "input", quantity="yuan",
       external=True),
    _m("aid_projects", "Aid projects", "aid_projects", "count", "flow", "input", 100_000,
       "projects", external=True),
    _m("pairing_ties", "Pairing ties in force", "pairing_ties", "pair", "stock", "input",
       1, "ties", divide_by="recipient_townships"),
    _m("firms_introduced", "Firms introduced", "firms_introduced", "count", "flow", "input",
       100_000, "firms"),
    _m("firm_investment", "Firm investment", "firm_investment", "CNY", "flow", "input",
       quantity="yuan"),
    _m("consumption_one_way", "Consumption assistance (donor side buys)", "consumption_sales",
       "CNY", "flow", "input", quantity="yuan", direction="one_way"),
    _m("consumption_two_way", "Consumption trade (both ways)", "consumption_sales", "CNY",
       "flow", "input", quantity="yuan", direction="two_way"),
    _m("cadre_training", "Cadres and professionals trained", "cadre_training", "person_time",
       "flow", "output", 100_000, "person-times"),
    _m("labour_training", "Workers trained", "labour_training", "person_time", "flow",
       "output", 100_000, "person-times"),
    _m("labour_transfer", "Workers moved to jobs elsewhere", "labour_transfer", "person",
       "flow", "outcome", 100_000, "workers"),
    _m("poor_employment", "Formerly poor people employed", "poor_employment", "person", "flow",
       "outcome", 100_000, "people"),
    _m("workshop_jobs", "Jobs in aid-built workshops", "workshop_jobs", "person", "stock",
       "outcome", 100_000, "jobs"),
])


@dataclass
class Comparison:
    """The result of :func:`compare`.

    Attributes
    ----------
    measure : Measure
    table : DataFrame
        One row per pairing (the figure used), highest ``rate_mid`` first: ``pairing_id``,
        ``fact_id`` (a report's ``report_id`` for ``origin`` report), ``origin`` (article
        or report), ``raw``, ``window`` (years and how they were read), ``era``,
        ``funder_level``, ``flow_stage``, ``grade``, ``rate_low``, ``rate_mid``,
        ``rate_high``, ``chosen``, ``alternatives`` and the columns of
        :func:`coopstats.analysis.intensity.rates`.
    candidates : DataFrame
        Every figure that could stand for its pairing, with ``used`` (bool).
    left_out : DataFrame
        Figures of the measure's group left out, with ``reason`` (another unit, measure type
        or direction; outside the window; no window to annualise).
    """

    measure: Measure
    table: pd.DataFrame
    candidates: pd.DataFrame
    left_out: pd.DataFrame

    @property
    def cross_era(self) -> bool:
        """Whether the figures compared come from different eras (windows starting before
        and after the 2021 new round)."""
        return self.table["era"].nunique() > 1


def _moment(low: float, high: float, *, end: bool = False) -> str:
    """A moment known within bounds: ``2021-04`` (to the month), ``2021`` (to the year; an end
    on 1 January is the year before's end), or ``2011…2022``."""
    if end and low == high == int(low):
        return str(int(low) - 1)
    year = int(low)
    if low == high == year:
        return str(year)
    if high - low <= 1 / 12 + 1e-9:  # (before the year: January is a month, not the year)
        return f"{year}-{round((low - year) * 12) + 1:02d}"
    if high - low <= 1 + 1e-9 and low == year:
        return str(year)
    return f"{year}…{int(high)}"


def _window_text(row, measure: Measure) -> str:
    """Where a figure's window lies and how it was read: ``2021-04 → 2023-04 (stated)``,
    ``2022 (stated)``, ``one year, 2023 (annual)``, ``counted 2023 (open_start)``."""
    basis = row["period_basis"]
    if pd.isna(row["end_low"]):
        return "no period"
    if measure.per_year and bool(row.get("budget_years", False)) and not row["period_issue"]:
        return f"{_budget_years_text(row)} ({basis})"
    end = _moment(row["end_low"], row["end_high"], end=True)
    if not measure.per_year:
        return f"counted {end} ({basis})"
    if basis == "annual":
        return f"one year, {int(row['start_low'])} (annual)"
    if row["period_issue"] or pd.isna(row["start_low"]):
        return f"… → {end} ({basis})"
    start = _moment(row["start_low"], row["start_high"])
    return f"{start} ({basis})" if start == end else f"{start} → {end} ({basis})"


def _budget_years_text(row) -> str:
    """``budget years 2021–2022``; ``budget years 2021–2023 (+2024?)`` where the report's
    own year may be counted, wholly or not at all; ``budget year 2025``; ``budget years
    2011…2015 → 2022`` for a start known only within bounds."""
    lo, hi = int(row["start_low"]), int(row["start_high"])
    last = int(row["end_low"]) - 1
    maybe = f" (+{last + 1}?)" if row["end_high"] > row["end_low"] else ""
    if lo != hi:
        return f"budget years {lo}…{hi} → {last}{maybe}"
    if lo == last:
        return f"budget year {last}{maybe}"
    return f"budget years {lo}–{last}{maybe}"


def _era(row, measure: Measure, rounds: dict[str, int] | None = None) -> str:
    """"new round" when the whole window lies in the 2021 new round (its year for the
    pairing, from the external layer's ``new_round`` rows, else :data:`NEW_ROUND`; for a
    stock: when it is counted in it), else "spans eras"."""
    edge = row["end_low"] if not measure.per_year else row["start_low"]
    start = (rounds or {}).get(str(row["pairing_id"]), NEW_ROUND)
    return "new round" if pd.notna(edge) and edge >= start else "spans eras"


def _reason(row, measure: Measure, stage: str | None = None) -> str:
    """Why a figure of the measure's group cannot stand for it ("" when it can); ``stage``:
    only figures of that flow stage (or of none: ``not_applicable``) can."""
    if stage and str(row["flow_stage"]) not in (stage, "not_applicable"):
        return f"flow stage {row['flow_stage']}, not {stage}"
    if str(row["unit"]) != measure.unit:
        return f"counted in {row['unit']}, not {measure.unit}"
    if str(row["measure_type"]) != measure.measure_type:
        return f"a {row['measure_type']}, not a {measure.measure_type}"
    if measure.direction and str(row["direction"]) != measure.direction:
        return f"direction {row['direction']}, not {measure.direction}"
    return ""


def _report_figures(data) -> pd.DataFrame:
    """The external layer's pairing totals as figures: independent reports that restate
    nothing, with the report id as ``fact_id``, grade C (codebook F7) and their own dates."""
    r = data.reports
    r = r[(r["scope"] == "pairing") & (r["independent"] == "yes") & r["duplicate_of"].isna()]
    return r.assign(fact_id=r["report_id"], grade="C", origin="report", derived=False,
                    parts="", quote=r["source_excerpt"], article_id=pd.NA)


def _figures(data, measure: Measure, reports: bool = False, stage: str | None = None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pairing-level achieved figures of the measure's group (and of the external layer,
    when asked; of one flow stage, when given): those that can stand for it, and those left
    out with their reason."""
    one_of("measure.group", measure.group,
           sorted(set(data.indicators["comparable_group"].astype(str))), "comparable group")
    groups = data.indicators.set_index("indicator_id")["comparable_group"].astype(str)
    figs = pairing_figures(data.facts).assign(origin="article")
    if reports:
        extra = _report_figures(data)
        figs = pd.concat([figs.astype({"pairing_id": str}),
                          extra[[c for c in extra.columns if c in figs.columns or
                                 c in ("pub_date", "pub_date_precision")]]
                          .astype({"pairing_id": str})], ignore_index=True)
    figs = figs[(figs["status"] == "achieved") &
                (figs["indicator"].astype(str).map(groups) == measure.group)]
    reasons = figs.apply(_reason, axis=1, measure=measure, stage=stage) if len(figs) else \
        pd.Series(dtype=str)
    return figs[reasons == ""], figs[reasons != ""].assign(reason=reasons[reasons != ""])


def _choose(rated: pd.DataFrame) -> pd.DataFrame:
    """One figure per pairing: the latest window, then the shortest; the others are
    listed as its alternatives, never added."""
    stage = rated["flow_stage"].astype(str).map(
        {st: i for i, st in enumerate(_STAGE_ORDER)}).fillna(len(_STAGE_ORDER))
    keys = rated[["pairing_id", "end_high", "years_high", "fact_id"]].assign(_stage=stage)
    order = keys.reset_index(drop=True).sort_values(  # (sorted narrow, taken once)
        ["pairing_id", "end_high", "years_high", "_stage", "fact_id"],
        ascending=[True, False, True, True, True]).index
    rated = rated.take(order)
    rated["used"] = ~rated["pairing_id"].duplicated()
    # a few rows: plain Python lists cost less than a pandas operation per cell
    pairings, used = rated["pairing_id"].tolist(), rated["used"].tolist()
    texts = (rated["fact_id"].astype(str) + " " + rated["raw"].astype(str) + ", " +
             rated["window"].astype(str)).tolist()
    others: dict = {}
    for p, u, text in zip(pairings, used, texts, strict=True):
        if not u:
            others.setdefault(p, []).append(text)
    n = Counter(pairings)
    alternatives = ["; ".join(others.get(p, [])) if u else ""
                    for p, u in zip(pairings, used, strict=True)]
    rated["alternatives"] = pd.Series(alternatives, index=rated.index, dtype=str)
    rated["chosen"] = ["the only report" if n[p] == 1 else f"the latest of {n[p]} reports"
                       for p in pairings]
    return rated


def _gaps_only(rated: pd.DataFrame, out: pd.Series) -> pd.Series:
    """Rows left out because their pairing has an article's figure of the measure: a report
    stands only for a pairing the articles give no figure for (not for one whose figure
    cannot be used, e.g. for want of a denominator: that is said, not replaced)."""
    covered = set(rated.loc[rated["origin"] == "article", "pairing_id"].astype(str))
    return (rated["origin"] == "report") & rated["pairing_id"].astype(str).isin(covered)


def _one_report_each(dropped: pd.DataFrame) -> pd.DataFrame:
    """Of a pairing's external reports that cannot stand for it, the latest one, with its
    reason (the others would say the same)."""
    if "origin" not in dropped or dropped.empty:
        return dropped
    reports = dropped[dropped["origin"] == "report"].sort_values("end_high", ascending=False)
    first = reports[~reports["pairing_id"].astype(str).duplicated()]
    return pd.concat([dropped[dropped["origin"] != "report"], first])


def _check_alike(table: pd.DataFrame, measure: Measure, funders: str) -> None:
    if funders == "any":
        return
    levels = sorted(set(table["funder_level"].astype(str)) - {"not_applicable"})
    if len(levels) > 1:
        raise IncomparableError(
            f"{measure.key}: the figures were paid by unlike funders ({', '.join(levels)}); "
            "pass funders='any' to compare them anyway, each labelled with its funder")


def _stages_of(table: pd.DataFrame) -> list[str]:
    """The flow stages of the figures used (``not_applicable`` says none), in
    :data:`_STAGE_ORDER`."""
    found = set(table["flow_stage"].astype(str)) - {"not_applicable"}
    return sorted(found, key=lambda st: (*_STAGE_ORDER, st).index(st))


def _check_stages(table: pd.DataFrame, measure: Measure, stages: str) -> None:
    found = _stages_of(table)
    if stages == "same" and len(found) > 1:
        raise IncomparableError(
            f"{measure.key}: the figures are of unlike flow stages ({', '.join(found)}); "
            "pass stages='any' to compare them anyway, each labelled with its stage, or "
            "keep one stage (stages='commonest' or a stage's name)")


def commonest_stage(table: pd.DataFrame) -> str | None:
    """The flow stage most of a comparison's figures are of (ties: the stage furthest
    along, disbursed before allocated before unknown); None when no figure has a stage.

    Examples
    --------
    >>> commonest_stage(pd.DataFrame({"flow_stage": ["allocated", "disbursed"]}))
    'disbursed'
    """
    found = _stages_of(table)
    counts = table["flow_stage"].astype(str).value_counts()
    return max(found, key=lambda st: (counts[st], -found.index(st))) if found else None


def _left_out(rated: pd.DataFrame, window: tuple[int | None, int | None] | None
              ) -> tuple[pd.Series, pd.DataFrame]:
    """Rated figures that cannot stand for their pairing (a mask), and those rows with the
    reason: no window to annualise, outside ``window``, no denominator for a share."""
    out = rated["period_issue"].astype(bool)
    parts = [(out, rated["period_issue"])]
    if window is not None:
        lo, hi = window
        outside = (rated["start_low"] < lo if lo else False) | \
            (rated["end_high"] > hi + 1 if hi else False)
        where = f"from {lo}" if lo and not hi else f"{lo or '…'}–{hi or '…'}"
        parts.append((outside & ~out, pd.Series(f"window not within {where}", rated.index)))
        out = out | outside
    no_base = rated["denominator_issue"].astype(bool) & ~out
    parts.append((no_base, rated["denominator_issue"]))
    # the rows taken once, in the order of their reasons (not one wide copy per reason)
    rows = np.concatenate([np.flatnonzero(mask.to_numpy()) for mask, _ in parts])
    reasons = pd.concat([why[mask] for mask, why in parts])
    dropped = rated.take(rows)
    dropped["reason"] = pd.Series(reasons.array, index=dropped.index)
    return out | no_base, dropped


def compare(data, measure: Measure | str, *, base_year: int = BASE_YEAR,
            denominator: str = "recipient_population",
            window: tuple[int | None, int | None] | None = None, funders: str | None = None,
            growth: float = 0.0, budget_years: bool = True,
            reports: bool | None = None, stages: str = "same") -> Comparison:
    """Compare pairings on one measure: one rate per pairing, with its window, era and
    interval; what was left out and why.

    Parameters
    ----------
    data : Dataset
        :func:`coopstats.load_all`.
    measure : Measure or str
        One of :data:`MEASURES` (or its key).
    base_year, denominator :
        As in :func:`coopstats.analysis.intensity.rates`.
    window : (first year, last year), optional
        Keep only figures whose whole window lies in these years (``(2021, None)``: the new
        round); the others are left out, with the reason.
    funders : {"same", "any"}, optional
        Refuse figures paid by unlike funders, or compare them anyway. By default, "same" for
        a donor's effort (a denominator in :data:`DONOR_SIDE`) and "any" for aid received.
    growth : float
        Spending growth a year within a window, for the deflator (see
        :mod:`coopstats.analysis.priors`).
    budget_years : bool
        Count fiscal aid and aid projects in whole budget years (codebook P13); False: spread
        over the report's dates (the continuous reading).
    reports : bool, optional
        Let an external report's pairing total stand for a pairing that no article's figure
        stands for (``origin`` report, grade C). By default, as the measure says
        (:attr:`Measure.external`).
    stages : {"same", "any", "commonest"} or a flow stage
        Refuse figures of unlike flow stages (allocated, disbursed, unknown; figures of no
        stage, ``not_applicable``, are like any), compare them anyway, each showing its stage,
        or keep only the figures of one stage: the one most pairings' figures are of, or the
        stage named (``"disbursed"``); the others are left out, with the reason.

    Returns
    -------
    Comparison

    Raises
    ------
    IncomparableError
        When the figures used were paid by unlike funders and ``funders`` is ``"same"``
        (by default: for a donor-side denominator), or are of unlike flow stages and
        ``stages`` is ``"same"`` (the default).

    Examples
    --------
    >>> import coopstats
    >>> c = compare(coopstats.load_all(), "poor_employment")
    >>> c.table[["pairing_id", "fact_id"]].values.tolist()
    [['qingdao_dingxi', 'qd-s02'], ['qingdao_longnan', 'qd-s03']]
    >>> c = compare(coopstats.load_all(), "fiscal_aid", stages="commonest")
    >>> sorted(set(c.table["flow_stage"])), sorted(set(c.left_out["reason"]))[:1]
    (['disbursed'], ['flow stage allocated, not disbursed'])
    """
    if isinstance(measure, str):
        measure = MEASURES[one_of("measure", measure, MEASURES)]
    if funders is None:
        funders = "same" if denominator in DONOR_SIDE else "any"
    if reports is None:
        reports = measure.external
    one_of("funders", funders, ("same", "any"))
    one_of("stages", stages, STAGE_CHOICES)
    kwargs = dict(base_year=base_year, denominator=denominator, window=window,
                  funders=funders, growth=growth, budget_years=budget_years, reports=reports)
    if stages == "commonest":
        stage = commonest_stage(compare(data, measure, stages="any", **kwargs).table)
        return compare(data, measure, stages=stage or "any", **kwargs)
    keep = stages if stages not in ("same", "any") else None
    rated, left_out = _rated(data, measure, keep, base_year=base_year, denominator=denominator,
                             growth=growth, budget_years=budget_years, reports=reports)
    return _compared(measure, rated, left_out, window, funders, stages)


def _rated(data, measure: Measure, stage: str | None, *, base_year: int, denominator: str,
           growth: float, budget_years: bool, reports: bool
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every usable figure of the measure (of one flow stage, when given) as a rate, with its
    window in words and its era; and the figures left out before any rate, with the reason."""
    placed, window, era, left_out = _placed(data, measure, stage, budget_years, reports)
    rated = rates_of(placed, data, base_year=base_year, denominator=denominator,
                     per=measure.per, per_year=measure.per_year, growth=growth)
    rated["window"], rated["era"] = window, era
    return rated, left_out


@by_content
def _placed(data, measure: Measure, stage: str | None, budget_years: bool, reports: bool
            ) -> tuple[pd.DataFrame, pd.Series, pd.Series, pd.DataFrame]:
    """What :func:`_rated` reads that no denominator, price year or growth changes, computed
    once for them all (``rates_table`` rates each measure by three to nine denominators):
    the usable figures :func:`~coopstats.analysis.intensity.windowed`, their window in words
    and era, and the figures left out with the reason."""
    usable, left_out = _figures(data, measure, reports, stage)
    placed = windowed(usable, data, per_year=measure.per_year, budget_years=budget_years)
    rounds = {str(p): int(y) for p, y in zip(data.pairings["pairing_id"],
                                             data.pairings["new_round_year"], strict=True)
              if pd.notna(y)}
    return (placed, placed.apply(_window_text, axis=1, measure=measure),
            placed.apply(_era, axis=1, measure=measure, rounds=rounds), left_out)


def _compared(measure: Measure, rated: pd.DataFrame, left_out: pd.DataFrame,
              window: tuple[int | None, int | None] | None, funders: str, stages: str
              ) -> Comparison:
    """:func:`compare`'s result from :func:`_rated`'s: the figures outside ``window`` left
    out, one per pairing chosen, the guards on funders and stages applied."""
    out, dropped = _left_out(rated, window)
    covered = _gaps_only(rated, out)
    out = out | covered
    dropped = _one_report_each(dropped[~dropped.index.isin(rated.index[covered])])
    left_out = pd.concat([left_out, dropped])
    candidates = _choose(rated[~out])
    table = candidates[candidates["used"]].sort_values("rate_mid", ascending=False)
    _check_alike(table, measure, funders)
    _check_stages(table, measure, stages)
    return Comparison(measure, table.reset_index(drop=True), candidates.reset_index(drop=True),
                      left_out.reset_index(drop=True))


def compare_every(data, measures=None, *, denominator: str = "recipient_population",
                  **kwargs) -> tuple[dict[str, Comparison], dict[str, str]]:
    """:func:`compare` for every measure (or those given), each divided by what it can be
    divided by (:func:`coopstats.analysis.denominators.for_measure`: a count is never a share of
    yuan): the comparisons by key, and the measures refused with the reason (a donor's
    effort over figures of unlike funders).

    Examples
    --------
    >>> import coopstats
    >>> done, refused = compare_every(coopstats.load_all(), denominator="donor_population")
    >>> refused["fiscal_aid"].startswith("fiscal_aid: the figures were paid by unlike funders")
    True
    """
    from coopstats.analysis.denominators import for_measure

    done, refused = {}, {}
    for m in (measures or MEASURES.values()):
        m = MEASURES[m] if isinstance(m, str) else m
        try:
            done[m.key] = compare(data, m, denominator=for_measure(m, denominator), **kwargs)
        except IncomparableError as err:
            refused[m.key] = str(err)
    return done, refused


#: what :func:`side_by_side` keeps of each comparison's table, per pairing
_SIDE_COLUMNS = ["raw", "window", "rate_low", "rate_mid", "rate_high"]


def side_by_side(x: Comparison, y: Comparison) -> pd.DataFrame:
    """Two comparisons' figures and rates, one row per pairing both have, highest ``x`` rate
    first: under each measure's key its ``raw`` figure, ``window``, ``rate_low``,
    ``rate_mid`` and ``rate_high`` (the rates and intervals of :func:`compare`).

    Parameters
    ----------
    x, y : Comparison
        From :func:`compare`, e.g. an input and an output measure.

    Returns
    -------
    DataFrame
        Indexed by ``pairing_id`` (str), with two-level columns (measure key, column).

    Examples
    --------
    >>> import coopstats
    >>> data = coopstats.load_all()
    >>> t = side_by_side(compare(data, "aid_projects"), compare(data, "cadre_training"))
    >>> t.index.tolist()
    ['liaocheng_pengshui', 'dezhou_xiushan', 'qingdao_yiling']
    >>> t.columns.get_level_values(0).unique().tolist(), t.columns.get_level_values(1)[:3].tolist()
    (['aid_projects', 'cadre_training'], ['raw', 'window', 'rate_low'])
    """
    x_table, y_table = (c.table.set_index(c.table["pairing_id"].astype(str).rename("pairing_id"))
                        for c in (x, y))
    both = [p for p in x_table.index if p in y_table.index]  # x's order: highest rate first
    return pd.concat({x.measure.key: x_table.loc[both, _SIDE_COLUMNS],
                      y.measure.key: y_table.loc[both, _SIDE_COLUMNS]}, axis=1)
