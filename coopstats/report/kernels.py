"""The notebook kernels: one worker process per notebook, each running one fresh python3
kernel with nbclient.

The parent (:mod:`coopstats.report.run`) hands each worker its kernel's ports, because kernels
started at the same moment in separate processes can otherwise pick the same "free" port.
Before the first cell, the worker tells the kernel where :func:`coopstats.figures.plotting.save`
writes and in which formats (:func:`coopstats.figures.plotting.configure`, run silently: the
notebook
gets no extra cell or execution count). A worker ignores Ctrl-C (the parent stops it with
SIGTERM, which kills its kernels), and its kernels' console output goes to a temporary log,
not to the user's console.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from coopstats.dataset import parameters as params
from coopstats.report.pages import Result, summary

__all__ = ["KERNEL_ARGUMENTS", "KERNEL_ENV", "PORTS_PER_KERNEL", "NotebookError", "Task",
           "free_ports", "kernel_manager", "notebook_client", "one_stream_each", "pool_context",
           "worker"]


class NotebookError(RuntimeError):
    """A notebook failed: names the notebook, the cell and the error."""


def pool_context():
    """Worker processes come from a fork server that has already imported the notebook
    machinery (nbconvert's preprocessors too, for :func:`one_stream_each`: imported in each
    worker, they cost ≈ 0.13 s of CPU per notebook): each worker starts with it loaded, and
    none is forked from a caller that may hold threads (forking a threaded process can
    deadlock the child). Spawn where there is no fork server (Windows)."""
    import multiprocessing as mp

    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["coopstats.report.kernels", "nbclient", "nbformat",
                               "jupyter_client", "nbconvert.preprocessors"])
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


def kernel_manager(ports: list[int] | None = None, forks: str | None = None):
    """A python3 kernel manager; with ``ports`` (five of :func:`free_ports`), the kernel uses
    exactly those; with ``forks`` (the socket of a :mod:`.kernel_forks` server), the kernel
    is forked by that server instead of started from scratch. The parent process hands
    every notebook its own ports, because kernels started at the same moment in separate
    worker processes can otherwise pick the same "free" port, and the loser dies at
    start-up (or hangs for a minute).

    The manager is asynchronous, as nbclient expects: with a blocking one, nbclient waits
    for the kernel's output with a blocking read, so a kernel that dies in a cell (or a cell
    that runs past its timeout) hangs the run for ever."""
    from jupyter_client import AsyncKernelManager

    km = AsyncKernelManager(kernel_name="python3")
    if ports:
        km.cache_ports = False
        for name, port in zip(_PORT_NAMES, ports, strict=True):
            setattr(km, name, port)
    if forks:
        from coopstats.report.kernel_forks import provisioner

        km.provisioner = provisioner(km, forks)
    return km


#: kernel command-line settings: log errors only. At warning level every kernel prints that
#: it runs "over TCP without encryption" (it listens on loopback only, with signed messages,
#: as every local Jupyter kernel does) and "Parent appears to have exited" at shutdown: six
#: notebooks gave a dozen lines of noise around the progress lines. No input history: a
#: headless run has no use for it, and kernels started together would all write the
#: user's IPython history database (~/.ipython) at once.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]


#: environment the kernels inherit: the inline backend, so figures (``plotting.save`` shows
#: the saved PNG) go into the notebook and its page
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}


#: run silently after a notebook's last cell: write the top-level modules its kernel has
#: imported, outside the standard library, as a JSON list (the cache records their versions)
_MODULES_CODE = """\
import json as _json, os as _os, sys as _sys
_os.makedirs(_os.path.dirname({path!r}), exist_ok=True)
with open({path!r}, "w", encoding="utf-8") as _f:
    _json.dump(sorted({{_m.partition(".")[0] for _m in list(_sys.modules)}}
                      - set(_sys.stdlib_module_names) - set(_sys.builtin_module_names)), _f)
del _json, _os, _sys, _f
"""


def notebook_client(nb, km, cwd: Path | str, timeout: int = 600, *,
                    figures: Path | str | None = None, formats: str = "png",
                    modules: Path | str | None = None):
    """nbclient's NotebookClient with the runner's settings: kernel ``python3`` started by
    ``km`` in ``cwd``, no timing metadata (reruns are identical), immediate shutdown,
    :data:`KERNEL_ARGUMENTS`. The benchmarks use it too, so both sides run the same kernels.

    With ``figures``, the kernel's :func:`coopstats.figures.plotting.configure` is called before the
    first cell (``figures`` folder, ``formats``), silently: no cell, output or execution
    count is added to the notebook. With ``modules``, the kernel writes there, after the
    last code cell and as silently, the libraries it has imported (:data:`_MODULES_CODE`)."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}},
                            shutdown_kernel="immediate", record_timing=False,
                            extra_arguments=list(KERNEL_ARGUMENTS))
    if figures is not None:
        code = ("from coopstats.figures import plotting as _plotting\n"
                f"_plotting.configure(out_dir={str(figures)!r}, formats={formats!r})\n"
                "del _plotting\n")
        client.on_notebook_start = lambda notebook: _run_silently(client, code)
    last = max((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()),
               default=None)
    if modules is not None and last is not None:
        listing = _MODULES_CODE.format(path=str(modules))

        async def after(cell, cell_index, execute_reply) -> None:
            if cell_index == last:
                await _run_silently(client, listing)

        client.on_cell_executed = after
    return client


async def _run_silently(client, code: str) -> None:
    """Run ``code`` in the client's kernel without a trace in the notebook."""
    msg_id = client.kc.execute(code, silent=True, store_history=False)
    reply = await client.async_wait_for_reply(msg_id)
    content = (reply or {}).get("content", {})
    if content.get("status") != "ok":
        raise RuntimeError(f"setting up the kernel failed: {content.get('ename', 'no reply')}: "
                           f"{content.get('evalue', '')}")


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
                        attempts: int = 3, *, figures: str | None = None,
                        formats: str = "png", forks: str | None = None,
                        modules: str | None = None):
    """Execute a copy of ``nb`` in a fresh kernel and return it; start a new kernel if one
    dies before running any cell. (Kernels started at the same moment by parallel workers
    can pick the same free port and the loser dies at start-up: a race in port choice, not
    a problem of the notebook.) A failing cell raises at once, with the executed copy
    attached as ``err.notebook``."""
    import copy

    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    for attempt in range(1, attempts + 1):
        work = copy.deepcopy(nb)
        km = kernel_manager(ports if attempt == 1 else None, forks)
        client = notebook_client(work, km, nb_path.parent, timeout, figures=figures,
                                 formats=formats, modules=modules)
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
            _shut_down(km)
    raise AssertionError("unreachable")


def _shut_down(km) -> None:
    """Kill the notebook's kernel now: nbclient leaves alone a kernel manager it was given
    (a forked kernel would otherwise live on, idle, until its fork server stops)."""
    import asyncio

    with contextlib.suppress(Exception):
        if km.has_kernel:
            _in_thread(lambda: asyncio.run(km.shutdown_kernel(now=True)))


@dataclass(frozen=True)
class Task:
    """One notebook to run: its parameters, its kernel's ports, where its figures go."""

    path: str
    parameters: dict
    ports: list[int]
    figures: str
    timeout: int
    formats: str
    forks: str | None = None  # socket of the kernel fork server, if the run has one
    #: environment variables set for this notebook's kernel (``run_all(data_dir=…)``)
    env: tuple[tuple[str, str], ...] = ()


def _execute(task: Task):
    """Run one notebook (in a worker process); return its :class:`Result`, the executed
    notebook (the parent writes it, its page and its figures) and the top-level modules its
    kernel imported (for the cache)."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb_path = Path(task.path).resolve()
    os.environ.update(KERNEL_ENV)
    os.environ.update(dict(task.env))
    nb = params.inject(nbformat.read(nb_path, as_version=4), task.parameters)
    start = time.perf_counter()
    try:
        nb = _execute_with_retry(nb, nb_path, task.timeout, task.ports, figures=task.figures,
                                 formats=task.formats, forks=task.forks,
                                 modules=os.path.join(task.figures, _MODULES_FILE))
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
    nb = one_stream_each(nb)
    title, line = summary(nb)
    return Result(nb_path.stem, seconds, line, title), nb, _imported(task)


def one_stream_each(nb):
    """``nb`` with each run of a cell's consecutive outputs to one stream (stdout, stderr)
    merged into one output, as nbconvert's ``CoalesceStreamsPreprocessor`` does. The kernel
    sends what a cell prints in pieces, one each time it flushes (every 0.2 s), so how a
    cell's printing is cut into outputs depends on how fast the machine ran it: merged,
    two runs of the notebook give the same file.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("print(1); time.sleep(1); print(2)", outputs=[
    ...     nbformat.v4.new_output("stream", name="stdout", text="1\\n"),
    ...     nbformat.v4.new_output("stream", name="stdout", text="2\\n")])
    >>> nb = one_stream_each(nbformat.v4.new_notebook(cells=[cell]))
    >>> [o["text"] for o in nb.cells[0].outputs]
    ['1\\n2\\n']
    """
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    return CoalesceStreamsPreprocessor().preprocess(nb, {})[0]


#: where a kernel lists the modules it imported: in its figures' staging folder, under a
#: name the runner does not publish (it starts with a dot)
_MODULES_FILE = ".modules.json"


def _imported(task: Task) -> list[str]:
    """The top-level modules the task's kernel had imported when it finished."""
    import json

    try:
        with open(os.path.join(task.figures, _MODULES_FILE), encoding="utf-8") as f:
            return [str(m) for m in json.load(f)]
    except (OSError, ValueError, TypeError):
        return []


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


def worker(conn, task: Task) -> None:
    """A worker process: run ``task`` and send ``("ok", (result, nb, modules))`` or
    ``("error", message)`` to the parent. Ctrl-C (sent to the whole process group by a terminal) is
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
