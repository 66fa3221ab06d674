"""Fresh kernels forked from one process that has already imported the libraries.

Every notebook runs in a fresh kernel: a new process with an empty namespace. Started the
usual way (``python -m ipykernel_launcher``), each kernel spends most of its life importing:
the kernel itself, pandas, matplotlib, seaborn, scipy (≈ 2 s of CPU on our machines, more
than most notebooks' own work). Here one *fork server* imports them once (the
:data:`KERNEL`, and the :data:`LIBRARIES` the run's notebooks import: :func:`preload_for`);
each kernel is a child forked from it that starts the kernel application exactly as
``ipykernel_launcher`` does, in its own session, working folder and environment.
A child shares no state with its siblings: the libraries are imported but untouched, and
every notebook's code runs in its own process. Python's ``random`` is reseeded in each child
by Python itself, numpy's global generator here, as a fresh import would.

The runner gets the server from :func:`shared`: one this process started for an earlier
run, when that run's notebooks needed the same libraries in the same environment and it is
still running, else a new one (:func:`start`); the process keeps the :data:`KEPT` servers
it used last. A process that runs the notebooks once (``coopstats notebooks``) pays the
imports once, as before; one that runs them again (a test session, a notebook session
calling ``run_all``) pays them once too, even between runs of notebooks that import other
libraries. A server exits with that process, after :data:`IDLE_SECONDS` without a kernel,
or on Ctrl-C in a run. Each worker's kernel manager gets a
fork provisioner (:func:`provisioner`: jupyter_client's extension point for how a kernel
process is launched) that asks the server for a kernel over a Unix socket, passing the kernel's
command line, working folder, environment and its console (stdout, stderr). When the
server is not there, or the kernel command is not this interpreter's ``ipykernel_launcher``,
the provisioner launches the kernel the usual way: forking is only ever a speed-up. Linux
only (``fork`` without ``exec`` is unsafe on macOS); elsewhere the runner does not start it.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import json
import os
import signal
import socket
import sys
import threading
import time

__all__ = ["IDLE_SECONDS", "KEPT", "KERNEL", "LIBRARIES", "PRELOAD", "Server", "available",
           "imported_packages", "preload_for", "provisioner", "shared", "start", "stop_shared"]

#: modules the server always imports before forking: the kernel, with what it imports as it
#: starts (its shell, and its debugger, which imports debugpy: ≈ 110 modules)
KERNEL = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
          "ipykernel.debugger")
#: the libraries it imports too when a notebook of the run needs them, each with the
#: packages whose import needs it (``plotting.setup`` imports seaborn, which imports
#: scipy.stats; matplotlib writes PNG files with Pillow; coopstats uses them all). A module
#: that is not installed is skipped. Not coopstats itself: it is only compiled
#: (:func:`_compile_library`).
LIBRARIES = {
    "numpy": ("numpy", "pandas", "matplotlib", "seaborn", "scipy", "coopstats"),
    "pandas": ("pandas", "seaborn", "coopstats"),
    "matplotlib.pyplot": ("matplotlib", "seaborn", "coopstats"),
    "seaborn": ("seaborn", "coopstats"),
    "scipy.stats": ("scipy", "seaborn", "coopstats"),
    "PIL.PngImagePlugin": ("PIL", "matplotlib", "seaborn", "coopstats"),
}
#: everything the server may import
PRELOAD = KERNEL + tuple(LIBRARIES)

#: what a helper process imports, in this order, while the server imports :data:`PRELOAD`
#: in its own: on a first run (nothing compiled yet) it compiles the scientific libraries
#: on the other core while the server compiles the kernel's modules (≈ 5 s of a first run's
#: ≈ 7 s of imports is compiling; measured alone, the server's imports took ≈ 1–1.5 s less)
AHEAD = ("scipy.stats", "seaborn", "matplotlib.pyplot")

_MESSAGE = 1 << 20  # largest request (command line, folder, environment), bytes

#: seconds a worker waits for its forked kernel before starting one the usual way: the
#: server imports the libraries before it forks (tens of seconds on a first run, busy machine)
_REPLY_TIMEOUT = 120

#: seconds a server with no kernel and no request waits for another run before it exits
#: (:func:`shared`: a process that runs the notebooks again soon reuses it)
IDLE_SECONDS = 120.0


def available() -> bool:
    """Whether kernels can be forked here (Linux, with ``fork`` and Unix sockets)."""
    return sys.platform.startswith("linux") and hasattr(socket, "send_fds")


def imported_packages(path) -> set[str] | None:
    """The top-level packages a notebook's code cells import (``%matplotlib`` imports
    matplotlib); None when it cannot be read or parsed (its run will say why).

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> cells = [{"cell_type": "code", "source": ["%matplotlib inline\\n", "import numpy as np"]},
    ...          {"cell_type": "code", "source": "from coopstats.analysis import measures"}]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "01_x.ipynb")
    ...     _ = path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    ...     sorted(imported_packages(path))
    ['coopstats', 'matplotlib', 'numpy']
    """
    import ast

    from coopstats.dataset.parameters import _source

    try:
        with open(path, encoding="utf-8") as f:
            cells = json.load(f)["cells"]
        found: set[str] = set()
        for cell in (c for c in cells if c.get("cell_type") == "code"):
            lines = _source(cell).splitlines()
            found |= {"matplotlib" for ln in lines if ln.lstrip().startswith("%matplotlib")}
            code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in lines)
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Import):
                    found |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
        return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError, SyntaxError):
        return None


def preload_for(paths) -> tuple[str, ...]:
    """What the server imports for a run of the notebooks at ``paths``: :data:`KERNEL`, and
    the :data:`LIBRARIES` they need (all of them if one cannot be read): a library no
    notebook imports would only cost its import.

    Examples
    --------
    >>> preload_for([]) == KERNEL
    True
    """
    needed: set[str] = set()
    for path in paths:
        found = imported_packages(path)
        if found is None:
            return PRELOAD
        needed |= found
    return KERNEL + tuple(m for m, users in LIBRARIES.items() if needed & set(users))


def start(path: str, env: dict[str, str], modules: tuple[str, ...] = PRELOAD,
          idle: float = IDLE_SECONDS):
    """Start the fork server on a Unix socket at ``path`` (listening before this returns, so
    no request can come too early), importing ``modules`` before it forks; return its
    process. It exits when its standard input closes (the process that started it ends), on
    SIGTERM, killing the kernels it forked, and after ``idle`` seconds without a kernel or
    a request."""
    import subprocess

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        listener.bind(path)
        listener.listen(64)
        return subprocess.Popen([sys.executable, "-m", __name__, str(listener.fileno()),
                                 repr(float(idle)), *modules],
                                env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True,
                                pass_fds=[listener.fileno()])
    finally:
        listener.close()


class Server:
    """A fork server (:func:`start`) on a socket in a temporary folder of its own, importing
    ``modules`` in the environment ``env``; :meth:`stop` stops it and removes the folder."""

    def __init__(self, modules: tuple[str, ...], env: dict[str, str]) -> None:
        import tempfile

        self.key = _server_key(modules, env)
        self._folder = tempfile.TemporaryDirectory(prefix="coopstats-")
        self.path = os.path.join(self._folder.name, "kernels.sock")
        self.process = start(self.path, env, modules, IDLE_SECONDS)
        self.owner = os.getpid()  # a child forked from this process must not stop it
        self.used = time.monotonic()

    def fresh(self) -> bool:
        """Running, and last used within three quarters of :data:`IDLE_SECONDS`, so it is not
        about to exit for being idle (it counts from its last kernel, which ended before
        :attr:`used`)."""
        return (self.process.poll() is None
                and time.monotonic() - self.used < 0.75 * IDLE_SECONDS)

    def stop(self) -> None:
        """SIGTERM: it kills the kernels it forked (and stops mid-import, if it is)."""
        self.process.terminate()
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(5)
        except Exception:
            self.process.kill()
            self.process.wait()
        self._folder.cleanup()


#: a server's environment variables that change from call to call without changing what an
#: import does (pytest names the running test), left out of the key and the server's
#: environment (each kernel gets its own environment with its request)
_VOLATILE = frozenset({"PYTEST_CURRENT_TEST"})
#: how many fork servers a process keeps (:func:`shared`)
KEPT = 3
_SHARED: list[Server] = []  # the last used first
_SHARED_LOCK = threading.Lock()


def _server_key(modules: tuple[str, ...], env: dict[str, str]) -> tuple:
    return (sys.executable, modules, tuple(sorted(env.items())))


def shared(modules: tuple[str, ...], env: dict[str, str]) -> Server:
    """This process's fork server for ``modules`` and ``env``: one that an earlier run
    started, when it imported the same modules in the same environment and is still
    running (a test session, or a notebook session that runs the notebooks again, pays
    the imports once), else a new one. The process keeps the :data:`KEPT` servers it used
    last, so runs that alternate between sets of libraries (the project's notebooks, and small
    ones that import one library or none) do not start a server each time. Each exits with this
    process, or after :data:`IDLE_SECONDS` without a kernel; :func:`stop_shared` stops them
    at once."""
    env = {k: v for k, v in env.items() if k not in _VOLATILE}
    key = _server_key(modules, env)
    with _SHARED_LOCK:
        found = next((s for s in _SHARED if s.key == key and s.fresh()), None)
        if found is not None:
            _SHARED.remove(found)
        _SHARED.insert(0, found or Server(modules, env))
        for server in [s for i, s in enumerate(_SHARED) if i >= KEPT or not s.fresh()]:
            _SHARED.remove(server)
            _stop(server)
        return _SHARED[0]


def stop_shared() -> None:
    """Stop this process's fork servers, if it has any (a run interrupted with Ctrl-C does)."""
    with _SHARED_LOCK:
        _stop_all()


def _stop_all() -> None:
    while _SHARED:
        _stop(_SHARED.pop())


def _stop(server: Server) -> None:
    if server.owner == os.getpid():  # not one a process forked from this one inherited
        server.stop()


atexit.register(stop_shared)


# --- the server ------------------------------------------------------------------------------


class _KernelLike:
    """What ``get_ipython()`` returns in a kernel, as far as a library looks at import
    time: pandas, for one, decides then whether it runs in a terminal (and sizes every
    DataFrame's text by that)."""

    kernel = None


def _preload(modules: tuple[str, ...]) -> None:
    """Import ``modules`` as a kernel would (``get_ipython()`` answers, kernel-like)."""
    import builtins
    import importlib

    helper = _compile_ahead(modules)
    builtins.get_ipython = _KernelLike
    try:
        for name in modules:
            with contextlib.suppress(Exception):
                importlib.import_module(name)
    finally:
        del builtins.get_ipython
        if helper is not None:  # done, or redundant now
            helper.kill()
            helper.wait()
    _compile_library()


def _compile_ahead(modules: tuple[str, ...] | None = None):
    """Start a process that imports :data:`AHEAD` (those of ``modules``, when given),
    compiling them as it goes, when they have not been compiled yet and bytecode is written;
    None otherwise. It stops by itself when the server is gone."""
    import importlib.util
    import subprocess

    ahead = tuple(m for m in AHEAD if modules is None or m in modules)
    if sys.dont_write_bytecode or not ahead:
        return None
    tops = {name.split(".")[0] for name in ahead}
    try:
        origins = [importlib.util.find_spec(top).origin for top in tops]
        if all(os.path.exists(importlib.util.cache_from_source(o)) for o in origins):
            return None
    except Exception:  # not installed, no source: the server's own imports will tell
        return None
    code = ("import importlib, os, sys\nserver = os.getppid()\n"
            "if sys.path and sys.path[0] == '':\n    del sys.path[0]\n"  # not the folder
            f"for name in {ahead!r}:\n"
            "    if os.getppid() != server:\n        break\n"
            "    try:\n        importlib.import_module(name)\n"
            "    except Exception:\n        pass\n")
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _compile_library() -> None:
    """Compile the coopstats package's modules once, here, rather than in every kernel that
    imports them at the same moment (on a first run; later runs find them compiled). Not
    imported: the kernels import them as they would without a fork server. Nothing is
    written where Python writes no bytecode (``PYTHONDONTWRITEBYTECODE``)."""
    if sys.dont_write_bytecode:
        return
    import compileall
    from pathlib import Path

    with contextlib.suppress(Exception):
        compileall.compile_dir(Path(__file__).resolve().parent.parent, quiet=2,
                               workers=1)


def _serve(fd: int, modules: tuple[str, ...], idle: float = IDLE_SECONDS) -> None:
    """Import ``modules``, then fork one kernel per request on the listening Unix socket
    ``fd`` (bound and listening already: requests wait while the imports run); exit after
    ``idle`` seconds without a kernel or a request."""
    import selectors

    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does (`-m` put the folder it started in)
    listener = socket.socket(fileno=fd)
    # the libraries' objects live as long as the server: no collection while importing
    # them, and then frozen (gc.freeze, as Python's manual advises before fork without
    # exec), so that a kernel's collections skip them: they neither scan them nor write to
    # (and so copy) their memory pages; ≈ 0.5 s of CPU less per run of the seven notebooks
    gc.disable()
    _preload(modules)
    gc.freeze()
    gc.enable()
    children: dict[int, socket.socket] = {}
    signal.signal(signal.SIGTERM, lambda *_: _shutdown(children))
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ)
    sel.register(sys.stdin, selectors.EVENT_READ)
    busy = time.monotonic()
    while True:
        for key, _ in sel.select(timeout=0.05):
            if key.fileobj is sys.stdin:
                _shutdown(children)
            conn, _ = listener.accept()
            pid = _fork_kernel(conn, [listener, *children.values()])
            if pid:
                children[pid] = conn
        _reap(children)
        if children:
            busy = time.monotonic()
        elif time.monotonic() - busy > idle:
            _shutdown(children)


def _fork_kernel(conn: socket.socket, close_in_child: list) -> int | None:
    """Read one request from ``conn`` and fork its kernel; reply with the kernel's pid."""
    data, fds, _, _ = socket.recv_fds(conn, _MESSAGE, 2)
    try:
        request = json.loads(data)
    except ValueError:
        conn.close()
        return None
    pid = os.fork()
    if pid == 0:  # the kernel: never returns
        _run_kernel(request, fds, close_in_child)
    for fd in fds:
        os.close(fd)
    conn.send(json.dumps({"pid": pid}).encode())
    return pid


def _reap(children: dict[int, socket.socket]) -> None:
    """Tell each finished kernel's requester its exit status."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.send(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode())
            conn.close()


def _shutdown(children: dict[int, socket.socket]) -> None:
    """Kill every kernel (each with its process group) and exit."""
    for pid in children:
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
    os._exit(0)


def _run_kernel(request: dict, fds: list[int], close: list) -> None:
    """In the forked child: become what ``python -m ipykernel_launcher ARGS`` would be (own
    session, folder, environment, console, command line) and run the kernel."""
    code = 1
    try:
        os.setsid()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        for obj in close:
            with contextlib.suppress(Exception):
                obj.close()
        fds = [os.open(os.devnull, os.O_RDONLY), *fds]  # stdin, stdout, stderr
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _fresh_random()
        sys.argv = [request["launcher"], *request["argv"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=request["argv"])
        code = 0
    except SystemExit as err:
        code = err.code if isinstance(err.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _fresh_random() -> None:
    """Reseed numpy's global generator from the OS, as a fresh import of numpy does (Python's
    ``random`` is reseeded after ``fork`` by Python itself)."""
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()


# --- the client: a kernel provisioner --------------------------------------------------------


class _ForkedKernel:
    """What jupyter_client needs of a kernel process (``subprocess.Popen``'s poll, wait,
    signals), for a kernel forked by the server: its exit status comes over the socket."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, conn: socket.socket) -> None:
        self.pid, self._conn, self.returncode = pid, conn, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self._conn.setblocking(False)
            try:
                data = self._conn.recv(_MESSAGE)
            except BlockingIOError:
                return None
            except OSError:
                data = b""
            self.returncode = json.loads(data).get("exit", -9) if data else -9
            self._conn.close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                import subprocess

                raise subprocess.TimeoutExpired("forked kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _launcher_args(cmd: list[str]) -> list[str] | None:
    """The arguments after ``-m ipykernel_launcher`` when ``cmd`` runs this interpreter's
    ipykernel_launcher, else None (such a kernel is launched the usual way)."""
    if len(cmd) < 3 or cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    try:
        same = os.path.samefile(cmd[0], sys.executable)
    except OSError:
        return None
    return cmd[3:] if same else None


def _connect(path: str) -> socket.socket | None:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        conn.connect(path)
    except OSError:
        conn.close()
        return None
    return conn


@functools.cache
def _provisioner_class():
    """:class:`ForkProvisioner`, defined on first use: jupyter_client is imported by the
    workers that start kernels, not by the runner's parent process."""
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        """jupyter_client's local provisioner, except that the kernel process is forked by
        the fork server at ``socket_path`` when it runs (else launched as usual)."""

        socket_path: str = ""

        async def launch_kernel(self, cmd: list[str], **kwargs):
            args = _launcher_args(cmd)
            conn = _connect(self.socket_path) if args is not None and self.socket_path \
                else None
            if conn is None:
                return await super().launch_kernel(cmd, **kwargs)
            import ipykernel_launcher

            env = dict(kwargs.get("env") or os.environ)
            env.setdefault("JPY_PARENT_PID", str(os.getpid()))
            request = {"argv": args, "cwd": str(kwargs.get("cwd") or os.getcwd()),
                       "env": env, "launcher": ipykernel_launcher.__file__}
            conn.settimeout(_REPLY_TIMEOUT)
            try:
                socket.send_fds(conn, [json.dumps(request).encode()], [1, 2])
                reply = json.loads(conn.recv(_MESSAGE))
            except (OSError, ValueError):  # no answer (socket.timeout is an OSError)
                conn.close()
                return await super().launch_kernel(cmd, **kwargs)
            conn.settimeout(None)
            self.process = _ForkedKernel(reply["pid"], conn)
            self.pid = self.pgid = reply["pid"]
            self.cwd = request["cwd"]
            return self.connection_info

    return ForkProvisioner


def provisioner(km, socket_path: str):
    """A provisioner for the kernel manager ``km`` whose kernel the fork server at
    ``socket_path`` forks (set as ``km.provisioner`` before the kernel starts)."""
    import uuid

    km.kernel_id = km.kernel_id or str(uuid.uuid4())
    made = _provisioner_class()(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
    made.socket_path = socket_path
    return made


if __name__ == "__main__":
    _serve(int(sys.argv[1]), tuple(sys.argv[3:]), float(sys.argv[2]))
