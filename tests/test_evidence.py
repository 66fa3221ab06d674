"""Every coded figure is reached through its quote: the quote is in the article, raw in the quote.

These tests read the source articles (see conftest.py for where they are looked for).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coopstats.dataset.evidence import normalise, quote_in_source, read_source, strip_pinyin

DATA = Path(__file__).resolve().parent.parent / "data"


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ARTICLES = {r["article_id"]: r for r in _read(DATA / "articles.csv")}
FACTS = [r for p in sorted((DATA / "facts").glob("*.csv")) for r in _read(p)]


def test_normalise_removes_page_breaks_pinyin_and_width():
    assert normalise("计\n\n划将实现") == "计划将实现"
    assert normalise("魯渝協(xié)作，投資11074.12萬(wàn)元") == "魯渝協作,投資11074.12萬元"
    assert normalise("１２％") == "12%"
    # Chinese text in parentheses is not pinyin and stays
    assert strip_pinyin("示范园(一期)") == "示范园(一期)"


def test_quote_in_source_rejects_empty_and_absent():
    text = normalise("累计落实政策帮扶资金2.8亿元")
    assert quote_in_source("帮扶资金2.8亿元", text)
    assert not quote_in_source("帮扶资金3.8亿元", text)
    assert not quote_in_source("   ", text)


def test_there_are_about_two_hundred_facts():
    assert 150 <= len(FACTS) <= 300
    assert {f["article_id"] for f in FACTS} == set(ARTICLES)


@pytest.mark.parametrize("fact", FACTS, ids=[f["fact_id"] for f in FACTS])
def test_fact_quote_is_in_its_article(fact, sources):
    source = read_source(sources / ARTICLES[fact["article_id"]]["source_file"])
    assert quote_in_source(fact["quote"], source), fact["quote"]
    assert normalise(fact["raw"]) in normalise(fact["quote"])


def test_traditional_article_quotes_keep_traditional_characters(sources):
    trad = [f for f in FACTS if ARTICLES[f["article_id"]]["script"] == "traditional"]
    assert trad
    assert any("萬" in f["raw"] for f in trad)
    assert not any("(" in f["quote"] and ")" in f["quote"] and
                   strip_pinyin(f["quote"]) != f["quote"] for f in trad)
