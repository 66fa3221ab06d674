"""Shared fixtures: where the data and the source articles are.

Tests marked ``shipped_data`` pin numbers of the shipped dataset (headline numbers, counts of
coded facts): they run only on the shipped data and are skipped, with what differs, when the
data the tests read (``data/`` and ``coopstats.data_dir()``, i.e. ``$COOPSTATS_DATA_DIR``)
are not the shipped ones; in CI they fail instead (``tests/shipped_data.py``).

The evidence tests need the five source articles. They are found at ``$COOPSTATS_SOURCES`` or,
in a clone laid out as the project's CI lays it out, at ``../shared/seeds``. In CI
(``CI=true``) a missing sources folder fails the run instead of skipping the evidence tests.
"""

from __future__ import annotations

import hashlib
import os
import pickle
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


#: an article added to a copy of the data (a student's addition): its text, its articles.csv
#: row and its two coded figures
NEW_ARTICLE = {
    "source_file": "999_qingdao_heze_2024.txt",
    "text": "青岛菏泽协作（示例）\n\n2024年，青岛市投入财政帮扶资金1.2亿元，实施帮扶项目35个，"
            "支持菏泽产业发展。\n",
    "row": "qingdao_heze_2024,qh,999_qingdao_heze_2024.txt,青岛菏泽协作（示例）,"
           "Qingdao and Heze (an invented example),,,2025-03,month,"
           "an invented example of March 2025,simplified\n",
    "facts": [
        "qh-001,qingdao_heze_2024,qingdao_heze,pairing,,fiscal_aid_funds,1.2亿元,exact,achieved,"
        "2024,2024,2024年,stated,city,disbursed,not_applicable,flow,,,A,"
        "青岛市投入财政帮扶资金1.2亿元,invented example",
        "qh-002,qingdao_heze_2024,qingdao_heze,pairing,,aid_projects,35个,exact,achieved,"
        "2024,2024,2024年,stated,city,not_applicable,not_applicable,flow,,,A,"
        "实施帮扶项目35个,invented example"],
}


@pytest.fixture()
def added_article(tmp_path: Path, sources: Path) -> tuple[Path, Path]:
    """A copy of data/ with one more, correctly coded article, and a sources folder with
    the five articles and the new one: (data folder, sources folder)."""
    data, src = tmp_path / "mydata", tmp_path / "mysources"
    shutil.copytree(DATA, data)
    shutil.copytree(sources, src)
    (src / NEW_ARTICLE["source_file"]).write_text(NEW_ARTICLE["text"], encoding="utf-8")
    with open(data / "articles.csv", "a", encoding="utf-8") as f:
        f.write(NEW_ARTICLE["row"])
    header = (DATA / "facts" / "qingdao_partners_2023.csv").read_text(
        encoding="utf-8").splitlines()[0]
    (data / "facts" / "qingdao_heze_2024.csv").write_text(
        "\n".join([header, *NEW_ARTICLE["facts"]]) + "\n", encoding="utf-8")
    return data, src


def as_from_a_terminal() -> None:
    """``preexec_fn`` of a command a test interrupts with Ctrl-C: it starts with SIGINT at
    its default, as from a terminal. A process started in the background of a shell (``make
    test &``, a CI runner's job) inherits SIGINT ignored, and so would its commands: Python
    then leaves Ctrl-C ignored, and the test would wait for an interrupt that never comes."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def hash_tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path, but those whose path starts
    with one of ``skip`` (never read: another test may be writing them)."""
    files = ((str(p.relative_to(root)), p) for p in sorted(root.rglob("*")))
    return {rel: hashlib.sha256(p.read_bytes()).hexdigest() for rel, p in files
            if not rel.startswith(skip) and p.is_file()}


@dataclass
class Report:
    out: Path
    results: list
    data_before: dict[str, str]
    data_after: dict[str, str]
    cache: Path  # the notebook cache the run stored every notebook in


def _run_report(root: Path) -> Report:
    from coopstats.report.run import run_all

    before = hash_tree(DATA)
    # SVG too (``make notebooks FIGURES=png,svg``), so the rerun test covers vector files
    results = run_all(REPO / "notebooks", root / "build", jobs=2, cache=root / "cache",
                      figure_formats=("png", "svg"), progress=lambda msg: None)
    return Report(root / "build", results, before, hash_tree(DATA), root / "cache")


@pytest.fixture(scope="session")
def report(tmp_path_factory, sources, worker_id) -> Report:
    """Every notebook executed once through the runner (as ``make notebooks`` does, with a
    cache it stores every notebook in); shared by the notebook, browser, cache and
    reproducibility tests, and, when the tests run side by side (``pytest -n``), by every
    worker: the first to need it runs it, the others wait for it. Records data/ before and
    after. Tests read it and never write into it."""
    return shared_run(tmp_path_factory, worker_id, "report", _run_report)


def shared_run(tmp_path_factory, worker_id: str, name: str, make):
    """``make(folder)`` once per test session, shared by every worker (``pytest -n``): the
    first worker to ask runs it in a folder of the session's, the others wait for it and
    read its (pickled) result."""
    from filelock import FileLock

    if worker_id == "master":  # not under pytest-xdist
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / name  # the run's, for all workers
    with FileLock(f"{shared}.lock"):
        saved = shared / "result.pickle"
        if not saved.is_file():
            saved.parent.mkdir()
            saved.write_bytes(pickle.dumps(make(shared)))
        return pickle.loads(saved.read_bytes())


@pytest.fixture()
def configure_figures(monkeypatch):
    """``configure(out_dir=…, formats=…)`` for this test only: plotting's settings are
    restored afterwards (the runner calls it in each kernel; here the test process)."""
    from coopstats.figures import _figure_files, plotting

    monkeypatch.setattr(_figure_files, "_SETTINGS", dict(_figure_files._SETTINGS))
    return plotting.configure


def shipped_data_differences() -> str:
    """How the data the tests read differ from the shipped dataset ("" when they do not)."""
    from shipped_data import differences

    import coopstats

    roots = dict.fromkeys([DATA.resolve(), coopstats.data_dir().resolve()])
    return "; ".join(f"{root}: {d}" for root in roots if (d := differences(root)))


@pytest.fixture(autouse=True)
def _shipped_data_only(request):
    """A test marked ``shipped_data`` runs on the shipped dataset only (see the module)."""
    if request.node.get_closest_marker("shipped_data") is None:
        return
    diff = shipped_data_differences()
    if diff:
        unavailable("pins numbers of the shipped dataset, and the data differ from it "
                    f"({diff}); a correct addition does not make it fail. After a deliberate "
                    "change to data/, run: python tests/shipped_data.py --write")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(msg: str) -> None:
    """Something a test needs is missing: skip locally, fail in CI (CI=true)."""
    if in_ci():
        pytest.fail(msg)
    pytest.skip(msg)


#: fixtures that run every notebook, export every computed table, build a wheel or start a
#: browser: a test that uses one is ``slow`` (part of make test, not of the fast loop)
SLOW_FIXTURES = frozenset({"report", "readme_run", "exported", "installed_wheel", "chromium"})
#: doctests that compute a whole computed table (seconds each)
SLOW_DOCTESTS = frozenset({"coopstats.analysis.computed.rates_table"})


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.name in SLOW_DOCTESTS:
            item.add_marker(pytest.mark.slow)
