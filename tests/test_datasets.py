"""Loaders: typed frames, documented columns, derived values from the parser."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest
from corpus import CASES as CORPUS_CASES  # tests/bad_input/cases.csv
from corpus import apply_case, case_params

import coopstats
from coopstats.dataset.schema import DERIVED_FACT_COLUMNS, SCHEMA

LOADERS = {
    "articles": coopstats.load_articles,
    "places": coopstats.load_places,
    "pairings": coopstats.load_pairings,
    "indicators": coopstats.load_indicators,
    "facts": coopstats.load_facts,
}


@pytest.mark.parametrize("name", LOADERS)
def test_loader_columns_follow_schema_and_are_documented(name):
    df = LOADERS[name]()
    assert isinstance(df, pd.DataFrame) and len(df) > 0
    expected = list(SCHEMA[name].column_names)
    assert list(df.columns[: len(expected)]) == expected
    doc = inspect.getdoc(LOADERS[name])
    for column in df.columns:
        assert f"``{column}``" in doc, f"{column} is not documented in load_{name}"


@pytest.mark.parametrize("name", LOADERS)
def test_loader_dtypes(name):
    df = LOADERS[name]()
    for col in SCHEMA[name].columns:
        dtype = df[col.name].dtype
        if col.kind == "int":
            assert dtype == "Int64", col.name
        elif col.kind == "float":
            assert dtype == "Float64", col.name
        elif col.kind == "category" or (col.kind == "id" and col.references):
            assert isinstance(dtype, pd.CategoricalDtype), col.name
        else:
            assert isinstance(dtype, pd.StringDtype), col.name


def test_facts_derived_columns_come_from_the_parser():
    facts = coopstats.load_facts()
    for col in DERIVED_FACT_COLUMNS:
        assert col.name in facts.columns
    assert facts["value"].dtype == "float64"
    assert facts["unit"].notna().all()
    assert facts["value"].notna().all()
    for row in facts.itertuples():
        fig = coopstats.parse_figure(row.raw)
        assert (row.value, row.value_low, row.value_high) == (fig.value, fig.low, fig.high)
        assert row.qualifier == fig.qualifier
    assert (facts["value_low"] <= facts["value"]).all()
    assert (facts["value"] <= facts["value_high"]).all()


def test_facts_known_values():
    facts = coopstats.load_facts().set_index("raw")
    row = facts.loc["11074.12萬元"]
    assert row["value"] == 110_741_200 and row["unit"] == "CNY"
    assert row["pairing_id"] == "liaocheng_pengshui"
    assert facts.loc["1.3万余人次", "value_high"] == 14000


def test_pairing_ties_counted_as_pairs():
    facts = coopstats.load_facts()
    ties = facts[facts["indicator"] == "pairing_ties"]
    assert len(ties) > 5 and (ties["unit"] == "pair").all()


def test_scope_rules_hold_in_loaded_data():
    facts = coopstats.load_facts()
    donor_all = facts["scope"].isin(["donor_all", "province"])
    assert facts.loc[donor_all, "pairing_id"].isna().all()
    assert facts.loc[~donor_all, "pairing_id"].notna().all()
    assert facts.loc[donor_all, "subject_id"].notna().all()


def test_ten_pairings_and_their_places():
    pairings = coopstats.load_pairings()
    places = coopstats.load_places().set_index("place_id")
    assert len(pairings) == 10
    for pid in ("chengkou", "qianjiang", "pengshui", "xiushan", "longnan", "dingxi",
                "sangzhuzi", "yiling", "boxing", "heze"):
        assert pid in set(pairings["recipient_id"])
        assert places.loc[pid, "role"] == "recipient"
    assert places.loc["sangzhuzi", "name_en"] == "Sangzhuzi"
    # every pairing has facts
    facts = coopstats.load_facts()
    assert set(pairings["pairing_id"]) <= set(facts["pairing_id"].dropna())


def test_articles_script_and_year():
    arts = coopstats.load_articles().set_index("article_id")
    assert arts.loc["liaocheng_pengshui_2025", "script"] == "traditional"
    assert (arts["pub_year"] >= 2023).all()


def test_na_strings_stay_text(data_copy):
    # 'NA' as a note is text, not a missing value; as raw it is rejected by name
    path = data_copy / "facts" / "linyi_chengkou_2023.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    cells = text[1].split(",")
    text[1] = text[1].replace(f",{cells[6]},", ",NA,", 1)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(coopstats.DataValidationError) as info:
        coopstats.load_facts(data_copy)
    message = str(info.value)
    assert "linyi_chengkou_2023.csv:2: raw: 'NA' looks like a missing-value marker" in message


def test_loaders_refuse_invalid_data_with_validator_messages(data_copy):
    path = data_copy / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",input,", ",inputs,", 1),
                    encoding="utf-8")
    with pytest.raises(coopstats.DataValidationError) as info:
        coopstats.load_indicators(data_copy)
    assert info.value.problems
    assert "indicators.csv:2: kind: 'inputs' is not one of: input, output, outcome" in \
        str(info.value)


@pytest.mark.parametrize("case", case_params())
def test_loaders_refuse_every_corpus_case_with_the_validator_line(case, data_copy, sources):
    expected = apply_case(case, data_copy)
    with pytest.raises(coopstats.DataValidationError) as info:
        coopstats.load_all(data_copy, sources=sources)
    lines = str(info.value).replace(str(data_copy) + "/", "").splitlines()
    assert lines[0].endswith("problem(s) in the data:")
    assert any(expected in line for line in lines[1:]), lines
    assert len(lines) - 1 == int(CORPUS_CASES[case]["lines"]), lines  # no cascade
