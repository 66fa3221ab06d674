"""The study's charts, in the house style (:mod:`coopstats.figures.plotting`).

* :func:`rate_chart`: one pairing per row, the dot at the central estimate, the bar across the
  interval, and beside each row the window its figure covers, how the window was read, and
  who paid; what was left out is said under the axis.
* :func:`coverage_labels` and :func:`hatch_cells`: what a cell of the coverage matrix
  (notebook 1) says, and the hatch on the cells that hold planned figures, so that a plan is
  not read as an achievement.
* :func:`cumulative_chart` and :func:`budget_year_chart`: one pairing's successive reports of a
  measure over time (:mod:`coopstats.analysis.increments`), and what they say about each budget
  year's allocation (:mod:`coopstats.analysis.budget_years`).
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

from coopstats.figures.plotting import PROGRAMME_COLOURS, log_axis

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["benchmark_lines", "budget_year_chart", "coverage_labels", "cumulative_chart",
           "effort_chart", "hatch_cells", "highlight", "log_limits", "rate_chart",
           "set_log_limits", "share_text"]

_STEPS = (1.0, 2.0, 5.0)


def log_limits(low: float, high: float, *, decades: bool = False) -> tuple[float, float]:
    """Limits of a log axis that start and end on a tick around ``low``–``high``: the 1-2-5
    ticks just outside the data, or (``decades``) the powers of ten, which a crowded log
    axis still labels.

    Examples
    --------
    >>> log_limits(66, 1252), log_limits(43, 90), log_limits(66, 1252, decades=True)
    ((50.0, 2000.0), (20.0, 100.0), (10.0, 10000.0))
    """
    if decades:
        return 10.0 ** math.floor(math.log10(low)), 10.0 ** math.ceil(math.log10(high))
    decade = math.floor(math.log10(low))
    below = max(s * 10.0 ** d for d in (decade - 1, decade) for s in _STEPS
                if s * 10.0 ** d <= low)
    decade = math.floor(math.log10(high))
    above = min(s * 10.0 ** d for d in (decade, decade + 1) for s in (*_STEPS, 10.0)
                if s * 10.0 ** d >= high)
    return float(below), float(above)


def set_log_limits(ax, which: str, low: float, high: float) -> None:
    """Log axis limits from :func:`log_limits`: on the 1-2-5 ticks around the data when the
    axis has room to label them, else on the powers of ten; either way the data lie between
    two labelled ticks."""
    from coopstats.figures.plotting import axis_is_crowded

    setter = ax.set_xlim if which == "x" else ax.set_ylim
    setter(*log_limits(low, high))
    if axis_is_crowded(ax, which):
        setter(*log_limits(low, high, decades=True))


def _row_note(row) -> str:
    """Beside a rate: its window, who paid and how far the money got, and for a figure of
    the external layer its report id and grade."""
    said = [row["window"], *(str(row[c]) for c in ("funder_level", "flow_stage")
                             if c in row and str(row[c]) not in ("not_applicable", "nan"))]
    if str(row.get("origin", "article")) == "report":
        said.insert(0, f"external {row['fact_id']} (C)")
    return " · ".join(said)


def rate_chart(comparison, data, *, xlabel: str, title: str | None = None, ax=None,
               log: bool = False, notes: bool = True):
    """Dot-and-interval chart of a :class:`coopstats.analysis.measures.Comparison`.

    Parameters
    ----------
    comparison : Comparison
    data : Dataset
        For the pairings' labels and programme colours.
    xlabel, title : str
    ax : matplotlib.axes.Axes, optional
    log : bool
        Log axis, starting and ending on labelled ticks (:func:`log_limits`).
    notes : bool
        Write each row's window (and funder) beside it.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import numpy as np

    table = comparison.table.dropna(subset=["rate_mid"]).iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.5 * max(len(table), 2) + 1.4))
    labels, programmes = data.labels, data.programmes
    y = np.arange(len(table))
    colours = [PROGRAMME_COLOURS[programmes[str(p)]] for p in table["pairing_id"]]
    for yi, lo, hi, colour in zip(y, table["rate_low"], table["rate_high"], colours,
                                  strict=True):  # end caps show even a narrow interval
        ax.plot([lo, hi], [yi, yi], color=colour, lw=3, alpha=0.45, solid_capstyle="butt",
                marker="|", markersize=11, markeredgewidth=1.5)
    external = (table["origin"] == "report").to_numpy() if "origin" in table else \
        np.zeros(len(table), bool)
    ax.scatter(table["rate_mid"][~external], y[~external],
               color=np.array(colours, dtype=object)[~external].tolist(), s=28, zorder=3,
               edgecolor="white", linewidths=0.6)
    if external.any():  # the external layer's figures: hollow dots
        ax.scatter(table["rate_mid"][external], y[external], facecolors="white", s=34,
                   edgecolors=np.array(colours, dtype=object)[external].tolist(),
                   linewidths=1.6, zorder=4)
    ax.set_yticks(y, [labels[str(p)] for p in table["pairing_id"]])
    ax.set_ylim(-0.6, len(table) - 0.4)
    if table.empty:  # nothing comparable: say so on the axes, the reasons under them
        ax.text(0.5, 0.5, "no pairing can be drawn", transform=ax.transAxes, ha="center",
                va="center", color="#666")
        ax.set_xticks([])  # no scale without a point on it
    elif log:
        log_axis(ax, "x")
        set_log_limits(ax, "x", float(table["rate_low"].min()), float(table["rate_high"].max()))
    else:
        ax.set_xlim(0, float(table["rate_high"].max()) * 1.08)
    if notes:  # beside each row, as tick labels of a twin axis (inside the saved figure)
        right = ax.twinx()
        right.set_ylim(ax.get_ylim())
        right.set_yticks(y, [_row_note(r) for _, r in table.iterrows()], fontsize=7.5,
                         color="#444")
        right.grid(False)
        right.tick_params(length=0)
    ax.set_xlabel(_with_left_out(xlabel, comparison, labels))
    ax.set_title(title or comparison.measure.label)
    _legend(ax, [programmes[str(p)] for p in table["pairing_id"]])
    return ax


def share_text(low: float, high: float | None) -> str:
    """A benchmark's share as a label (``high`` NaN or NA: a floor).

    Examples
    --------
    >>> share_text(1, float("nan")), share_text(0.3, 0.6), share_text(0.1, 0.1)
    ('≥ 1%', '0.3–0.6%', '0.1%')
    """
    import pandas as pd

    low, high = float(low), float("nan") if pd.isna(high) else float(high)
    if math.isnan(high):
        return f"≥ {low:g}%"
    return f"{low:g}%" if high == low else f"{low:g}–{high:g}%"


def benchmark_lines(ax, benchmarks) -> None:
    """Draw policy benchmarks (``Dataset.benchmarks``) on a share axis of a
    :func:`rate_chart`: a line for a fixed share, a band for a range, a line with an arrow
    for a floor; each labelled at the top with its short name and share.

    The x limits are widened to show every benchmark.
    """
    import matplotlib.transforms as transforms

    rows = benchmarks.sort_values("share_low")
    top = transforms.blended_transform_factory(ax.transData, ax.transAxes)
    shares = rows[["share_low", "share_high"]].astype(float)  # a blank high is NaN
    high_end = float(shares.max().max())
    ax.set_xlim(0, max(ax.get_xlim()[1], high_end * 1.35))
    for i, (r, (low, high)) in enumerate(zip(rows.itertuples(), shares.to_numpy(),
                                             strict=True)):
        if high > low:
            ax.axvspan(low, high, color="#888", alpha=0.15, lw=0)
        ax.axvline(low, color="#555", lw=1, ls="--")
        if math.isnan(high):
            ax.annotate("", xy=(low * 1.25, 0.03), xytext=(low, 0.03), xycoords=top,
                        arrowprops={"arrowstyle": "->", "color": "#555"})
        ax.text(low, 1.02 + 0.09 * (i % 2), f"{r.label}: {share_text(low, high)}",
                transform=top, fontsize=7.5, color="#333", ha="left", va="bottom")


def effort_chart(effort, single, data, *, ax, title: str):
    """A donor's effort: fiscal aid to all its partners in a budget year as a share of its
    previous year's revenue (:func:`coopstats.analysis.effort.donor_effort`), one row per donor and
    year, with the pairings one pairing's share (:func:`coopstats.analysis.measures.compare` with
    ``donor_revenue``) below them in grey; a sum that misses partners, like a single
    pairing, is a lower bound and ends in an arrow.

    Parameters
    ----------
    effort : DataFrame
        Rows of :func:`coopstats.analysis.effort.donor_effort` with a share.
    single : DataFrame
        ``Comparison.table`` of one pairing's share of the payer's revenue.
    data : Dataset
    ax : matplotlib.axes.Axes
    title : str
    """
    import numpy as np

    names = data.places.set_index("place_id")["name_en"].astype(str)
    recipient = data.pairings.set_index("pairing_id")["recipient_id"].astype(str)

    def partners(text: str) -> str:
        """The partners a donor's (pairing ids) or a province's (``gansu: …``) sum names."""
        def name(item: str) -> str:
            key = item.split(" (")[0].split(":")[0]
            return names[recipient[key]] if key in recipient else names.get(key, key)
        return ", ".join(name(item) for item in text.split("; ") if item)

    rows = [(f"{names[r.donor_id]}, budget year {r.year}: {partners(r.counted)}"
             + ("" if r.complete else f"\n(not counted: {partners(r.missing)})"),
             r.share_low, r.share_mid, r.share_high, bool(r.lower_bound), "#1f5a8a")
            for r in effort.itertuples()]
    rows += [(f"one pairing: {data.labels[str(r.pairing_id)]}", r.rate_low, r.rate_mid,
              r.rate_high, True, "#888") for r in single.itertuples()]
    rows = rows[::-1]
    y = np.arange(len(rows))
    top = max(r[3] for r in rows)
    for yi, (_, lo, mid, hi, lower, colour) in zip(y, rows, strict=True):
        ax.plot([lo, hi], [yi, yi], color=colour, lw=3, alpha=0.45, solid_capstyle="butt",
                marker="|", markersize=11, markeredgewidth=1.5)
        ax.scatter([mid], [yi], color=colour, s=28, zorder=3, edgecolor="white")
        if lower:  # at least this much
            ax.annotate("", xy=(hi + 0.15 * top, yi), xytext=(hi, yi),
                        arrowprops={"arrowstyle": "->", "color": colour, "lw": 1})
    ax.set_yticks(y, [r[0] for r in rows], fontsize=8)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(0, top * 1.3)
    ax.set_xlabel("% of the payer's general public budget revenue of the year before "
                  "(current yuan over current yuan)\n→: a lower bound (a partner not "
                  "counted, a floor, or an average over earlier years)")
    ax.set_title(title)
    return ax


def highlight(ax, label: str) -> None:
    """Make one pairing's row of a :func:`rate_chart` stand out: its name in bold and its dot
    ringed."""
    for tick, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True):
        if tick.get_text() != label:
            continue
        tick.set_fontweight("bold")
        for dots in list(ax.collections):  # the row's dot, filled or hollow
            at = [o for o in dots.get_offsets() if abs(o[1] - y) < 1e-9]
            if at:
                ax.scatter([at[0][0]], [y], s=140, facecolors="none", edgecolors="#222",
                           linewidths=1.2, zorder=5)
                return


def _with_left_out(xlabel: str, comparison, labels: dict[str, str]) -> str:
    """The axis label, with the pairings whose figures could not be drawn and why."""
    left = comparison.left_out
    if left.empty:
        return xlabel
    import textwrap

    by_reason: dict[str, list[str]] = {}
    for r in left.itertuples():
        by_reason.setdefault(str(r.reason), []).append(
            labels.get(str(r.pairing_id), str(r.pairing_id)).split(" → ")[-1])
    notes = "; ".join(f"{reason}: {', '.join(names)}" for reason, names in by_reason.items())
    return f"{xlabel}\n" + textwrap.fill(f"not drawn — {notes}", 90)


def _legend(ax, programmes: list[str]) -> None:
    import matplotlib.pyplot as plt

    present = list(dict.fromkeys(programmes))[::-1]
    if len(present) < 2:  # one colour needs no key
        return
    ax.legend([plt.Line2D([], [], marker="o", ls="", color=PROGRAMME_COLOURS[p])
               for p in present], [p.replace("_", " ") for p in present],
              fontsize=7.5, loc="best", frameon=True)


_REPORT_COLOUR, _OTHER_COLOUR, _CONFLICT_COLOUR = "#1b6ca8", "#8c8c8c", "#c4452e"


def _when(row) -> str:
    """``Apr 2023``: the month (or year) a report's window ends, for a point's label."""
    import calendar

    mid = (row["end_low"] + row["end_high"]) / 2
    if row["end_high"] - row["end_low"] > 1 / 12 + 1e-9:
        return str(int(row["end_low"]))
    month = round((row["end_low"] - int(row["end_low"])) * 12) + 1
    return f"{calendar.month_abbr[month]} {int(mid)}"


def _value_text(row, scale: float, digits: int) -> str:
    """A figure as a chart label says it: ``70+`` for 70多, ``~5`` for 约5, ``6–8`` for a
    range (the qualifier's interval, codebook "Qualifiers"), with thousands separators."""
    def fmt(v: float) -> str:
        return f"{v / scale:,.{digits}f}"

    text = {"at_least": "{}+", "at_most": "<{}", "approx": "~{}"}.get(
        str(row["qualifier"]), "{}").format(fmt(row["value"]))
    return f"{fmt(row['value_low'])}–{fmt(row['value_high'])}" if \
        str(row["qualifier"]) == "range" else text


def cumulative_chart(rows, incs, *, ax, scale: float = 1.0, ylabel: str, title: str,
                     digits: int = 2, flagged: tuple[str, ...] = ()):
    """One pairing's cumulative reports of a measure over time.

    Each report that counts from the chain's start is a dot at the end of its window and its
    central value, with bars across the window's end bounds and the figure's interval, and a
    label (its value, when and where it was printed); the dashed line joins them from the
    start, because how the total grew between two reports is not known. Reports counted
    from another or an open start, and alternatives up to the same date, are hollow grey
    marks. A conflict (a later total below an earlier one) is drawn in red.

    Parameters
    ----------
    rows : DataFrame
        The pairing's rows of :func:`coopstats.analysis.increments.series`.
    incs : DataFrame
        Its :func:`coopstats.analysis.increments.increments`.
    ax : matplotlib.axes.Axes
    scale : float
        Values are divided by it (``1e8`` for 亿元).
    ylabel, title : str
    digits : int
        Decimals of the value labels.
    flagged : tuple of str
        Reports drawn in red as well, e.g. those the budget-year reading leaves out as a
        conflict (:mod:`coopstats.analysis.budget_years`).
    """
    chain = rows[rows["source_id"].isin(incs["to_id"])]
    rest = rows[~rows["source_id"].isin(incs["to_id"]) & (rows["kind"] != "annual")]
    x = (chain["end_low"] + chain["end_high"]) / 2
    y = chain["value_mid"] / scale
    if len(incs):
        x0 = (incs["from_low"].iloc[0] + incs["from_high"].iloc[0]) / 2
        ax.plot([x0, *x], [0, *y], ls="--", lw=1, color=_OTHER_COLOUR, zorder=1)
    conflict = set(incs.loc[incs["conflict"].astype(bool), "to_id"]) | set(flagged)
    span = (float(x.max()) - float(incs["from_low"].min())) if len(incs) else 1.0
    nxt = [*x.iloc[1:], float("inf")]
    nxt_y = [*y.iloc[1:], float("nan")]
    below = False
    for (_, r), xi, yi, xn, yn in zip(chain.iterrows(), x, y, nxt, nxt_y, strict=True):
        colour = _CONFLICT_COLOUR if r["source_id"] in conflict else _REPORT_COLOUR
        ax.errorbar([xi], [yi], xerr=[[xi - r["end_low"]], [r["end_high"] - xi]],
                    yerr=[[yi - r["value_low"] / scale], [r["value_high"] / scale - yi]],
                    fmt="o", color=colour, ms=6, capsize=3, zorder=3)
        # above and to the left, unless the next point is close and the previous label is
        # not already below: then under and to the right, so neighbours' labels alternate;
        # of two points at about the same date, the lower one's label goes under
        below = bool(yi < yn) if xn - xi < 0.04 * span else \
            xn - xi < 0.15 * span and not below
        ax.annotate(f"{_value_text(r, scale, digits)}  {r['source_id']}, {_when(r)}",
                    (xi, yi), xytext=(6, -7) if below else (-6, 6),
                    textcoords="offset points", ha="left" if below else "right",
                    va="top" if below else "bottom", fontsize=8,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                          "alpha": 0.8})
    if len(rest):
        ax.scatter((rest["end_low"] + rest["end_high"]) / 2, rest["value_mid"] / scale,
                   facecolors="none", edgecolors=_OTHER_COLOUR, marker="D", s=30, zorder=2,
                   label="another start, or an alternative")
        ax.legend(fontsize=7.5, loc="upper left", frameon=True)
    from matplotlib.ticker import StrMethodFormatter

    tops = [*(chain["value_high"] / scale), *(rest["value_high"] / scale), 0]
    ax.set_ylim(0, max(tops) * 1.15 or 1)  # room for the top label under the title
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,g}"))
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax


def budget_year_chart(table, *, ax, scale: float = 1.0, ylabel: str, title: str):
    """One pairing's allocations by budget year
    (:func:`coopstats.analysis.budget_years.allocations`).

    Each block of budget years whose sum the reports bound is a bar over its years at its
    average per budget year (the sum over the years: no prior), with the interval as a grey
    band; a year counted only if a report holds its own year is hatched; years no report
    bounds are marked "not bounded". A report left out as a conflict is named under the
    axes.

    Parameters
    ----------
    table : DataFrame
        :func:`coopstats.analysis.budget_years.allocations` of one pairing and measure.
    ax : matplotlib.axes.Axes
    scale : float
        Values are divided by it (``1e8`` for 亿元).
    ylabel, title : str
    """
    import matplotlib.patches as mpatches
    import numpy as np

    top = 0.0
    blocks = table.drop_duplicates("block")
    for r in blocks.itertuples():
        first = int(str(r.block)[:4])
        years = table[table["block"] == r.block]
        if not np.isfinite(r.block_high):
            ax.text(first + len(years) / 2, 0, "not bounded", ha="center", va="bottom",
                    fontsize=7.5, color=_OTHER_COLOUR, rotation=90)
            continue
        mid, lo, hi = r.per_year_mid / scale, r.per_year_low / scale, r.per_year_high / scale
        maybe = years["flag"].astype(str).str.contains("only if").to_numpy()
        for t, m in zip(years["year"], maybe, strict=True):
            ax.add_patch(mpatches.Rectangle((t, 0), 1, mid, fc=_REPORT_COLOUR, alpha=0.35,
                                            ec=_REPORT_COLOUR, lw=1, hatch="///" if m else None))
        n = len(years)
        ax.fill_between([first, first + n], [lo] * 2, [hi] * 2, color="#555", alpha=0.12,
                        lw=0)
        ax.annotate(f"{r.block}: {_per_year_text(lo, mid, hi)} a year", (first + n / 2, hi),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontsize=8)
        top = max(top, hi, mid)
    handles = [mpatches.Patch(fc=_REPORT_COLOUR, alpha=0.35,
                              label="average per budget year of a block the reports bound"),
               mpatches.Patch(color="#555", alpha=0.12, label="interval")]
    if table["flag"].astype(str).str.contains("only if").any():
        handles.append(mpatches.Patch(fill=False, hatch="///", ec=_REPORT_COLOUR,
                                      label="counted only if a report holds its own year"))
    ax.legend(handles=handles, fontsize=7.5, loc="upper left", frameon=True)
    conflicts = sorted({f.split(";")[0] for f in table["flag"].astype(str)
                        if f.startswith("conflict")})
    if conflicts:
        ax.text(0, -0.16, "\n".join(textwrap.fill(c, 110) for c in conflicts),
                transform=ax.transAxes, fontsize=7.5, color=_CONFLICT_COLOUR, va="top")
    years = range(int(table["year"].min()), int(table["year"].max()) + 1)
    ax.set_xticks([t + 0.5 for t in years], [str(t) for t in years])
    ax.set_xlim(years[0] - 0.2, years[-1] + 1.2)
    ax.grid(axis="x", visible=False)
    ax.set_ylim(0, top * 1.35 or 1)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax


def _per_year_text(lo: float, mid: float, hi: float) -> str:
    """``4.56`` when the interval is a point, else ``3.1–4.6``."""
    def fmt(v: float) -> str:
        return f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    return fmt(mid) if abs(hi - lo) <= 1e-9 * max(1.0, abs(hi)) else f"{fmt(lo)}–{fmt(hi)}"


#: the hatch and its colour on coverage cells that hold planned figures
PLANNED_HATCH, PLANNED_COLOUR = "//", "#e0a526"


def coverage_labels(achieved: pd.DataFrame, planned: pd.DataFrame) -> pd.DataFrame:
    """What each coverage cell says: its count of achieved figures, and its planned ones
    marked ``p``; an empty cell says nothing.

    Parameters
    ----------
    achieved, planned : DataFrame
        Counts per cell, alike in index and columns (:func:`coopstats.analysis.totals.cell_status`).

    Returns
    -------
    DataFrame of str
        ``2`` (achieved only), ``1p`` (planned only), ``1`` over ``+1p`` (both), ``""``.

    Examples
    --------
    >>> import pandas as pd
    >>> a, p = pd.DataFrame({"x": [2, 0, 1, 0]}), pd.DataFrame({"x": [0, 1, 1, 0]})
    >>> coverage_labels(a, p)["x"].tolist()
    ['2', '1p', '1\\n+1p', '']
    """
    import pandas as pd

    def say(a: int, p: int) -> str:
        if not p:
            return str(a) if a else ""
        return f"{a}\n+{p}p" if a else f"{p}p"

    rows = [[say(int(a), int(p)) for a, p in zip(ra, rp, strict=True)]
            for ra, rp in zip(achieved.to_numpy(), planned.to_numpy(), strict=True)]
    return pd.DataFrame(rows, index=achieved.index, columns=achieved.columns)


def hatch_cells(ax: Axes, mask: pd.DataFrame) -> int:
    """Hatch and frame the cells of a heatmap (one unit per cell, as seaborn draws it) where
    ``mask`` is true: the cells that hold planned figures. Returns how many were marked.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, pandas as pd
    >>> fig, ax = plt.subplots()
    >>> hatch_cells(ax, pd.DataFrame({"x": [True, False], "y": [False, True]}))
    2
    >>> [p.get_xy() for p in ax.patches]
    [(0.04, 0.04), (1.04, 1.04)]
    >>> plt.close(fig)
    """
    from matplotlib.patches import Rectangle

    cells = [(j, i) for i, row in enumerate(mask.to_numpy()) for j, v in enumerate(row) if v]
    for j, i in cells:
        ax.add_patch(Rectangle((j + 0.04, i + 0.04), 0.92, 0.92, fill=False, lw=1.5,
                               hatch=PLANNED_HATCH, edgecolor=PLANNED_COLOUR, zorder=2))
    return len(cells)
