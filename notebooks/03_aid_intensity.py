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
# # 3. Aid intensity
#
# How much did each donor give relative to the size of its partner and the length of the
# relationship? Totals "since 1994" and "since 2021" cannot be compared as printed; this
# notebook turns the comparable inputs into rates per year, per resident, in constant yuan,
# and shows every interval the coding leaves open.
#
# **Question.** Which pairings received the most fiscal aid, projects and pairing ties per
# resident and year, and does the programme type make a visible difference?
#
# Method (all in `coopstats.intensity`, tested): only `scope == "pairing"` and `achieved`
# figures; one comparable group at a time (the library refuses to mix fiscal aid with pooled
# funds or firm investment); a period `start–end` lasted between *n − 1* and *n* years;
# `近年来` ("in recent years") is open back to the pairing's stated start; amounts are spread
# evenly over their years and deflated with the national CPI; the denominator is the
# recipient's 2020 census population.

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
base_year = 2023                       # constant-price year for yuan
denominator = "recipient_population"   # or "donor_population", "none"
per_people = 100_000                   # counts are expressed per this many residents

# %%
import matplotlib.pyplot as plt

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

# %% [markdown]
# ## Fiscal aid per resident and year
#
# Four articles print a pairing-level total of fiscal aid. The dot is the central value; the
# bar spans the interval from the figure's qualifier and from the period (for Dezhou–Xiushan
# the article says only `近年来`, so the period may be anything from one to thirteen years,
# and the bar is long accordingly).

# %%
fiscal_parts = intensity.pairing_rates(facts, indicators, pairings, context, cpi,
                                       group="fiscal_aid", base_year=base_year,
                                       denominator=denominator)
fiscal = intensity.combine(fiscal_parts)
fiscal.assign(pairing=fiscal["pairing_id"].map(labels))[
    ["pairing", "rate", "rate_low", "rate_high", "periods", "fact_ids"]].round(1)

# %%
ax = plotting.rate_chart(fiscal, labels, programmes, log=True, title="Fiscal aid",
                         xlabel=rate_unit(f"{base_year} yuan", denominator))
plotting.save(ax.figure, "03_fiscal_aid_per_resident_year")

# %% [markdown]
# **What it shows.** Qingdao's aid to Dingxi since 2021 is the most intense per resident and
# year (about 146 yuan, interval 121–182), roughly three times Rizhao's to Qianjiang over
# 2010–2023 (about 48) and twenty times Qingdao's to Yiling over 29 years (about 8). The
# Dezhou–Xiushan interval covers all of them except Yiling: whether it is first or second
# depends entirely on how long "近年来" is.
#
# **What it cannot show.** Six pairings print no pairing-level fiscal-aid total, so they
# are absent, not zero. The Yiling figure covers 1994–2023 in nominal yuan of very different
# years; deflating assumes even spending, which the article does not state.

# %% [markdown]
# ## East–West cooperation versus other programme types

# %%
by_prog = fiscal.assign(programme=fiscal["pairing_id"].map(programmes))
by_prog.groupby("programme")[["rate", "rate_low", "rate_high"]].agg(["count", "median"]).round(1)

# %% [markdown]
# Three East–West pairings against one Three Gorges pairing: the East–West rates are higher,
# but with one pairing on the other side this is a description of four relationships, not
# evidence about programme types. Tibet and intra-provincial pairings print no fiscal-aid
# totals at all.

# %% [markdown]
# ## Breadth: projects, pairing ties, people

# %%
projects = intensity.combine(intensity.pairing_rates(
    facts, indicators, pairings, context, cpi, group="aid_projects", base_year=base_year,
    denominator=denominator, per=per_people))
ties = intensity.combine(intensity.pairing_rates(
    facts, indicators, pairings, context, cpi, group="pairing_ties", base_year=base_year,
    denominator=denominator, per=per_people, per_year=False))
fig, axes = plt.subplots(1, 2, figsize=(13, 4.2))
plotting.rate_chart(projects, labels, programmes, ax=axes[0], log=True,
                    title="Aid projects per year",
                    xlabel=rate_unit("projects", denominator, per_people))
plotting.rate_chart(ties, labels, programmes, ax=axes[1],
                    title="Pairing ties (a stock, not annualised)",
                    xlabel=rate_unit("ties", denominator, per_people, per_year=False))
fig.tight_layout()
plotting.save(fig, "03_breadth")

# %% [markdown]
# Six pairings report a count of aid projects. Dingxi, Pengshui and (with a wide interval)
# Xiushan lead at about 6–7 projects per 100 000 residents per year, Qianjiang follows at
# about 3, and the two long-running Qingdao relationships (Yiling, Boxing) are below one.
# Pairing ties are a stock counted at one moment: Chengkou's 40 ties for its
# 200 000 residents give the densest network of the three that print a total.
# Liaocheng–Pengshui prints ties only by type (no total), so it is left out here rather than
# summed by us.

# %% [markdown]
# ## People exchanged
#
# Cadres, professionals, school staff and agricultural experts sent between the two sides.
# Articles count them in persons (人) or person-times (人次), which cannot be added, so they
# are listed rather than ranked.

# %%
exchanged = facts[(facts["scope"] == "pairing") & facts["indicator"].astype(str).isin(
    indicators.loc[indicators["comparable_group"] == "people_exchanged", "indicator_id"])]
exchanged.assign(pairing=exchanged["pairing_id"].astype(str).map(labels))[
    ["pairing", "indicator", "raw", "unit", "period_start", "period_end", "quote"]]

# %% [markdown]
# ## Donor-wide figures stay out
#
# Figures Qingdao reports for all its partners together (e.g. 9.09亿元 of consumption
# assistance in 2022) are coded with scope `donor_all` and never enter a per-pairing rate:

# %%
facts[facts["scope"].isin(["donor_all", "province"])][
    ["fact_id", "scope", "subject_id", "indicator", "raw", "quote"]]

# %% [markdown]
# ## What this shows, and what it cannot
#
# * Intensity differs by more than an order of magnitude between pairings, and the newest
#   East–West relationship (Qingdao–Dingxi) is the most intense per resident and year.
# * Long relationships look less intense per year partly because their totals are in older,
#   smaller yuan and include years of lower activity; per-year averages hide timing.
# * The period is as uncertain as the amount: "近年来" alone spans an order of magnitude of
#   annual intensity. Notebook 5 asks which rankings survive that uncertainty.
# * Four or six pairings, chosen by what journalists printed, are not a sample of the
#   programmes: nothing here estimates a programme effect.
