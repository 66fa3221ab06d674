"""Shares of a budget or GDP: hand-computed values, who paid, no interpolation, and what a
share refuses."""

from __future__ import annotations

import csv
import shutil

import pytest
from conftest import DATA

import coopstats
from coopstats.analysis.denominators import for_measure
from coopstats.analysis.intensity import IncomparableError, rates
from coopstats.analysis.measures import MEASURES, compare
from coopstats.analysis.totals import pairing_figures
from coopstats.dataset.parameters import DENOMINATORS, rate_unit

YI = 1e8  # 亿


@pytest.fixture(scope="module")
def data():
    return coopstats.load_all()


def test_a_share_of_the_payers_revenue_by_hand(data):
    """Qingdao → Dingxi: 9.12亿元 of April 2023 counts the budget years 2021 and 2022
    (codebook P13: a report before May holds no allocation of its own year), paid by the
    city, over Qingdao's revenue of the years before them, 2020 and 2021 (1253.8亿, 1368亿
    in context/finance.csv: the rules' previous-year base), in current yuan."""
    c = compare(data, "fiscal_aid", denominator="donor_revenue")
    row = c.table.set_index("pairing_id").loc["qingdao_dingxi"]
    revenue = (1253.8 + 1368) / 2 * YI
    assert row["denominator_years"] == "2020–2021"
    for col in ("rate_low", "rate_mid", "rate_high"):  # two whole budget years exactly
        assert row[col] == pytest.approx(9.12 * YI / 2 / revenue * 100, rel=1e-12)
    assert f"{row['rate_mid']:.3f}" == "0.348"  # the referee's previous-year figure
    assert row["deflator_mid"] == 1.0  # current yuan over current yuan


def test_the_donor_revenue_base_is_the_year_before(data):
    """The continuous reading (April 2021 – April 2023) touches 2021–2023; its base is the
    years before, 2020–2022 (1253.8亿, 1368亿, 1273.2亿)."""
    c = compare(data, "fiscal_aid", denominator="donor_revenue", budget_years=False)
    row = c.table.set_index("pairing_id").loc["qingdao_dingxi"]
    assert row["denominator_years"] == "2020–2022"
    revenue = (1253.8 + 1368 + 1273.2) / 3 * YI
    assert row["rate_mid"] == pytest.approx(9.12 * YI / 2 / revenue * 100, rel=1e-12)


def test_a_share_of_the_recipients_gdp_uses_the_published_years_only(data):
    """Dingxi's GDP of the budget years 2021 and 2022 (the same years: a recipient's share has
    no lag): the mean of 500.76亿 and 557.93亿."""
    c = compare(data, "fiscal_aid", denominator="recipient_gdp")
    row = c.table.set_index("pairing_id").loc["qingdao_dingxi"]
    assert row["denominator_years"] == "2021–2022"
    assert row["rate_mid"] == pytest.approx(9.12 * YI / 2 / ((500.76 + 557.93) / 2 * YI) * 100,
                                            rel=1e-12)


def test_mixed_or_unknown_funders_get_no_share_of_anyones_revenue(data):
    c = compare(data, "fiscal_aid", denominator="donor_revenue")
    left = c.left_out.set_index("fact_id")["reason"]
    assert left["dx-010"] == "funder mixed: whose revenue is not known"
    assert left["rq-021"] == "funder unknown: whose revenue is not known"
    assert "ext-038" not in left.index  # Dezhou has an article's figure: no report for it
    assert set(c.table["pairing_id"].astype(str)) == {"qingdao_dingxi"}


def test_nothing_is_interpolated_over_a_long_window(data):
    """Qingdao → Yiling's budget years run from 1994, so its base from 1993; Qingdao's
    revenue is known for 2020–2023 and 2025."""
    c = compare(data, "fiscal_aid", denominator="donor_revenue")
    left = c.left_out.set_index("fact_id")["reason"]
    assert left["qd-017"] == ("general_budget_revenue of qingdao known for "
                              "2020, 2021, 2022, 2023, 2025 only; window 1993–2021")
    gone = compare(data, "fiscal_aid", denominator="recipient_expenditure")
    assert gone.table.empty
    assert "no general_budget_expenditure of dingxi in context/finance.csv" in \
        set(gone.left_out["reason"])


def test_a_province_paid_figure_is_a_share_of_the_provinces_revenue(tmp_path):
    """Recode Qingdao → Dingxi's fiscal aid as paid by the province: the share then uses
    Shandong's revenue of the years before the budget years 2021–2022, of which only 2021
    (7284.5亿) is known: one of two years, the least a share may rest on (MIN_COVERAGE)."""
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
    row = c.table.set_index("fact_id").loc["qd-013"]
    assert row["denominator_years"] == "2021"
    assert row["rate_mid"] == pytest.approx(9.12 * YI / 2 / (7284.5 * YI) * 100, rel=1e-12)


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
