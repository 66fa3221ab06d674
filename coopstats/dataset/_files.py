"""How a file in a data or sources folder is read safely.

A data folder may come from anyone (a student's copy, a pull request), so nothing in it is
trusted: only regular files are read, never more than :data:`MAX_FILE_BYTES`, and never a file
that a symbolic link places outside its folder (``facts/x.csv -> /etc/passwd``). A file that is
not read raises :class:`Unreadable` with a short reason, never its content.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["MAX_FILE_BYTES", "Unreadable", "folder", "folder_argument", "read_file",
           "search_folder"]

#: The largest table or source article read (10 MiB); the shipped files are under 20 KB.
MAX_FILE_BYTES = 10 * 2**20

_EMPTY = "empty path; name a folder ('.' for the current one)"
_NOT_FOUND = frozenset({"ENOENT", "ENOTDIR"})
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class Unreadable(Exception):
    """A file or folder that is not read. ``reason`` says why in a few words (never the
    file's content); ``missing`` is true when nothing is there."""

    def __init__(self, reason: str, *, missing: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing

    @classmethod
    def from_os(cls, err: OSError) -> Unreadable:
        name = errno.errorcode.get(err.errno or 0, "")
        return cls(f"cannot read: {err.strerror or name or err}", missing=name in _NOT_FOUND)


def folder(path: Path | str) -> Path:
    """``path`` as a :class:`~pathlib.Path`; an empty string is refused, because
    ``Path("")`` silently means the current folder.

    Examples
    --------
    >>> folder("data").name
    'data'
    >>> folder("")
    Traceback (most recent call last):
    ...
    ValueError: empty path; name a folder ('.' for the current one)
    """
    if isinstance(path, str) and not path:
        raise ValueError(_EMPTY)
    return Path(path)


def folder_argument(text: str) -> Path:
    """:func:`folder` as an ``argparse`` type: an empty path is a usage error (exit 2)."""
    import argparse

    try:
        return folder(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def search_folder(path: Path, *, listing: bool = False) -> list[str]:
    """Check that ``path`` is a folder whose files can be opened (and, with ``listing``,
    listed); return its entries (empty unless ``listing``).

    Raises
    ------
    Unreadable
        Not found (``missing``), not a folder, or not searchable/readable.
    """
    try:
        if not stat.S_ISDIR(os.stat(path).st_mode):
            raise Unreadable("not a folder")
        os.stat(os.path.join(path, "."))  # needs search (x) permission on the folder
        return os.listdir(path) if listing else []
    except OSError as err:
        raise Unreadable.from_os(err) from None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def read_file(path: Path, root: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read ``path``, a regular file inside the folder ``root`` (symbolic links resolved).

    Raises
    ------
    Unreadable
        Missing, not a regular file (FIFO, device, folder), outside ``root`` after resolving
        symbolic links, larger than ``limit`` bytes, or not readable (permissions, a name
        too long …).
    """
    real = os.path.realpath(path)
    if not _inside(real, os.path.realpath(root)):
        raise Unreadable(f"a symbolic link to a file outside {root}; not read")
    try:
        _regular(os.stat(real), limit)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(real, flags | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            _regular(os.fstat(f.fileno()), limit)  # the same file as stat'ed above
            data = f.read(limit + 1)
    except OSError as err:
        raise Unreadable.from_os(err) from None
    if len(data) > limit:
        raise Unreadable(f"larger than {limit // 2**20} MB; not read")
    return data


def _regular(st: os.stat_result, limit: int) -> None:
    for test, kind in _KINDS:
        if test(st.st_mode):
            raise Unreadable(f"{kind}, not a regular file; not read")
    if st.st_size > limit:
        raise Unreadable(f"larger than {limit // 2**20} MB; not read")
