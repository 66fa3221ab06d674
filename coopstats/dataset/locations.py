"""Where the data and the source articles are: one rule, used by the loaders, the validator,
the command line, the tests and the notebooks.

* The data: a folder the caller names, else :func:`data_dir`: ``$COOPSTATS_DATA_DIR`` when set
  (a copy of the data, e.g. with a new article), else the data shipped with the package
  (:func:`shipped_data_dir`). The loaders' default, ``coopstats validate``, the notebooks and
  the tests all go through it.
* The source articles: a folder the caller names, else ``$COOPSTATS_SOURCES``
  (:func:`sources_dir`); :func:`find_sources` also looks beside a clone of the repository
  (``../shared/seeds``), for the tests and the notebooks.
"""

from __future__ import annotations

import os
from pathlib import Path

from coopstats.dataset._files import folder

__all__ = ["DATA_DIR_VARIABLE", "data_dir", "find_sources", "resolve_data_dir",
           "shipped_data_dir", "sources_dir"]

_REPO_DATA = Path(__file__).resolve().parents[2] / "data"
#: the environment variable naming a copy of the data to use instead of the shipped one
DATA_DIR_VARIABLE = "COOPSTATS_DATA_DIR"


def data_dir() -> Path:
    """The data folder used when none is named: ``$COOPSTATS_DATA_DIR`` when it is set (and
    not empty), else the data shipped with the package (:func:`shipped_data_dir`).

    The notebooks, the loaders' default and ``coopstats validate`` all use it, so
    ``COOPSTATS_DATA_DIR=../mydata`` points all of them at a copy (``coopstats notebooks
    --data-dir`` sets it for the notebooks' kernels).

    Examples
    --------
    >>> (data_dir() / "articles.csv").is_file()
    True
    """
    env = os.environ.get(DATA_DIR_VARIABLE)
    return Path(env) if env else shipped_data_dir()


def shipped_data_dir() -> Path:
    """The data shipped with the package: inside an installed wheel ``coopstats/data``;
    in a clone (or an editable install) the repository's top-level ``data/``.

    Examples
    --------
    >>> shipped_data_dir().name
    'data'
    """
    from importlib import resources  # not at import: `import coopstats` stays light

    inside = resources.files("coopstats").joinpath("data")
    if inside.is_dir():
        return Path(str(inside))
    return _REPO_DATA


def resolve_data_dir(path: Path | str | None = None) -> Path:
    """``path`` if given (an empty string is refused, see
    :func:`coopstats.dataset._files.folder`), else :func:`data_dir` (``$COOPSTATS_DATA_DIR``, else
    the data shipped with the package)."""
    return folder(path) if path is not None else data_dir()


def sources_dir(sources: Path | str | None = None) -> Path | None:
    """``sources`` if given (an empty string is refused), else ``$COOPSTATS_SOURCES``,
    else None (no evidence check)."""
    if sources is not None:
        return folder(sources)
    env = os.environ.get("COOPSTATS_SOURCES")
    return Path(env) if env else None


def find_sources() -> Path | None:
    """The source articles if they can be found: ``$COOPSTATS_SOURCES``, else
    ``../shared/seeds`` beside a clone of the repository; None otherwise.

    The tests and the notebooks use it; the validator and the loaders check quotes only
    against a folder named to them or in ``$COOPSTATS_SOURCES`` (:func:`sources_dir`).
    """
    env = os.environ.get("COOPSTATS_SOURCES")
    if env:
        return Path(env) if Path(env).is_dir() else None
    beside = _REPO_DATA.parent.parent / "shared" / "seeds"
    return beside if beside.is_dir() else None
