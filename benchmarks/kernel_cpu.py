"""Where the notebook run's time goes: CPU seconds of each notebook's kernel, full versus its
floor (only the notebook's imports), one kernel at a time so they do not compete.

Not part of ``make bench`` (it takes ≈ 1 minute); run it when ``bench_notebooks.py`` moves:

    cd benchmarks && ../.venv/bin/python kernel_cpu.py

Each kernel reports its own ``getrusage`` CPU time in a last cell, so kernel start-up is
included on both sides and the workers, the parent and the HTML pages are not. Three runs per
side, medians. The kernels here start from scratch (``python -m ipykernel_launcher``), not
forked from the runner's fork server, so that each one's imports are counted: the floor is
what forking saves per notebook.
"""

from __future__ import annotations

import ast
import os
import statistics
import sys
import tempfile

from _common import REPO, header

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
NOTEBOOKS = REPO / "notebooks"
_PROBE = ("import resource as _r\n_u = _r.getrusage(_r.RUSAGE_SELF)\n"
          "print(_u.ru_utime + _u.ru_stime)")


def floor_source(path) -> str:
    """The import statements of one notebook, in order (what its kernel must load), plus
    ``import seaborn`` where it calls ``plotting.setup()`` (which imports it)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    lines: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        lines += [ast.get_source_segment(cell.source, node) for node in tree.body
                  if isinstance(node, ast.Import | ast.ImportFrom)]
        if "plotting.setup(" in cell.source:
            lines.append("import seaborn")
    return "\n".join(dict.fromkeys(lines))


def kernel_cpu(nb, figures: str) -> float:
    """CPU seconds a fresh kernel spent on ``nb`` (start-up included); its figures go to
    ``figures``."""
    import nbformat

    from coopstats.report.kernels import kernel_manager, notebook_client

    nb.cells.append(nbformat.v4.new_code_cell(_PROBE))
    notebook_client(nb, kernel_manager(), NOTEBOOKS, figures=figures).execute()
    return float(nb.cells[-1].outputs[-1]["text"])


def main() -> int:
    import nbformat

    from coopstats.report.kernels import KERNEL_ENV
    from coopstats.report.run import find_notebooks

    header(f"kernel CPU per notebook, full vs imports only (one at a time, medians of {ROUNDS})")
    os.environ.update(KERNEL_ENV)
    total_full = total_floor = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for path in find_notebooks(NOTEBOOKS):
            imports = floor_source(path)
            full, floor = [], []
            for _ in range(ROUNDS):
                full.append(kernel_cpu(nbformat.read(path, as_version=4), tmp))
                floor.append(kernel_cpu(nbformat.v4.new_notebook(
                    cells=[nbformat.v4.new_code_cell(imports)]), tmp))
            f, b = statistics.median(full), statistics.median(floor)
            total_full, total_floor = total_full + f, total_floor + b
            print(f"   {path.stem:22} floor {b:5.2f} s   full {f:5.2f} s   notebook's own "
                  f"work {f - b:5.2f} s")
    print(f"   {'all kernels':22} floor {total_floor:5.2f} s   full {total_full:5.2f} s   "
          f"ratio {total_full / total_floor:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
