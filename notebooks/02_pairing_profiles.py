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
from coopstats import plotting
from coopstats.prose import say
from coopstats.totals import pairing_figures

plotting.setup()
data = coopstats.load_all()  # every table, validated once
places = data.places.set_index("place_id")
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
# Plain longitude–latitude positions of the government seats (approximate, for orientation
# only); an arrow runs from each donor to its recipient. Qingdao's relationships reach from
# Shandong to Tibet.

# %%
fig, ax = plt.subplots(figsize=(10, 5.6))
for row in data.pairings.itertuples():
    d, r = places.loc[str(row.donor_id)], places.loc[str(row.recipient_id)]
    ax.annotate("", xy=(r["longitude"], r["latitude"]), xytext=(d["longitude"], d["latitude"]),
                arrowprops=dict(arrowstyle="-|>", color=colours[row.programme], lw=1.4,
                                shrinkA=4, shrinkB=4, connectionstyle="arc3,rad=0.12"))
shown = places[places["role"].isin(["donor", "recipient"])]
# label offsets (degrees) where neighbouring places would collide
nudge = {"linyi": (-0.3, -0.9), "pengshui": (-4.2, -0.75), "qianjiang": (0.3, 0.2),
         "heze": (-2.4, -0.8), "liaocheng": (-4.6, 0.1), "rizhao": (0.3, -0.6),
         "dezhou": (-4.2, 0.35), "boxing": (0.4, 0.3)}
for pid, p in shown.iterrows():
    donor = p["role"] == "donor"
    ax.scatter(p["longitude"], p["latitude"], s=60 if donor else 35,
               marker="s" if donor else "o", color="#222" if donor else "white",
               edgecolor="#222", zorder=3)
    dx, dy = nudge.get(pid, (0.3, 0.25))
    ax.text(p["longitude"] + dx, p["latitude"] + dy,
            plotting.label(plotting.short_zh(p["name_zh"]), p["name_en"]), fontsize=8)
ax.set_xlabel("longitude (°E)")
ax.set_ylabel("latitude (°N)")
ax.set_aspect(1.15)
ax.set_ylim(26.5, 40.5)
ax.legend([*handles, plt.Line2D([], [], marker="s", color="#222", ls=""),
           plt.Line2D([], [], marker="o", mfc="white", mec="#222", ls="")],
          [*(p.replace("_", " ") for p in colours), "donor", "recipient"],
          loc="upper left", fontsize=8, ncol=2)
ax.set_title("Donors (squares) and recipients (circles)")
plotting.save(fig, "02_map")

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
    "* Positions on the map are approximate seats of government and show direction and "
    "distance only.")
