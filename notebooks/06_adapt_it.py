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
# # 6. Adapt it: one pairing, your choices, your article
#
# This notebook is meant to be changed. Run it alone for one pairing, base year and
# denominator (the values are checked before it starts; the figure's name records them):
#
# ```bash
# coopstats notebooks --notebooks notebooks/06_adapt_it.ipynb --out build/dingxi \
#     -p pairing_id=qingdao_dingxi -p base_year=2020 -p denominator=donor_population
# ```
#
# or edit the parameters cell below in JupyterLab and run all cells.
#
# The second half walks through adding a new article to a copy of the data and validating
# it, exactly as a student extending the dataset would.
#
# **Question.** Where does one pairing stand on every comparable measure, and how do I add
# the article I just read?

# %% tags=["parameters"]
# Parameters (coopstats notebooks -p NAME=VALUE)
pairing_id = "rizhao_qianjiang"        # any pairing_id from coopstats.load_pairings()
base_year = 2023                       # constant-price year for yuan, within the CPI series
denominator = "recipient_population"   # "recipient_population", "donor_population", "none"
per_people = 100_000                   # counts per this many people (not with "none")

# %%
import shutil
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

import coopstats
from coopstats import intensity, parameters, plotting
from coopstats.parameters import rate_unit

plotting.setup()
data = coopstats.load_all()  # every table, validated once
# a typo in the parameters cell stops here, with one line saying what is allowed
parameters.check({"pairing_id": pairing_id, "base_year": base_year,
                  "denominator": denominator, "per_people": per_people},
                 parameters.Context(data))
facts = data.facts
indicators = data.indicators
pairings = data.pairings
places = data.places
context = data.context
cpi = data.cpi
labels = plotting.pairing_labels(pairings, places)
programmes = data.programmes
print(labels[pairing_id], "—", programmes[pairing_id].replace("_", " "))

# %% [markdown]
# ## Everything the article reports for this pairing

# %%
mine = facts[facts["pairing_id"] == pairing_id]
mine[["fact_id", "scope", "indicator", "raw", "value_low", "value_high", "unit", "status",
      "period_start", "period_end", "quote"]]

# %% [markdown]
# ## Where it stands on each comparable measure
#
# The pairing is highlighted; the others give the context. Measures the pairing does not
# report are skipped (not zero).

# %%
measures = {  # name: (comparable group, unit filter, per, annualise, what is counted)
    "fiscal aid": ("fiscal_aid", None, 1, True, f"{base_year} yuan"),
    "aid projects": ("aid_projects", None, per_people, True, "projects"),
    "people trained": ("people_trained", "person_time", per_people, True, "person-times"),
    "workers into jobs": ("employment", None, per_people, True, "workers"),
    "pairing ties": ("pairing_ties", None, per_people, False, "ties"),
}
tables = {}
for name, (group, unit, per, annual, what) in measures.items():
    t = intensity.combine(intensity.pairing_rates(
        facts, indicators, pairings, context, cpi, group=group, unit=unit, base_year=base_year,
        denominator=denominator, per=per, per_year=annual))
    if pairing_id in set(t.dropna(subset=["rate"])["pairing_id"]):
        tables[name] = (t, rate_unit(what, denominator, per, per_year=annual))
print("reported:", ", ".join(tables) or "none of the comparable measures")

# %%
if tables:
    fig, axes = plt.subplots(len(tables), 1, figsize=(8, 2.6 * len(tables)), squeeze=False)
    for ax, (name, (t, xlabel)) in zip(axes[:, 0], tables.items(), strict=True):
        plotting.rate_chart(t, labels, programmes, ax=ax, title=name, xlabel=xlabel, log=True)
        ticks = [tick.get_text() for tick in ax.get_yticklabels()]
        for tick, text in zip(ax.get_yticklabels(), ticks, strict=True):
            if text == labels[pairing_id]:
                tick.set_fontweight("bold")
    fig.tight_layout()
    # named after the parameters: runs with other choices do not overwrite it
    plotting.save(fig, f"06_{pairing_id}_{base_year}_{denominator}_per{per_people:g}_position")

# %% [markdown]
# ## Walk-through: adding an article
#
# We work on a **temporary copy** of the data, never on the shipped files. Suppose you read
# a (here invented) article about Qingdao–Heze saying
# "2023年，青岛市投入财政帮扶资金1.2亿元". The steps are those of the README:
#
# 1. put the text in a sources folder; 2. add a row to `articles.csv`; 3. write
# `facts/<article_id>.csv`; 4. run the validator until it is clean.

# %%
work = Path(tempfile.mkdtemp(prefix="coopstats-walkthrough-"))
data = work / "data"
shutil.copytree(Path(coopstats.data_dir()), data)
sources = work / "sources"
originals = coopstats.find_sources()  # the five articles, to check their quotes too
if originals is not None:
    shutil.copytree(originals, sources)
else:
    sources.mkdir()
    print("the five source articles were not found; set COOPSTATS_SOURCES to check them too")
sources.joinpath("999_example.txt").write_text(
    "青岛菏泽协作（示例）\n2023年，青岛市投入财政帮扶资金1.2亿元，支持菏泽产业发展。\n",
    encoding="utf-8")
with open(data / "articles.csv", "a", encoding="utf-8") as f:
    f.write("example_heze_2023,ex,999_example.txt,青岛菏泽协作（示例）,"
            "Qingdao and Heze (an invented example),,,2023,year,"
            "the text says 2023年,simplified\n")
header = (data / "facts" / "qingdao_partners_2023.csv").read_text(encoding="utf-8").split("\n")[0]
# a first attempt with two mistakes: an unknown indicator and a quote that is not verbatim
(data / "facts" / "example_heze_2023.csv").write_text(
    header + "\n"
    "ex-001,example_heze_2023,qingdao_heze,pairing,,fiscal_aid,1.2亿元,exact,achieved,"
    "2023,2023,2023年,stated,青岛市投入帮扶资金1.2亿元,invented example\n",
    encoding="utf-8")
def show(problems):
    """Print problems with paths relative to the temporary folder (without the originals,
    their missing source files are expected and not shown)."""
    if originals is None:
        problems = [p for p in problems if p.column != "source_file"]
    for p in problems:
        where = Path(p.path).resolve().relative_to(work.resolve())
        print(f"{where}:{p.line}: {p.column}: {p.reason}")
    if not problems:
        print("clean: the new article validates")


show(coopstats.validate(data, sources))

# %% [markdown]
# Two problems, each on one line with file, line and column: the indicator is
# `fiscal_aid_funds` (see `coopstats.load_indicators()`), and the quote must be copied
# verbatim (`财政帮扶资金`, not `帮扶资金`). Fixing both:

# %%
facts_file = data / "facts" / "example_heze_2023.csv"
facts_file.write_text(facts_file.read_text(encoding="utf-8")
                      .replace(",fiscal_aid,", ",fiscal_aid_funds,")
                      .replace("青岛市投入帮扶资金", "青岛市投入财政帮扶资金"), encoding="utf-8")
show(coopstats.validate(data, sources))
new = coopstats.load_facts(data)
new[new["article_id"] == "example_heze_2023"][["fact_id", "raw", "value", "unit", "quote"]]

# %%
shutil.rmtree(work)  # the shipped data were never touched

# %% [markdown]
# ## What this shows, and what it cannot
#
# * A pairing's position depends on which measures its article reports; a missing panel is
#   missing information, not a low value.
# * Changing `base_year` rescales every yuan figure by the CPI but never reorders pairings;
#   changing `denominator` to the donor's population asks a different question (how much a
#   donor gives relative to its own size).
# * A new article enters the comparisons only once it validates; the validator checks the
#   quote against your source text, so keep the text you coded from.
