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
from coopstats import _moved
from coopstats.dataset.checks import validate
from coopstats.dataset.csvfile import Problem
from coopstats.dataset.locations import data_dir, find_sources
from coopstats.dataset.numerals import Figure, FigureParseError, parse_figure

#: the names of :mod:`coopstats.dataset.loaders` this package exports, imported when first used
_LOADERS = ("Dataset", "DataValidationError", "load_all", "load_articles", "load_benchmarks",
            "load_context", "load_cpi", "load_facts", "load_finance", "load_gdp_deflator",
            "load_indicators", "load_pairing_starts", "load_pairings", "load_places",
            "load_reports")


#: the layers, one subpackage each (imported when first used: ``coopstats.analysis``)
_LAYERS = ("dataset", "coding", "analysis", "figures", "report")

_moved.install()  # the modules' names from before the layers, with a FutureWarning


def __getattr__(name: str):
    import importlib

    if name in _LOADERS:
        from coopstats.dataset import loaders

        value = getattr(loaders, name)
        globals()[name] = value
        return value
    if name in _LAYERS or name in _moved.MOVED:  # an old name warns as it is imported
        return importlib.import_module(f"coopstats.{name}")
    raise AttributeError(f"module 'coopstats' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LOADERS) | set(_LAYERS))


__version__ = "0.1.0"
#: Version of the dataset in data/ (see CHANGELOG.md); bumped whenever a coded figure changes.
__data_version__ = "2026.12.2"

__all__ = [
    "Figure", "FigureParseError", "Problem", "__data_version__", "__version__", "data_dir",
    "find_sources", "parse_figure", "validate", *_LOADERS,
]
