"""The completeness audit of coopstats validate: every figure-like string of every article is
coded or listed in skips.csv; an uncoded, unlisted one is one line naming the article, the
figure and its clause; skips.csv agrees with the facts."""

from __future__ import annotations

import csv

from conftest import DATA
from corpus import LC
from test_validate import assert_problem_lines, run_validate

LC_SOURCE = "000_f7032c77d95ebf04.txt"


def _drop_rows(path, keep) -> None:
    """Rewrite a CSV table without the rows ``keep`` refuses."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, [r for r in reader if keep(r)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _append(path, row: dict) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with open(path, "a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=header, lineterminator="\n").writerow(row)


def _next_skip_line() -> int:
    """The line a row appended to skips.csv is on."""
    return len((DATA / "skips.csv").read_text(encoding="utf-8").splitlines()) + 1


def _validate(data_copy, sources, capsys):
    rc, lines, _ = run_validate(["--data-dir", str(data_copy), "--sources", str(sources)],
                                capsys)
    shown = [line.replace(str(data_copy) + "/", "") for line in lines]
    assert_problem_lines(shown)
    return rc, shown


def test_shipped_data_passes_the_audit(sources, capsys):
    rc, lines, _ = run_validate(["--sources", str(sources)], capsys)
    assert rc == 0 and "every figure coded or listed in skips.csv" in lines[-1]


def test_an_uncoded_figure_is_one_line_with_article_figure_and_clause(data_copy, sources,
                                                                     capsys):
    _drop_rows(data_copy / LC, lambda r: r["fact_id"] != "lc-032")  # 14位 科技特派员
    rc, lines = _validate(data_copy, sources, capsys)
    assert rc == 1 and lines == [
        f"{LC}:0: (audit): '14位' is neither coded nor listed in skips.csv (its clause in "
        f"{LC_SOURCE}: 城口食用菌、山地鸡、地道中药材等产业有了14位“科技特派员”)"]


def test_a_deliberate_skip_needs_its_row(data_copy, sources, capsys):
    _drop_rows(data_copy / "skips.csv", lambda r: r["raw"] != "五方面")
    rc, lines = _validate(data_copy, sources, capsys)
    assert rc == 1 and len(lines) == 1 and "'五方面' is neither coded nor listed" in lines[0]


def test_a_skip_of_a_coded_figure_is_one_line(data_copy, sources, capsys):
    _append(data_copy / "skips.csv", {"article_id": "linyi_chengkou_2023", "raw": "14位",
                                      "quote": "等产业有了14位“科技特派员”",
                                      "reason": "context"})
    rc, lines = _validate(data_copy, sources, capsys)
    assert rc == 1 and lines == [
        f"skips.csv:{_next_skip_line()}: raw: '14位' is coded as lc-032 ({LC}:33); remove it "
        "from skips.csv"]


def test_a_skip_of_no_figure_is_one_line(data_copy, sources, capsys):
    _append(data_copy / "skips.csv", {"article_id": "linyi_chengkou_2023", "raw": "城口",
                                      "quote": "临沂市援建的城口沱谷景区项目",
                                      "reason": "name"})
    rc, lines = _validate(data_copy, sources, capsys)
    assert rc == 1 and len(lines) == 1 and lines[0].startswith(
        f"skips.csv:{_next_skip_line()}: raw: '城口' is no figure-like string of the article")


def test_a_skip_quote_not_in_the_article_is_one_line(data_copy, sources, capsys):
    _append(data_copy / "skips.csv", {"article_id": "linyi_chengkou_2023", "raw": "3个",
                                      "quote": "完善三个平台3个", "reason": "framework"})
    rc, lines = _validate(data_copy, sources, capsys)
    assert (rc, lines) == (1, [f"skips.csv:{_next_skip_line()}: quote: not found in {LC_SOURCE}"])


def test_the_audit_waits_for_clean_data(data_copy, sources, capsys):
    """With another problem in the data, the audit does not run: a figure left uncoded by a
    broken row would be reported twice."""
    _drop_rows(data_copy / LC, lambda r: r["fact_id"] != "lc-032")
    text = (data_copy / "places.csv").read_text(encoding="utf-8")
    (data_copy / "places.csv").write_text(text.replace("31.95", "99.5", 1), encoding="utf-8")
    rc, lines = _validate(data_copy, sources, capsys)
    assert rc == 1 and len(lines) == 1 and "latitude" in lines[0]


def test_without_sources_there_is_no_audit(data_copy, capsys):
    _drop_rows(data_copy / LC, lambda r: r["fact_id"] != "lc-032")
    rc, lines, _ = run_validate(["--data-dir", str(data_copy)], capsys)
    assert rc == 0 and "quotes NOT checked" in lines[-1]


def test_skips_table_is_small_and_every_reason_is_explained():
    with open(DATA / "skips.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert 0 < len(rows) <= 20
    assert all(r["note"] for r in rows)
