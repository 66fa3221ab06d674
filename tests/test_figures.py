"""parse_figure: examples from the articles, error cases, and properties (hypothesis)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopstats.figures import CLASSIFIERS, QUALIFIERS, FigureParseError, parse_figure

# raw, value, low, high, qualifier, unit
EXAMPLES = [
    ("1.3万余人次", 13000, 13000, 14000, "at_least", "person_time"),
    ("近400万元", 4_000_000, 3_500_000, 4_000_000, "at_most", "CNY"),
    ("6万—8万元", 70000, 60000, 80000, "range", "CNY"),
    ("6—8万元", 70000, 60000, 80000, "range", "CNY"),
    ("2000元—4000元", 3000, 2000, 4000, "range", "CNY"),
    ("9.12亿元", 912_000_000, 912_000_000, 912_000_000, "exact", "CNY"),
    ("11074.12萬元", 110_741_200, 110_741_200, 110_741_200, "exact", "CNY"),
    ("84.7%", 84.7, 84.7, 84.7, "exact", "percent"),
    ("240余名", 240, 240, 250, "at_least", "person"),
    ("300人以上", 300, 300, 400, "at_least", "person"),
    ("20%以上", 20, 20, 30, "at_least", "percent"),
    ("一半以上", 50, 50, 100, "at_least", "percent"),
    ("40%左右", 40, 35, 45, "approx", "percent"),
    ("4万人左右", 40000, 35000, 45000, "approx", "person"),
    ("约80亿元", 8e9, 7.5e9, 8.5e9, "approx", "CNY"),
    ("9500万元左右", 95_000_000, 94_500_000, 95_500_000, "approx", "CNY"),
    ("五万多农户", 50000, 50000, 60000, "at_least", "household"),
    ("六万头", 60000, 60000, 60000, "exact", "head"),
    ("十批", 10, 10, 10, "exact", "count"),
    ("两个", 2, 2, 2, "exact", "count"),
    ("1209人（次）", 1209, 1209, 1209, "exact", "person_time"),
    ("3000余万元", 30_000_000, 30_000_000, 40_000_000, "at_least", "CNY"),
    ("20余万人次", 200_000, 200_000, 300_000, "at_least", "person_time"),
    ("2100多万元", 21_000_000, 21_000_000, 22_000_000, "at_least", "CNY"),
    ("50余堂次", 50, 50, 60, "at_least", "count"),
    ("66对", 66, 66, 66, "exact", "pair"),
    ("12对次", 12, 12, 12, "exact", "pair"),
    ("1500亩", 1500, 1500, 1500, "exact", "mu"),
    ("3.06万吨", 30600, 30600, 30600, "exact", "tonne"),
    ("50兆瓦", 50, 50, 50, "exact", "MW"),
    ("5.575万人", 55750, 55750, 55750, "exact", "person"),
    ("超2000人", 2000, 2000, 3000, "at_least", "person"),
    ("1.6亿元", 1.6e8, 1.6e8, 1.6e8, "exact", "CNY"),
]


@pytest.mark.parametrize(("raw", "value", "low", "high", "qualifier", "unit"), EXAMPLES)
def test_examples(raw, value, low, high, qualifier, unit):
    fig = parse_figure(raw)
    assert fig.value == pytest.approx(value)
    assert fig.low == pytest.approx(low)
    assert fig.high == pytest.approx(high)
    assert fig.qualifier == qualifier
    assert fig.unit == unit
    assert fig.raw == raw


def test_issue_example_repr():
    fig = parse_figure("1.3万余人次")
    assert repr(fig) == ("Figure(value=13000.0, low=13000.0, high=14000.0, qualifier='at_least', "
                         "unit='person_time', raw='1.3万余人次')")
    assert fig.low_inclusive and not fig.high_inclusive


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "empty"),
    ("abc", "no number"),
    ("NA", "no number"),
    ("null", "no number"),
    ("N/A", "no number"),
    ("-5万元", "negative"),
    ("１２３人", "full-width"),
    ("=SUM(A1)", "formula"),
    ("8万—6万元", "lower end"),
    ("300余—400人", "qualifier inside a range"),
    ("40个人民", "unknown unit"),
    ("近300余人", "two qualifiers"),
    ("万元", "without a number"),
])
def test_errors(raw, reason):
    with pytest.raises(FigureParseError, match=reason) as info:
        parse_figure(raw)
    assert isinstance(info.value, ValueError)
    assert repr(raw) in str(info.value)


# --- properties ---------------------------------------------------------------------------

_CN = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Write 0 < n < 10**8 in Chinese numerals (an implementation independent of the parser)."""
    def below_10000(m: int) -> str:
        out, zero = "", False
        for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = m // place % 10
            if d:
                if zero and out:
                    out += "零"
                out += _CN[d] + name
                zero = False
            else:
                zero = True
        return out
    high, low = divmod(n, 10000)
    if not high:
        return below_10000(low)
    text = below_10000(high) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10000(low)
    return text


SIMPLE_UNITS = {c: u for c, u in CLASSIFIERS.items() if c not in ("%", "％")}
SUFFIX_Q = {"余": "at_least", "多": "at_least", "以上": "at_least", "左右": "approx"}


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_roundtrip(n):
    assert parse_figure(to_chinese(n) + "人").value == n


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(sorted(SIMPLE_UNITS)))
def test_arabic_integers_with_classifier(n, classifier):
    fig = parse_figure(f"{n}{classifier}")
    assert fig.value == n and fig.low == fig.high == n
    assert fig.unit == SIMPLE_UNITS[classifier]
    assert fig.qualifier == "exact"


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
    st.sampled_from([("万", 10**4), ("亿", 10**8), ("萬", 10**4), ("億", 10**8)]),
)
def test_decimals_with_multiplier(d, mult):
    word, factor = mult
    fig = parse_figure(f"{d}{word}元")
    assert fig.value == pytest.approx(float(d * factor))
    assert fig.unit == "CNY"


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(sorted(SUFFIX_Q)),
       st.sampled_from(["人", "元", "个", "人次", "吨"]))
def test_interval_contains_value_and_is_bounded(n, qualifier, classifier):
    raw = f"{n}{classifier}{qualifier}" if qualifier in ("以上", "左右") else \
        f"{n}{qualifier}{classifier}"
    fig = parse_figure(raw)
    assert fig.qualifier == SUFFIX_Q[qualifier]
    assert fig.low <= fig.value <= fig.high
    assert fig.low < fig.high
    # the interval is one rounding step wide: the step is a power of ten not above n
    width = fig.high - fig.low
    assert math.log10(width) == pytest.approx(round(math.log10(width)))
    assert width <= n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_ranges(a, b):
    lo, hi = min(a, b), max(a, b)
    fig = parse_figure(f"{lo}—{hi}人")
    assert (fig.low, fig.high, fig.qualifier, fig.unit) == (lo, hi, "range", "person")
    assert fig.value == pytest.approx((lo + hi) / 2)


@given(st.text(max_size=12))
def test_any_text_parses_or_raises_figure_error(text):
    try:
        fig = parse_figure(text)
    except FigureParseError:
        return
    assert fig.qualifier in QUALIFIERS
    assert fig.low <= fig.high
