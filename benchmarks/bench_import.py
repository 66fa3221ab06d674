"""`import coopstats` + loading and validating every table, versus `import pandas` alone.

Each side runs in a fresh interpreter that times itself from its first statement (so
interpreter start-up, the same for both, is left out); the two sides alternate, REPEATS times
each, and the medians are compared. Target: <= 1.2x. Each side reports its wall time and its
CPU time (``time.process_time``): on a shared machine the CPU time moves less with other
users' load, so both ratios are printed; the verdict is on wall time.
"""

from __future__ import annotations

import os
import subprocess
import sys

from _common import REPO, header, median


def in_fresh_python(code: str) -> tuple[float, float]:
    """Run ``code`` in a new interpreter; it prints the wall and CPU seconds it measured."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO)
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)

REPEATS = int(os.environ.get("BENCH_IMPORT_REPEATS", "15"))
_START = "import time; t, c = time.perf_counter(), time.process_time(); "
_END = "; print(time.perf_counter() - t, time.process_time() - c)"
PANDAS = _START + "import pandas" + _END
COOPSTATS = (_START + "import coopstats; data = coopstats.load_all(); "
             "assert len(data.facts) > 100" + _END)
# the same, plus every quote checked against the five articles (needs the sources)
WITH_SOURCES = (_START + "import coopstats; from coopstats import find_sources; "
                "data = coopstats.load_all(sources=find_sources())" + _END)


def main() -> int:
    header("import coopstats + load_all() vs import pandas (fresh interpreters, medians)")
    from coopstats import find_sources

    sides = {"import pandas": PANDAS, "import coopstats + load_all()": COOPSTATS}
    if find_sources() is not None:
        sides["  … + every quote checked"] = WITH_SOURCES
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
    for _ in range(REPEATS):
        for name, code in sides.items():
            times[name].append(in_fresh_python(code))
    walls = {name: median([w for w, _ in v]) for name, v in times.items()}
    cpus = {name: median([c for _, c in v]) for name, v in times.items()}
    base_wall, base_cpu = walls["import pandas"], cpus["import pandas"]
    for name in times:
        print(f"   {name:32s} {walls[name] * 1000:7.0f} ms  {walls[name] / base_wall:5.2f}x"
              f"   CPU {cpus[name] * 1000:5.0f} ms  {cpus[name] / base_cpu:5.2f}x")
    ratio = walls["import coopstats + load_all()"] / walls["import pandas"]
    print(f"   ratio {ratio:.2f}x (target <= 1.20x): {'ok' if ratio <= 1.2 else 'ABOVE TARGET'}"
          f"   (CPU time: {cpus['import coopstats + load_all()'] / cpus['import pandas']:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
