"""coopstats extract: every figure an independent coder would code is found (recall, on the
five articles against data/facts), few rows to code are not figures (precision), the
codebook's non-figures get their skip_reason, and the dirt of the sources (traditional
characters, injected pinyin, page breaks) does not get in the way."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import DATA

from coopstats.cli import main
from coopstats.coding.extract import DRAFT_COLUMNS, Vocabulary, draft_rows
from coopstats.dataset.article_text import ArticleText, read_article
from coopstats.dataset.checks.audit import figure_span
from coopstats.dataset.scan import scan
from coopstats.dataset.schema import SCHEMA, SKIP_REASONS


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ARTICLES = _rows(DATA / "articles.csv")


@pytest.fixture(scope="module")
def measured(sources):
    """Per article: the figure-like strings found, the facts and the skips."""
    out = {}
    for art in ARTICLES:
        text = read_article(sources / art["source_file"])
        out[art["article_id"]] = (text, scan(text),
                                  _rows(DATA / "facts" / f"{art['article_id']}.csv"),
                                  [r for r in _rows(DATA / "skips.csv")
                                   if r["article_id"] == art["article_id"]])
    return out


def _overlaps(found, span):
    return [f for f in found if f.start < span[1] and span[0] < f.end]


def _recall(measured) -> tuple[int, int]:
    """(coded figures, those extract does not offer to code exactly as the coder's raw)."""
    coded = missed = 0
    for text, found, facts, _ in measured.values():
        for fact in facts:
            span = figure_span(text, fact["quote"], fact["raw"])
            hits = [f for f in _overlaps(found, span) if not f.skip_reason]
            coded += 1
            missed += not (hits and hits[0].raw == fact["raw"])
    return coded, missed


def _precision(measured) -> tuple[int, int, int]:
    """(rows offered to code, those no fact codes, those of them not in skips.csv)."""
    offered = not_figures = unlisted = 0
    for text, found, facts, skips in measured.values():
        coded = [figure_span(text, r["quote"], r["raw"]) for r in facts]
        listed = [figure_span(text, r["quote"], r["raw"]) for r in skips]
        for f in (f for f in found if not f.skip_reason):
            offered += 1
            if not any(f.start < e and s < f.end for s, e in coded):
                not_figures += 1
                unlisted += not any(f.start < e and s < f.end for s, e in listed)
    return offered, not_figures, unlisted


def test_recall_every_coded_raw_is_found_as_a_figure(measured):
    """Every coded figure is a figure-like string extract offers to code (no skip_reason),
    printed exactly as the coder's raw; of the rows it offers, those not coded are in
    skips.csv (the audit)."""
    assert _recall(measured)[1] == 0
    assert _precision(measured)[2] == 0


@pytest.mark.shipped_data
def test_recall_and_precision_on_the_five_articles(measured):
    """Recall 194 of 194; precision: of the 205 rows offered to code, 11 are not figures
    (95 %), each a deliberate skip."""
    assert _recall(measured) == (194, 0)
    offered, not_figures, _ = _precision(measured)
    assert (offered, not_figures) == (205, 11)
    assert not_figures / offered < 0.1


@pytest.mark.parametrize("text, raw, reason", [
    ("2021年9月16日，首航。", "2021年9月16日", "date"),
    ("今年4月20日，推介会举行。", "4月20日", "date"),
    ("2022年，两地实现销售。", "2022年", "date"),
    ("今年一季度，输送劳动力。", "一季度", "date"),
    ("鲁渝东西部协作第十九次联席会议指出", "第十九次", "ordinal"),
    ("山东省第六批赴秀山“组团式”帮扶队", "第六批", "ordinal"),
    ("完善“1+1+1+2+1+9+52”分层分类体系", "1+1+1+2+1+9+52", "name"),
    ("开展“十万山东人游彭水”活动", "十万", "name"),
    ("借助“832平台”等网络销售渠道", "832", "name"),
    ("推动“十四五”期间帮扶协作", "十四五", "name"),
    ("12年来，德州坚决贯彻", "12年来", "duration"),
    ("四載春秋，攜手同行", "四載", "duration"),
    ("相关绩效考核连续4年获得好评", "4年", "streak"),
    ("这位67岁的老人", "67岁", "personal"),
    ("涌现出一批示范案例", "一批", "article"),
    ("实施援建项目156个。", "156个", ""),
])
def test_skip_reasons_follow_the_codebook(text, raw, reason):
    found = {f.raw: f.skip_reason for f in scan(ArticleText.of(text))}
    assert found.get(raw) == reason, found
    assert reason == "" or reason in SKIP_REASONS


def test_traditional_text_with_pinyin_and_page_breaks():
    """The Pengshui article's dirt: pinyin readings after characters, a page break inside a
    figure. raw is printed without them, the quote is verbatim (and found by the evidence
    check), the figure parsed, the indicator suggested from the simplified terms."""
    article = ("2021年以(yǐ)來,聊城市實(shí)施援建項(xiàng)目156個(gè)。成功落地9個東部企業,"
               "實際完成投資11074.12萬\n\n(wàn)元,助力產業培育。")
    rows = [r for r in draft_rows(article, year=2025) if not r["skip_reason"]]
    assert [r["raw"] for r in rows] == ["156個", "9個", "11074.12萬元"]
    first, money = rows[0], rows[2]
    assert first["quote"] == "聊城市實施援建項目156個"
    assert (first["indicator"], first["period_start"], first["period_end"],
            first["period_basis"], first["period_text"]) == \
        ("aid_projects", "2021", "2025", "stated", "2021年以来")
    assert money["quote"] == "實際完成投資11074.12萬元"
    assert (money["value"], money["unit"], money["indicator"]) == \
        ("110741200", "CNY", "firm_investment")
    assert "carried" in money["note"]  # 2021年以來 dates it from the sentence before (P1)


def test_draft_has_the_facts_columns_qualifiers_and_intervals():
    rows = draft_rows("预计带动3000余户农户增收，实现产值约9500万元，近400人，6万—8万元。",
                      year=2023)
    assert DRAFT_COLUMNS[:len(SCHEMA["facts"].column_names)] == SCHEMA["facts"].column_names
    got = {r["raw"]: (r["qualifier"], r["value_low"], r["value_high"], r["status"]) for r in rows}
    assert got == {"3000余户": ("at_least", "3000", "4000", "planned"),
                   "约9500万元": ("approx", "94500000", "95500000", "planned"),
                   "近400人": ("at_most", "350", "400", "planned"),
                   "6万—8万元": ("range", "60000", "80000", "planned")}


@pytest.mark.shipped_data
def test_cli_extract_fills_the_article_from_the_data_and_writes_a_file(sources, tmp_path,
                                                                      capsys):
    out = tmp_path / "draft.csv"
    assert main(["extract", str(sources / "001_552a04d937923135.txt"), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("64 figure-like strings: 39 to code") and str(out) in err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    to_code = [r for r in rows if not r["skip_reason"]]
    assert [r["fact_id"] for r in to_code[:2]] == ["rq-001", "rq-002"]
    assert {r["article_id"] for r in rows} == {"rizhao_qianjiang_2023"}
    facts = _rows(DATA / "facts" / "rizhao_qianjiang_2023.csv")
    assert [r["raw"] for r in to_code] == [r["raw"] for r in facts]  # in the coder's order
    # printed without --out, the same table
    assert main(["extract", str(sources / "001_552a04d937923135.txt")]) == 0
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")


def test_cli_extract_refuses_to_write_into_a_data_folder(sources, data_copy, capsys):
    before = sorted(p.name for p in data_copy.iterdir())
    rc = main(["extract", str(sources / "000_f7032c77d95ebf04.txt"), "--data-dir",
               str(data_copy), "--out", str(data_copy / "facts" / "draft.csv")])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "data folder" in err
    assert sorted(p.name for p in data_copy.iterdir()) == before
    assert not (data_copy / "facts" / "draft.csv").exists()


def test_cli_extract_unreadable_article_is_one_line(tmp_path, capsys):
    (tmp_path / "gbk.txt").write_bytes("协作资金".encode("gb18030"))
    for path in (tmp_path / "missing.txt", tmp_path / "gbk.txt"):
        assert main(["extract", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"coopstats: {path}: ")


def test_vocabulary_reads_ellipsis_terms():
    vocab = Vocabulary.of([{"indicator_id": "market_share", "units": "percent",
                            "count_means": "", "terms_zh": "占…市场"}])
    rows = draft_rows("占全县香菇市场的40%左右。", vocabulary=vocab)
    assert rows[0]["indicator"] == "market_share"
