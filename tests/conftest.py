"""Shared fixtures: where the data and the source articles are.

The evidence tests need the five source articles. They are found at ``$COOPSTATS_SOURCES`` or,
in a clone laid out as the project's CI lays it out, at ``../shared/seeds``. In CI
(``CI=true``) a missing sources folder fails the run instead of skipping the evidence tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
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
        unavailable("source articles not found: set COOPSTATS_SOURCES to the folder of the "
                    "five articles (in a clone beside shared/ it is ../shared/seeds)")
    return found


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest


def hash_tree(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@dataclass
class Report:
    out: Path
    results: list
    data_before: dict[str, str]
    data_after: dict[str, str]


@pytest.fixture(scope="session")
def report(tmp_path_factory, sources) -> Report:
    """Every notebook executed once through the runner (as ``make notebooks`` does); shared
    by the notebook, browser and reproducibility tests. Records data/ before and after."""
    from coopstats.report.run import run_all

    out = tmp_path_factory.mktemp("build")
    before = hash_tree(DATA)
    # SVG too (``make notebooks FIGURES=png,svg``), so the rerun test covers vector files
    results = run_all(REPO / "notebooks", out, jobs=2, figure_formats=("png", "svg"),
                      progress=lambda msg: None)
    return Report(out, results, before, hash_tree(DATA))


@pytest.fixture()
def configure_figures(monkeypatch):
    """``configure(out_dir=…, formats=…)`` for this test only: plotting's settings are
    restored afterwards (the runner calls it in each kernel; here the test process)."""
    from coopstats import _figure_files, plotting

    monkeypatch.setattr(_figure_files, "_SETTINGS", dict(_figure_files._SETTINGS))
    return plotting.configure


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(msg: str) -> None:
    """Something a test needs is missing: skip locally, fail in CI (CI=true)."""
    if in_ci():
        pytest.fail(msg)
    pytest.skip(msg)
