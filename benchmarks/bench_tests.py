"""How long a contributor waits for the tests: ``make test`` on a fresh clone, the same suite
one test at a time, and the fast loop.

In one fresh ``git clone`` of HEAD, with ``../shared`` beside it as CI lays it out (so the
evidence tests run) and ``CI=true`` (so nothing is skipped):

- ``make test``: creating ``.venv``, installing the ``test`` extra, ruff, and pytest with
  ``-n auto`` (one worker per core, the executed notebooks shared by the workers);
- serial: ``pytest -n 0`` in that environment, the same tests one at a time (what
  ``make test`` ran before issue 23);
- fast loop: ``pytest -n auto -m "not slow"``, what README "Tests" suggests while working
  (no wheel build, no end-to-end notebook runs).

The machine's own uv and pip caches are used (a newcomer's second clone); other users' CPU
seconds are printed beside each side. Target: ``make test`` <= 90 s wall (issue 23).
Uncommitted changes are not measured: the clone is of HEAD.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from _common import REPO, clone_head, header, measure, note_uncommitted

TARGET = 90.0


def clone(tmp: Path) -> Path:
    """HEAD at ``tmp/main``, with ``../shared`` beside it as CI lays it out."""
    (tmp / "shared").symlink_to(REPO.parent / "shared")
    return clone_head(tmp / "main")


def passed(stdout: str) -> str:
    """pytest's summary line ("1499 passed in 180.1s"), or the last line."""
    lines = [ln for ln in stdout.splitlines() if re.search(r"\d+ passed", ln)]
    return (lines or stdout.splitlines()[-1:] or [""])[-1].strip("= ")


def main() -> int:
    header("make test on a fresh clone, the suite one test at a time, the fast loop")
    note_uncommitted()
    env = {**os.environ, "CI": "true"}
    with tempfile.TemporaryDirectory() as tmp:
        where = clone(Path(tmp))
        sides = {
            "make test": ["make", "test"],
            "serial pytest -n 0": [".venv/bin/python", "-m", "pytest", "-n", "0", "-q"],
            "fast loop": [".venv/bin/python", "-m", "pytest", "-n", "auto", "-q", "-m",
                          "not slow"],
        }
        runs = {name: measure(argv, env, where) for name, argv in sides.items()}
    for name, r in runs.items():
        print(f"   {name:20s} {r['wall']:6.1f} s  (CPU {r['cpu']:6.1f} s; other users "
              f"{r['others']:5.1f} CPU s)  {passed(r['stdout'])}")
    full, serial = runs["make test"]["wall"], runs["serial pytest -n 0"]["wall"]
    print(f"   make test {full:.0f} s (target <= {TARGET:.0f} s): "
          f"{'ok' if full <= TARGET else 'ABOVE TARGET'}; {full / serial:.2f}x the serial "
          f"suite; fast loop {runs['fast loop']['wall'] / serial:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
