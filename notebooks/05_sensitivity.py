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
# # 5. How much do the rankings depend on what the coding leaves open?
#
# Every rate in notebooks 3 and 4 is known only within bounds: `1.3万余` is somewhere in
# `[13 000, 14 000)`; `近年来` began somewhere between the pairing's start and two years before
# the article (or the year the external layer bounds it to, codebook P14); a window ends
# somewhere in the article's month or year, and a total of fiscal aid may or may not hold its
# report's own budget year (P13). This notebook draws those unknowns at random (Monte Carlo,
# seeded: every rerun gives the same numbers) and asks how often each pairing ranks first
# and last.
#
# How likely each value within its bounds is, is a **prior**, not a finding. The priors are
# named in one place (`coopstats.analysis.priors`); every probability here is computed under each of
# them, and the conclusions say which ones survive all of them.
#
# **Question.** Which rankings hold whatever the coding leaves open, and which turn on an
# assumption?

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
base_year = 2023
denominator = "recipient_population"   # a population, a share (yuan only) or "none"
n_draws = 10_000
seed = 20231123

# %%
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

import coopstats
from coopstats.analysis import sensitivity
from coopstats.analysis.measures import compare_every
from coopstats.analysis.priors import DEFAULT, PRIORS
from coopstats.analysis.prose import say, share
from coopstats.figures import plotting

plotting.setup()
data = coopstats.load_all()  # every table, validated once

# %% [markdown]
# ## The priors

# %%
pd.DataFrame([{"prior": p.name, "assumes": p.description} for p in PRIORS.values()])

# %% [markdown]
# ## The measures ranked
#
# Every measure of notebooks 3 and 4 that two pairings or more report, with how many it
# ranks (with two, "last" is just "not first") and whether its windows span eras.

# %%
comparisons, refused = compare_every(data, base_year=base_year, denominator=denominator,
                                     stages="commonest")
ranked = {k: c for k, c in comparisons.items() if len(c.table) >= 2}
if refused:
    say("Refused, as a donor's effort over figures of unlike funders: "
        + "; ".join(refused.values()) + ".")
pd.DataFrame([{"measure": c.measure.label, "kind": c.measure.kind, "pairings": len(c.table),
               "stage": ", ".join(sorted(set(c.table["flow_stage"].astype(str)))),
               "cross-era": c.cross_era,
               "external": int((c.table["origin"] == "report").sum())}
              for c in ranked.values()])

# %% tags=["hide-input"]
staged = {k: c.left_out[c.left_out["reason"].astype(str).str.startswith("flow stage")
                        & ~c.left_out["pairing_id"].isin(c.table["pairing_id"])]
          for k, c in comparisons.items()}  # pairings that have no figure of the stage
say("A ranking never mixes flow stages: where a measure's figures are of unlike stages, only "
    "the stage most pairings' figures are of is ranked (`stages=\"commonest\"`), and the "
    "others are left out: "
    + ("; ".join(f"{comparisons[k].measure.label}, {comparisons[k].table['flow_stage'].iloc[0]}"
                 " only (left out: " + ", ".join(sorted(
                     {f"{data.labels[str(p)]} ({st})" for p, st in
                      zip(g["pairing_id"], g["flow_stage"], strict=True)})) + ")"
                 for k, g in staged.items() if len(g) and len(comparisons[k].table))
       or "none here") + ".")

# %%
results, drawn_by = {}, {}
for name, prior in PRIORS.items():
    drawn = drawn_by[name] = sensitivity.draws(list(ranked.values()), data, prior=prior,
                                               n=n_draws, seed=seed, base_year=base_year)
    results[name] = pd.concat({k: sensitivity.rank_probabilities(v) for k, v in drawn.items()},
                              names=["measure", "pairing_id"])
probs = pd.concat(results, names=["prior"]).reset_index()
probs["pairing"] = probs["pairing_id"].map(data.labels)
probs["measure"] = probs["measure"].map({k: c.measure.label for k, c in ranked.items()})
probs[probs["prior"] == DEFAULT.name][["measure", "pairing", "n", "p_first", "p_last",
                                       "median_rank"]].round(3)

# %%
default = probs[probs["prior"] == DEFAULT.name]
columns = [plotting.wrap_label(c.measure.label, 12) + f"\n(n = {len(c.table)})"
           for c in ranked.values()]
fig, axes = plt.subplots(1, 2, figsize=(15, 5.2), sharey=True)
for ax, col, title in ((axes[0], "p_first", "P(ranks first)"),
                       (axes[1], "p_last", "P(ranks last)")):
    table = default.pivot_table(index="pairing", columns="measure", values=col)
    table = table[[c.measure.label for c in ranked.values()]]
    table.columns = columns
    sns.heatmap(table, annot=True, fmt=".2f", cmap="Blues", vmin=0, vmax=1, cbar=False,
                linewidths=0.5, xticklabels=True, yticklabels=True, ax=ax)
    ax.grid(False)
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", labelsize=7.5, rotation=0)
fig.suptitle(f"Rank probabilities under the '{DEFAULT.name}' prior, {n_draws:,} draws "
             f"(seed {seed}); blank: the pairing has no comparable figure for the measure "
             "(not reported, or not in this measure's unit, type or window)",
             x=0.01, ha="left", fontsize=10)
fig.tight_layout()
plotting.save(fig, "05_rank_probabilities")

# %% [markdown]
# ## How the probabilities move between priors
#
# The probability that each measure's leader (under the default prior) ranks first, under
# every prior.

# %%
leaders = default.loc[default.groupby("measure")["p_first"].idxmax(), ["measure", "pairing_id"]]
moves = probs.merge(leaders, on=["measure", "pairing_id"]).pivot_table(
    index=["measure", "pairing_id"], columns="prior", values="p_first")[list(PRIORS)]
moves.round(3)

# %%
fig, ax = plt.subplots(figsize=(8, 0.5 * len(moves) + 1.5))
y = range(len(moves))
for name, marker in zip(PRIORS, ("o", "s", "^", "D", "v", "P", "X", "*"), strict=True):
    ax.scatter(moves[name], y, marker=marker, s=40, label=name, alpha=0.8)
ax.set_yticks(list(y), [f"{m}: {data.labels[p].split(' → ')[-1]}" for m, p in moves.index])
ax.set_xlim(-0.03, 1.03)
ax.set_xlabel("P(ranks first) for the default prior's leader")
ax.legend(title="prior", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
ax.set_title("How the leader's probability moves between priors")
plotting.save(fig, "05_priors")

# %% tags=["hide-input"]
value_priors = [n for n, p in PRIORS.items() if p.values != "printed"]
moved = moves[value_priors].sub(moves[DEFAULT.name], axis=0).abs().max()
say("**The printed intervals against the two readings of a figure's value.** "
    + "; ".join(f"`{n}` ({PRIORS[n].description.split('but ', 1)[-1]}) moves the leader's "
                f"P(ranks first) by at most {share(moved[n])}" for n in value_priors)
    + f". The default, `{DEFAULT.name}`, keeps the printed intervals: they are what the "
    "print guarantees, and every notebook's central estimate is their midpoint; the lower "
    "half is a reading of writers' habits that these articles cannot test.")

# %% tags=["hide-input"]
counted_both = sorted(set(data.context.loc[data.context["indicator"] == "registered_population",
                                           "place_id"].astype(str)))
say("**Census or registered people.** Under `registered` the populations of "
    + " and ".join(data.places.set_index("place_id").loc[counted_both, "name_en"].astype(str))
    + " lie anywhere between their census count and their registered (户籍) population "
    "(the only recipients with both in hand); it moves the leader's P(ranks first) by at most "
    f"{share((moves['registered'] - moves[DEFAULT.name]).abs().max())}. The other "
    "recipients keep their census count, so this is not a full population sensitivity: it "
    "shows only whether the two counties with the gap in hand could change places.")

# %% tags=["hide-input"]
# the same seed draws the same windows and values under both: the ratio is the index alone
in_yuan = [k for k, c in ranked.items() if c.measure.unit == "CNY"
           and c.table["denominator_value"].isna().all()]
ratios = [(drawn_by["gdp_deflator"][k] / drawn_by[DEFAULT.name][k]).stack() for k in in_yuan]
leader_moved = share((moves["gdp_deflator"] - moves[DEFAULT.name]).abs().max())
if ratios:
    ratio = pd.concat(ratios)
    how = (f"a yuan rate moves by a factor of {ratio.min():.3f} to {ratio.max():.3f} over "
           f"the draws of the {len(in_yuan)} measures counted in yuan, and the leader's "
           f"P(ranks first) by at most {leader_moved}")
else:
    how = f"no measure ranked here is deflated (a share of {denominator} is not)"
say("**CPI or GDP deflator.** Under `gdp_deflator` yuan are brought to "
    f"{base_year} prices with the national GDP deflator (World Bank; its series ends in "
    f"{int(data.gdp_deflator['year'].max())}, later years held at that level) instead of "
    f"the CPI: {how}. Every other notebook deflates with the CPI; an investment price index "
    "would be closer still to what the money buys, but no series of it to 2023 was found.")

# %% [markdown]
# ## Which conclusions survive?

# %% tags=["hide-input"]
lines = []
for (measure, pid), row in moves.iterrows():
    c = next(c for c in ranked.values() if c.measure.label == measure)
    low, high = row.min(), row.max()
    who = data.labels[pid]
    if low >= 0.95:  # (one flow stage per ranking: compare_every(stages="commonest"))
        where = "every draw" if low == 1 else f"at least {share(low)} of draws"
        what = f"**robust**: {who} ranks first in {where} under every prior"
    elif high - low >= 0.2:
        what = (f"**turns on the prior**: {who} ranks first in {share(low)} to "
                f"{share(high)} of draws, depending on the prior")
    else:
        what = f"**not settled**: {who} ranks first in {share(low)}–{share(high)} of draws"
    era = " Its windows span eras, so the ranking also measures era and window length." \
        if c.cross_era else ""
    n_ext = int((c.table["origin"] == "report").sum())
    era += (f" {n_ext} of its pairings rest on the external layer (grade C)."
            if n_ext else "")
    lines.append(f"* {measure} ({len(c.table)} pairings): {what}.{era}")
say("\n".join(lines) + "\n\n"
    "What no simulation repairs: figures the articles do not print, and figures printed "
    "because they were large. The probabilities are conditional on the coded figures being "
    "the true totals for their windows, and on the prior.")
