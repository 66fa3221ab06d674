"""The numbers the notebooks' prose states, recomputed and pinned at the precision printed.

The notebooks render every number in their prose from the computed values
(``coopstats.prose``), so prose and tables cannot disagree; these tests pin those values on the
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
from coopstats import prose, sensitivity
from coopstats.increments import annual_checks, calendar_years, increment_rates, increments
from coopstats.measures import NEW_ROUND, compare
from coopstats.priors import PRIORS
from coopstats.totals import pairing_figures
from coopstats.triangulation import support


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
    assert prose.num((f["period_basis"] == "none").mean() * 100) == "24"
    assert int((f["grade"] == "C").sum()) == 3


@pytest.mark.shipped_data
def test_notebook_03_fiscal_aid(data):
    t = _by_pairing(compare(data, "fiscal_aid", funders="any"))
    top = t.loc["qingdao_dingxi"]  # 9.12亿 over April 2021 – April 2023 (tests/test_intensity)
    assert (prose.num(top["rate_mid"]), prose.span(top["rate_low"], top["rate_high"])) == \
        ("182", "175–190")
    assert prose.num(t.loc["qingdao_yiling", "rate_mid"]) == "7.9"  # 9238万 over 29 years
    assert prose.num(top["rate_mid"] / t.loc["qingdao_yiling", "rate_mid"]) == "23"
    assert list(t.index) == ["qingdao_dingxi", "dezhou_xiushan", "rizhao_qianjiang",
                             "qingdao_yiling"]
    assert t["start_low"].is_monotonic_decreasing  # "rank exactly as their windows start"
    assert int((t["era"] == "new round").sum()) == 1


@pytest.mark.shipped_data
def test_notebook_03_common_window(data):
    every = compare(data, "aid_projects", funders="any").table
    new = compare(data, "aid_projects", window=(NEW_ROUND, None), funders="any").table
    assert (len(every), len(new)) == (6, 2)
    old = every[every["era"] != "new round"]
    # "The new-round pairings are not all ahead of the older windows": Xiushan's interval
    assert every[every["era"] == "new round"]["rate_mid"].min() < old["rate_mid"].max()


@pytest.mark.shipped_data
def test_notebook_04_outcomes(data):
    poor = _by_pairing(compare(data, "poor_employment"))
    assert prose.num(poor.loc["qingdao_dingxi", "rate_mid"]) == "685"   # 17 287 / 25.241
    assert prose.num(poor.loc["qingdao_longnan", "rate_mid"]) == "351"  # 8 450 / 24.073
    ratio = poor.loc["qingdao_dingxi", "rate_mid"] / poor.loc["qingdao_longnan", "rate_mid"]
    assert prose.num(ratio, 3) == "1.95"


@pytest.mark.shipped_data
def test_notebook_04_input_output(data):
    projects = _by_pairing(compare(data, "aid_projects", funders="any"))
    training = _by_pairing(compare(data, "cadre_training"))
    both = sorted(set(projects.index) & set(training.index))
    assert both == ["dezhou_xiushan", "liaocheng_pengshui", "qingdao_yiling"]
    rho, p = sensitivity.exact_spearman(projects.loc[both, "rate_mid"],
                                        training.loc[both, "rate_mid"])
    assert (prose.num(rho), prose.num(p)) == ("0.5", "1")
    assert prose.num(sensitivity.exact_spearman([1, 2, 3], [1, 2, 3])[1]) == "0.33"


@pytest.mark.shipped_data
@pytest.mark.parametrize("key, leader, shares", [
    ("fiscal_aid", "qingdao_dingxi", {"uniform": "90%", "recent": "62%", "growing": "90%"}),
    ("aid_projects", "qingdao_dingxi", {"uniform": "63%", "recent": "0%", "growing": "63%"}),
    ("cadre_training", "liaocheng_pengshui",
     {"uniform": "88%", "recent": "57%", "growing": "88%"}),
])
def test_notebook_05_probabilities_under_each_prior(data, key, leader, shares):
    ranked = {k: compare(data, k, funders="any") for k in (
        "fiscal_aid", "aid_projects", "pairing_ties", "firms_introduced", "firm_investment",
        "consumption_two_way", "cadre_training", "labour_training", "poor_employment")}
    for name, prior in PRIORS.items():
        drawn = sensitivity.draws(list(ranked.values()), data, prior=prior, n=10_000,
                                  seed=20231123)
        p = sensitivity.rank_probabilities(drawn[key]).loc[leader, "p_first"]
        assert prose.share(p) == shares[name], name


@pytest.mark.shipped_data
def test_notebook_07_reports(data):
    r = data.reports
    assert (len(r), r["source_url"].nunique(), int((r["scope"] == "pairing").sum()),
            int((r["independent"] == "no").sum())) == (50, 19, 35, 3)
    assert r["source_side"].astype(str).value_counts().to_dict() == \
        {"recipient": 32, "donor": 7, "other": 7, "central": 4}


@pytest.mark.shipped_data
def test_notebook_07_dingxi_fiscal_aid(data):
    inc = increments(data, "fiscal_aid", "qingdao_dingxi")
    later = inc.iloc[1:].sort_values("per_year_mid")
    high, low = later.iloc[-1], later.iloc[0]
    assert (high["from_end"], high["to_end"], prose.num(high["increment_mid"] / 1e8, 3),
            prose.num(high["per_year_mid"] / 1e8)) == ("2025-05", "2026-01", "4.11", "6.2")
    assert (low["from_end"], low["to_end"], prose.num(low["increment_mid"] / 1e8)) == \
        ("2024-10", "2025-05", "0.45")
    check = annual_checks(data, "fiscal_aid", "qingdao_dingxi").iloc[0]
    assert (prose.num(check["room_high"] / 1e8, 3), check["slack"]) == ("4.56", 0)
    by_id = data.reports.set_index("report_id")["value"]
    # the four-calendar-years reading: 22.79 − 18.68 = 4.11 left for 2025; 4.56 − 4.11
    assert prose.num((by_id["ext-007"] - by_id["ext-004"]) / 1e8, 3) == "4.11"
    assert prose.num((by_id["ext-004"] + by_id["ext-014"] - by_id["ext-007"]) / 1e8) == "0.45"


@pytest.mark.shipped_data
def test_notebook_07_dingxi_projects_and_other_series(data):
    inc = increments(data, "aid_projects", "qingdao_dingxi")
    assert [prose.num(v) for v in (*inc["increment_mid"], *inc["per_year_mid"])] == \
        ["422", "442", "211", "212"]
    steps = {(k, p): increments(data, k, p).iloc[-1] for k, p in (
        ("firms_introduced", "qingdao_dingxi"), ("firms_introduced", "qingdao_longnan"),
        ("labour_transfer", "qingdao_dingxi"))}
    assert [prose.between(s["increment_low"], s["increment_high"]) for s in steps.values()] \
        == ["55", "-8 to 2", "27,400"]


@pytest.mark.shipped_data
def test_notebook_07_intensity(data):
    rated = increment_rates(increments(data, "fiscal_aid", "qingdao_dingxi"), data,
                            "fiscal_aid")
    later = rated.iloc[1:]
    assert (prose.num(rated["rate_mid"].iloc[0]), prose.num(later["rate_mid"].min()),
            prose.num(later["rate_mid"].max())) == ("182", "31", "244")
    last = increments(data, "fiscal_aid", "qingdao_dingxi", only=["ext-007"])
    whole = increment_rates(last, data, "fiscal_aid").iloc[0]
    assert (whole["to_end"], prose.num(whole["rate_mid"])) == ("2026-01", "191")
    years = calendar_years(increments(data, "fiscal_aid", "qingdao_dingxi"))
    middle = years["amount_mid"].iloc[1:-1] / 1e8  # 2022–2025, the whole years covered
    assert (prose.num(middle.min()), prose.num(middle.max())) == ("4.1", "5.6")


@pytest.mark.shipped_data
def test_notebook_07_sources(data):
    t = support(data)
    alone = t[(t["independent"] == 1) & (t["republications"] == 0)]
    assert (len(alone), len(t), int((t["republications"] > 0).sum()),
            int((t["later_totals"] > 0).sum()), int(t["later_below"].sum()),
            int((t["independent"] > 1).sum())) == (28, 31, 3, 4, 0, 0)


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
