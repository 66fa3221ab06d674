"""The study's charts, in the house style (:mod:`coopstats.plotting`).

* :func:`rate_chart`: one pairing per row, the dot at the central estimate, the bar across the
  interval, and beside each row the window its figure covers, how the window was read, and
  who paid; what was left out is said under the axis.
* :func:`joint_cloud`: two measures' joint Monte Carlo draws per pairing (a shared window
  moves both together), with the central estimates on top.
* :func:`cumulative_chart` and :func:`per_year_chart`: one pairing's successive reports of a
  measure over time, and what the increments between them and its one-year reports say
  about each stretch of time (:mod:`coopstats.increments`).
"""

from __future__ import annotations

import math

from .plotting import PROGRAMME_COLOURS, label_points, log_axis

__all__ = ["benchmark_lines", "cumulative_chart", "highlight", "joint_cloud", "log_limits",
           "per_year_chart", "rate_chart", "set_log_limits", "share_text"]

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
    from .plotting import axis_is_crowded

    setter = ax.set_xlim if which == "x" else ax.set_ylim
    setter(*log_limits(low, high))
    if axis_is_crowded(ax, which):
        setter(*log_limits(low, high, decades=True))


def _row_note(row) -> str:
    funder = str(row["funder_level"])
    return row["window"] + ("" if funder == "not_applicable" else f" · {funder}")


def rate_chart(comparison, data, *, xlabel: str, title: str | None = None, ax=None,
               log: bool = False, notes: bool = True):
    """Dot-and-interval chart of a :class:`coopstats.measures.Comparison`.

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
    ax.scatter(table["rate_mid"], y, color=colours, s=28, zorder=3, edgecolor="white",
               linewidths=0.6)
    ax.set_yticks(y, [labels[str(p)] for p in table["pairing_id"]])
    ax.set_ylim(-0.6, len(table) - 0.4)
    if log:
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


def highlight(ax, label: str) -> None:
    """Make one pairing's row of a :func:`rate_chart` stand out: its name in bold and its dot
    ringed."""
    for tick, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True):
        if tick.get_text() == label:
            tick.set_fontweight("bold")
            for line in ax.lines:  # the row's interval: ring its dot
                ys = line.get_ydata()
                if len(ys) and ys[0] == y:
                    ax.scatter([ax.collections[0].get_offsets()[int(y)][0]], [y], s=140,
                               facecolors="none", edgecolors="#222", linewidths=1.2,
                               zorder=4)
                    break


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


def joint_cloud(x_draws, y_draws, x_table, y_table, data, *, ax, xlabel: str, ylabel: str,
                shown: int = 400):
    """Joint draws of two measures, one colour per pairing, over the pairings both have;
    the central estimates as large dots, labelled.

    Parameters
    ----------
    x_draws, y_draws : DataFrame
        Draws of :func:`coopstats.sensitivity.draws`, one column per pairing.
    x_table, y_table : DataFrame
        The comparisons' tables (for the central estimates).
    data : Dataset
    ax : matplotlib.axes.Axes
    shown : int
        Draws drawn per pairing (the first ones; all draws enter the statistics).
    """
    common = [p for p in x_draws.columns if p in y_draws.columns]
    mid_x = x_table.set_index(x_table["pairing_id"].astype(str))["rate_mid"]
    mid_y = y_table.set_index(y_table["pairing_id"].astype(str))["rate_mid"]
    for p in common:
        colour = PROGRAMME_COLOURS[data.programmes[p]]
        ax.scatter(x_draws[p].iloc[:shown], y_draws[p].iloc[:shown], s=3, alpha=0.25,
                   color=colour, linewidths=0)
        ax.scatter([mid_x[p]], [mid_y[p]], s=45, color=colour, edgecolor="white", zorder=3)
    log_axis(ax, "x")
    log_axis(ax, "y")
    lows_x = [float(x_draws[p].quantile(0.001)) for p in common]
    highs_x = [float(x_draws[p].quantile(0.999)) for p in common]
    lows_y = [float(y_draws[p].quantile(0.001)) for p in common]
    highs_y = [float(y_draws[p].quantile(0.999)) for p in common]
    set_log_limits(ax, "x", min(lows_x), max(highs_x))
    set_log_limits(ax, "y", min(lows_y), max(highs_y))
    label_points(ax, [mid_x[p] for p in common], [mid_y[p] for p in common],
                 [data.labels[p].split(" → ")[-1] for p in common])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


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
                     digits: int = 2):
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
        The pairing's rows of :func:`coopstats.increments.series`.
    incs : DataFrame
        Its :func:`coopstats.increments.increments`.
    ax : matplotlib.axes.Axes
    scale : float
        Values are divided by it (``1e8`` for 亿元).
    ylabel, title : str
    digits : int
        Decimals of the value labels.
    """
    chain = rows[rows["source_id"].isin(incs["to_id"])]
    rest = rows[~rows["source_id"].isin(incs["to_id"]) & (rows["kind"] != "annual")]
    x = (chain["end_low"] + chain["end_high"]) / 2
    y = chain["value_mid"] / scale
    if len(incs):
        x0 = (incs["from_low"].iloc[0] + incs["from_high"].iloc[0]) / 2
        ax.plot([x0, *x], [0, *y], ls="--", lw=1, color=_OTHER_COLOUR, zorder=1)
    conflict = set(incs.loc[incs["conflict"].astype(bool), "to_id"])
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


def per_year_chart(incs, annual, *, ax, scale: float = 1.0, ylabel: str, title: str):
    """What the increments between reports say about each stretch of time: each increment
    as a bar over its central window at its central value per year, with its interval
    (grey band, clipped where the duration may be nearly zero); one-year reports as
    hatched outlines over their year; a conflict in red.

    Parameters
    ----------
    incs : DataFrame
        :func:`coopstats.increments.increments` of one pairing.
    annual : DataFrame
        Its one-year rows of :func:`coopstats.increments.series` (``kind`` annual).
    ax : matplotlib.axes.Axes
    scale : float
        Values are divided by it.
    ylabel, title : str
    """
    import matplotlib.patches as mpatches
    import numpy as np

    top = 0.0
    for r in incs.itertuples():
        x0, x1 = (r.from_low + r.from_high) / 2, (r.to_low + r.to_high) / 2
        mid, lo, hi = (r.per_year_mid / scale, r.per_year_low / scale, r.per_year_high / scale)
        colour = _CONFLICT_COLOUR if r.conflict else _REPORT_COLOUR
        ax.add_patch(mpatches.Rectangle((x0, 0), x1 - x0, mid, fc=colour, alpha=0.35,
                                        ec=colour, lw=1))
        if np.isfinite(hi):
            ax.fill_between([x0, x1], [lo] * 2, [hi] * 2, color="#555", alpha=0.12, lw=0)
            top = max(top, hi)
        top = max(top, mid)
    for r in annual.itertuples():
        ax.add_patch(mpatches.Rectangle((r.start_low, 0), r.end_high - r.start_low,
                                        r.value_mid / scale, fill=False, hatch="///",
                                        ec="#222", lw=1))
        top = max(top, r.value_high / scale)
    handles = [mpatches.Patch(fc=_REPORT_COLOUR, alpha=0.35, label="between two reports "
                              "(central value a year)"),
               mpatches.Patch(color="#555", alpha=0.12, label="interval")]
    if len(annual):
        handles.append(mpatches.Patch(fill=False, hatch="///", ec="#222",
                                      label="one-year report"))
    ax.legend(handles=handles, fontsize=7.5, loc="upper left", frameon=True)
    ax.set_ylim(0, top * 1.3 or 1)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax
