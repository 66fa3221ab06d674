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
# # 5. How much do the conclusions depend on coding choices?
#
# Every rate in notebooks 3 and 4 rests on choices: `1.3万余` is somewhere in [13 000,
# 14 000); `近年来` began somewhere between the pairing's start and the article's year; money
# was spent at some pace over its period. This notebook draws all those unknowns at random
# (Monte Carlo, seeded so every rerun gives the same numbers) and asks which rankings
# survive.
#
# **Question.** How likely is each pairing to rank first or last on each intensity measure,
# and which conclusions hold whatever the coding choices?

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
base_year = 2023
denominator = "recipient_population"
per_people = 100_000
n_draws = 10_000
seed = 20231123

# %%
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

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

measures = {  # name: (comparable group, unit filter, per, annualise)
    "fiscal aid": ("fiscal_aid", None, 1, True),
    "aid projects": ("aid_projects", None, per_people, True),
    "people trained": ("people_trained", "person_time", per_people, True),
    "workers into jobs": ("employment", None, per_people, True),
    "consumption sales": ("consumption_sales", None, 1, True),
}
per_whom = rate_unit("rates", denominator)  # ranks do not depend on base_year or per_people


def rank_table(facts_used, name, group, unit, per, annual):
    parts = intensity.pairing_rates(facts_used, indicators, pairings, context, cpi,
                                    group=group, unit=unit, base_year=base_year,
                                    denominator=denominator, per=per, per_year=annual)
    draws = intensity.simulate_rates(parts, cpi, base_year=base_year, n=n_draws, seed=seed)
    by_pairing, ids = intensity.combine_draws(draws, parts)
    probs = intensity.rank_probabilities(by_pairing, ids)
    probs = probs[probs["median_rank"].notna()]
    return probs.assign(measure=name, pairing=probs.index.map(labels))


# %% [markdown]
# ## Probability of ranking first and last
#
# Each draw takes every figure uniformly within its interval, every open period's first
# year uniformly between the pairing's stated start and the article year, and a duration
# within that period (first and last years may be partial). Pairings that cannot be
# annualised take no part.

# %%
probs = pd.concat([rank_table(facts, name, *spec) for name, spec in measures.items()])
probs[["measure", "pairing", "p_first", "p_last", "median_rank"]].round(3)

# %%
heat = probs.pivot_table(index="pairing", columns="measure", values="p_first")
fig, axes = plt.subplots(1, 2, figsize=(14, 4.8), sharey=True)
for ax, col, title in ((axes[0], "p_first", "P(ranks first)"),
                       (axes[1], "p_last", "P(ranks last)")):
    table = probs.pivot_table(index="pairing", columns="measure", values=col)
    table = table.reindex(index=heat.index, columns=list(measures))
    sns.heatmap(table, annot=True, fmt=".2f", cmap="Blues", vmin=0, vmax=1, cbar=False,
                linewidths=0.5, xticklabels=True, yticklabels=True, ax=ax)
    ax.grid(False)
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticklabels([m.replace(" per ", "\nper ") for m in measures], rotation=0,
                       fontsize=8)
fig.suptitle(f"Rank probabilities of {per_whom} over {n_draws:,} draws (seed {seed}); "
             "blank: not reported", x=0.01, ha="left", fontsize=11)
fig.tight_layout()
plotting.save(fig, "05_rank_probabilities")

# %% [markdown]
# ## One coding choice made explicit: what does "近年来" mean?
#
# Dezhou–Xiushan's fiscal aid (2.8亿元) is dated only `近年来` ("in recent years"). The
# dataset leaves the start open. Two readings a coder might defend: the current round of
# East–West cooperation (2021–2023), or the whole relationship (2011–2023).

# %%
fiscal_id = facts.loc[(facts["pairing_id"] == "dezhou_xiushan")
                      & (facts["indicator"] == "fiscal_aid_funds")
                      & (facts["scope"] == "pairing"), "fact_id"].item()
readings = {"open (as coded)": facts,
            "2021–2023": intensity.scenario(facts, {fiscal_id: (2021, 2023)}),
            "2011–2023": intensity.scenario(facts, {fiscal_id: (2011, 2023)})}
scen = pd.concat([rank_table(f, reading, "fiscal_aid", None, 1, True)
                  for reading, f in readings.items()])
scen.pivot_table(index="pairing", columns="measure", values="p_first").round(3)

# %% [markdown]
# ## Which conclusions survive?
#
# * **Robust:** Qingdao–Yiling ranks last on fiscal aid per resident-year in every draw and
#   under every reading of `近年来`; Qingdao–Boxing ranks last on projects per year in every
#   draw, with Qingdao–Yiling next to last. Qingdao–Dingxi ranks first on workers placed in
#   jobs in every draw.
# * **Not robust:** which pairing received the most fiscal aid per resident-year. Dingxi
#   ranks first in about 70 % of draws as coded; read as 2021–2023, Dezhou–Xiushan's aid
#   becomes the most intense in every draw, read as 2011–2023 it never is.
# * The first rank on people trained (Pengshui against Xiushan) and on projects per year
#   likewise turns on how Dezhou–Xiushan's undated totals are read.
# * What no simulation can repair: figures the articles do not print, and figures printed
#   because they were large. The probabilities are conditional on the coded figures being
#   the true totals for their periods.
