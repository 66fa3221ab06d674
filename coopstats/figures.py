"""Parse a figure as Chinese newspapers print it into a value, an interval and a unit.

The rules (which qualifier gives which interval, what the rounding step is) are documented
with reasons in ``data/CODEBOOK.md`` and live only here.

Examples
--------
>>> f = parse_figure("1.3万余人次")
>>> f.value, f.low, f.high, f.qualifier, f.unit
(13000.0, 13000.0, 14000.0, 'at_least', 'person_time')
>>> parse_figure("近400万元").low
3500000.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

__all__ = [
    "CLASSIFIERS",
    "QUALIFIERS",
    "UNITS",
    "Figure",
    "FigureParseError",
    "parse_figure",
]

#: Qualifier vocabulary, in the order the codebook explains them.
QUALIFIERS: tuple[str, ...] = ("exact", "at_least", "at_most", "approx", "range")

#: Classifier (as printed) -> canonical unit. Longest classifiers are matched first.
CLASSIFIERS: dict[str, str] = {
    "元": "CNY",
    "人次": "person_time",
    "人(次)": "person_time",
    "人（次）": "person_time",
    "人": "person",
    "名": "person",
    "位": "person",
    "户": "household",
    "戶": "household",
    "农户": "household",
    "農戶": "household",
    "对次": "pair",
    "對次": "pair",
    "对": "pair",
    "對": "pair",
    "吨": "tonne",
    "噸": "tonne",
    "亩": "mu",
    "畝": "mu",
    "头": "head",
    "頭": "head",
    "兆瓦": "MW",
    "%": "percent",
    "％": "percent",
    **{
        c: "count"
        for c in (
            "个 個 家 所 项 項 次 期 场次 場次 场 場 堂次 台 臺 款 种 種 批 栋 棟 口 棒 座 条 條 "
            "件 间 間 套 支 辆 輛 方面"
        ).split()
    },
}

#: Canonical units a figure can have (None: a bare number).
UNITS: tuple[str, ...] = tuple(sorted(set(CLASSIFIERS.values())))

_PREFIX_QUALIFIERS = {
    "将近": "at_most",
    "接近": "at_most",
    "近": "at_most",
    "大约": "approx",
    "约": "approx",
    "約": "approx",
    "超过": "at_least",
    "超過": "at_least",
    "超": "at_least",
    "逾": "at_least",
}
_SUFFIX_QUALIFIERS = {
    "以上": "at_least",
    "余": "at_least",
    "餘": "at_least",
    "多": "at_least",
    "左右": "approx",
    "上下": "approx",
}
_MULTIPLIERS = {"千": 10**3, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_RANGE_SEPARATORS = ("—", "–", "－", "-", "～", "~", "〜", "至", "到")
_FULLWIDTH_DIGITS = re.compile("[０-９．]")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_CN_NUMERAL = re.compile("[零〇一二两兩三四五六七八九十百千万萬亿億]+")


class FigureParseError(ValueError):
    """Raised when a text cannot be read as a figure. The message says why."""

    def __init__(self, raw: str, reason: str) -> None:
        super().__init__(f"cannot read {raw!r} as a figure: {reason}")
        self.raw = raw
        self.reason = reason


@dataclass(frozen=True)
class Figure:
    """A figure read from text.

    Attributes
    ----------
    value : float
        The number as printed (for a range, the midpoint), in base units (yuan, persons …).
    low, high : float
        The interval the printed figure stands for (see the codebook's qualifier rules).
    qualifier : str
        One of :data:`QUALIFIERS`.
    unit : str or None
        Canonical unit from the classifier (:data:`CLASSIFIERS`), None for a bare number.
    raw : str
        The text that was parsed.
    low_inclusive, high_inclusive : bool
        Whether the interval includes its ends (``240余`` is [240, 250)).
    """

    value: float
    low: float
    high: float
    qualifier: str
    unit: str | None
    raw: str
    low_inclusive: bool = field(default=True, repr=False)
    high_inclusive: bool = field(default=True, repr=False)


@dataclass(frozen=True)
class _Number:
    value: Decimal
    step: Decimal
    unit: str | None
    qualifier: str
    had_multiplier: bool


def _cn_to_int(text: str, raw: str) -> tuple[int, int]:
    """Chinese numeral -> (value, step); step is the place of the last non-zero digit."""
    total, section, digit = 0, 0, None
    last_place = 1
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
            last_place = 1
        elif ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            section += (1 if digit is None else digit) * unit
            last_place = unit
            digit = None
        elif ch in _CN_BIG_UNITS:
            unit = _CN_BIG_UNITS[ch]
            section += digit or 0
            if section == 0:
                raise FigureParseError(raw, f"'{ch}' without a number before it")
            total += section * unit
            last_place = last_place * unit
            section, digit = 0, None
    if digit is not None:
        section += digit
    value = total + section
    if value == 0:
        return 0, 1
    # the step is the place of the last non-zero digit, e.g. 五万 -> 10000, 二十五 -> 1
    step = 1
    while value % (step * 10) == 0:
        step *= 10
    return value, max(step, 1) if last_place else step


def _arabic_step(digits: str) -> Decimal:
    """Rounding step of a written Arabic number: its last decimal place, or the last non-zero
    integer digit (``240`` -> 10, ``1.3`` -> 0.1, ``11074.12`` -> 0.01)."""
    if "." in digits:
        return Decimal(1).scaleb(-len(digits.split(".", 1)[1]))
    stripped = digits.rstrip("0")
    if not stripped:
        return Decimal(1)
    return Decimal(1).scaleb(len(digits) - len(stripped))


def _strip_prefix(text: str, table: dict[str, str]) -> tuple[str, str | None]:
    for word in sorted(table, key=len, reverse=True):
        if text.startswith(word):
            return text[len(word):], table[word]
    return text, None


def _strip_suffix(text: str, table: dict[str, str]) -> tuple[str, str | None]:
    for word in sorted(table, key=len, reverse=True):
        if text.endswith(word):
            return text[: -len(word)], table[word]
    return text, None


def _parse_single(text: str, raw: str) -> _Number:
    """One number with optional qualifier, multiplier and classifier (no range)."""
    rest, qualifier = _strip_prefix(text, _PREFIX_QUALIFIERS)
    rest, suffix_q = _strip_suffix(rest, _SUFFIX_QUALIFIERS)
    if qualifier and suffix_q:
        raise FigureParseError(raw, "two qualifiers for one number")
    qualifier = qualifier or suffix_q

    # the number itself
    if rest.startswith("一半"):
        value, step, rest = Decimal(50), Decimal(50), rest[2:]
        if rest:
            raise FigureParseError(raw, f"unexpected {rest!r} after 一半")
        return _Number(value, step, "percent", qualifier or "exact", False)
    m = _ARABIC.match(rest)
    had_multiplier = False
    if m:
        digits = m.group(0)
        value, step = Decimal(digits), _arabic_step(digits)
        rest = rest[m.end():]
        # multipliers: 万, 亿, 万亿, 千
        while rest and rest[0] in _MULTIPLIERS:
            factor = Decimal(_MULTIPLIERS[rest[0]])
            value, step, rest = value * factor, step * factor, rest[1:]
            had_multiplier = True
    else:
        m = _CN_NUMERAL.match(rest)
        if not m:
            raise FigureParseError(raw, "no number found")
        v, s = _cn_to_int(m.group(0), raw)
        value, step, rest = Decimal(v), Decimal(s), rest[m.end():]
        had_multiplier = any(c in _CN_BIG_UNITS for c in m.group(0))

    # a qualifier may also stand between number and classifier: 240余名, 1.3万余人次
    rest, mid_q = _strip_prefix(rest, _SUFFIX_QUALIFIERS)
    if mid_q:
        if qualifier:
            raise FigureParseError(raw, "two qualifiers for one number")
        qualifier = mid_q
        # ... and a multiplier may follow it: 3000余万元, 20余万人次 (step scales too)
        while rest and rest[0] in _MULTIPLIERS:
            factor = Decimal(_MULTIPLIERS[rest[0]])
            value, step, rest = value * factor, step * factor, rest[1:]
            had_multiplier = True
    unit = None
    if rest:
        if rest not in CLASSIFIERS:
            raise FigureParseError(raw, f"unknown unit or classifier {rest!r}")
        unit = CLASSIFIERS[rest]
    return _Number(value, step, unit, qualifier or "exact", had_multiplier)


def _interval(n: _Number) -> tuple[Decimal, Decimal, bool, bool]:
    v, s = n.value, n.step
    if n.qualifier == "at_least":
        return v, v + s, True, False
    if n.qualifier == "at_most":
        return v - s / 2, v, True, False
    if n.qualifier == "approx":
        return v - s / 2, v + s / 2, True, True
    return v, v, True, True


def _split_range(text: str) -> tuple[str, str] | None:
    for sep in _RANGE_SEPARATORS:
        idx = text.find(sep, 1)  # a separator at position 0 would be a sign
        if idx > 0:
            return text[:idx], text[idx + len(sep):]
    return None


@lru_cache(maxsize=8192)
def parse_figure(text: str) -> Figure:
    """Read a printed Chinese figure.

    Parameters
    ----------
    text : str
        The figure as printed: a number in Arabic or Chinese numerals, an optional multiplier
        (万, 亿, 萬, 億, 千), an optional qualifier (余/餘/多/以上/超 = at least, 近 = just under,
        约/約/左右 = about), and an optional classifier (元, 人, 人次, 户, 对, 吨, 亩, 个 …);
        or a range ``A—B`` (also ``-``, ``～``, ``至``).

    Returns
    -------
    Figure
        Value in base units, interval, qualifier and canonical unit.

    Raises
    ------
    FigureParseError
        (a ``ValueError``) when the text is not a figure, with the reason.

    Examples
    --------
    >>> parse_figure("6万—8万元")
    Figure(value=70000.0, low=60000.0, high=80000.0, qualifier='range', unit='CNY', raw='6万—8万元')
    >>> parse_figure("11074.12萬元").value
    110741200.0
    >>> parse_figure("五万多农户").high
    60000.0
    """
    if not isinstance(text, str):
        raise FigureParseError(str(text), "not a text")
    raw = text
    body = re.sub(r"\s+", "", text)
    if not body:
        raise FigureParseError(raw, "empty")
    if _FULLWIDTH_DIGITS.search(body):
        raise FigureParseError(raw, "full-width digits; write the digits as ASCII 0-9")
    if body[0] in "-−－":
        raise FigureParseError(raw, "negative amount; figures are counts or sums, never negative")
    if body[0] in "=+@":
        raise FigureParseError(raw, "starts like a spreadsheet formula")

    parts = _split_range(body)
    if parts is not None:
        left_text, right_text = parts
        right = _parse_single(right_text, raw)
        try:
            left = _parse_single(left_text, raw)
        except FigureParseError:
            raise FigureParseError(raw, "the left side of the range is not a number") from None
        if left.qualifier != "exact" or right.qualifier != "exact":
            raise FigureParseError(raw, "a qualifier inside a range")
        lo_v = left.value
        if not left.had_multiplier and right.had_multiplier and left.unit is None:
            # 6—8万元: the multiplier written once applies to both ends
            factor = right.value / Decimal(str(_base_of(right_text)))
            lo_v = left.value * factor
        if left.unit is not None and left.unit != right.unit:
            raise FigureParseError(raw, "the two ends of the range have different units")
        if lo_v > right.value:
            raise FigureParseError(raw, "the range's lower end is above its upper end")
        return Figure(
            value=float((lo_v + right.value) / 2),
            low=float(lo_v),
            high=float(right.value),
            qualifier="range",
            unit=right.unit,
            raw=raw,
        )

    n = _parse_single(body, raw)
    low, high, low_inc, high_inc = _interval(n)
    return Figure(
        value=float(n.value),
        low=float(low),
        high=float(high),
        qualifier=n.qualifier,
        unit=n.unit,
        raw=raw,
        low_inclusive=low_inc,
        high_inclusive=high_inc,
    )


def _base_of(text: str) -> Decimal:
    """The written number of ``text`` before its multiplier (``8万元`` -> 8)."""
    m = _ARABIC.match(text)
    if m:
        return Decimal(m.group(0))
    m = _CN_NUMERAL.match(text)
    if m:
        stripped = m.group(0).rstrip("万萬亿億")
        return Decimal(_cn_to_int(stripped, text)[0]) if stripped else Decimal(1)
    return Decimal(1)
