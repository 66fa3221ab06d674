"""Every notebook runs top to bottom in a fresh kernel through the same runner as
``make notebooks``, and a failing cell is reported with notebook, cell and error."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import as_from_a_terminal, shared_run

from coopstats.report.run import NotebookError, find_notebooks, parameter_names, run_all

# runs notebooks, kernels or a browser: part of make test, not of the fast loop
pytestmark = pytest.mark.slow

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
    assert len(names) == 7 and [r.name for r in results] == names
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


def test_every_parameter_a_notebook_uses_is_declared_in_its_parameters_cell():
    """A notebook declares exactly the parameters it uses: each name with a rule in
    coopstats.dataset.parameters that its code reads is in its parameters cell, and each name in
    that cell is read elsewhere (no dead parameters such as the old figure_prefix, which let
    -p write figures outside --out). Notebook 01 uses none and has no parameters cell."""
    import ast

    from coopstats.dataset.parameters import SPECS, declared

    declares = {}
    for path in find_notebooks(NOTEBOOKS):
        nb = nbformat.read(path, as_version=4)
        names = declared(nb)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code"
                         and "parameters" not in c.metadata.get("tags", []))
        used = {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}
        assert (set(SPECS) & used) <= set(names), path.name
        assert set(names) <= used, (path.name, set(names) - used)
        assert "figure_prefix" not in names
        declares[path.stem] = set(names)
    assert declares["06_adapt_it"] == {"pairing_id", "base_year", "denominator", "per_people"}
    assert declares["01_what_was_coded"] == set()


def test_the_notebooks_default_base_year_is_the_librarys():
    """The price year is declared once in the library (coopstats.analysis.intensity.BASE_YEAR, the
    default of compare, rates, increment_rates, sensitivity.draws and the map); a notebook's
    parameters cell must state the same year, or its figures and the map disagree."""
    from coopstats.analysis.intensity import BASE_YEAR
    from coopstats.dataset.parameters import declared

    years = {path.stem: declared(nbformat.read(path, as_version=4)).get("base_year")
             for path in find_notebooks(NOTEBOOKS)}
    stated = {name: year for name, year in years.items() if year is not None}
    assert set(stated) == {"03_aid_intensity", "04_outcomes", "05_sensitivity", "06_adapt_it",
                           "07_time"}
    assert set(stated.values()) == {BASE_YEAR}


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

    from coopstats.report.kernels import _execute_with_retry

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
    notebook("import matplotlib.pyplot as plt\nfrom coopstats.figures import plotting\n"
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
    from coopstats.report import run as runner

    folder = tmp_path / "nb"
    notebook("x = 1", folder=folder, name="01_ok.ipynb")

    def broken(*args, **kwargs):
        raise KeyError("template block")

    monkeypatch.setattr(runner, "write_page", broken)
    with pytest.raises(NotebookError, match=r"01_ok.ipynb: writing its HTML page: KeyError"):
        run_all(folder, tmp_path / "out", jobs=1, progress=lambda msg: None)
    with pytest.raises(ValueError, match="unknown figure format 'gif'"):
        run_all(folder, tmp_path / "out", figure_formats=("png", "gif"))


# --- parameters on the real notebooks (README: coopstats notebooks -p NAME=VALUE) ----------


def _injected(nb) -> list[str]:
    """The assignments of the cell tagged injected-parameters (none: [])."""
    cells = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(cells) <= 1
    return [ln for ln in cells[0].source.splitlines() if not ln.startswith("#")] if cells else []


def _p(values: dict) -> list[str]:
    return [arg for k, v in values.items() for arg in ("-p", f"{k}={v}")]


def test_parameters_reach_the_real_notebook_06_alone(tmp_path, capsys, request):
    """06 run alone twice into one --out, from a folder holding only a copy of it and from
    its own file, with other pairings, denominators and base years: each run's values are
    in the executed notebook, reach the code (the pairing it prints) and name its figure,
    so the second run does not overwrite the first one's figure. The copy sits in a folder
    of its own right under the system's temporary folder (``mktemp -d``, as a student or the
    project's hook makes one), where the walkthrough's own temporary folder is a sibling."""
    import shutil
    import tempfile

    from coopstats.cli import main

    folder = Path(tempfile.mkdtemp(prefix="only06-"))
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
    shutil.copy(NOTEBOOKS / "06_adapt_it.ipynb", folder)
    out = tmp_path / "out"
    runs = [(folder, {"pairing_id": "qingdao_dingxi", "base_year": 2020,
                      "denominator": "none"}, "Dingxi"),
            (NOTEBOOKS / "06_adapt_it.ipynb",
             {"pairing_id": "dezhou_xiushan", "base_year": 2015,
              "denominator": "donor_population", "per_people": 1000}, "Xiushan")]
    for where, values, recipient in runs:
        rc = main(["notebooks", "--notebooks", str(where), "--out", str(out), "-j", "2",
                   *_p(values)])
        captured = capsys.readouterr()
        assert rc == 0, captured.err
        assert "[1/1] 06_adapt_it ok" in captured.out
        nb = nbformat.read(out / "06_adapt_it.ipynb", as_version=4)
        assert _injected(nb) == [f"{k} = {v!r}" for k, v in values.items()]
        printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                          for o in c.outputs if o.get("name") == "stdout")
        assert f"→ {recipient}" in printed
        per = values.get("per_people", 100_000)
        figure = (f"06_{values['pairing_id']}_{values['base_year']}_{values['denominator']}"
                  f"_per{per:g}_position.png")
        assert (out / "figures" / figure).is_file()
    assert len(list((out / "figures").glob("06_*_position.png"))) == 2
    # (.cache is the notebook cache, kept by design; .figures-* would be staging folders)
    assert [p.name for p in out.glob(".*")] == [".cache"], "staging folders left behind"


def readme_example() -> list[str]:
    """The arguments of README's parameter example (``.venv/bin/coopstats notebooks -p …``),
    as the README prints it."""
    import re

    text = (NOTEBOOKS.parent / "README.md").read_text(encoding="utf-8")
    found = re.search(r"e\.g\. `\.venv/bin/coopstats\s+(notebooks[^`]*)`", text)
    assert found, "README's parameter example (e.g. `.venv/bin/coopstats notebooks -p …`)"
    return found.group(1).split()


@dataclass
class ConsoleRun:
    out: Path
    returncode: int
    stdout: str
    stderr: str


def _run_readme_example(root: Path) -> ConsoleRun:
    cli = Path(sys.executable).with_name("coopstats")
    out = root / "build"  # the README's run writes into build/: here a folder of the test's
    done = subprocess.run([str(cli), *readme_example(), "--out", str(out), "-j", "2"],
                          capture_output=True, text=True, timeout=600, cwd=NOTEBOOKS.parent)
    return ConsoleRun(out, done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def readme_run(tmp_path_factory, worker_id) -> ConsoleRun:
    """README's parameter example run once as a console command, shared by the tests that
    read it: its own test, and the denominator test for the denominator it passes."""
    return shared_run(tmp_path_factory, worker_id, "readme-example", _run_readme_example)


def test_the_readme_parameter_example_runs_every_notebook(readme_run):
    """README: `coopstats notebooks -p base_year=2020 -p pairing_id=qingdao_dingxi -p
    denominator=recipient_counties`, as a console command: every notebook runs, each gets
    the parameters it declares (and only those), and the console shows progress lines
    only."""
    assert readme_example() == ["notebooks", "-p", "base_year=2020", "-p",
                                "pairing_id=qingdao_dingxi", "-p",
                                "denominator=recipient_counties"]
    done, out = readme_run, readme_run.out
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert sum(" ok (" in ln for ln in done.stdout.splitlines()) == 7
    injected = {p.stem: _injected(nbformat.read(p, as_version=4))
                for p in sorted(out.glob("*.ipynb"))}
    both = ["base_year = 2020", "denominator = 'recipient_counties'"]
    assert injected == {
        "01_what_was_coded": [], "02_pairing_profiles": [],
        "03_aid_intensity": both, "04_outcomes": both, "05_sensitivity": both,
        "06_adapt_it": ["base_year = 2020", "pairing_id = 'qingdao_dingxi'",
                        "denominator = 'recipient_counties'"],
        "07_time": both}
    assert (out / "figures" /
            "06_qingdao_dingxi_2020_recipient_counties_per100000_position.png").is_file()


# --- Ctrl-C, console noise, dying kernels ----------------------------------------------------

SLEEPER = ("import os, pathlib, time\n"
           "pathlib.Path({marks!r}, {name!r} + '.' + str(os.getpid())).touch()\n"
           "time.sleep(300)")


def _running(pid: int) -> bool:
    """Whether a process is alive (a zombie waiting to be reaped is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.parametrize("to", ["parent", "process group"])
def test_ctrl_c_stops_a_notebook_run_at_once(tmp_path, to):
    """SIGINT to the command (or, as a terminal sends it, to its whole process group) while
    two of four slow notebooks run: exit 130 within seconds with one line; the queued
    notebooks never start; the running kernels are gone, with their connection files; no
    file is written under --out."""
    import os
    import signal
    import time

    folder, marks, out, runtime = (tmp_path / d for d in ("nb", "marks", "out", "runtime"))
    marks.mkdir()
    for i in range(1, 5):
        notebook(SLEEPER.format(marks=str(marks), name=f"0{i}"), folder=folder,
                 name=f"0{i}_sleep.ipynb")
    cli = Path(sys.executable).with_name("coopstats")
    proc = subprocess.Popen(
        [str(cli), "notebooks", "--notebooks", str(folder), "--out", str(out), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)}, preexec_fn=as_from_a_terminal)
    try:
        deadline = time.monotonic() + 120
        while len(list(marks.iterdir())) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.1)
        sent = time.monotonic()
        if to == "parent":
            proc.send_signal(signal.SIGINT)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130 and stderr == "coopstats: interrupted\n", stderr
    assert took < 5, took
    assert stdout.splitlines()[0].startswith("running 4 notebooks") and \
        len(stdout.splitlines()) == 1
    started = sorted(p.name for p in marks.iterdir())
    assert [s.split(".")[0] for s in started] == ["01", "02"]
    assert list(out.rglob("*")) == []
    assert list(runtime.glob("kernel-*.json")) == []
    kernels = [int(s.split(".")[1]) for s in started]
    deadline = time.monotonic() + 5
    while any(map(_running, kernels)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, kernels))


NOISE = ("import os\n"
         "from ipykernel.kernelapp import IPKernelApp\n"
         "IPKernelApp.instance().log.error('KeyboardInterrupt caught in kernel.')\n"
         "os.write(2, b'zmq.error.ZMQError: Address already in use\\n')\n"
         "print('done')")


def test_the_kernels_console_output_does_not_reach_the_console(tmp_path):
    """What a kernel writes to its own stderr (ipykernel's log, tracebacks of a recovered
    port race) goes to the worker's log, not to the user's console."""
    folder = tmp_path / "nb"
    notebook(NOISE, folder=folder, name="01_noisy.ipynb")
    cli = Path(sys.executable).with_name("coopstats")
    done = subprocess.run([str(cli), "notebooks", "--notebooks", str(folder), "--out",
                           str(tmp_path / "out"), "-j", "2"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "caught in kernel" not in done.stdout and "ZMQError" not in done.stdout
    assert len(done.stdout.splitlines()) == 3


def test_a_dying_kernel_is_one_line_with_its_last_words(tmp_path, capsys):
    from coopstats.cli import main

    folder = tmp_path / "nb"
    notebook("from ipykernel.kernelapp import IPKernelApp\n"
             "IPKernelApp.instance().log.error('the last words')\n"
             "import os\nos._exit(9)", folder=folder, name="01_dies.ipynb")
    rc = main(["notebooks", "--notebooks", str(folder), "--out", str(tmp_path / "out"),
               "-j", "2"])
    err = capsys.readouterr().err
    assert rc == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "01_dies.ipynb: the kernel died" in err and "the last words" in err


def test_a_worker_that_dies_is_one_line(tmp_path, capsys):
    """The kernel kills the worker process that drives it (JPY_PARENT_PID: its parent when
    started from scratch; a forked kernel's parent is the fork server)."""
    from coopstats.cli import main

    folder = tmp_path / "nb"
    notebook("import os, signal\nos.kill(int(os.environ['JPY_PARENT_PID']), signal.SIGKILL)\n"
             "import time\ntime.sleep(30)", folder=folder, name="01_kills.ipynb")
    rc = main(["notebooks", "--notebooks", str(folder), "--out", str(tmp_path / "out"),
               "-j", "2"])
    err = capsys.readouterr().err
    assert rc == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "01_kills.ipynb: its worker process ended without a result" in err


def test_pages_show_the_prose_a_notebook_renders_not_its_code(report):
    """Cells tagged hide-input (prose rendered from the computed values) show their text in
    the HTML pages, not the code that renders it; the notebooks keep the code."""
    closing = {"03_aid_intensity": "What it cannot show", "04_outcomes": "What it cannot show",
               "05_sensitivity": "What no simulation repairs"}
    for name, words in closing.items():
        page = (report.out / f"{name}.html").read_text(encoding="utf-8")
        nb = nbformat.read(report.out / f"{name}.ipynb", as_version=4)
        hidden = [c for c in nb.cells if "hide-input" in c.metadata.get("tags", [])]
        assert hidden and all("say(" in c.source for c in hidden)
        assert all(any("text/markdown" in o.get("data", {}) for o in c.outputs) for c in hidden)
        assert "say(" not in page
        assert words in page


# --- notebooks on a copy of the data (README: Adding an article) ---------------------------

ENV_PROBE = ("import os\nimport coopstats\n"
             "print(coopstats.data_dir(), os.environ.get('COOPSTATS_SOURCES'))\n"
             "print(pairing_id in set(coopstats.load_pairings()['pairing_id'].astype(str)))")


def test_run_all_points_the_kernels_and_the_parameters_at_a_data_copy(data_copy, tmp_path,
                                                                      sources):
    """run_all(data_dir=…, sources=…) sets the kernels' $COOPSTATS_DATA_DIR and
    $COOPSTATS_SOURCES, and checks the parameters against that copy: a pairing only the
    copy has is accepted there and refused on the shipped data."""
    from coopstats.dataset.parameters import ParameterError

    with open(data_copy / "pairings.csv", "a", encoding="utf-8") as f:
        f.write("qingdao_heze_b,qingdao,heze,intra_provincial,,,,青岛与菏泽确定结对协作帮扶关系,"
                "qingdao_partners_2023,\n")
    folder = tmp_path / "nb"
    params = nbformat.v4.new_code_cell("pairing_id = 'rizhao_qianjiang'",
                                       metadata={"tags": ["parameters"]})
    notebook(params, ENV_PROBE, folder=folder, name="01_probe.ipynb")
    with pytest.raises(ParameterError, match="unknown pairing 'qingdao_heze_b'"):
        run_all(folder, tmp_path / "refused", jobs=1, progress=lambda msg: None,
                parameters={"pairing_id": "qingdao_heze_b"})
    run_all(folder, tmp_path / "out", jobs=1, progress=lambda msg: None,
            parameters={"pairing_id": "qingdao_heze_b"}, data_dir=data_copy, sources=sources)
    nb = nbformat.read(tmp_path / "out" / "01_probe.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert printed == f"{data_copy.resolve()} {sources.resolve()}\nTrue\n"


def test_notebook_06_on_a_copy_with_an_added_article_shows_its_figures(added_article,
                                                                       tmp_path, capsys):
    """README: `coopstats notebooks --data-dir mydata --sources mysources`: notebook 06 for
    the new article's pairing lists the new article's figures, and its walk-through
    validates against the copy (the new article's quotes included)."""
    from coopstats.cli import main

    data, src = added_article
    out = tmp_path / "out"
    rc = main(["notebooks", "--notebooks", str(NOTEBOOKS / "06_adapt_it.ipynb"), "--out",
               str(out), "--data-dir", str(data), "--sources", str(src),
               "-p", "pairing_id=qingdao_heze"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    nb = nbformat.read(out / "06_adapt_it.ipynb", as_version=4)
    shown = "".join(str(o.get("data", {}).get("text/plain", "")) + o.get("text", "")
                    for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "qh-001" in shown and "1.2亿元" in shown and "35个" in shown
    assert "clean: the new article validates" in shown


def test_notebooks_on_a_data_copy_that_does_not_validate_run_nothing(data_copy, tmp_path,
                                                                    capsys):
    from coopstats.cli import main

    (data_copy / "places.csv").write_text(
        (data_copy / "places.csv").read_text(encoding="utf-8").replace("31.95", "99.5", 1),
        encoding="utf-8")
    rc = main(["notebooks", "--out", str(tmp_path / "out"), "--data-dir", str(data_copy)])
    captured = capsys.readouterr()
    assert rc == 1 and "latitude" in captured.out and "no notebook was run" in captured.err
    assert not (tmp_path / "out").exists()


def test_notebook_06_runs_where_the_source_articles_are_not_beside_the_clone(tmp_path):
    """A newcomer's copy without ../shared/seeds (a download, a clone elsewhere): every
    notebook must still run. 06's walk-through validated its copy against a sources folder
    holding only the new article and then loaded it with those sources, so the five
    originals were "not found" and the notebook failed (as ``make bench``'s fresh clone
    showed)."""
    import os
    import shutil

    repo = Path(__file__).resolve().parent.parent
    clone = tmp_path / "elsewhere" / "coopstats"
    for part in ("coopstats", "data", "notebooks"):
        shutil.copytree(repo / part, clone / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("COOPSTATS_SOURCES", "COOPSTATS_DATA_DIR")}
    env["PYTHONPATH"] = str(clone)  # the copy's package, data and (missing) sources
    proc = subprocess.run(
        [sys.executable, "-m", "coopstats.cli", "notebooks", "--notebooks",
         str(clone / "notebooks" / "06_adapt_it.ipynb"), "--out", str(tmp_path / "out")],
        env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    nb = nbformat.read(tmp_path / "out" / "06_adapt_it.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.outputs if o.get("name") == "stdout")
    assert "clean: the new article validates" in printed


@pytest.mark.parametrize("denominator", ["donor_revenue", "recipient_counties"])
def test_the_notebooks_that_compare_run_with_any_denominator(tmp_path, capsys, denominator,
                                                             request):
    """03, 04, 05 and 07 with a donor-side share (where few pairings have a share) and with a
    count of counties (where a measure may have no pairing to draw): each runs to the end
    with the value injected, without an error output. README's parameter example passes
    the count of counties: that run is read here rather than repeated."""
    import shutil

    from coopstats.cli import main

    names = ["03_aid_intensity", "04_outcomes", "05_sensitivity", "07_time"]
    if f"denominator={denominator}" in readme_example():
        run = request.getfixturevalue("readme_run")
        assert run.returncode == 0, run.stderr
        out = run.out
    else:
        folder = tmp_path / "nb"
        folder.mkdir()
        for name in names:
            shutil.copy(NOTEBOOKS / f"{name}.ipynb", folder)
        out = tmp_path / "out"
        rc = main(["notebooks", "--notebooks", str(folder), "--out", str(out), "-j", "2",
                   "-p", f"denominator={denominator}"])
        captured = capsys.readouterr()
        assert rc == 0, captured.err
    for name in names:
        nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
        assert f"denominator = {denominator!r}" in _injected(nb)
        assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                    if o.get("output_type") == "error"], name
