"""The completeness audit: every figure-like string of an article is coded or deliberately
skipped.

For each article, every figure-like string :func:`coopstats.dataset.scan.scan` finds and does not
itself rule out (dates, ordinals, durations … have a ``skip_reason``) must be covered by a
fact (its ``raw``, where its ``quote`` stands in the article) or by a row of ``skips.csv``
(article, raw, quote, reason). An uncovered one is one problem line naming the article, the
figure and its clause. The rows of ``skips.csv`` are checked like facts' evidence (the quote
is in the article, the string in the quote), and a skip that a fact codes, or that covers
no figure-like string, is a problem too (the two tables would disagree).

The audit runs last, and only when everything else is clean: a broken fact row cannot say
which figure it codes, so its figure would be reported a second time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coopstats.dataset import evidence
from coopstats.dataset._files import Unreadable
from coopstats.dataset._text import quoted
from coopstats.dataset.article_text import ArticleText, read_article
from coopstats.dataset.checks.result import Checked, Row, display

if TYPE_CHECKING:
    from coopstats.dataset.scan import Found

__all__ = ["check_completeness", "check_skips", "figure_span"]


def figure_span(text: ArticleText, quote: str, raw: str) -> tuple[int, int] | None:
    """Where ``raw`` stands in the article: inside the first place ``quote`` occurs (as the
    evidence check finds it), as a normalised span; None when it is not there.

    Examples
    --------
    >>> t = ArticleText.of("投入350万元，建立基地；投入500万元。")
    >>> figure_span(t, "投入500万元", "500万元"), figure_span(t, "投入600万元", "600万元")
    ((15, 20), None)
    """
    q, r = evidence.normalise(quote), evidence.normalise(raw)
    at = text.norm.find(q) if q else -1
    inside = q.find(r) if at >= 0 and r else -1
    return (at + inside, at + inside + len(r)) if inside >= 0 else None


def check_skips(out: Checked, texts: dict[str, str]) -> None:
    """Each row of skips.csv: its quote is in its article, its string in its quote."""
    articles = {r["article_id"]: r for r in out.rows["articles"]}
    for row in out.rows.get("skips", []):
        text = texts.get(row["article_id"])
        if out.flagged(row, "quote") or out.flagged(row, "raw") or not row["quote"]:
            continue
        if text is not None and not evidence.quote_in_source(row["quote"], text):
            art = articles[row["article_id"]]
            out.add(row, "quote", f"not found in {art['source_file']}" + evidence.script_hint(
                row["quote"], text, art["script"]))
        elif evidence.normalise(row["raw"]) not in evidence.normalise(row["quote"]):
            out.add(row, "raw", f"{quoted(row['raw'])} is not in the quote")


def _spans(text: ArticleText, rows: list[Row]) -> tuple[list[tuple[int, int, Row]], set[str]]:
    """The located spans of ``rows`` (facts or skips), and the normalised strings of rows
    that cannot be located (they cover any figure-like string that reads the same)."""
    spans, loose = [], set()
    for row in rows:
        span = figure_span(text, row["quote"], row["raw"])
        if span is None:
            loose.add(evidence.normalise(row["raw"]))
        else:
            spans.append((*span, row))
    return spans, loose


def _covering(f: Found, spans: list[tuple[int, int, Row]], loose: set[str]) -> Row | bool:
    """The row whose span overlaps ``f`` (True for a row that could not be located)."""
    for start, end, row in spans:
        if start < f.end and f.start < end:
            return row
    return evidence.normalise(f.raw) in loose


def _audit_article(out: Checked, art: Row, text: ArticleText, facts: list[Row],
                   skips: list[Row]) -> None:
    from coopstats.dataset.scan import (
        scan,  # the scanner's patterns: only when articles are audited
    )

    coded, coded_loose = _spans(text, facts)
    skipped, skipped_loose = _spans(text, skips)
    facts_file = display(out.data_dir / "facts" / f"{art['article_id']}.csv")
    used: set[int] = set()
    for f in scan(text):
        skip = _covering(f, skipped, skipped_loose)
        fact = _covering(f, coded, coded_loose)
        if isinstance(skip, Row):
            used.add(id(skip))
            if isinstance(fact, Row):
                out.add(skip, "raw", f"{quoted(skip['raw'])} is coded as {fact['fact_id']} "
                                     f"({fact.display}:{fact.line}); remove it from skips.csv")
        if f.skip_reason or fact or skip:
            continue
        out.add(None, "(audit)", f"{quoted(f.raw)} is neither coded nor listed in skips.csv "
                                 f"(its clause in {art['source_file']}: "
                                 f"{text.quote(f.start, f.end)})",
                display=facts_file, line=0)
    for _, _, row in skipped:
        if id(row) not in used:
            out.add(row, "raw", f"{quoted(row['raw'])} is no figure-like string of the article "
                                "(coopstats extract does not list it); remove the row")


def check_completeness(out: Checked, sources: Path) -> None:
    """The audit of every article whose source is in ``sources`` (run on clean data)."""
    by_article: dict[str, tuple[list[Row], list[Row]]] = {}
    for name, slot in (("facts", 0), ("skips", 1)):
        for row in out.rows.get(name, []):
            by_article.setdefault(row["article_id"], ([], []))[slot].append(row)
    for art in out.rows["articles"]:
        try:
            text = read_article(sources / art["source_file"], root=sources)
        except Unreadable:  # reported by the evidence check
            continue
        facts, skips = by_article.get(art["article_id"], ([], []))
        _audit_article(out, art, text, facts, skips)
