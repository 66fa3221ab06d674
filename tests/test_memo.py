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


def test_the_key_is_the_values_not_how_pandas_stores_them():
    """Two loads of the same files, a table whose columns pandas regroups into blocks, and a
    nullable column whose bytes under a missing cell differ: the same content, one key."""
    assert content_key(coopstats.load_all()) == content_key(coopstats.load_all())
    facts = coopstats.load_facts()
    spread = pd.concat([facts[[c]] for c in facts.columns], axis=1)  # a block per column
    assert content_key(spread) == content_key(facts)
    a = pd.DataFrame({"x": pd.array([1, None], dtype="Int64")})
    b = pd.DataFrame({"x": pd.array([1, 7], dtype="Int64")})
    b.loc[1, "x"] = pd.NA  # 7 stays under the mask
    assert content_key(a) == content_key(b)
    assert content_key(a) != content_key(pd.DataFrame({"x": pd.array([1, 0], dtype="Int64")}))


def test_the_index_is_part_of_the_key():
    frame = pd.DataFrame({"x": [1, 2]})
    keys = {content_key(f) for f in (frame, frame.set_axis([5, 6]), frame.rename_axis("row"),
                                     frame.set_axis(pd.MultiIndex.from_tuples([(1, 2), (1, 3)])))}
    assert len(keys) == 4


def test_categories_and_their_order_are_part_of_the_key():
    values = ["a", "b"]
    frames = [pd.DataFrame({"x": pd.Categorical(values, categories=c, ordered=o)})
              for c, o in ((["a", "b"], False), (["a", "b"], True), (["a", "b", "c"], False),
                           (pd.Index(["a", "b"], dtype=object), False))]
    frames.append(pd.DataFrame({"x": values}))
    assert len({content_key(f) for f in frames}) == len(frames)
