"""Loaders, validator and intensity functions on synthetic data 1x, 10x and 100x the real
dataset. Growth must be linear or better; 100x must take under 2 s.

The synthetic data keep the real reference tables (articles, places, pairings, indicators,
context, CPI) and repeat every article's facts k times: fresh fact ids, and every Arabic digit
of a figure replaced by a random one (the same in its quote; ranges are kept as they are),
so the parser mostly sees new texts rather than its cache. Quotes are then no longer in the
articles, so the evidence check is left out (bench_import.py measures it on the real data).
"""

from __future__ import annotations

import csv
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _common import header

SCALES = (1, 10, 100)
STEPS = ("validate", "load_all", "intensity")


def synthesise(src: Path, dest: Path, k: int, seed: int = 1) -> int:
    """Copy ``src`` to ``dest`` with every facts file repeated ``k`` times; return the
    number of facts written."""
    rng = random.Random(seed)
    shutil.copytree(src, dest)
    n = 0
    ids: dict[str, str] = {}  # old fact id -> its first copy's id (for the reports' links)
    for path in sorted((dest / "facts").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        fields = list(rows[0])
        prefix = rows[0]["fact_id"].split("-")[0]
        out = []
        renamed = {r["fact_id"]: f"{prefix}-{i + 1:04d}" for i, r in enumerate(rows)}
        ids.update(renamed)
        for copy in range(k):
            for row in rows:
                row = dict(row)
                row["fact_id"] = f"{prefix}-{len(out) + 1:04d}"
                for link in ("duplicate_of", "part_of"):  # the first copy keeps its links
                    row[link] = renamed.get(row[link], row[link]) if not copy else ""
                if copy and not re.search(r"[—\-~～至到]", row["raw"]):  # ranges keep order
                    raw = re.sub(r"[1-9]", lambda m: str(rng.randint(1, 9)), row["raw"])
                    row["quote"] = row["quote"].replace(row["raw"], raw, 1)
                    row["raw"] = raw
                if copy:
                    row["quote"] += f"（{copy}）"  # no two rows are the same figure and quote
                out.append(row)
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(out)
        n += len(out)
    _relink_reports(dest / "context" / "reports.csv", ids)
    return n


def _relink_reports(path: Path, ids: dict[str, str]) -> None:
    """Point the reports' ``duplicate_of`` links at the renamed facts."""
    if not path.exists():
        return
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["duplicate_of"] = ids.get(row["duplicate_of"], row["duplicate_of"])
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def measure(data_dir: Path) -> dict[str, float]:
    import coopstats
    from coopstats.analysis.measures import compare
    from coopstats.dataset.checks import check

    times: dict[str, float] = {}
    start = time.perf_counter()
    problems = check(data_dir).problems
    times["validate"] = time.perf_counter() - start
    assert not problems, problems[:3]
    start = time.perf_counter()
    data = coopstats.load_all(data_dir)
    times["load_all"] = time.perf_counter() - start
    start = time.perf_counter()
    for measure in ("fiscal_aid", "aid_projects", "pairing_ties"):
        compare(data, measure, funders="any")
    times["intensity"] = time.perf_counter() - start
    return times


def main() -> int:
    from coopstats import data_dir

    header("scaling: synthetic data 1x / 10x / 100x (best of 3 per scale)")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in SCALES:
            n = synthesise(data_dir(), Path(tmp) / f"x{k}", k)
            runs = [measure(Path(tmp) / f"x{k}") for _ in range(3)]
            results[k] = (n, {s: min(r[s] for r in runs) for s in STEPS})
    base_n, base = results[1]
    print(f"   {'scale':>5} {'facts':>7} " + " ".join(f"{s:>10}" for s in STEPS)
          + f" {'total':>8}  {'per-fact growth vs 1x':>22}")
    ok = True
    for k, (n, t) in results.items():
        total = sum(t.values())
        growth = (total / sum(base.values())) / (n / base_n)
        print(f"   {k:>4}x {n:>7} " + " ".join(f"{t[s]:9.3f}s" for s in STEPS)
              + f" {total:7.3f}s  {growth:10.2f}x per fact")
        if k == 100 and total >= 2.0:
            ok = False
    lin = all(sum(t.values()) / sum(base.values()) <= 1.5 * n / base_n
              for n, t in results.values())
    print(f"   growth linear or better: {'yes' if lin else 'NO'}; "
          f"100x under 2 s: {'yes' if ok else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
