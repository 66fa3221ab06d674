"""The console of one command: output that cannot stop the command, SIGTERM like Ctrl-C.

- A reader that stops reading (``coopstats validate … | head``) ends the output, not the
  command: the exit status stays the command's own (1 when validate found problems), so a CI
  step with ``set -o pipefail`` still fails.
- A character the console's encoding lacks (``PYTHONIOENCODING=latin-1``) is written as a
  backslash escape instead of failing the command.
- SIGTERM raises :class:`Terminated`, a ``KeyboardInterrupt``, so every cleanup that runs on
  Ctrl-C (temporary files, kernels) runs on ``kill`` too.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["Terminated", "console"]


class Terminated(KeyboardInterrupt):
    """The process got SIGTERM; handled like Ctrl-C."""


class _Stream:
    """``sys.stdout`` or ``sys.stderr`` while a command runs (see the module docstring)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            try:
                return self._stream.write(text)
            except UnicodeEncodeError:
                encoding = self._stream.encoding or "ascii"
                return self._stream.write(
                    text.encode(encoding, "backslashreplace").decode(encoding))
        except BrokenPipeError:
            self._discard()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._discard()

    def _discard(self) -> None:
        """Send the rest, and what is still buffered, to /dev/null."""
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _terminate(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not stop the cleanup
    raise Terminated


@contextmanager
def console() -> Iterator[None]:
    """Guard ``sys.stdout``/``sys.stderr`` and turn SIGTERM into :class:`Terminated` for the
    duration of the block; restore both afterwards.

    Examples
    --------
    >>> with console():
    ...     print("ok")
    ok
    """
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream(sys.stdout), _Stream(sys.stderr)
    try:
        previous, installed = signal.signal(signal.SIGTERM, _terminate), True
    except ValueError:  # not the main thread: signals stay as they are
        previous, installed = None, False
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = streams
        if installed:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
