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
# Ten relationships, four programmes, start years from 1990 to 2021: this notebook profiles
# each pairing from its own article — programme type, since when, and the headline inputs and
# outputs with the words that state them.
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

plotting.setup()
facts = coopstats.load_facts()
articles = coopstats.load_articles().set_index("article_id")
pairings = coopstats.load_pairings()
places = coopstats.load_places().set_index("place_id")
indicators = coopstats.load_indicators().set_index("indicator_id")
labels = plotting.pairing_labels(pairings, places.reset_index())

# %% [markdown]
# ## The ten pairings

# %%
profile = pairings.assign(
    pairing=pairings["pairing_id"].map(labels),
    article_year=pairings["article_id"].astype(str).map(articles["pub_year"]),
    n_facts=pairings["pairing_id"].map(facts["pairing_id"].value_counts()),
)[["pairing", "programme", "start_year", "start_quote", "article_year", "n_facts"]]
profile

# %% [markdown]
# ## A timeline of the relationships
#
# Each bar runs from the start year *the article states* to the article's year. Two articles
# (Linyi–Chengkou and Liaocheng–Pengshui) state no start year; they are drawn as a dotted
# marker at the article year only, not given a guessed start.

# %%
colours = plotting.PROGRAMME_COLOURS
order = profile.sort_values(["start_year", "pairing"], na_position="last")
fig, ax = plt.subplots(figsize=(9, 4.8))
for i, row in enumerate(order.itertuples()):
    c = colours[row.programme]
    if pd.notna(row.start_year):
        ax.barh(i, row.article_year - row.start_year, left=row.start_year, color=c, height=0.55)
        ax.text(row.start_year - 0.4, i, str(row.start_year), va="center", ha="right", fontsize=8)
    else:
        ax.plot([row.article_year], [i], marker="o", mfc="white", mec=c, ms=8)
        ax.text(row.article_year - 0.6, i, "start not stated", va="center", ha="right",
                fontsize=8, color="#666")
ax.set_yticks(range(len(order)), order["pairing"])
ax.invert_yaxis()
ax.set_xlim(1984, 2027)
ax.set_xlabel("year")
handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
ax.legend(handles, [p.replace("_", " ") for p in colours], loc="lower left", fontsize=8,
          title="programme")
ax.set_title("Pairings by the start year their article states")
plotting.save(fig, "02_timeline")

# %% [markdown]
# ## Where they are: donors and recipients
#
# Plain longitude–latitude positions of the government seats (approximate, for orientation
# only); an arrow runs from each donor to its recipient. Qingdao's six relationships reach
# from Shandong to Tibet.

# %%
fig, ax = plt.subplots(figsize=(10, 5.6))
for row in pairings.itertuples():
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
# For each pairing, the largest pairing-level inputs and outputs the article reports (by the
# number of facts per indicator kind), each with its quote. Values are as printed; the later
# notebooks turn the comparable ones into rates.

# %%
kind = indicators["kind"].astype(str)
label_en = indicators["label_en"].astype(str)
top = (facts[facts["scope"] == "pairing"]
       .assign(kind=lambda d: d["indicator"].astype(str).map(kind),
               what=lambda d: d["indicator"].astype(str).map(label_en))
       .sort_values(["pairing_id", "kind", "value"], ascending=[True, True, False])
       .groupby("pairing_id", observed=True).head(headline_per_pairing))
for pid, rows in top.groupby("pairing_id", observed=True):
    print(f"\n{labels[pid]}")
    for r in rows.itertuples():
        period = (f"{r.period_start}–{r.period_end}" if pd.notna(r.period_start)
                  else (f"…–{r.period_end}" if pd.notna(r.period_end) else "undated"))
        print(f"  [{r.kind:7}] {r.what}: {r.raw} ({period}) — “{r.quote}”")

# %% [markdown]
# ## What this shows, and what it cannot
#
# * The programmes differ in kind and in age: Qingdao's support to Boxing (1990) and to the
#   Three Gorges and Tibet (1994) predates the current East–West round by three decades,
#   while Qingdao–Dingxi began in 2021. Totals "since the start" therefore cover very
#   different spans.
# * Headlines are what each article chose to print; a pairing without a fiscal-aid figure
#   here may well have given fiscal aid.
# * Positions are approximate seats of government and show direction and distance only.
