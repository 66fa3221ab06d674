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
# relationship? Totals "since 1994" and "since 2021" cannot be compared as printed. This
# notebook turns the comparable inputs into rates per year and resident, in constant yuan,
# and shows beside every rate the window it covers, how that window was read, and who paid.
#
# **Question.** Which pairings received the most fiscal aid, projects and pairing ties per
# resident (and year), and how much of any ranking is the era and the length of the window
# rather than the pairing?

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
base_year = 2023                       # constant-price year for yuan
denominator = "recipient_population"   # a population, a share (yuan only) or "none"

# %%
import matplotlib.pyplot as plt

import coopstats
from coopstats import charts, plotting
from coopstats.denominators import for_measure
from coopstats.measures import MEASURES, NEW_ROUND, compare
from coopstats.parameters import rate_unit
from coopstats.prose import num, say, span

plotting.setup()
data = coopstats.load_all()  # every table, validated once

# %% [markdown]
# Method (in `coopstats.measures`, `coopstats.intensity` and `coopstats.periods`, all tested;
# the rules are the codebook's): only achieved, pairing-level figures of one comparable group,
# unit and measure type; a total printed only as parts is summed from its parts; one figure
# per pairing, the others listed beside it; a window runs from its stated start (or the
# pairing's, which the cited external layer gives where the article does not) to its end, a
# past calendar year lasting exactly one year and a period running to the article's year
# ending at the article's date; `近年来` lasts two years or more; money is spread over its
# window and deflated with the national CPI. The dot is the central estimate (the interval's
# midpoint over the middle window length), the bar the interval.

# %% [markdown]
# ## Fiscal aid per resident and year

# %%
fiscal = compare(data, MEASURES["fiscal_aid"], base_year=base_year, denominator=denominator,
                 funders="any")
fiscal.table[["pairing_id", "fact_id", "raw", "window", "era", "funder_level", "rate_low",
              "rate_mid", "rate_high"]].round(1)

# %% [markdown]
# The funders differ (city, province and city, unknown), so the library refuses this
# comparison unless told `funders="any"`; each row says who paid.

# %%
money = rate_unit(f"{base_year} yuan", denominator)
ax = charts.rate_chart(fiscal, data, xlabel=money, log=True)
plotting.save(ax.figure, "03_fiscal_aid")

# %% tags=["hide-input"]
t = fiscal.table.set_index(fiscal.table["pairing_id"].astype(str))
top, last = t.iloc[0], t.iloc[-1]
in_new_round = int((t["era"] == "new round").sum())
by_start = t["start_low"].is_monotonic_decreasing  # ranked as the windows' starts?
say(f"**What it shows.** {len(t)} pairings, from {t['article_id'].nunique()} articles, print "
    f"a pairing-level fiscal-aid total. The highest central estimate is "
    f"{data.labels[top.name]}'s, about {num(top['rate_mid'])} "
    f"({span(top['rate_low'], top['rate_high'])}) in {money}, over {top['window']}; the "
    f"lowest is {data.labels[last.name]}'s, about {num(last['rate_mid'])}, over "
    f"{last['window']}.\n\n"
    f"**What it cannot show.** Windows in the 2021 new round: {in_new_round} of {len(t)}; "
    f"the earliest starts in {int(t['start_low'].min())}. "
    + ("The pairings rank exactly as their windows start, latest first: "
       if by_start else "The ranking is not simply the order of the windows' starts, but ")
    + "a total over decades is spread over years of much lower activity, so this ranking "
    "measures the era and the window's length as much as the pairing. Pairings that print no "
    "total are absent, not zero.")

# %% [markdown]
# ## Against the policy benchmarks: a share of the payer's revenue
#
# Earlier pairing programmes set the donors' contribution as a share of their fiscal revenue
# (the Wenchuan reconstruction, Xinjiang, Tibet; `data/context/benchmarks.csv` names each
# rule's document and a source). Where does a pairing's fiscal aid stand as a share of the
# general public budget revenue of whoever paid it (`data/context/finance.csv`)? The share
# is computed only where the coding model's `funder_level` says who paid, and only where
# that payer's revenue is published for most of the window's years (nothing is
# interpolated); both are in current yuan, so nothing is deflated.

# %%
payer_share = compare(data, MEASURES["fiscal_aid"], denominator="donor_revenue",
                      funders="any")
payer_share.table[["pairing_id", "raw", "window", "funder_level", "denominator_years",
                   "rate_low", "rate_mid", "rate_high"]].round(3)

# %%
ax = charts.rate_chart(payer_share, data, xlabel=rate_unit("yuan", "donor_revenue"),
                       title="")
charts.benchmark_lines(ax, data.benchmarks)
ax.set_title("Fiscal aid as a share of the payer's revenue, against earlier programmes' "
             "rules", pad=34)
plotting.save(ax.figure, "03_benchmarks")

# %% tags=["hide-input"]
rules = "; ".join(f"{r.label}: {charts.share_text(r.share_low, r.share_high)}"
                  for r in data.benchmarks.itertuples())
gdp = compare(data, MEASURES["fiscal_aid"], denominator="recipient_gdp", funders="any").table
recipient = data.pairings.set_index("pairing_id")["recipient_id"].astype(str)
place_name = data.places.set_index("place_id")["name_en"].astype(str)
with_aid = {recipient[str(p)] for p in fiscal.candidates["pairing_id"]}
fin = data.finance.assign(place_id=data.finance["place_id"].astype(str))
spend = set(fin.loc[fin["indicator"] == "general_budget_expenditure", "place_id"])
donor = data.pairings.set_index("pairing_id")["donor_id"].astype(str)
most = donor.value_counts()
say("**What it shows.** "
    + " ".join(f"{data.labels[str(r.pairing_id)]}: about {num(r.rate_mid)}% "
               f"({span(r.rate_low, r.rate_high)}%) of the payer's revenue over "
               f"{r.denominator_years}." for r in payer_share.table.itertuples())
    + f" {len(payer_share.left_out)} other pairings print fiscal aid but cannot be placed: "
    + "; ".join(f"{data.labels[str(r.pairing_id)]} ({r.reason})"
                for r in payer_share.left_out.itertuples()) + ". "
    + "As a share of the recipient's GDP (aid dependence): "
    + ("; ".join(f"{data.labels[str(r.pairing_id)]} about {num(r.rate_mid)}% "
                 f"(GDP {r.denominator_years})" for r in gdp.itertuples()) or "none")
    + ". Budget expenditure is in the data for "
    + (", ".join(place_name[p] for p in sorted(spend)) or "no recipient") + "; "
    + (f"of these, {', '.join(place_name[p] for p in sorted(spend & with_aid))} has a "
       "fiscal-aid figure." if spend & with_aid else
       "none of them has a fiscal-aid figure, so no aid-to-budget share can be computed.")
    + "\n\n"
    f"**What it cannot show.** The rules belong to other programmes ({rules}); no share of "
    "revenue was found for East–West cooperation, so the lines are a yardstick, not a "
    "target these pairings were bound by. A rule counts a donor's whole contribution, while "
    f"a pairing is one of a donor's several ({place_name[most.index[0]]} has "
    f"{most.iloc[0]} pairings here), so one pairing's share understates the donor's "
    "effort. Our base is the same year's general public budget revenue; the Wenchuan rule's "
    "was the previous year's local fiscal revenue, and the others' sources do not say "
    "(`base` in benchmarks.csv). The revenue figures come from news reports, plan and "
    "government work reports and their mirrors (`source_type` says which), not from final "
    "accounts.")

# %% [markdown]
# ## On a common window: the 2021 new round
#
# Where the data allow, compare only figures whose whole window lies in the new round.

# %%
per_count = for_measure(MEASURES["aid_projects"], denominator)  # a count is never a share
projects_all = compare(data, MEASURES["aid_projects"], base_year=base_year,
                       denominator=per_count, funders="any")
projects_new = compare(data, MEASURES["aid_projects"], base_year=base_year,
                       denominator=per_count, window=(NEW_ROUND, None), funders="any")
projects_new.table[["pairing_id", "raw", "window", "funder_level", "rate_low", "rate_mid",
                    "rate_high"]].round(2)

# %%
per_100k = rate_unit("projects", per_count, MEASURES["aid_projects"].per)
fig, axes = plt.subplots(2, 1, figsize=(8, 7), height_ratios=(3, 1.3))
charts.rate_chart(projects_all, data, ax=axes[0], xlabel=per_100k, log=True,
                  title="Aid projects, all windows (cross-era)")
charts.rate_chart(projects_new, data, ax=axes[1], xlabel=per_100k,
                  title=f"Aid projects, windows from {NEW_ROUND} only")
fig.tight_layout()
plotting.save(fig, "03_projects_by_era")

# %% tags=["hide-input"]
new, every = projects_new.table, projects_all.table
old = every[every["era"] != "new round"]
ahead = every[every["era"] == "new round"]["rate_mid"].min() > old["rate_mid"].max()
say(f"On the common window {len(new)} pairings remain "
    f"({', '.join(data.labels[str(p)] for p in new['pairing_id'])}), against {len(every)} "
    "across eras. "
    + ("Every new-round pairing is ahead of every pairing whose window spans eras"
       if ahead else "The new-round pairings are not all ahead of the older windows")
    + ": a cross-era ranking is labelled as such, and the common window is the "
    "comparison to cite.")

# %% [markdown]
# ## East–West cooperation versus other programme types

# %%
by_programme = fiscal.table.assign(
    programme=fiscal.table["pairing_id"].astype(str).map(data.programmes))
by_programme.groupby("programme")["rate_mid"].agg(["count", "median"]).round(1)

# %% tags=["hide-input"]
counts = by_programme["programme"].value_counts()
absent = sorted(set(data.programmes.values()) - set(counts.index))
say(f"{counts.get('east_west', 0)} East–West pairings against "
    f"{len(by_programme) - counts.get('east_west', 0)} of other programmes: a description "
    "of these relationships, not evidence about programme types. "
    + (f"No {' or '.join(p.replace('_', ' ') for p in absent)} pairing prints a fiscal-aid "
       "total." if absent else ""))

# %% [markdown]
# ## Pairing ties: a stock, not annualised

# %%
ties = compare(data, MEASURES["pairing_ties"],
               denominator=for_measure(MEASURES["pairing_ties"], denominator))
per_ties = rate_unit("ties", for_measure(MEASURES["pairing_ties"], denominator),
                     MEASURES["pairing_ties"].per, per_year=False)
ax = charts.rate_chart(ties, data, xlabel=per_ties)
plotting.save(ax.figure, "03_ties")

# %% tags=["hide-input"]
left = ties.left_out
say("Ties in force, counted at the article's date. "
    + (f"{data.labels[str(left['pairing_id'].iloc[0])]} prints ties only as pair-times "
       f"(對次) by kind, summed to {num(left['value'].iloc[0])}: a flow of tie-making, not "
       "ties in force, so it is listed under the axis, not ranked. "
       if len(left) else "")
    + "Ties of very different weight (county–township, village–firm) count the same.")

# %% [markdown]
# ## People exchanged
#
# Cadres, professionals, school staff and agricultural experts sent between the two sides.
# Articles count them in persons (人) or person-times (人次), which cannot be added, so they
# are listed rather than ranked.

# %%
groups = data.indicators.set_index("indicator_id")["comparable_group"].astype(str)
facts = data.facts
exchanged = facts[(facts["scope"] == "pairing")
                  & (facts["indicator"].astype(str).map(groups) == "people_exchanged")]
exchanged[["pairing_id", "indicator", "raw", "unit", "period_start", "period_end", "quote"]]

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

# %% tags=["hide-input"]
funders = sorted(set(t["funder_level"].astype(str)))
say(f"* In {money}, fiscal aid differs by a factor of about "
    f"{num(top['rate_mid'] / last['rate_mid'])} between the highest and the lowest "
    "central estimate, over windows from "
    f"{num(t['years_high'].min(), 2)} to {num(t['years_high'].max(), 2)} years long.\n"
    "* Who ranks first under the uncertainty of the figures and their windows, and under "
    "other priors, is notebook 5's question; the central estimates do not settle it.\n"
    f"* The funders differ ({', '.join(funders)}), so neither a donor's effort nor a "
    "recipient's total aid is compared like for like.\n"
    f"* {len(t)} or {len(every)} pairings, chosen by what journalists printed, are not a "
    "sample of the programmes: nothing here estimates a programme effect.")
