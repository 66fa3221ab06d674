"""plotting: bilingual labels with a CJK font, pinyin without; identical files on re-save."""

from __future__ import annotations

import matplotlib.pyplot as plt

import coopstats
from coopstats import plotting


def test_labels_fall_back_to_pinyin_without_a_cjk_font(monkeypatch):
    monkeypatch.setitem(plotting._STATE, "cjk", None)
    assert plotting.label("城口县", "Chengkou") == "Chengkou"
    monkeypatch.setitem(plotting._STATE, "cjk", "WenQuanYi Micro Hei")
    assert plotting.label("城口", "Chengkou") == "Chengkou 城口"
    assert plotting.short_zh("彭水苗族土家族自治县") == "彭水"


def test_setup_and_save_are_deterministic(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPSTATS_FIGURES_DIR", str(tmp_path))
    font = plotting.setup()
    labels = plotting.pairing_labels(coopstats.load_pairings(), coopstats.load_places())
    fig, ax = plt.subplots()
    ax.barh(list(labels.values()), range(len(labels)))
    first = {p.suffix: p.read_bytes() for p in plotting.save(fig, "t")}
    second = {p.suffix: p.read_bytes() for p in plotting.save(fig, "t")}
    plt.close(fig)
    assert first == second and set(first) == {".png", ".svg"}
    assert b"<dc:date>" not in first[".svg"]
    if font:  # with a CJK font the labels are bilingual and render without warnings
        assert "城口" in labels["linyi_chengkou"]
