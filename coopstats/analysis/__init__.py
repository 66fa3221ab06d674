"""The analysis: windows, rates, comparisons and their uncertainty.

``periods`` (a figure's window, within bounds), ``denominators`` (what a rate divides by),
``intensity`` (rates per person and year, deflated), ``budget_years`` (the pairing ×
budget-year panel), ``effort`` (a donor's aid over its revenue), ``measures`` (what is
compared, and ``compare``), ``totals``, ``increments``, ``triangulation`` (how many sources
agree), ``priors`` and ``sensitivity`` (the Monte Carlo), ``computed`` (the tables the
exports add) and ``prose`` (numbers into sentences). Imports the data layer
(:mod:`coopstats.dataset`) only.
"""
