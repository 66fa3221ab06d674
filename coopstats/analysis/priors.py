"""The priors of the Monte Carlo analysis, named in one place.

The coding leaves some quantities open within bounds (:mod:`coopstats.analysis.periods`): where in
its bounds a window starts and ends, how long ``近年来`` ("in recent years") is, and how
spending was spread over a window. The bounds are the data's; how likely each value within
them is, is a prior: an assumption, not a finding. Every probability the notebooks report is
computed under one of these priors, and notebook 05 shows how the results move between them.

* ``budget_year`` (the default): fiscal aid and the projects it finances are counted in
  whole budget years (codebook P13): a window's first budget year anywhere within its bounds,
  and the share of the report's own year's allocation it holds (where it may hold some)
  anywhere from none to all; every other window uniform in time; ``近年来`` anywhere from two
  years back to the pairing's start (or to the external layer's bound, P14); spending even.
* ``uniform``: every window, fiscal aid's too, a continuous span between the reports' dates,
  starts and ends uniform in time (the reading before budget years; notebook 07 shows what
  it makes of the Qingdao–Dingxi series); otherwise as ``budget_year``.
* ``recent``: ``近年来`` means two to five years, the usual press sense of "the last few
  years"; where the external layer bounds the window to more (P14), the bound wins: a prior
  the data in hand reject decides nothing; otherwise as ``budget_year``.
* ``growing``: spending grew by 15 % a year within each window (East–West aid grew fast after
  2016), which moves a long total's weight, and its deflator, to recent years; otherwise as
  ``budget_year``.

Every prior draws a figure's value uniformly within the interval its printed qualifier gives
(the codebook's qualifier table: ``300余`` is [300, 400), ``2.8亿`` is 2.8亿), except two:

* ``lower_half``: a figure printed with 余/多 (or 以上, 超过, 逾: the ``at_least`` row) lies in
  the lower half of its step, [x, x + s/2): the codebook's own reasoning for ``近``, which
  covers only the upper half step because a writer above the half "would more likely have
  said 近400", read as a rule; otherwise as ``budget_year``.
* ``rounded``: an unqualified number printed with a multiplier (万, 亿) is the writer's
  rounding to its last printed digit, [x − s/2, x + s/2) (``2.8亿``: 2.75亿 to 2.85亿);
  a number printed in full (``422个``, ``11074.12萬元`` to the hundred yuan) is as counted;
  otherwise as ``budget_year``.

One prior moves the denominator, not the figure:

* ``registered``: where a recipient county's people are counted both ways
  (``context/places.csv``: Qianjiang, Xiushan), its population is anywhere between its 2020
  census residents and its registered (户籍) population, uniformly: out-migration counties
  have more registered people than residents, and which of the two aid "per person" means is
  a reading, not a datum. Other recipients keep their residents (no registered figure is in
  hand), so the prior can only lower those two's rates; otherwise as ``budget_year``.

One prior moves the prices:

* ``gdp_deflator``: yuan are deflated to the base year with the national GDP deflator
  (``context/gdp_deflator.csv``, World Bank) instead of the CPI: the programme's money buys
  projects and wages more than consumer goods, and which index stands for its prices is a
  reading; the series ends at 2023 and later years are held at its last level, as the CPI is
  after its own; otherwise as ``budget_year``. A sensitivity line: every measure and interval
  of the other notebooks uses the CPI.

The default keeps the printed intervals: they are what the print guarantees, and the
central estimates every notebook shows are their midpoints; the lower half is a reading of
writers' habits that these five articles cannot test, so it is a named alternative, and
notebook 5 shows whether any ranking moves under it.

Examples
--------
>>> PRIORS["recent"].recent_years
(2.0, 5.0)
"""

from __future__ import annotations

from dataclasses import dataclass

from coopstats.dataset.numerals import FigureParseError, parse_figure

__all__ = ["DEFAULT", "POPULATION_RULES", "PRICE_RULES", "PRIORS", "VALUE_RULES", "Prior",
           "value_bounds"]

#: how a prior reads a figure's value within its printed interval (see the module's text)
VALUE_RULES = ("printed", "lower_half", "rounded")
#: which population a per-resident rate divides by (see the module's text)
POPULATION_RULES = ("resident", "resident_or_registered")
#: which price index deflates yuan to the base year: the ``Dataset`` attribute it is read from
PRICE_RULES = ("cpi", "gdp_deflator")


@dataclass(frozen=True)
class Prior:
    """How likely the values within a figure's bounds are.

    Attributes
    ----------
    name : str
    description : str
        One sentence for tables and figures.
    recent_years : (float, float or None)
        ``近年来`` lasts between these many years (None: back to the pairing's start).
    growth : float
        Yearly growth of spending within a window (0: even spending).
    budget_years : bool
        Count fiscal aid and aid projects in whole budget years (codebook P13).
    values : {"printed", "lower_half", "rounded"}
        Where a figure's value lies within its printed interval (:func:`value_bounds`).
    population : {"resident", "resident_or_registered"}
        A per-resident rate's population: the census residents, or anywhere between them
        and the registered population where both are known.
    prices : {"cpi", "gdp_deflator"}
        The price index yuan are deflated with (the ``Dataset`` table of that name).
    """

    name: str
    description: str
    recent_years: tuple[float, float | None] = (2.0, None)
    growth: float = 0.0
    budget_years: bool = True
    values: str = "printed"
    population: str = "resident"
    prices: str = "cpi"


#: The named priors.
PRIORS: dict[str, Prior] = {p.name: p for p in (
    Prior("budget_year", "fiscal aid and its projects in whole budget years, the report's own "
                         "year held wholly, in part or not at all; other windows uniform in "
                         "time; 近年来 two years or more; even spending"),
    Prior("uniform", "every window a continuous span between the reports' dates, starts and "
                     "ends uniform in time; otherwise as budget_year", budget_years=False),
    Prior("recent", "as budget_year, but 近年来 is two to five years where the data allow",
          recent_years=(2.0, 5.0)),
    Prior("growing", "as budget_year, but spending grows 15% a year within each window",
          growth=0.15),
    Prior("lower_half", "as budget_year, but a 余/多 figure lies in the lower half of its "
                        "step (300余: 300–350)", values="lower_half"),
    Prior("rounded", "as budget_year, but a number printed with 万 or 亿 and no qualifier "
                     "is rounded to its last digit (2.8亿: 2.75–2.85亿)", values="rounded"),
    Prior("registered", "as budget_year, but a recipient's population lies between its "
                        "residents and its registered population where both are known "
                        "(Qianjiang, Xiushan)", population="resident_or_registered"),
    Prior("gdp_deflator", "as budget_year, but yuan are deflated with the GDP deflator "
                          "instead of the CPI", prices="gdp_deflator"),
)}

#: The prior the notebooks use unless they say otherwise.
DEFAULT = PRIORS["budget_year"]


def value_bounds(raw: str, qualifier: str, low: float, high: float,
                 prior: Prior = DEFAULT) -> tuple[float, float]:
    """The bounds a prior draws a figure's value between (uniformly).

    Parameters
    ----------
    raw : str
        The figure as printed (a derived total's parts are not reread: its bounds stand).
    qualifier : str
        As coded (``at_least`` for 余/多 …).
    low, high : float
        The figure's printed interval (``value_low``, ``value_high``).
    prior : Prior

    Returns
    -------
    (float, float)

    Examples
    --------
    >>> value_bounds("300余人", "at_least", 300, 400, PRIORS["lower_half"])
    (300, 350.0)
    >>> value_bounds("2.8亿元", "exact", 2.8e8, 2.8e8, PRIORS["rounded"])
    (275000000.0, 285000000.0)
    >>> value_bounds("422个", "exact", 422, 422, PRIORS["rounded"])
    (422, 422)
    """
    if prior.values == "lower_half" and qualifier == "at_least":
        return low, (low + high) / 2
    if prior.values == "rounded" and qualifier == "exact" and low == high:
        try:
            figure = parse_figure(str(raw))
        except FigureParseError:  # a derived total's text, not a printed figure
            return low, high
        if figure.multiplier > 1 and figure.value == low:
            return low - figure.step / 2, low + figure.step / 2
    return low, high
