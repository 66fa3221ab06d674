"""The notebook cache (coopstats.report.cache): an unchanged notebook is copied from the
cache, byte for byte, and a change to what its output depends on (its source, its
parameters, the data, the library's code, the libraries its kernel imported) runs it again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import DATA, REPO, hash_tree
from test_notebooks import notebook

from coopstats.report import cache
from coopstats.report.run import run_all

# runs notebooks, kernels or a browser: part of make test, not of the fast loop
pytestmark = pytest.mark.slow

NOTEBOOKS = REPO / "notebooks"


def run(folder: Path, out: Path, store: Path, **kwargs) -> dict[str, bool]:
    """Run ``folder`` with the cache ``store``; name → whether it came from the cache."""
    results = run_all(folder, out, jobs=2, cache=store, progress=lambda msg: None, **kwargs)
    return {r.name: r.cached for r in results}


def outputs(out: Path) -> dict[str, str]:
    """Every file a run wrote, by relative path and hash, but the index (which says what
    came from the cache) and the cache itself."""
    return {k: v for k, v in hash_tree(out, skip=(".cache", "screenshots")).items()
            if k != "index.html"}


@pytest.fixture()
def two_notebooks(tmp_path) -> Path:
    """01 declares the parameter base_year and imports numpy; 02 declares none."""
    folder = tmp_path / "nb"
    params = nbformat.v4.new_code_cell("base_year = 2019", metadata={"tags": ["parameters"]})
    notebook(nbformat.v4.new_markdown_cell("# One\nThe first."), params,
             "import numpy\nprint(base_year, numpy.__name__)", folder=folder,
             name="01_one.ipynb")
    notebook(nbformat.v4.new_markdown_cell("# Two\nThe second."), "print('two')",
             folder=folder, name="02_two.ipynb")
    return folder


def test_a_rerun_copies_every_notebook_byte_for_byte_and_an_edit_reruns_only_it(
        report, tmp_path):
    """The real notebooks: the report fixture ran them with a cache (storing each); a run
    with that cache copies its executed notebooks, pages and figures, and the index says
    they came from the cache (that a run without a cache writes the same bytes is
    test_two_runs_of_the_notebooks_are_byte_identical); after one notebook is edited only
    that one runs again (01, the quickest to run)."""
    folder, store = tmp_path / "notebooks", tmp_path / "cache"
    shutil.copytree(NOTEBOOKS, folder, ignore=shutil.ignore_patterns("*.py", "figures"))
    shutil.copytree(report.cache, store)  # a copy: the fixture's is shared
    formats = ("png", "svg")  # as the report fixture
    assert not any(r.cached for r in report.results)
    second = run(folder, tmp_path / "second", store, figure_formats=formats)
    assert all(second.values()) and list(second) == [r.name for r in report.results]
    assert outputs(tmp_path / "second") == outputs(report.out)
    index = (tmp_path / "second" / "index.html").read_text(encoding="utf-8")
    assert index.count("from the cache") == len(second)

    edited = folder / "01_what_was_coded.ipynb"
    nb = nbformat.read(edited, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("An added note."))
    nbformat.write(nb, edited)
    third = run(folder, tmp_path / "third", store, figure_formats=formats)
    assert [name for name, cached in third.items() if not cached] == ["01_what_was_coded"]
    index = (tmp_path / "third" / "index.html").read_text(encoding="utf-8")
    assert index.count("from the cache") == len(third) - 1
    assert "An added note." in (tmp_path / "third" / "01_what_was_coded.html").read_text(
        encoding="utf-8")


def test_parameters_rerun_only_the_notebooks_that_declare_them(two_notebooks, tmp_path):
    store = tmp_path / "cache"
    assert run(two_notebooks, tmp_path / "a", store, parameters={"base_year": 2020}) == {
        "01_one": False, "02_two": False}
    assert run(two_notebooks, tmp_path / "b", store, parameters={"base_year": 2021}) == {
        "01_one": False, "02_two": True}
    assert "2021 numpy" in (tmp_path / "b" / "01_one.ipynb").read_text(encoding="utf-8")
    assert run(two_notebooks, tmp_path / "c", store, parameters={"base_year": 2020}) == {
        "01_one": True, "02_two": True}  # the earlier entry is still there


def test_a_change_to_the_data_or_the_library_reruns_every_notebook(two_notebooks, tmp_path,
                                                                    monkeypatch):
    """Any file under the data folder (one cell, or a new table) and any file of the
    coopstats package is part of every notebook's key."""
    from coopstats.dataset import locations

    data, library = tmp_path / "data", tmp_path / "library"
    shutil.copytree(DATA, data)
    shutil.copytree(cache.LIBRARY, library, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(locations, "data_dir", lambda: data)
    monkeypatch.setattr(cache, "LIBRARY", library)
    store, everything = tmp_path / "cache", {"01_one": False, "02_two": False}
    assert run(two_notebooks, tmp_path / "a", store) == everything
    assert all(run(two_notebooks, tmp_path / "b", store).values())

    facts = next((data / "facts").glob("*.csv"))
    facts.write_text(facts.read_text(encoding="utf-8").replace("近", "约", 1), encoding="utf-8")
    assert run(two_notebooks, tmp_path / "c", store) == everything
    (data / "context" / "new_table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert run(two_notebooks, tmp_path / "d", store) == everything
    (library / "intensity.py").write_text("# edited\n", encoding="utf-8")
    assert run(two_notebooks, tmp_path / "e", store) == everything
    assert all(run(two_notebooks, tmp_path / "f", store).values())


def test_another_version_of_an_imported_library_reruns_the_notebook(two_notebooks, tmp_path):
    """Each entry records the libraries its kernel imported (numpy, for 01) with their
    versions; an entry whose versions are not those installed is not used."""
    store = tmp_path / "cache"
    run(two_notebooks, tmp_path / "a", store)
    (entry,) = (store / "01_one").glob("*/entry.json")
    meta = json.loads(entry.read_text(encoding="utf-8"))
    assert "numpy" in meta["libraries"] and "nbconvert" in meta["libraries"]
    meta["libraries"]["numpy"] = "0.0.1"
    entry.write_text(json.dumps(meta), encoding="utf-8")
    assert run(two_notebooks, tmp_path / "b", store) == {"01_one": False, "02_two": True}


def test_the_command_caches_in_the_output_folder_and_force_runs_everything(two_notebooks,
                                                                           tmp_path, capsys):
    from coopstats.cli import main

    args = ["notebooks", "--notebooks", str(two_notebooks), "--out", str(tmp_path / "out")]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert first.startswith("running 2 notebooks with 2 worker(s)")
    assert "from the cache" not in first
    assert sorted(p.name for p in (tmp_path / "out" / ".cache").iterdir()) == [
        "01_one", "02_two"]
    assert main(args) == 0
    second = capsys.readouterr().out.splitlines()
    assert second[0].startswith("running 0 of 2 notebooks with 2 worker(s)")
    assert second[0].endswith("(2 from the cache; --force reruns them)")
    assert second[1].startswith("[1/2] 01_one from the cache (ran in ")
    assert main([*args, "--force"]) == 0
    forced = capsys.readouterr().out
    assert "from the cache" not in forced and "[2/2] " in forced


def test_the_key_is_every_file_under_the_data_folder_and_the_sources(tmp_path, sources):
    data, articles = tmp_path / "data", tmp_path / "sources"
    shutil.copytree(DATA, data)
    shutil.copytree(sources, articles)

    def key() -> str:
        return cache.inputs_digest(data_dir=data, sources=articles)

    before = key()
    assert key() == before
    (data / "facts" / "sub").mkdir()
    (data / "facts" / "sub" / "x.csv").write_text("x\n", encoding="utf-8")
    after_new_file = key()
    assert after_new_file != before
    article = next(articles.iterdir())
    article.write_bytes(article.read_bytes() + b" ")
    assert key() != after_new_file
    assert cache.inputs_digest(data_dir=data) != key()  # another sources folder


def test_a_cache_that_cannot_be_written_is_a_note_not_a_failure(two_notebooks, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    lines: list[str] = []
    results = run_all(two_notebooks, tmp_path / "out", jobs=2, cache=blocker / "cache",
                      progress=lines.append)
    assert [r.cached for r in results] == [False, False]
    notes = [ln for ln in lines if ln.startswith("note: ")]
    assert len(notes) == 2 and all("not kept in the cache" in n for n in notes), lines
    assert (tmp_path / "out" / "index.html").is_file()
