"""Find every figure-like string in an article, and say which ones the codebook does not code.

A figure-like string is a number (ASCII digits, or Chinese numerals with a classifier,
qualifier or 万/亿) with what :func:`coopstats.dataset.numerals.parse_figure` reads around it: a
qualifier (余, 多, 近, 约, 左右, 以上, 超 …), a multiplier, a classifier, or a range
(``6万—8万元``). Each is a :class:`Found` with its span in the article's normalised text
(:class:`coopstats.dataset.article_text.ArticleText`) and, where a rule of the codebook ("What is
coded
and what is not") says it is no figure, a ``skip_reason`` from :data:`SKIP_REASONS`:
calendar dates and years, ordinals, durations, streaks, ages, numbers in names and 一 used
as "a". The rules work on both scripts (each word is listed in both).

Examples
--------
>>> from coopstats.dataset.article_text import ArticleText
>>> text = ArticleText.of("2021年9月16日，第十九次联席会议召开，落实资金1.3亿余元、近400万元。")
>>> [(f.raw, f.skip_reason) for f in scan(text)]
[('2021年9月16日', 'date'), ('第十九次', 'ordinal'), ('1.3亿余元', ''), ('近400万元', '')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from coopstats.dataset.article_text import ArticleText
from coopstats.dataset.numerals import CLASSIFIERS
from coopstats.dataset.schema import SKIP_REASONS

__all__ = ["SKIP_REASONS", "Found", "scan"]

_CN_DIGIT = "一二两兩三四五六七八九"
_D, _U = f"[{_CN_DIGIT}]", "[十百千万萬亿億]"
#: Chinese numerals as written: a digit with its unit, each group after the other (三千五百,
#: 一万二, 十五); two digits in a row (唯一一个, 十四五) are not one number
_CN_NUMBER = rf"(?:(?:{_D}{_U}+|十)(?:[零〇]?{_D}{_U}+)*(?:[零〇]?{_D})?|{_D})"
#: a number: ASCII digits (with a multiplier) or Chinese numerals
_NUMBER = rf"(?:[0-9]+(?:\.[0-9]+)?[千万萬亿億]*|一半|{_CN_NUMBER})"
_PRE = "将近|將近|接近|近|大约|大約|约|約|超过|超過|超|逾"
#: words in which 约, 近 or 超 is no qualifier: 签约18个项目, 节约3万吨, 附近3个村, 赶超
_NOT_QUALIFIER = re.compile("(?:签|簽|合|预|預|节|節|制|相|附|最|赶|趕)$")
_POST = "以上|左右|上下"
_MID = "余|餘|多"
#: time words after a number: they make it a date, a duration or an age (never a figure)
_TIME = ("年度", "年来", "年來", "年", "个月", "個月", "月", "日", "号", "號", "天", "周", "週",
         "季度", "载", "載", "岁", "歲", "小时", "小時")
#: a number of years, months, days …: a duration (12年来, 两年多, 四载)
_DURATION = re.compile(f"(?:年|年来|年來|载|載|个月|個月|天|周|週|小时|小時)(?:{_POST}|{_MID})?$")
_UNITS = "|".join(re.escape(c) for c in sorted({*CLASSIFIERS, *_TIME}, key=len, reverse=True))
_SINGLE = (rf"(?:(?:{_PRE})?{_NUMBER}(?:{_MID})?[万萬亿億]*(?:{_UNITS})?(?:{_POST}|{_MID})?)")
_RANGE_SEP = "—–\\-~〜至到"
_FIGURE = re.compile(rf"{_SINGLE}(?:[{_RANGE_SEP}]{_SINGLE})?")
#: a date written with its parts: 2021年9月16日, 4月18日, 2025年12月16日-18日, 2021年至2025年
_DATE = re.compile(r"[0-9]{4}年(?:[0-9]{1,2}月(?:[0-9]{1,2}[日号號])?)?"
                   rf"(?:[{_RANGE_SEP}](?:[0-9]{{4}}年)?[0-9]{{1,2}}[月日号號])?"
                   r"|[0-9]{1,2}月(?:[0-9]{1,2}[日号號](?:[-~—至][0-9]{1,2}[日号號])?)?")
#: a formula-like name: “1+1+1+2+1+9+52”分层分类…体系
_FORMULA = re.compile(r"[0-9]+(?:\+[0-9]+)+")
_CN_YEAR = re.compile(f"[{_CN_DIGIT}]{{4}}年")
#: 十三五, 十四五: the Five-Year Plans are names, not figures
_PLAN = re.compile("十[一二三四五六七八九]五")
#: a short phrase in quotation marks (a name, title or slogan), not a quotation
_NAME_QUOTE = re.compile("[“「『\"][^“”「」『』\",。;:!?]{1,20}[”」』\"]")
_ARTICLE_ONE = re.compile("一(?:个个|個個|项项|項項|批批|个|個|批|项|項|条|條|座|名|位|家|所|种|種|"
                          "次|场|場|台|臺|件|间|間|套|支|对|對|口|栋|棟|户|戶|期|人)")


@dataclass(frozen=True)
class Found:
    """A figure-like string: its normalised span, its printed text (``raw``, pinyin and
    line breaks removed) and why it is not coded (``""`` when it may be a figure)."""

    start: int
    end: int
    raw: str
    skip_reason: str = ""


def scan(text: ArticleText) -> list[Found]:
    """Every figure-like string of ``text``, in order, with its skip reason."""
    return list(_scan(text))


@lru_cache(maxsize=32)
def _scan(text: ArticleText) -> tuple[Found, ...]:
    norm = text.norm
    taken = [False] * len(norm)
    found: list[Found] = []
    for pattern, reason in ((_DATE, "date"), (_PLAN, "name"), (_FORMULA, "name")):
        for m in pattern.finditer(norm):
            if not any(taken[m.start():m.end()]):
                found.append(Found(m.start(), m.end(), text.printed_span(m.start(), m.end()),
                                   reason))
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
    for m in _FIGURE.finditer(norm):
        start, end = _trim(norm, m.start(), m.end())
        if re.match(f"(?:{_PRE})", norm[start:end]) and _NOT_QUALIFIER.search(norm[:start]):
            start += 1  # 签约18个: the figure is 18个
        if start > 0 and norm[start - 1] == "第":
            start -= 1  # 第十九次: the ordinal with its mark
        if end <= start or any(taken[start:end]) or not _figure_like(norm[start:end]):
            continue
        raw = text.printed_span(start, end)
        found.append(Found(start, end, raw, _skip_reason(norm, start, end)))
    return tuple(sorted(found, key=lambda f: f.start))


def _trim(norm: str, start: int, end: int) -> tuple[int, int]:
    """Drop a range separator the pattern took at the end (``3个-`` of ``3个-4个`` is
    impossible, but ``2022年-`` before a word is not)."""
    while end > start and norm[end - 1] in _RANGE_SEP:
        end -= 1
    return start, end


def _figure_like(text: str) -> bool:
    """Whether a match is figure-like: it has ASCII digits, or Chinese numerals with a unit,
    a qualifier or 万/亿 (a bare 三 or 两 is a word: 三湾村, 两地)."""
    if any(c in "0123456789" for c in text) or text.startswith("一半"):
        return True
    return any(c in "万萬亿億" for c in text) or not _bare(text)


def _bare(text: str) -> bool:
    """No classifier, time word or qualifier after the number."""
    return not any(text.endswith(u) for u in (*CLASSIFIERS, *_TIME)) and \
        not re.search(f"(?:{_MID}|{_POST})$", text)


def _skip_reason(norm: str, start: int, end: int) -> str:
    """Why the codebook does not code the figure-like string norm[start:end], or ``""``."""
    raw = norm[start:end]
    before, after = norm[max(0, start - 2):start], norm[end:end + 2]
    bare = _bare(raw)
    if raw.startswith("第"):
        return "ordinal"
    if "+" in norm[max(0, start - 1):end + 1]:
        return "name"
    if _CN_YEAR.fullmatch(raw) or re.fullmatch(r"[0-9]{4}年(?:度)?", raw):
        return "date"
    if raw.endswith(("月", "日", "号", "號", "季度")) and not raw.endswith(("个月", "個月")):
        return "date" if not raw.endswith(("号", "號")) else "name"
    if raw.endswith(("岁", "歲")):
        return "personal"
    if _DURATION.search(raw):
        return "streak" if before.endswith(("连续", "連續")) else "duration"
    if _ARTICLE_ONE.fullmatch(raw):
        return "article"
    if _inside_name(norm, start, end):
        return "name"
    latin = [c for c in (after[:1], before[-1:]) if c.isascii() and c.isalpha()]
    if bare and latin:
        return "name"  # GLP-1, 5G: a number inside a Latin name
    return ""


def _inside_name(norm: str, start: int, end: int) -> bool:
    """Whether norm[start:end] stands inside a short quoted phrase (a name or slogan)."""
    lo = max(0, start - 22)
    return any(m.start() < start and end < m.end()
               for m in _NAME_QUOTE.finditer(norm, lo, min(len(norm), end + 22)))
