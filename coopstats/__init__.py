"""coopstats: evidence-linked data on China's East-West cooperation and counterpart-assistance
pairings, coded from press articles.

>>> import coopstats
>>> facts = coopstats.load_facts()
>>> coopstats.parse_figure("1.3万余人次").unit
'person_time'
"""

from __future__ import annotations

# The parser, the validator and the locations are plain Python. The loaders need pandas, so
# they are imported on first use (PEP 562): the command line and `import coopstats` do not
# pay for pandas until a loader is called.
from .checks import validate
from .csvfile import Problem
from .locations import data_dir, find_sources
from .numerals import Figure, FigureParseError, parse_figure

#: the names of :mod:`coopstats.datasets` this package exports, imported when first used
_LOADERS = ("Dataset", "DataValidationError", "load_all", "load_articles", "load_benchmarks",
            "load_context", "load_cpi", "load_facts", "load_finance", "load_gdp_deflator",
            "load_indicators", "load_pairing_starts", "load_pairings", "load_places",
            "load_reports")


def __getattr__(name: str):
    if name not in _LOADERS:
        raise AttributeError(f"module 'coopstats' has no attribute {name!r}")
    from . import datasets

    value = getattr(datasets, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LOADERS))


__version__ = "0.1.0"
#: Version of the dataset in data/ (see CHANGELOG.md); bumped whenever a coded figure changes.
__data_version__ = "2026.12.2"

__all__ = [
    "Figure", "FigureParseError", "Problem", "__data_version__", "__version__", "data_dir",
    "find_sources", "parse_figure", "validate", *_LOADERS,
]
