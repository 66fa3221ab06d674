"""Never lose data, rerun identically, need no network.

- No command changes a file under data/, and none will write into it when asked to.
- Every write goes to a temporary file renamed into place: a process killed in the middle of
  a write, or a Ctrl-C, leaves the previous file intact.
- Two runs of the notebooks give byte-identical notebooks, pages and figures.
- The loaders and a whole notebook run with Python's sockets disabled.
"""

from __future__ import annotations

import difflib
import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from conftest import DATA, REPO, as_from_a_terminal, hash_tree

import coopstats
from coopstats.cli import main
from coopstats.dataset import _atomic

# --- no command rewrites data/ --------------------------------------------------------------


def test_commands_leave_the_data_folder_unchanged(tmp_path, data_copy, sources, capsys):
    before_copy, before_repo = hash_tree(data_copy), hash_tree(DATA)
    runs = [
        ["validate", "--sources", str(sources)],
        ["validate", "--data-dir", str(data_copy), "--sources", str(sources)],
        ["describe", "facts"],
        ["export", "--format", "xlsx", "--out", str(tmp_path / "f.xlsx")],
        ["export", "--format", "csv", "--out", str(tmp_path / "f.csv"),
         "--data-dir", str(data_copy)],
        ["export", "--format", "json", "--out", str(tmp_path / "f.json")],
        ["datapackage", "--out", str(REPO / "datapackage.json")],  # rewrites it unchanged
    ]
    for args in runs:
        assert main(args) == 0, args
    capsys.readouterr()
    assert hash_tree(data_copy) == before_copy
    assert hash_tree(DATA) == before_repo


def test_running_the_notebooks_leaves_the_data_folder_unchanged(report):
    assert report.data_after == report.data_before


@pytest.mark.parametrize("args", [
    ["export", "--format", "csv", "--out", "{data}/facts/linyi_chengkou_2023.csv"],
    ["export", "--format", "json", "--out", "{data}/new.json"],
    ["datapackage", "--out", "{data}/datapackage.json"],
    ["notebooks", "--out", "{data}/build"],
], ids=["export-over-facts", "export-into-data", "datapackage", "notebooks"])
def test_commands_refuse_to_write_into_the_data_folder(args, capsys):
    before = hash_tree(DATA)
    rc = main([a.replace("{data}", str(DATA)) for a in args])
    err = capsys.readouterr().err
    assert rc == 2
    assert "refusing to write inside the data folder" in err and len(err.splitlines()) == 1
    assert hash_tree(DATA) == before


def test_export_refuses_to_write_into_the_data_dir_it_reads(data_copy, capsys):
    before = hash_tree(data_copy)
    rc = main(["export", "--format", "csv", "--data-dir", str(data_copy),
               "--out", str(data_copy / "facts" / "linyi_chengkou_2023.csv")])
    assert rc == 2 and "refusing" in capsys.readouterr().err
    assert hash_tree(data_copy) == before


def test_check_report_refuses_screenshots_inside_a_data_folder(data_copy, capsys):
    """The shipped data folder, and a copy of it (any folder that looks like one)."""
    report_in_copy = data_copy / "zz_report"
    report_in_copy.mkdir()
    (report_in_copy / "index.html").write_text("<!doctype html><title>r</title>",
                                               encoding="utf-8")
    before_copy, before_repo = hash_tree(data_copy), hash_tree(DATA)
    for folder in (DATA / "zz_report", report_in_copy, report_in_copy / "sub"):
        assert main(["check-report", str(folder)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"coopstats: {folder / 'screenshots'}: refusing to write inside "
                              "the data folder") and len(err.splitlines()) == 1, err
    assert hash_tree(data_copy) == before_copy and hash_tree(DATA) == before_repo
    assert not (DATA / "zz_report").exists()


# --- interrupted writes ---------------------------------------------------------------------

# Run a real coopstats command in a fresh process and SIGKILL it at a chosen point of the
# write: `fsync` (the new file is complete under its temporary name, not yet renamed) or
# `write` (half of the new content is on disk).
_KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    where = sys.argv[1]
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    if where == "fsync":
        os.fsync = die
    else:
        real = Path.write_text
        def half(self, text, *a, **k):
            real(self, text[: len(text) // 2], *a, **k)
            die()
        Path.write_text = half
    from coopstats.cli import main
    sys.exit(main(sys.argv[2:]))
""")


@pytest.mark.slow
@pytest.mark.parametrize("fmt,where", [("xlsx", "fsync"), ("csv", "fsync"), ("json", "fsync"),
                                       ("json", "write")])
def test_a_killed_command_leaves_the_old_file_intact(tmp_path, fmt, where):
    target = tmp_path / f"facts.{fmt}"
    old = b"the previous version of this file\n"
    target.write_bytes(old)
    args = ["export", "--format", fmt, "--out", str(target)]
    proc = subprocess.run([sys.executable, "-c", _KILLER, where, *args], capture_output=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-500:]
    assert target.read_bytes() == old
    # the killed process could not clean up: its temporary file is there, under another name
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != target.name]
    assert all(name.startswith(f".{target.stem}.") and ".tmp" in name for name in leftovers)


def test_ctrl_c_during_a_write_keeps_the_old_file_and_cleans_up(tmp_path):
    target = tmp_path / "index.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), _atomic.atomic_path(target) as tmp:
        tmp.write_text("new and hal", encoding="utf-8")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


# SIGTERM or SIGINT arrives while the new file is complete under its temporary name: the
# command stops with exit 130, keeps the old file and leaves no temporary file.
_SIGNALLER = textwrap.dedent("""
    import os, signal, sys
    sig = getattr(signal, sys.argv[1])
    real = os.fsync
    def fsync(fd):
        real(fd)
        os.kill(os.getpid(), sig)
    os.fsync = fsync
    from coopstats.cli import main
    sys.exit(main(sys.argv[2:]))
""")


@pytest.mark.slow
@pytest.mark.parametrize("fmt,sig", [("xlsx", "SIGTERM"), ("csv", "SIGTERM"),
                                     ("json", "SIGTERM"), ("json", "SIGINT")])
def test_sigterm_and_ctrl_c_leave_no_temporary_file(tmp_path, fmt, sig):
    target = tmp_path / f"facts.{fmt}"
    old = b"the previous version of this file\n"
    target.write_bytes(old)
    proc = subprocess.run([sys.executable, "-c", _SIGNALLER, sig, "export", "--format", fmt,
                           "--out", str(target)], capture_output=True, timeout=120,
                          cwd=tmp_path, preexec_fn=as_from_a_terminal)
    err = proc.stderr.decode()
    assert proc.returncode == 130, err[-500:]
    how = " (SIGTERM)" if sig == "SIGTERM" else ""
    assert err == f"coopstats: interrupted{how}\n"
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_figures_and_report_pages_are_written_atomically(tmp_path, monkeypatch,
                                                         configure_figures):
    """plotting.save and the report index both go through the same atomic path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from coopstats.figures import plotting
    from coopstats.report import pages

    configure_figures(out_dir=tmp_path / "figures")
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    plotting.save(fig, "f")
    old_png = (tmp_path / "figures" / "f.png").read_bytes()
    pages.write_index([], tmp_path)
    old_index = (tmp_path / "index.html").read_bytes()

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(_atomic.os, "replace", interrupted)
    ax.plot([1, 2], [4, 3])
    with pytest.raises(KeyboardInterrupt):
        plotting.save(fig, "f")
    with pytest.raises(KeyboardInterrupt):
        pages.write_index([pages.Result("01_x", 1.0, "s", "t")], tmp_path)
    plt.close(fig)
    assert (tmp_path / "figures" / "f.png").read_bytes() == old_png
    assert (tmp_path / "index.html").read_bytes() == old_index
    names = {p.name for p in tmp_path.rglob("*")}
    assert not any(".tmp" in n for n in names), names


# --- console: a closed pipe, a narrow encoding -----------------------------------------------


def _many_problems(data: Path, n: int = 3000, qualifier: str = "bogus") -> None:
    """Append ``n`` rows with an unknown qualifier to a facts file: about 2n problem lines."""
    import csv

    path = data / "facts" / "linyi_chengkou_2023.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    with path.open("a", encoding="utf-8", newline="") as f:
        for i in range(n):
            row = list(rows[1])
            row[head.index("fact_id")] = f"lc-{900 + i}"
            row[head.index("qualifier")] = qualifier
            csv.writer(f).writerow(row)


_CLI = Path(sys.executable).with_name("coopstats")


@pytest.mark.slow
@pytest.mark.parametrize(("args", "status"), [
    (["validate", "--data-dir", "{data}"], 1), (["describe", "facts"], 0)],
    ids=["validate-with-problems", "describe"])
def test_a_closed_pipe_keeps_the_exit_status(data_copy, args, status):
    """`coopstats validate … | head -2` under `set -o pipefail` fails a CI step."""
    _many_problems(data_copy)
    argv = [str(_CLI), *(a.replace("{data}", str(data_copy)) for a in args)]
    pipeline = f"set -o pipefail; {' '.join(argv)} | head -2"
    proc = subprocess.run(["bash", "-c", pipeline], capture_output=True, timeout=120)
    assert len(proc.stdout.decode().splitlines()) == 2
    assert proc.returncode == status, proc.stderr.decode()[-500:]
    assert "Error" not in proc.stderr.decode() and "internal" not in proc.stderr.decode()


@pytest.mark.slow
def test_a_narrow_console_encoding_escapes_what_it_cannot_show(data_copy):
    _many_problems(data_copy, n=1, qualifier="约")
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    proc = subprocess.run([str(_CLI), "validate", "--data-dir", str(data_copy)],
                          capture_output=True, timeout=120, env=env)
    out, err = proc.stdout.decode("latin-1"), proc.stderr.decode("latin-1")
    assert proc.returncode == 1 and "internal error" not in err, err
    assert "qualifier: '\\u7ea6' is not one of" in out


# --- reproducibility ------------------------------------------------------------------------


@pytest.mark.slow
def test_two_runs_of_the_notebooks_are_byte_identical(report, tmp_path):
    from coopstats.report.run import run_all

    second = tmp_path / "build"
    run_all(REPO / "notebooks", second, jobs=2, figure_formats=("png", "svg"),
            progress=lambda msg: None)
    # the report fixture ran with a cache, this run without one: a cache changes no byte
    first_files, second_files = hash_tree(report.out, skip=("screenshots",)), hash_tree(second)
    assert sorted(first_files) == sorted(second_files)
    differ = sorted(k for k in first_files if first_files[k] != second_files[k])
    details = []
    for name in (d for d in differ if d.endswith(".ipynb")):  # say which cell differs
        a = nbformat.read(report.out / name, as_version=4).cells
        b = nbformat.read(second / name, as_version=4).cells
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x.get("outputs") != y.get("outputs"):  # say how, to find the cause of a flake
                diff = difflib.unified_diff(str(x.get("outputs")).split("\\n"),
                                            str(y.get("outputs")).split("\\n"), lineterm="",
                                            n=0)
                details.append(f"{name}: cell {i}: " + " | ".join(list(diff)[2:8]))
    assert not differ, f"{differ} {details}"
    assert len([k for k in first_files if k.startswith("figures/")]) >= 16


@pytest.mark.slow
def test_what_a_cell_prints_in_pieces_is_one_output(tmp_path):
    """The kernel sends a cell's printing each time it flushes (every 0.2 s), so a slow
    machine cut 06's "clean: the new article validates" into two outputs where a fast one
    sent one, and two runs differed: the runner merges a cell's consecutive outputs to one
    stream, so how fast the cell ran does not show in the file."""
    from test_notebooks import notebook

    from coopstats.report.run import run_all

    folder = tmp_path / "nb"
    notebook("import sys, time\nprint('one')\nsys.stdout.flush()\ntime.sleep(0.5)\n"
             "print('two')\nprint('err', file=sys.stderr)", folder=folder)
    run_all(folder, tmp_path / "out", jobs=1, progress=lambda msg: None)
    outputs = nbformat.read(tmp_path / "out" / "01_x.ipynb", as_version=4).cells[0].outputs
    assert [(o["name"], o["text"]) for o in outputs] == [("stdout", "one\ntwo\n"),
                                                         ("stderr", "err\n")]


# --- no network -----------------------------------------------------------------------------

_NO_NETWORK = """\
import socket as _socket

class _NoNetwork(_socket.socket):
    def __init__(self, *args, **kwargs):
        raise OSError("network access is disabled in this test")

def _refuse(*args, **kwargs):
    raise OSError("network access is disabled in this test")
"""
_INSTALL = """
_socket.socket = _NoNetwork
_socket.create_connection = _refuse
_socket.getaddrinfo = _refuse
"""


def test_loaders_and_validation_need_no_network(monkeypatch, sources):
    namespace: dict = {}
    exec(_NO_NETWORK, namespace)  # the definitions only; monkeypatch installs and restores
    monkeypatch.setattr(socket, "socket", namespace["_NoNetwork"])
    monkeypatch.setattr(socket, "create_connection", namespace["_refuse"])
    monkeypatch.setattr(socket, "getaddrinfo", namespace["_refuse"])
    with pytest.raises(OSError, match="disabled"):
        socket.create_connection(("example.org", 80))
    data = coopstats.load_all(sources=sources)
    assert len(data.facts) > 100
    assert coopstats.validate(sources=sources) == []


@pytest.mark.slow
def test_a_notebook_runs_with_sockets_disabled(tmp_path, sources):
    """03_aid_intensity (loaders, intensity, plotting, figure files) in a kernel whose Python
    sockets are disabled; the kernel's own channels are libzmq and keep working."""
    from nbclient import NotebookClient

    nb = nbformat.read(REPO / "notebooks" / "03_aid_intensity.ipynb", as_version=4)
    guard = nbformat.v4.new_code_cell(
        _NO_NETWORK + _INSTALL + "from coopstats.figures import plotting\n"
        f"plotting.configure(out_dir={str(tmp_path / 'figures')!r})\n")
    proof = nbformat.v4.new_code_cell(
        "import urllib.request\n"
        "try:\n"
        "    urllib.request.urlopen('http://example.org', timeout=5)\n"
        "except OSError as err:\n"
        "    assert 'disabled' in str(err), err\n"
        "else:\n"
        "    raise AssertionError('network was reachable')\n")
    nb.cells = [guard, proof, *nb.cells]
    env = {"MPLBACKEND": "Agg"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3", shutdown_kernel="immediate",
                       resources={"metadata": {"path": str(REPO / "notebooks")}}).execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    assert sorted(p.name for p in (tmp_path / "figures").glob("*.png")) == [
        "03_benchmarks.png", "03_fiscal_aid.png", "03_projects_by_era.png", "03_ties.png"]


def test_the_report_pages_fetch_nothing_from_the_network(report):
    for page in sorted(Path(report.out).glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and "cdnjs" not in text, page.name
