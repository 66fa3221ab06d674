"""Execute every notebook headless in a fresh kernel and write the report (``build/``).

Uses nbclient for execution (no hand-rolled kernel management, :mod:`.kernels`) and
nbconvert for HTML (:mod:`.pages`). Each notebook runs in its own worker process and kernel;
``-j N`` runs N at once; the parent writes each notebook, its figures and its HTML page as
soon as it is done. A failing cell stops the run with the notebook, the cell number and the
error. Parameters, and each notebook's defaults they do not replace, are checked
(:mod:`coopstats.dataset.parameters`) before any kernel starts; the values given are written into
each notebook that declares them as ``name = repr(value)``. Ctrl-C stops the run at once:
queued notebooks do not start, running kernels are killed. Every output file is written to
a temporary name and renamed into place, and figures are staged per notebook, so an
interrupted or failed run never leaves a half file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from coopstats.dataset import parameters as params
from coopstats.dataset._atomic import write_text
from coopstats.report.kernels import (
    PORTS_PER_KERNEL,
    NotebookError,
    Task,
    free_ports,
    pool_context,
    worker,
)
from coopstats.report.pages import Result, write_index, write_page

__all__ = ["NotebookError", "Result", "find_notebooks", "longest_first", "parameter_names",
           "run_all"]


def find_notebooks(folder: Path) -> list[Path]:
    """The numbered notebooks (``NN_*.ipynb``) in ``folder``, in order; ``folder`` may also
    be one ``.ipynb`` file (run alone)."""
    folder = Path(folder)
    if folder.suffix == ".ipynb" and folder.is_file():
        return [folder]
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def longest_first(paths: list[Path]) -> list[Path]:
    """``paths`` in the order to start them: the most code first (ties in name order).

    With fewer workers than notebooks, the run ends when its last notebook does; starting
    the long ones first keeps the last one short (longest-processing-time-first
    scheduling). The length of a notebook's code cells is the estimate of how long it runs:
    a rough one, but known before the notebook ever ran. Results, pages and the index keep
    the notebooks' own order.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name, code in [("01_a", "x = 1"), ("02_b", "y = sum(range(10))")]:
    ...     nbformat.write(nbformat.v4.new_notebook(
    ...         cells=[nbformat.v4.new_code_cell(code)]), folder / f"{name}.ipynb")
    >>> [p.stem for p in longest_first(find_notebooks(folder))]
    ['02_b', '01_a']
    """
    import nbformat

    def code_length(path: Path) -> int:
        nb = nbformat.read(path, as_version=4)
        return sum(len(c.source) for c in nb.cells if c.cell_type == "code")

    return sorted(paths, key=lambda p: (-code_length(p), p.name))


def parameter_names(nb) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters`` (papermill's convention;
    see :func:`coopstats.dataset.parameters.declared`)."""
    return set(params.declared(nb))


def run_all(notebooks_dir: Path, out_dir: Path, *, jobs: int = 2,
            parameters: dict | None = None, timeout: int = 600,
            figure_formats: tuple[str, ...] = ("png",), cache: Path | None = None,
            force: bool = False, progress=print, data_dir: Path | None = None,
            sources: Path | None = None) -> list[Result]:
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
        cell; checked first, with each notebook's own defaults that they do not replace
        (:func:`coopstats.dataset.parameters.for_notebooks`).
    timeout : int
        Seconds a cell may run.
    figure_formats : tuple of str
        Files ``plotting.save`` writes for each figure under ``out_dir/figures``: PNG (shown
        in the pages) and any of ``"svg"``, ``"pdf"`` for print.
    cache : Path, optional
        Folder of the notebook cache (:mod:`.cache`): a notebook whose key is there is
        copied from it instead of run (its :class:`Result` says ``cached``), and every
        notebook run is stored there. None: no cache.
    force : bool
        Run every notebook even when the cache has it (and store the new runs).
    data_dir, sources : Path, optional
        A data folder and a sources folder for the notebooks' kernels
        (``$COOPSTATS_DATA_DIR`` and ``$COOPSTATS_SOURCES``, see
        :mod:`coopstats.dataset.locations`);
        the parameters are checked against that data folder, and the cache keys on it.

    Raises
    ------
    ParameterError
        When a parameter is unknown to every notebook or its value is not allowed, or a
        notebook's default is not allowed with the data (a ``DefaultParameterError``;
        nothing is written, no kernel started).
    NotebookError
        When a cell fails (the message names notebook, cell and error) or a page cannot be
        written.
    ValueError
        For a figure format other than png, svg or pdf.
    KeyboardInterrupt
        On Ctrl-C: queued notebooks do not start, running ones are killed, their figures
        discarded, and no ``index.html`` is written.
    """
    from coopstats.figures._figure_files import parse_formats

    formats = ",".join(parse_formats(",".join(figure_formats)))  # ValueError if unknown
    paths = find_notebooks(notebooks_dir)
    if not paths:
        raise NotebookError(f"{notebooks_dir}: no numbered notebooks (NN_name.ipynb) found")
    env = _kernel_env(data_dir, sources)
    # the kernel fork server starts first: its imports (seconds on a first run) overlap the
    # parameter check and the cache lookup; it is stopped at once when nothing is to run
    with _kernel_forks(paths) as forks:
        accepted = _check_parameters(paths, parameters or {}, data_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir.resolve()
        plan = _cache_plan(paths, accepted, formats, cache, force, data_dir=data_dir,
                           sources=sources)
        to_run = [p for p in paths if p.stem not in plan.hits]
        progress(f"running {len(paths)} notebooks with {max(1, jobs)} worker(s) → {out_dir}"
                 if not plan.hits else
                 f"running {len(to_run)} of {len(paths)} notebooks with {max(1, jobs)} "
                 f"worker(s) → {out_dir} ({len(plan.hits)} from the cache; --force reruns "
                 "them)")
        results = _restore_cached(plan, out, len(paths), progress)

        def finish(task: Task, result: Result, nb, modules: list[str]) -> None:
            figures = _publish(task, result, nb, out)
            _cache_store(plan, result, out, figures, modules, progress)
            results[result.name] = result
            progress(f"[{len(results)}/{len(paths)}] {result.name} ok "
                     f"({result.seconds:.1f} s)")

        if to_run:
            _run_notebooks(longest_first(to_run), accepted, out,
                           (timeout, formats, max(1, jobs), env, forks), finish)
    ordered = [results[p.stem] for p in paths]
    write_index(ordered, out_dir)
    progress(f"wrote {out_dir / 'index.html'}")
    return ordered


def _run_notebooks(paths: list[Path], accepted: dict, out: Path, settings: tuple,
                   finish) -> None:
    """Run ``paths`` in worker processes (``settings``: timeout, figure formats, jobs, the
    kernels' environment, the fork server's socket or None), calling ``finish`` as each one
    is done."""
    import threading

    import nbformat  # noqa: F401  (this thread unpickles notebooks: imported before `warm`)

    from coopstats.report.pages import _exporter

    timeout, formats, jobs, env, forks = settings
    ports = free_ports(PORTS_PER_KERNEL * len(paths))
    # nbconvert's import and templates (≈ 0.5 s of CPU, more on a first run) are set up
    # while the first kernels start, not when the first notebook is done; this thread
    # imports nothing else until it joins `warm` (two threads importing one package at
    # once can see it half initialised)
    warm = threading.Thread(target=_quietly, args=(_exporter,), daemon=True,
                            name="coopstats pages")
    warm.start()

    def publish(task: Task, *payload) -> None:
        warm.join()
        finish(task, *payload)

    tasks = [Task(str(p), accepted[str(p)], ports[i * PORTS_PER_KERNEL:
                                                   (i + 1) * PORTS_PER_KERNEL],
                  str(out / f".figures-{p.stem}-{os.getpid()}"), timeout, formats, forks, env)
             for i, p in enumerate(paths)]
    try:
        _run_workers(tasks, jobs, publish)
    finally:
        for task in tasks:
            shutil.rmtree(task.figures, ignore_errors=True)


def _quietly(fn) -> None:
    """``fn()``, ignoring its errors (a warm-up: the real call reports them, one line)."""
    with contextlib.suppress(Exception):
        fn()


@dataclass
class _CachePlan:
    """A run's use of the cache: its folder (None: no cache), each notebook's key and the
    entries found for them."""

    folder: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)
    hits: dict = field(default_factory=dict)


def _cache_plan(paths: list[Path], accepted: dict[str, dict], formats: str,
                folder: Path | None, force: bool, *, data_dir: Path | str | None = None,
                sources: Path | str | None = None) -> _CachePlan:
    """Each notebook's cache key (:mod:`.cache`), from the data folder and source articles
    the run's kernels use, and the entries found (none with ``force``)."""
    if folder is None:
        return _CachePlan()
    from coopstats.report import cache

    inputs = cache.inputs_digest(data_dir=data_dir, sources=sources, formats=formats)
    keys = {p.stem: cache.notebook_key(inputs, p, accepted[str(p)]) for p in paths}
    hits = {} if force else {name: entry for name, key in keys.items()
                             if (entry := cache.lookup(folder, name, key)) is not None}
    return _CachePlan(Path(folder), keys, hits)


def _restore_cached(plan: _CachePlan, out: Path, total: int, progress) -> dict[str, Result]:
    """Copy the notebooks the cache has into ``out``; their results, by name."""
    from coopstats.report import cache

    results: dict[str, Result] = {}
    for name, entry in plan.hits.items():
        cache.restore(entry, out)
        results[name] = Result(name, entry.seconds, entry.summary, entry.title, cached=True)
        progress(f"[{len(results)}/{total}] {name} from the cache (ran in "
                 f"{entry.seconds:.1f} s)")
    return results


def _cache_store(plan: _CachePlan, result: Result, out: Path, figures: list[str],
                 modules: list[str], progress) -> None:
    """Keep a notebook that just ran in the cache (when the run has one); a cache that
    cannot be written is a note, not a failed run."""
    if plan.folder is None:
        return
    import sys

    from coopstats.report import cache

    # the kernel's libraries, and the runner's own (nbformat writes the notebook, nbconvert
    # the page: both are imported in this process by now)
    ours = {m.partition(".")[0] for m in list(sys.modules)} - set(sys.stdlib_module_names)
    try:
        cache.store(plan.folder, plan.keys[result.name], result, out, figures,
                    cache.libraries(sorted(ours | set(modules))))
    except OSError as err:
        progress(f"note: {result.name} not kept in the cache {plan.folder}: "
                 f"{err.strerror or err}")


@contextlib.contextmanager
def _kernel_forks(paths: list[Path]):
    """The kernel fork server (:mod:`.kernel_forks`) of a run of the notebooks at ``paths``,
    with the libraries they import: yields its socket, or None where kernels cannot be
    forked. It is this process's shared server (:func:`.kernel_forks.shared`): the next run
    with the same libraries reuses it; Ctrl-C stops it, with any kernel it forked."""
    import time

    from coopstats.report import kernel_forks
    from coopstats.report.kernels import KERNEL_ENV

    if not kernel_forks.available() or os.environ.get("COOPSTATS_FORK_KERNELS") == "0":
        yield None
        return
    server = kernel_forks.shared(kernel_forks.preload_for(paths),
                                 {**os.environ, **KERNEL_ENV})
    try:
        yield server.path
    except KeyboardInterrupt:
        kernel_forks.stop_shared()
        raise
    finally:
        server.used = time.monotonic()


def _kernel_env(data_dir: Path | None, sources: Path | None) -> tuple[tuple[str, str], ...]:
    """The environment variables that point the kernels at ``data_dir`` and ``sources``
    (absolute: the kernels run in the notebooks' folder)."""
    from coopstats.dataset.locations import DATA_DIR_VARIABLE

    pairs = ((DATA_DIR_VARIABLE, data_dir), ("COOPSTATS_SOURCES", sources))
    return tuple((name, str(Path(value).resolve())) for name, value in pairs
                 if value is not None)


def _check_parameters(paths: list[Path], values: dict, data_dir: Path | None = None
                      ) -> dict[str, dict]:
    """Per notebook path, the parameters it declares (checked before any kernel starts,
    against ``data_dir``, default :func:`coopstats.data_dir`): ``values``, and each
    notebook's defaults that they do not replace."""
    import json

    declared = {}
    for p in paths:
        try:
            declared[str(p)] = params.declared(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise NotebookError(f"{p}: not a readable notebook: {err}") from None
    return params.for_notebooks(declared, values, params.Context(data_dir))


def _publish(task: Task, result: Result, nb, out: Path) -> list[str]:
    """Write one finished notebook: its figures (moved from its staging folder), the
    executed notebook and its HTML page (one exporter, in the parent, for the whole run).
    Returns the names of its figure files."""
    import nbformat

    staged, figures = Path(task.figures), []
    if staged.is_dir():
        (out / "figures").mkdir(exist_ok=True)
        for f in sorted(staged.iterdir()):
            if f.is_file() and not f.name.startswith("."):
                os.replace(f, out / "figures" / f.name)
                figures.append(f.name)
    write_text(out / f"{result.name}.ipynb", nbformat.writes(nb))
    try:
        write_page(nb, result, out)
    except Exception as page_err:  # nbconvert: a clear line, not a traceback
        raise NotebookError(f"{task.path}: writing its HTML page: "
                            f"{type(page_err).__name__}: {page_err}") from None
    return figures


def _run_workers(tasks: list[Task], jobs: int, finish) -> None:
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
                proc = ctx.Process(target=worker, args=(send, task), daemon=True,
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
