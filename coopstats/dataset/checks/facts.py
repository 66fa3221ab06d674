"""The rules of a fact row, one function each: its article and id prefix, its scope, its
figure and unit, its period, its evidence; then no row twice.

Each rule is a function of ``(row, article, facts, out)``: the row, its article's row (None
when unknown or misfiled, already reported), what the rules look up (:class:`Facts`) and
the result to add problems to.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coopstats.dataset import evidence
from coopstats.dataset._text import ASCII_INT, quoted
from coopstats.dataset.checks.coding import (
    CODING_RULES,
    check_pairing_starts,
    check_parts,
    starts_of,
)
from coopstats.dataset.checks.result import Checked, Row
from coopstats.dataset.numerals import FigureParseError, parse_figure
from coopstats.dataset.schema import LIST_SEPARATOR

__all__ = ["check_facts", "check_prefixes"]


@dataclass
class Facts:
    """What the fact rules look up: the other tables by id, the facts by id, each pairing's
    start years (stated and external) and the source texts; and the (file, article id)
    pairs already reported as misfiled."""

    articles: dict[str, Row]
    pairings: dict[str, Row]
    indicators: dict[str, Row]
    texts: dict[str, str]
    by_id: dict[str, Row] = field(default_factory=dict)
    starts: dict[str, dict[str, int]] = field(default_factory=dict)
    misfiled: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def of(cls, out: Checked, texts: dict[str, str]) -> Facts:
        return cls({r["article_id"]: r for r in out.rows["articles"]},
                   {r["pairing_id"]: r for r in out.rows["pairings"]},
                   {r["indicator_id"]: r for r in out.rows["indicators"]}, texts,
                   by_id={r["fact_id"]: r for r in out.rows["facts"]},
                   starts=starts_of(out))


@functools.lru_cache(maxsize=64)
def _stem(display: str) -> str:
    return Path(display).stem


def _year(text: str) -> int | None:
    """A four-digit year written as the schema allows (ASCII digits, no leading zero)."""
    return int(text) if len(text) == 4 and ASCII_INT.fullmatch(text) and text[0] != "0" \
        else None


def _fact_article(row: Row, facts: Facts, out: Checked) -> Row | None:
    """The article of a fact row, or None when it is unknown or not the one its file is
    named after (said once per file and article id; the rules that depend on it skip)."""
    art = None if out.flagged(row, "article_id") else facts.articles.get(row["article_id"])
    if art is None:
        return None
    stem = _stem(row.display)
    if row["article_id"] != stem:
        if (row.display, row["article_id"]) not in facts.misfiled:
            facts.misfiled.add((row.display, row["article_id"]))
            out.add(row, "article_id", f"{row['article_id']!r} does not match the file name "
                                       f"({stem}.csv)")
        return None
    return art


def check_prefixes(out: Checked) -> None:
    """Fact ids start with their article's prefix. When none of an article's facts does,
    the prefix is what is wrong: one line on it, not one per fact."""
    facts: dict[str, list[Row]] = {}
    for row in out.rows["facts"]:
        if row["fact_id"] and not out.flagged(row, "fact_id") and \
                row["article_id"] == _stem(row.display):
            facts.setdefault(row["article_id"], []).append(row)
    for art in out.rows["articles"]:
        rows = facts.get(art["article_id"], [])
        if not rows or out.flagged(art, "fact_prefix") or out.flagged(art, "article_id"):
            continue
        wrong = [r for r in rows if not r["fact_id"].startswith(art["fact_prefix"] + "-")]
        if len(rows) > 1 and len(wrong) == len(rows):
            out.add(art, "fact_prefix", f"{art['fact_prefix']!r} starts none of the fact ids "
                                        f"in {rows[0].display} ({rows[0]['fact_id']!r} …)")
            continue
        for row in wrong:
            out.add(row, "fact_id", f"should start with the article's prefix "
                                    f"{art['fact_prefix']!r}-")


def _fact_scope(row: Row, art: Row | None, facts: Facts, out: Checked) -> None:
    """Scope decides which of pairing_id / subject_id is filled."""
    scope = row["scope"]
    if scope in ("pairing", "component"):
        if not row["pairing_id"]:
            out.add(row, "pairing_id", f"required for scope {scope!r}")
        if row["subject_id"]:
            out.add(row, "subject_id", f"must be empty for scope {scope!r} (the pairing "
                                       "says whom the figure is about)")
    elif scope in ("donor_all", "province"):
        if not row["subject_id"]:
            out.add(row, "subject_id", f"required for scope {scope!r}")
        if row["pairing_id"]:
            out.add(row, "pairing_id", f"must be empty for scope {scope!r}")


def _fact_figure(row: Row, art: Row | None, facts: Facts, out: Checked) -> None:
    """The figure in ``raw`` parses, and its qualifier agrees with the row."""
    if not row["raw"] or out.flagged(row, "raw"):
        return
    try:
        figure = parse_figure(row["raw"])
    except FigureParseError as err:
        out.add(row, "raw", err.reason + f" ({quoted(row['raw'])})")
        return
    except (ValueError, ArithmeticError):  # a parser bug must not hide the other problems
        out.add(row, "raw", f"{quoted(row['raw'])} cannot be read as a figure")
        return
    if row["qualifier"] and row["qualifier"] != figure.qualifier and \
            not out.flagged(row, "qualifier"):
        out.add(row, "qualifier", f"{row['qualifier']!r} but {quoted(row['raw'])} reads as "
                                  f"{figure.qualifier!r}")
    _figure_unit(row, figure.unit, facts.indicators.get(row["indicator"]), out)


def _figure_unit(row: Row, unit: str | None, ind: Row | None, out: Checked) -> None:
    """The figure's unit (a bare count read as the indicator's ``count_means``) is one of
    the indicator's units."""
    if ind is None or out.flagged(ind, "units") or out.flagged(ind, "count_means"):
        return
    units = ind["units"].split(LIST_SEPARATOR)
    if unit == "count" and ind["count_means"]:
        unit = ind["count_means"]
    if unit not in units:
        out.add(row, "raw", f"unit {unit or 'none'!r} of {quoted(row['raw'])} does not match "
                            f"indicator {row['indicator']!r} ({', '.join(units)})")


def _fact_period(row: Row, art: Row | None, facts: Facts, out: Checked) -> None:
    """The period: start before end, filled as its basis says, consistent with the
    pairing's start and the article's date."""
    dated = art is not None and not out.flagged(art, "pub_date")
    check_period(row, facts, out, art["pub_date"] if dated else "", "the article's")


def check_period(row: Row, facts: Facts, out: Checked, pub_date: str, whose: str) -> None:
    """The period rules of a fact or an external report: start before end, filled as its
    basis says, consistent with the pairing's start, and an achieved figure's period not
    ending after the year of ``pub_date`` (``whose`` date it is; none when "")."""
    start, end = _year(row["period_start"]), _year(row["period_end"])
    if start is not None and end is not None and start > end:
        out.add(row, "period_end", f"{end} is before period_start {start}")
    if row["period_basis"] == "none":
        _period_none(row, out)
        return
    year = _year(pub_date[:4]) if pub_date else None
    if row["period_basis"] == "as_of":
        _period_as_of(row, end, year, whose, out)
        return
    _period_basis(row, start, end, out)
    _period_pairing_start(row, start, facts, out)
    if year is not None and end is not None and row["status"] == "achieved" and end > year:
        out.add(row, "period_end", f"{end} is after {whose} year {year} for an achieved "
                                   "figure")


def _period_none(row: Row, out: Checked) -> None:
    """``none`` (P3): a plan with no period words; an achieved figure is ``as_of``."""
    if row["period_start"] or row["period_end"]:
        out.add(row, "period_basis", "'none' but a period is given")
    elif row["status"] == "achieved":
        out.add(row, "period_basis", "an achieved figure with no period words is 'as_of' "
                                     "the article, ending in its year (P3)")


def _period_as_of(row: Row, end: int | None, year: int | None, whose: str,
                  out: Checked) -> None:
    """``as_of`` (P2, P3): an achieved figure with no period words, as of the article: no
    start, no period words, and its end is the year of the article (``year``)."""
    if row["status"] != "achieved":
        out.add(row, "period_basis", "'as_of' is for achieved figures; a plan is 'none'")
    if row["period_start"] or row["period_text"]:
        out.add(row, "period_basis", "'as_of' needs an empty period_start and period_text")
    if end is None or (year is not None and end != year):
        out.add(row, "period_end", f"'as_of' ends in {whose} year"
                                   f"{f' {year}' if year is not None else ''}")


def _period_basis(row: Row, start: int | None, end: int | None, out: Checked) -> None:
    """Which years and words each period basis needs (basis ``none`` aside)."""
    basis = row["period_basis"]
    if basis in ("stated", "relative", "annual", "pairing_start", "article_frame") and not (
            row["period_start"] and row["period_end"]):
        out.add(row, "period_basis", f"{basis!r} needs both period_start and period_end")
    if basis in ("open_start", "recent") and (row["period_start"] or not row["period_end"]):
        out.add(row, "period_basis", f"{basis!r} needs an empty period_start and a "
                                     "period_end")
    # ('annual' over a span, start < end: the same per-year figure each year of it, P2)
    if basis and not row["period_text"]:
        out.add(row, "period_text", f"required when period_basis is {basis!r}")


def _period_pairing_start(row: Row, start: int | None, facts: Facts, out: Checked) -> None:
    """A period counted from the pairing's start starts in a year the pairing did: the year
    the article states, or one of the external layer's (context/pairing_starts.csv)."""
    pairing = facts.pairings.get(row["pairing_id"])
    if row["period_basis"] != "pairing_start" or pairing is None or start is None or \
            out.flagged(pairing, "start_year") or not out.keys_known("pairing_starts"):
        return
    starts = facts.starts.get(row["pairing_id"], {})
    if not starts:
        out.add(row, "period_basis", "'pairing_start' but the pairing has no start year "
                                     "(stated, or in context/pairing_starts.csv)")
    elif start not in starts.values():
        known = ", ".join(f"{y} ({k})" for k, y in sorted(starts.items(),
                                                          key=lambda ky: (ky[1], ky[0])))
        out.add(row, "period_start", f"{start} but the pairing started in {known}")


def _fact_evidence(row: Row, art: Row | None, facts: Facts, out: Checked) -> None:
    """The quote is in the article; the figure is in the quote."""
    text = facts.texts.get(row["article_id"])
    raw_ok = bool(row["raw"]) and not out.flagged(row, "raw")  # e.g. unparseable: said once
    quote_ok = bool(row["quote"]) and not out.flagged(row, "quote")
    if art is not None and text is not None and quote_ok and \
            not evidence.quote_in_source(row["quote"], text):
        out.add(row, "quote", f"not found in {art['source_file']}" + evidence.script_hint(
            row["quote"], text, art["script"]))
    elif raw_ok and quote_ok and evidence.normalise(row["raw"]) not in evidence.normalise(
            row["quote"]):
        out.add(row, "raw", f"{quoted(row['raw'])} is not in the quote")


#: The rules of one fact row, in the order they run.
_RULES: tuple[Callable[[Row, Row | None, Facts, Checked], None], ...] = (
    _fact_scope, _fact_figure, _fact_period, _fact_evidence, *CODING_RULES)
#: Two rows with the same values here code the same figure twice.
_SAME_FIGURE = ("article_id", "pairing_id", "scope", "indicator", "raw", "quote")


def _check_duplicates(out: Checked) -> None:
    """No figure is coded twice (same article, pairing, scope, indicator, raw and quote)."""
    out.add_duplicates([row for row in out.rows["facts"]  # indicator, raw or quote missing:
                        if all(row[c] for c in _SAME_FIGURE[3:])],  # already reported
                       _SAME_FIGURE)


def check_facts(out: Checked, texts: dict[str, str]) -> set[str]:
    """Every fact rule; returns the ids of articles whose facts are in a file named after
    another (already reported)."""
    facts = Facts.of(out, texts)
    for row in out.rows["facts"]:
        art = _fact_article(row, facts, out)
        for rule in _RULES:
            rule(row, art, facts, out)
    _check_duplicates(out)
    check_parts(out, facts)
    check_pairing_starts(out)
    return {article_id for _, article_id in facts.misfiled}
