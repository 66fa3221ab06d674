"""Atomic file writes: every file coopstats writes goes to a temporary name beside its target
and is renamed into place only when complete, so an interrupted command leaves the old file.

Used by the report (runner), figures (plotting), screenshots (browser), ``export`` and
``datapackage``. Nothing here ever writes under the data folder: see :func:`refuse_data_dir`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "refuse_data_dir", "write_text"]


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` when the block ends.

    The temporary name keeps the target's suffix (tools that infer the format from it still
    work) and is unique per call. If the block raises, or the process is interrupted, the
    target keeps its old content; on an exception or Ctrl-C the temporary file is removed.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("new")
    >>> target.read_text()
    'new'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
                           f"{target.suffix}")
    try:
        yield tmp
        with open(tmp, "rb+") as f:  # on disk before the rename makes it visible
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(target: Path | str, text: str) -> None:
    """Write UTF-8 text to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def refuse_data_dir(out: Path | str, *data_dirs: Path | str | None) -> str | None:
    """A one-line reason when ``out`` lies inside a data folder (commands never write there),
    else None."""
    resolved = Path(out).resolve()
    for folder in data_dirs:
        if folder is None:
            continue
        root = Path(folder).resolve()
        if resolved == root or root in resolved.parents:
            return f"{out}: refusing to write inside the data folder {folder}"
    return None
