"""plotting: bilingual labels with a CJK font, pinyin without; identical files on re-save."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

import coopstats
from coopstats.figures import plotting


def test_labels_fall_back_to_pinyin_without_a_cjk_font(monkeypatch):
    monkeypatch.setitem(plotting._STATE, "cjk", None)
    assert plotting.label("城口县", "Chengkou") == "Chengkou"
    monkeypatch.setitem(plotting._STATE, "cjk", "WenQuanYi Micro Hei")
    assert plotting.label("城口", "Chengkou") == "Chengkou 城口"
    assert plotting.short_zh("彭水苗族土家族自治县") == "彭水"


def test_setup_and_save_are_deterministic(tmp_path, configure_figures):
    configure_figures(out_dir=tmp_path)
    font = plotting.setup()
    labels = plotting.pairing_labels(coopstats.load_pairings(), coopstats.load_places())
    fig, ax = plt.subplots()
    ax.barh(list(labels.values()), range(len(labels)))
    formats = ("png", "svg", "pdf")
    first = {p.suffix: p.read_bytes() for p in plotting.save(fig, "t", formats=formats)}
    second = {p.suffix: p.read_bytes() for p in plotting.save(fig, "t", formats=formats)}
    plt.close(fig)
    assert first == second and set(first) == {".png", ".svg", ".pdf"}
    assert b"<dc:date>" not in first[".svg"] and b"/CreationDate" not in first[".pdf"]
    if font:  # with a CJK font the labels are bilingual and render without warnings
        assert "城口" in labels["linyi_chengkou"]


def test_figure_formats_default_to_png_and_take_vector_formats_on_request(tmp_path,
                                                                         configure_figures):
    configure_figures(out_dir=tmp_path)
    assert plotting.figure_formats() == ("png",)
    assert plotting.parse_formats(" SVG, .pdf ,svg") == ("png", "svg", "pdf")
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    assert [p.name for p in plotting.save(fig, "a", show=False)] == ["a.png"]
    configure_figures(formats="png,svg")
    assert [p.name for p in plotting.save(fig, "b", show=False)] == ["b.png", "b.svg"]
    with pytest.raises(ValueError, match="unknown figure format 'eps'"):
        configure_figures(formats=("png", "eps"))
    assert plotting.figure_formats() == ("png", "svg")
    plt.close(fig)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png", "b.svg"]


def test_save_draws_a_laid_out_figure_once_per_format(tmp_path, configure_figures):
    """After ``fig.tight_layout()`` a figure keeps a (placeholder) layout engine, and with
    any engine ``savefig`` drew the whole figure once more before drawing the file: save()
    draws it once per file, the same bytes, and gives the engine back."""
    configure_figures(out_dir=tmp_path)
    plotting.setup()
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    fig.tight_layout()
    engine = fig.get_layout_engine()
    draws = []
    fig.canvas.mpl_connect("draw_event", lambda event: draws.append(event))
    first = [p.read_bytes() for p in plotting.save(fig, "t", formats=("png", "svg"),
                                                   show=False)]
    assert len(draws) == 2 and fig.get_layout_engine() is engine
    assert first == [p.read_bytes() for p in plotting.save(fig, "t", formats=("png", "svg"),
                                                           show=False)]
    plt.close(fig)


def test_label_points_moves_a_label_away_from_a_neighbour_on_its_right():
    fig, ax = plt.subplots()
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(1, 1000)
    ax.set_ylim(1, 1000)
    # Qianjiang and Xiushan as in 04's input-outcome panel; Yiling far away
    plotting.label_points(ax, [48, 88, 8], [120, 155, 8], ["Qianjiang", "Xiushan", "Yiling"])
    placed = {t.get_text(): (t.get_horizontalalignment(), t.get_verticalalignment(), t.xyann)
              for t in ax.texts}
    plt.close(fig)
    assert placed["Qianjiang"] == ("right", "top", (-4, -4))
    assert placed["Xiushan"] == ("left", "bottom", (4, 4))
    assert placed["Yiling"] == ("left", "bottom", (4, 4))
