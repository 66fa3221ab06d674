"""House style for figures: seaborn theme, CJK fonts when available, deterministic files.

Call :func:`setup` once at the top of a notebook. It looks for an installed CJK font
(WenQuanYi Micro Hei, Noto Sans CJK, Source Han Sans …), registers it as a per-glyph fallback
behind DejaVu Sans, and otherwise switches labels to pinyin only, so a figure never shows
missing-glyph boxes. :func:`label` then gives "Chengkou 城口" or "Chengkou".
:func:`save` writes PNG (and SVG/PDF when asked) with fixed metadata so reruns give
identical files.
"""

from __future__ import annotations

import functools
import logging
import os

from coopstats.dataset.names import _STATE, PROGRAMME_COLOURS, label, pairing_labels, short_zh
from coopstats.figures._figure_files import (
    FORMATS,
    SavedFigure,
    configure,
    figure_formats,
    figure_name,
    figures_dir,
    parse_formats,
    save,
)

__all__ = [
    "FORMATS",
    "PROGRAMME_COLOURS",
    "SavedFigure",
    "axis_is_crowded",
    "cjk_font",
    "configure",
    "figure_formats",
    "figure_name",
    "figures_dir",
    "label",
    "label_points",
    "log_axis",
    "pairing_labels",
    "parse_formats",
    "save",
    "setup",
    "short_zh",
    "wrap_label",
]

_CJK_FAMILIES = (
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
    "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans CN", "Droid Sans Fallback",
    "AR PL UMing CN", "AR PL UKai CN",
)


class _NoBoldCJKNote(logging.Filter):
    """Drop matplotlib's note that a CJK font has no bold face (titles are bold): the
    characters are drawn at regular weight, which is expected, and the note would show as
    a red stderr box under every figure cell."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        return not (msg.startswith("findfont: Failed to find font weight")
                    and _STATE["cjk"] is not None and _STATE["cjk"] in msg)


def cjk_font() -> str | None:
    """Name of an installed CJK font family, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in names:
            return family
    # fonts installed after matplotlib built its cache: register them directly
    for path in font_manager.findSystemFonts():
        low = os.path.basename(path).lower()
        if any(k in low for k in ("wqy", "notosanscjk", "sourcehansans", "droidsansfallback")):
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    return None


def setup(*, context: str = "notebook") -> str | None:
    """Apply the house style; return the CJK font used (None: pinyin labels only).

    Examples
    --------
    >>> from coopstats.figures import plotting
    >>> font = plotting.setup()
    >>> plotting.label("城口", "Chengkou") in ("Chengkou 城口", "Chengkou")
    True
    """
    import matplotlib as mpl
    import seaborn as sns

    font = cjk_font()
    families = ["DejaVu Sans", font] if font else ["DejaVu Sans"]
    sns.set_theme(style="whitegrid", context=context, palette="colorblind", font=families)
    mpl.rcParams.update({
        "font.family": families,  # per-glyph fallback: Latin from DejaVu, CJK from the font
        "axes.unicode_minus": False,
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "svg.hashsalt": "coopstats",  # stable ids in SVG files
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
    })
    _STATE["cjk"] = font
    _STATE["configured"] = "yes"
    logger = logging.getLogger("matplotlib.font_manager")
    if not any(isinstance(f, _NoBoldCJKNote) for f in logger.filters):
        logger.addFilter(_NoBoldCJKNote())
    return font


def log_axis(ax, which: str = "x") -> None:
    """Log scale with plain-number ticks at 1-2-5 steps (readable within a single decade);
    when the axis is too short for that many labels of their width, only 1, 10, 100 … are
    labelled (or every second, third … power of ten), so labels never run into each other."""
    from matplotlib.ticker import LogLocator, NullFormatter, NullLocator

    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    # every 1, 2 and 5 is a tick (and grid line): with fewer allowed, matplotlib's locator
    # drops all of them on a long range; the formatter below decides which get a label
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0), numticks=100))
    axis.set_major_formatter(_log_labels_formatter()(ax, which))
    # no minor ticks: the house style draws neither ticks nor a minor grid, and each minor
    # tick is an artist laid out on every pass (about a quarter of a log-axis figure's time)
    axis.set_minor_locator(NullLocator())
    axis.set_minor_formatter(NullFormatter())


def _power(value: float) -> int | None:
    """The exponent of a power of ten (1, 10, 0.01 …), else None."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return int(exponent) if mantissa == "1" else None


def _log_labels(ax, which: str, values) -> list[str]:
    """:func:`log_axis`'s labels of the ticks at ``values``: all of them, or only the powers
    of ten that :func:`_label_every` leaves room for (the others get "")."""
    texts = [_tick_text(v) for v in values]
    every = _label_every(ax, which)
    if every == 0:
        return texts
    axis = ax.xaxis if which == "x" else ax.yaxis
    lo, hi = sorted(axis.get_view_interval())
    powers = sorted({p for v in axis.get_majorticklocs() if lo <= v <= hi
                     and (p := _power(v)) is not None})
    stride = powers[1] - powers[0] if len(powers) > 1 else 1  # the locator's own step
    step = -(-every // stride)
    return [text if (p := _power(v)) in powers and powers.index(p) % step == 0 else ""
            for v, text in zip(values, texts, strict=True)]


@functools.cache
def _log_labels_formatter() -> type:
    """The formatter class of a :func:`log_axis`'s tick labels, defined on first use (this
    module is imported without matplotlib). matplotlib asks for a whole axis's labels at
    once (``format_ticks``): the room for them is judged once for all, not once per tick."""
    from matplotlib.ticker import Formatter

    class LogLabels(Formatter):
        def __init__(self, ax, which: str) -> None:
            self.ax, self.which = ax, which

        def __call__(self, value: float, pos=None) -> str:
            return _log_labels(self.ax, self.which, [value])[0]

        def format_ticks(self, values) -> list[str]:
            self.set_locs(values)
            return _log_labels(self.ax, self.which, list(values))

    return LogLabels


def _tick_text(value: float) -> str:
    """A :func:`log_axis` tick label: ``5``, ``0.02``, ``10,000``."""
    return f"{value:,.10g}"


def wrap_label(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters, broken at spaces only: a word
    longer than ``width`` keeps a line of its own rather than being cut mid-word.

    Examples
    --------
    >>> print(wrap_label("Cadres and professionals trained", 12))
    Cadres and
    professionals
    trained
    """
    import textwrap

    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


def axis_is_crowded(ax, which: str = "x") -> bool:
    """Whether a :func:`log_axis` is too short to label the 1, 2 and 5 of every decade (it
    then labels only powers of ten)."""
    return _label_every(ax, which) > 0


def _label_every(ax, which: str) -> int:
    """Decades between labelled ticks of a :func:`log_axis`: 0 labels 1, 2 and 5 of every
    decade; n labels every n-th power of ten. Judged from the axis length and the widest
    label (in DejaVu Sans a digit is 0.64 em wide, a comma or point 0.32 em)."""
    import math

    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    axis = ax.xaxis if which == "x" else ax.yaxis
    lo, hi = sorted(axis.get_view_interval())
    if not (0 < lo < hi):
        return 0
    box = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    per_decade = (box.width * fig_w if which == "x" else box.height * fig_h) \
        / math.log10(hi / lo)
    size = FontProperties(size=mpl.rcParams[f"{which}tick.labelsize"]).get_size_in_points()
    if which == "x":  # side by side: the widest label plus a gap, in ems
        widest = max((sum(0.32 if c in ",." else 0.64 for c in _tick_text(v))
                      for v in axis.get_majorticklocs() if lo <= v <= hi), default=0.64)
        need = (widest + 0.35) * size / 72
    else:  # stacked: one line of text plus a gap
        need = 1.3 * size / 72 + 0.05
    if math.log10(2) * per_decade >= need:  # 1→2 and 5→10 are the closest pairs
        return 0
    return max(1, math.ceil(need / per_decade))


def label_points(ax, x, y, texts, *, fontsize: float = 8, log: bool = True) -> None:
    """Name each point of a scatter beside it: to its upper right, or to its lower left when
    another point sits just to its right at about the same height (where the two labels, or
    the label and the other point's error bar, would collide). Labels have a light backing
    so error bars do not run through the letters.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, y : sequence of float
        Data coordinates of the points.
    texts : sequence of str
    log : bool
        Whether "near" is judged in decades (log axes) or in axis fractions.
    """
    import math

    def scale(values, lo_hi):
        lo, hi = lo_hi
        if log:
            return [math.log10(v) for v in values], math.log10(hi / lo) if lo > 0 else 1.0
        return list(values), (hi - lo) or 1.0

    x, y = list(x), list(y)
    xs, xspan = scale(x, ax.get_xlim())
    ys, yspan = scale(y, ax.get_ylim())
    for i, text in enumerate(texts):
        crowded = any(0 < (xs[j] - xs[i]) / xspan < 0.25 and abs(ys[j] - ys[i]) / yspan < 0.06
                      for j in range(len(xs)) if j != i)
        offset, ha, va = ((-4, -4), "right", "top") if crowded else ((4, 4), "left", "bottom")
        ax.annotate(text, (x[i], y[i]), xytext=offset, textcoords="offset points",
                    ha=ha, va=va, fontsize=fontsize,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                          "alpha": 0.75})
