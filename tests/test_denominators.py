"""Shares of a budget or GDP: hand-computed values, who paid, no interpolation, and what a
share refuses."""

from __future__ import annotations

import csv
import shutil

import pytest
from conftest import DATA

import coopstats
from coopstats.denominators import for_measure
from coopstats.intensity import IncomparableError, rates
from coopstats.measures import MEASURES, compare
from coopstats.parameters import DENOMINATORS, rate_unit
from coopstats.totals import pairing_figures

YI = 1e8  # 亿


@pytest.fixture(scope="module")
def data():
    return coopstats.load_all()


def test_a_share_of_the_payers_revenue_by_hand(data):
    """Qingdao → Dingxi: 9.12亿元 over April 2021 – April 2023 (two years, give or take a
    month at each end), paid by the city, over Qingdao's revenue 2021, 2022, 2023
    (1368亿, 1273.2亿, 1337.8亿 in context/finance.csv), in current yuan."""
    c = compare(data, "fiscal_aid", denominator="donor_revenue", funders="any")
    row = c.table.set_index("pairing_id").loc["qingdao_dingxi"]
    revenue = (1368 + 1273.2 + 1337.8) / 3 * YI
    assert row["denominator_years"] == "2021–2023"
    assert row["rate_mid"] == pytest.approx(9.12 * YI / 2 / revenue * 100, rel=1e-12)
    assert row["rate_low"] == pytest.approx(9.12 * YI / (2 + 1 / 12) / revenue * 100,
                                            rel=1e-12)
    assert row["rate_high"] == pytest.approx(9.12 * YI / (2 - 1 / 12) / revenue * 100,
                                             rel=1e-12)
    assert row["deflator_mid"] == 1.0  # current yuan over current yuan


def test_a_share_of_the_recipients_gdp_uses_the_published_years_only(data):
    """Dingxi's GDP is published here for 2021 and 2022, not 2023: two of the window's three
    years, so the share uses their mean (500.76亿, 557.93亿) and says so."""
    c = compare(data, "fiscal_aid", denominator="recipient_gdp", funders="any")
    row = c.table.set_index("pairing_id").loc["qingdao_dingxi"]
    assert row["denominator_years"] == "2021–2022"
    assert row["rate_mid"] == pytest.approx(9.12 * YI / 2 / ((500.76 + 557.93) / 2 * YI) * 100,
                                            rel=1e-12)


def test_mixed_or_unknown_funders_get_no_share_of_anyones_revenue(data):
    c = compare(data, "fiscal_aid", denominator="donor_revenue", funders="any")
    left = c.left_out.set_index(c.left_out["pairing_id"].astype(str))["reason"]
    assert left["dezhou_xiushan"] == "funder mixed: whose revenue is not known"
    assert left["rizhao_qianjiang"] == "funder unknown: whose revenue is not known"
    assert set(c.table["pairing_id"].astype(str)) == {"qingdao_dingxi"}


def test_nothing_is_interpolated_over_a_long_window(data):
    """Qingdao → Yiling's window runs from 1994; Qingdao's revenue is known for 2020–2023."""
    c = compare(data, "fiscal_aid", denominator="donor_revenue", funders="any")
    left = c.left_out.set_index(c.left_out["pairing_id"].astype(str))["reason"]
    assert left["qingdao_yiling"] == ("general_budget_revenue of qingdao known for "
                                      "2020–2023 only; window 1994–2023")
    gone = compare(data, "fiscal_aid", denominator="recipient_expenditure", funders="any")
    assert gone.table.empty
    assert "no general_budget_expenditure of dingxi in context/finance.csv" in \
        set(gone.left_out["reason"])


def test_a_province_paid_figure_is_a_share_of_the_provinces_revenue(tmp_path):
    """Recode Qingdao → Dingxi's fiscal aid as paid by the province: the share then needs
    Shandong's revenue (here only 2024), not Qingdao's."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    path = copy / "facts" / "qingdao_partners_2023.csv"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["fact_id"] == "qd-013":
            r["funder_level"] = "province"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    c = compare(coopstats.load_all(copy), "fiscal_aid", denominator="donor_revenue",
                funders="any")
    left = c.left_out.set_index(c.left_out["pairing_id"].astype(str))["reason"]
    assert left["qingdao_dingxi"] == ("general_budget_revenue of shandong known for 2024 "
                                      "only; window 2021–2023")


@pytest.mark.parametrize("denominator", ["donor_revenue", "recipient_gdp",
                                         "recipient_expenditure"])
def test_a_count_or_a_stock_is_never_a_share(data, denominator):
    with pytest.raises(IncomparableError, match="needs yuan a year, not figures counted in "
                                                "count"):
        compare(data, "aid_projects", denominator=denominator, funders="any")
    yuan = pairing_figures(data.facts).set_index("fact_id").loc[["qd-013"]]
    with pytest.raises(IncomparableError, match="needs yuan a year, not a stock"):
        rates(yuan, data, denominator=denominator, per_year=False)
    assert for_measure(MEASURES["aid_projects"], denominator) == "recipient_population"
    assert for_measure(MEASURES["fiscal_aid"], denominator) == denominator


def test_every_denominator_has_its_own_axis_label():
    labels = {d: rate_unit("2023 yuan", d) for d in DENOMINATORS}
    assert len(set(labels.values())) == len(DENOMINATORS)
    assert labels["none"] == "2023 yuan per year"
    assert labels["donor_revenue"] == ("a year's yuan, % of the payer's general public "
                                       "budget revenue")
    assert "resident" not in labels["recipient_gdp"]
