"""coopstats: evidence-linked data on China's East-West cooperation and counterpart-assistance
pairings, coded from press articles.

>>> import coopstats
>>> facts = coopstats.load_facts()
>>> coopstats.parse_figure("1.3万余人次").unit
'person_time'
"""

from __future__ import annotations

from .datasets import (
    Dataset,
    DataValidationError,
    load_all,
    load_articles,
    load_context,
    load_cpi,
    load_facts,
    load_indicators,
    load_pairings,
    load_places,
)
from .figures import Figure, FigureParseError, parse_figure
from .tables import Problem
from .validate import validate

__version__ = "0.1.0"
#: Version of the dataset in data/ (see CHANGELOG.md); bumped whenever a coded figure changes.
__data_version__ = "2026.11.0"

__all__ = [
    "DataValidationError",
    "Dataset",
    "Figure",
    "FigureParseError",
    "Problem",
    "__data_version__",
    "__version__",
    "load_all",
    "load_articles",
    "load_context",
    "load_cpi",
    "load_facts",
    "load_indicators",
    "load_pairings",
    "load_places",
    "parse_figure",
    "validate",
]
