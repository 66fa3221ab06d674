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
denominator = "recipient_population"   # a population, a share or "none":
#   "recipient_population", "donor_population": per resident (2020 census)
#   "donor_revenue", "recipient_gdp", "recipient_expenditure": yuan as a % of a budget or GDP
per_people = 100_000                   # counts per this many people (populations only)

# %%
import csv
import dataclasses
import shutil
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

import coopstats
from coopstats.analysis.denominators import for_measure
from coopstats.analysis.measures import MEASURES, compare_every
from coopstats.analysis.prose import say
from coopstats.dataset import parameters
from coopstats.dataset.parameters import rate_unit
from coopstats.figures import charts, plotting

plotting.setup()
data = coopstats.load_all()  # every table, validated once
# a typo in the parameters cell stops here, with one line saying what is allowed
parameters.check({"pairing_id": pairing_id, "base_year": base_year,
                  "denominator": denominator, "per_people": per_people},
                 parameters.Context(data))
print(data.labels[pairing_id], "—", data.programmes[pairing_id].replace("_", " "))

# %% [markdown]
# ## Everything the article reports for this pairing

# %%
mine = data.facts[data.facts["pairing_id"] == pairing_id]
mine[["fact_id", "scope", "indicator", "raw", "value_low", "value_high", "unit", "status",
      "period_start", "period_end", "grade", "quote"]].assign(
    value_low=mine["value_low"].map("{:,.0f}".format),
    value_high=mine["value_high"].map("{:,.0f}".format))

# %% [markdown]
# ## Where it stands on each comparable measure
#
# Every measure of `coopstats.analysis.measures.MEASURES` this pairing reports, with the other
# pairings that report it for context; counts are per `per_people` residents. Measures it
# does not report are skipped (not zero). When `denominator` is a share of a budget or GDP,
# counts stay per recipient resident (only yuan can be a share of yuan).

# %%
def measure_for(m):
    """The measure, counted per ``per_people`` (amounts in yuan are left as they are)."""
    return m if m.per == 1 else dataclasses.replace(m, per=per_people)


shown, why = {}, {}
done, refused = compare_every(data, list(map(measure_for, MEASURES.values())),
                              base_year=base_year, denominator=denominator,
                              stages="any")  # one pairing's profile: each row shows its stage
for key, reason in refused.items():  # a donor's effort over unlike funders
    why[MEASURES[key].label] = reason
for c in done.values():
    if pairing_id in set(c.table["pairing_id"].astype(str)):
        shown[c.measure.key] = c
    gone = c.left_out[c.left_out["pairing_id"].astype(str) == pairing_id]
    if pairing_id not in set(c.table["pairing_id"].astype(str)) and len(gone):
        why[c.measure.label] = "; ".join(sorted(set(gone["reason"].astype(str))))
quantity = {"yuan": f"{base_year} yuan"}
say("Reported: " + (", ".join(c.measure.label for c in shown.values()) or
                    "none of the comparable measures") + "." +
    "".join(f"\n* Left out: {label} ({reason})" for label, reason in why.items()))

# %%
if shown:
    fig, axes = plt.subplots(len(shown), 1, figsize=(13, 1.6 * len(shown) + 1.8),
                             squeeze=False,
                             height_ratios=[len(c.table) + 1 for c in shown.values()])
    for ax, c in zip(axes[:, 0], shown.values(), strict=True):
        m = c.measure
        xlabel = rate_unit(quantity.get(m.quantity, m.quantity),
                           for_measure(m, denominator), m.per, per_year=m.per_year)
        charts.rate_chart(c, data, ax=ax, xlabel=xlabel, log=len(c.table) > 1,
                          title=m.label)
        charts.highlight(ax, data.labels[pairing_id])
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
# `facts/<article_id>.csv`, one row per figure, coded as `data/CODEBOOK.md` says;
# 4. run the validator until it is clean.

# %%
work = Path(tempfile.mkdtemp(prefix="coopstats-walkthrough-"))
copy = work / "data"
shutil.copytree(coopstats.data_dir(), copy)
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


def header_of(path: Path) -> list[str]:
    """The column names of a CSV table."""
    with open(path, encoding="utf-8") as f:
        return next(csv.reader(f))


def append_row(path: Path, row: dict) -> None:
    """Add one row to a CSV table, in its own column order (missing cells left empty)."""
    with open(path, "a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=header_of(path), lineterminator="\n").writerow(row)


def write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    """Write a whole CSV table: the header, then the rows."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


append_row(copy / "articles.csv", {
    "article_id": "example_heze_2023", "fact_prefix": "ex", "source_file": "999_example.txt",
    "title_zh": "青岛菏泽协作（示例）", "title_en": "Qingdao and Heze (an invented example)",
    "pub_date": "2023", "pub_date_precision": "year",
    "pub_date_basis": "the text says 2023年", "script": "simplified"})

# %% [markdown]
# A first attempt at the figure, with two mistakes a newcomer makes: an indicator id that is
# not in the vocabulary, and a quote that is not verbatim.

# %%
facts_file = copy / "facts" / "example_heze_2023.csv"
header = header_of(copy / "facts" / "qingdao_partners_2023.csv")
fact = {
    "fact_id": "ex-001", "article_id": "example_heze_2023", "pairing_id": "qingdao_heze",
    "scope": "pairing", "indicator": "fiscal_aid", "raw": "1.2亿元", "qualifier": "exact",
    "status": "achieved", "period_start": "2023", "period_end": "2023",
    "period_text": "2023年", "period_basis": "stated", "funder_level": "city",
    "flow_stage": "disbursed", "direction": "not_applicable", "measure_type": "flow",
    "grade": "A", "quote": "青岛市投入帮扶资金1.2亿元", "note": "invented example"}
write_rows(facts_file, header, [fact])


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


show(coopstats.validate(copy, sources))

# %% [markdown]
# Each problem is one line with file, line and column: the indicator is
# `fiscal_aid_funds` (see `coopstats.load_indicators()`), and the quote must be copied
# verbatim (`财政帮扶资金`, not `帮扶资金`). Fixing both:

# %%
fact.update(indicator="fiscal_aid_funds", quote="2023年，青岛市投入财政帮扶资金1.2亿元")
write_rows(facts_file, header, [fact])
show(coopstats.validate(copy, sources))
# (without the five originals, the loader cannot check their quotes: load without sources)
new = coopstats.load_facts(copy, sources=sources if originals is not None else None)
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
#   donor gives relative to its own size), which is only meaningful where the donor city
#   alone paid (see each row's funder) and the donor has one partner.
# * A new article enters the comparisons only once it validates; the validator checks the
#   quote against your source text, so keep the text you coded from.
