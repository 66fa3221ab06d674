"""A newcomer's first ``make notebooks`` against a bare ``pip install`` of the same libraries.

Both sides start from nothing, back to back, with HOME pointing at an empty folder (no pip,
uv or matplotlib cache) and nothing of this project installed:

- first run: a fresh ``git clone`` of this repository's HEAD, then ``make notebooks`` in it:
  creating ``.venv``, installing the ``notebooks`` extra (with uv when it can be had,
  scripts/install.sh), executing every notebook and writing ``build/``. Measured as its two
  steps, ``make .venv/.installed-notebooks`` then ``make notebooks``, so the figures say
  which one limits it;
- pip: ``python3 -m venv`` and ``pip install`` of the libraries the ``notebooks`` extra
  names (the package's requirements), and nothing else: what a user pays before running
  anything at all.

The sides alternate ROUNDS times (``BENCH_FIRST_ROUNDS``, default 2; each round downloads
the libraries twice, ≈ 2 minutes), medians are compared. Target: first run <= 0.6x pip.
Uncommitted changes are not measured: the clone is of HEAD.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from _common import clone_head, header, measure, median, note_uncommitted

ROUNDS = int(os.environ.get("BENCH_FIRST_ROUNDS", "2"))
PYTHON = os.environ.get("PYTHON", "python3")  # as the Makefile


def libraries(extra: str = "notebooks") -> list[str]:
    """The requirements of coopstats with ``extra`` (as installed: the extras it includes
    are flattened into it), without coopstats itself."""
    from importlib.metadata import requires

    found = []
    for req in requires("coopstats") or []:
        name, _, marker = req.partition(";")
        if not marker.strip() or marker.replace('"', "'").strip() == f"extra == '{extra}'":
            found.append(name.strip())
    return sorted(found)


def empty_home(path: Path) -> dict[str, str]:
    """The environment with HOME at the empty folder ``path`` and no cache elsewhere."""
    path.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "UV_", "VIRTUAL_ENV", "MPLCONFIGDIR"))}
    env["HOME"] = str(path)
    return env


def first_run(tmp: Path, i: int) -> dict[str, float]:
    clone = clone_head(tmp / f"clone{i}")
    env = empty_home(tmp / f"home-make{i}")
    install = measure(["make", f"PYTHON={PYTHON}", ".venv/.installed-notebooks"], env, clone)
    run = measure(["make", f"PYTHON={PYTHON}", "notebooks"], env, clone)
    return {"wall": install["wall"] + run["wall"], "install": install["wall"],
            "run": run["wall"], "others": install["others"] + run["others"],
            "cpu": install["cpu"] + run["cpu"]}


def bare_pip(tmp: Path, i: int) -> dict[str, float]:
    venv = tmp / f"pip{i}"
    env = empty_home(tmp / f"home-pip{i}")
    return measure(["bash", "-c", f'"{PYTHON}" -m venv "{venv}" && "{venv}/bin/pip" install '
                    f"--quiet " + " ".join(f"'{r}'" for r in libraries())], env, tmp)


def main() -> int:
    header(f"first make notebooks on a fresh clone vs a bare pip install (empty HOME, "
           f"medians of {ROUNDS})")
    note_uncommitted()
    print("   pip side installs: " + " ".join(libraries()))
    mine, pip = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(ROUNDS):
            pip.append(bare_pip(Path(tmp), i))
            mine.append(first_run(Path(tmp), i))
    for name, runs in (("bare pip install", pip), ("first make notebooks", mine)):
        print(f"   {name:22s} {median([r['wall'] for r in runs]):6.1f} s  (runs "
              + " ".join(f"{r['wall']:.1f}" for r in runs) + "; other users "
              + f"{median([r['others'] for r in runs]):5.1f} CPU s)")
    print(f"     of which install   {median([r['install'] for r in mine]):6.1f} s, "
          f"notebooks {median([r['run'] for r in mine]):6.1f} s")
    ratio = median([r["wall"] for r in mine]) / median([r["wall"] for r in pip])
    per = sorted(m["wall"] / p["wall"] for m, p in zip(mine, pip, strict=True))
    print(f"   ratio {ratio:.2f}x (target <= 0.60x): {'ok' if ratio <= 0.6 else 'ABOVE TARGET'}"
          "   per round " + " ".join(f"{x:.2f}x" for x in per))
    return 0


if __name__ == "__main__":
    sys.exit(main())
