"""`import coopstats` + loading and validating every table, versus `import pandas` alone.

Each side runs in a fresh interpreter that times itself from its first statement (so
interpreter start-up, the same for both, is left out); the two sides alternate, REPEATS times
each, and the medians are compared. Target: <= 1.2x.
"""

from __future__ import annotations

import sys

from _common import header, in_fresh_python, median

REPEATS = 9
PANDAS = ("import time; t = time.perf_counter(); import pandas; "
          "print(time.perf_counter() - t)")
COOPSTATS = ("import time; t = time.perf_counter(); import coopstats; "
             "data = coopstats.load_all(); assert len(data.facts) > 100; "
             "print(time.perf_counter() - t)")
# the same, plus every quote checked against the five articles (needs the sources)
WITH_SOURCES = ("import time; t = time.perf_counter(); import coopstats; "
                "from coopstats import find_sources; "
                "data = coopstats.load_all(sources=find_sources()); "
                "print(time.perf_counter() - t)")


def main() -> int:
    header("import coopstats + load_all() vs import pandas (fresh interpreters, medians)")
    from coopstats import find_sources

    sides = {"import pandas": PANDAS, "import coopstats + load_all()": COOPSTATS}
    if find_sources() is not None:
        sides["  … + every quote checked"] = WITH_SOURCES
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(REPEATS):
        for name, code in sides.items():
            times[name].append(in_fresh_python(code))
    floor = median(times["import pandas"])
    for name, values in times.items():
        print(f"   {name:32s} {median(values) * 1000:7.0f} ms  "
              f"{median(values) / floor:5.2f}x")
    ratio = median(times["import coopstats + load_all()"]) / floor
    print(f"   ratio {ratio:.2f}x (target <= 1.20x): {'ok' if ratio <= 1.2 else 'ABOVE TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
