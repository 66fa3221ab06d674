"""The fingerprint of the shipped dataset: the sha256 of every CSV table under data/.

Tests that pin the shipped dataset's numbers (the headline numbers, counts of coded facts)
are marked ``shipped_data``: they run only when the data they read are the shipped data, and
are skipped with a message otherwise (a student's added article is not an error), except in
CI (``CI=true``), where data that differ from the fingerprint fail the run. After a
deliberate change to the shipped data, write the new fingerprint::

    .venv/bin/python tests/shipped_data.py --write
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FINGERPRINT = Path(__file__).resolve().parent / "shipped_data.sha256"


def fingerprint(root: Path) -> dict[str, str]:
    """sha256 of every ``*.csv`` under ``root``, by path relative to it (``/``-separated)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*.csv")) if p.is_file()}


def recorded() -> dict[str, str]:
    """The stored fingerprint (``sha256  path`` lines, as ``sha256sum`` writes them)."""
    lines = FINGERPRINT.read_text(encoding="utf-8").splitlines()
    return {path: digest for digest, path in (ln.split("  ", 1) for ln in lines if ln)}


def differences(root: Path) -> str:
    """How the tables under ``root`` differ from the shipped ones ("" when they do not)."""
    have, want = fingerprint(root), recorded()
    changes = [f"{p} added" for p in sorted(set(have) - set(want))]
    changes += [f"{p} missing" for p in sorted(set(want) - set(have))]
    changes += [f"{p} changed" for p in sorted(set(have) & set(want)) if have[p] != want[p]]
    return ", ".join(changes[:4]) + (f" and {len(changes) - 4} more" if len(changes) > 4 else "")


def write(root: Path = REPO / "data") -> None:
    FINGERPRINT.write_text("".join(f"{d}  {p}\n" for p, d in fingerprint(root).items()),
                           encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/shipped_data.py --write   (after changing data/ on purpose)")
    write()
    print(f"wrote {FINGERPRINT}")
