"""Every notebook runs top to bottom in a fresh kernel through the same runner as
``make notebooks``, and a failing cell is reported with notebook, cell and error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coopstats.runner import NotebookError, find_notebooks, parameter_names, run_all

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def notebook(*cells, folder: Path | None = None, name: str = "01_x.ipynb"):
    """A small python3 notebook of ``cells`` (strings are code cells); written as
    ``folder/name`` when a folder is given (created if needed)."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(c) if isinstance(c, str) else c for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / name)
    return nb


def test_all_notebooks_run_and_write_the_report(report):
    out, results = report.out, report.results
    names = [p.stem for p in find_notebooks(NOTEBOOKS)]
    assert len(names) == 6 and [r.name for r in results] == names
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in names:
        assert (out / f"{name}.ipynb").is_file() and (out / f"{name}.html").is_file()
        assert f'href="{name}.html"' in index
    pngs = sorted((out / "figures").glob("*.png"))
    assert len(pngs) >= 8
    for png in pngs:
        assert png.with_suffix(".svg").is_file()
        assert f"figures/{png.name}" in index
    for r in results:
        assert r.title and r.summary


def test_no_error_outputs_and_no_warnings_in_executed_notebooks(report):
    out = report.out
    for path in sorted(out.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                assert o.get("output_type") != "error", path.name
                # a student should see no red boxes: no warnings, no log notes
                assert o.get("name") != "stderr", (path.name, o.get("text", "")[:300])


def test_every_notebook_has_a_parameters_cell():
    for path in find_notebooks(NOTEBOOKS):
        assert parameter_names(nbformat.read(path, as_version=4)), path.name


def test_failing_cell_is_reported_with_notebook_and_cell(tmp_path):
    folder = tmp_path / "nb"
    notebook(nbformat.v4.new_markdown_cell("# Broken\nA notebook that fails."), "x = 1",
             "raise ValueError('bad input here')", folder=folder, name="01_broken.ipynb")
    with pytest.raises(NotebookError) as info:
        run_all(folder, tmp_path / "out", jobs=1, progress=lambda msg: None)
    message = str(info.value)
    assert "01_broken.ipynb: cell 2: ValueError: bad input here" in message
    assert not (tmp_path / "out" / "01_broken.ipynb").exists()


def test_parameters_reach_only_notebooks_that_declare_them(tmp_path):
    nb = nbformat.read(NOTEBOOKS / "06_adapt_it.ipynb", as_version=4)
    assert {"pairing_id", "base_year", "denominator"} <= parameter_names(nb)
    assert "pairing_id" not in parameter_names(
        nbformat.read(NOTEBOOKS / "01_what_was_coded.ipynb", as_version=4))


def test_cli_exit_code_on_failure(tmp_path, capsys):
    from coopstats.cli import main

    folder = tmp_path / "nb"
    notebook("1 / 0", folder=folder, name="01_zero.ipynb")
    rc = main(["notebooks", "--notebooks", str(folder), "--out", str(tmp_path / "out"),
               "-j", "1"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "01_zero.ipynb: cell 0: ZeroDivisionError" in err and "Traceback" not in err


def test_a_kernel_that_dies_at_start_up_is_replaced(monkeypatch):
    """Parallel kernels can race for a port; the loser dies before running a cell. The
    runner starts another kernel instead of failing the notebook."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    from coopstats.runner import _execute_with_retry

    real, calls = NotebookClient.execute, []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise DeadKernelError("Kernel died before replying to kernel_info")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(NotebookClient, "execute", flaky)
    done = _execute_with_retry(notebook("print(6 * 7)"), NOTEBOOKS / "x.ipynb", timeout=120)
    assert len(calls) == 2
    assert done.cells[0].outputs[0]["text"] == "42\n"


def test_cli_figure_formats_reach_the_kernels(tmp_path, capsys):
    """``--figure-formats png,pdf`` writes a PDF beside each PNG; an unknown format is a
    usage error (exit 2, one line naming it) before any kernel starts."""
    from coopstats.cli import main

    folder = tmp_path / "nb"
    notebook("import matplotlib.pyplot as plt\nfrom coopstats import plotting\n"
             "fig, ax = plt.subplots()\nax.plot([1, 2])\nplotting.save(fig, 'line')",
             folder=folder, name="01_line.ipynb")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as info:
        main(["notebooks", "--notebooks", str(folder), "--out", str(out),
              "--figure-formats", "png,eps"])
    assert info.value.code == 2
    assert "unknown figure format 'eps'" in capsys.readouterr().err
    assert not out.exists()
    # the console command in a fresh process: its console shows progress lines only (the
    # kernels' own warnings about TCP and shutdown are not printed)
    cli = Path(sys.executable).with_name("coopstats")
    done = subprocess.run([str(cli), "notebooks", "--notebooks", str(folder), "--out",
                           str(out), "-j", "1", "--figure-formats", "pdf"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("running 1 notebooks"), lines
    assert lines[1].startswith("[1/1] 01_line ok (") and lines[2] == f"wrote {out}/index.html"
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["line.pdf", "line.png"]
    assert (out / "01_line.html").is_file()


def test_a_page_that_cannot_be_written_is_one_clear_error(tmp_path, monkeypatch):
    from coopstats import runner

    folder = tmp_path / "nb"
    notebook("x = 1", folder=folder, name="01_ok.ipynb")

    def broken(*args, **kwargs):
        raise KeyError("template block")

    monkeypatch.setattr(runner, "_write_page", broken)
    with pytest.raises(NotebookError, match=r"01_ok.ipynb: writing its HTML page: KeyError"):
        run_all(folder, tmp_path / "out", jobs=1, progress=lambda msg: None)
    with pytest.raises(ValueError, match="unknown figure format 'gif'"):
        run_all(folder, tmp_path / "out", figure_formats=("png", "gif"))
