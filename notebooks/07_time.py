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
# # 7. Time and triangulation
#
# A cumulative total "since 2021" printed in 2023 says little about when the money came.
# Press and government sites report the same pairings again and again: the later reports,
# coded with their sources in `data/context/reports.csv`, turn a seed article's total into a
# series. East–West fiscal aid is appropriated per budget year, and the projects it finances
# are planned per budget year, so a total counts whole budget years (codebook P13): the
# series then bounds each year's allocation. The same reports say how many sources stand
# behind each headline figure.
#
# **Question.** How much was allocated in each budget year, where the reports allow it; what
# does that change in the intensity comparison of notebook 3; and how many independent
# sources support each headline figure?

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
base_year = 2023                       # constant-price year for yuan
denominator = "recipient_population"   # or "donor_population", "none"

# %%
import matplotlib.pyplot as plt
import pandas as pd

import coopstats
from coopstats.analysis.budget_years import allocations, panel, panel_rates
from coopstats.analysis.increments import calendar_years, increment_rates, increments, series
from coopstats.analysis.measures import MEASURES, compare
from coopstats.analysis.prose import between, num, say, span
from coopstats.analysis.triangulation import support
from coopstats.dataset.parameters import COUNTS, POPULATIONS, rate_unit
from coopstats.figures import charts, plotting

plotting.setup()
data = coopstats.load_all()  # every table, validated once
dingxi = "qingdao_dingxi"
YI = 1e8  # 亿: a hundred million yuan

# %% [markdown]
# Method (in `coopstats.analysis.increments` and `coopstats.analysis.triangulation`, both tested;
# the coding
# rules are the codebook's). An external report is coded like a fact: its raw figure, read by
# the same parser, its period by the rules P1–P10 with the report's own date, who paid and how
# far the money got, and one sentence of the report that prints the figure. For one measure
# and one pairing, the reports that count from the same start (the start most of them share)
# are ordered by the date each covers up to, and differenced from the start on: an increment's
# interval comes from the two figures' intervals, its duration from the two windows' end
# bounds. A report of the same figure over the same period (a republication) is linked to the
# first one and never counted twice; a later total below an earlier one is flagged, never
# averaged.
#
# Budget years (in `coopstats.analysis.budget_years`, tested): a total reported from a known start
# counts every budget year from that start to the year before the report, and the report's
# own year's allocation too if it had been issued by then (not before May; codebook P13).
# Each report is then a linear constraint on the years' allocations (none below zero), and
# the least and the most each run of years can hold follow by linear programming. A report
# that fits no whole number of budget years beside the others is flagged as a conflict and
# left out, not averaged.

# %% [markdown]
# ## The reports

# %%
reports = data.reports
pd.crosstab(reports["pairing_id"].astype(str).where(reports["pairing_id"].notna(),
                                                    "(province-wide)"),
            reports["source_side"].astype(str), margins=True, margins_name="all")

# %% tags=["hide-input"]
pairing_level = reports[reports["scope"] == "pairing"]
no_report = sorted(set(data.pairings["pairing_id"]) - set(reports["pairing_id"].astype(str)))
sides = reports["source_side"].astype(str).value_counts()
scopes = reports["scope"].astype(str).value_counts()
say(f"{len(reports)} figures from {reports['source_url'].nunique()} public reports: "
    f"{len(pairing_level)} of them pairing totals, {scopes.get('component', 0)} components (a "
    "project, an event or a county-level pair) and "
    f"{scopes.get('province', 0) + scopes.get('donor_all', 0)} province-wide figures (a "
    "province's aid to all its partners in one province, notebook 3's donor effort). "
    f"{int((reports['independent'] == 'no').sum())} rows come from "
    "a republication of a seed article. Rows from the recipient side's governments and media "
    f"number {sides.get('recipient', 0)}, from the donor side's {sides.get('donor', 0)}, "
    f"from central media {sides.get('central', 0)} and from other sites "
    f"{sides.get('other', 0)}. No report was found for "
    + ", ".join(data.labels[p] for p in no_report) + ".")

# %% [markdown]
# ## Qingdao–Dingxi: fiscal aid, report by report

# %%
aid = series(data, "fiscal_aid")
aid_dx = aid[aid["pairing_id"] == dingxi]
aid_dx[["source_id", "raw", "window", "kind", "flow_stage", "funder_level", "publisher"]]

# %% [markdown]
# The differences between successive totals (亿元), from report date to report date:

# %%
inc = increments(data, "fiscal_aid", dingxi)
shown = ["increment_low", "increment_mid", "increment_high"]
inc[["from_id", "to_id", "from_end", "to_end", *shown, "conflict", "caveat"]].assign(
    **{c: inc[c] / YI for c in shown}).round(2)

# %% [markdown]
# The same reports as counts of whole budget years: the blocks of years whose sum they bound
# (亿元), each with its average per budget year.

# %%
alloc = allocations(data, "fiscal_aid", dingxi)
money_cols = ["block_low", "block_mid", "block_high", "per_year_low", "per_year_mid",
              "per_year_high"]
blocks = alloc.drop_duplicates("block")
blocks[["block", "block_years", *money_cols, "sources", "flag"]].assign(
    **{c: blocks[c] / YI for c in money_cols}).round(3).reset_index(drop=True)

# %%
fig, axes = plt.subplots(2, 1, figsize=(8.5, 8), height_ratios=(1.1, 1))
left_out = [f.split(" (")[0][len("conflict: "):] for f in alloc["flag"]
            if str(f).startswith("conflict")]
charts.cumulative_chart(aid_dx, inc, ax=axes[0], scale=YI, ylabel="100 million yuan (亿元)",
                        title="Qingdao → Dingxi: fiscal aid since April 2021, as reported "
                              "(red: no whole budget years)",
                        flagged=tuple(left_out))
charts.budget_year_chart(alloc, ax=axes[1], scale=YI,
                         ylabel="100 million yuan per budget year",
                         title="What the reports say about each budget year's allocation "
                               "(nominal)")
fig.tight_layout()
plotting.save(fig, "07_dingxi_fiscal_aid")

# %% tags=["hide-input"]
first, middle, last = (blocks.iloc[k] for k in (0, 1, -1))
conflicts = [f for f in alloc["flag"] if str(f).startswith("conflict")]
gaps = inc.iloc[1:]
say(f"**What it shows.** Read in budget years, the reports fit a steady allocation: "
    f"{num(first['block_mid'] / YI, 3)}亿 for budget years {first['block']} (about "
    f"{num(first['per_year_mid'] / YI, 4)}亿 a year), {num(middle['block_mid'] / YI, 3)}亿 for "
    f"{middle['block']} (about {num(middle['per_year_mid'] / YI, 4)}亿 a year) and "
    f"{num(last['block_mid'] / YI, 3)}亿 for {last['block']}. Which year of a pair holds how "
    "much the reports do not say: only the pair's sum is bounded, and the panel's year-by-year "
    "amounts split it evenly (a prior).\n\n"
    + (f"**Flagged, not smoothed.** {conflicts[0][len('conflict: '):]}. " if conflicts else
       "No report conflicts with the others. ")
    + "Between report dates the totals grew unevenly, by "
    f"{between(gaps['increment_mid'].min() / YI, gaps['increment_mid'].max() / YI)}亿: a "
    "report falls before or after a year's allocation, so its date, not a change in the "
    "aid, decides what an increment holds.\n\n"
    "**What differs between reports.** "
    + "; ".join(f"{r.from_id} → {r.to_id}: {r.caveat}" for r in inc.itertuples() if r.caveat)
    + ". The latest total is money allocated, from an aggregator's summary of a news story; "
    "the earlier ones are money put in.")

# %% [markdown]
# ## Qingdao–Dingxi: projects

# %%
projects = series(data, "aid_projects")
projects_dx = projects[projects["pairing_id"] == dingxi]
inc_projects = increments(data, "aid_projects", dingxi)
alloc_projects = allocations(data, "aid_projects", dingxi)
alloc_projects.drop_duplicates("block")[["block", "block_years", "block_low", "block_high",
                                         "per_year_low", "per_year_mid", "per_year_high",
                                         "sources", "flag"]].round(1)

# %%
fig, axes = plt.subplots(2, 1, figsize=(8.5, 7.5), height_ratios=(1.1, 1))
charts.cumulative_chart(projects_dx, inc_projects, ax=axes[0], ylabel="projects", digits=0,
                        title="Qingdao → Dingxi: aid projects since April 2021, as reported")
charts.budget_year_chart(alloc_projects, ax=axes[1], ylabel="projects per budget year",
                         title="What the reports say about each budget year's projects")
fig.tight_layout()
plotting.save(fig, "07_dingxi_projects")

# %% tags=["hide-input"]
pb = alloc_projects.drop_duplicates("block")
say("In budget years: "
    + "; ".join(f"{r.block}: {between(r.block_low, r.block_high)} projects "
                f"({between(r.per_year_low, r.per_year_high)} a year)" for r in pb.itertuples())
    + ". Where a block's projects lie within an interval, it is because a report of May "
    "2025 may or may not count 2025's projects, and either reading fits the others. Projects "
    "are counted in ones, whatever their size, so a year of fewer, larger projects reads as "
    "a fall.")

# %% [markdown]
# ## Other pairings
#
# Every measure and pairing with two or more reports that count from the same start; the
# pairings and measures not listed have one such report at most.

# %%
flows = {k: m for k, m in MEASURES.items() if m.per_year}
chains = {}
for key, measure in flows.items():
    s = series(data, measure)
    counts = s.loc[s["kind"] == "cumulative", "pairing_id"].value_counts()
    for pid in sorted(counts[counts >= 2].index):
        incs = increments(data, measure, pid)
        if len(incs) >= 2 and (key, pid) not in (("fiscal_aid", dingxi),
                                                  ("aid_projects", dingxi)):
            chains[key, pid] = (s[s["pairing_id"] == pid], incs)
pd.concat({k: v[1][["from_id", "to_id", "from_end", "to_end", "increment_low",
                    "increment_mid", "increment_high", "conflict", "caveat"]]
           for k, v in chains.items()}, names=["measure", "pairing", "step"]).round(0)

# %%
fig, axes = plt.subplots(1, len(chains), figsize=(4.6 * len(chains), 4.4), squeeze=False)
for ax, ((key, pid), (rows, incs)) in zip(axes[0], chains.items(), strict=True):
    measure = MEASURES[key]
    money = measure.unit == "CNY"
    charts.cumulative_chart(rows, incs, ax=ax, scale=YI if money else 1,
                            digits=2 if money else 0,
                            ylabel="100 million yuan (亿元)" if money else measure.quantity,
                            title=f"{data.labels[pid]}\n{measure.label}")
    ax.tick_params(axis="x", labelsize=8)
fig.tight_layout()
plotting.save(fig, "07_other_chains")

# %% tags=["hide-input"]
table = pd.concat({k: v[1] for k, v in chains.items()}, names=["measure", "pairing", "step"])
later_steps = table[table["from_id"] != "start"]
say(f"{len(chains)} more series have two reports from one start. "
    + "; ".join(f"{data.labels[p]}, {MEASURES[k].label.lower()}: {r.from_raw} ({r.from_end}) "
                f"→ {r.to_raw} ({r.to_end}), an increment of "
                f"{between(r.increment_low, r.increment_high)}"
                for (k, p, _), r in zip(later_steps.index, later_steps.itertuples(),
                                        strict=True))
    + ". An increment that may be below zero is two figures that may not differ (a rounded "
    "`多` covers the later count); only a total certainly below the one before is a "
    + (f"conflict, and {int(table['conflict'].sum())} are flagged here."
       if table["conflict"].any() else "conflict, and there is none here.")
    + (" Workers moved to jobs (转移就业) are counted by the assessment year by year, so a "
       "cumulative count adds person-years, and its increment is person-years, not that many "
       "new people." if "labour_transfer" in {k for k, _ in chains} else ""))

# %% [markdown]
# ## What budget years change in the intensity comparison
#
# Notebook 3 ranks Dingxi's fiscal aid by its only figure then, the total since 2021 over
# the two budget years it counts. The later reports give the budget years after it, each
# block's average a budget year divided by one year per budget year.

# %%
# a budget year's rate is per resident, per county or a total (not a share: see notebook 3)
per_whom = denominator if denominator in (*POPULATIONS, *COUNTS, "none") else \
    "recipient_population"
money = rate_unit(f"{base_year} yuan", per_whom)
per_budget_year = panel_rates(alloc, data, base_year=base_year, denominator=per_whom)
per_budget_year.drop_duplicates("block")[["block", "rate_low", "rate_mid", "rate_high"]] \
    .round(1).reset_index(drop=True)

# %% tags=["hide-input"]
nb3 = compare(data, "fiscal_aid", base_year=base_year, denominator=per_whom,
              funders="any", stages="any").table.set_index("pairing_id")
by_block = per_budget_year.drop_duplicates("block")
continuous = increment_rates(inc, data, "fiscal_aid", base_year=base_year,
                             denominator=per_whom).iloc[1:]
spread = calendar_years(inc).set_index("year")["amount_mid"].iloc[1:-1] / YI
steady = by_block["rate_mid"].max() / by_block["rate_mid"].min() - 1 < 0.1
say((f"Rates here are {money}" + ("" if per_whom == denominator else
                                   f" (`{denominator}` is a share: notebook 3 shows it)")
     + ". ")
    + (f"Notebook 3's rate for Dingxi is {num(nb3.loc[dingxi, 'rate_mid'])} a budget year "
       f"({nb3.loc[dingxi, 'window']}); " if dingxi in nb3.index else
       "Notebook 3 has no rate for Dingxi with this denominator; ")
    + "the blocks give "
    + ", ".join(f"{num(r.rate_mid)} ({r.block})" for r in by_block.itertuples())
    + (". The seed article's average was not a burst at the start: the allocation stayed "
       "within a tenth of it through 2025, so Dingxi's place in notebook 3's ranking does "
       "not rest on a lucky window.\n\n" if steady else
       ". The allocation moved by more than a tenth between blocks: the seed article's "
       "window was not typical.\n\n")
    + "The continuous reading (prior `uniform`: money spread evenly between report dates) "
    "would instead print stretch rates from "
    f"{num(continuous['rate_mid'].min())} to {num(continuous['rate_mid'].max())} and "
    f"calendar years of {span(spread.min(), spread.max())}亿: artefacts of where the reports "
    "fall in the budget cycle, not findings.")

# %% [markdown]
# ## The pairing × budget-year panel
#
# Every pairing and budget-year measure, block by block (the panel itself, one row per
# pairing, measure and budget year, is `coopstats.analysis.budget_years.panel`, exported by
# `coopstats export --tables panel`). A block that no report bounds from above is listed as
# not bounded.

# %%
whole_panel = panel(data)
whole_panel.drop_duplicates(["pairing_id", "measure", "block"])[
    ["pairing_id", "measure", "block", "block_years", "per_year_low", "per_year_mid",
     "per_year_high", "sources", "flag"]].round(0).reset_index(drop=True)

# %% tags=["hide-input"]
bounded = whole_panel[whole_panel["block_high"] < float("inf")]
multi = bounded.groupby(["pairing_id", "measure"])["block"].nunique()
several = [f"{data.labels[p]} ({MEASURES[m].label.lower()})" for p, m in multi[multi > 1].index]
say(f"{whole_panel['pairing_id'].nunique()} pairings have a budget-year measure; "
    f"{len(several)} pairing-measures have more than one bounded block "
    f"({', '.join(several)}); "
    "the others have one total, and their panel only spreads it over the budget years it "
    "counts.")

# %% [markdown]
# ## How many sources support each headline figure
#
# A headline figure is an achieved, pairing-level figure of a measure the notebooks compare.
# Its sources are its seed article and every report of the same number over the same period;
# a republication is a source but not an independent one. Later totals of the same measure
# and start are counted beside it, and those below it (conflicts).

# %%
backing = support(data)
backing

# %% tags=["hide-input"]
alone = backing[(backing["independent"] == 1) & (backing["republications"] == 0)]
republished = backing[backing["republications"] > 0]
followed = backing[backing["later_totals"] > 0]
second = backing[backing["independent"] > 1]
below = int(followed["later_below"].sum()) if len(followed) else 0
say(f"{len(alone)} of {len(backing)} headline figures rest on their seed article alone. "
    + "".join(f"{len(g)} of {data.labels[p]} ({', '.join(g['raw'])}) are printed again in a "
              "republication of the seed article, a copy and not a second source. "
              for p, g in republished.groupby("pairing_id"))
    + f"{len(followed)} are followed by later totals from the same start, "
    + (f"{below} of which fall below them. " if below else "none of them lower. ")
    + (f"{len(second)} have a second independent source for the same number and period."
       if len(second) else "None has a second independent source for the same number and "
       "period: the later reports extend the figures in time rather than confirm them."))

# %% [markdown]
# ## What this shows, and what it cannot

# %% tags=["hide-input"]
no_chain = sorted({p for p in data.pairings["pairing_id"]} - {p for _, p in chains} - {dingxi})
say("* Read in budget years, successive totals date the money: for Qingdao–Dingxi the "
    f"allocation stayed near {num(first['per_year_mid'] / YI, 3)}亿 a budget year (about "
    f"{num(by_block['rate_mid'].min())} to {num(by_block['rate_mid'].max())} in {money}), "
    "with one report that fits no whole number of budget years, flagged.\n"
    "* An increment is only as good as the two totals: wording changes between them (money "
    "put in, allocated or secured; who paid), and the newest figure comes through an "
    "aggregator's summary. The caveat column says what differs; a conflict is shown, not "
    "resolved.\n"
    "* Within a block the reports bound only the sum: the year-by-year amounts split it "
    "evenly, a prior, not a finding.\n"
    f"* {len(no_chain)} pairings have no two totals from one start "
    f"({', '.join(data.labels[p] for p in no_chain)}); their totals stay single numbers over "
    "long windows, and notebook 3's era caveats stand.\n"
    f"* {sides.get('recipient', 0)} of {len(reports)} report rows come from the recipient "
    "side, which has its own reasons to print large figures; "
    + (f"{len(second)} headline figures have an independent second source. "
       if len(second) else "no headline figure has an independent second source: "
       "triangulation here can extend a series in time, not verify a number.")
    + "\n* Before a pairing's first report there is only its start: the first increment is "
    "always an average over the years since the start.")
