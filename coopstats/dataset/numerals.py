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
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import lru_cache

from coopstats.dataset._text import (
    ASCII_DECIMAL,
    FORMULA_START,
    FULLWIDTH_POINT,
    digit_kind,
    foreign_digit,
)

__all__ = [
    "CLASSIFIERS",
    "MAX_FIGURE",
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

#: The largest figure read (10**15: a thousand trillion yuan is beyond any budget in the data);
#: a larger number, or a multiplier run above it (``1亿亿``), is refused, so every figure is
#: finite.
MAX_FIGURE: int = 10**15

_PREFIX_QUALIFIERS = {
    "将近": "at_most",
    "將近": "at_most",
    "接近": "at_most",
    "近": "at_most",
    "大约": "approx",
    "大約": "approx",
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
_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_SMALL_PLACES = frozenset(_CN_SMALL_UNITS.values())
#: Multipliers after an Arabic number: 1.3万, 5千万, 1万亿.
_MULTIPLIERS = {"千": _CN_SMALL_UNITS["千"], **_CN_BIG_UNITS}
_RANGE_SEPARATORS = ("—", "–", "－", "-", "～", "~", "〜", "至", "到")
_CN_NUMERAL = re.compile("[" + "".join([*_CN_DIGITS, *_CN_SMALL_UNITS, *_CN_BIG_UNITS]) + "]+")
#: The parser's own decimal context: exponents never overflow, whatever the caller's context.
_DECIMAL = Context(prec=28, Emax=MAX_EMAX, Emin=MIN_EMIN,
                   traps=[InvalidOperation, DivisionByZero, Overflow])


class FigureParseError(ValueError):
    """Raised when a text cannot be read as a figure. The message says why.

    Examples
    --------
    >>> err = FigureParseError("abc", "no number found")
    >>> str(err), err.raw, err.reason
    ("cannot read 'abc' as a figure: no number found", 'abc', 'no number found')
    """

    def __init__(self, raw: str, reason: str) -> None:
        super().__init__(f"cannot read {raw!r} as a figure: {reason}")
        self.raw = raw
        self.reason = reason

    def __reduce__(self) -> tuple[type[FigureParseError], tuple[str, str]]:
        # pickled across processes (multiprocessing) with the two arguments it is built from
        return type(self), (self.raw, self.reason)


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
    step : float
        The place of the last printed digit, in base units (``2.8亿`` → 10 000 000, ``240余``
        → 10; 0 for a range).
    multiplier : float
        The multiplier printed (万 → 10 000, 亿 → 100 000 000; 1 for none or a range).
    """

    value: float
    low: float
    high: float
    qualifier: str
    unit: str | None
    raw: str
    low_inclusive: bool = field(default=True, repr=False)
    high_inclusive: bool = field(default=True, repr=False)
    step: float = field(default=0.0, repr=False)
    multiplier: float = field(default=1.0, repr=False)


@dataclass(frozen=True)
class _Number:
    value: Decimal
    step: Decimal
    unit: str | None
    qualifier: str
    multiplier: Decimal  # 1, or the 万/亿/千 factor written with the number


def _too_large(raw: str) -> FigureParseError:
    return FigureParseError(raw, f"too large: figures above {MAX_FIGURE:.0e} are refused")


def _cn_to_int(text: str, raw: str) -> tuple[int, int]:
    """Chinese numeral -> (value, its largest 万/亿 unit or 1).

    Units fall: 千, 百, 十 inside a group, 亿 before 万. A digit written straight after a unit
    (no 零 between) that has no unit of its own stands one place lower: 一万二 = 12 000,
    三千五 = 3 500, 三千五万 = 3 500万. A unit without a digit counts once only at the start
    or after 零 (十五, 一千零十五).
    """
    total, section, multiplier = 0, 0, 1
    digit: int | None = None  # a digit waiting for its unit
    before = 0  # the unit written just before that digit (0: none, or 零)
    small, big = 10**4, 10**9  # the last units written: units must fall
    for i, ch in enumerate(text):
        if ch in _CN_DIGITS:
            if digit:
                raise FigureParseError(raw, "two digits in a row in a Chinese numeral")
            digit = _CN_DIGITS[ch]
            before = before if digit else 0  # after 零 a digit is ones again: 一千零五
        elif ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            if unit >= small:
                raise FigureParseError(raw, f"'{ch}' out of order in a Chinese numeral")
            if digit is None and i > 0:
                raise FigureParseError(raw, f"'{ch}' without a digit before it")
            section += (digit or 1) * unit
            small, before, digit = unit, unit, None
        else:
            unit = _CN_BIG_UNITS[ch]
            if unit >= big:
                raise FigureParseError(raw, f"'{ch}' out of order in a Chinese numeral")
            # a digit after 千/百/十 stands one place lower (三千五万); after 万/亿 it is ones
            section += (digit or 0) * (before // 10 if before in _SMALL_PLACES else 1)
            if section == 0:
                raise FigureParseError(raw, f"'{ch}' without a number before it")
            total, section, digit = total + section * unit, 0, None
            small, big, before, multiplier = 10**4, unit, unit, max(multiplier, unit)
    value = total + section + (digit or 0) * (before // 10 if before else 1)
    return value, multiplier


def _int_step(digits: str) -> Decimal:
    """The place of the last non-zero digit of a whole number: ``50000`` -> 10000, ``25`` -> 1,
    ``0`` -> 1 (on the text: ``int()`` refuses more than 4300 digits)."""
    significant = digits.lstrip("0")
    return Decimal(1).scaleb(len(significant) - len(significant.rstrip("0")))


def _arabic_step(digits: str) -> Decimal:
    """Rounding step of a written Arabic number: its last decimal place, or the last non-zero
    integer digit (``240`` -> 10, ``1.3`` -> 0.1, ``11074.12`` -> 0.01)."""
    if "." in digits:
        return Decimal(1).scaleb(-len(digits.split(".", 1)[1]))
    return _int_step(digits)


def _scale(value: Decimal, step: Decimal, rest: str,
           raw: str) -> tuple[Decimal, Decimal, Decimal, str]:
    """Apply the run of multipliers at the start of ``rest`` (万, 千万, 万亿 …; none: 1) to the
    value and its step: (value, step, factor, text after the run). Refuses a figure above
    :data:`MAX_FIGURE`; the run is counted, not cut off one character at a time."""
    run = len(rest) - len(rest.lstrip("".join(_MULTIPLIERS)))
    factor = 1
    for ch in rest[:run]:  # stops within five characters: 千 is the smallest multiplier
        factor *= _MULTIPLIERS[ch]
        if factor > MAX_FIGURE:
            raise _too_large(raw)
    if value * factor > MAX_FIGURE:
        raise _too_large(raw)
    return value * factor, step * factor, Decimal(factor), rest[run:]


def _read_number(rest: str, raw: str) -> tuple[Decimal, Decimal, Decimal, str]:
    """The number at the start of ``rest``: (value, step, multiplier, text after it)."""
    m = ASCII_DECIMAL.match(rest)
    if m:
        digits = m.group(0)
        return _scale(Decimal(digits), _arabic_step(digits), rest[m.end():], raw)
    m = _CN_NUMERAL.match(rest)
    if not m:
        raise FigureParseError(raw, "no number found")
    # below 10**12 by construction (units fall: at most 九千九百九十九亿九千九百九十九万…)
    number, big_unit = _cn_to_int(m.group(0), raw)
    return Decimal(number), _int_step(str(number)), Decimal(big_unit), rest[m.end():]


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

    if rest.startswith("一半"):
        if rest[2:]:
            raise FigureParseError(raw, f"unexpected {rest[2:]!r} after 一半")
        return _Number(Decimal(50), Decimal(50), "percent", qualifier or "exact", Decimal(1))
    value, step, multiplier, rest = _read_number(rest, raw)

    # a qualifier may also stand between number and classifier: 240余名, 1.3万余人次
    rest, mid_q = _strip_prefix(rest, _SUFFIX_QUALIFIERS)
    if mid_q:
        if qualifier:
            raise FigureParseError(raw, "two qualifiers for one number")
        qualifier = mid_q
        # ... and a multiplier may follow it: 3000余万元, 20余万人次 (step scales too)
        value, step, factor, rest = _scale(value, step, rest, raw)
        multiplier *= factor
    qualifier = qualifier or "exact"
    if value == 0 and qualifier in ("at_most", "approx"):
        raise FigureParseError(raw, "近/约 before a zero: a zero is not a rounded number")
    unit = None
    if rest:
        if rest not in CLASSIFIERS:
            raise FigureParseError(raw, f"unknown unit or classifier {rest!r}")
        unit = CLASSIFIERS[rest]
    return _Number(value, step, unit, qualifier, multiplier)


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


def _parse_range(left_text: str, right_text: str, raw: str) -> Figure:
    right = _parse_single(right_text, raw)
    try:
        left = _parse_single(left_text, raw)
    except FigureParseError:
        raise FigureParseError(raw, "the left side of the range is not a number") from None
    if left.qualifier != "exact" or right.qualifier != "exact":
        raise FigureParseError(raw, "a qualifier inside a range")
    low = left.value
    if left.multiplier == 1 and left.unit is None:
        low = left.value * right.multiplier  # 6—8万元: a multiplier written once applies to both
    if left.unit is not None and left.unit != right.unit:
        raise FigureParseError(raw, "the two ends of the range have different units")
    if low > right.value:
        raise FigureParseError(raw, "the range's lower end is above its upper end")
    return Figure(value=float((low + right.value) / 2), low=float(low), high=float(right.value),
                  qualifier="range", unit=right.unit, raw=raw)


def parse_figure(text: str) -> Figure:
    """Read a printed Chinese figure.

    Parameters
    ----------
    text : str
        The figure as printed: a number in ASCII digits or Chinese numerals, an optional
        multiplier (万, 亿, 萬, 億, 千), an optional qualifier (余/餘/多/以上/超/超过/超過/逾 = at
        least; 近/将近/將近/接近 = just under; 约/約/大约/大約/左右/上下 = about), and an optional
        classifier (元, 人, 人次, 户, 对, 吨, 亩, 个 …); or a range ``A—B`` (also ``-``, ``～``,
        ``至``), where a multiplier written once applies to both ends (``6—8万元``).

    Returns
    -------
    Figure
        Value in base units, interval, qualifier and canonical unit; always finite, never
        negative.

    Raises
    ------
    FigureParseError
        (a ``ValueError``, and the only exception raised, whatever ``text`` is) when the text is
        not a figure, with the reason. Refused, among others: anything but a ``str``; digits
        other than ASCII 0-9 (full-width ``３``, Arabic-Indic ``٣``, superscript ``³`` …);
        negative amounts; figures above :data:`MAX_FIGURE` (10**15); 近/约 before a zero
        (``近0``: a zero is not rounded, and its interval would go below zero); Chinese
        numerals out of order or with two digits in a row (``一二三``).

    Notes
    -----
    Chinese numerals are read as spoken: a digit written straight after a unit with no unit of
    its own stands one place lower (``一万二`` = 12 000, ``三千五`` = 3 500, ``两百五`` = 250,
    ``一亿五`` = 150 000 000); after 零 it is ones (``一万零二`` = 10 002).

    Examples
    --------
    >>> parse_figure("6万—8万元")
    Figure(value=70000.0, low=60000.0, high=80000.0, qualifier='range', unit='CNY', raw='6万—8万元')
    >>> parse_figure("11074.12萬元").value
    110741200.0
    >>> parse_figure("五万多农户").high
    60000.0
    >>> parse_figure("一万二").value, parse_figure("將近400萬元").low
    (12000.0, 3500000.0)
    >>> parse_figure("2.8亿元").step, parse_figure("2.8亿元").multiplier
    (10000000.0, 100000000.0)
    >>> parse_figure("近0")
    Traceback (most recent call last):
    ...
    coopstats.dataset.numerals.FigureParseError: cannot read '近0' as a figure: 近/约 before a ...
    """
    if not isinstance(text, str):  # before the cache, which would hash it
        raise FigureParseError(f"<{type(text).__name__}>", "not a text")
    return _parse(str.__str__(text))  # a plain str, whatever a subclass does


@lru_cache(maxsize=8192)
def _parse(text: str) -> Figure:
    raw = text
    body = re.sub(r"\s+", "", text)
    if not body:
        raise FigureParseError(raw, "empty")
    foreign = foreign_digit(body, also=FULLWIDTH_POINT)
    if foreign is not None:  # full-width ３, Arabic-Indic ٣, superscript ³, circled ③ …
        raise FigureParseError(raw, f"{digit_kind(foreign)} digits ({foreign!r}, "
                                    f"U+{ord(foreign):04X}); write numbers with ASCII 0-9")
    if body[0] in "-−－":
        raise FigureParseError(raw, "negative amount; figures are counts or sums, never negative")
    if body.startswith(FORMULA_START):  # (after the minus signs, and the spaces removed)
        raise FigureParseError(raw, "starts like a spreadsheet formula")
    with localcontext(_DECIMAL):
        parts = _split_range(body)
        if parts is not None:
            return _parse_range(*parts, raw)
        n = _parse_single(body, raw)
        low, high, low_inc, high_inc = _interval(n)
    return Figure(value=float(n.value), low=float(low), high=float(high), qualifier=n.qualifier,
                  unit=n.unit, raw=raw, low_inclusive=low_inc, high_inclusive=high_inc,
                  step=float(n.step), multiplier=float(n.multiplier))
