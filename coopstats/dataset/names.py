"""How pairings are named and coloured in every table, figure and sentence.

The labels are bilingual (``"Linyi 临沂 → Chengkou 城口"``) once
:func:`coopstats.figures.plotting.setup` has found a CJK font to draw the Chinese with, and
pinyin/English only before (``"Linyi → Chengkou"``): the font is found by the figures layer,
which records it here (``_STATE``), so that the data layer names pairings without importing
matplotlib.

Examples
--------
>>> short_zh("城口县")
'城口'
"""

from __future__ import annotations

__all__ = ["PROGRAMME_COLOURS", "label", "pairing_labels", "short_zh"]

#: the CJK font :func:`coopstats.figures.plotting.setup` found (None: none, or not set up),
#: and whether the house style is applied
_STATE: dict[str, str | None] = {"cjk": None, "configured": None}


#: Colours for the programme types, used by every notebook.
PROGRAMME_COLOURS = {
    "east_west": "#1b6ca8",
    "tibet_counterpart": "#c4452e",
    "three_gorges_counterpart": "#2e8b57",
    "intra_provincial": "#8a6d3b",
}


def label(name_zh: str | None, name_en: str) -> str:
    """Bilingual label when a CJK font is set up, else the pinyin/English name only."""
    if _STATE["cjk"] and name_zh:
        return f"{name_en} {name_zh}"
    return name_en


def pairing_labels(pairings, places, *, arrow: str = " → ") -> dict[str, str]:
    """Readable label per pairing: ``"Linyi → Chengkou 城口"`` (Chinese only with a CJK font).

    Parameters
    ----------
    pairings, places : DataFrame
        From :func:`coopstats.load_pairings` and :func:`coopstats.load_places`.
    """
    pl = places.set_index("place_id")
    out = {}
    for row in pairings.itertuples():
        donor = pl.loc[str(row.donor_id)]
        rec = pl.loc[str(row.recipient_id)]
        out[row.pairing_id] = (f"{label(donor['name_zh'][:2], donor['name_en'])}{arrow}"
                               f"{label(short_zh(rec['name_zh']), rec['name_en'])}")
    return out


def short_zh(name: str) -> str:
    """城口县 → 城口, 彭水苗族土家族自治县 → 彭水, 桑珠孜区 → 桑珠孜 (for compact labels)."""
    for suffix in ("苗族土家族自治县", "土家族苗族自治县", "自治区", "县", "区", "市", "省"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name
