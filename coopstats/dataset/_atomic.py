"""Atomic file writes: every file coopstats writes goes to a temporary name beside its target
and is renamed into place only when complete, so an interrupted command leaves the old file.

Used by the report (runner), figures (plotting), screenshots (browser), ``export`` and
``datapackage``. Nothing here ever writes under the data folder: see :func:`refuse_data_dir`.
A target that cannot be written is an :class:`OutputError`, one line ``<path>: <reason>``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["NAME_MAX", "OutputError", "atomic_path", "check_target", "looks_like_data_dir",
           "refuse_data_dir", "write_text"]

#: Longest file name (bytes) and path (bytes, without the final NUL) Linux file systems take.
NAME_MAX, PATH_MAX = 255, 4095


class OutputError(OSError):
    """A file cannot be written where asked; ``str(err)`` is one line, ``<path>: <reason>``.

    An ``OSError``, so code that catches those still does.
    """


def check_target(target: Path | str) -> Path:
    """``target`` as a Path if a file can be written there; else raise :class:`OutputError`.

    Checks, without creating anything: the name and path lengths, that the target is not a
    folder, and that its nearest existing parent is a folder this process may write in.

    Examples
    --------
    >>> check_target("x" * 300 + ".json")
    Traceback (most recent call last):
    ...
    coopstats.dataset._atomic.OutputError: xxx...xxx.json: file name too long (305 bytes; at ...
    """
    target = Path(target)
    whole = len(os.fsencode(target.absolute()))
    if whole > PATH_MAX:
        raise OutputError(f"{target}: path too long ({whole} bytes; at most {PATH_MAX})")
    for part in target.parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise OutputError(f"{target}: file name too long "
                              f"({len(os.fsencode(part))} bytes; at most {NAME_MAX})")
    if target.name in ("", ".", ".."):
        raise OutputError(f"{target}: is a folder, not a file name")
    try:
        if target.is_dir():
            raise OutputError(f"{target}: is a folder, not a file name")
        folder = target.parent
        while not folder.exists() and not folder.is_symlink():
            folder = folder.parent
        if not folder.is_dir():
            raise OutputError(f"{target}: {folder} is not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"{target}: cannot write in {folder}: permission denied")
    except OutputError:
        raise
    except OSError as err:
        raise OutputError(f"{target}: cannot write: {err.strerror or err}") from err
    return target


def _temporary_name(target: Path) -> str:
    """``.<stem>.<pid>-<hex>.tmp<suffix>``, stem and suffix shortened to stay far below
    :data:`NAME_MAX` whatever the target's name."""
    suffix = target.suffix if len(target.suffix) <= 16 else ""
    return f".{target.stem[:32]}.{os.getpid()}-{secrets.token_hex(4)}.tmp{suffix}"


def _make_parents(folder: Path, created: list[Path]) -> None:
    """Create ``folder`` and its missing parents, recording each one made in ``created``."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
        created.append(path)


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` when the block ends.

    The temporary name keeps the target's suffix (tools that infer the format from it still
    work) and is unique per call. If the block raises, or the process is interrupted, the
    target keeps its old content; on an exception or Ctrl-C the temporary file, and any
    folder made for the target, are removed. A file system error is an :class:`OutputError`
    naming ``target`` (not the temporary name).

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("new")
    >>> target.read_text()
    'new'
    """
    target = check_target(target)
    tmp = target.with_name(_temporary_name(target))
    created: list[Path] = []
    try:
        _make_parents(target.parent, created)
        yield tmp
        with open(tmp, "rb+") as f:  # on disk before the rename makes it visible
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(err, OSError) and not isinstance(err, OutputError):
            raise OutputError(f"{target}: cannot write: {err.strerror or err}") from err
        raise


def write_text(target: Path | str, text: str) -> None:
    """Write UTF-8 text to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def looks_like_data_dir(folder: Path | str) -> bool:
    """True when ``folder`` holds the articles table and a facts folder, as every data
    folder (the shipped one or a copy) does.

    Examples
    --------
    >>> from coopstats import data_dir
    >>> looks_like_data_dir(data_dir()), looks_like_data_dir(data_dir().parent)
    (True, False)
    """
    from coopstats.dataset.schema import SCHEMA

    folder = Path(folder)
    try:
        return ((folder / SCHEMA["articles"].path).is_file()
                and (folder / SCHEMA["facts"].path).parent.is_dir())
    except OSError:
        return False


def refuse_data_dir(out: Path | str, *data_dirs: Path | str | None) -> str | None:
    """A one-line reason when ``out`` lies inside a data folder (commands never write there),
    else None: one of ``data_dirs``, or any folder that :func:`looks_like_data_dir`."""
    resolved = Path(out).resolve()
    for folder in data_dirs:
        if folder is None:
            continue
        root = Path(folder).resolve()
        if resolved == root or root in resolved.parents:
            return f"{out}: refusing to write inside the data folder {folder}"
    for folder in (resolved, *resolved.parents):
        if looks_like_data_dir(folder):
            return f"{out}: refusing to write inside the data folder {folder}"
    return None
