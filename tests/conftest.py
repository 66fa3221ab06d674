"""Shared fixtures: where the data and the source articles are.

The evidence tests need the five source articles. They are found at ``$COOPSTATS_SOURCES`` or,
in a clone laid out as the project's CI lays it out, at ``../shared/seeds``. In CI
(``CI=true``) a missing sources folder fails the run instead of skipping the evidence tests.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


def find_sources() -> Path | None:
    env = os.environ.get("COOPSTATS_SOURCES")
    candidates = [Path(env)] if env else [REPO.parent / "shared" / "seeds"]
    for c in candidates:
        if c.is_dir():
            return c.resolve()
    return None


@pytest.fixture(scope="session")
def sources() -> Path:
    found = find_sources()
    if found is None:
        msg = ("source articles not found: set COOPSTATS_SOURCES to the folder of the five "
               "articles (in a clone beside shared/ it is ../shared/seeds)")
        if in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    return found


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest


@pytest.fixture(scope="session")
def report(tmp_path_factory, sources):
    """Every notebook executed once through the runner (as ``make notebooks`` does); shared
    by the notebook tests and the browser check of the report."""
    from coopstats.runner import run_all

    out = tmp_path_factory.mktemp("build")
    results = run_all(REPO / "notebooks", out, jobs=2, progress=lambda msg: None)
    return out, results


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
