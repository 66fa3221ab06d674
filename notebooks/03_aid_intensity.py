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
# notebook turns the comparable inputs into rates per budget year and resident, in constant
# yuan, and shows beside every rate the window it covers, how that window was read, who paid
# and how far the money got.
#
# **Question.** Which pairings received the most fiscal aid, projects and pairing ties per
# resident (and year); how much of any ranking is the era and the length of the window
# rather than the pairing; and how does a donor's whole effort compare with the earlier
# programmes' rules?

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
base_year = 2023                       # constant-price year for yuan
denominator = "recipient_population"   # a population, a share (yuan only) or "none"

# %%
import matplotlib.pyplot as plt
import pandas as pd

import coopstats
from coopstats.analysis.denominators import for_measure
from coopstats.analysis.effort import donor_effort, province_effort
from coopstats.analysis.intensity import IncomparableError
from coopstats.analysis.measures import MEASURES, NEW_ROUND, commonest_stage, compare
from coopstats.analysis.prose import interval, num, say
from coopstats.dataset.parameters import rate_unit
from coopstats.figures import charts, plotting

plotting.setup()
data = coopstats.load_all()  # every table, validated once

# %% [markdown]
# Method (in `coopstats.analysis.measures`, `coopstats.analysis.intensity` and
# `coopstats.analysis.periods`, all tested;
# the rules are the codebook's): only achieved, pairing-level figures of one comparable group,
# unit and measure type; a total printed only as parts is summed from its parts; one figure
# per pairing, the others listed beside it; where an article prints no total, a total of the
# external layer (`context/reports.csv`, grade C) stands for the pairing, drawn hollow. Fiscal
# aid is appropriated per budget year, and the projects it finances are planned per budget
# year, so their totals count whole budget years (codebook P13): from the start year to the
# year before the report, and the report's own year too where its allocation may have been
# issued (from May); `近年来` lasts two budget years or more, and no longer back than the
# external layer allows (P14). Other figures run from their stated start to the report's
# date. Money is deflated with the national CPI. The dot is the central estimate (the
# interval's midpoint over the middle window length), the bar the interval.
#
# Two questions are kept apart. **Aid received**: how much reached the recipient, whoever
# paid, per resident (or per county, or as a share of the recipient's budget). **Donor
# effort**: how much a donor gave out of its own revenue; there who paid decides whose effort
# it is, and figures of unlike payers are refused.

# %% [markdown]
# ## Fiscal aid received, per resident and budget year

# %%
def received(measure, **kwargs):
    """Aid received, whatever the flow stage (each row shows it); with a donor-side
    denominator (a donor's effort) over unlike payers, the refusal is said and every row
    shown with its funder."""
    try:
        return compare(data, measure, base_year=base_year, stages="any", **kwargs)
    except IncomparableError as refused:
        say(f"{refused}. A donor-side denominator makes this a donor's effort, which the "
            "section on donor effort compares like for like; here each row shows its funder.")
        return compare(data, measure, base_year=base_year, funders="any", stages="any",
                       **kwargs)


fiscal = received(MEASURES["fiscal_aid"], denominator=denominator)
fiscal.table[["pairing_id", "fact_id", "origin", "raw", "window", "era", "funder_level",
              "flow_stage", "rate_low", "rate_mid", "rate_high"]].round(1)

# %%
money = rate_unit(f"{base_year} yuan", denominator)
ax = charts.rate_chart(fiscal, data, xlabel=money, log=True,
                       title="Fiscal aid received (hollow: a total of the external layer)")
plotting.save(ax.figure, "03_fiscal_aid")

# %% tags=["hide-input"]
def stages_text(t):
    """Whether the figures ranked are of one flow stage, and which pairings' are not."""
    stage = t["flow_stage"].astype(str)
    kept = commonest_stage(t) or ""
    other = {p: st for p, st in stage.items() if st != kept}
    if not other:
        return f"Every figure is of one flow stage ({kept})."
    return ("The flow stages differ: " + "; ".join(
        f"{data.labels[p]}'s figure is money {st}" for p, st in other.items())
        + f", the others' money {kept}. Money allocated (落实, 安排) need not all have "
        "been spent by the report's date, so the library ranks unlike stages only when "
        "told (`stages=\"any\"`, as here, each row showing its stage); notebook 5 ranks "
        f"the {kept} figures only.")


t = fiscal.table.set_index(fiscal.table["pairing_id"].astype(str))
top, last = (t.iloc[0], t.iloc[-1]) if len(t) else (None, None)
external = t[t["origin"] == "report"]
if t.empty:  # a denominator no recipient with fiscal aid has (e.g. its budget expenditure)
    say(f"No pairing's fiscal aid can be divided by `{denominator}`: "
        + "; ".join(sorted({f"{data.labels[str(r.pairing_id)]} ({r.reason})"
                            for r in fiscal.left_out.itertuples()})) + ".")
else:
    in_new_round = int((t["era"] == "new round").sum())
    by_start = t["start_low"].is_monotonic_decreasing  # ranked as the windows' starts?
    say(f"**What it shows.** {len(t)} pairing{'s have' if len(t) != 1 else ' has'} a "
        "pairing-level fiscal-aid total: "
        f"{len(t) - len(external)} from the articles and {len(external)} from the external "
        f"layer ({', '.join(f'{data.labels[p]}, {r.fact_id}' for p, r in external.iterrows())})"
        f". The highest central estimate is {data.labels[top.name]}'s, about "
        f"{num(top['rate_mid'])}{interval(top['rate_low'], top['rate_high'])} in {money}, "
        f"over {top['window']}; the "
        f"lowest is {data.labels[last.name]}'s, about {num(last['rate_mid'])}, over "
        f"{last['window']}. The funders differ "
        f"({', '.join(sorted(set(t['funder_level'].astype(str))))}); for aid received the "
        "payer matters less than for a donor's effort, and each row says who paid. "
        + stages_text(t) + "\n\n"
        f"**What it cannot show.** Windows in the 2021 new round: {in_new_round} of "
        f"{len(t)}; "
        f"the earliest starts in {int(t['start_low'].min())}. "
        + ("The pairings rank exactly as their windows start, latest first: "
           if by_start else "The ranking is not simply the order of the windows' starts, "
           "but ")
        + "a total over decades is spread over years of much lower activity, so this "
        "ranking measures the era and the window's length as much as the pairing. Pairings "
        "that print no total are absent, not zero.")

# %% [markdown]
# ## Aid received per county, and per registered resident
#
# Dingxi, Longnan and Heze are prefectures of seven to nine counties; the other recipients
# are single counties or districts. East–West money is allocated largely per key county, so a
# rate per resident favours small recipients: per county-level division
# (`recipient_counties`, `context/places.csv`) is the other view. Out-migration counties
# have far fewer residents than registered people (户籍人口); where the registered population
# is in the data, the rate per registered resident is beside it.

# %%
per_county = compare(data, MEASURES["fiscal_aid"], base_year=base_year,
                     denominator="recipient_counties", stages="any")
registered = compare(data, MEASURES["fiscal_aid"], base_year=base_year,
                     denominator="recipient_registered", stages="any")
chosen = f"{denominator} (this notebook's)"
views = t[["rate_mid"]].rename(columns={"rate_mid": chosen}).join(
    per_county.table.set_index(per_county.table["pairing_id"].astype(str))[
        ["population", "rate_mid"]].rename(columns={"population": "counties",
                                                    "rate_mid": "recipient_counties"})).join(
    registered.table.set_index(registered.table["pairing_id"].astype(str))[["rate_mid"]]
    .rename(columns={"rate_mid": "recipient_registered"}))
views.round(1)

# %% tags=["hide-input"]
by_county = views["recipient_counties"].sort_values(ascending=False)
moved = [p for p in views.index if views.index.get_loc(p) != list(by_county.index).index(p)]
reg = views["recipient_registered"].dropna()
say(f"In {rate_unit(f'{base_year} yuan', 'recipient_counties')}, the order is "
    + ", ".join(f"{data.labels[p]} ({num(v / 1e6)} million)" for p, v in by_county.items())
    + f"; {len(moved)} of the {len(views)} pairings change place against the order in "
    f"{money}. "
    + (f"In {rate_unit(f'{base_year} yuan', 'recipient_registered')}: "
       + "; ".join(f"{data.labels[p]} about {num(v)}, against {num(views.loc[p, chosen])}"
                   for p, v in reg.items())
       + f" in {money}. " if len(reg) else "")
    + f"{len(registered.left_out['pairing_id'].unique())} recipients have no registered "
    "population in the data (the codebook lists what was searched).")

# %% [markdown]
# ## Aid received as a share of the recipient's budget and GDP
#
# How much the aid weighs in the recipient's own accounts: the aid of a budget year over that
# year's general public budget expenditure or GDP of the recipient (`context/finance.csv`;
# nothing interpolated: a pairing without the years' figures is left out, with the reason).

# %%
dependence = {d: compare(data, MEASURES["fiscal_aid"], denominator=d, stages="any")
              for d in ("recipient_expenditure", "recipient_gdp")}
pd.concat({d: c.table[["pairing_id", "raw", "window", "denominator_years", "rate_low",
                       "rate_mid", "rate_high"]] for d, c in dependence.items()},
          names=["denominator", "row"]).round(2)

# %% tags=["hide-input"]
recipient = data.pairings.set_index("pairing_id")["recipient_id"].astype(str)
place_name = data.places.set_index("place_id")["name_en"].astype(str)
fin = data.finance.assign(place_id=data.finance["place_id"].astype(str))
say(" ".join(
    f"**As a share of the recipient's {what}:** "
    + ("; ".join(f"{data.labels[str(r.pairing_id)]} about {num(r.rate_mid)}% "
                 f"{interval(r.rate_low, r.rate_high, '%')} ({what} of {r.denominator_years})"
                 for r in dependence[d].table.itertuples()) or "no pairing")
    + f". Left out: {len(dependence[d].left_out)} pairings, for want of the recipient's "
    f"{what} in the window's years."
    for d, what in (("recipient_expenditure", "budget expenditure"),
                    ("recipient_gdp", "GDP")))
    + " Which recipients and years `context/finance.csv` holds, and what was searched for "
    "the others, is listed in the codebook.")

# %% [markdown]
# ## Donor effort, like for like with the earlier programmes' rules
#
# Earlier pairing programmes set the donors' contribution as a share of their fiscal revenue
# (the Wenchuan reconstruction, Xinjiang, Tibet; `data/context/benchmarks.csv` names each
# rule's document and a source): a *province's* whole contribution to the programme, as a
# share of its *previous year's* local general budget revenue. The like-for-like yardstick
# is therefore Shandong's aid to **all** its partner provinces in a budget year, from the
# external layer's province-wide reports, over Shandong's revenue of the year before; below
# it, a donor city's aid to all its partners (`coopstats.analysis.effort`: each pairing's allocation
# in that year from the budget-year panel of notebook 7, a block's average where the reports
# bound only a run of years) over the city's revenue. Only money its donor city paid alone
# counts towards the city's effort; a sum that misses a partner is a lower bound, and so is
# one pairing's share, drawn in grey.

# %%
effort = pd.concat({"East–West partners": pd.concat(
                        [province_effort(data), donor_effort(data, programmes=("east_west",))],
                        ignore_index=True),
                    "every programme": donor_effort(data)}, names=["partners", "row"])
shown_effort = effort.dropna(subset=["share_mid"])
shown_effort[["donor_id", "year", "counted", "missing", "revenue_year", "share_low",
              "share_mid", "share_high"]].round(3)

# %%
payer_share = compare(data, MEASURES["fiscal_aid"], denominator="donor_revenue")
payer_share.table[["pairing_id", "raw", "window", "funder_level", "denominator_years",
                   "rate_low", "rate_mid", "rate_high"]].round(3)

# %%
east_west = shown_effort.xs("East–West partners", level="partners")
fig, ax = plt.subplots(figsize=(9, 0.45 * (len(east_west) + len(payer_share.table)) + 2.6))
charts.effort_chart(east_west, payer_share.table, data, ax=ax, title="")
charts.benchmark_lines(ax, data.benchmarks)
ax.set_title("Donor effort: fiscal aid to all East–West partners in a budget year,\nas a "
             "share of the previous year's revenue, against earlier rules", pad=48)
fig.tight_layout()
plotting.save(fig, "03_benchmarks")

# %% tags=["hide-input"]
rules = "; ".join(f"{r.label}: {charts.share_text(r.share_low, r.share_high)}"
                  for r in data.benchmarks.itertuples())
all_programmes = shown_effort.xs("every programme", level="partners")
donor = data.pairings.set_index("pairing_id")["donor_id"].astype(str)
most = donor.value_counts()
say("**What it shows.** "
    + " ".join(f"{place_name[r.donor_id]}, budget year {r.year}: about {num(r.share_mid)}%"
               f"{interval(r.share_low, r.share_high, '%')} of its {r.revenue_year} revenue for "
               f"its East–West partners ({r.counted}"
               + (f"; not counted: {r.missing}" if r.missing else "") + ")."
               for r in east_west.itertuples())
    + " Shandong's figures are all levels together (the province, its cities and their "
    "districts), floors (以上, 超), and Chongqing's part an average over 2010–2023 that "
    "understates the new round's years: lower bounds of the province's effort."
    + " Over every programme (Tibet, the Three Gorges and its partners in Shandong too): "
    + "; ".join(f"{place_name[r.donor_id]} {r.year} about {num(r.share_mid)}%"
                + (" at least" if r.lower_bound else "")
                for r in all_programmes.itertuples())
    + ". One pairing's share, a lower bound of its donor's effort: "
    + "; ".join(f"{data.labels[str(r.pairing_id)]} about {num(r.rate_mid)}% of the revenue "
                f"of {r.denominator_years}" for r in payer_share.table.itertuples())
    + f". {payer_share.left_out['pairing_id'].nunique()} other pairings cannot be placed: "
    + "; ".join(f"{data.labels[str(r.pairing_id)]} ({r.reason})"
                for r in payer_share.left_out.itertuples()) + ".\n\n"
    f"**What it cannot show.** The rules belong to other programmes ({rules}); no share of "
    "revenue was found for East–West cooperation, so the lines are a yardstick, not a "
    "target these pairings were bound by. A rule counts a province's whole contribution; "
    f"a city is one payer among a province's ({place_name[most.index[0]]} alone has "
    f"{most.iloc[0]} pairings here), and a partner whose aid of the year is not reported "
    "makes the sum a lower bound. The revenue figures come from news reports, plan and "
    "government work reports and their mirrors (`source_type` says which), not from final "
    "accounts.")

# %% [markdown]
# ## On a common window: the 2021 new round
#
# Where the data allow, compare only figures whose whole window lies in the new round.

# %%
per_count = for_measure(MEASURES["aid_projects"], denominator)  # a count is never a share
projects_all = received(MEASURES["aid_projects"], denominator=per_count)
projects_new = received(MEASURES["aid_projects"], denominator=per_count,
                        window=(NEW_ROUND, None))
projects_new.table[["pairing_id", "raw", "window", "funder_level", "rate_low", "rate_mid",
                    "rate_high"]].round(2)

# %%
per_100k = rate_unit("projects", per_count, MEASURES["aid_projects"].per)
fig, axes = plt.subplots(2, 1, figsize=(10, 7.5), height_ratios=(3, 1.3))
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
# ## Pairing ties: a stock, per township
#
# Ties join places (a donor county to a recipient township, a township to a village, a
# school to a school), not residents, so ties in force are counted per township of the
# recipient (乡镇 and 街道, `context/places.csv`), at the article's date, not annualised.

# %%
ties = compare(data, MEASURES["pairing_ties"],
               denominator=for_measure(MEASURES["pairing_ties"], denominator))
per_ties = rate_unit("ties", for_measure(MEASURES["pairing_ties"], denominator),
                     MEASURES["pairing_ties"].per, per_year=False)
ax = charts.rate_chart(ties, data, xlabel=per_ties)
plotting.save(ax.figure, "03_ties")

# %% tags=["hide-input"]
left = ties.left_out
made = left[left["reason"].astype(str) == "a flow, not a stock"]
say("Ties in force, counted at the article's date: "
    + "; ".join(f"{data.labels[str(r.pairing_id)]} {r.raw} over {num(r.population)} "
                f"townships" for r in ties.table.itertuples())
    + ". "
    + ("".join(f"{data.labels[str(r.pairing_id)]} prints ties made "
               f"({num(r.value)} in all): a flow of tie-making, not ties in force, so it is "
               "listed under the axis, not ranked. " for r in made.itertuples()))
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
ew_shares = east_west["share_mid"]
say((f"* In {money}, fiscal aid received differs by a factor of about "
     f"{num(top['rate_mid'] / last['rate_mid'])} between the highest and the lowest "
     "central estimate, over windows from "
     f"{num(t['years_high'].min(), 2)} to {num(t['years_high'].max(), 2)} budget years "
     f"long; {len(external)} of the {len(t)} pairings rest on the external layer.\n"
     if len(t) else f"* No pairing's fiscal aid can be divided by `{denominator}`.\n")
    + "* Who ranks first under the uncertainty of the figures and their windows, and under "
    "other priors, is notebook 5's question; the central estimates do not settle it.\n"
    "* A donor's effort is compared like for like only as a sum over its partners and "
    "against its previous year's revenue: "
    + (f"{len(east_west)} donor-years can be placed, about {num(ew_shares.min())}–"
       f"{num(ew_shares.max())}% for East–West partners, "
       + ("all of them lower bounds" if east_west["lower_bound"].all()
          else "some of them lower bounds") if len(east_west) else "no donor-year can be placed")
    + "; the payers of the other pairings (province and city together, or unknown) or "
    "their revenue are not in the data.\n"
    f"* {len(t)} or {len(every)} pairings, chosen by what journalists printed, are not a "
    "sample of the programmes: nothing here estimates a programme effect.")
