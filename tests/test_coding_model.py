"""The coding model on the shipped data (issue 12; data/CODEBOOK.md F1–F7, P1–P10, G1–G3).

Read straight from the CSVs, so these tests pin the coding itself, not a loader. The expected
numbers were checked by hand against the five articles (rows named in the tests).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pytest
from conftest import DATA

from coopstats import parse_figure
from coopstats.dataset.schema import SCHEMA

#: the numbers pinned here are the shipped coding's (skipped on other data, strict in CI)
pytestmark = pytest.mark.shipped_data

#: the five category fields every fact fills; duplicate_of and part_of may stay empty
CODED = ("funder_level", "flow_stage", "direction", "measure_type", "grade")
NEW_FIELDS = (*CODED[:4], "duplicate_of", "part_of", "grade")


def _read(rel: str) -> list[dict[str, str]]:
    with open(DATA / rel, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


FACTS = [row for path in sorted((DATA / "facts").glob("*.csv"))
         for row in _read(f"facts/{path.name}")]
BY_ID = {row["fact_id"]: row for row in FACTS}
ARTICLES = {row["article_id"]: row for row in _read("articles.csv")}
PAIRINGS = {row["pairing_id"]: row for row in _read("pairings.csv")}
STARTS = {(row["pairing_id"], row["round"]): row for row in _read("context/pairing_starts.csv")}


def ids(first: str, last: str) -> list[str]:
    """``ids("lc-012", "lc-014")`` -> lc-012, lc-013, lc-014."""
    prefix, a, b = first[:3], int(first[3:]), int(last[3:])
    return [f"{prefix}{n:03d}" for n in range(a, b + 1)]


def value(fact_id: str) -> float:
    return parse_figure(BY_ID[fact_id]["raw"]).value


def period(fact_id: str) -> tuple[str, str, str]:
    row = BY_ID[fact_id]
    return row["period_start"], row["period_end"], row["period_basis"]


def test_194_facts_with_the_new_columns_after_period_basis():
    columns = SCHEMA["facts"].column_names
    at = columns.index("period_basis")
    assert columns[at + 1: at + 8] == NEW_FIELDS
    assert len(FACTS) == 194 and len(BY_ID) == 194
    assert all(list(row) == list(columns) for row in FACTS)


@pytest.mark.parametrize("field", CODED)
def test_every_fact_codes_the_field_with_an_allowed_value(field):
    allowed = SCHEMA["facts"].column(field).choices
    bad = {r["fact_id"]: r[field] for r in FACTS if r[field] not in allowed}
    assert not bad


def test_grades_as_coded():
    # issue 16 adjudication: lc-001, dx-025…029 and lp-001 A -> B; lc-007, lc-008, dx-005
    # and rq-026…028 B -> A (codebook, "Double coding and agreement")
    assert Counter(r["grade"] for r in FACTS) == {"A": 81, "B": 110, "C": 3}
    # C: flows whose start comes only from context/pairing_starts.csv (P10, F7)
    assert {r["fact_id"] for r in FACTS if r["grade"] == "C"} == {"lc-002", "lc-004", "lp-002"}


def test_measure_types_as_coded():
    assert Counter(r["measure_type"] for r in FACTS) == {
        "flow": 147, "stock": 35, "capacity": 7, "share": 5}  # issue 16: lc-003, lc-005 flows;
    # issue 22: rq-005 (累计开展…结对子33对) counts ties made, a flow
    shares = {r["fact_id"] for r in FACTS if r["measure_type"] == "share"}
    assert shares == {"dx-017", "dx-045", "lc-006", "lc-035", "rq-020"}
    percent = {r["fact_id"] for r in FACTS if parse_figure(r["raw"]).unit == "percent"}
    assert shares == percent


def test_ties_in_force_are_stocks_and_pair_times_are_flows():
    ties = [r for r in FACTS if r["indicator"] == "pairing_ties"]
    assert len(ties) == 16
    for row in ties:
        times = row["raw"].endswith(("对次", "對次"))  # pair-times: a flow (decision 9)
        made = row["fact_id"] == "rq-005"  # 累计开展…33对: ties made since 2010, not in force
        assert row["measure_type"] == ("flow" if times or made else "stock"), row["fact_id"]
    assert {r["fact_id"] for r in ties if r["measure_type"] == "flow"} == {
        *ids("lp-016", "lp-020"), "rq-005"}


def test_the_three_duplicates():
    duplicates = {r["fact_id"]: r["duplicate_of"] for r in FACTS if r["duplicate_of"]}
    assert duplicates == {"lc-026": "lc-016", "dx-033": "dx-032", "qd-048": "qd-026"}
    for copy, first in duplicates.items():
        assert value(copy) == value(first)
        assert BY_ID[copy]["pairing_id"] == BY_ID[first]["pairing_id"]


def _parts() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for row in FACTS:
        if row["part_of"]:
            groups[row["part_of"]].append(row["fact_id"])
    return groups


#: total -> (its parts, their sum); a printed total's own figure is checked below
PART_GROUPS = {
    "lc-018": (ids("lc-012", "lc-017"), 40),  # 镇镇3 村村9 村企9 社会组织3 校校11 医院5
    "dx-003": (["dx-002"], 11),  # 11 county-township ties of the 66 pairs
    "dx-s01": (["dx-030", "dx-031"], 1245 + 3962),  # cadres and professionals trained
    "lc-s01": (["lc-029", "lc-030"], 20 + 50),  # lectures and demonstrations (issue 16)
    "lp-s01": (ids("lp-016", "lp-020"), 185),  # tie types in 對次
    "lp-s02": (["lp-010", "lp-012"], 30 + 77),  # training courses
    "lp-s03": (["lp-011", "lp-013"], 2613 + 5829),  # cadres and professionals trained
    "qd-s01": (ids("qd-007", "qd-012"), 568),  # Qingdao institutions partnered with Longnan
    "qd-s02": (["qd-044", "qd-045"], 17287),  # Dingxi poor employed, 2022
    "qd-s03": (["qd-046", "qd-047"], 8450),  # Longnan poor employed, 2022
}


def test_every_part_of_group_and_its_sum():
    groups = _parts()
    assert {total: sorted(parts) for total, parts in groups.items()} == {
        total: sorted(parts) for total, (parts, _) in PART_GROUPS.items()}
    for total, (parts, expected) in PART_GROUPS.items():
        assert sum(value(p) for p in parts) == expected, total
        assert all(BY_ID[p]["scope"] == "component" for p in parts)
    assert value("lc-018") == 40 and value("dx-003") == 66  # the printed totals


def test_parts_of_a_derived_total_are_alike():
    for total, parts in _parts().items():
        if total in BY_ID:
            continue
        rows = [BY_ID[p] for p in parts]
        assert len(rows) >= 2 and all(p.startswith(total[:3]) for p in parts), total
        for column in ("article_id", "pairing_id", "indicator", "status", "period_start",
                       "period_end", "period_basis"):
            assert len({r[column] for r in rows}) == 1, (total, column)


def test_pengshui_fourteenth_five_year_plan_rows_are_the_article_frame():
    frame = {r["fact_id"] for r in FACTS if r["period_basis"] == "article_frame"}
    shisiwu = {r["fact_id"] for r in FACTS if "十四五" in r["period_text"]
               and r["article_id"] == "liaocheng_pengshui_2025"}
    # lp-001 (250萬元, a later 目前 does not date it) takes the frame since issue 16
    assert frame == shisiwu == {"lp-001", "lp-006", *ids("lp-016", "lp-023")}
    for fact_id in frame:
        assert period(fact_id) == ("2021", "2025", "article_frame")
        assert BY_ID[fact_id]["grade"] == "B"


def test_in_recent_years_is_recent():
    recent = {r["fact_id"] for r in FACTS if r["period_basis"] == "recent"}
    words = {r["fact_id"] for r in FACTS if "近年来" in r["period_text"]
             or "近年來" in r["period_text"] or "近几年" in r["period_text"]}
    assert recent == words == {"dx-010", "dx-011", "dx-023", "dx-030", "dx-031", "rq-006",
                               "rq-007"}
    for fact_id in recent:
        row = BY_ID[fact_id]
        year = ARTICLES[row["article_id"]]["pub_date"][:4]
        assert period(fact_id) == ("", year, "recent") and row["grade"] == "B"


def test_the_whole_of_last_year_in_linyi():
    # 去年以来 … 全年累计利用临沂市的援助资金420万元，实施…扶残项目2个，受益残疾人260人
    for fact_id in ids("lc-021", "lc-023"):
        assert period(fact_id) == ("2022", "2022", "relative")
        assert BY_ID[fact_id]["period_text"].endswith("全年")
        assert BY_ID[fact_id]["grade"] == "B"
    assert BY_ID["lc-021"]["funder_level"] == BY_ID["lc-022"]["funder_level"] == "city"


def test_the_external_starts_used_are_cited():
    used = {("linyi_chengkou", "first"): ("2011", ""),
            ("linyi_chengkou", "new_round"): ("2021", ""),
            ("liaocheng_pengshui", "first"): ("2017", ""),
            ("qingdao_dingxi", "first"): ("2021", "4")}
    for key, (year, month) in used.items():
        row = STARTS[key]
        assert (row["start_year"], row["start_month"]) == (year, month), key
        assert row["source_url"].startswith(("http://", "https://")), key
        assert row["source_title"] and row["source_publisher"] and row["source_date"]
        assert year in row["source_excerpt"], key  # the excerpt states the year


def test_periods_from_an_unstated_pairing_start_use_the_external_layer():
    """Every `pairing_start` row starts in a year the article states for the pairing or one
    the external layer gives; the Linyi rows use the first (2011, 自临城协作之后) and the new
    round (2021, 新一轮东西部协作) starts, the Linyi and Pengshui articles state none."""
    external = {}
    for row in FACTS:
        if row["period_basis"] != "pairing_start":
            continue
        pid = row["pairing_id"]
        if row["period_start"] == PAIRINGS[pid]["start_year"]:
            continue
        rounds = {k[1] for k, s in STARTS.items() if k[0] == pid and s["start_year"] ==
                  row["period_start"]}
        assert rounds, row["fact_id"]
        external[row["fact_id"]] = rounds.pop()
    assert external == {"lc-002": "first", "lc-004": "first",
                        **{f: "new_round" for f in ids("lc-012", "lc-018")}}
    assert PAIRINGS["linyi_chengkou"]["start_year"] == ""
    assert PAIRINGS["liaocheng_pengshui"]["start_year"] == ""


@pytest.mark.parametrize(("fact_id", "funder", "stage"), [
    ("dx-010", "mixed", "disbursed"),  # 山东省、德州市共向秀山投入…2.8亿元
    ("dx-001", "mixed", "disbursed"),  # 德州市政府、慈善总会…捐赠援助资金3140万元
    ("lp-001", "province", "disbursed"),  # 東西部協作省級財政援助資金投入250萬元
    ("qd-013", "city", "disbursed"),  # 青岛市累计投入财政帮扶资金9.12亿元
    ("lc-002", "city", "allocated"),  # 临沂…先后安排资金350万元
    ("lc-024", "unknown", "disbursed"),  # 使用鲁渝协作资金50万元
    ("rq-021", "unknown", "allocated"),  # 累计落实政策帮扶资金2.8亿元
    ("rq-025", "unknown", "disbursed"),  # 减免医疗费用848万元
    ("rq-036", "mixed", "allocated"),  # 累计统筹打捆各类帮扶资金5.4亿元
    ("lc-007", "not_applicable", "unknown"),  # a firm's 总投资20亿元
    ("dx-012", "unknown", "unknown"),  # 撬动4亿元
    ("dx-011", "mixed", "not_applicable"),  # 援建项目240多个 (financed by the 2.8亿元)
])
def test_funder_and_flow_stage_of_the_codebook_examples(fact_id, funder, stage):
    row = BY_ID[fact_id]
    assert (row["funder_level"], row["flow_stage"]) == (funder, stage)


@pytest.mark.parametrize(("fact_id", "expected"), [
    ("lc-003", ("planned", "flow", "component")),  # a target of a base already set up (F4)
    ("dx-007", ("planned", "capacity", "component")),  # design output of a park not yet running
    ("qd-033", ("achieved", "capacity", "component")),  # 每年可节约 of a running plant (status)
    ("dx-022", ("achieved", "stock", "component")),  # households a project reaches (F4)
    ("qd-031", ("achieved", "flow", "component")),  # …unless 累计 dates them
    ("lc-019", ("achieved", "flow", "component")),  # a count confined to one campaign (scope)
    ("qd-038", ("achieved", "flow", "pairing")),  # what the pairing built in 2022 (scope)
])
def test_status_measure_type_and_scope_of_the_tightened_rules(fact_id, expected):
    row = BY_ID[fact_id]
    assert (row["status"], row["measure_type"], row["scope"]) == expected


def test_directions_of_consumption_figures():
    directions = {r["fact_id"]: r["direction"] for r in FACTS
                  if r["direction"] != "not_applicable"}
    assert directions == {
        "lp-006": "one_way",  # 消費幫扶, 農特產品進入聊城商超
        "qd-051": "one_way", "qd-052": "one_way",  # 帮助销售协作地农畜产品…9.09亿元
        "rq-009": "one_way",  # 黔江特色农产品逐一被推介
        "dx-023": "two_way",  # 双方实现消费协作金额1.6亿元
        "rq-011": "one_way",  # 两地…企业 at a 渝货进山东 meeting: the goods decide (issue 16)
        "rq-012": "two_way", "rq-013": "two_way",  # 双向, 购销
    }


@pytest.mark.parametrize(("fact_id", "expected"), [
    ("lp-003", ("2021", "2025", "stated", "A")),  # 2021年以來 … 實施援建項目156個
    ("lp-004", ("2021", "2025", "stated", "B")),  # carried to the next sentence (P1)
    ("lp-005", ("2021", "2025", "stated", "B")),
    ("rq-003", ("2010", "2023", "stated", "B")),  # 33 posts: carried from 2010年以来
    ("rq-004", ("2010", "2023", "stated", "B")),  # 69 courses
    ("qd-044", ("2022", "2022", "stated", "A")),  # 2022年，吸纳定西脱贫人口…697名
    ("rq-021", ("2010", "2023", "pairing_start", "B")),  # 累计 + the stated 2010
    ("lc-002", ("2011", "2023", "pairing_start", "C")),  # 自临城协作之后: external 2011
    ("lc-018", ("2021", "2023", "pairing_start", "B")),  # new round, a stock: B
    ("lp-002", ("", "2025", "open_start", "C")),  # 目前 … 16口: bounded by external 2017
    ("dx-003", ("", "2023", "open_start", "B")),  # 目前…66对: a stock
    ("dx-032", ("2023", "2023", "relative", "B")),  # 2月10日: the article's year
    ("rq-017", ("", "2023", "as_of", "A")),  # a point date of another event does not carry
    # the rules tightened by the issue-16 adjudication (codebook, "Double coding and agreement")
    ("dx-025", ("2022", "2023", "stated", "B")),  # a team's tally from its dated arrival (P6)
    ("rq-026", ("", "2023", "as_of", "A")),  # the pairing-start 累计 ends at the ； (P5)
    ("rq-034", ("2010", "2023", "pairing_start", "B")),  # …but dates its sentence up to 。
    ("rq-036", ("", "2023", "open_start", "B")),  # all helpers' funds: not the pairing's start
    ("lp-001", ("2021", "2025", "article_frame", "B")),  # a later 目前 leaves it to the frame
    ("lc-007", ("", "2023", "as_of", "A")),  # 去年 of the firm's arrival, not its 总投资 (P5)
    ("qd-041", ("", "2023", "as_of", "A")),  # 时下 of the previous sentence does not carry (P8)
])
def test_periods_and_grades_of_worked_examples(fact_id, expected):
    row = BY_ID[fact_id]
    assert (*period(fact_id), row["grade"]) == expected
