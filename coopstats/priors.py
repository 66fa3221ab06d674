"""The priors of the Monte Carlo analysis, named in one place.

The coding leaves some quantities open within bounds (:mod:`coopstats.periods`): where in
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

Examples
--------
>>> PRIORS["recent"].recent_years
(2.0, 5.0)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT", "PRIORS", "Prior"]


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
    """

    name: str
    description: str
    recent_years: tuple[float, float | None] = (2.0, None)
    growth: float = 0.0
    budget_years: bool = True


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
)}

#: The prior the notebooks use unless they say otherwise.
DEFAULT = PRIORS["budget_year"]
