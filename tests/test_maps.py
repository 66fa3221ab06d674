"""The pairing map of notebook 02 (``coopstats.figures.maps.pairing_map``), drawn from the real
data:
labels clear of each other, of every arc, arrowhead and marker, inside the axes, at the figure's
own resolution and at the saved file's; an outline and a label for every donor and recipient;
arrows as wide as their fiscal aid."""

from __future__ import annotations

import itertools

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox

import coopstats
from coopstats.figures import maps, placement, plotting
from coopstats.figures.maps import external_aid


def text_box(label: Text, renderer) -> Bbox:
    """The label's own text box (an Annotation's extent would include its leader line)."""
    return Text.get_window_extent(label, renderer)


def all_labels(m: maps.PairingMap) -> dict[str, Text]:
    return {**m.labels, **{f"province {k}": t for k, t in m.province_labels.items()}}


def overlapping_labels(labels: dict[str, Text], renderer) -> list[tuple[str, str]]:
    boxes = {k: text_box(t, renderer) for k, t in labels.items()}
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes.items(), 2)
            if min(ba.x1, bb.x1) > max(ba.x0, bb.x0) and min(ba.y1, bb.y1) > max(ba.y0, bb.y0)]


def arrow_lines(arrow) -> list[Path]:
    """The arrow's arc and head outline as matplotlib draws them, flattened to polylines in
    display coordinates (computed here, not by coopstats.figures.placement.arrow_parts)."""
    path = arrow.get_transform().transform_path(arrow.get_path())
    return [Path(line) for line in path.to_polygons(closed_only=False)]


def labels_on_arrows(m: maps.PairingMap, renderer) -> list[tuple[str, str]]:
    """(label, pairing) where the label's box touches the arrow's stroke (the path widened
    by half the line width) or its head."""
    hits = []
    px_per_pt = m.ax.figure.dpi / 72
    for (key, label), (pid, arrow) in itertools.product(all_labels(m).items(),
                                                          m.arrows.items()):
        box = text_box(label, renderer).padded(arrow.get_linewidth() * px_per_pt / 2)
        if any(line.intersects_bbox(box, filled=False) for line in arrow_lines(arrow)):
            hits.append((key, pid))
    return hits


def labels_on_heads(m: maps.PairingMap, renderer) -> list[tuple[str, str]]:
    hits = []
    for (key, label), (pid, arrow) in itertools.product(all_labels(m).items(),
                                                          m.arrows.items()):
        _, head = placement.arrow_parts(arrow)
        if head.intersects_bbox(text_box(label, renderer), filled=True):
            hits.append((key, pid))
    return hits


def build(labels: str) -> tuple[coopstats.Dataset, maps.PairingMap]:
    """The map with bilingual labels (needs a CJK font) or in pinyin only."""
    plotting.setup()
    saved = plotting._STATE["cjk"]
    if labels == "pinyin":
        plotting._STATE["cjk"] = None
    elif saved is None:
        pytest.skip("no CJK font installed")
    try:
        data = coopstats.load_all()
        return data, maps.pairing_map(data)
    finally:
        plotting._STATE["cjk"] = saved


@pytest.fixture(scope="module", params=["bilingual", "pinyin"])
def drawn(request):
    data, m = build(request.param)
    yield data, m, request.param
    plt.close(m.ax.figure)


@pytest.fixture(params=["figure", "saved file"])
def renderer(drawn, request):
    """A renderer at the figure's resolution, and at the saved PNG's (savefig.dpi)."""
    _, m, _ = drawn
    fig = m.ax.figure
    dpi = fig.dpi
    if request.param == "saved file":
        fig.set_dpi(mpl.rcParams["savefig.dpi"])
    fig.draw_without_rendering()  # laid out as drawn, no pixels
    yield fig.canvas.get_renderer()
    fig.set_dpi(dpi)
    fig.draw_without_rendering()


def test_no_label_overlaps_another(drawn, renderer):
    _, m, _ = drawn
    assert overlapping_labels(all_labels(m), renderer) == []


def test_no_label_sits_on_an_arc(drawn, renderer):
    _, m, _ = drawn
    assert labels_on_arrows(m, renderer) == []


def test_no_label_sits_on_an_arrowhead(drawn, renderer):
    _, m, _ = drawn
    assert labels_on_heads(m, renderer) == []


def test_no_label_covers_a_marker_and_all_lie_inside_the_axes(drawn, renderer):
    data, m, _ = drawn
    seats = data.places.set_index("place_id").loc[list(m.labels), ["longitude", "latitude"]]
    points = m.ax.transData.transform(seats.astype(float).to_numpy())
    frame = m.ax.get_window_extent(renderer)
    for key, label in all_labels(m).items():
        box = text_box(label, renderer)
        assert not any(box.padded(3).contains(*p) for p in points), key
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, key
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, key


def test_every_donor_and_recipient_has_an_outline_and_a_label(drawn):
    data, m, _ = drawn
    shapes = maps.outlines()
    places = data.places
    for row in places.itertuples():
        outline = shapes[str(row.adcode)]
        if row.level == "province":
            assert outline.kind == "province"
        else:
            assert (outline.kind, outline.place_id) == ("place", row.place_id)
        # the outline is the place's own: its seat of government lies inside it
        assert outline.path.contains_point((row.longitude, row.latitude)), row.place_id
    shown = places[places["role"].isin(["donor", "recipient"])]
    assert set(m.labels) == set(shown["place_id"])
    for row in shown.itertuples():
        assert m.labels[row.place_id].get_text().startswith(row.name_en)


def test_arrows_are_as_wide_as_their_fiscal_aid(drawn):
    data, m, _ = drawn
    assert set(m.arrows) == set(data.pairings["pairing_id"])
    assert len(m.aid) >= 3
    by_aid = sorted(m.aid, key=m.aid.get)
    widths = [m.arrows[p].get_linewidth() for p in by_aid]
    assert widths == sorted(widths) and widths[-1] > widths[0]
    assert all(m.arrows[p].get_linewidth() == pytest.approx(m.widths[p]) for p in m.arrows)
    external = external_aid(data)
    assert external == {"linyi_chengkou", "qingdao_heze", "qingdao_longnan"}  # ext-036/045/024
    for pid, arrow in m.arrows.items():
        style = arrow.get_linestyle()
        if pid not in m.aid:  # no comparable figure: thin and dashed
            assert style == (0, (3, 2)) and arrow.get_linewidth() <= min(widths), pid
        elif pid in external:  # the width rests on the external layer: dash-dotted
            assert style == (0, (3, 1.5, 0.8, 1.5)), pid
        else:
            assert style in ("-", "solid"), pid


def test_the_layout_is_deterministic(drawn):
    _, m, labels = drawn
    _, again = build(labels)
    try:
        assert {k: (t.xyann, t.get_ha(), t.get_va()) for k, t in m.labels.items()} == \
            {k: (t.xyann, t.get_ha(), t.get_va()) for k, t in again.labels.items()}
    finally:
        plt.close(again.ax.figure)


def test_the_checks_see_a_label_put_on_another_and_on_an_arrowhead():
    """The checks above are not vacuous: labels put back at the hand-tuned offsets of the old
    map (degrees from each seat) overlap each other and arrowheads."""
    plotting.setup()
    m = maps.pairing_map(coopstats.load_all())
    try:
        places = coopstats.load_places().set_index("place_id")
        old = {"linyi": (-0.3, -0.9), "pengshui": (-4.2, -0.75), "qianjiang": (0.3, 0.2),
               "heze": (-2.4, -0.8), "liaocheng": (-4.6, 0.1), "rizhao": (0.3, -0.6),
               "dezhou": (-4.2, 0.35), "boxing": (0.4, 0.3)}
        for key, label in m.labels.items():
            dx, dy = old.get(key, (0.3, 0.25))
            label.remove()
            m.labels[key] = m.ax.text(places.loc[key, "longitude"] + dx,
                                      places.loc[key, "latitude"] + dy, label.get_text(),
                                      fontsize=8)
        m.ax.figure.canvas.draw()
        renderer = m.ax.figure.canvas.get_renderer()
        assert overlapping_labels(all_labels(m), renderer)
        assert labels_on_heads(m, renderer)
        assert labels_on_arrows(m, renderer)
    finally:
        plt.close(m.ax.figure)
