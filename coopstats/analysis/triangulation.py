"""Triangulation: how many sources report each of the seed articles' headline figures.

A figure is supported by a source when the source prints the same number over the same
period: the seed article itself, and every external report linked to it by
``duplicate_of`` (codebook, "A second report of the same figure"). A republication
(``independent`` = no, ``republishes`` naming what it copies) is a source but not an
independent one: the 2026 web story that repeats the Pengshui article adds no evidence.
Later cumulative totals of the same measure and start neither confirm nor refute the
number, but a later total below it is a conflict (:mod:`coopstats.analysis.increments`).

Examples
--------
>>> import coopstats
>>> t = support(coopstats.load_all()).set_index("fact_id")
>>> row = t.loc["lp-003"]
>>> row["sources"], int(row["independent"]), int(row["republications"])
('lp-003 ext-030', 1, 1)
"""

from __future__ import annotations

import pandas as pd

from coopstats.analysis.increments import series
from coopstats.analysis.measures import MEASURES, Measure

__all__ = ["support"]

_COLUMNS = ["measure", "pairing_id", "fact_id", "raw", "window", "sources", "independent",
            "republications", "later_totals", "later_below"]


def _later(s: pd.DataFrame, row) -> tuple[int, int]:
    """How many cumulative totals of the pairing from the same start end after ``row``, and
    how many of them are certainly below it."""
    if row.kind != "cumulative":
        return 0, 0
    later = s[(s["pairing_id"] == row.pairing_id) & (s["kind"] == "cumulative") &
              (s["end_low"] >= row.end_high)]
    return len(later), int((later["value_high"] < row.value_low).sum())


def support(data, measures: dict[str, Measure] | None = None) -> pd.DataFrame:
    """Per pairing, the seed articles' headline figures (achieved, pairing-level figures of
    the measures compared) and the sources that report each.

    Parameters
    ----------
    data : Dataset
        :func:`coopstats.load_all`.
    measures : dict of Measure, optional
        Default :data:`coopstats.analysis.measures.MEASURES`.

    Returns
    -------
    DataFrame
        ``measure``, ``pairing_id``, ``fact_id``, ``raw``, ``window``, ``sources`` (the
        fact and the reports of the same figure and period), ``independent`` (how many of
        them are independent: the article, and reports that are not republications),
        ``republications``, ``later_totals`` (later cumulative totals of the same measure
        and start) and ``later_below`` (those certainly below the figure: conflicts).
    """
    rows = []
    for key, measure in (measures or MEASURES).items():
        s = series(data, measure)
        for r in s[s["origin"] == "article"].itertuples():
            later, below = _later(s, r)
            rows.append([key, r.pairing_id, r.source_id, r.raw, r.window, r.sources,
                         r.independent_sources, r.republications, later, below])
    return pd.DataFrame(rows, columns=_COLUMNS).sort_values(
        ["pairing_id", "measure"], kind="stable").reset_index(drop=True)
