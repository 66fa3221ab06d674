"""The full notebook run versus its floor, measured side by side in one run.

- full:  ``coopstats.report.run.run_all`` on notebooks/ (what ``make notebooks`` runs): fresh
  kernel per notebook, JOBS at a time, executed notebooks, HTML pages, index, figures.
- floor: the same number of fresh kernels, JOBS at a time, each executing only the import
  statements of its notebook (plus ``import seaborn`` for notebooks that call
  ``plotting.setup()``, which imports it), through nbclient with the same kernel settings
  (and ports handed out by the parent, as the runner does), writing nothing. This is what
  any run of these notebooks must pay.

The two alternate ROUNDS times; the medians are compared, and each round's own ratio is
printed too (this virtual machine's speed drifts by a third from minute to minute, so a
single pair can mislead). Target: full <= 1.3x floor.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _common import REPO, header, median, timed

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
JOBS = int(os.environ.get("BENCH_JOBS", "3"))  # as `make notebooks`
NOTEBOOKS = REPO / "notebooks"
_IMPORT = re.compile(r"^(import\s+\S.*|from\s+\S+\s+import\s+.*)$")


def floor_source(path: Path) -> str:
    """The import statements of one notebook, in order (what its kernel must load)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    lines: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines += [ln for ln in cell.source.splitlines() if _IMPORT.match(ln)]
        if "plotting.setup(" in cell.source:
            lines.append("import seaborn")
    return "\n".join(dict.fromkeys(lines))


def _run_floor_kernel(source: str, cwd: str, ports: list[int]) -> None:
    import nbformat

    from coopstats.report.kernels import KERNEL_ENV, kernel_manager, notebook_client

    os.environ.update(KERNEL_ENV)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook_client(nb, kernel_manager(ports), cwd).execute()


def run_floor(sources: list[str]) -> None:
    from coopstats.report.kernels import PORTS_PER_KERNEL as N
    from coopstats.report.kernels import free_ports, pool_context

    ports = free_ports(N * len(sources))
    with ProcessPoolExecutor(max_workers=JOBS, mp_context=pool_context()) as pool:
        list(pool.map(_run_floor_kernel, sources, [str(NOTEBOOKS)] * len(sources),
                      [ports[N * i:N * (i + 1)] for i in range(len(sources))]))


def run_full(out: Path) -> None:
    from coopstats.report.run import run_all

    run_all(NOTEBOOKS, out, jobs=JOBS, progress=lambda msg: None)


def main() -> int:
    from coopstats.report.run import find_notebooks

    header(f"notebooks: full run vs floor of fresh import-only kernels (-j {JOBS}, "
           f"medians of {ROUNDS})")
    paths = find_notebooks(NOTEBOOKS)
    sources = [floor_source(p) for p in paths]
    full, floor = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(ROUNDS):
            floor.append(timed(lambda: run_floor(sources)))
            full.append(timed(lambda i=i: run_full(Path(tmp) / f"build{i}")))
    f, b = median(full), median(floor)
    print(f"   floor ({len(paths)} kernels, imports only) {b:6.2f} s   runs: "
          + " ".join(f"{x:.2f}" for x in floor))
    print(f"   full run (make notebooks)          {f:6.2f} s   runs: "
          + " ".join(f"{x:.2f}" for x in full))
    per_round = sorted(x / y for x, y in zip(full, floor, strict=True))
    print("   ratio per round (sorted)          " + " ".join(f"{r:.2f}x" for r in per_round))
    ratio = f / b
    print(f"   ratio of medians {ratio:.2f}x (target <= 1.30x): "
          f"{'ok' if ratio <= 1.3 else 'ABOVE TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
