"""Execute every notebook headless in a fresh kernel and write the report (``build/``).

Uses nbclient for execution (no hand-rolled kernel management) and nbconvert for HTML. Each
notebook runs in its own worker process and kernel; ``-j N`` runs N at once; the parent
writes each notebook, its figures and its HTML page as soon as it is done. A failing cell
stops the run with the notebook, the cell number and the error. Parameters are checked
(:mod:`coopstats.parameters`) before any kernel starts and written into each notebook that
declares them as ``name = repr(value)``. Ctrl-C stops the run at once: queued notebooks do
not start, running kernels are killed. The kernels' console output goes to a log, not to
the user's console. The HTML pages load nothing from the network
(``templates/report.html.j2``). Every output file is written to a temporary name and
renamed into place, and figures are staged per notebook, so an interrupted or failed run
never leaves a half file.
"""

from __future__ import annotations

import contextlib
import functools
import html
import os
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from . import parameters as params
from ._atomic import write_text

__all__ = ["NotebookError", "find_notebooks", "run_all"]

#: ``report.html.j2``: JupyterLab's page template without CDN scripts (pages read offline).
TEMPLATES = Path(__file__).resolve().parent / "templates"


class NotebookError(RuntimeError):
    """A notebook failed: names the notebook, the cell and the error."""


@dataclass(frozen=True)
class Result:
    name: str
    seconds: float
    summary: str
    title: str


def find_notebooks(folder: Path) -> list[Path]:
    """The numbered notebooks (``NN_*.ipynb``) in ``folder``, in order; ``folder`` may also
    be one ``.ipynb`` file (run alone)."""
    folder = Path(folder)
    if folder.suffix == ".ipynb" and folder.is_file():
        return [folder]
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def _summary(nb) -> tuple[str, str]:
    """Title (first heading) and one-line summary (first sentence of the first paragraph
    after it) of a notebook; ``metadata.coopstats.title``/``summary`` override them."""
    import re

    meta = nb.metadata.get("coopstats", {})
    title, summary = meta.get("title", ""), meta.get("summary", "")
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for block in re.split(r"\n\s*\n", cell.source):
            text = " ".join(ln.strip() for ln in block.splitlines() if ln.strip())
            if not text:
                continue
            if not title and text.startswith("#"):
                title = text.lstrip("# ").strip()
            elif not summary and not text.startswith("#"):
                summary = re.match(r"(.+?[.?!])(?=\s|$)|.+", text).group(0)
        if title and summary:
            break
    return title, summary


def parameter_names(nb) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters`` (papermill's convention;
    see :func:`coopstats.parameters.declared`)."""
    return set(params.declared(nb))


@functools.cache
def _exporter():
    """One HTML exporter per process: its templates are compiled once, not per notebook."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", template_file="report.html.j2",
                        extra_template_paths=[str(TEMPLATES)])


def pool_context():
    """Worker processes come from a fork server that has already imported the notebook
    machinery: each worker starts with it loaded, and none is forked from a caller that may
    hold threads (forking a threaded process can deadlock the child). Spawn where there is
    no fork server (Windows)."""
    import multiprocessing as mp

    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["coopstats.runner", "nbclient", "nbformat", "jupyter_client"])
    return ctx


_PORT_NAMES = ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")
#: ports one kernel needs (see :func:`kernel_manager`)
PORTS_PER_KERNEL = len(_PORT_NAMES)


def free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports, all held open together while chosen."""
    import socket

    held = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            held.append(sock)
        return [sock.getsockname()[1] for sock in held]
    finally:
        for sock in held:
            sock.close()


def kernel_manager(ports: list[int] | None = None):
    """A python3 kernel manager; with ``ports`` (five of :func:`free_ports`), the kernel uses
    exactly those. The parent process hands every notebook its own ports, because kernels
    started at the same moment in separate worker processes can otherwise pick the same
    "free" port, and the loser dies at start-up (or hangs for a minute).

    The manager is asynchronous, as nbclient expects: with a blocking one, nbclient waits
    for the kernel's output with a blocking read, so a kernel that dies in a cell (or a cell
    that runs past its timeout) hangs the run for ever."""
    from jupyter_client import AsyncKernelManager

    km = AsyncKernelManager(kernel_name="python3")
    if ports:
        km.cache_ports = False
        for name, port in zip(_PORT_NAMES, ports, strict=True):
            setattr(km, name, port)
    return km


#: kernel command-line settings: log errors only. At warning level every kernel prints that
#: it runs "over TCP without encryption" (it listens on loopback only, with signed messages,
#: as every local Jupyter kernel does) and "Parent appears to have exited" at shutdown: six
#: notebooks gave a dozen lines of noise around the progress lines.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
#: environment the kernels inherit: the inline backend, so figures (``plotting.save`` shows
#: the saved PNG) go into the notebook and its page
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def notebook_client(nb, km, cwd: Path | str, timeout: int = 600):
    """nbclient's NotebookClient with the runner's settings: kernel ``python3`` started by
    ``km`` in ``cwd``, no timing metadata (reruns are identical), immediate shutdown,
    :data:`KERNEL_ARGUMENTS`. The benchmarks use it too, so both sides run the same kernels."""
    from nbclient import NotebookClient

    return NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3",
                          resources={"metadata": {"path": str(cwd)}},
                          shutdown_kernel="immediate", record_timing=False,
                          extra_arguments=list(KERNEL_ARGUMENTS))


#: kernel managers whose kernels this (worker) process runs: killed on SIGTERM
_KERNELS: set = set()
#: this worker's console (its kernels' stdout and stderr): a temporary file
_LOG: list = []


def _in_thread(fn):
    """``fn()`` run in a thread (the main thread keeps its signal handlers: nbclient installs
    its own for SIGINT and SIGTERM when it runs in the main thread)."""
    import threading

    box: dict = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as err:
            box["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _log_tail() -> str:
    """The last line the kernels wrote to this worker's console log, if any."""
    if not _LOG:
        return ""
    _LOG[0].seek(0)
    lines = [ln.strip() for ln in _LOG[0].read().decode("utf-8", "replace").splitlines()]
    last = next((ln for ln in reversed(lines) if ln), "")
    return f"; its last output: {last[:200]}" if last else ""


def _execute_with_retry(nb, nb_path: Path, timeout: int, ports: list[int] | None = None,
                        attempts: int = 3):
    """Execute a copy of ``nb`` in a fresh kernel and return it; start a new kernel if one
    dies before running any cell. (Kernels started at the same moment by parallel workers
    can pick the same free port and the loser dies at start-up: a race in port choice, not
    a problem of the notebook.) A failing cell raises at once, with the executed copy
    attached as ``err.notebook``."""
    import copy

    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    for attempt in range(1, attempts + 1):
        work = copy.deepcopy(nb)
        km = kernel_manager(ports if attempt == 1 else None)
        client = notebook_client(work, km, nb_path.parent, timeout)
        _KERNELS.add(km)
        try:
            _in_thread(client.execute)
            return work
        except (CellExecutionError, CellTimeoutError) as err:
            err.notebook = work
            raise
        except (DeadKernelError, RuntimeError) as err:
            started = client.code_cells_executed > 0  # a cell was sent: not a start-up race
            if started or attempt == attempts:
                raise NotebookError(f"{nb_path}: the kernel died ({err}){_log_tail()}") from None
        finally:
            _KERNELS.discard(km)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Task:
    """One notebook to run: its parameters, its kernel's ports, where its figures go."""

    path: str
    parameters: dict
    ports: list[int]
    figures: str
    timeout: int
    formats: str


def _execute(task: _Task):
    """Run one notebook (in a worker process); return its :class:`Result` and the executed
    notebook (the parent writes it, its page and its figures)."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb_path = Path(task.path).resolve()
    os.environ["COOPSTATS_FIGURES_DIR"] = task.figures
    os.environ["COOPSTATS_FIGURE_FORMATS"] = task.formats
    os.environ.update(KERNEL_ENV)
    nb = params.inject(nbformat.read(nb_path, as_version=4), task.parameters)
    start = time.perf_counter()
    try:
        nb = _execute_with_retry(nb, nb_path, task.timeout, task.ports)
    except (CellExecutionError, CellTimeoutError) as err:
        cells = [c for c in getattr(err, "notebook", nb).cells  # numbered as in the file
                 if params.INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
        index = next((i for i, c in enumerate(cells) if c.cell_type == "code" and any(
            o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        ename = getattr(err, "ename", type(err).__name__)
        evalue = getattr(err, "evalue", str(err).splitlines()[-1] if str(err) else "")
        where = f"cell {index}" if index is not None else "a cell"
        raise NotebookError(f"{nb_path}: {where}: {ename}: {evalue}") from None
    seconds = time.perf_counter() - start
    title, summary = _summary(nb)
    return Result(nb_path.stem, seconds, summary, title), nb


def _kill_kernels_and_exit(signum, _frame) -> None:
    """SIGTERM in a worker (the parent stops the run): kill this worker's kernels, each with
    its process group (jupyter_client starts a kernel in a session of its own), remove their
    connection files, and exit at once; the parent discards the worker's figures."""
    for km in list(_KERNELS):
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None:
            with contextlib.suppress(OSError):
                if hasattr(os, "killpg"):
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
        with contextlib.suppress(OSError, TypeError):
            os.unlink(km.connection_file)
    os._exit(128 + signum)


def _worker(conn, task: _Task) -> None:
    """A worker process: run ``task`` and send ``("ok", (result, nb))`` or ``("error",
    message)`` to the parent. Ctrl-C (sent to the whole process group by a terminal) is
    left to the parent, which stops the workers with SIGTERM. The kernels' console output
    (warnings, tracebacks of recovered start-up races) goes to a temporary log."""
    import tempfile

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _kill_kernels_and_exit)
    with tempfile.TemporaryFile() as log:
        _LOG.append(log)
        for fd in (1, 2):
            os.dup2(log.fileno(), fd)
        try:
            reply = ("ok", _execute(task))
        except NotebookError as err:
            reply = ("error", str(err))
        except Exception as err:
            reply = ("error", f"{task.path}: {type(err).__name__}: {err}")
        try:
            conn.send(reply)
        except Exception as err:  # e.g. an output that cannot be pickled
            conn.send(("error", f"{task.path}: sending the executed notebook: "
                                f"{type(err).__name__}: {err}"))
        conn.close()


def _write_page(nb, result: Result, out: Path) -> None:
    """The HTML page of one executed notebook. Written by the parent process while the
    workers run the other notebooks: one exporter (nbconvert's import and template
    compilation, ≈ 0.5 s of CPU) for the whole run instead of one per worker."""
    body, _ = _exporter().from_notebook_node(
        nb, resources={"metadata": {"name": result.title or result.name}})
    write_text(out / f"{result.name}.html", body)


def _index(results: list[Result], out: Path) -> None:
    items = "\n".join(
        f'<li><a href="{html.escape(r.name)}.html">{html.escape(r.title or r.name)}</a>'
        f"<br><span>{html.escape(r.summary)}</span></li>" for r in results)
    figures = sorted((out / "figures").glob("*.png"))
    thumbs = "\n".join(
        f'<a href="figures/{html.escape(p.name)}"><img src="figures/{html.escape(p.name)}" '
        f'alt="{html.escape(p.stem)}" loading="lazy"></a>' for p in figures)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>coopstats report</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }}
li {{ margin: 0.8rem 0; }} span {{ color: #555; }}
.figs img {{ width: 18rem; margin: 0.3rem; border: 1px solid #ddd; }}
</style></head><body>
<h1>coopstats: East–West cooperation pairings compared</h1>
<p>Each notebook below was executed top to bottom in a fresh kernel by
<code>coopstats notebooks</code>. Every number comes from the coded dataset, which links
each figure to a quote in its source article.</p>
<ol>
{items}
</ol>
<h2>Figures</h2>
<div class="figs">
{thumbs}
</div>
</body></html>
"""
    write_text(out / "index.html", page)


def run_all(notebooks_dir: Path, out_dir: Path, *, jobs: int = 2,
            parameters: dict | None = None, timeout: int = 600,
            figure_formats: tuple[str, ...] = ("png",), progress=print) -> list[Result]:
    """Execute every numbered notebook and write ``out_dir``.

    Parameters
    ----------
    notebooks_dir : Path
        Folder of ``NN_*.ipynb`` notebooks, or one ``.ipynb`` file.
    out_dir : Path
        Where executed notebooks, HTML pages, ``index.html`` and ``figures/`` go.
    jobs : int
        Notebooks run at once (each in its own process and kernel).
    parameters : dict, optional
        Name → value, given to every notebook that declares the name in its ``parameters``
        cell; checked first (:func:`coopstats.parameters.for_notebooks`).
    timeout : int
        Seconds a cell may run.
    figure_formats : tuple of str
        Files ``plotting.save`` writes for each figure under ``out_dir/figures``: PNG (shown
        in the pages) and any of ``"svg"``, ``"pdf"`` for print.

    Raises
    ------
    ParameterError
        When a parameter is unknown to every notebook or its value is not allowed (nothing
        is written, no kernel started).
    NotebookError
        When a cell fails (the message names notebook, cell and error) or a page cannot be
        written.
    ValueError
        For a figure format other than png, svg or pdf.
    KeyboardInterrupt
        On Ctrl-C: queued notebooks do not start, running ones are killed, their figures
        discarded, and no ``index.html`` is written.
    """
    from .plotting import parse_formats

    formats = ",".join(parse_formats(",".join(figure_formats)))  # ValueError if unknown
    paths = find_notebooks(notebooks_dir)
    if not paths:
        raise NotebookError(f"{notebooks_dir}: no numbered notebooks (NN_name.ipynb) found")
    accepted = _check_parameters(paths, parameters or {})
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir.resolve()
    progress(f"running {len(paths)} notebooks with {max(1, jobs)} worker(s) → {out_dir}")
    ports = free_ports(PORTS_PER_KERNEL * len(paths))
    tasks = [_Task(str(p), accepted[str(p)], ports[i * PORTS_PER_KERNEL:
                                                   (i + 1) * PORTS_PER_KERNEL],
                   str(out / f".figures-{p.stem}-{os.getpid()}"), timeout, formats)
             for i, p in enumerate(paths)]
    results: dict[str, Result] = {}

    def finish(task: _Task, result: Result, nb) -> None:
        _publish(task, result, nb, out)
        results[result.name] = result
        progress(f"[{len(results)}/{len(paths)}] {result.name} ok ({result.seconds:.1f} s)")

    try:
        _run_workers(tasks, max(1, jobs), finish)
    finally:
        for task in tasks:
            shutil.rmtree(task.figures, ignore_errors=True)
    ordered = [results[p.stem] for p in paths]
    _index(ordered, out_dir)
    progress(f"wrote {out_dir / 'index.html'}")
    return ordered


def _check_parameters(paths: list[Path], values: dict) -> dict[str, dict]:
    """Per notebook path, the parameters it declares (checked before any kernel starts)."""
    import json

    if not values:
        return {str(p): {} for p in paths}
    declared = {}
    for p in paths:
        try:
            declared[str(p)] = params.declared(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise NotebookError(f"{p}: not a readable notebook: {err}") from None
    return params.for_notebooks(declared, values)


def _publish(task: _Task, result: Result, nb, out: Path) -> None:
    """Write one finished notebook: its figures (moved from its staging folder), the
    executed notebook and its HTML page (one exporter, in the parent, for the whole run)."""
    import nbformat

    staged = Path(task.figures)
    if staged.is_dir():
        (out / "figures").mkdir(exist_ok=True)
        for f in sorted(staged.iterdir()):
            if f.is_file() and not f.name.startswith("."):
                os.replace(f, out / "figures" / f.name)
    write_text(out / f"{result.name}.ipynb", nbformat.writes(nb))
    try:
        _write_page(nb, result, out)
    except Exception as page_err:  # nbconvert: a clear line, not a traceback
        raise NotebookError(f"{task.path}: writing its HTML page: "
                            f"{type(page_err).__name__}: {page_err}") from None


def _run_workers(tasks: list[_Task], jobs: int, finish) -> None:
    """Run each task in its own worker process, ``jobs`` at a time, calling
    ``finish(task, result, nb)`` as each one is done. On the first error, or Ctrl-C, the
    queued tasks never start and the running workers are stopped (their kernels killed)."""
    from multiprocessing.connection import wait

    ctx = pool_context()
    queue, running = list(tasks), {}
    try:
        while queue or running:
            while queue and len(running) < jobs:
                task = queue.pop(0)
                receive, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_worker, args=(send, task), daemon=True,
                                   name=f"coopstats {Path(task.path).name}")
                running[receive] = (proc, task)
                proc.start()
                send.close()
            for conn in wait(list(running)):
                proc, task = running.pop(conn)
                try:
                    status, payload = conn.recv()
                except (EOFError, OSError, ValueError) as err:
                    proc.join(5)
                    status, payload = "error", (f"{task.path}: its worker process ended "
                                                f"without a result (exit code "
                                                f"{proc.exitcode}; {type(err).__name__})")
                conn.close()
                proc.join()
                if status != "ok":
                    raise NotebookError(payload)
                finish(task, *payload)
    finally:
        _stop(running)


def _stop(running: dict) -> None:
    """Stop the running workers: SIGTERM (each kills its kernels and exits at once), then
    SIGKILL for any still there after 5 s."""
    for proc, _ in running.values():
        if proc.pid is not None and proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + 5
    for conn, (proc, _) in running.items():
        if proc.pid is not None:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(1)
        conn.close()
