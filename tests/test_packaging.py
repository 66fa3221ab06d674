"""The project's metadata agrees with itself: environment.yml vs pyproject.toml, notebooks
stored without outputs and in sync with their jupytext twins, citation and data version."""

from __future__ import annotations

import re
from importlib.metadata import requires
from pathlib import Path

import jupytext
import nbformat
import pytest

import coopstats

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CONDA_NAMES = {"playwright-python": "playwright"}  # conda-forge name -> PyPI name


def _name(req: str) -> tuple[str, str]:
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", req)
    assert m, req
    return m.group(1).lower(), m.group(2).replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    # the installed package's metadata is pyproject.toml's dependencies and extras
    wanted = dict(_name(r.split(";")[0]) for r in requires("coopstats")
                  if not r.startswith("coopstats"))
    env_lines = (REPO / "environment.yml").read_text(encoding="utf-8").splitlines()
    deps = env_lines[env_lines.index("dependencies:") + 1:]
    listed = dict(_name(ln.strip()[2:]) for ln in deps
                  if re.match(r"^  - [a-z]", ln) and ln.strip() not in ("- pip", "- pip:"))
    listed.pop("python")
    for conda_name, pip_name in CONDA_NAMES.items():  # same package, another name
        if conda_name in listed:
            listed[pip_name] = listed.pop(conda_name)
    assert listed == wanted
    assert "      - -e ." in env_lines


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name}: cell {i} has outputs (clear them)"
            assert cell.execution_count is None, f"{path.name}: cell {i} has a count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_matches_its_py_percent_twin(path):
    twin = path.with_suffix(".py")
    assert twin.is_file(), f"{twin.name} missing: run jupytext --sync {path.name}"
    a = [(c.cell_type, c.source.strip()) for c in nbformat.read(path, as_version=4).cells]
    b = [(c.cell_type, c.source.strip()) for c in jupytext.read(twin).cells]
    assert a == b, f"{path.name} and {twin.name} differ: run jupytext --sync {path.name}"


def test_citation_and_data_version_agree():
    cff = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{coopstats.__data_version__}"' in cff
    assert f'version: "{coopstats.__version__}"' in cff
    assert coopstats.__data_version__ in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "type: dataset" in cff


def test_the_study_does_not_load_the_report_machinery():
    """``import coopstats; coopstats.load_all()`` (and the validator) load neither the report
    package nor matplotlib, nbclient, nbconvert, papermill or playwright."""
    import subprocess
    import sys

    code = ("import sys, coopstats; coopstats.load_all(); coopstats.validate(); "
            "heavy = {'matplotlib', 'nbclient', 'nbconvert', 'papermill', 'playwright', "
            "'seaborn', 'scipy'}; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy "
            "or m.startswith('coopstats.report')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def _collected(*args: str) -> int:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                           "-p", "no:cacheprovider", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    last = done.stdout.strip().splitlines()[-1]
    return int(re.match(r"(\d+)", last).group(1))


@pytest.mark.slow
def test_the_readme_counts_the_fast_loop_s_tests():
    """README: "runs the other N of M" is what pytest collects, with and without -m "not
    slow" (the count had fallen behind a test added later)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    fast, total = (int(n.replace(",", "")) for n in
                   re.search(r"runs the other ([\d,]+) of ([\d,]+):", text).groups())
    assert (fast, total) == (_collected("-m", "not slow"), _collected())
