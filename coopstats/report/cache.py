"""A content-hash cache of executed notebooks: an unchanged notebook is not run again.

An entry holds what one notebook's run wrote (the executed notebook, its HTML page, its
figure files, byte for byte) under a key that hashes everything its output can depend on:

* the notebook file itself and the parameters given to it;
* every file under the data folder the run uses
  (:func:`coopstats.dataset.locations.resolve_data_dir`)
  and under the source articles' folder the kernels see (``--sources``, else
  :func:`coopstats.dataset.locations.find_sources`, which notebook 06 reads);
* the library's code: every file of the ``coopstats`` package (the analyses, the plotting
  style, the runner and the page template);
* the figure formats asked for, the Python version, and the fonts installed on the system
  (a CJK font turns pinyin labels bilingual);
* the installed versions of the libraries the notebook's kernel had imported when it
  finished, recorded in the entry from the kernel itself (transitive imports included, e.g.
  Pillow under matplotlib) and compared with what is installed now.

A key is looked up before any kernel starts; a hit is copied into the output folder, a miss
runs. Entries are written to a temporary folder and renamed into place, so an interrupted
run never leaves half an entry, and the last :data:`KEEP` entries of each notebook are kept.
Not keyed: environment variables other than those above and system settings outside
Python; run with ``--force`` after changing them.

Why not jupyter-cache (what Jupyter Book uses): it keys a notebook on its code cells and
chosen metadata only (the data, library and versions would have to be smuggled into the
notebook), keeps the executed notebook but not its page (figure files only as declared
artifacts), and its SQLite layer costs ≈ 0.45 s of imports per lookup on our machines, more
than a whole unchanged rerun takes with this module: plain files and ``hashlib``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KEEP", "Entry", "inputs_digest", "libraries", "lookup", "notebook_key", "restore",
           "store"]

#: entries kept per notebook (the most recently used)
KEEP = 3

#: bump when the layout of an entry changes: older entries are then never found
_LAYOUT = "coopstats notebook cache 1"

#: the library whose code is keyed: the coopstats package
LIBRARY = Path(__file__).resolve().parent.parent

#: where matplotlib finds the system's fonts (Linux and macOS); the file names are keyed
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts",
             "~/.fonts", "/Library/Fonts", "~/Library/Fonts")


@dataclass(frozen=True)
class Entry:
    """One cached notebook run: its folder and what ``entry.json`` says about it."""

    folder: Path
    name: str
    title: str
    summary: str
    seconds: float
    figures: tuple[str, ...]


def _tree(h, label: str, root: Path | None, *, content: bool = True) -> None:
    """Add every regular file under ``root`` (its relative path, and its bytes or, with
    ``content=False``, its size) to the hash ``h``; ``__pycache__`` is left out."""
    h.update(f"\0{label}\0{root}\0".encode())
    if root is None or not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = Path(folder, name)
            if not path.is_file():  # a FIFO, a device, a broken link: never read
                continue
            h.update(f"{path.relative_to(root).as_posix()}\0".encode())
            try:
                h.update(hashlib.sha256(path.read_bytes()).digest() if content
                         else str(path.stat().st_size).encode())
            except OSError as err:
                h.update(f"unreadable: {err.strerror}".encode())


def inputs_digest(*, data_dir: Path | str | None = None, sources: Path | str | None = None,
                  formats: str = "png", library: Path | None = None) -> str:
    """The part of every notebook's key that the whole run shares: data folder, source
    articles, library code, figure formats, Python version and installed fonts.

    Examples
    --------
    >>> inputs_digest() == inputs_digest()
    True
    >>> inputs_digest(formats="png") != inputs_digest(formats="png,svg")
    True
    """
    from coopstats.dataset.locations import find_sources, resolve_data_dir, sources_dir

    h = hashlib.sha256(f"{_LAYOUT}\0{sys.version}\0{sys.platform}\0{formats}".encode())
    _tree(h, "data", resolve_data_dir(data_dir).resolve())
    _tree(h, "sources", sources_dir(sources) if sources is not None else find_sources())
    _tree(h, "library", library or LIBRARY)
    for folder in FONT_DIRS:
        _tree(h, "fonts", Path(folder).expanduser(), content=False)
    return h.hexdigest()


def notebook_key(inputs: str, notebook: Path, parameters: dict) -> str:
    """The cache key of one notebook: the run's :func:`inputs_digest`, the notebook's file
    name and bytes, and the parameters it is given."""
    h = hashlib.sha256(f"{inputs}\0{notebook.name}\0".encode())
    h.update(notebook.read_bytes())
    h.update(json.dumps(parameters, sort_keys=True, ensure_ascii=True).encode())
    return h.hexdigest()


def _entry_folder(cache: Path, name: str, key: str) -> Path:
    return cache / name / key[:32]


def lookup(cache: Path, name: str, key: str) -> Entry | None:
    """The entry of notebook ``name`` under ``key``, if there is one and the libraries its
    kernel imported are still installed at the versions it ran with; else None."""
    folder = _entry_folder(cache, name, key)
    try:
        meta = json.loads((folder / "entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    figures = tuple(meta.get("figures", ()))
    files = ["notebook.ipynb", "page.html", *(f"figures/{f}" for f in figures)]
    if meta.get("key") != key or not all((folder / f).is_file() for f in files) \
            or _changed(meta.get("libraries", {})):
        return None
    with contextlib.suppress(OSError):
        os.utime(folder / "entry.json")  # recently used: kept by the pruning
    return Entry(folder, name, meta.get("title", ""), meta.get("summary", ""),
                 float(meta.get("seconds", 0.0)), figures)


def _changed(recorded: dict[str, str]) -> bool:
    """Whether any library in ``recorded`` (name → version) is now missing or another
    version."""
    return any(_installed(name) != was for name, was in recorded.items())


@functools.cache
def _installed(name: str) -> str | None:
    """The installed version of distribution ``name`` (None if it is not installed); asked
    once per process, as the notebooks of one run share most of their libraries."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def libraries(modules: list[str]) -> dict[str, str]:
    """The installed distributions (name → version) that provide the top-level ``modules``
    a kernel had imported; modules of no distribution (the standard library, local files)
    are left out.

    Examples
    --------
    >>> "numpy" in {name.lower() for name in libraries(["numpy", "json"])}
    True
    """
    owners = _owners()
    found = {dist: version for module in modules for dist in owners.get(module, ())
             if (version := _installed(dist)) is not None}
    return dict(sorted(found.items()))


@functools.cache
def _owners() -> dict[str, list[str]]:
    """Top-level module → the distributions that provide it (scanned once per process)."""
    from importlib.metadata import packages_distributions

    return packages_distributions()


def store(cache: Path, key: str, result, out: Path, figures: list[str],
          libs: dict[str, str]) -> None:
    """Keep what notebook ``result.name`` wrote to ``out`` (its notebook, page and
    ``figures``) under ``key``, atomically; then drop its least recently used entries
    beyond :data:`KEEP`."""
    target = _entry_folder(cache, result.name, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    try:
        shutil.copyfile(out / f"{result.name}.ipynb", tmp / "notebook.ipynb")
        shutil.copyfile(out / f"{result.name}.html", tmp / "page.html")
        (tmp / "figures").mkdir()
        for name in figures:
            shutil.copyfile(out / "figures" / name, tmp / "figures" / name)
        meta = {"key": key, "name": result.name, "title": result.title,
                "summary": result.summary, "seconds": round(result.seconds, 2),
                "figures": sorted(figures), "libraries": libs}
        (tmp / "entry.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False),
                                        encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(target.parent)


def _prune(folder: Path) -> None:
    """Keep the :data:`KEEP` most recently used entries in ``folder``."""
    def used(entry: Path) -> float:
        try:
            return (entry / "entry.json").stat().st_mtime
        except OSError:
            return 0.0

    entries = sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=used, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)


def restore(entry: Entry, out: Path) -> None:
    """Copy a cached notebook's files into ``out``, each to a temporary name renamed into
    place: the executed notebook, its page and its figures, byte for byte."""
    (out / "figures").mkdir(parents=True, exist_ok=True)
    pairs = [(entry.folder / "notebook.ipynb", out / f"{entry.name}.ipynb"),
             (entry.folder / "page.html", out / f"{entry.name}.html")]
    pairs += [(entry.folder / "figures" / f, out / "figures" / f) for f in entry.figures]
    for src, dest in pairs:
        tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, dest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
