"""Windows (coopstats.analysis.periods) and rates (coopstats.analysis.intensity), against hand
computations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import coopstats
from coopstats.analysis import prose
from coopstats.analysis.intensity import (
    BASE_YEAR,
    deflator,
    extended_levels,
    feasible_windows,
    price_levels,
    rates,
)
from coopstats.analysis.measures import MEASURES, _window_text, compare
from coopstats.analysis.periods import AS_OF_ISSUE, RECENT_MIN_YEARS, month_start, window
from coopstats.analysis.totals import pairing_figures


@pytest.fixture(scope="module")
def data():
    return coopstats.load_all()


@pytest.fixture(scope="module")
def figures(data):
    return pairing_figures(data.facts).set_index("fact_id", drop=False)


# --- windows: the codebook's rule P3 ----------------------------------------------------------

def test_a_past_calendar_year_lasts_exactly_one_year():
    w = window(2022, 2022, "stated", pub=(2023, 4, "month"), starts=[(2021, 4)])
    assert (w.start_low, w.start_high, w.end_low, w.end_high) == (2022, 2022, 2023, 2023)
    assert w.years_low == w.years_high == 1.0


def test_a_period_to_the_article_ends_at_its_month_and_starts_with_the_pairing():
    w = window(2021, 2023, "stated", pub=(2023, 4, "month"), starts=[(2021, 4)])
    assert (w.start_low, w.start_high) == (month_start(2021, 4), month_start(2021, 5))
    assert (w.end_low, w.end_high) == (month_start(2023, 4), month_start(2023, 5))
    assert math.isclose(w.years_low, 23 / 12) and math.isclose(w.years_high, 25 / 12)


def test_a_start_year_after_the_pairing_began_counts_from_1_january():
    w = window(2021, 2025, "stated", pub=(2025, 12, "month"), starts=[(2017, None)])
    assert w.start_low == w.start_high == 2021.0
    assert (w.years_low, w.years_high) == (2025 + 11 / 12 - 2021, 5.0)


def test_the_pairings_first_year_without_a_month_is_somewhere_in_that_year():
    w = window(2010, 2023, "pairing_start", pub=(2023, None, "year"), starts=[(2010, None)])
    assert (w.start_low, w.start_high, w.end_low, w.end_high) == (2010, 2011, 2023, 2024)
    assert (w.years_low, w.years_high) == (12.0, 14.0)


def test_recent_years_last_at_least_two_years_back_to_the_pairing():
    w = window(None, 2023, "recent", pub=(2023, None, "year"), starts=[(2011, None)])
    assert RECENT_MIN_YEARS == 2.0
    assert (w.start_low, w.start_high) == (2011.0, 2022.0)
    assert (w.years_low, w.years_high) == (2.0, 13.0)


def test_an_open_start_needs_a_known_start_and_annual_is_one_year():
    assert window(None, 2023, "open_start", pub=(2023, None, "year")).issue == \
        "open start and no known start of the pairing"
    assert window(None, 2023, "recent", pub=(2023, None, "year")).issue == \
        "recent years and no known start of the pairing"
    w = window(2023, 2023, "annual", pub=(2023, None, "year"), starts=[(2010, None)])
    assert w.years_low == w.years_high == 1.0
    assert window(None, None, "none", pub=(2023, None, "year")).issue == "no period in the text"


def test_the_new_rounds_start_bounds_a_period_counted_from_it():
    w = window(2021, 2023, "pairing_start", pub=(2023, None, "year"),
               starts=[(2011, None), (2021, None)])
    assert (w.start_low, w.start_high) == (2021.0, 2022.0)


# --- deflators and rates ---------------------------------------------------------------------

def test_price_levels_chain_from_the_previous_year_index(data):
    lv = price_levels(data.cpi, 2023)
    cpi = data.cpi.set_index("year")["value"].astype(float)
    assert lv[2023] == 1.0
    assert math.isclose(lv[2022], 100 / cpi[2023])
    assert math.isclose(lv[2021], 100 / cpi[2023] * 100 / cpi[2022])


def test_deflator_weights_each_year_by_the_part_of_the_window_it_covers():
    lv = pd.Series({2021: 0.8, 2022: 1.0, 2023: 1.25})
    assert math.isclose(deflator(2021.5, 2023.0, lv), (0.5 / 0.8 + 1 / 1.0) / 1.5)
    growing = deflator(2021.0, 2023.0, lv, growth=1.0)  # 2022 weighs twice 2021
    assert math.isclose(growing, (1 / 0.8 + 2 / 1.0) / 3)
    assert math.isnan(deflator(float("nan"), 2023.0, lv))


def test_a_calendar_year_figure_is_divided_by_one_year(data, figures):
    """Dingxi 2022: 697 + 16 590 formerly poor people employed, 2 524 100 residents → 684.9
    per 100 000 (the referee's check #12; the old 0.5–1-year rule gave about 900)."""
    r = rates(figures.loc[["qd-s02", "qd-s03"]], data, per=100_000).set_index("fact_id")
    pop = data.context.set_index(["place_id", "indicator"])["value"]
    assert math.isclose(r.loc["qd-s02", "rate_mid"],
                        17_287 / pop["dingxi", "population"] * 1e5)
    assert round(r.loc["qd-s02", "rate_mid"], 1) == 684.9
    assert round(r.loc["qd-s03", "rate_mid"], 1) == 351.0
    assert (r["rate_low"] == r["rate_high"]).all()


def test_fiscal_aid_is_deflated_over_its_budget_years(data, figures):
    """Qingdao–Dingxi 9.12亿 of April 2023, by hand: the budget years 2021 and 2022 (codebook
    P13), each allocation deflated at its own year's prices, a rate per budget year; no
    interval, since the budget years are known exactly."""
    r = rates(figures.loc[["qd-013"]], data).iloc[0]
    cpi = data.cpi.set_index("year")["value"].astype(float) / 100
    inv = {2022: cpi[2023], 2021: cpi[2023] * cpi[2022]}  # base / price of year
    defl = (inv[2021] + inv[2022]) / 2
    pop = float(data.context.set_index(["place_id", "indicator"])["value"]["dingxi",
                                                                          "population"])
    assert (r["years_low"], r["years_high"]) == (2.0, 2.0)
    assert math.isclose(r["rate_mid"], 9.12e8 * defl / 2 / pop, rel_tol=1e-9)
    assert r["rate_low"] == r["rate_mid"] == r["rate_high"]


def test_the_continuous_reading_spreads_money_between_report_dates(data, figures):
    """The same figure read continuously (the uniform prior): April 2021 to April 2023, the
    mid window from 2021 + 3.5/12 to 2023 + 3.5/12, two years."""
    r = rates(figures.loc[["qd-013"]], data, budget_years=False).iloc[0]
    cpi = data.cpi.set_index("year")["value"].astype(float) / 100
    inv = {2023: 1.0, 2022: cpi[2023], 2021: cpi[2023] * cpi[2022]}
    share_2021, share_2023 = 1 - 3.5 / 12, 3.5 / 12
    defl = (share_2021 * inv[2021] + inv[2022] + share_2023 * inv[2023]) / 2
    pop = float(data.context.set_index(["place_id", "indicator"])["value"]["dingxi",
                                                                          "population"])
    assert math.isclose(r["rate_mid"], 9.12e8 * defl / 2 / pop, rel_tol=1e-9)
    assert r["rate_low"] < r["rate_mid"] < r["rate_high"]


def test_the_dot_lies_inside_its_interval_for_every_figure(data, figures):
    money = figures[figures["unit"].astype(str) == "CNY"]
    r = rates(figures.drop(money.index), data, per=100_000)
    r = pd.concat([r, rates(money, data)]).dropna(subset=["rate_mid"])
    assert len(r) > 40
    assert (r["rate_low"] <= r["rate_mid"] + 1e-9).all()
    assert (r["rate_mid"] <= r["rate_high"] + 1e-9).all()


def test_a_bounded_figures_dot_is_its_intervals_midpoint(data):
    f = data.facts.set_index("fact_id")
    row = f.loc["rq-032"]  # 每年转移就业300余人: [300, 400)
    assert (row["value"], row["value_mid"]) == (300.0, 350.0)


# --- clear errors for bad arguments (issue: a typo is not "no figures") ------------------------

@pytest.mark.parametrize("per", [0, -1, 0.0, float("nan"), float("inf")])
def test_per_must_be_a_positive_number(data, figures, per):
    with pytest.raises(ValueError, match=r"^per: must be a positive number"):
        rates(figures.loc[["qd-014"]], data, per=per)


def test_per_of_a_wrong_type_is_a_type_error(data, figures):
    with pytest.raises(TypeError, match=r"^per: must be a positive number; not str '1000'$"):
        rates(figures.loc[["qd-014"]], data, per="1000")


def test_a_string_base_year_is_a_type_error_not_outside_the_series(data, figures):
    for call in (lambda y: price_levels(data.cpi, y),
                 lambda y: rates(figures.loc[["qd-013"]], data, base_year=y)):
        with pytest.raises(TypeError, match=r"^base_year: must be an int, a year from 1994 "
                                            r"to 2025; not str '2020'$"):
            call("2020")
        with pytest.raises(ValueError, match=r"^base_year: 2030 is outside the CPI series; "
                                             r"a year from 1994 to 2025$"):
            call(2030)
    assert price_levels(data.cpi, np.int64(2020))[2020] == 1.0  # numpy ints are ints


def test_an_unknown_denominator_lists_the_allowed_ones(data, figures):
    with pytest.raises(ValueError, match=r"^denominator: unknown denominator 'households'; "
                                         r"one of recipient_population, "
                                         r"recipient_registered, donor_population, "
                                         r"recipient_counties, recipient_townships, "
                                         r"donor_revenue, recipient_gdp, "
                                         r"recipient_expenditure, none$"):
        rates(figures.loc[["qd-014"]], data, denominator="households")


def test_a_window_that_may_be_empty_gets_no_rate_and_says_why(data):
    """lc-010 (60家, 2023 in an article dated only to 2023) may cover no time at all: its rate
    a year has no upper bound, so it gets none (it was infinite, and a chart of it crashed
    with OverflowError)."""
    f = data.facts.set_index("fact_id").loc[["lc-010"]].reset_index()
    r = rates(f, data, denominator="none").iloc[0]
    assert r["years_low"] == 0
    assert r["period_issue"] == "the window may be empty (no rate per year has an upper bound)"
    assert r[["rate_low", "rate_mid", "rate_high"]].isna().all()


def test_a_rate_per_county_counts_a_prefectures_counties(data, figures):
    """Dingxi is a prefecture of seven county-level divisions (context/places.csv): its
    9.12亿 of two budget years is 4.56亿 a year over seven counties, at 2023 prices."""
    per_resident = rates(figures.loc[["qd-013"]], data).iloc[0]
    per_county = rates(figures.loc[["qd-013"]], data, denominator="recipient_counties",
                       per=100_000).iloc[0]  # per is ignored: counties count in ones
    assert per_county["population"] == 7
    assert per_county["rate_mid"] == pytest.approx(
        per_resident["rate_mid"] * per_resident["population"] / 7, rel=1e-12)


def test_a_missing_denominator_is_said_never_a_silent_nan(data, figures):
    r = rates(figures.loc[["qd-013"]], data, denominator="recipient_registered").iloc[0]
    assert r["denominator_issue"] == \
        "no registered_population of dingxi in context/places.csv"
    assert np.isnan(r["rate_mid"])


# --- bounds from feasible windows (issue 22) -------------------------------------------------


def _window_rate(r, levels, s: float, e: float, value: float) -> float:
    return value * deflator(s, e, levels) / (e - s) / r["scale"]


def test_a_bound_is_a_rate_one_feasible_window_gives(data):
    """Dezhou–Xiushan's 2.8亿 (近年来): the low end is 2011–2024 at 2011–2024's prices, the
    high end 2015–2023 at its own; the referee's outer corners (43.5–315.6) joined one
    window's length with another's deflator."""
    t = compare(data, "fiscal_aid", stages="any").table.set_index("pairing_id")
    r = t.loc["dezhou_xiushan"]
    levels = extended_levels(data.cpi, BASE_YEAR, 2025)
    assert r["rate_low"] == pytest.approx(
        _window_rate(r, levels, 2011, 2024, r["value_low"]), rel=1e-12)
    assert r["rate_high"] == pytest.approx(
        _window_rate(r, levels, 2015, 2023, r["value_high"]), rel=1e-12)
    assert (prose.num(r["rate_low"]), prose.num(r["rate_high"])) == ("48", "76")


def test_every_money_bound_is_attained_by_a_feasible_window(data):
    t = compare(data, "fiscal_aid", stages="any").table
    levels = extended_levels(data.cpi, BASE_YEAR, float(t["end_high"].max()))
    for _, r in t.iterrows():
        spans = feasible_windows(r["start_low"], r["start_high"], r["end_low"], r["end_high"],
                                 r["min_years"])
        lows = [_window_rate(r, levels, s, e, r["value_low"]) for s, e in spans]
        highs = [_window_rate(r, levels, s, e, r["value_high"]) for s, e in spans]
        assert r["rate_low"] == pytest.approx(min(lows), rel=1e-12), r["fact_id"]
        assert r["rate_high"] == pytest.approx(max(highs), rel=1e-12), r["fact_id"]
        assert r["rate_low"] <= r["rate_mid"] <= r["rate_high"]


def test_feasible_windows_keep_the_shortest_length():
    assert feasible_windows(2020, 2023, 2023, 2024, min_years=2) == [
        (2020, 2023), (2020, 2024), (2021, 2023), (2022, 2024)]
    assert feasible_windows(2023, 2023, 2023, 2023) == []  # an empty window: no rate


# --- as of the article (issue 22, codebook P3) -----------------------------------------------


def test_no_achieved_figure_is_left_undated(data):
    f = data.facts
    achieved = f[f["status"] == "achieved"]
    assert not (achieved["period_basis"] == "none").any()
    as_of = achieved[achieved["period_basis"] == "as_of"]
    assert len(as_of) == 42
    years = data.articles.set_index("article_id")["pub_date"].astype(str).str[:4].astype(int)
    assert (as_of["period_end"].astype(int) == as_of["article_id"].map(years)
            ).all()
    assert as_of["period_start"].isna().all()


def test_an_as_of_window_ends_at_the_article_and_has_no_start():
    w = window(None, 2023, "as_of", pub=(2023, 4, "month"))
    assert math.isnan(w.start_low) and math.isnan(w.start_high)
    stated = window(2021, 2023, "stated", pub=(2023, 4, "month"))
    assert (w.end_low, w.end_high) == (stated.end_low, stated.end_high)  # the article's date
    assert w.issue == AS_OF_ISSUE


def test_an_as_of_flow_is_never_annualised_and_a_stock_is_counted(data):
    f = data.facts.set_index("fact_id")
    flow = rates(f.loc[["dx-012"]], data)  # 撬动社会资金4亿元, no period words
    assert flow["period_issue"].iloc[0] == AS_OF_ISSUE
    assert flow[["rate_low", "rate_mid", "rate_high"]].isna().all(axis=None)
    stock = rates(f.loc[["lc-026"]], data, per_year=False)  # 11所 schools paired, as of 2023
    assert stock["period_issue"].iloc[0] == "" and stock["rate_mid"].iloc[0] > 0
    assert _window_text(stock.iloc[0], MEASURES["pairing_ties"]) == "counted 2023 (as_of)"
