"""Money as the programme moves it: budget-year windows (codebook P13), the external bound
on 近年来 (P14), the pairing × budget-year panel and donor effort, checked by hand and on
copies of the data changed one row at a time."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import coopstats
from coopstats.analysis.budget_years import (
    PANEL_COLUMNS,
    Constraint,
    _Problem,
    allocations,
    constraints,
    panel,
    panel_rates,
)
from coopstats.analysis.effort import donor_effort
from coopstats.analysis.measures import compare
from coopstats.analysis.periods import ISSUE_MONTH, budget_window, recent_bounds, window

YI = 1e8


@pytest.fixture(scope="module")
def data():
    return coopstats.load_all()


def edit_reports(data_dir, changes: dict[str, dict[str, str]], *, drop=()) -> None:
    path = data_dir / "context" / "reports.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["report_id"] not in drop]
    for row in rows:
        row.update(changes.get(row["report_id"], {}))
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- the budget-year window (P13) ------------------------------------------------------------


def test_a_report_before_may_holds_none_of_its_own_year():
    """9.12亿 of April 2023, since 2021: the budget years 2021 and 2022, exactly."""
    w = budget_window(2021, 2023, "stated", pub=(2023, 4, "month"), starts=[(2021, 4)])
    assert (w.start_low, w.start_high, w.end_low, w.end_high) == (2021, 2021, 2023, 2023)
    assert ISSUE_MONTH == 5


def test_from_may_a_report_may_hold_its_own_year():
    w = budget_window(2021, 2024, "stated", pub=(2024, 10, "day"), starts=[(2021, 4)])
    assert (w.years_low, w.years_high) == (3.0, 4.0)
    unknown_month = budget_window(2010, 2023, "pairing_start", pub=(2023, None, "year"))
    assert (unknown_month.years_low, unknown_month.years_high) == (13.0, 14.0)


def test_the_start_year_counts_whole_even_when_the_pairing_began_in_april():
    continuous = window(2021, 2023, "stated", pub=(2023, 4, "month"), starts=[(2021, 4)])
    budget = budget_window(2021, 2023, "stated", pub=(2023, 4, "month"), starts=[(2021, 4)])
    assert continuous.start_low == pytest.approx(2021.25) and budget.start_low == 2021.0


def test_one_year_or_an_earlier_end_counts_exactly_those_budget_years():
    assert budget_window(2025, 2025, "article_frame", pub=(2025, 12, "day")).years_high == 1
    w = budget_window(2011, 2018, "pairing_start", pub=(2019, 3, "day"))
    assert (w.years_low, w.years_high) == (8.0, 8.0)


def test_an_open_start_holds_at_least_one_budget_year():
    w = budget_window(None, 2020, "open_start", pub=(2020, 10, "day"), starts=[(2016, 10)])
    assert (w.start_low, w.start_high, w.min_years) == (2016.0, 2020.0, 1.0)
    assert (w.years_low, w.years_high) == (1.0, 5.0)


# --- the external bound on 近年来 (P14) -------------------------------------------------------


def test_the_external_layer_bounds_recent_years(data):
    assert recent_bounds(data)[("dezhou_xiushan", "fiscal_aid")] == (2015, 2020)
    w = budget_window(None, 2023, "recent", pub=(2023, None, "year"), starts=[(2011, None)],
                      latest_start=2015)
    assert (w.start_low, w.start_high, w.years_low, w.years_high) == (2011, 2015, 8, 13)


def test_the_bound_reaches_every_figure_of_the_same_recent_words(data):
    """Dezhou–Xiushan's training (dx-s01) is dated by the article's same 近年来 as its fiscal
    aid: one window, one bound."""
    t = compare(data, "cadre_training").table.set_index("fact_id")
    assert t.loc["dx-s01", "start_high"] <= 2016.0


def test_without_the_report_the_bound_is_gone(data_copy):
    edit_reports(data_copy, {}, drop=("ext-038", "ext-039"))
    d = coopstats.load_all(data_copy)
    assert ("dezhou_xiushan", "fiscal_aid") not in recent_bounds(d)
    w = compare(d, "fiscal_aid", stages="any").table.set_index("fact_id").loc["dx-010"]
    assert (w["start_high"], w["years_low"]) == (2022.0, 2.0)


# --- the panel ---------------------------------------------------------------------------------


def test_dingxi_constraints_are_the_reports_in_budget_years(data):
    c = {k.source_id: k for k in constraints(data, "fiscal_aid", "qingdao_dingxi")}
    assert (c["qd-013"].last, c["qd-013"].part) == (2022, False)
    assert (c["ext-001"].last, c["ext-001"].part) == (2023, True)  # October 2024
    assert (c["ext-007"].last, c["ext-007"].part) == (2025, False)  # January 2026
    assert (c["ext-014"].first, c["ext-014"].last) == (2025, 2025)


def test_a_block_is_bounded_but_its_years_are_not(data):
    """9.12亿 for 2021 and 2022 together: each year alone may hold anything from 0 to 9.12."""
    a = allocations(data, "fiscal_aid", "qingdao_dingxi").set_index("year")
    assert (a.loc[2021, "amount_low"], a.loc[2021, "amount_high"]) == pytest.approx((0, 9.12 * YI))
    assert a.loc[2021, "amount_mid"] == pytest.approx(4.56 * YI)  # split evenly: a prior
    assert a.loc[2025, "amount_low"] == a.loc[2025, "amount_high"] == pytest.approx(4.56 * YI)
    assert list(a.reset_index().columns) == ["year", *(c for c in PANEL_COLUMNS if c != "year")]


def test_a_report_that_fits_the_others_is_not_flagged(data_copy):
    """With 18.68 recoded as 18.23 (the 2021–2024 total), every report fits."""
    edit_reports(data_copy, {"ext-004": {"raw": "18.23億元", "source_excerpt": "18.23億元"}})
    a = allocations(coopstats.load_all(data_copy), "fiscal_aid", "qingdao_dingxi")
    assert not a["flag"].astype(str).str.startswith("conflict").any()


def test_two_reports_that_cannot_both_hold_name_the_one_left_out(data_copy):
    """A 2025 allocation of 6亿 (instead of 4.56) does not fit 22.79 − 18.23: with every
    report no allocations fit; without ext-004 they still do not; the first report whose
    removal makes the rest agree is named."""
    edit_reports(data_copy, {"ext-014": {"raw": "6亿元", "source_excerpt": "6亿元"}})
    a = allocations(coopstats.load_all(data_copy), "fiscal_aid", "qingdao_dingxi")
    flags = [f for f in a["flag"] if str(f).startswith("conflict")]
    assert flags and "left out, not averaged" in flags[0]


def test_a_single_total_is_one_block_of_the_years_it_counts(data):
    a = allocations(data, "fiscal_aid", "rizhao_qianjiang").drop_duplicates("block")
    row = a.iloc[0]
    assert (row["block"], row["block_years"], row["block_low"], row["block_high"]) == \
        ("2010–2023", 13, 2.8 * YI, 2.8 * YI)
    assert (row["per_year_low"], row["per_year_high"]) == (2.8 * YI / 14, 2.8 * YI / 13)


def test_years_no_report_bounds_are_said_so(data):
    """Pengshui's projects count from 2021; its pairing began in 2017 (external layer)."""
    a = allocations(data, "aid_projects", "liaocheng_pengshui").drop_duplicates("block")
    assert a["block"].tolist() == ["2017–2020", "2021–2025"]
    assert not np.isfinite(a["block_high"].iloc[0])


def _linprog_bounds(prob: _Problem, first: int, last: int) -> tuple[float, float] | None:
    """The same bounds as linear programmes (HiGHS), the reading the module's docstring
    gives: what the shortest paths must find."""
    from scipy.optimize import linprog

    def row(a: int, b: int) -> np.ndarray:
        return np.array([1.0 if a <= t <= b else 0.0 for t in prob.years])

    used = [(c, h) for i, (c, h) in enumerate(zip(prob.cons, prob.holds, strict=True))
            if i != prob.skip]
    rows = [(row(c.first_latest, c.last + h), c.high) for c, h in used] + \
        [(-row(c.first, c.last + h), -c.low) for c, h in used]
    rows = [(r, b) for r, b in rows if np.isfinite(b)]  # an open top bounds nothing
    a_ub, b_ub = np.array([r for r, _ in rows]), [b for _, b in rows]
    out = []
    for sign in (1.0, -1.0):
        res = linprog(sign * row(first, last), A_ub=a_ub, b_ub=b_ub,
                      bounds=(0, None), method="highs")
        if res.status == 2:
            return None
        out.append(sign * res.fun if res.status == 0 else np.inf)
    return out[0], out[1]


def _check_against_linprog(prob: _Problem, every_run: bool = True) -> None:
    """Every run of years (or, where ``every_run`` is False, each year alone and every run
    from the first year: what :meth:`_Problem.edges` asks)."""
    y = prob.years
    runs = [(a, b) for a in y for b in y if a <= b] if every_run else \
        sorted({(y[0], t) for t in y} | {(t, t) for t in y})
    expected = {run: _linprog_bounds(prob, *run) for run in runs}
    assert prob.feasible() == (expected[runs[0]] is not None)
    for run in runs if prob.feasible() else ():
        assert prob.bounds(*run) == pytest.approx(expected[run], rel=1e-9, abs=1e-6), run


_REPORT = st.builds(
    lambda first, late, years, part, low, extra, open_top: Constraint(
        "r", "r", first, first + late, first + late + years - 1, part, float(low),
        np.inf if open_top else float(low + extra), "allocated"),
    st.integers(2015, 2022), st.integers(0, 2), st.integers(0, 4), st.booleans(),
    st.integers(0, 50), st.integers(0, 20), st.booleans())


@settings(max_examples=60, deadline=None)
@given(st.lists(_REPORT, min_size=1, max_size=4), st.integers(2014, 2020), st.data())
def test_the_bounds_are_the_linear_programmes_optima(cons, first_year, draw):
    """Random reports (starts known or not, runs of zero to four years, open tops, conflicts
    included): feasibility and every run's least and most agree with linprog's."""
    holds = tuple(draw.draw(st.booleans()) if c.part else False for c in cons)
    assume(max(c.last + h for c, h in zip(cons, holds, strict=True)) >=
           min(first_year, *(c.first for c in cons)))  # some budget year to bound
    _check_against_linprog(_Problem(cons, first_year, holds))


def test_the_bounds_of_every_reading_of_the_data_are_linprogs(data):
    from coopstats.analysis.budget_years import _first_year, _readings

    for measure in ("fiscal_aid", "aid_projects"):
        for pairing in data.pairings["pairing_id"]:
            cons = constraints(data, measure, pairing)
            for prob in _readings(cons, _first_year(data, pairing)) if cons else ():
                _check_against_linprog(prob, every_run=False)


def test_the_panel_covers_every_pairing_with_a_budget_year_measure(data):
    p = panel(data)
    assert set(p.loc[p["measure"] == "fiscal_aid", "pairing_id"]) == {
        "qingdao_dingxi", "qingdao_longnan", "dezhou_xiushan", "rizhao_qianjiang",
        "linyi_chengkou", "qingdao_heze", "qingdao_yiling"}
    assert str(p["year"].dtype) == "int64"
    assert p.groupby(["pairing_id", "measure"])["year"].apply(
        lambda y: list(y) == list(range(y.min(), y.max() + 1))).all()


def test_panel_rates_divide_a_budget_year_by_one_year(data):
    r = panel_rates(allocations(data, "fiscal_aid", "qingdao_dingxi"), data, denominator="none")
    row = r.set_index("year").loc[2022]
    assert row["rate_mid"] == pytest.approx(4.56 * YI * row["deflator"])


# --- donor effort -------------------------------------------------------------------------------


def test_only_the_donor_citys_own_money_counts_towards_its_effort(data):
    """Dezhou–Xiushan was paid by province and city together: it is left out of Dezhou's
    effort with the reason, never divided by Dezhou's revenue."""
    e = donor_effort(data).set_index(["donor_id", "year"])
    assert "funder mixed" in e.loc[("dezhou", 2022), "missing"]
    assert np.isnan(e.loc[("dezhou", 2022), "share_mid"])


def test_a_sum_that_misses_a_partner_is_a_lower_bound(data):
    e = donor_effort(data, programmes=("east_west",)).set_index(["donor_id", "year"])
    row = e.loc[("qingdao", 2023)]
    assert not row["complete"] and row["counted"] == "qingdao_dingxi (2023–2024)"
    assert row["share_mid"] == pytest.approx(4.555e8 / 1273.2e8 * 100)


def test_shandong_effort_is_both_partner_provinces_over_the_previous_years_revenue(data):
    """Shandong 2022, by hand: Gansu ≥16亿 in each year 2021–2024 (ext-051, 以上: 16–17亿)
    plus Chongqing's 超50亿 over the budget years 2010–2023 (ext-052, April 2024: 50–60亿 /
    14 years), over Shandong's 2021 revenue of 7284.5亿: 0.27–0.29 %, a lower bound (a floor
    and an average over years before the new round)."""
    from coopstats.analysis.effort import province_effort

    e = province_effort(data).set_index("year")
    row = e.loc[2022]
    low, high = (16e8 + 50e8 / 14), (17e8 + 60e8 / 14)
    assert (row["aid_low"], row["aid_high"]) == (pytest.approx(low), pytest.approx(high))
    assert row["revenue_year"] == 2021 and row["revenue"] == 7284.5e8
    assert (round(row["share_low"], 2), round(row["share_high"], 2)) == (0.27, 0.29)
    assert row["lower_bound"] and row["complete"]
    assert "chongqing" in e.loc[2024, "missing"]  # April 2024: 2024 not whole
    assert np.isnan(e.loc[2021, "share_mid"])  # no 2020 revenue: said, not guessed
    assert "for 2020" in e.loc[2021, "note"]
