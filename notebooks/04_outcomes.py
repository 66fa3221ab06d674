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
# # 4. Outcomes
#
# The articles report what the cooperation produced: workers placed in jobs, people trained,
# products sold through consumption assistance, patients treated, firms and investment
# brought in. This notebook puts the comparable outcomes on the same footing as notebook 3
# (per year, per 100 000 residents, intervals shown) and asks whether pairings that received
# more aid report more outcomes.
#
# **Question.** How do the pairings compare on outcomes, and do outcomes track inputs?

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
base_year = 2023
denominator = "recipient_population"
per_people = 100_000

# %%
import matplotlib.pyplot as plt
import pandas as pd

import coopstats
from coopstats import intensity, plotting
from coopstats.parameters import rate_unit

plotting.setup()
data = coopstats.load_all()  # every table, validated once
facts = data.facts
indicators = data.indicators
pairings = data.pairings
places = data.places
context = data.context
cpi = data.cpi
labels = plotting.pairing_labels(pairings, places)
programmes = data.programmes


def compare(group, per=per_people, unit=None):
    """One combined rate per pairing for a comparable group (see coopstats.intensity)."""
    parts = intensity.pairing_rates(facts, indicators, pairings, context, cpi, group=group,
                                    unit=unit, base_year=base_year, denominator=denominator,
                                    per=per)
    return intensity.combine(parts)


# %% [markdown]
# ## Five outcomes side by side
#
# Each panel uses only pairing-level, achieved figures of one comparable group; the bar is
# the interval from the qualifier and the period.

# %%
yuan = rate_unit(f"{base_year} yuan", denominator)
outcomes = {
    "Workers helped into jobs": (compare("employment"),
                                 rate_unit("workers", denominator, per_people)),
    "People trained (person-times)": (compare("people_trained", unit="person_time"),
                                      rate_unit("person-times", denominator, per_people)),
    "Consumption-assistance sales": (compare("consumption_sales", per=1), yuan),
    "Firms brought in": (compare("firms_introduced"),
                         rate_unit("firms", denominator, per_people)),
    "Firm investment": (compare("firm_investment", per=1), yuan),
}
fig, axes = plt.subplots(3, 2, figsize=(13, 11))
for ax, (title, (table, xlabel)) in zip(axes.flat, outcomes.items(), strict=False):
    plotting.rate_chart(table, labels, programmes, ax=ax, title=title, xlabel=xlabel,
                        log=True)
axes.flat[-1].axis("off")
fig.tight_layout()
plotting.save(fig, "04_outcomes")

# %%
summary = pd.concat({t: tab.set_index("pairing_id")[["rate", "rate_low", "rate_high"]]
                     for t, (tab, _) in outcomes.items()}, axis=1).round(1)
summary.index = summary.index.map(labels)
summary

# %% [markdown]
# **What it shows.** Employment figures are the largest relative to population in the two
# Gansu prefectures (Dingxi about 900 and Longnan about 470 workers per 100 000 residents
# in 2022, most of them in local jobs), far above Qianjiang (about 66 a year). Training is
# densest in Pengshui (about 350 person-times per 100 000 per year since 2021). Pengshui's
# 4 601 workers and 1.38亿元 of sales have no period in the article and are not drawn.

# %% [markdown]
# ## Health services
#
# Every health figure in the articles belongs to one project or one medical team
# (`component` scope): they describe, they do not compare.

# %%
health = facts[facts["indicator"].astype(str).isin(
    ["patients_treated", "surgeries", "medical_fees_waived", "medical_techniques",
     "medical_activities"])]
health.assign(pairing=health["pairing_id"].astype(str).map(labels))[
    ["pairing", "indicator", "raw", "period_start", "period_end", "quote"]]

# %% [markdown]
# ## Do outcomes track inputs?
#
# For each outcome, the pairings that report both fiscal aid (notebook 3) and the outcome,
# with Spearman's rank correlation. With three or four pairings a rank correlation can only
# take a handful of values and no p-value means much; it is shown so that nobody computes it
# by hand and over-reads it.

# %%
fiscal = compare("fiscal_aid", per=1)
projects = compare("aid_projects")
rows, pairs = [], []
input_units = {"fiscal aid": f"fiscal aid, {yuan}",
               "aid projects": rate_unit("aid projects", denominator, per_people)}
for inp_name, inp in (("fiscal aid", fiscal), ("aid projects", projects)):
    for out_name, (table, _) in outcomes.items():
        merged, rho, p = intensity.rank_correlation(inp, table)
        rows.append({"input": inp_name, "outcome": out_name, "pairings": len(merged),
                     "spearman_rho": rho, "p_value": p})
        if len(merged) >= 3:
            pairs.append((inp_name, out_name, merged, rho, p))
correlations = pd.DataFrame(rows).round(2)
correlations

# %%
fig, axes = plt.subplots(1, len(pairs), figsize=(4.3 * len(pairs), 4), squeeze=False)
for ax, (inp_name, out_name, merged, rho, p) in zip(axes.flat, pairs, strict=True):
    ax.errorbar(merged["input"], merged["outcome"],
                xerr=[merged["input"] - merged["input_low"],
                      merged["input_high"] - merged["input"]],
                yerr=[merged["outcome"] - merged["outcome_low"],
                      merged["outcome_high"] - merged["outcome"]],
                fmt="o", color="#1b6ca8", ecolor="#9bbcd8", capsize=2)
    plotting.log_axis(ax, "x")
    plotting.log_axis(ax, "y")
    plotting.label_points(ax, merged["input"], merged["outcome"],
                          [labels[pid].split(" → ")[-1] for pid in merged["pairing_id"]])
    ax.set_xlabel(input_units[inp_name])
    ax.set_ylabel(f"{out_name}\n(per year, as in the panels above)", fontsize=9)
    ax.set_title(f"ρ = {rho:.2f}, exact p = {p:.2f}, n = {len(merged)}", fontsize=10)
fig.tight_layout()
plotting.save(fig, "04_input_outcome")

# %% [markdown]
# ## What this shows, and what it cannot
#
# * Outcomes per resident differ as widely as inputs, and the most recent East–West
#   relationships report the largest yearly employment figures.
# * The input–outcome comparisons rest on three or four pairings each. Even a perfect rank
#   correlation among three points has a p-value of 0.33; none of these numbers is evidence
#   that more aid produces more outcomes.
# * The figures are press-selected: an article prints the outcomes its authors found
#   impressive, so the absence of an outcome says nothing, and the presence of a large one
#   is partly why it was printed.
# * Outcomes such as "workers helped into jobs" are claims of the cooperating governments;
#   they do not say how many of those workers would have found work anyway.
