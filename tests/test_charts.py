"""Charts read at a glance: every log axis has a labelled tick at or beyond each end of the
data, for every measure and denominator the notebooks (and the parameterised one) draw."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import coopstats
from coopstats.analysis.denominators import for_measure
from coopstats.analysis.measures import MEASURES, compare
from coopstats.analysis.totals import cell_status, pairing_figures
from coopstats.dataset.parameters import DENOMINATORS
from coopstats.figures import charts, plotting


@pytest.fixture(scope="module")
def data():
    plotting.setup()
    return coopstats.load_all()


def _labelled_ticks(ax) -> list[float]:
    lo, hi = ax.get_xlim()
    return [t.get_position()[0] for t in ax.get_xticklabels()
            if t.get_text() and lo <= t.get_position()[0] <= hi]


def _cases():
    """Each measure under each denominator it can take (a share only for yuan a year)."""
    return [(m.key, d) for m in MEASURES.values() for d in DENOMINATORS
            if for_measure(m, d) == d]


@pytest.mark.parametrize(("key", "denominator"), _cases())
def test_log_axes_have_a_labelled_tick_beyond_each_end_of_the_data(data, key, denominator):
    """(A value of 66 sat left of the first labelled tick, 100, on the 03 chart.) Drawn as
    narrow as the parameterised notebook's panels can be. Where no pairing has a rate, the
    chart says so and shows no scale."""
    c = compare(data, key, denominator=denominator, funders="any", stages="any")
    fig, ax = plt.subplots(figsize=(5, 2.4))
    charts.rate_chart(c, data, ax=ax, xlabel="x", log=True)
    fig.draw_without_rendering()  # the ticks laid out as drawn, no pixels
    ticks = _labelled_ticks(ax)
    texts = [t.get_text() for t in ax.texts]
    plt.close(fig)
    if c.table["rate_mid"].notna().any():
        low, high = c.table["rate_low"].min(), c.table["rate_high"].max()
        assert ticks and min(ticks) <= low and max(ticks) >= high, (low, high, ticks)
    else:
        assert (ticks, texts) == ([], ["no pairing can be drawn"])


def test_benchmark_lines_are_labelled_with_their_rule_and_share(data):
    c = compare(data, "fiscal_aid", denominator="donor_revenue", funders="any", stages="any")
    fig, ax = plt.subplots(figsize=(9, 3))
    charts.rate_chart(c, data, ax=ax, xlabel="x")
    charts.benchmark_lines(ax, data.benchmarks)
    texts = {t.get_text() for t in ax.texts if t.get_text()}
    plt.close(fig)
    assert texts == {"Wenchuan reconstruction plan, 2008: ≥ 1%",
                     "Xinjiang work conference, 2010: 0.3–0.6%",
                     "Tibet, central requirement: 0.1%"}
    assert ax.get_xlim()[1] > 1.0  # the highest rule is on the chart
    assert charts.share_text(0.5, pd.NA) == "≥ 0.5%"


def test_the_coverage_matrix_marks_every_cell_that_holds_plans(data):
    """Notebook 1's matrix: a cell with a planned figure says ``p`` and is hatched; a cell of
    achieved figures only says its count; an empty cell says nothing."""
    cells = cell_status(pairing_figures(data.facts))
    achieved, planned = (cells[c].unstack("indicator", fill_value=0) for c in
                         ("achieved", "planned"))
    labels = charts.coverage_labels(achieved, planned)
    marked = labels.apply(lambda col: col.str.endswith("p"))
    assert marked.equals(planned > 0)
    assert (labels == "").equals((achieved + planned) == 0)
    plain = (planned == 0) & (achieved > 0)
    assert labels.where(plain, "").equals(achieved.astype(str).where(plain, ""))
    fig, ax = plt.subplots()
    hatched = charts.hatch_cells(ax, planned > 0)
    plt.close(fig)
    assert hatched == int((cells["status"] != "achieved").sum())
