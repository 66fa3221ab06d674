"""External reports, increments between cumulative totals, and triangulation.

The increments are checked against hand computations on the shipped data (the Qingdao–Dingxi
fiscal-aid series of the issue: 9.12亿 in April 2023, 18.23亿 in October 2024, 18.68億 in May
2025, 22.79亿 in January 2026); conflicts and the counting of sources on copies of the data
changed one row at a time. The validator's rules for the table are the bad-input corpus
cases ``reports_*`` (tests/bad_input, run by test_validate.py and test_datasets.py).
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from conftest import DATA

import coopstats
from coopstats.analysis.increments import (
    annual_checks,
    calendar_years,
    increment_rates,
    increments,
    measure_of,
    series,
)
from coopstats.analysis.intensity import IncomparableError
from coopstats.analysis.measures import compare
from coopstats.analysis.triangulation import support
from coopstats.dataset import evidence

YI = 1e8
REPORTS = "context/reports.csv"


@pytest.fixture(scope="module")
def data():
    return coopstats.load_all()


def edit_reports(data_dir, changes: dict[str, dict[str, str]], *, add: list | None = None):
    """Change cells of report rows (by id) in a data copy, and append rows."""
    path = data_dir / REPORTS
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row.update(changes.get(row["report_id"], {}))
    rows += add or []
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- the table and its loader ---------------------------------------------------------------


def test_load_reports_derives_values_from_raw(data):
    r = coopstats.load_reports().set_index("report_id")
    assert len(r) == len(data.reports) == 52  # 50 pairing rows and components, 2 province-wide
    row = r.loc["ext-041"]  # 1100多万元: at least, [1100万, 1200万)
    assert (row["qualifier"], row["unit"], row["value"], row["value_low"], row["value_high"],
            bool(row["high_inclusive"])) == ("at_least", "CNY", 1.1e7, 1.1e7, 1.2e7, False)
    assert r.loc["ext-012", "unit"] == "person"
    assert str(r["pairing_id"].dtype) == "category" and str(r["period_end"].dtype) == "Int64"
    pd.testing.assert_frame_equal(data.reports, coopstats.load_reports())


def test_every_report_has_a_source_and_its_figure_in_one_sentence(data):
    for row in data.reports.itertuples():
        assert row.source_title and row.source_publisher and row.source_url.startswith("http")
        assert evidence.normalise(row.raw) in evidence.normalise(row.source_excerpt)
        assert evidence.one_sentence(row.source_excerpt), row.report_id


def test_loader_refuses_a_report_whose_figure_is_not_in_its_excerpt(data_copy):
    edit_reports(data_copy, {"ext-004": {"raw": "18.86億元"}})
    with pytest.raises(coopstats.DataValidationError, match=r"context/reports.csv:5: raw: "
                       r"'18.86億元' is not in the source excerpt"):
        coopstats.load_reports(data_copy)


def test_a_link_to_a_later_report_is_refused_once(data_copy, sources):
    """A report that says it repeats a report published after it: one line, on its row (the
    report it names is not then told to name it back)."""
    row = {c: ("" if pd.isna(v) else str(v)) for c, v in coopstats.load_reports()
           .set_index("report_id").loc["ext-001"].items() if c in _report_columns()}
    edit_reports(data_copy, {}, add=[{**row, "report_id": "ext-099", "pub_date": "2024-09-01",
                                      "duplicate_of": "ext-001"}])
    problems = [str(p) for p in coopstats.validate(data_copy, sources)]
    assert len(problems) == 1, problems
    assert problems[0].endswith("context/reports.csv:54: duplicate_of: 'ext-001' was "
                                "published after this report (2024-10-17 > 2024-09-01)")


def test_one_sentence():
    assert evidence.one_sentence("截至11月底,全市已向青岛输转农村劳动力1442人")
    assert not evidence.one_sentence("投入100万元。又投入50万元。")


# --- the series and the increments ---------------------------------------------------------


def test_series_orders_dingxi_fiscal_aid_by_the_date_each_covers_up_to(data):
    s = series(data, "fiscal_aid")
    dx = s[s["pairing_id"] == "qingdao_dingxi"]
    assert dx["source_id"].tolist() == ["qd-013", "ext-001", "ext-004", "ext-014", "ext-007"]
    assert dx["kind"].tolist() == ["cumulative"] * 3 + ["annual", "cumulative"]
    assert dx["window"].tolist() == ["2021-04 → 2023-04", "2021-04 → 2024-10",
                                     "2021-04 → 2025-05", "2025 → 2025-12",
                                     "2021-04 → 2026-01"]


def test_increments_of_dingxi_fiscal_aid_by_hand(data):
    inc = increments(data, "fiscal_aid", "qingdao_dingxi").set_index("to_id")
    assert inc["from_id"].tolist() == ["start", "qd-013", "ext-001", "ext-004"]
    # 9.12; 18.23 − 9.12; 18.68 − 18.23; 22.79 − 18.68 (亿元); every figure exact
    assert (inc["increment_mid"] / YI).round(2).tolist() == [9.12, 9.11, 0.45, 4.11]
    assert (inc["increment_low"] == inc["increment_high"]).all()
    # October 2024 → May 2025: ends known to the month, so 7 ± 1 months
    step = inc.loc["ext-004"]
    assert (step["years_low"], step["years_high"]) == pytest.approx((6 / 12, 8 / 12))
    assert not inc["conflict"].any()
    assert inc.loc["ext-007", "caveat"] == "flow stage: disbursed → allocated; " \
                                           "funder: city → unknown"


def test_increment_between_the_seed_and_may_2025(data):
    """The issue's example: 18.68 − 9.12 = 9.56亿 between April 2023 and May 2025."""
    inc = increments(data, "fiscal_aid", "qingdao_dingxi", only=["qd-013", "ext-004"])
    step = inc.iloc[-1]
    assert (step["from_id"], step["to_id"], step["from_end"], step["to_end"]) == \
        ("qd-013", "ext-004", "2023-04", "2025-05")
    assert step["increment_mid"] == pytest.approx(9.56 * YI)
    # from within April 2023 to within May 2025: 24 to 26 months
    assert (step["years_low"], step["years_high"]) == pytest.approx((2.0, 26 / 12))
    assert step["per_year_mid"] == pytest.approx(9.56 * YI / (25 / 12))


def test_increments_of_dingxi_projects_by_hand(data):
    inc = increments(data, "aid_projects", "qingdao_dingxi")
    assert inc["increment_mid"].tolist() == [422.0, 442.0]  # 864 − 422


def test_increment_interval_comes_from_the_qualifiers(data):
    """70多家 (April 2023) is [70, 80): 72家 (May 2023) is 72 − 80 to 72 − 70 more, centred
    on 72 − 75; possibly below zero, but not a conflict."""
    step = increments(data, "firms_introduced", "qingdao_longnan").iloc[-1]
    assert (step["from_raw"], step["to_raw"]) == ("70多家", "72家")
    assert (step["increment_low"], step["increment_mid"], step["increment_high"]) == \
        (-8.0, -3.0, 2.0)
    assert not step["conflict"]


def test_reports_up_to_the_same_date_are_alternatives_not_increments(data):
    """Longnan 2017: 3000萬元 arranged, of which 1650萬元 had arrived: one is differenced
    (the money that arrived), the other listed beside it."""
    inc = increments(data, "fiscal_aid", "qingdao_longnan")
    assert inc[["to_id", "alternatives"]].values.tolist() == [["ext-022", "ext-023"]]


def test_open_start_and_other_windows_are_not_differenced(data):
    s = series(data, "fiscal_aid")
    kinds = dict(zip(s["source_id"], s["kind"], strict=True))
    assert kinds["ext-024"] == "open start"  # Longnan 5.93亿 "目前"
    assert kinds["dx-010"] == "open start"   # Xiushan 2.8亿 "近年来"
    consumption = series(data, "consumption_one_way").set_index("source_id")
    assert consumption.loc["ext-011", "kind"] == "other window"  # 近两年来, 2024–2026


def test_a_stock_has_no_increments(data):
    assert set(series(data, "pairing_ties")["kind"]) == {"stock"}
    with pytest.raises(IncomparableError, match="stock"):
        increments(data, "pairing_ties", "linyi_chengkou")


def test_measure_of_a_comparable_group():
    assert measure_of("cadre_training").key == "cadre_training"
    with pytest.raises(ValueError, match="measure"):
        measure_of("consumption_sales")  # two measures (directions): name one


def test_a_later_total_below_an_earlier_one_is_flagged_not_averaged(data_copy):
    dx = {c: v for c, v in coopstats.load_reports().set_index("report_id").loc["ext-004"]
          .items() if c in _report_columns()}
    lower = {**dx, "report_id": "ext-099", "raw": "17.5億元", "pub_date": "2025-08-01",
             "source_excerpt": "青島市累計投入財政幫扶資金17.5億元", "note": "test row"}
    edit_reports(data_copy, {}, add=[{k: "" if pd.isna(v) else str(v)
                                      for k, v in lower.items()}])
    inc = increments(coopstats.load_all(data_copy), "fiscal_aid", "qingdao_dingxi")
    assert inc["to_id"].tolist() == ["qd-013", "ext-001", "ext-004", "ext-099", "ext-007"]
    flagged = inc.set_index("to_id")["conflict"]
    assert flagged.tolist() == [False, False, False, True, False]
    step = inc.set_index("to_id").loc["ext-099"]
    assert step["increment_mid"] == pytest.approx(-1.18 * YI)  # shown, not averaged away
    assert inc.set_index("to_id").loc["ext-007", "increment_mid"] == pytest.approx(5.29 * YI)


def _report_columns() -> list[str]:
    from coopstats.dataset.schema import SCHEMA

    return list(SCHEMA["reports"].column_names)


def test_the_2025_figure_fits_only_exactly(data):
    c = annual_checks(data, "fiscal_aid", "qingdao_dingxi").iloc[0]
    # between 18.23亿 (October 2024) and 22.79亿 (January 2026): room for 4.56亿, no more
    assert (c["earlier_id"], c["later_id"], c["inside"]) == ("ext-001", "ext-007", "ext-004")
    assert c["room_high"] == pytest.approx(4.56 * YI) and c["slack"] == pytest.approx(0)
    assert not c["conflict"]


def test_the_four_calendar_years_reading_conflicts_with_the_2025_figure(data_copy):
    """Read as 2021–2024, 18.68亿 leaves 22.79 − 18.68 = 4.11亿 for 2025, not 4.56."""
    edit_reports(data_copy, {"ext-004": {"period_end": "2024"}})
    c = annual_checks(coopstats.load_all(data_copy), "fiscal_aid", "qingdao_dingxi").iloc[0]
    assert (c["earlier_id"], c["later_id"]) == ("ext-004", "ext-007")
    assert c["slack"] == pytest.approx(-0.45 * YI)
    assert c["conflict"]


def test_calendar_years_spread_each_increment_evenly(data):
    years = calendar_years(increments(data, "fiscal_aid", "qingdao_dingxi")).set_index("year")
    # 2022 lies inside the first increment: 9.12亿 over its central 2 years
    assert years.loc[2022, "amount_mid"] == pytest.approx(4.56 * YI)
    # the amounts add up to the latest total
    assert years["amount_mid"].sum() == pytest.approx(22.79 * YI)


def test_the_first_increment_is_notebook_3s_continuous_rate(data):
    """The increments run from report date to report date: the first is notebook 3's rate
    read continuously (the uniform prior), not its budget-year rate."""
    rated = increment_rates(increments(data, "fiscal_aid", "qingdao_dingxi"), data,
                            "fiscal_aid")
    nb3 = compare(data, "fiscal_aid", budget_years=False, stages="any").table \
        .set_index("pairing_id")
    first, seed = rated.iloc[0], nb3.loc["qingdao_dingxi"]
    assert (first["rate_low"], first["rate_mid"], first["rate_high"]) == pytest.approx(
        (seed["rate_low"], seed["rate_mid"], seed["rate_high"]))


# --- triangulation -------------------------------------------------------------------------


def test_a_republication_is_linked_and_not_independent(data):
    s = series(data, "aid_projects").set_index("source_id")
    assert "ext-030" not in s.index  # merged into the row it repeats, never counted twice
    assert s.loc["lp-003", "sources"] == "lp-003 ext-030"
    t = support(data).set_index("fact_id")
    assert t.loc[["lp-003", "lp-004", "lp-005"], ["independent", "republications"]]\
        .values.tolist() == [[1, 1]] * 3
    assert len(increments(data, "aid_projects", "liaocheng_pengshui")) == 1


def test_an_independent_second_source_counts(data_copy):
    edit_reports(data_copy, {"ext-030": {"independent": "yes", "republishes": ""}})
    t = support(coopstats.load_all(data_copy)).set_index("fact_id")
    assert t.loc["lp-003", ["independent", "republications"]].tolist() == [2, 0]


def test_support_counts_later_totals_and_those_below(data):
    t = support(data).set_index("fact_id")
    assert t.loc["qd-013", ["later_totals", "later_below"]].tolist() == [3, 0]
    assert t.loc["qd-006", ["later_totals", "later_below"]].tolist() == [1, 0]  # 70多 → 72
    assert int((t["independent"] > 1).sum()) == 0


def test_the_shipped_table_matches_the_data_file():
    with open(DATA / REPORTS, encoding="utf-8", newline="") as f:
        ids = [r["report_id"] for r in csv.DictReader(f)]
    assert ids == [f"ext-{i:03d}" for i in range(1, len(ids) + 1)]
