"""Results remembered by the data's content (coopstats.analysis._memo): never stale, never
shared with a caller that changes them."""

from __future__ import annotations

import dataclasses

import pandas as pd

import coopstats
from coopstats.analysis._memo import by_content, content_key
from coopstats.analysis.budget_years import panel
from coopstats.analysis.totals import pairing_figures


def test_a_caller_that_changes_the_result_changes_nothing_for_the_next():
    facts = coopstats.load_facts()
    first = pairing_figures(facts)
    first.loc[first.index[0], "value"] = -1.0
    assert pairing_figures(facts).loc[0, "value"] != -1.0


def test_one_cell_of_one_table_changes_the_dataset_key_and_the_result():
    data = coopstats.load_all()
    before = panel(data)
    facts = data.facts.copy()
    row = facts.index[facts["fact_id"] == "qd-013"][0]
    facts.loc[row, ["value", "value_low", "value_high", "value_mid"]] = 8e8
    changed = dataclasses.replace(data, facts=facts)
    assert content_key(changed) != content_key(data)
    assert not panel(changed).equals(before)
    assert panel(data).equals(before)


def test_arguments_that_cannot_be_hashed_are_computed_each_time():
    calls = []

    @by_content
    def count(frame, items):
        calls.append(1)
        return len(items)

    frame = pd.DataFrame({"x": [1]})
    assert count(frame, [1, 2]) == count(frame, [1, 2]) == 2
    assert len(calls) == 2
    assert content_key("not a table") is None
