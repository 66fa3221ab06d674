"""The priors of the Monte Carlo analysis, named in one place.

The coding leaves some quantities open within bounds (:mod:`coopstats.periods`): where in
its bounds a window starts and ends, how long ``近年来`` ("in recent years") is, and how
spending was spread over a window. The bounds are the data's; how likely each value within
them is, is a prior: an assumption, not a finding. Every probability the notebooks report is
computed under one of these priors, and notebook 05 shows how the results move between them.

* ``uniform`` (the default): every admissible start and end equally likely (uniform in time);
  ``近年来`` anywhere from two years back to the pairing's start; spending even.
* ``recent``: ``近年来`` means two to five years, the usual press sense of "the last few
  years"; otherwise as ``uniform``.
* ``growing``: spending grew by 15 % a year within each window (East–West aid grew fast after
  2016), which moves a long total's weight, and its deflator, to recent years; otherwise as
  ``uniform``.

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
    """

    name: str
    description: str
    recent_years: tuple[float, float | None] = (2.0, None)
    growth: float = 0.0


#: The named priors.
PRIORS: dict[str, Prior] = {p.name: p for p in (
    Prior("uniform", "starts and ends uniform within their bounds; 近年来 two years or more, "
                     "back to the pairing's start; even spending"),
    Prior("recent", "as uniform, but 近年来 is two to five years", recent_years=(2.0, 5.0)),
    Prior("growing", "as uniform, but spending grows 15% a year within each window",
          growth=0.15),
)}

#: The prior the notebooks use unless they say otherwise.
DEFAULT = PRIORS["uniform"]
