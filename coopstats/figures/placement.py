"""Labels placed clear of everything else on a figure: of each other, of markers, of lines
(arcs, leader lines) and of arrowheads, inside the axes.

:func:`place_labels` tries, for each label, the spots beside its point in eight directions at
two distances, then spots further out joined to the point by a leader line, and takes a spot
whose text box (in display coordinates, after the figure has been drawn once) touches no
:class:`Obstacles`. The most hemmed-in label goes first, and takes the spot that covers the
fewest free spots of the labels still to place; a label beside its point must be clearly
nearer it than any other point. Everything is deterministic. :func:`arrow_parts` gives an
arrow's arc and head as obstacles.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

__all__ = ["Obstacles", "arrow_parts", "place_labels", "text_size"]


def arrow_parts(arrow: FancyArrowPatch) -> tuple[Path, Path]:
    """The arc and the head of a drawn ``-|>`` arrow, in display coordinates (pixels).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> arrow = ax.add_patch(FancyArrowPatch((0.1, 0.1), (0.9, 0.9), arrowstyle="-|>",
    ...                                      mutation_scale=10))
    >>> arc, head = arrow_parts(arrow)
    >>> bool(arc.intersects_bbox(ax.bbox, filled=False)), len(head) >= 3
    (True, True)
    >>> plt.close(fig)
    """
    path = arrow.get_transform().transform_path(arrow.get_path())
    starts = [*np.flatnonzero(path.codes == Path.MOVETO), len(path.vertices)]
    arc, head = (Path(path.vertices[a:b], path.codes[a:b])
                 for a, b in itertools.pairwise(starts))
    # the head as a plain closed polygon: a CLOSEPOLY's own vertex is meaningless (here it
    # comes back from the transforms as a point near the origin, which the intersection
    # tests would take as a corner)
    corners = head.vertices[head.codes != Path.CLOSEPOLY]
    return arc, Path(np.vstack([corners, corners[:1]]), closed=True)


@dataclass
class Obstacles:
    """What a label must not touch, in display coordinates: boxes (labels, markers,
    legends), lines (arcs, leaders; each with its half width in pixels) and areas
    (arrowheads), inside ``frame`` (the axes).

    Examples
    --------
    >>> from matplotlib.transforms import Bbox
    >>> obs = Obstacles(Bbox.from_extents(0, 0, 100, 100))
    >>> obs.boxes.append(Bbox.from_extents(10, 10, 20, 20))
    >>> obs.lines.append((Path([(0, 50), (100, 50)]), 1.0))
    >>> [obs.clear(Bbox.from_extents(*e)) for e in
    ...  [(30, 10, 40, 20), (15, 15, 25, 25), (30, 45, 40, 48), (95, 80, 105, 90)]]
    [True, False, False, False]
    """

    frame: Bbox
    boxes: list[Bbox] = field(default_factory=list)
    lines: list[tuple[Path, float]] = field(default_factory=list)
    areas: list[Path] = field(default_factory=list)
    margin: float = 1.5

    def clear(self, box: Bbox) -> bool:
        """Whether ``box`` lies inside the frame and touches nothing (with a margin)."""
        if not (self.frame.x0 <= box.x0 and box.x1 <= self.frame.x1
                and self.frame.y0 <= box.y0 and box.y1 <= self.frame.y1):
            return False
        pad = box.padded(self.margin)
        return not (any(pad.overlaps(b) for b in self.boxes)
                    or any(p.intersects_bbox(pad.padded(w), filled=False)
                           for p, w in self.lines)
                    or any(p.intersects_bbox(pad, filled=True) for p in self.areas))

    def add_arrow(self, arrow: FancyArrowPatch, px_per_pt: float) -> None:
        """Keep labels off ``arrow``'s arc and head."""
        arc, head = arrow_parts(arrow)
        self.lines.append((arc, arrow.get_linewidth() * px_per_pt / 2))
        self.areas.append(head)


@dataclass(frozen=True)
class _Spot:
    """Where a label may go: offset (points) from its point, alignment, with a leader?"""

    offset: tuple[float, float]
    ha: str
    va: str
    leader: bool


#: Directions tried, in order of preference: upper right, lower right, upper left, …
_DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))
#: Distances (points) tried beside the point, then (with a leader line) further out.
_NEAR, _FAR = (6.0, 11.0), (20.0, 32.0, 46.0, 62.0, 80.0)


def _spots() -> list[_Spot]:
    out = []
    for distances, leader in ((_NEAR, False), (_FAR, True)):
        for d in distances:
            for ux, uy in _DIRECTIONS:
                scale = d * (math.sqrt(0.5) if ux and uy else 1.0)
                out.append(_Spot((ux * scale, uy * scale),
                                 {1: "left", 0: "center", -1: "right"}[ux],
                                 {1: "bottom", 0: "center", -1: "top"}[uy], leader))
    return out


_SPOTS = _spots()


def _box(point: tuple[float, float], size: tuple[float, float], spot: _Spot,
         px_per_pt: float) -> Bbox:
    """The display box of a label of ``size`` (pixels) put at ``spot`` from ``point``."""
    (x, y), (w, h) = point, size
    x0 = x + spot.offset[0] * px_per_pt - {"left": 0, "center": w / 2, "right": w}[spot.ha]
    y0 = y + spot.offset[1] * px_per_pt - {"bottom": 0, "center": h / 2, "top": h}[spot.va]
    return Bbox.from_bounds(x0, y0, w, h)


def _leader(point: tuple[float, float], box: Bbox, gap: float) -> Path:
    """The line from ``box``'s nearest edge towards ``point``, stopping ``gap`` short."""
    near = np.clip(point, box.p0, box.p1)
    far = np.asarray(point, dtype=float)
    length = float(np.hypot(*(far - near)))
    end = far - (far - near) * min(gap / length, 1.0) if length else far
    return Path([near, end])


def _leader_clear(line: Path, point: tuple[float, float], obstacles: Obstacles,
                  room: float) -> bool:
    """Whether a leader to ``point`` keeps ``room`` (pixels) from every label and marker
    but its point's own, and crosses no arrowhead."""
    return not (any(line.intersects_bbox(b.padded(room), filled=False)
                    for b in obstacles.boxes if not b.contains(*point))
                or any(line.intersects_path(a, filled=True) for a in obstacles.areas))


def place_labels(ax, points: Mapping[str, tuple[float, float]], texts: Mapping[str, str],
                 obstacles: Obstacles, *, gap: float = 4.0, **style) -> dict[str, Annotation]:
    """Label each point where the label touches no obstacle and no other label.

    Each label may go beside its point (eight directions, two distances) or further out,
    joined to its point by a leader line that keeps clear of labels, markers and arrowheads.
    The label with the fewest free spots beside its point goes first and takes, of those, the
    one that covers the fewest free spots of the labels still to place (ties: upper right,
    lower right, upper left, …); a label with none takes the nearest clear spot with a
    leader. Each placed label, and its leader, becomes an obstacle. A label with no clear
    spot at all goes to its first spot.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Already drawn once, so that display coordinates are final.
    points : mapping
        Key → (x, y) in data coordinates.
    texts : mapping
        Key → label text.
    obstacles : Obstacles
        Updated in place: each label (and leader) is added.
    gap : float
        Points between a leader's end and its point (the marker's radius).
    **style
        Passed to :meth:`matplotlib.axes.Axes.annotate` (``fontsize`` …).

    Returns
    -------
    dict
        Key → the label (an :class:`~matplotlib.text.Annotation`), in the order of ``points``.

    Examples
    --------
    Two points close together, a line running just above them:

    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.text import Text
    >>> fig, ax = plt.subplots(figsize=(4, 3))
    >>> _ = ax.set(xlim=(0, 10), ylim=(0, 10))
    >>> line = ax.plot([0, 10], [5.6, 5.6])[0]
    >>> fig.canvas.draw()
    >>> obs = Obstacles(ax.bbox, lines=[(line.get_path().transformed(ax.transData), 1.0)])
    >>> labels = place_labels(ax, {"a": (4, 5), "b": (5, 5)}, {"a": "Alpha", "b": "Beta"},
    ...                       obs, fontsize=8)
    >>> r = fig.canvas.get_renderer()
    >>> box_a, box_b = (Text.get_window_extent(t, r) for t in labels.values())
    >>> bool(box_a.overlaps(box_b)), any(obs.lines[0][0].intersects_bbox(b) for b in (box_a, box_b))
    (False, False)
    >>> plt.close(fig)
    """
    px_per_pt = ax.figure.dpi / 72
    at = {k: tuple(ax.transData.transform(xy)) for k, xy in points.items()}
    sizes = {k: text_size(ax, texts[k], style) for k in points}

    def box_of(key: str, spot: _Spot) -> Bbox:
        return _box(at[key], sizes[key], spot, px_per_pt)

    def fits(key: str, spot: _Spot) -> bool:
        box = box_of(key, spot)
        if not obstacles.clear(box):
            return False
        if spot.leader:
            return _leader_clear(_leader(at[key], box, gap * px_per_pt), at[key], obstacles,
                                 gap * px_per_pt)
        # beside its point, a label is clearly nearer it than any other point
        own = _distance(box, at[key])
        return all(_distance(box, p) > 1.2 * own
                   for k, p in at.items() if k != key)

    near = [s for s in _SPOTS if not s.leader]
    free = {k: [s for s in near if fits(k, s)] for k in points}
    labels = {}
    while free:
        # the most hemmed-in label first; it takes the spot that costs the others least
        key = min(free, key=lambda k: len(free[k]))
        options = free.pop(key)
        spot = (min(options, key=lambda s: _cost(box_of(key, s), free, box_of, obstacles))
                if options else next((s for s in _SPOTS if s.leader and fits(key, s)),
                                     _SPOTS[0]))
        box = box_of(key, spot)
        labels[key] = _annotate(ax, points[key], texts[key], spot, box, at[key], gap, style)
        obstacles.boxes.append(box)
        if spot.leader:
            obstacles.lines.append((_leader(at[key], box, gap * px_per_pt), 0.5 * px_per_pt))
        free = {k: [s for s in spots if fits(k, s)] for k, spots in free.items()}
    return {k: labels[k] for k in points}


def _cost(box: Bbox, free: Mapping[str, list[_Spot]], box_of, obstacles: Obstacles) -> float:
    """What taking ``box`` costs the labels still to place: the share of each one's free
    spots it would cover, summed."""
    pad = box.padded(obstacles.margin)
    return sum(sum(pad.overlaps(box_of(k, s)) for s in spots) / len(spots)
               for k, spots in free.items() if spots)


def text_size(ax, text: str, style: dict) -> tuple[float, float]:
    """Width and height (pixels) of ``text`` drawn on ``ax`` in ``style`` (keyword arguments
    of :meth:`matplotlib.axes.Axes.text`)."""
    probe = ax.text(0, 0, text, **style)
    box = probe.get_window_extent(ax.figure.canvas.get_renderer())
    probe.remove()
    return box.width, box.height


def _distance(box: Bbox, point: tuple[float, float]) -> float:
    """Distance from ``point`` to the nearest point of ``box`` (0 inside)."""
    x, y = point
    return math.hypot(max(box.x0 - x, 0, x - box.x1), max(box.y0 - y, 0, y - box.y1))


def _annotate(ax, xy, text: str, spot: _Spot, box: Bbox, point, gap: float,
              style: dict) -> Annotation:
    """The label itself, with its leader line when ``spot`` has one."""
    arrow = None
    if spot.leader:
        near = np.clip(point, box.p0, box.p1)
        relpos = ((near[0] - box.x0) / box.width, (near[1] - box.y0) / box.height)
        arrow = dict(arrowstyle="-", lw=0.5, color="#555555", relpos=relpos, patchA=None,
                     shrinkA=0, shrinkB=gap)
    return ax.annotate(text, xy, xytext=spot.offset, textcoords="offset points",
                       ha=spot.ha, va=spot.va, arrowprops=arrow, zorder=6, **style)
