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
# Five press articles describe ten pairings; this notebook shows what the coded dataset
# holds, how unevenly the articles report, and how much of it is a bound rather than an exact
# number. It is the first thing to read before trusting any comparison in the later notebooks.
#
# **Question.** Which figures does each article report for each pairing, how precise are
# they, and which are achievements rather than plans?

# %%
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

import coopstats
from coopstats import plotting

plotting.setup()
facts = coopstats.load_facts()
articles = coopstats.load_articles()
pairings = coopstats.load_pairings()
places = coopstats.load_places()
indicators = coopstats.load_indicators()
labels = plotting.pairing_labels(pairings, places)
print(f"{len(facts)} coded figures from {facts['article_id'].nunique()} articles, "
      f"{facts['pairing_id'].nunique()} pairings, {facts['indicator'].nunique()} indicators")

# %% [markdown]
# ## Facts per article and scope
#
# *Scope* says what a figure is about: `pairing` totals, `component` figures (one project,
# event or part of a total), `donor_all` figures (Qingdao across all its partners) and
# `province` figures. Only `pairing` figures can be compared between pairings.

# %%
per_article = pd.crosstab(facts["article_id"], facts["scope"], margins=True,
                          margins_name="total")
per_article

# %% [markdown]
# ## Coverage: which pairing reports what
#
# Each cell counts the figures a pairing reports for one indicator (all scopes). The articles
# were written to celebrate, not to be compared: most indicators appear for one or two
# pairings only, and no indicator is reported for all ten.

# %%
ind_dom = indicators.set_index("indicator_id")["domain"].astype(str)
cov = facts.dropna(subset=["pairing_id"]).assign(
    pairing=lambda d: d["pairing_id"].astype(str).map(labels),
    domain=lambda d: d["indicator"].astype(str).map(ind_dom))
matrix = pd.crosstab(cov["pairing"], [cov["domain"], cov["indicator"].astype(str)])
matrix = matrix.loc[:, matrix.sum().sort_values(ascending=False).index]
matrix = matrix[sorted(matrix.columns, key=lambda c: (c[0], -matrix[c].sum()))]
fig, ax = plt.subplots(figsize=(16, 5.5))
sns.heatmap(matrix.replace(0, float("nan")), cmap="Blues", cbar=False, annot=True, fmt=".0f",
            linewidths=0.4, linecolor="#eee", xticklabels=True, yticklabels=True, ax=ax)
ax.set_xticklabels([c[1] for c in matrix.columns], rotation=90, fontsize=8)
ax.set_xlabel("indicator (grouped by domain)")
ax.set_ylabel("")
ax.set_title("Which pairing reports which indicator (number of coded figures)")
plotting.save(fig, "01_coverage_matrix")

reported_by = (matrix > 0).sum()
print(f"indicators reported for only one pairing: {(reported_by == 1).sum()} of "
      f"{len(reported_by)}; most widely reported: {reported_by.max()} pairings")

# %% [markdown]
# ## How precise are the figures?
#
# A figure printed as `240余` ("240 and more") is a bound, not a number: the dataset keeps
# the interval [240, 250). `近` ("nearly") gives an upper bound, `约/左右` a rounding.

# %%
prec = pd.crosstab(facts["article_id"], facts["qualifier"], normalize="index") * 100
fig, ax = plt.subplots(figsize=(8, 3.5))
prec.plot(kind="barh", stacked=True, ax=ax, width=0.7)
ax.set_xlabel("% of the article's coded figures")
ax.set_ylabel("")
ax.set_title("Exact numbers versus bounds, by article")
ax.legend(title="qualifier", bbox_to_anchor=(1.01, 1), loc="upper left")
plotting.save(fig, "01_qualifiers")
bounds_share = (facts["qualifier"] != "exact").mean() * 100
print(f"{bounds_share:.0f}% of all figures are bounds, roundings or ranges")

# %% [markdown]
# ## Achieved or planned, and how well dated

# %%
status = pd.crosstab(facts["period_basis"], facts["status"], margins=True)
status

# %%
undated = (facts["period_basis"] == "none").mean() * 100
planned = (facts["status"] == "planned").sum()
print(f"{planned} figures are plans or targets; {undated:.0f}% of figures have no period "
      "in the text and cannot be turned into rates per year")

# %% [markdown]
# ## What this shows, and what it cannot
#
# * The dataset is broad but thin: most indicators are reported for one pairing only, so
#   comparisons between pairings must restrict themselves to the few indicators several
#   articles share (fiscal aid, aid projects, pairing ties, training, employment).
# * Three in ten figures are bounds, roundings or ranges (`余`, `多`, `近`, `约`, `A—B`);
#   later notebooks carry their intervals instead of pretending they are exact.
# * Many figures have no period at all. They can be described but not annualised.
# * The articles are press pieces chosen by the cooperating governments: what is *not*
#   reported cannot be read as zero, and a pairing's absence from a row of the matrix says
#   nothing about what it did.
