"""Period words near a figure → a suggested period (codebook P1–P10), for a draft.

The words of the codebook's table P2, as patterns on the normalised, simplified text: the last
period words before the figure in its own sentence date it; failing those, the last *span*
words earlier in its paragraph carry to it (P1, P5: spans carry, point dates do not); an
end-only word (目前, 截至目前 …) keeps a start stated before it (P8). Y is the article's year.
A suggestion only: the coder checks it against the codebook.

Examples
--------
>>> p = period_of("2021年以来,实施项目156个。", 0, 0, 15, 2025)
>>> (p.start, p.end, p.basis, p.text)
(2021, 2025, 'stated', '2021年以来')
>>> period_of("去年以来,两地合作。目前已完成130吨。", 0, 10, 15, 2023)[:4]
(2022, 2023, 'relative', '去年以来…目前')
>>> period_of("四载春秋,累计投入18.68亿元。", 0, 0, 10, 2025)[:3]
(2021, 2025, 'relative')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from coopstats.dataset.numerals import FigureParseError, parse_figure

__all__ = ["Period", "period_of"]


class Period(NamedTuple):
    start: int | None
    end: int | None
    basis: str
    text: str
    note: str = ""


def _n(text: str) -> int | None:
    try:
        return int(parse_figure(text).value)
    except FigureParseError:
        return None


_NUM = "[0-9]+|[一二两三四五六七八九十]+"
_Years = Callable[[re.Match, int | None], tuple[int | None, int | None]]


def _minus(n: int | None, year: int | None) -> int | None:
    return year - n if year is not None and n is not None else None


#: (pattern, basis, years from the match and Y, whether it is a span that carries, end-only),
#: longest words first where they overlap
_WORDS: tuple[tuple[re.Pattern, str, _Years, bool, bool], ...] = (
    (re.compile(r"(?:自|从)?([0-9]{4})年(?:[0-9]{1,2}月)?[^,;。]{0,20}?以来"), "stated",
     lambda m, y: (int(m[1]), y), True, False),
    (re.compile(r"(?:自|从)([0-9]{4})年"), "stated", lambda m, y: (int(m[1]), y), True, False),
    (re.compile(r"到“?十[一二三四五]五”?末"), "stated",
     lambda m, y: (_plan(m.group()), _plan(m.group()) + 4), True, False),
    (re.compile(r"([0-9]{4})年全年"), "stated",
     lambda m, y: (int(m[1]), int(m[1])), True, False),
    (re.compile(r"(?:自|从)去年[0-9]{1,2}月|去年以来"), "relative",
     lambda m, y: (_minus(1, y), y), True, False),
    (re.compile(f"({_NUM})年多?来"), "relative",
     lambda m, y: (_minus(_n(m[1]), y), y), True, False),
    (re.compile(f"({_NUM})载(?:春秋)?"), "relative",
     lambda m, y: (_minus(_n(m[1]), y), y), True, False),
    (re.compile("近年来|近几年"), "recent", lambda m, y: (None, y), True, False),
    (re.compile("(?:自|从)[^,;。0-9]{1,30}?以来"), "pairing_start",
     lambda m, y: (None, y), True, False),
    (re.compile("截至目前|目前|时下|而今"), "open_start", lambda m, y: (None, y), False, True),
    # 累计, 至今: a start in the paragraph, else the pairing's stated start, else open (P9)
    (re.compile("累计|至今|常年"), "open_start", lambda m, y: (None, y), True, True),
    (re.compile("去年[0-9]{1,2}月|去年"), "relative",
     lambda m, y: (_minus(1, y), _minus(1, y)), False, False),
    (re.compile("今年|[0-9]{1,2}月[0-9]{1,2}[日号]|春节期间"), "relative",
     lambda m, y: (y, y), False, False),
    (re.compile("(?<![去今全明前0-9])(?:每年|年均|年产|年可|年实现|年新增|年收购|年加工|年综合)"),
     "annual", lambda m, y: (y, y), False, False),
    (re.compile("全年"), "relative", lambda m, y: (None, None), True, False),
    (re.compile(r"([0-9]{4})年(?!以来|度)"), "stated",
     lambda m, y: (int(m[1]), int(m[1])), False, False),
)


def _plan(words: str) -> int:
    """The first year of a Five-Year Plan: 十四五 → 2021."""
    return 1956 + 5 * "一二三四五六七八九十".index(words[words.index("十") + 1])


class _Hit(NamedTuple):
    at: int
    end: int
    basis: str
    years: tuple[int | None, int | None]
    span: bool
    end_only: bool
    text: str


def _hits(text: str, lo: int, hi: int, year: int | None) -> list[_Hit]:
    """Every period word in text[lo:hi], in order; where words overlap, the longer one."""
    hits: list[_Hit] = []
    for pattern, basis, years, span, end_only in _WORDS:
        for m in pattern.finditer(text, lo, hi):
            if any(h.at <= m.start() < h.end or m.start() <= h.at < m.end() for h in hits):
                continue
            hits.append(_Hit(m.start(), m.end(), basis, years(m, year), span, end_only,
                             m.group()))
    return sorted(hits)


def period_of(text: str, paragraph_start: int, sentence_start: int, at: int,
              year: int | None, pairing_start: int | None = None) -> Period:
    """The period suggested for a figure at offset ``at`` of ``text`` (normalised,
    simplified), whose sentence and paragraph start at the given offsets; ``year`` is the
    article's year (None: relative years stay blank), ``pairing_start`` the pairing's start
    as the article states it (累计 without a start in the paragraph counts from it)."""
    own = _hits(text, sentence_start, at, year)
    carried = [h for h in _hits(text, paragraph_start, sentence_start, year) if h.span]
    if own and not own[-1].end_only:
        return _period(own[-1], None)
    start_words = [h for h in (*carried, *own) if h.span and not h.end_only]
    if own:  # an end-only word: it keeps a start stated before it (P8)
        if start_words:
            return _period(start_words[-1], own[-1])
        if pairing_start is not None and own[-1].span:  # 累计, 至今 (not 目前, 而今)
            return Period(pairing_start, year, "pairing_start", own[-1].text,
                          "the pairing's start as the article states it (P2)")
        return _period(own[-1], None)
    if carried:
        return _period(carried[-1], None, "carried from an earlier sentence (P1): grade B")
    return Period(None, None, "none", "")


def _period(hit: _Hit, end_word: _Hit | None, note: str = "") -> Period:
    start, end = hit.years
    words = hit.text + (f"…{end_word.text}" if end_word else "")
    if hit.basis == "pairing_start":
        note = "; ".join(filter(None, (note, "period_start: the pairing's (or its new "
                                             "round's) start (P10)")))
    elif hit.text == "全年":
        note = "; ".join(filter(None, (note, "全年: the year in question (P2)")))
    return Period(start, end, hit.basis, words, note)
