"""The tables the library computes, declared for export like the data's tables.

A Stata or R user cannot rerun the notebooks' arithmetic without the library, so
``coopstats export --tables …`` writes what it computes beside the data: the pairing ×
budget-year panel (:func:`coopstats.analysis.budget_years.panel`), every rate the notebooks
compare (:func:`rates_table`: pairing × measure × window × denominator, with the interval,
who paid and how far the money got) and each donor's effort by budget year
(:func:`coopstats.analysis.effort.donor_effort`). Each table's columns are
:class:`~coopstats.dataset.schema.Column` s, so the export's codebook and
``datapackage.json`` describe them as they describe the data.

Examples
--------
>>> [t.name for t in COMPUTED.values()]
['panel', 'rates', 'effort']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from coopstats.analysis._memo import by_content
from coopstats.dataset.schema import Column

__all__ = ["COMPUTED", "Computed", "rates_table"]


def _c(name: str, kind: str, description: str, **kw) -> Column:
    return Column(name, kind, description, **kw)


_MONEY = "base units: yuan (current yuan for the panel) or a count"
_PANEL = (
    _c("pairing_id", "id", "Pairing.", required=True),
    _c("measure", "id", "Measure counted in budget years (fiscal_aid, aid_projects).",
       required=True),
    _c("year", "int", "Budget year.", required=True),
    _c("block", "str", "The run of budget years whose sum the reports bound (2021–2022)."),
    _c("block_years", "int", "Budget years the block holds (the least, where a report may "
       "or may not hold its own year)."),
    _c("block_low", "float", f"Least the block holds ({_MONEY})."),
    _c("block_mid", "float", "Midpoint of the block's bounds."),
    _c("block_high", "float", "Most the block holds (empty where nothing bounds it)."),
    _c("amount_low", "float", "Least the year alone holds."),
    _c("amount_mid", "float", "The block split evenly (a prior)."),
    _c("amount_high", "float", "Most the year alone holds (empty where nothing bounds it)."),
    _c("per_year_low", "float", "The block's least over its most years."),
    _c("per_year_mid", "float", "The block's midpoint over its mean number of years."),
    _c("per_year_high", "float", "The block's most over its least years."),
    _c("unit", "str", "CNY or count."),
    _c("sources", "str", "Fact and report ids whose counts start or end at the block's "
       "edges."),
    _c("stages", "str", "Their flow stages (allocated, disbursed)."),
    _c("funders", "str", "Who paid, as the reports say."),
    _c("derivation", "str", "How the block's sum is bounded."),
    _c("flag", "str", "A report left out as a conflict; a year counted only if a report "
       "holds its own year."),
)
_RATES = (
    _c("measure", "id", "Measure (coopstats.analysis.measures.MEASURES).", required=True),
    _c("denominator", "id", "What the rate is divided by (recipient_population, "
       "donor_revenue, …; none for totals).", required=True),
    _c("window_filter", "str", "Which windows were compared: all, or from 2021 (the new "
       "round)."),
    _c("pairing_id", "id", "Pairing.", required=True),
    _c("fact_id", "id", "Fact id, or report id for a figure of the external layer."),
    _c("origin", "str", "article, or report (external layer, grade C)."),
    _c("raw", "str", "The figure as printed."),
    _c("window", "str", "The window as text (budget years where counted so)."),
    _c("period_basis", "str", "How the period was read."),
    _c("years_low", "float", "Shortest the window may be, in years."),
    _c("years_high", "float", "Longest the window may be, in years."),
    _c("budget_years", "bool", "Whether the window is in whole budget years."),
    _c("era", "str", "new round, or spans eras."),
    _c("funder_level", "str", "Who paid."),
    _c("flow_stage", "str", "How far the money got."),
    _c("grade", "str", "A, B or C (codebook F7)."),
    _c("rate_low", "float", "Low end of the rate."),
    _c("rate_mid", "float", "Central estimate."),
    _c("rate_high", "float", "High end of the rate."),
    _c("rate_unit", "str", "What the rate counts, per what."),
    _c("base_year", "int", "Price year of constant yuan."),
    _c("funders_alike", "bool", "Whether the comparison's figures had one funder (a "
       "donor-side denominator refuses unlike funders by default)."),
    _c("stages_alike", "bool", "Whether the comparison's figures were of one flow stage "
       "(compare refuses unlike stages by default)."),
)
_EFFORT = (
    _c("donor_id", "id", "Donor.", required=True),
    _c("year", "int", "Budget year.", required=True),
    _c("programmes", "str", "Programmes whose pairings are summed."),
    _c("aid_low", "float", "Least aid to the pairings counted (current yuan)."),
    _c("aid_mid", "float", "Central estimate."),
    _c("aid_high", "float", "Most."),
    _c("counted", "str", "Pairings counted, with the block of years each rests on."),
    _c("missing", "str", "Pairings not counted, with the reason."),
    _c("complete", "bool", "Every pairing (or partner province) counted."),
    _c("lower_bound", "bool", "The sum may miss aid: a partner not counted, a floor (以上), "
       "or an average over earlier years."),
    _c("revenue", "float", "General public budget revenue of the year before (yuan)."),
    _c("revenue_year", "int", "That year."),
    _c("share_low", "float", "Low end of the share (percent)."),
    _c("share_mid", "float", "Central share (percent)."),
    _c("share_high", "float", "High end of the share (percent)."),
    _c("note", "str", "Why there is no share, where there is none."),
)


@dataclass(frozen=True)
class Computed:
    """A table the library computes: its name, description, columns and how to build it."""

    name: str
    description: str
    columns: tuple[Column, ...]
    build: Callable[[object], pd.DataFrame]


def _panel(data) -> pd.DataFrame:
    from coopstats.analysis.budget_years import panel

    return panel(data)


def _effort(data) -> pd.DataFrame:
    from coopstats.analysis.effort import donor_effort, province_effort

    return pd.concat([donor_effort(data), province_effort(data)], ignore_index=True)


@by_content
def rates_table(data) -> pd.DataFrame:
    """Every rate of every measure, for every denominator that fits it, over all windows and
    over the new round's: one row per pairing (the figure used), as the notebooks compare
    them (with any funder and any flow stage; ``funders_alike`` and ``stages_alike`` say
    whether compare's default guards accept them).

    Examples
    --------
    >>> import coopstats
    >>> t = rates_table(coopstats.load_all())
    >>> row = t[(t["measure"] == "fiscal_aid") & (t["denominator"] == "recipient_population")
    ...         & (t["window_filter"] == "all") & (t["pairing_id"] == "qingdao_dingxi")]
    >>> round(float(row["rate_mid"].iloc[0]), 1)
    182.8
    """
    from coopstats.analysis.denominators import for_measure
    from coopstats.analysis.intensity import BASE_YEAR
    from coopstats.analysis.measures import DONOR_SIDE, MEASURES, NEW_ROUND, _compared, _rated
    from coopstats.dataset.parameters import DENOMINATORS, rate_unit

    frames = []
    for m in MEASURES.values():
        for d in dict.fromkeys(for_measure(m, d) for d in DENOMINATORS):
            # compare(data, m, denominator=d, window=…, funders="any", stages="any"), its
            # rates computed once for both windows
            rated, left_out = _rated(data, m, None, base_year=BASE_YEAR, denominator=d,
                                     growth=0.0, budget_years=True, reports=m.external)
            for label, window in (("all", None), (f"from {NEW_ROUND}", (NEW_ROUND, None))):
                table = _compared(m, rated.copy(), left_out, window, "any", "any").table
                payers = set(table["funder_level"].astype(str)) - {"not_applicable"}
                alike = d not in DONOR_SIDE or len(payers) <= 1  # compare's default guard
                stages = set(table["flow_stage"].astype(str)) - {"not_applicable"}
                quantity = m.quantity if m.quantity != "yuan" else f"{BASE_YEAR} yuan"
                frames.append(table.assign(
                    measure=m.key, denominator=d, window_filter=label,
                    rate_unit=rate_unit(quantity, d, m.per, per_year=m.per_year),
                    base_year=BASE_YEAR, funders_alike=alike,
                    stages_alike=len(stages) <= 1))
    out = pd.concat(frames, ignore_index=True)
    out["budget_years"] = out["budget_years"].astype(bool)
    return out[[c.name for c in _RATES]]


#: The computed tables, by name.
COMPUTED: dict[str, Computed] = {t.name: t for t in (
    Computed("panel", "Pairing × budget-year panel: each pairing's allocation in each budget "
             "year, as its reports bound it (coopstats.analysis.budget_years).", _PANEL, _panel),
    Computed("rates", "Every rate the notebooks compare: pairing × measure × window × "
             "denominator, with its interval, funder and flow stage.", _RATES, rates_table),
    Computed("effort", "Each donor's (and Shandong province's) fiscal aid to all its partners "
             "in a budget year as a share of its previous year's revenue "
             "(coopstats.analysis.effort).", _EFFORT, _effort),
)}
