"""A correct addition does not turn the tests red: the tests that pin the shipped dataset's
numbers run on it only (tests/shipped_data.py), skipped with what differs on a student's copy
and strict in CI; every other test runs on the student's data and sources."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import DATA, REPO
from shipped_data import differences

from coopstats.cli import main


@pytest.mark.shipped_data
def test_data_match_the_shipped_fingerprint():
    """data/ is the shipped dataset (in CI a changed table fails here until the fingerprint
    is rewritten with ``python tests/shipped_data.py --write``)."""
    assert differences(DATA) == ""


def test_the_added_article_validates_with_its_sources(added_article, capsys):
    data, src = added_article
    assert differences(data) == "facts/qingdao_heze_2024.csv added, articles.csv changed"
    assert main(["validate", "--data-dir", str(data), "--sources", str(src)]) == 0
    assert capsys.readouterr().out.startswith("ok: 6 articles, 196 facts")


def _pytest(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-rs", *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **env}, timeout=600)


@pytest.mark.slow
def test_tests_on_a_copy_with_an_added_article_skip_the_shipped_numbers(added_article):
    """README: COOPSTATS_DATA_DIR=mydata COOPSTATS_SOURCES=mysources runs the tests on the
    copy: the headline tests are skipped with the reason, the others pass; with CI=true the
    headline tests fail instead."""
    data, src = added_article
    env = {"COOPSTATS_DATA_DIR": str(data), "COOPSTATS_SOURCES": str(src), "CI": ""}
    tests = ["tests/test_headlines.py", "tests/test_validate.py::test_clean_data_passes"]
    done = _pytest(env, *tests)
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed, " in done.stdout and " skipped" in done.stdout and "failed" not in done.stdout
    assert "pins numbers of the shipped dataset" in done.stdout
    assert "facts/qingdao_heze_2024.csv added" in done.stdout
    strict = _pytest({**env, "CI": "true"}, "tests/test_headlines.py::test_notebook_04_outcomes")
    assert strict.returncode == 1 and "pins numbers of the shipped dataset" in strict.stdout
