# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1. What was coded
#
# Press articles describe the pairings (how many of each, the first cell's output says);
# this notebook shows what the coded dataset holds, how unevenly the articles report, and how
# much of it is a bound rather than an exact number. It is the first thing to read before
# trusting any comparison in the later notebooks.
#
# **Question.** Which figures does each article report for each pairing, how precise are
# they, and which are achievements rather than plans?

# %%
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

import coopstats
from coopstats.analysis.prose import num, say
from coopstats.analysis.totals import cell_status, pairing_figures
from coopstats.figures import charts, plotting

plotting.setup()
data = coopstats.load_all()  # every table, validated once
facts = data.facts
say(f"{len(facts)} coded figures from {facts['article_id'].nunique()} articles, "
    f"{facts['pairing_id'].nunique()} pairings, {facts['indicator'].nunique()} indicators.")

# %% [markdown]
# ## Facts per article and scope
#
# *Scope* says what a figure is about: `pairing` totals, `component` figures (one project,
# event or part of a total), `donor_all` figures (Qingdao across all its partners) and
# `province` figures. Only `pairing` figures can be compared between pairings.

# %%
names = {a: f"{r['title_en'][:0] or a.rsplit('_', 1)[0].replace('_', '–').title()} "
            f"{a.rsplit('_', 1)[1]}"
         for a, r in data.articles.set_index("article_id").iterrows()}
pd.crosstab(facts["article_id"].map(names), facts["scope"], margins=True,
            margins_name="total")

# %% [markdown]
# ## Coverage: which pairing reports what
#
# Each cell counts a pairing's pairing-level figures for one indicator: printed totals, and
# totals the library sums from parts an article prints without their total; parts,
# components and restatements (`duplicate_of`) are not counted. Indicators are grouped by
# domain. A plan or target (`status` planned, e.g. `到“十四五”末`) is counted apart and
# marked `p`, and its cell hatched, so that a plan is not read as an achievement.

# %%
totals = pairing_figures(facts)
domain = data.indicators.set_index("indicator_id")["domain"].astype(str)
cov = totals.assign(pairing=totals["pairing_id"].astype(str).map(data.labels),
                    domain=totals["indicator"].astype(str).map(domain),
                    indicator=totals["indicator"].astype(str))
matrix = pd.crosstab(cov["pairing"], [cov["domain"], cov["indicator"]])
order = sorted(matrix.columns, key=lambda c: (-matrix.xs(c[0], axis=1, level=0).sum().sum(),
                                              c[0], -matrix[c].sum()))
matrix = matrix[order]
cells = cell_status(totals).rename(index=data.labels, level="pairing_id")


def aligned(column):
    """One column of ``cells`` laid out as the matrix (pairings × domain, indicator)."""
    wide = cells[column].unstack("indicator", fill_value=0).reindex(
        index=matrix.index, columns=[c[1] for c in matrix.columns], fill_value=0)
    return wide.set_axis(matrix.columns, axis=1).astype(int)


achieved, planned = aligned("achieved"), aligned("planned")
assert (achieved + planned).equals(matrix)  # every figure counted once, as one or the other
fig, ax = plt.subplots(figsize=(15, 5.8))
sns.heatmap(matrix.replace(0, float("nan")), cmap="Blues", cbar=False, linewidths=0.4,
            annot=charts.coverage_labels(achieved, planned), fmt="", annot_kws={"fontsize": 9},
            linecolor="#eee", xticklabels=True, yticklabels=True, ax=ax)
charts.hatch_cells(ax, planned > 0)
ax.set_xticklabels([c[1].replace("_", " ") for c in matrix.columns], rotation=90, fontsize=8)
bounds = [i for i in range(1, len(order)) if order[i][0] != order[i - 1][0]]
for i in bounds:
    ax.axvline(i, color="#555", lw=1)
for start, end in zip([0, *bounds], [*bounds, len(order)], strict=True):
    ax.text((start + end) / 2, -0.25, order[start][0], ha="center", va="bottom", fontsize=8,
            rotation=90 if end - start < 2 else 0)
ax.set_xlabel("Hatched and framed: the cell holds planned figures (plans or targets), not "
              "achievements. 1p = one planned figure only; 1 over +1p = one achieved and one "
              "planned.",
              labelpad=8, fontsize=10, loc="left")
ax.set_ylabel("")
ax.set_title("Pairing-level figures per pairing and indicator, grouped by domain", pad=42)
plotting.save(fig, "01_coverage_matrix")

# %% tags=["hide-input"]
reported_by = (matrix > 0).sum()


def cells_named(status):
    """The cells of one status, by pairing: ``Rizhao → Qianjiang: pooled aid funds, …``."""
    by = cells[cells["status"] == status].reset_index().groupby("pairing_id", sort=False)
    return "; ".join(f"{p}: {', '.join(g['indicator'].str.replace('_', ' '))}" for p, g in by)


def cells_count(status):
    """How many cells are of one status, and which, as a sentence says it."""
    n = int((cells["status"] == status).sum())
    return f"{n} ({cells_named(status)})" if n else "none"


say(f"{len(reported_by)} indicators have a pairing-level figure; "
    f"{int((reported_by == 1).sum())} of them for one pairing only, and the most widely "
    f"reported for {int(reported_by.max())} of the {facts['pairing_id'].nunique()} pairings. "
    f"Of the {len(cells)} cells that hold a figure, {cells_count('planned')} hold only "
    f"planned figures and {cells_count('mixed')} mix achieved and planned ones (hatched): "
    "the later notebooks compare achieved figures only.")

# %% [markdown]
# ## How precise are the figures?
#
# A figure printed as `240余` ("240 and more") is a bound, not a number: the dataset keeps
# the interval [240, 250). `近` ("nearly") gives an upper bound, `约/左右` a rounding.

# %%
n = facts["article_id"].value_counts()
prec = pd.crosstab(facts["article_id"], facts["qualifier"], normalize="index") * 100
prec.index = [f"{names[a]} (n = {n[a]})" for a in prec.index]
colours = {"exact": "#9e9e9e", "at_least": "#1b6ca8", "at_most": "#c4452e",
           "approx": "#e0a526", "range": "#2e8b57"}
fig, ax = plt.subplots(figsize=(8.5, 3.5))
prec[[q for q in colours if q in prec]].plot(
    kind="barh", stacked=True, ax=ax, width=0.7,
    color=[colours[q] for q in colours if q in prec])
ax.set_xlabel("% of the article's coded figures")
ax.set_ylabel("")
ax.set_title("Exact numbers versus bounds, by article")
ax.legend(title="qualifier", bbox_to_anchor=(1.01, 1), loc="upper left")
plotting.save(fig, "01_qualifiers")

# %% tags=["hide-input"]
exact = prec.get("exact", pd.Series(0.0, index=prec.index))
all_exact = [a for a, v in exact.items() if v == 100]
say(f"{num((facts['qualifier'] != 'exact').mean() * 100)}% of all figures are bounds, "
    "roundings or ranges. "
    + (f"{', '.join(all_exact)}: every figure exact, which may say more about the genre "
       "or the transcription of that text than about its precision."
       if all_exact else ""))

# %% [markdown]
# ## Achieved or planned, how well dated, and how much is inferred
#
# The grade says how much of a row's coding rests on the sentence alone (`A`), on a codebook
# rule (`B`), or on the cited external layer (`C`).

# %%
pd.crosstab(facts["period_basis"], facts["status"], margins=True)

# %%
pd.crosstab(facts["article_id"].map(names), facts["grade"], margins=True)

# %% tags=["hide-input"]
undated = facts["period_basis"].isin(["as_of", "none"])
as_of = int((facts["period_basis"] == "as_of").sum())
say(f"{int((facts['status'] == 'planned').sum())} figures are plans or targets; "
    f"{num(undated.mean() * 100)}% have no period in the text and cannot be turned into "
    f"rates per year ({as_of} of them achieved figures dated only as of their article "
    "(`as_of`), which counts a stock at that date); "
    f"{int((facts['grade'] == 'C').sum())} rely on the external layer.")

# %% [markdown]
# ## What this shows, and what it cannot
#
# * The dataset is broad but thin: most indicators are reported for one pairing only, so
#   comparisons between pairings must restrict themselves to the few indicators several
#   articles share (fiscal aid, aid projects, pairing ties, training, employment).
# * Bounds, roundings and ranges (`余`, `多`, `近`, `约`, `A—B`) keep their intervals in the
#   later notebooks instead of pretending to be exact.
# * Figures without a period can be described but not annualised.
# * The articles are press pieces chosen by the cooperating governments: what is *not*
#   reported cannot be read as zero, and a pairing's absence from a row of the matrix says
#   nothing about what it did.
