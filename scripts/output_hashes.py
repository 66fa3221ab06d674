"""Hashes of everything the main job and the exports write, to show a refactoring changed
no output (issue 23: "outputs byte-identical before and after the move, checked").

    python scripts/output_hashes.py OUT.json      # run on each side, then compare the files

It executes every notebook afresh (no cache) into a temporary folder, exports every table in
every format, and records the SHA-256 of each figure, each export file, each executed
notebook's cell outputs (the notebook's sources may differ: an import line that moved) and
each HTML page; a Stata file's time stamp and an xlsx file's creation date are left out. Runs the
installed ``coopstats`` command of the current environment.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

FORMATS = ("xlsx", "csv", "json", "dta")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stable(path: Path) -> bytes:
    """The file's bytes, less the moment it was written: a Stata file's header time stamp,
    an xlsx workbook's document properties (created, modified)."""
    if path.suffix == ".dta":
        return re.sub(rb"<timestamp>.{1}[^<]*</timestamp>", b"<timestamp/>",
                      path.read_bytes(), count=1, flags=re.S)
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return b"".join(name.encode() + z.read(name) for name in sorted(z.namelist())
                            if name != "docProps/core.xml")
    return path.read_bytes()


def _outputs(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return _sha(json.dumps([c.get("outputs", []) for c in cells], sort_keys=True).encode())


def hashes(out: Path) -> dict[str, str]:
    cli = [str(Path(sys.executable).with_name("coopstats"))]
    subprocess.run([*cli, "notebooks", "--notebooks", "notebooks", "--out", str(out),
                    "--force"], check=True)
    for fmt in FORMATS:
        subprocess.run([*cli, "export", "--format", fmt, "--tables", "all", "--out",
                        f"{out}/export-{fmt}/"], check=True)
    found = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file() or ".cache" in path.parts:
            continue
        key = str(path.relative_to(out))
        found[key] = _outputs(path) if path.suffix == ".ipynb" else _sha(_stable(path))
    return found


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = hashes(Path(tmp) / "build")
    Path(sys.argv[1]).write_text(json.dumps(result, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8")
    print(f"{len(result)} files hashed into {sys.argv[1]}")


if __name__ == "__main__":
    main()
