"""The modules' old names, from before the package was grouped by layer (issue 23).

``import coopstats.measures`` and ``from coopstats import plotting`` keep working, with a
:class:`FutureWarning` (shown by default, unlike a DeprecationWarning from library code)
naming the new place (``coopstats.analysis.measures``,
``coopstats.figures.plotting``); the module is the same object under both names. The old
names go in coopstats 0.3.

Examples
--------
>>> import importlib, warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", FutureWarning)  # as the old name gives, once
...     old = importlib.import_module("coopstats.measures")
>>> old is importlib.import_module("coopstats.analysis.measures")
True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

__all__ = ["MOVED", "install", "moved"]

_LAYERS = {
    "dataset": ("_atomic", "_files", "_text", "article_text", "checks", "codebook", "csvfile",
                "datapackage", "evidence", "kinds", "locations", "numerals", "parameters",
                "scan", "schema"),
    "coding": ("agree", "extract", "period_words"),
    "analysis": ("budget_years", "computed", "denominators", "effort", "increments",
                 "intensity", "measures", "periods", "priors", "prose", "sensitivity",
                 "totals", "triangulation"),
    "figures": ("_figure_files", "charts", "maps", "placement", "plotting"),
}
#: old name (under ``coopstats.``) → new name (under ``coopstats.``)
MOVED: dict[str, str] = {
    **{m: f"{layer}.{m}" for layer, names in _LAYERS.items() for m in names},
    "datasets": "dataset.loaders",
    **{f"checks.{m}": f"dataset.checks.{m}" for m in ("audit", "cells", "coding", "facts",
                                                      "reports", "result", "tables")},
}


def moved(old: str) -> str:
    """The new full name of an old module name, with the warning it gives.

    Examples
    --------
    >>> moved("coopstats.priors")
    'coopstats.analysis.priors'
    """
    return "coopstats." + MOVED[old.removeprefix("coopstats.")]


class _OldName(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``coopstats.<old name>`` and hands back the module at its new name."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.startswith("coopstats.") and fullname[len("coopstats."):] in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        new = moved(spec.name)
        warnings.warn(f"{spec.name} has moved to {new}; import it from there (the old name "
                      "goes in coopstats 0.3)", FutureWarning, stacklevel=3)
        return importlib.import_module(new)

    def exec_module(self, module) -> None:
        """The module was executed under its new name."""


def install() -> None:
    """Put the finder of old names first on ``sys.meta_path`` (once): before the path finder,
    which would load ``coopstats.checks.tables`` a second time from the new folder."""
    if not any(isinstance(f, _OldName) for f in sys.meta_path):
        sys.meta_path.insert(0, _OldName())
