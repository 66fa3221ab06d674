"""Kernels forked from the run's fork server (coopstats.report.kernel_forks): fresh kernels
with the libraries already imported, whose outputs are exactly those of kernels started
from scratch."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from test_notebooks import notebook

from coopstats.report import kernel_forks
from coopstats.report.run import run_all

# runs notebooks, kernels or a browser: part of make test, not of the fast loop
pytestmark = pytest.mark.slow

NOTEBOOKS = REPO / "notebooks"
PROBE = ("import os, sys\n"
         "print(os.getppid() == int(os.environ['JPY_PARENT_PID']), 'pandas' in sys.modules)\n"
         "print(os.getcwd(), sys.path, sys.argv[0], sorted(sys.modules['__main__'].__dict__))")


def probe(folder: Path, out: Path, imports: str = "import pandas") -> tuple[str, str]:
    """Run a notebook that says whether its kernel is the worker's child (started from
    scratch) and whether pandas was imported before its first cell; and its working folder,
    module path, command line and the names in its namespace. Its second cell ``imports``
    (what the server imports depends on it)."""
    notebook(PROBE, imports, folder=folder, name="01_probe.ipynb")
    run_all(folder, out, jobs=1, progress=lambda msg: None)
    nb = nbformat.read(out / "01_probe.ipynb", as_version=4)
    first, rest = nb.cells[0].outputs[0]["text"].split("\n", 1)
    return first, rest.replace(str(folder), "FOLDER")


def our_fork_servers() -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"coopstats.report.kernel_forks" in cmdline and ppid == os.getpid():
            found.append(int(pid))
    return found


@pytest.mark.skipif(not kernel_forks.available(), reason="kernels are forked on Linux only")
def test_kernels_are_forked_with_the_libraries_imported(tmp_path, monkeypatch):
    forked, forked_state = probe(tmp_path / "a", tmp_path / "a-out")
    assert forked == "False True"
    monkeypatch.setenv("COOPSTATS_FORK_KERNELS", "0")
    scratch, scratch_state = probe(tmp_path / "b", tmp_path / "b-out")
    assert scratch == "True False"
    assert forked_state == scratch_state


@pytest.mark.skipif(not kernel_forks.available(), reason="kernels are forked on Linux only")
def test_the_server_imports_only_the_libraries_the_notebooks_import(tmp_path):
    """A run whose notebooks import numpy alone forks its kernels from a server that did not
    import pandas (≈ 1.3 s of CPU saved a run); the project's notebooks need every library."""
    forked, _ = probe(tmp_path / "a", tmp_path / "a-out", imports="import numpy")
    assert forked == "False False"
    assert kernel_forks.preload_for(sorted(NOTEBOOKS.glob("*.ipynb"))) == kernel_forks.PRELOAD
    notebook("import numpy as np", folder=tmp_path / "b", name="01_np.ipynb")
    notebook("%matplotlib inline", folder=tmp_path / "b", name="02_mpl.ipynb")
    assert kernel_forks.preload_for(sorted((tmp_path / "b").glob("*.ipynb"))) == (
        *kernel_forks.KERNEL, "numpy", "matplotlib.pyplot", "PIL.PngImagePlugin")
    notebook("x = (", folder=tmp_path / "c", name="01_broken.ipynb")  # cannot parse: all
    assert kernel_forks.preload_for([tmp_path / "c" / "01_broken.ipynb"]) == \
        kernel_forks.PRELOAD


def test_a_forked_kernel_gives_the_outputs_of_a_kernel_started_from_scratch(report, tmp_path,
                                                                             monkeypatch):
    """Notebook 02 (tables: pandas decides at import whether it runs in a terminal and sizes
    a DataFrame's text by that), run in a kernel started from scratch, gives the bytes the
    report fixture's forked kernels gave."""
    monkeypatch.setenv("COOPSTATS_FORK_KERNELS", "0")
    out = tmp_path / "out"
    run_all(NOTEBOOKS / "02_pairing_profiles.ipynb", out, jobs=1,
            figure_formats=("png", "svg"), progress=lambda msg: None)
    written = sorted(p.relative_to(out) for p in out.rglob("*")
                     if p.is_file() and p.name != "index.html")
    assert len(written) > 2
    for rel in written:
        assert (out / rel).read_bytes() == (report.out / rel).read_bytes(), rel


@pytest.mark.skipif(not kernel_forks.available(), reason="kernels are forked on Linux only")
def test_the_next_run_reuses_the_server_and_stop_shared_stops_it(tmp_path):
    """The server starts before the parameters are checked (its imports overlap the check);
    a refused parameter, a run that the cache answers and a run that forks kernels all use
    this process's one server, which the next run with the same libraries reuses; after
    ``stop_shared`` there is none, and a refused run writes nothing."""
    from coopstats.dataset.parameters import ParameterError

    kernel_forks.stop_shared()
    with pytest.raises(ParameterError):
        run_all(NOTEBOOKS / "06_adapt_it.ipynb", tmp_path / "out",
                parameters={"pairing_id": "no_such_pairing"}, progress=lambda msg: None)
    assert not (tmp_path / "out").exists()
    assert len(our_fork_servers()) == 1
    kernel_forks.stop_shared()
    assert our_fork_servers() == []
    notebook("print(1)", folder=tmp_path / "nb", name="01_one.ipynb")
    servers = []
    for _ in range(2):  # the second run comes from the cache
        run_all(tmp_path / "nb", tmp_path / "run", cache=tmp_path / "cache",
                progress=lambda msg: None)
        servers.append(our_fork_servers())
    probe(tmp_path / "a", tmp_path / "a-out", imports="import os")  # same libraries: none
    servers.append(our_fork_servers())
    assert len(servers[0]) == 1 and servers == [servers[0]] * 3
    kernel_forks.stop_shared()
    assert our_fork_servers() == []


@pytest.mark.skipif(not kernel_forks.available(), reason="kernels are forked on Linux only")
def test_runs_that_alternate_between_libraries_keep_a_server_for_each(tmp_path):
    """Runs of notebooks that import nothing, numpy and Pillow, and the first again: the
    fourth reuses the first's server (a test session alternates between small notebooks and
    the project's). Another set of libraries replaces the server used least recently: a
    process keeps KEPT servers. (The quickest libraries to import of :data:`LIBRARIES`.)"""
    assert kernel_forks.KEPT == 3
    kernel_forks.stop_shared()
    sets = {"none": "print(1)", "numpy": "import numpy", "pillow": "import PIL",
            "both": "import numpy, PIL"}
    for name, code in sets.items():
        notebook(code, folder=tmp_path / name, name="01_x.ipynb")

    def run(name: str) -> int:
        run_all(tmp_path / name, tmp_path / f"out-{name}", progress=lambda msg: None)
        return kernel_forks._SHARED[0].process.pid

    pids = {name: run(name) for name in ("none", "numpy", "pillow")}
    assert len(set(pids.values())) == 3 and run("none") == pids["none"]
    assert sorted(our_fork_servers()) == sorted(pids.values())
    both = run("both")  # numpy's was used least recently
    assert [s.process.pid for s in kernel_forks._SHARED] == [both, pids["none"],
                                                             pids["pillow"]]
    assert sorted(our_fork_servers()) == sorted([both, pids["none"], pids["pillow"]])
    kernel_forks.stop_shared()
    assert our_fork_servers() == []


@pytest.mark.skipif(not kernel_forks.available(), reason="kernels are forked on Linux only")
def test_the_server_ends_with_the_process_that_started_it(tmp_path):
    """A run in a process of its own (``coopstats notebooks``) leaves no server behind when
    that process ends."""
    import subprocess
    import sys
    import time

    notebook("print(1)", folder=tmp_path / "nb", name="01_one.ipynb")
    code = ("from pathlib import Path\nfrom coopstats.report import kernel_forks\n"
            "from coopstats.report.run import run_all\n"
            f"run_all(Path({str(tmp_path / 'nb')!r}), Path({str(tmp_path / 'out')!r}), "
            "progress=lambda msg: None)\n"
            "print(kernel_forks._SHARED[0].process.pid)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.split()[-1])
    deadline = time.monotonic() + 30
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists(), "the fork server outlived its process"


@pytest.mark.skipif(not kernel_forks.available(), reason="kernels are forked on Linux only")
def test_an_idle_server_exits_and_the_next_run_starts_another(tmp_path, monkeypatch):
    """A server with no kernel for IDLE_SECONDS exits by itself, which it can only do once
    the run has shut its notebook's kernel down (nbclient leaves alone a kernel manager it
    is given: the forked kernels used to live on until their server was stopped); the next
    run does not try the one it knows is about to exit, and starts a fresh one."""
    monkeypatch.setattr(kernel_forks, "IDLE_SECONDS", 1.0)
    kernel_forks.stop_shared()
    notebook("print(1)", folder=tmp_path / "nb", name="01_one.ipynb")
    run_all(tmp_path / "nb", tmp_path / "a", progress=lambda msg: None)
    first = kernel_forks._SHARED[0]
    assert first.process.wait(60) == 0  # exited by itself
    run_all(tmp_path / "nb", tmp_path / "b", progress=lambda msg: None)
    assert kernel_forks._SHARED[0] is not first and our_fork_servers() == [
        kernel_forks._SHARED[0].process.pid]
    kernel_forks.stop_shared()


def test_a_first_run_compiles_the_libraries_ahead_of_the_server(tmp_path, monkeypatch):
    """On a first run (a library of AHEAD not compiled yet) a helper process imports it,
    writing its bytecode while the server imports the kernel's modules; when everything is
    compiled already, or Python writes no bytecode, there is no helper."""
    package = tmp_path / "ahead_probe"
    package.mkdir()
    (package / "__init__.py").write_text("VALUE = 1\n")
    compiled = package / "__pycache__"
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    monkeypatch.setattr(kernel_forks, "AHEAD", ("ahead_probe",))
    monkeypatch.setattr("sys.dont_write_bytecode", True)
    assert kernel_forks._compile_ahead() is None
    monkeypatch.setattr("sys.dont_write_bytecode", False)
    helper = kernel_forks._compile_ahead()
    assert helper is not None and helper.wait(60) == 0
    assert list(compiled.glob("__init__.*.pyc"))
    assert kernel_forks._compile_ahead() is None  # compiled now: no helper
