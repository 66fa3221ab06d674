"""The main job against what a user would run instead, and reruns against the first run.

Sides, each the command a user types, run as a subprocess and measured by
``_common.measure`` (wall seconds, CPU seconds of its process tree, and the CPU the rest of
the machine used meanwhile, i.e. other users' load):

- nbconvert: ``jupyter nbconvert --to html --execute`` on a copy of the notebooks (one
  kernel after another, as nbconvert does);
- cold:      ``coopstats notebooks -j 3`` with an empty cache (what ``make notebooks`` runs
  the first time; the environment is installed already);
- rerun:     the same command again, nothing changed: every notebook from the cache;
- one edit:  the same command after one notebook (03) gained a markdown cell: only that
  one runs (checked from the progress lines).

The sides alternate ROUNDS times (this virtual machine is shared: its speed drifts from
minute to minute), medians are compared, and each round's own ratios are printed too.
Targets: cold <= 0.5x nbconvert, rerun <= 0.15x cold.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from _common import REPO, header, measure, median

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
JOBS = os.environ.get("BENCH_JOBS", "3")  # as `make notebooks`
BIN = Path(sys.executable).parent
EDITED = "03_aid_intensity.ipynb"


def copy_notebooks(dest: Path) -> Path:
    shutil.copytree(REPO / "notebooks", dest, ignore=shutil.ignore_patterns("*.py", "figures"))
    return dest


def edit(notebook: Path, round_no: int) -> None:
    """Append a markdown cell: the notebook's source changes, its code does not."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"An edit (round {round_no})."))
    nbformat.write(nb, notebook)


def one_round(tmp: Path, i: int) -> dict[str, dict[str, float]]:
    folder = copy_notebooks(tmp / f"notebooks{i}")
    out = tmp / f"build{i}"
    ours = [str(BIN / "coopstats"), "notebooks", "--notebooks", str(folder), "--out",
            str(out), "-j", JOBS]
    sides = {"nbconvert": measure([str(BIN / "jupyter"), "nbconvert", "--to", "html",
                                   "--execute", "--output-dir", str(tmp / f"nbconvert{i}"),
                                   *sorted(str(p) for p in folder.glob("*.ipynb"))])}
    sides["cold"] = measure(ours)
    sides["rerun"] = measure(ours)
    edit(folder / EDITED, i)
    sides["one edit"] = measure(ours)
    ran = [ln for ln in sides["one edit"]["stdout"].splitlines() if " ok (" in ln]
    assert len(ran) == 1 and EDITED[:-6] in ran[0], ran
    return sides


def report(rounds: list[dict[str, dict[str, float]]]) -> None:
    names = list(rounds[0])
    for name in names:
        walls = [r[name]["wall"] for r in rounds]
        print(f"   {name:10s} {median(walls):6.2f} s  (runs " + " ".join(
            f"{w:.2f}" for w in walls) + f"; CPU {median([r[name]['cpu'] for r in rounds]):5.1f}"
            f" s; other users {median([r[name]['others'] for r in rounds]):5.1f} CPU s)")
    for num, den, target in (("cold", "nbconvert", 0.5), ("rerun", "cold", 0.15),
                             ("one edit", "cold", None)):
        per = sorted(r[num]["wall"] / r[den]["wall"] for r in rounds)
        ratio = median([r[num]["wall"] for r in rounds]) / median(
            [r[den]["wall"] for r in rounds])
        verdict = "" if target is None else (
            f" (target <= {target:.2f}x): " + ("ok" if ratio <= target else "ABOVE TARGET"))
        print(f"   {num} / {den}: {ratio:.2f}x{verdict}   per round "
              + " ".join(f"{x:.2f}x" for x in per))


def main() -> int:
    header(f"notebooks: cold run vs nbconvert --execute, reruns vs cold (-j {JOBS}, "
           f"medians of {ROUNDS})")
    with tempfile.TemporaryDirectory() as tmp:
        rounds = [one_round(Path(tmp), i) for i in range(ROUNDS)]
    report(rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
