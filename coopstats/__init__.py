"""coopstats: evidence-linked data on China's East-West cooperation and counterpart-assistance
pairings, coded from press articles.

>>> import coopstats
>>> facts = coopstats.load_facts()
>>> coopstats.parse_figure("1.3万余人次").unit
'person_time'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The parser and validator are plain Python and imported here (``validate`` the function
# must shadow the submodule of the same name). The loaders need pandas: they are loaded on
# first use (PEP 562), so the command line and `import coopstats` do not pay for pandas
# until a loader is called.
from .figures import Figure, FigureParseError, parse_figure
from .tables import Problem
from .validate import validate

_LAZY = {
    "Dataset": "datasets", "DataValidationError": "datasets", "load_all": "datasets",
    "load_articles": "datasets", "load_context": "datasets", "load_cpi": "datasets",
    "load_facts": "datasets", "load_indicators": "datasets", "load_pairings": "datasets",
    "load_places": "datasets",
}

if TYPE_CHECKING:
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


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'coopstats' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
