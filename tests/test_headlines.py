"""Every number the notebooks state in prose, recomputed with the library.

If a change to the data or the methods moves one of these, the test fails and the notebook's
text must be revised with it.
"""

from __future__ import annotations

import pandas as pd
import pytest

import coopstats
from coopstats import intensity


@pytest.fixture(scope="module")
def data():
    return dict(facts=coopstats.load_facts(), indicators=coopstats.load_indicators(),
                pairings=coopstats.load_pairings(), context=coopstats.load_context(),
                cpi=coopstats.load_cpi())


def compare(d, group, per=1, unit=None, per_year=True, facts=None):
    parts = intensity.pairing_rates(facts if facts is not None else d["facts"],
                                    d["indicators"], d["pairings"], d["context"], d["cpi"],
                                    group=group, unit=unit, base_year=2023, per=per,
                                    per_year=per_year)
    return parts, intensity.combine(parts).set_index("pairing_id")


def test_notebook_01_coverage_and_precision(data):
    f = data["facts"]
    assert len(f) == 194
    assert round((f["qualifier"] != "exact").mean() * 10) == 3  # "three in ten"
    paired = f.dropna(subset=["pairing_id"])
    reach = paired.groupby(paired["indicator"].astype(str))["pairing_id"].nunique()
    assert reach.max() < 10                      # "no indicator is reported for all ten"
    assert (reach <= 2).mean() > 0.5             # "most ... for one or two pairings only"


def test_notebook_03_fiscal_aid(data):
    _, t = compare(data, "fiscal_aid")
    assert round(t.loc["qingdao_dingxi", "rate"]) == 146
    assert (round(t.loc["qingdao_dingxi", "rate_low"]),
            round(t.loc["qingdao_dingxi", "rate_high"])) == (121, 182)
    assert round(t.loc["rizhao_qianjiang", "rate"]) == 48
    assert round(t.loc["qingdao_yiling", "rate"]) == 8
    assert 2.5 < t.loc["qingdao_dingxi", "rate"] / t.loc["rizhao_qianjiang", "rate"] < 3.5
    assert 15 < t.loc["qingdao_dingxi", "rate"] / t.loc["qingdao_yiling", "rate"] < 25
    dx = t.loc["dezhou_xiushan"]  # its interval covers all but Yiling
    assert dx["rate_low"] < t.loc["rizhao_qianjiang", "rate"]
    assert dx["rate_high"] > t.loc["qingdao_dingxi", "rate_high"]
    assert dx["rate_low"] > t.loc["qingdao_yiling", "rate_high"]
    assert list(t.index[:1]) == ["qingdao_dingxi"] and len(t) == 4


def test_notebook_03_breadth(data):
    _, p = compare(data, "aid_projects", per=100_000)
    for pid in ("qingdao_dingxi", "liaocheng_pengshui", "dezhou_xiushan"):
        assert 6 <= p.loc[pid, "rate"] < 7.5
    assert round(p.loc["rizhao_qianjiang", "rate"]) == 3
    assert p.loc["qingdao_boxing", "rate"] < 1 and p.loc["qingdao_yiling", "rate"] < 1.5
    _, ties = compare(data, "pairing_ties", per=100_000, per_year=False)
    assert ties.index[0] == "linyi_chengkou"


def test_notebook_04_outcomes(data):
    _, jobs = compare(data, "employment", per=100_000)
    assert round(jobs.loc["qingdao_dingxi", "rate"], -2) == 900
    assert round(jobs.loc["qingdao_longnan", "rate"], -1) == 470
    assert round(jobs.loc["rizhao_qianjiang", "rate"]) == 66
    assert pd.isna(jobs.loc["liaocheng_pengshui", "rate"])
    _, trained = compare(data, "people_trained", per=100_000, unit="person_time")
    assert trained.index[0] == "liaocheng_pengshui"
    assert round(trained.loc["liaocheng_pengshui", "rate"], -1) == 350


def _p_first(data, group, per=1, unit=None, facts=None):
    parts, _ = compare(data, group, per=per, unit=unit, facts=facts)
    draws = intensity.simulate_rates(parts, data["cpi"], base_year=2023, n=10_000,
                                     seed=20231123)
    combined, ids = intensity.combine_draws(draws, parts)
    return intensity.rank_probabilities(combined, ids)


def test_notebook_05_sensitivity(data):
    fiscal = _p_first(data, "fiscal_aid")
    assert round(fiscal.loc["qingdao_dingxi", "p_first"], 1) == 0.7
    assert fiscal.loc["qingdao_yiling", "p_last"] == 1.0
    assert _p_first(data, "aid_projects", per=100_000).loc["qingdao_boxing", "p_last"] == 1.0
    assert _p_first(data, "employment", per=100_000).loc["qingdao_dingxi", "p_first"] == 1.0
    early = intensity.scenario(data["facts"], {"dx-010": (2021, 2023)})
    late = intensity.scenario(data["facts"], {"dx-010": (2011, 2023)})
    assert _p_first(data, "fiscal_aid", facts=early).loc["dezhou_xiushan", "p_first"] == 1.0
    assert _p_first(data, "fiscal_aid", facts=late).loc["dezhou_xiushan", "p_first"] == 0.0
    assert _p_first(data, "fiscal_aid", facts=late).loc["qingdao_yiling", "p_last"] == 1.0
