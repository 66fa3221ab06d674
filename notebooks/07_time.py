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
# series, and the differences between successive totals into increments, each with its
# interval. The same reports say how many sources stand behind each headline figure.
#
# **Question.** When did the money and the projects come, where the reports allow a
# year-by-year picture; what does that change in the intensity comparison of notebook 3; and
# how many independent sources support each headline figure?

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
base_year = 2023                       # constant-price year for yuan
denominator = "recipient_population"   # or "donor_population", "none"

# %%
import matplotlib.pyplot as plt
import pandas as pd

import coopstats
from coopstats import charts, plotting
from coopstats.increments import (
    annual_checks,
    calendar_years,
    increment_rates,
    increments,
    series,
)
from coopstats.intensity import rates
from coopstats.measures import MEASURES, compare
from coopstats.parameters import rate_unit
from coopstats.prose import between, num, say, span
from coopstats.triangulation import support

plotting.setup()
data = coopstats.load_all()  # every table, validated once
dingxi = "qingdao_dingxi"
YI = 1e8  # 亿: a hundred million yuan

# %% [markdown]
# Method (in `coopstats.increments` and `coopstats.triangulation`, both tested; the coding
# rules are the codebook's). An external report is coded like a fact: its raw figure, read by
# the same parser, its period by the rules P1–P10 with the report's own date, who paid and how
# far the money got, and one sentence of the report that prints the figure. For one measure
# and one pairing, the reports that count from the same start (the start most of them share)
# are ordered by the date each covers up to, and differenced from the start on: an increment's
# interval comes from the two figures' intervals, its duration from the two windows' end
# bounds. A report of the same figure over the same period (a republication) is linked to the
# first one and never counted twice; a later total below an earlier one is flagged, never
# averaged.

# %% [markdown]
# ## The reports

# %%
reports = data.reports
pd.crosstab(reports["pairing_id"].astype(str), reports["source_side"].astype(str),
            margins=True, margins_name="all")

# %% tags=["hide-input"]
pairing_level = reports[reports["scope"] == "pairing"]
no_report = sorted(set(data.pairings["pairing_id"]) - set(reports["pairing_id"].astype(str)))
sides = reports["source_side"].astype(str).value_counts()
say(f"{len(reports)} figures from {reports['source_url'].nunique()} public reports, "
    f"{len(pairing_level)} of them pairing totals, the others components (a project, an event "
    f"or a county-level pair). {int((reports['independent'] == 'no').sum())} rows come from "
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

# %%
inc = increments(data, "fiscal_aid", dingxi)
shown = ["increment_low", "increment_mid", "increment_high", "per_year_mid"]
inc[["from_id", "to_id", "from_end", "to_end", "years_low", "years_high", *shown,
     "conflict", "caveat"]].assign(**{c: inc[c] / YI for c in shown}).round(2)

# %%
fig, axes = plt.subplots(2, 1, figsize=(8.5, 7.5), sharex=True, height_ratios=(1.1, 1))
charts.cumulative_chart(aid_dx, inc, ax=axes[0], scale=YI, ylabel="100 million yuan (亿元)",
                        title="Qingdao → Dingxi: fiscal aid since April 2021, as reported")
charts.per_year_chart(inc, aid_dx[aid_dx["kind"] == "annual"], ax=axes[1], scale=YI,
                      ylabel="100 million yuan a year",
                      title="Between two reports: aid a year (nominal)")
fig.tight_layout()
plotting.save(fig, "07_dingxi_fiscal_aid")

# %% tags=["hide-input"]
check = annual_checks(data, "fiscal_aid", dingxi).iloc[0]
by_id = aid_dx.set_index("source_id")
year_alone, inside, later = (by_id.loc[check[c]] for c in ("annual_id", "inside", "later_id"))
later_steps = inc.iloc[1:].sort_values("per_year_mid")
high, low = later_steps.iloc[-1], later_steps.iloc[0]
say(f"**What it shows.** The seed article's {inc.iloc[0]['to_raw']} (to "
    f"{inc.iloc[0]['to_end']}) is followed by {len(inc) - 1} later totals; "
    + ("none is below the one before it. " if not inc["conflict"].any() else
       f"{int(inc['conflict'].sum())} is below the one before it (red). ")
    + f"The increments are uneven: {num(high['increment_mid'] / YI, 3)}亿 between "
    f"{high['from_end']} and {high['to_end']} (about {num(high['per_year_mid'] / YI)}亿 a "
    f"year), but only {num(low['increment_mid'] / YI)}亿 between {low['from_end']} and "
    f"{low['to_end']}. Aid is allocated in yearly batches, so where a report falls in the "
    "year decides much of what an increment holds.\n\n"
    f"**The year alone.** A year-end review gives {year_alone['raw']} for 2025 "
    f"({check['annual_id']}). The totals around that year ({check['earlier_id']} and "
    f"{check['later_id']}) leave room for at most {num(check['room_high'] / YI, 3)}亿, so "
    + ("the year does not fit: a conflict. " if check["conflict"] else
       f"the year fits, with {num(check['slack'] / YI)}亿 to spare. " if check["slack"] > 0
       else "the year fits exactly: only if the later total holds all of 2025 and the "
       f"earlier none of it, and then {inside['raw']} ({check['inside']}, up to "
       f"{inside['window'].split(' → ')[-1]}) already held part of 2025. ")
    + "Read as four full calendar years (to the end of 2024), "
    f"{inside['raw']} would leave "
    f"{num((later['value'] - inside['value']) / YI, 3)}亿 for 2025 against the "
    f"{num(year_alone['value'] / YI, 3)}亿 reported, a conflict of "
    f"{num((inside['value'] + year_alone['value'] - later['value']) / YI, 2)}亿: flagged "
    "here, not averaged away.\n\n"
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
inc_projects[["from_id", "to_id", "from_end", "to_end", "increment_low", "increment_mid",
              "increment_high", "per_year_mid", "conflict"]].round(1)

# %%
fig, axes = plt.subplots(2, 1, figsize=(8.5, 7), sharex=True, height_ratios=(1.1, 1))
charts.cumulative_chart(projects_dx, inc_projects, ax=axes[0], ylabel="projects", digits=0,
                        title="Qingdao → Dingxi: aid projects since April 2021, as reported")
charts.per_year_chart(inc_projects, projects_dx[projects_dx["kind"] == "annual"], ax=axes[1],
                      ylabel="projects a year", title="Between two reports: projects a year")
fig.tight_layout()
plotting.save(fig, "07_dingxi_projects")

# %% tags=["hide-input"]
first, second = inc_projects.iloc[0], inc_projects.iloc[-1]
one_year = projects_dx[projects_dx["kind"] == "annual"]
say(f"{num(first['increment_mid'])} projects in the first two years (about "
    f"{num(first['per_year_mid'])} a year), {num(second['increment_mid'])} more between "
    f"{second['from_end']} and {second['to_end']} (about {num(second['per_year_mid'])} a "
    "year)"
    + (f"; the 2025 review counts {one_year['raw'].iloc[0]} in 2025 alone" if len(one_year)
       else "")
    + ". Projects are counted in ones, whatever their size, so a year of fewer, larger "
    "projects reads as a fall.")

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
       if table["conflict"].any() else "conflict, and there is none here."))

# %% [markdown]
# ## What the increments change in the intensity comparison
#
# Notebook 3 ranks Dingxi's fiscal aid by its only figure then, the total since April 2021
# spread evenly over two years. The later reports split that average into stretches.

# %%
money = rate_unit(f"{base_year} yuan", denominator)
aid_rates = increment_rates(inc, data, "fiscal_aid", base_year=base_year,
                            denominator=denominator)
whole = increment_rates(increments(data, "fiscal_aid", dingxi, only=[inc["to_id"].iloc[-1]]),
                        data, "fiscal_aid", base_year=base_year, denominator=denominator)
annual_rows = aid_dx[aid_dx["kind"] == "annual"]
figure_cols = ["pairing_id", "value_low", "value_mid", "value_high", "unit", "period_start",
               "period_end", "period_basis", "pub_date", "pub_date_precision"]
annual_rate = rates(annual_rows[figure_cols], data, base_year=base_year,
                    denominator=denominator)
stretches = pd.concat([
    aid_rates.assign(stretch=aid_rates["from_end"] + " → " + aid_rates["to_end"]),
    whole.assign(stretch="whole span: " + whole["from_end"] + " → " + whole["to_end"]),
    annual_rate.assign(stretch="2025 alone (" + annual_rows["source_id"] + ")")])
stretches[["stretch", "rate_low", "rate_mid", "rate_high"]].round(1).reset_index(drop=True)

# %%
calendar_years(inc).assign(amount_mid=lambda t: t["amount_mid"] / YI).round(2)

# %% tags=["hide-input"]
nb3 = compare(data, "fiscal_aid", base_year=base_year, denominator=denominator,
              funders="any").table.set_index("pairing_id").loc[dingxi]
later_rates = aid_rates.iloc[1:]
years = calendar_years(inc).set_index("year")
say(f"In {money}: notebook 3's rate for Dingxi is {num(nb3['rate_mid'])} "
    f"({span(nb3['rate_low'], nb3['rate_high'])}), the first stretch here "
    f"({num(aid_rates['rate_mid'].iloc[0])}, the same computation). The later stretches run "
    f"from {num(later_rates['rate_mid'].min())} to {num(later_rates['rate_mid'].max())}; over "
    f"the whole span to {whole['to_end'].iloc[0]} the rate is {num(whole['rate_mid'].iloc[0])}"
    f", and 2025 alone gives {num(annual_rate['rate_mid'].iloc[0])}. "
    + ("So the \"since 2021\" average of the seed article was not a burst at the start: aid "
       "kept coming at about that pace (the whole span within a tenth of it), and Dingxi's "
       "place at the top of notebook 3's ranking does not rest on a lucky window. "
       if abs(whole["rate_mid"].iloc[0] / nb3["rate_mid"] - 1) < 0.1 else
       "The whole span differs from the \"since 2021\" average by more than a tenth: the "
       "seed article's window was not typical. ")
    + "Spread evenly within each increment, the years "
    f"{years.index[1]}–{years.index[-2]} received between "
    f"{num(years['amount_mid'].iloc[1:-1].min() / YI)}亿 and "
    f"{num(years['amount_mid'].iloc[1:-1].max() / YI)}亿 each (nominal). No other pairing "
    "has two fiscal-aid totals from one start, so the other rates of notebook 3 cannot be "
    "split the same way.")

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
say("* Where two reports count from one start, their difference dates the money: for "
    f"Qingdao–Dingxi the pace of fiscal aid stayed near the \"since 2021\" average "
    f"({num(whole['rate_mid'].iloc[0])} over the whole span, in {money}), within stretches "
    "shaped by when in the year each report fell.\n"
    "* An increment is only as good as the two totals: wording changes between them (money "
    "put in, allocated or secured; who paid), and the newest figure comes through an "
    "aggregator's summary. The caveat column says what differs; a conflict is shown, not "
    "resolved.\n"
    "* Spreading an increment evenly over its window is a prior (uniform), not a finding: "
    "the year-by-year amounts are central estimates only.\n"
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
