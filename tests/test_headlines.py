"""The numbers the notebooks' prose states, recomputed and pinned at the precision printed.

The notebooks render every number in their prose from the computed values
(``coopstats.analysis.prose``), so prose and tables cannot disagree; these tests pin those values
on the
shipped dataset, so that a change to the data or the methods that moves a headline is seen
(and checked against a hand computation where one is given), and they check that no
markdown cell types a result by hand. The pinned values hold for the shipped data only
(``shipped_data``: skipped on a student's copy with an added article, strict in CI).
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import REPO

import coopstats
from coopstats.analysis import prose, sensitivity
from coopstats.analysis.budget_years import allocations, panel_rates
from coopstats.analysis.effort import donor_effort
from coopstats.analysis.increments import calendar_years, increment_rates, increments
from coopstats.analysis.intensity import deflator, price_levels
from coopstats.analysis.measures import NEW_ROUND, compare, compare_every, side_by_side
from coopstats.analysis.priors import PRIORS
from coopstats.analysis.totals import cell_status, pairing_figures
from coopstats.analysis.triangulation import support


@pytest.fixture(scope="module")
def data():
    return coopstats.load_all()


def _by_pairing(c):
    return c.table.set_index(c.table["pairing_id"].astype(str))


@pytest.mark.shipped_data
def test_notebook_01_what_was_coded(data):
    f = data.facts
    assert (len(f), f["article_id"].nunique(), f["pairing_id"].nunique()) == (194, 5, 10)
    assert prose.num((f["qualifier"] != "exact").mean() * 100) == "30"
    totals = pairing_figures(f)
    reach = totals.groupby(totals["indicator"].astype(str))["pairing_id"].nunique()
    assert (len(reach), int((reach == 1).sum()), int(reach.max())) == (39, 23, 6)
    assert prose.num(f["period_basis"].isin(["as_of", "none"]).mean() * 100) == "24"
    assert int((f["period_basis"] == "as_of").sum()) == 42  # achieved, dated as of the article
    assert not ((f["period_basis"] == "none") & (f["status"] == "achieved")).any()
    assert int((f["grade"] == "C").sum()) == 3


@pytest.mark.shipped_data
def test_notebook_03_fiscal_aid(data):
    t = _by_pairing(compare(data, "fiscal_aid", stages="any"))
    top = t.loc["qingdao_dingxi"]  # 9.12亿 over the budget years 2021–2022 (test_intensity)
    assert (prose.num(top["rate_mid"]), prose.interval(top["rate_low"], top["rate_high"])) \
        == ("183", "")
    yiling = t.loc["qingdao_yiling"]  # 9238万 over the 29 budget years 1994–2022
    levels = price_levels(data.cpi, 2023)
    pop = data.context.set_index(["place_id", "indicator"])["value"]
    assert yiling["rate_mid"] == pytest.approx(
        9238e4 / 29 * deflator(1994, 2023, levels) / pop["yiling", "population"], rel=1e-12)
    assert prose.num(yiling["rate_mid"]) == "7.9"
    assert prose.num(top["rate_mid"] / yiling["rate_mid"]) == "23"
    assert list(t.index) == ["qingdao_dingxi", "qingdao_longnan", "dezhou_xiushan",
                             "rizhao_qianjiang", "linyi_chengkou", "qingdao_heze",
                             "qingdao_yiling"]
    assert not t["start_low"].is_monotonic_decreasing  # "not simply the order of the starts"
    assert int((t["era"] == "new round").sum()) == 1
    assert int((t["origin"] == "report").sum()) == 3
    heze = t.loc["qingdao_heze"]  # 10.84亿 over 6 or 7 budget years from 2016
    assert heze["rate_low"] == pytest.approx(
        10.84e8 / 7 * heze["deflator_low"] / pop["heze", "population"], rel=1e-12)
    assert prose.span(heze["rate_low"], heze["rate_high"]) == "19–22"


@pytest.mark.shipped_data
def test_notebook_03_donor_effort(data):
    """Qingdao's aid to its East–West partners in budget year t over its revenue of t − 1:
    only Dingxi's allocation is bounded (4.56亿 a year for 2021–2022, 4.555亿 for
    2023–2024), so each share is a lower bound; 1253.8, 1368, 1273.2, 1337.8亿 (2020–2023)."""
    e = donor_effort(data, programmes=("east_west",)).dropna(subset=["share_mid"])
    q = e[e["donor_id"] == "qingdao"].set_index("year")
    assert list(q.index) == [2021, 2022, 2023, 2024]
    by_hand = {2021: 4.56 / 1253.8, 2022: 4.56 / 1368, 2023: 4.555 / 1273.2,
               2024: 4.555 / 1337.8}
    for year, share in by_hand.items():
        assert q.loc[year, "share_mid"] == pytest.approx(share * 100, rel=1e-9)
    assert [prose.num(v) for v in q["share_mid"]] == ["0.36", "0.33", "0.36", "0.34"]
    assert not q["complete"].any()  # Longnan: no figure bounds a new-round year
    assert set(q["missing"]) == {"qingdao_longnan (no fiscal-aid figure bounds the year)"}
    one = _by_pairing(compare(data, "fiscal_aid", denominator="donor_revenue"))
    assert list(one.index) == ["qingdao_dingxi"]
    assert prose.num(one.loc["qingdao_dingxi", "rate_mid"]) == "0.35"  # 4.56 / 1310.9


@pytest.mark.shipped_data
def test_notebook_03_common_window(data):
    every = compare(data, "aid_projects").table
    new = compare(data, "aid_projects", window=(NEW_ROUND, None)).table
    assert (len(every), len(new)) == (7, 2)
    old = every[every["era"] != "new round"]
    # "Every new-round pairing is ahead of every pairing whose window spans eras": with the
    # external bound on Xiushan's 近年来 (P14) its projects rate falls below Pengshui's
    assert every[every["era"] == "new round"]["rate_mid"].min() > old["rate_mid"].max()


@pytest.mark.shipped_data
def test_notebook_04_outcomes(data):
    poor = _by_pairing(compare(data, "poor_employment"))
    assert prose.num(poor.loc["qingdao_dingxi", "rate_mid"]) == "685"   # 17 287 / 25.241
    assert prose.num(poor.loc["qingdao_longnan", "rate_mid"]) == "351"  # 8 450 / 24.073
    ratio = poor.loc["qingdao_dingxi", "rate_mid"] / poor.loc["qingdao_longnan", "rate_mid"]
    assert prose.num(ratio, 3) == "1.95"


@pytest.mark.shipped_data
def test_notebook_04_input_output(data):
    projects = _by_pairing(compare(data, "aid_projects"))
    training = _by_pairing(compare(data, "cadre_training"))
    both = sorted(set(projects.index) & set(training.index))
    assert both == ["dezhou_xiushan", "liaocheng_pengshui", "qingdao_yiling"]
    rho, p = sensitivity.exact_spearman(projects.loc[both, "rate_mid"],
                                        training.loc[both, "rate_mid"])
    assert (prose.num(rho), prose.num(p)) == ("1", "0.33")
    assert prose.num(sensitivity.exact_spearman([1, 2, 3], [1, 2, 3])[1]) == "0.33"
    # the table that replaced the scatter (issue 22) holds the same pairings and rates, and
    # its rates give the same ρ
    table = side_by_side(compare(data, "aid_projects"), compare(data, "cadre_training"))
    assert sorted(table.index) == both
    for key, c in (("aid_projects", projects), ("cadre_training", training)):
        shown = table[key]
        assert shown.columns.tolist() == ["raw", "window", "rate_low", "rate_mid", "rate_high"]
        assert shown.equals(c.loc[table.index, shown.columns].rename_axis("pairing_id"))
    rho, p = sensitivity.exact_spearman(table["aid_projects"]["rate_mid"],
                                        table["cadre_training"]["rate_mid"])
    assert (prose.num(rho), prose.num(p)) == ("1", "0.33")


@pytest.mark.shipped_data
def test_notebook_01_planned_cells(data):
    """The coverage matrix marks the cells that hold plans (issue 22; referee 2026-12-06):
    Rizhao–Qianjiang's pooled aid funds and pooled projects each add a 到"十四五"末 target
    (rq-039, rq-038) to an achieved figure; no cell holds plans only."""
    totals = pairing_figures(data.facts)
    cells = cell_status(totals)
    assert len(cells) == 68
    assert cells.index[cells["status"] == "planned"].tolist() == []
    assert cells.index[cells["status"] == "mixed"].tolist() == \
        [("rizhao_qianjiang", "pooled_aid_funds"), ("rizhao_qianjiang", "pooled_projects")]
    planned = totals[totals["status"] == "planned"]
    assert sorted(planned["fact_id"]) == ["rq-038", "rq-039"]
    assert planned["period_text"].astype(str).str.contains("十四五").all()


@pytest.mark.shipped_data
@pytest.mark.parametrize("key, leader, shares", [
    ("fiscal_aid", "qingdao_dingxi",
     {"budget_year": "72%", "uniform": "66%", "recent": "72%", "growing": "72%",
      "lower_half": "72%", "rounded": "72%", "registered": "72%", "gdp_deflator": "71%"}),
    ("aid_projects", "qingdao_dingxi",
     {"budget_year": "100%", "uniform": "90%", "recent": "100%", "growing": "100%",
      "lower_half": "100%", "rounded": "100%", "registered": "100%",
      "gdp_deflator": "100%"}),
    ("cadre_training", "liaocheng_pengshui",
     {"budget_year": "100%", "uniform": "100%", "recent": "100%", "growing": "100%",
      "lower_half": "100%", "rounded": "100%", "registered": "100%",
      "gdp_deflator": "100%"}),
])
def test_notebook_05_probabilities_under_each_prior(prior_draws, key, leader, shares):
    """Longnan's open-start total (ext-024, at least one budget year) is why Dingxi's fiscal
    aid is not first in every draw; the external bound on 近年来 (P14) is why no prior now
    decides the projects or training headline. The GDP deflator (issue 22) moves Dingxi's
    fiscal aid by a point: its windows reach back to years the two indices weigh apart."""
    for name, drawn in prior_draws.items():
        p = sensitivity.rank_probabilities(drawn[key]).loc[leader, "p_first"]
        assert prose.share(p) == shares[name], name


@pytest.fixture(scope="module")
def prior_draws(data) -> dict:
    """Notebook 05's draws under each prior, by prior: computed once for the three
    headlines above (they read one measure each of the same draws)."""
    ranked, _ = compare_every(data, stages="commonest")  # as notebook 05
    ranked = {k: c for k, c in ranked.items() if len(c.table) >= 2}
    return {name: sensitivity.draws(list(ranked.values()), data, prior=prior, n=10_000,
                                    seed=20231123) for name, prior in PRIORS.items()}


@pytest.mark.shipped_data
def test_notebook_07_reports(data):
    r = data.reports
    assert (len(r), r["source_url"].nunique(), int((r["scope"] == "pairing").sum()),
            int((r["scope"] == "province").sum()), int((r["independent"] == "no").sum())) == \
        (52, 21, 35, 2, 3)
    assert r["source_side"].astype(str).value_counts().to_dict() == \
        {"recipient": 33, "donor": 7, "other": 7, "central": 5}


@pytest.mark.shipped_data
def test_notebook_07_dingxi_fiscal_aid(data):
    """The budget-year reading of the series (codebook P13), by hand: 9.12 (April 2023) is
    2021–2022; 22.79 (January 2026) − 4.56 (2025, ext-014) = 18.23 = ext-001, so October
    2024 held 2021–2024; 18.68 (May 2025) is neither 18.23 nor 22.79: left out, flagged."""
    alloc = allocations(data, "fiscal_aid", "qingdao_dingxi")
    blocks = alloc.drop_duplicates("block").set_index("block")
    assert list(blocks.index) == ["2021–2022", "2023–2024", "2025"]
    assert [prose.num(v / 1e8, 3) for v in blocks["block_mid"]] == ["9.12", "9.11", "4.56"]
    assert [prose.num(v / 1e8, 4) for v in blocks["per_year_mid"]] == ["4.56", "4.555",
                                                                       "4.56"]
    assert (blocks["block_low"] == blocks["block_high"]).all()
    assert blocks.loc["2021–2022", "flag"].startswith(
        "conflict: ext-004 (18.68億元, to 2024 or 2025) fits no whole number of budget years")
    inc = increments(data, "fiscal_aid", "qingdao_dingxi").iloc[1:]
    assert prose.between(inc["increment_mid"].min() / 1e8, inc["increment_mid"].max() / 1e8) \
        == "0.45 to 9.1"


@pytest.mark.shipped_data
def test_notebook_07_dingxi_projects_and_other_series(data):
    """422 (April 2023) is 2021–2022; 864 (May 2025) is 2021–2024 or 2021–2025, and 156
    projects are 2025's: so 2023–2024 hold 864 − 422 = 442, or 442 − 156 = 286."""
    blocks = allocations(data, "aid_projects", "qingdao_dingxi").drop_duplicates("block")
    assert [(b, prose.between(lo, hi)) for b, lo, hi in zip(
        blocks["block"], blocks["block_low"], blocks["block_high"], strict=True)] == \
        [("2021–2022", "422"), ("2023–2024", "286 to 442"), ("2025", "156")]
    steps = {(k, p): increments(data, k, p).iloc[-1] for k, p in (
        ("firms_introduced", "qingdao_dingxi"), ("firms_introduced", "qingdao_longnan"),
        ("labour_transfer", "qingdao_dingxi"))}
    assert [prose.between(s["increment_low"], s["increment_high"]) for s in steps.values()] \
        == ["55", "-8 to 2", "27,400"]


@pytest.mark.shipped_data
def test_notebook_07_intensity(data):
    """A budget year's allocation over one year: 2021–2022 at 182.8 (notebook 3's rate),
    2023–2024 and 2025 at 180.3 yuan per resident (2023 prices); the continuous reading's
    stretch rates (31 to 244) and calendar years (4.1–5.6亿) are printed only as artefacts."""
    alloc = allocations(data, "fiscal_aid", "qingdao_dingxi")
    rated = panel_rates(alloc, data).drop_duplicates("block")
    assert [prose.num(v) for v in rated["rate_mid"]] == ["183", "180", "180"]
    nb3 = compare(data, "fiscal_aid", stages="any").table.set_index("pairing_id") \
        .loc["qingdao_dingxi"]
    assert rated["rate_mid"].iloc[0] == pytest.approx(nb3["rate_mid"], rel=1e-12)
    pop = data.context.set_index(["place_id", "indicator"])["value"]["dingxi", "population"]
    assert rated["rate_mid"].iloc[-1] == pytest.approx(
        4.56e8 / pop / price_levels(data.cpi, 2023)[2025], rel=1e-12)
    inc = increments(data, "fiscal_aid", "qingdao_dingxi")
    continuous = increment_rates(inc, data, "fiscal_aid").iloc[1:]
    assert (prose.num(continuous["rate_mid"].min()), prose.num(continuous["rate_mid"].max())) \
        == ("31", "244")
    middle = calendar_years(inc)["amount_mid"].iloc[1:-1] / 1e8
    assert prose.span(middle.min(), middle.max()) == "4.1–5.6"


@pytest.mark.shipped_data
def test_notebook_07_sources(data):
    t = support(data)
    alone = t[(t["independent"] == 1) & (t["republications"] == 0)]
    assert (len(alone), len(t), int((t["republications"] > 0).sum()),
            int((t["later_totals"] > 0).sum()), int(t["later_below"].sum()),
            int((t["independent"] > 1).sum())) == (27, 30, 3, 4, 0, 0)  # rq-005 ties made: a flow


_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w.])")


@pytest.mark.parametrize("name", ["03_aid_intensity", "04_outcomes", "05_sensitivity",
                                  "07_time"])
def test_no_markdown_cell_types_a_result(name):
    """Results are rendered from the computation: a markdown cell may name years, sections
    and figures as printed in an article (in code spans), never a computed number."""
    nb = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = re.sub(r"`[^`]*`", "", "".join(cell["source"]))
        numbers = [n for n in _NUMBER.findall(text)
                   if not re.fullmatch(r"(18|19|20)\d\d|\d", n)]
        assert not numbers, (name, numbers, text[:200])
