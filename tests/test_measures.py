"""compare(): one figure per pairing, never added; what is not comparable is refused or left
out with its reason; every row shows its window and era."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest
from conftest import DATA

import coopstats
from coopstats.analysis.intensity import IncomparableError
from coopstats.analysis.measures import (
    DONOR_SIDE,
    MEASURES,
    NEW_ROUND,
    Measure,
    compare,
    compare_every,
    side_by_side,
)
from coopstats.analysis.totals import CELL_STATUSES, cell_status, pairing_figures


@pytest.fixture(scope="module")
def data():
    return coopstats.load_all()


def test_each_measures_kind_is_what_the_indicators_say(data):
    ind = data.indicators
    for m in MEASURES.values():
        kinds = set(ind.loc[ind["comparable_group"] == m.group, "kind"].astype(str))
        assert kinds == {m.kind}, m.key
        units = {u for us in ind.loc[ind["comparable_group"] == m.group, "units"]
                 for u in us.split(";")} | {"count"}
        assert m.unit in units, m.key


def test_one_row_per_pairing_with_its_window_era_and_funder(data):
    c = compare(data, "fiscal_aid", stages="any")
    t = c.table.set_index(c.table["pairing_id"].astype(str))
    assert list(t.index) == ["qingdao_dingxi", "qingdao_longnan", "dezhou_xiushan",
                             "rizhao_qianjiang", "linyi_chengkou", "qingdao_heze",
                             "qingdao_yiling"]  # highest central estimate first
    assert t.loc["qingdao_dingxi", "window"] == "budget years 2021–2022 (stated)"
    assert t.loc["dezhou_xiushan", "window"] == \
        "budget years 2011…2015 → 2022 (+2023?) (recent)"
    assert t.loc["qingdao_dingxi", "era"] == "new round"
    assert t.loc["qingdao_yiling", "era"] == "spans eras" and c.cross_era
    assert t["funder_level"].astype(str).tolist() == ["city", "city", "mixed", "unknown",
                                                      "city", "city", "city"]
    assert t["flow_stage"].astype(str).tolist() == ["disbursed"] * 3 + ["allocated"] + \
        ["disbursed"] * 3


def test_the_external_layer_fills_the_pairings_the_articles_leave_out(data):
    """Heze (ext-045), Longnan (ext-024) and Linyi–Chengkou (ext-036) print no total in
    their articles: their reports stand for them, flagged and graded C; where an article's
    figure exists (Dingxi), the reports are not candidates."""
    c = compare(data, "fiscal_aid", stages="any")
    t = c.table.set_index(c.table["pairing_id"].astype(str))
    ext = t[t["origin"] == "report"]
    assert dict(zip(ext.index, ext["fact_id"], strict=True)) == {
        "qingdao_longnan": "ext-024", "linyi_chengkou": "ext-036", "qingdao_heze": "ext-045"}
    assert set(ext["grade"].astype(str)) == {"C"}
    assert set(c.candidates.loc[c.candidates["pairing_id"] == "qingdao_dingxi",
                                "fact_id"]) == {"qd-013"}
    assert len(t) >= 6  # the floor: six pairings with a fiscal-aid figure
    seeds = compare(data, "fiscal_aid", reports=False, stages="any").table
    assert set(seeds["origin"]) == {"article"} and len(seeds) == 4


def test_a_rate_for_a_budget_year_divides_by_one_year(data):
    """Heze: 10.84亿元 from August 2016 to October 2022 counts the budget years 2016–2021
    and 2022 wholly or not at all (P13): 6 or 7 budget years, not 6.2 years of calendar
    time."""
    row = compare(data, "fiscal_aid", stages="any").table.set_index("fact_id").loc["ext-045"]
    assert (row["years_low"], row["years_high"]) == (6.0, 7.0)
    assert (row["start_low"], row["end_low"], row["end_high"]) == (2016.0, 2022.0, 2023.0)


def test_unlike_funders_are_refused_for_a_donors_effort_only(data):
    """Aid received counts whoever paid; a donor's effort refuses unlike payers."""
    assert len(compare(data, "fiscal_aid", stages="any").table) == 7  # recipient-side: no
    # refusal for the funders
    with pytest.raises(IncomparableError, match=r"^fiscal_aid: the figures were paid by "
                                                r"unlike funders \(city, mixed, unknown\); "
                                                r"pass funders='any'"):
        compare(data, "fiscal_aid", denominator="donor_population")
    with pytest.raises(IncomparableError):
        compare(data, "fiscal_aid", funders="same")
    with pytest.raises(ValueError, match=r"^funders: unknown funders 'all'"):
        compare(data, "fiscal_aid", funders="all")
    assert DONOR_SIDE == ("donor_population", "donor_revenue")


def test_compare_every_says_what_it_refuses(data):
    done, refused = compare_every(data, denominator="donor_population", stages="any")
    assert set(refused) == {"fiscal_aid", "aid_projects"}  # the payers differ
    assert "poor_employment" in done and "fiscal_aid" not in done


def test_a_flow_is_never_ranked_with_a_stock(data):
    c = compare(data, "pairing_ties")
    assert set(c.table["pairing_id"].astype(str)) == {"linyi_chengkou", "dezhou_xiushan"}
    left = c.left_out.set_index("fact_id")
    assert left.loc["lp-s01", "reason"] == "a flow, not a stock"  # 185 對次 by kind
    assert left.loc["rq-005", "reason"] == "a flow, not a stock"  # 累计开展…33对: ties made
    assert (c.table["measure_type"].astype(str) == "stock").all()


def test_consumption_is_compared_within_one_direction(data):
    one, two = compare(data, "consumption_one_way"), compare(data, "consumption_two_way")
    assert one.table["fact_id"].tolist() == ["lp-006"]
    assert set(two.table["fact_id"]) == {"rq-013", "dx-023"}
    assert set(one.left_out["reason"]) == {"direction two_way, not one_way"}


def test_a_common_window_leaves_out_the_older_windows_with_the_reason(data):
    c = compare(data, "aid_projects", window=(NEW_ROUND, None), funders="any")
    assert set(c.table["pairing_id"].astype(str)) == {"qingdao_dingxi", "liaocheng_pengshui"}
    assert set(c.left_out["reason"]) == {"window not within from 2021"} or \
        set(c.left_out["reason"]) == {f"window not within from {NEW_ROUND}"}
    assert (c.table["start_low"] >= NEW_ROUND).all()


def test_derived_totals_stand_for_their_parts(data):
    c = compare(data, "cadre_training")
    t = c.table.set_index("fact_id")
    assert t.loc["lp-s03", "value"] == 2613 + 5829 and t.loc["lp-s03", "derived"]
    assert t.loc["dx-s01", "value"] == 1245 + 3962
    parts = set(data.facts.loc[data.facts["part_of"] == "lp-s03", "fact_id"])
    assert parts == {"lp-011", "lp-013"} and not parts & set(c.candidates["fact_id"])


def test_restatements_are_never_counted(data):
    figures = pairing_figures(data.facts)
    assert not {"lc-026", "dx-033", "qd-048"} & set(figures["fact_id"])
    assert figures["fact_id"].is_unique


def test_side_by_side_keeps_the_pairings_both_have_with_their_rates(data):
    """The table notebook 4 shows instead of an input–output scatter: every pairing that
    both comparisons have, in the first one's order, each rate as :func:`compare` gives it."""
    x, y = compare(data, "aid_projects"), compare(data, "cadre_training")
    t = side_by_side(x, y)
    x_ids, y_ids = (list(c.table["pairing_id"].astype(str)) for c in (x, y))
    assert t.index.tolist() == [p for p in x_ids if p in y_ids]
    for c in (x, y):
        rates = c.table.set_index(c.table["pairing_id"].astype(str))
        for col in ("raw", "window", "rate_low", "rate_mid", "rate_high"):
            assert t[(c.measure.key, col)].tolist() == rates.loc[t.index, col].tolist()


def test_cell_status_counts_every_pairing_level_figure_as_achieved_or_planned(data):
    """The planned-only and mixed cells of the coverage matrix, found again by hand: per
    pairing and indicator, the set of statuses its pairing-level figures have."""
    figures = pairing_figures(data.facts)
    cells = cell_status(figures)
    by_hand = figures.groupby([figures["pairing_id"].astype(str),
                               figures["indicator"].astype(str)])["status"].agg(
        lambda s: {frozenset({"achieved"}): "achieved", frozenset({"planned"}): "planned"}
        .get(frozenset(s.astype(str)), "mixed"))
    assert cells["status"].to_dict() == by_hand.to_dict()
    assert set(cells["status"]) <= set(CELL_STATUSES)
    assert int(cells[["achieved", "planned"]].to_numpy().sum()) == len(figures)
    assert (cells["planned"] == 0).eq(cells["status"] == "achieved").all()
    assert (cells["achieved"] == 0).eq(cells["status"] == "planned").all()


def test_overlapping_reports_are_alternatives_never_added(tmp_path):
    """A second, later cumulative report for Qingdao–Dingxi (as a new article would bring):
    the later one is used, the earlier shown beside it, and nothing is summed."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    path = copy / "facts" / "qingdao_partners_2023.csv"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    earlier = dict(next(r for r in rows if r["fact_id"] == "qd-013"), fact_id="qd-099",
                   raw="5亿元", period_start="2021", period_end="2022", period_text="2021年",
                   quote="2021年…累计投入财政帮扶资金5亿元")  # an earlier cumulative report
    with open(path, "a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n").writerow(earlier)
    data = coopstats.load_all(copy)
    c = compare(data, "fiscal_aid", stages="any")
    row = c.table.set_index("pairing_id").loc["qingdao_dingxi"]
    assert row["fact_id"] == "qd-013" and row["chosen"] == "the latest of 2 reports"
    assert row["alternatives"] == "qd-099 5亿元, budget years 2021–2022 (stated)"
    assert row["value"] == 9.12e8  # not 14.12e8
    assert len(c.candidates[c.candidates["pairing_id"] == "qingdao_dingxi"]) == 2


def test_an_unknown_measure_or_group_is_named(data):
    with pytest.raises(ValueError, match=r"^measure: unknown measure 'fiscal'; one of "
                                         r"fiscal_aid, aid_projects"):
        compare(data, "fiscal")
    bad = Measure("x", "X", "fiscal_aid_funds", "CNY", "flow", "input")  # an indicator id
    with pytest.raises(ValueError, match=r"^measure.group: unknown comparable group "
                                         r"'fiscal_aid_funds'; one of"):
        compare(data, bad)


def test_every_east_west_pairing_is_in_the_new_round_from_2021(data):
    """Each East–West pairing has a new_round row of 2021 (Rizhao, Dezhou, Liaocheng and
    Linyi from the Xinhua Chongqing roster, Longnan from 中新网山东), except Qingdao–Dingxi,
    whose first round is the new round (paired in April 2021)."""
    p = data.pairings.set_index(data.pairings["pairing_id"].astype(str))
    east_west = p[p["programme"].astype(str) == "east_west"]
    rounds = east_west["new_round_year"].drop("qingdao_dingxi")
    assert rounds.astype(int).tolist() == [2021] * 5
    assert pd.isna(east_west.loc["qingdao_dingxi", "new_round_year"])
    assert int(east_west.loc["qingdao_dingxi", "first_year"]) == 2021


def test_the_era_starts_with_the_pairings_own_new_round(data_copy):
    """A new_round row of 2022 for Qingdao–Dingxi (a test edit, not a source) moves its
    2021–2022 window out of the new round: the era is the pairing's, not a constant."""
    path = data_copy / "context" / "pairing_starts.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    edit = dict(next(r for r in rows if r["pairing_id"] == "qingdao_longnan"
                     and r["round"] == "new_round"), pairing_id="qingdao_dingxi",
                start_year="2022")
    with path.open("a", newline="", encoding="utf-8") as f:
        csv.DictWriter(f, fieldnames=list(rows[0])).writerow(edit)
    before = compare(coopstats.load_all(), "fiscal_aid", stages="any").table
    after = compare(coopstats.load_all(data_copy), "fiscal_aid", stages="any").table
    era = {n: dict(zip(t["pairing_id"].astype(str), t["era"], strict=True))
           for n, t in (("before", before), ("after", after))}
    assert era["before"]["qingdao_dingxi"] == "new round"
    assert era["after"]["qingdao_dingxi"] == "spans eras"


def test_unlike_flow_stages_are_refused_unless_asked(data):
    """Rizhao's 2.8亿 was allocated (落实), the others' fiscal aid disbursed (投入); Dingxi's
    firm investment is of unknown stage, Liaocheng's completed (實際完成投資): by default
    neither is ranked."""
    with pytest.raises(IncomparableError, match=r"^fiscal_aid: the figures are of unlike flow "
                                                r"stages \(disbursed, allocated\); pass "
                                                r"stages='any'"):
        compare(data, "fiscal_aid")
    with pytest.raises(IncomparableError, match=r"^firm_investment: .*\(disbursed, unknown\)"):
        compare(data, "firm_investment")
    _, refused = compare_every(data)
    assert sorted(refused) == ["firm_investment", "fiscal_aid"]


def test_stages_any_shows_each_rows_stage(data):
    t = compare(data, "fiscal_aid", stages="any").table.set_index("pairing_id")
    assert t.loc["rizhao_qianjiang", "flow_stage"] == "allocated"
    assert (t.drop(index="rizhao_qianjiang")["flow_stage"] == "disbursed").all()


def test_one_stage_kept_the_others_left_out_with_the_reason(data):
    c = compare(data, "fiscal_aid", stages="commonest")
    assert set(c.table["flow_stage"]) == {"disbursed"} and len(c.table) == 6
    rizhao = c.left_out[c.left_out["pairing_id"] == "rizhao_qianjiang"]
    assert rizhao["reason"].tolist() == ["flow stage allocated, not disbursed"]
    allocated = compare(data, "fiscal_aid", stages="allocated")
    assert set(allocated.table["flow_stage"]) == {"allocated"}
    assert "rizhao_qianjiang" in set(allocated.table["pairing_id"])


def test_commonest_stage_ties_go_to_the_stage_furthest_along(data):
    """Firm investment: one figure disbursed, one unknown: disbursed is kept."""
    c = compare(data, "firm_investment", stages="commonest")
    assert c.table["pairing_id"].tolist() == ["liaocheng_pengshui"]
    assert c.left_out["reason"].str.startswith("flow stage unknown").any()


def test_figures_of_no_stage_are_like_any(data):
    """Projects, ties and people have no flow stage (not_applicable): never refused for it."""
    done, _ = compare_every(data, stages="same")
    assert {"aid_projects", "pairing_ties", "cadre_training"} <= set(done)
    assert set(done["aid_projects"].table["flow_stage"]) == {"not_applicable"}


def test_an_unknown_stages_value_is_one_clear_error(data):
    with pytest.raises(ValueError, match=r"^stages: unknown stages 'paid'"):
        compare(data, "fiscal_aid", stages="paid")


def test_ties_are_counted_per_township_of_the_recipient(data):
    """Ties join places, not residents: Xiushan's 66对 over its 27 townships, Chengkou's 40个
    over 25 (context/places.csv), whatever population is asked for."""
    from coopstats.analysis.denominators import for_measure

    m = MEASURES["pairing_ties"]
    assert {for_measure(m, d) for d in ("recipient_population", "donor_population",
                                        "recipient_gdp")} == {"recipient_townships"}
    assert for_measure(m, "none") == "none"
    t = compare(data, m, denominator="recipient_townships").table.set_index("pairing_id")
    assert t.loc["dezhou_xiushan", "rate_mid"] == pytest.approx(66 / 27)
    assert t.loc["linyi_chengkou", "rate_mid"] == pytest.approx(40 / 25)
