"""coopstats agree: two codings matched by article and raw, figures only one coder found,
and Krippendorff's alpha per field, checked against codings whose alpha is known."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from conftest import DATA

from coopstats.cli import main
from coopstats.coding.agree import compare, read_coding

LC = "facts/linyi_chengkou_2023.csv"


def _coding(indicators: list[str], raws: list[str] | None = None) -> dict:
    raws = raws or [f"{i + 1}个" for i in range(len(indicators))]
    return {"art": [{"fact_id": f"x-{i:03d}", "article_id": "art", "raw": r, "indicator": v}
                    for i, (r, v) in enumerate(zip(raws, indicators, strict=True))]}


def _field(result, name):
    return next(f for f in result.fields if f.field == name)


def test_perfect_agreement_is_one():
    a = _coding(["aid_projects", "aid_projects", "pairing_ties", "firms_engaged"])
    f = _field(compare(a, a, fields=("indicator",)), "indicator")
    assert (f.alpha, f.agreed, f.matched) == (1.0, 4, 4)


def test_a_small_nominal_case_against_a_hand_computation():
    """Coder A: a a b b, coder B: a b b b. Coincidences (each unit of two values adds 1 per
    ordered pair): o_aa = 2, o_ab = o_ba = 1, o_bb = 4; n_a = 3, n_b = 5, n = 8.
    alpha = 1 - (n - 1) * (o_ab + o_ba) / (2 n_a n_b) = 1 - 7 * 2 / 30 = 16/30."""
    a = _coding(["a", "a", "b", "b"])
    b = _coding(["a", "b", "b", "b"])
    f = _field(compare(a, b, fields=("indicator",)), "indicator")
    assert f.alpha == pytest.approx(16 / 30)
    assert (f.agreed, f.matched) == (3, 4)


def test_systematic_disagreement_is_below_zero_and_one_value_is_undefined():
    f = _field(compare(_coding(["a", "b"]), _coding(["b", "a"]), fields=("indicator",)),
               "indicator")
    assert f.alpha < 0 and f.agreed == 0
    same = _field(compare(_coding(["a", "a"]), _coding(["a", "a"]), fields=("indicator",)),
                  "indicator")
    assert same.alpha is None and same.agreed == 2  # one value only: alpha is undefined


def test_figures_are_matched_by_normalised_raw_in_order_and_the_rest_listed():
    a = _coding(["p", "q", "r"], ["9个", "9个", "1.3万余人次"])
    b = _coding(["p", "q", "s"], ["9 个", "9个", "40%"])
    result = compare(a, b, fields=("indicator",))
    assert [(x["fact_id"], y["fact_id"]) for x, y in result.matched] == \
        [("x-000", "x-000"), ("x-001", "x-001")]
    assert [r["raw"] for r in result.only_a] == ["1.3万余人次"]
    assert [r["raw"] for r in result.only_b] == ["40%"]


def _copy(tmp_path, name):
    dest = tmp_path / name
    shutil.copytree(DATA, dest)
    return dest


def _rewrite(path, change) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, [change(r) for r in reader]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r is not None)


def test_cli_agree_on_two_data_folders(tmp_path, capsys):
    """Coder B codes lc-002 as disbursed (A: allocated) and misses lc-032: the report says
    both, and the csv table has one row per field with its alpha."""
    a, b = _copy(tmp_path, "a"), _copy(tmp_path, "b")
    _rewrite(b / LC, lambda r: None if r["fact_id"] == "lc-032" else
             {**r, "flow_stage": "disbursed"} if r["fact_id"] == "lc-002" else r)
    assert main(["agree", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "193 figures matched by article and raw; 1 only in A, 0 only in B" in out
    assert "linyi_chengkou_2023 14位 (lc-032)" in out
    assert "linyi_chengkou_2023 350万元 (lc-002 | lc-002): flow_stage: allocated | disbursed" \
        in out
    assert main(["agree", str(a), str(b), "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    rows = {r["field"]: r for r in table}
    assert set(rows) >= {"indicator", "scope", "qualifier", "status", "period_start",
                         "period_end", "period_basis", "funder_level", "flow_stage",
                         "direction", "measure_type", "grade", "duplicate_of*", "part_of*"}
    assert rows["indicator"]["alpha"] == "1.0000" and rows["indicator"]["matched"] == "193"
    assert rows["flow_stage"]["agreed"] == "192"
    assert 0.9 < float(rows["flow_stage"]["alpha"]) < 1
    assert rows["flow_stage"]["only_in_a"] == "1"


def test_cli_agree_without_a_facts_folder_is_one_line(tmp_path, capsys):
    assert main(["agree", str(DATA), str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no facts folder" in err


@pytest.mark.shipped_data
def test_read_coding_reads_every_facts_file():
    coding = read_coding(DATA)
    assert sum(map(len, coding.values())) == 194 and len(coding) == 5
