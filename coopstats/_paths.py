"""Where the data and the source articles are."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = ["resolve_data_dir", "resolve_sources"]

_REPO_DATA = Path(__file__).resolve().parent.parent / "data"


def packaged_data_dir() -> Path:
    """The data shipped with the package: inside an installed wheel ``coopstats/data``;
    in a clone (or an editable install) the repository's top-level ``data/``."""
    inside = resources.files("coopstats").joinpath("data")
    if inside.is_dir():
        return Path(str(inside))
    return _REPO_DATA


def resolve_data_dir(data_dir: Path | str | None = None) -> Path:
    """``data_dir`` if given, else the packaged data."""
    return Path(data_dir) if data_dir is not None else packaged_data_dir()


def resolve_sources(sources: Path | str | None = None) -> Path | None:
    """``sources`` if given, else ``$COOPSTATS_SOURCES``, else None (no evidence check)."""
    if sources is not None:
        return Path(sources)
    env = os.environ.get("COOPSTATS_SOURCES")
    return Path(env) if env else None


def find_sources() -> Path | None:
    """The source articles if they can be found: ``$COOPSTATS_SOURCES``, else
    ``../shared/seeds`` beside a clone of the repository; None otherwise."""
    env = os.environ.get("COOPSTATS_SOURCES")
    if env:
        return Path(env) if Path(env).is_dir() else None
    beside = _REPO_DATA.parent.parent / "shared" / "seeds"
    return beside if beside.is_dir() else None
