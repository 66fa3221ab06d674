"""The rules of the external reports (``context/reports.csv``), one function each: the figure
and its unit, its evidence, its period and date, the coding-model fields, republications, and
links between reports of the same figure.

An external report is coded like a fact (codebook F1–F7, P1–P10) but its evidence is a short
excerpt of a public report, not an article in the sources folder: the figure must be in the
excerpt. The rules a fact shares are the fact rules themselves (imported from
:mod:`~coopstats.dataset.checks.facts` and :mod:`~coopstats.dataset.checks.coding`), so a rule is
declared
once. Like those, each is a function of ``(row, facts, out)``; the links between rows are
checked once every row is read.
"""

from __future__ import annotations

from collections.abc import Callable

from coopstats.dataset import evidence
from coopstats.dataset._text import quoted
from coopstats.dataset.checks.coding import (
    _fact_direction,
    _fact_funder,
    _fact_measure_type,
    _value,
)
from coopstats.dataset.checks.facts import Facts, _figure_unit, check_period
from coopstats.dataset.checks.result import Checked, Row
from coopstats.dataset.checks.tables import _date_problem
from coopstats.dataset.numerals import FigureParseError, parse_figure

__all__ = ["check_reports"]


def _report_figure(row: Row, facts: Facts, out: Checked) -> None:
    """``raw`` parses with the articles' parser, in a unit its indicator takes."""
    if not row["raw"] or out.flagged(row, "raw"):
        return
    try:
        figure = parse_figure(row["raw"])
    except FigureParseError as err:
        out.add(row, "raw", err.reason + f" ({quoted(row['raw'])})")
        return
    except (ValueError, ArithmeticError):
        out.add(row, "raw", f"{quoted(row['raw'])} cannot be read as a figure")
        return
    _figure_unit(row, figure.unit, facts.indicators.get(row["indicator"]), out)


def _report_evidence(row: Row, facts: Facts, out: Checked) -> None:
    """The excerpt is one sentence at most, and the figure is in it (both normalised as the
    articles' quotes are)."""
    excerpt = evidence.normalise(row["source_excerpt"])
    if not excerpt or out.flagged(row, "source_excerpt"):
        return
    if not evidence.one_sentence(excerpt):
        out.add(row, "source_excerpt", "more than one sentence: quote one sentence at most")
    elif row["raw"] and not out.flagged(row, "raw") and \
            evidence.normalise(row["raw"]) not in excerpt:
        out.add(row, "raw", f"{quoted(row['raw'])} is not in the source excerpt")


def _report_period(row: Row, facts: Facts, out: Checked) -> None:
    """The period rules of a fact, with the report's own date in place of the article's."""
    check_period(row, facts, out, "" if out.flagged(row, "pub_date") else row["pub_date"],
                 "the report's")


def _report_date(row: Row, facts: Facts, out: Checked) -> None:
    if row["pub_date"] and not out.flagged(row, "pub_date"):
        reason = _date_problem(row["pub_date"], row["pub_date_precision"])
        if reason:
            out.add(row, "pub_date", reason)


def _report_coding(row: Row, facts: Facts, out: Checked) -> None:
    """Who paid, how far the money got, the direction of trade and the measure type, as for
    a fact (F1–F4)."""
    for rule in (_fact_funder, _fact_direction, _fact_measure_type):
        rule(row, None, facts, out)


def _report_republication(row: Row, facts: Facts, out: Checked) -> None:
    """A republication is not independent and names what it copies; only a republication
    names one."""
    copies, independent = row["republishes"], row["independent"]
    if independent == "no" and not copies:
        out.add(row, "republishes", "required when independent is 'no': the article or "
                                    "report this row copies")
    elif copies and independent == "yes":
        out.add(row, "independent", f"'yes' but the row republishes {copies!r}")
    if not copies or out.flagged(row, "republishes"):
        return
    if copies == row["report_id"]:
        out.add(row, "republishes", "a report cannot republish itself")
    elif copies not in facts.articles and copies not in _report_ids(out):
        out.add(row, "republishes", f"unknown article or report id {copies!r}")


def _report_ids(out: Checked) -> set[str]:
    return {r["report_id"] for r in out.rows.get("reports", [])}


def _report_scope(row: Row, facts: Facts, out: Checked) -> None:
    """A pairing's figure names its pairing; a donor's or a province's names its subject
    (and may name the one partner province it covers), never a pairing: one line each."""
    scope, wide = row["scope"], row["scope"] in ("donor_all", "province")
    if not scope or out.flagged(row, "scope"):
        return
    if wide and row["pairing_id"]:
        out.add(row, "pairing_id", f"must be empty for scope {scope!r} (name the donor in "
                                   "subject_id)")
    elif wide and not row["subject_id"]:
        out.add(row, "subject_id", f"required for scope {scope!r}")
    elif not wide and not row["pairing_id"]:
        out.add(row, "pairing_id", f"required for scope {scope!r}")
    elif not wide and (row["subject_id"] or row["partner_id"]):
        col = "subject_id" if row["subject_id"] else "partner_id"
        out.add(row, col, f"must be empty for scope {scope!r} (the pairing says whom the "
                          "figure is about)")


#: The rules of one report row, in the order they run.
_RULES: tuple[Callable[[Row, Facts, Checked], None], ...] = (
    _report_scope, _report_figure, _report_evidence, _report_period, _report_date,
    _report_coding, _report_republication)


def _pub(row: Row, facts: Facts) -> str:
    """When a fact's article or a report was published (``YYYY[-MM[-DD]]``, compared as
    text on the common precision)."""
    art = facts.articles.get(row["article_id"]) if "fact_id" in row else None
    return art["pub_date"] if art is not None else row.get("pub_date", "")


def _figure_key(row: Row, facts: Facts) -> tuple | None:
    """What makes two rows the same figure: pairing, comparable group, interval and the
    coded period (None when a part of it is missing or wrong, already reported)."""
    ind = facts.indicators.get(row["indicator"])
    interval = _value(row)
    if ind is None or interval is None or not row["pairing_id"]:
        return None
    return (row["pairing_id"], ind["comparable_group"], interval, row["period_start"],
            row["period_end"])


def _link_problem(row: Row, target: Row | None, facts: Facts) -> str | None:
    """What is wrong with ``duplicate_of`` (None when it names an earlier row with the same
    figure and period)."""
    name = row["duplicate_of"]
    if target is None or target is row:
        return f"{name!r} is not a fact or another report"
    if _figure_key(target, facts) != _figure_key(row, facts):
        return (f"{name!r} is another pairing, figure or period ({target['raw']!r}, "
                f"{target['period_start'] or '…'}–{target['period_end'] or '…'})")
    here, there = _pub(row, facts), _pub(target, facts)
    common = min(len(here), len(there))
    if there[:common] > here[:common]:
        return f"{name!r} was published after this report ({there} > {here})"
    return None


def _check_links(out: Checked, facts: Facts) -> None:
    """``duplicate_of`` names a fact or an earlier report of the same figure and period; a
    report of a figure and period already coded names it (triangulation, codebook F5)."""
    reports = out.rows.get("reports", [])
    by_id = {**facts.by_id, **{r["report_id"]: r for r in reports}}
    first: dict[tuple, Row] = {}
    for row in sorted(out.rows["facts"], key=lambda r: _pub(r, facts)):
        key = _figure_key(row, facts) if not row["duplicate_of"] else None
        if key is not None and row["scope"] in ("pairing", "component"):
            first.setdefault(key, row)
    facts_known = out.keys_known("facts")
    for row in sorted(reports, key=lambda r: (_pub(r, facts), r.line)):
        key = _figure_key(row, facts)
        target = by_id.get(row["duplicate_of"])
        if target is None and row["duplicate_of"] and not facts_known:
            continue  # the facts could not all be read (said once): it may be one of them
        reason = None
        if row["duplicate_of"] and not out.flagged(row, "duplicate_of"):
            reason = _link_problem(row, target, facts)
            if reason:
                out.add(row, "duplicate_of", reason)
        elif key is not None and key in first:
            seen = first[key]
            name = seen.get("fact_id") or seen["report_id"]
            out.add(row, "duplicate_of", f"the same figure and period as {name} "
                                         f"({seen['raw']}): name it here")
        if key is not None and not reason:  # (a wrong link is said once, on its own row)
            first.setdefault(key, row)


def check_reports(out: Checked) -> None:
    """Every rule of the external reports (nothing when the table could not be read)."""
    if "reports" not in out.rows:
        return
    facts = Facts.of(out, {})
    for row in out.rows["reports"]:
        for rule in _RULES:
            rule(row, facts, out)
    _check_links(out, facts)
