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
# # 4. Outcomes, outputs and inputs
#
# The articles report what the cooperation produced: people employed, people trained,
# products sold, firms brought in. The codebook sorts every indicator by its **kind**: an
# *input* is what the donor side gave (money, projects, firms, purchases), an *output* what
# the aid directly produced (people trained, facilities built), an *outcome* a result for
# people and the economy (jobs). This notebook compares pairings within each kind, on the
# same footing as notebook 3, and asks whether outputs track inputs.
#
# **Question.** How do the pairings compare on outcomes and outputs, and do pairings that
# put in more report more?

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
base_year = 2023
denominator = "recipient_population"   # a population, a share (yuan only) or "none"

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import coopstats
from coopstats.analysis import sensitivity
from coopstats.analysis.denominators import for_measure
from coopstats.analysis.measures import MEASURES, compare, compare_every, side_by_side
from coopstats.analysis.prose import interval, num, say, span
from coopstats.dataset.parameters import rate_unit
from coopstats.figures import charts, plotting

plotting.setup()
data = coopstats.load_all()  # every table, validated once


def unit_of(measure):
    """The axis label of a measure's rates, following its denominator."""
    return rate_unit(measure.quantity if measure.quantity != "yuan" else f"{base_year} yuan",
                     for_measure(measure, denominator), measure.per,
                     per_year=measure.per_year)


# %% [markdown]
# ## Each kind on its own
#
# One panel per measure with at least two pairings, grouped by kind. Consumption sales are
# the donor side's purchases (a task in the East–West assessment), so they are an input, not
# a result for the recipient; firms and their investment are inputs too.

# %%
panels = {kind: [m for m in MEASURES.values() if m.kind == kind] for kind in
          ("outcome", "output", "input")}
compared, refused = compare_every(data, [m for ms in panels.values() for m in ms],
                                  base_year=base_year, denominator=denominator)
panels = {kind: [m for m in ms if m.key not in refused]  # unlike funders or flow stages
          for kind, ms in panels.items()}
shown = [(kind, m) for kind, ms in panels.items() for m in ms
         if len(compared[m.key].table) >= 2 and m.key not in ("fiscal_aid", "aid_projects",
                                                              "pairing_ties")]
if refused:
    say("Refused (a donor's effort over unlike funders, or figures of unlike flow stages: "
        "money or investment allocated or signed is not money spent): "
        + "; ".join(refused.values()) + ".")
[(kind, m.label, len(compared[m.key].table)) for kind, m in shown]

# %% [markdown]
# Figures refused for their unlike flow stages are listed, each with its stage, not ranked
# (fiscal aid, which notebook 3 shows with its stages, aside):

# %%
unlike = [compare(data, k, base_year=base_year, stages="any",
                  denominator=for_measure(MEASURES[k], denominator)).table.assign(measure=k)
          for k, why in refused.items() if "flow stages" in why and k != "fiscal_aid"]
(pd.concat(unlike)[["measure", "pairing_id", "raw", "window", "flow_stage", "quote"]]
 if unlike else "No measure of this notebook is refused for its flow stages.")

# %%
fig, axes = plt.subplots(len(shown), 1, figsize=(8.5, 1.75 * len(shown) + 2.4),
                         height_ratios=[len(compared[m.key].table) + 1 for _, m in shown],
                         squeeze=False)
for ax, (kind, m) in zip(axes[:, 0], shown, strict=True):
    charts.rate_chart(compared[m.key], data, ax=ax, xlabel=unit_of(m), log=True,
                      title=f"{m.label} ({kind})")
fig.tight_layout()
plotting.save(fig, "04_by_kind")

# %% tags=["hide-input"]
poor = compared["poor_employment"].table.set_index(
    compared["poor_employment"].table["pairing_id"].astype(str))
transfer = compared["labour_transfer"].table
say("**What it shows.** The one outcome two pairings report alike is the Gansu assessment "
    "count of formerly poor people employed in one year: "
    + ", ".join(f"{data.labels[p]} about {num(r['rate_mid'])} in {r['window']}"
                for p, r in poor.iterrows())
    + f" ({unit_of(MEASURES['poor_employment'])})"
    + (f", a ratio of about {num(poor['rate_mid'].iloc[0] / poor['rate_mid'].iloc[-1], 3)}"
       ". " if len(poor) >= 2 else f" (`{denominator}`: {len(poor)} of them can be divided). ")
    + f"Transfers of workers from other pairings ({len(transfer)} pairing"
    f"{'' if len(transfer) == 1 else 's'}) count everyone moved, not only the formerly poor, "
    "so they are a separate measure; jobs in aid-built workshops are a stock.\n\n"
    "**What it cannot show.** Whether these people would have found work anyway: the counts "
    "are claims of the cooperating governments, and what an article does not report is "
    "absent, not zero.")

# %% [markdown]
# ## Outcomes reported by one pairing only
#
# They are listed, not ranked.

# %%
single = [compared[m.key] for _, ms in panels.items() for m in ms
          if m.kind == "outcome" and len(compared[m.key].table) == 1]
[(c.measure.label, str(c.table["pairing_id"].iloc[0]), c.table["raw"].iloc[0],
  c.table["window"].iloc[0], round(float(c.table["rate_mid"].iloc[0]), 1)) for c in single]

# %% [markdown]
# ## Health services
#
# Every health figure in the articles belongs to one project or one medical team
# (`component` scope): they describe, they do not compare.

# %%
facts = data.facts
health = facts[facts["indicator"].astype(str).isin(
    ["patients_treated", "surgeries", "medical_fees_waived", "medical_techniques",
     "medical_activities"])]
health[["pairing_id", "indicator", "raw", "period_start", "period_end", "quote"]]

# %% [markdown]
# ## Do outputs track inputs?
#
# The pairings that report both an input and an output measure, for every such pair with
# three pairings or more. Both rates of a pairing are divided by the same population and,
# where they come from one sentence, by the same uncertain window: their errors move
# together, so the rank correlation is computed over joint Monte Carlo draws (not crosses of
# two error bars). Ratios that share a denominator correlate even when their numerators do
# not (Pearson 1897; Kronmal 1993): a long window makes both rates of a pairing small.
#
# The pairs are shown as a table, not a scatter: a handful of points on a plane invite a
# regression line by eye, which they cannot support.

# %%
inputs = [m for m in panels["input"] if len(compared[m.key].table) >= 3]
outputs = [m for m in panels["output"] + panels["outcome"]
           if len(compared[m.key].table) >= 3]
pairs = [(i, o) for i in inputs for o in outputs
         if len(set(compared[i.key].table["pairing_id"])
                & set(compared[o.key].table["pairing_id"])) >= 3]
[(i.label, o.label) for i, o in pairs]

# %%
both_kinds = list(dict.fromkeys(m.key for m in inputs + outputs))  # in order, once each
drawn = sensitivity.draws([compared[k] for k in both_kinds], data, n=4000, base_year=base_year)
rows = []
for i, o in pairs:
    both = side_by_side(compared[i.key], compared[o.key])  # the pairings both measures have
    rho, p = sensitivity.exact_spearman(both[i.key]["rate_mid"], both[o.key]["rate_mid"])
    rhos = sensitivity.rank_correlations(drawn[i.key], drawn[o.key])
    rows.append({"input": i.label, "output": o.label, "pairings": len(both),
                 "rho (central)": rho, "exact p": p, "P(rho > 0)": float((rhos > 0).mean()),
                 "rho values drawn": sorted({round(r, 2) for r in rhos})})
rows

# %%
def rates_shown(x, y):
    """Two comparisons side by side (:func:`side_by_side`) as printed: per measure the
    figure, its window, the central rate and its interval, under its label, kind and unit."""
    t = side_by_side(x, y)
    out = {}
    for m in (x.measure, y.measure):
        r = t[m.key]
        out.update({(f"{m.label} ({m.kind}), {unit_of(m)}", col): val for col, val in {
            "figure": r["raw"], "window": r["window"],
            "central rate": r["rate_mid"].map(num),
            "interval": [span(lo, hi) if interval(lo, hi) else "" for lo, hi in
                         zip(r["rate_low"], r["rate_high"], strict=True)]}.items()})
    return pd.DataFrame(out).set_axis(t.index.map(data.labels)).rename_axis("pairing")


for i, o in pairs:  # (none where a denominator leaves fewer than three pairings to both)
    display(rates_shown(compared[i.key], compared[o.key]))

# %% tags=["hide-input"]
r0 = rows[0] if rows else None
best = sensitivity.exact_spearman(range(r0["pairings"]), range(r0["pairings"]))[1] if r0 else 1
say((f"**What it shows.** For {r0['input'].lower()} and {r0['output'].lower()}, "
     f"{r0['pairings']} pairings: the central estimates give ρ = "
     f"{num(r0['rho (central)'])} (exact p = {num(r0['exact p'])}), and over the joint draws "
     f"ρ takes only the values {', '.join(num(v) for v in r0['rho values drawn'])}, "
     f"positive in {num(100 * r0['P(rho > 0)'])}% of draws. With {r0['pairings']} points "
     f"even a perfect ρ = 1 has an exact p-value of {num(best)}. "
     f"There is no scatter: {r0['pairings']} pairings cannot show a relation, and a plot of "
     f"{r0['pairings']} points invites a line drawn by eye; the table shows each pairing's "
     "two rates side by side. "
     if r0 else "No input and output share three pairings. ")
    + "**What it cannot show.** That more input produces more output: the points are few, "
    "chosen by journalists, and share denominators (population, and the window), which "
    "alone can make their ranks agree.")

# %% [markdown]
# ## What this shows, and what it cannot

# %% tags=["hide-input"]
say(f"* Only {len(shown)} outcome, output or input measures are reported by two pairings "
    "or more in a comparable form; most figures belong to one pairing and are listed.\n"
    "* Outcomes are the cooperating governments' counts, printed because they were "
    "impressive; nothing here says what would have happened without the pairing.\n"
    "* The input–output comparisons rest on three pairings at most: they are shown so that "
    "nobody computes them by hand and over-reads them.")
