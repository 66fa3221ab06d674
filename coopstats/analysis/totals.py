"""Pairing-level figures: what a comparison between pairings may use.

A pairing-level figure is a fact of scope ``pairing`` that restates no other fact
(``duplicate_of`` empty), or a **derived total**: the sum of the parts an article prints
without their total (``part_of`` = ``<prefix>-sNN``, e.g. Liaocheng–Pengshui's five kinds of
pairing ties). Derived totals are computed here from their parts, flagged ``derived``, and
never typed by hand (codebook F6). Nothing else is ever added: two pairing-level figures of
one pairing are alternatives (e.g. two cumulative reports), never parts.

:func:`cell_status` says, per pairing and indicator, whether the figures are achievements,
plans or targets (``status`` planned), or both: the coverage matrix of notebook 1 marks the
cells that hold plans.
"""

from __future__ import annotations

import re

import pandas as pd

from coopstats.analysis._memo import by_content

__all__ = ["CELL_STATUSES", "DERIVED_ID", "cell_status", "derived_totals", "pairing_figures"]

#: the id of a derived total: the article's prefix, ``-s`` and two digits
DERIVED_ID = re.compile(r"[a-z]{2,6}-s[0-9]{2}")
_GRADE_ORDER = "ABC"
#: what a pairing × indicator cell holds: achieved figures only, planned only, or both
CELL_STATUSES = ("achieved", "planned", "mixed")
#: the columns every part of a derived total shares (the validator checks it)
_SHARED = ["article_id", "pairing_id", "indicator", "status", "period_start", "period_end",
           "period_text", "period_basis", "unit", "funder_level", "flow_stage", "direction",
           "measure_type"]


def _sum_parts(total_id: str, parts: pd.DataFrame) -> dict:
    first = parts.iloc[0]
    qualifiers = set(parts["qualifier"].astype(str))
    low, high = float(parts["value_low"].sum()), float(parts["value_high"].sum())
    return {
        **{c: first[c] for c in _SHARED},
        "fact_id": total_id, "scope": "pairing",
        "raw": " + ".join(parts["raw"]),
        "qualifier": qualifiers.pop() if len(qualifiers) == 1 and "range" not in qualifiers
        else "range",
        "value": float(parts["value"].sum()), "value_low": low, "value_high": high,
        "value_mid": (low + high) / 2,
        "low_inclusive": bool(parts["low_inclusive"].all()),
        "high_inclusive": bool(parts["high_inclusive"].all()),
        "grade": max(parts["grade"].astype(str), key=_GRADE_ORDER.index),
        "quote": "", "note": f"Derived total: the sum of {', '.join(parts['fact_id'])}.",
        "derived": True, "parts": " ".join(parts["fact_id"]),
    }


def derived_totals(facts: pd.DataFrame) -> pd.DataFrame:
    """The derived totals of ``facts``: one row per ``<prefix>-sNN`` id, the sum of its parts.

    Values and interval ends are summed (a sum of bounded parts is bounded by the sums of
    their bounds); the grade is the weakest of the parts'.

    Examples
    --------
    >>> import coopstats
    >>> t = derived_totals(coopstats.load_facts()).set_index("fact_id")
    >>> row = t.loc["lp-s01"]
    >>> row["indicator"], float(row["value"]), row["parts"]
    ('pairing_ties', 185.0, 'lp-016 lp-017 lp-018 lp-019 lp-020')
    """
    ids = facts["part_of"].astype("string").fillna("")
    derived = facts[ids.str.fullmatch(DERIVED_ID.pattern)]
    rows = [_sum_parts(total_id, parts)
            for total_id, parts in derived.groupby(derived["part_of"].astype(str), sort=True)]
    return pd.DataFrame(rows, columns=[*facts.columns, "derived", "parts"])


@by_content
def pairing_figures(facts: pd.DataFrame) -> pd.DataFrame:
    """Every pairing-level figure: printed pairing totals that restate nothing, and the
    derived totals, with ``derived`` (bool) and ``parts`` (the summed fact ids, or "").

    Examples
    --------
    >>> import coopstats
    >>> f = pairing_figures(coopstats.load_facts())
    >>> bool(f["scope"].eq("pairing").all()), int(f["derived"].sum())  # lc-s01 since issue 16
    (True, 8)
    """
    printed = facts[(facts["scope"] == "pairing") & facts["duplicate_of"].isna()]
    printed = printed.assign(derived=False, parts="")
    derived = derived_totals(facts)
    if derived.empty:
        return printed.reset_index(drop=True)
    for col, dtype in printed.dtypes.items():  # keep the loaders' types (categoricals …)
        derived[col] = derived[col].astype(dtype) if str(dtype) != "category" else \
            pd.Categorical(derived[col], categories=printed[col].cat.categories)
    out = pd.concat([printed, derived], ignore_index=True)
    out["parts"] = out["parts"].astype("string")
    return out


def cell_status(figures: pd.DataFrame) -> pd.DataFrame:
    """Per pairing and indicator, how many figures are achieved and how many planned, and
    the cell's ``status`` (:data:`CELL_STATUSES`): ``achieved`` (achieved figures only),
    ``planned`` (plans or targets only) or ``mixed`` (both).

    Parameters
    ----------
    figures : DataFrame
        Facts with ``pairing_id``, ``indicator`` and ``status`` (achieved or planned), e.g.
        :func:`pairing_figures`.

    Returns
    -------
    DataFrame
        Indexed by (``pairing_id``, ``indicator``) as str, sorted: ``achieved``,
        ``planned`` (int) and ``status``.

    Examples
    --------
    >>> f = pd.DataFrame({"pairing_id": ["a", "a", "a", "b"], "indicator": ["x", "x", "y", "x"],
    ...                   "status": ["achieved", "planned", "planned", "achieved"]})
    >>> cell_status(f)["status"].to_dict()
    {('a', 'x'): 'mixed', ('a', 'y'): 'planned', ('b', 'x'): 'achieved'}
    """
    keys = [figures["pairing_id"].astype(str).rename("pairing_id"),
            figures["indicator"].astype(str).rename("indicator")]
    counts = pd.crosstab(keys, figures["status"].astype(str)).reindex(
        columns=["achieved", "planned"], fill_value=0).rename_axis(columns=None)
    status = counts["planned"].gt(0).map({True: "mixed", False: "achieved"})
    status[counts["achieved"].eq(0)] = "planned"
    return counts.astype(int).assign(status=status)
