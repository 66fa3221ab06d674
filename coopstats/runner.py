"""Execute every notebook headless in a fresh kernel and write the report (``build/``).

Uses nbclient for execution (no hand-rolled kernel management) and nbconvert for HTML. Each
notebook runs in its own worker process and kernel; ``-j N`` runs N at once; the parent
writes each HTML page as soon as its notebook is done. A failing cell
stops the run with the notebook, the cell number and the error. The HTML pages load nothing
from the network (``templates/report.html.j2``). Every output file is written
to a temporary name and renamed into place, so an interrupted run never leaves a half file.
"""

from __future__ import annotations

import functools
import html
import os
import time
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

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
    """The numbered notebooks (``NN_*.ipynb``) in ``folder``, in order."""
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
    """Names assigned in the notebook's cell tagged ``parameters`` (papermill's convention)."""
    import re

    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return set(re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=", cell.source, re.M))
    return set()


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
    "free" port, and the loser dies at start-up (or hangs for a minute)."""
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
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
        try:
            client.execute()
            return work
        except (CellExecutionError, CellTimeoutError) as err:
            err.notebook = work
            raise
        except (DeadKernelError, RuntimeError) as err:
            started = any(c.get("execution_count") for c in work.cells
                          if c.cell_type == "code")
            if started or attempt == attempts:
                raise NotebookError(f"{nb_path}: the kernel died: {err}") from None
    raise AssertionError("unreachable")


def _execute(path: str, out_dir: str, parameters: dict, timeout: int,
             ports: list[int] | None = None, figure_formats: str = "png"):
    """Run one notebook (in a worker process) and write its executed copy; return its
    :class:`Result` and the executed notebook (the parent writes the HTML page)."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb_path, out = Path(path).resolve(), Path(out_dir).resolve()
    os.environ["COOPSTATS_FIGURES_DIR"] = str(out / "figures")
    os.environ["COOPSTATS_FIGURE_FORMATS"] = figure_formats
    os.environ.update(KERNEL_ENV)
    nb = nbformat.read(nb_path, as_version=4)
    accepted = {k: v for k, v in parameters.items() if k in parameter_names(nb)}
    if accepted:
        from papermill.parameterize import parameterize_notebook

        nb = parameterize_notebook(nb, accepted)
    start = time.perf_counter()
    try:
        nb = _execute_with_retry(nb, nb_path, timeout, ports)
    except (CellExecutionError, CellTimeoutError) as err:
        cells = getattr(err, "notebook", nb).cells
        index = next((i for i, c in enumerate(cells) if c.cell_type == "code" and any(
            o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        ename = getattr(err, "ename", type(err).__name__)
        evalue = getattr(err, "evalue", str(err).splitlines()[-1] if str(err) else "")
        where = f"cell {index}" if index is not None else "a cell"
        raise NotebookError(f"{nb_path}: {where}: {ename}: {evalue}") from None
    seconds = time.perf_counter() - start
    nb.metadata.pop("papermill", None)
    write_text(out / nb_path.name, nbformat.writes(nb))
    title, summary = _summary(nb)
    return Result(nb_path.stem, seconds, summary, title), nb


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
        Folder of ``NN_*.ipynb`` notebooks.
    out_dir : Path
        Where executed notebooks, HTML pages, ``index.html`` and ``figures/`` go.
    jobs : int
        Notebooks run at once (each in its own process and kernel).
    parameters : dict, optional
        Papermill parameters, passed to every notebook.
    timeout : int
        Seconds a cell may run.
    figure_formats : tuple of str
        Files ``plotting.save`` writes for each figure under ``out_dir/figures``: PNG (shown
        in the pages) and any of ``"svg"``, ``"pdf"`` for print.

    Raises
    ------
    NotebookError
        When a cell fails (the message names notebook, cell and error) or a page cannot be
        written.
    ValueError
        For a figure format other than png, svg or pdf.
    """
    from .plotting import parse_formats

    formats = ",".join(parse_formats(",".join(figure_formats)))  # ValueError if unknown
    paths = find_notebooks(notebooks_dir)
    if not paths:
        raise NotebookError(f"{notebooks_dir}: no numbered notebooks (NN_name.ipynb) found")
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Result] = {}
    total = len(paths)
    progress(f"running {total} notebooks with {jobs} worker(s) → {out_dir}")
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=pool_context()) as pool:
        ports = free_ports(PORTS_PER_KERNEL * len(paths))
        futures = {pool.submit(_execute, str(p), str(out_dir), parameters or {}, timeout,
                               ports[i * PORTS_PER_KERNEL:(i + 1) * PORTS_PER_KERNEL],
                               formats): p
                   for i, p in enumerate(paths)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for fut in done:
                err = fut.exception()
                if err is not None:
                    for other in pending:
                        other.cancel()
                    raise err if isinstance(err, NotebookError) else NotebookError(
                        f"{futures[fut]}: {type(err).__name__}: {err}")
                res, nb = fut.result()
                try:
                    _write_page(nb, res, out_dir.resolve())
                except Exception as page_err:  # nbconvert: a clear line, not a traceback
                    for other in pending:
                        other.cancel()
                    raise NotebookError(f"{futures[fut]}: writing its HTML page: "
                                        f"{type(page_err).__name__}: {page_err}") from None
                results[res.name] = res
                progress(f"[{len(results)}/{total}] {res.name} ok ({res.seconds:.1f} s)")
    ordered = [results[p.stem] for p in paths]
    _index(ordered, out_dir)
    progress(f"wrote {out_dir / 'index.html'}")
    return ordered
