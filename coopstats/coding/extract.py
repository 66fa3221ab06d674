"""A draft facts table for an article: every figure-like string, with what can be suggested.

``coopstats extract ARTICLE.txt`` writes one row per figure-like string that
:func:`coopstats.dataset.scan.scan` finds, in the facts table's columns: ``raw`` as printed,
``quote``
(the shortest clause that holds it, verbatim), the qualifier the parser reads, a suggested
``indicator`` (the nearest term of ``indicators.terms_zh`` whose unit fits), ``status``
(planned markers), ``period_text``, ``period_basis`` and the years from nearby period words
(:mod:`coopstats.coding.period_words`), and, beside them, the parsed ``value``, interval and
``unit`` and a ``skip_reason`` for what the codebook does not code. The coder edits the
draft; nothing is written into a data folder.

Examples
--------
>>> rows = draft_rows("2023年，青岛市投入财政帮扶资金1.2亿元，将实施项目20余个。", year=2023)
>>> for r in rows:
...     print(r["raw"], r["indicator"], r["status"], r["skip_reason"])
2023年   date
1.2亿元 fiscal_aid_funds achieved
20余个 aid_projects planned
>>> rows[1]["quote"], rows[1]["period_basis"], rows[1]["period_start"], rows[1]["value"]
('青岛市投入财政帮扶资金1.2亿元', 'stated', '2023', '120000000')
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from coopstats.coding import period_words
from coopstats.dataset.article_text import ArticleText
from coopstats.dataset.evidence import normalise
from coopstats.dataset.numerals import FigureParseError, parse_figure
from coopstats.dataset.scan import Found, scan
from coopstats.dataset.schema import LIST_SEPARATOR, SCHEMA

__all__ = ["DRAFT_COLUMNS", "ArticleInfo", "Vocabulary", "article_info", "draft_csv",
           "draft_rows", "simplified"]

#: the draft's columns: the facts table's, then what the coder reads and deletes
DRAFT_COLUMNS: tuple[str, ...] = (*SCHEMA["facts"].column_names, "skip_reason", "value",
                                  "value_low", "value_high", "unit")
#: planned markers (codebook, "Status"), in simplified characters: 将, 预计, 计划, 力争, 目标,
#: 未来, 可 (a capacity: 年可, 可实现 …) and 到…末
PLANNED = re.compile("将|预计|计划|力争|目标|未来|年可|可实现|可达|可带动|可节约|可减少|"
                     "到[^,;。]{0,12}末")


@dataclass(frozen=True)
class Vocabulary:
    """The indicators a draft suggests from: (term, indicator id) pairs, longest term
    first, and each indicator's units and ``count_means``."""

    terms: tuple[tuple[re.Pattern, int, str], ...] = ()
    units: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: list[dict[str, str]]) -> Vocabulary:
        """From the rows of ``indicators.csv``; a ``…`` in a term stands for a few
        characters (``占…市场``)."""
        terms, units = [], {}
        for row in rows:
            ind = row.get("indicator_id", "")
            units[ind] = (tuple(row.get("units", "").split(LIST_SEPARATOR)),
                          row.get("count_means", ""))
            for term in filter(None, (normalise(t) for t in row.get("terms_zh", "").split(";"))):
                parts = [re.escape(p) for p in re.split("…|\\.\\.\\.", term)]
                terms.append((re.compile(".{0,15}?".join(parts)), len(term), ind))
        terms.sort(key=lambda t: -t[1])
        return cls(tuple(terms), units)

    def fits(self, indicator: str, unit: str | None) -> bool:
        """Whether a figure of ``unit`` may be coded with ``indicator``."""
        units, count_means = self.units.get(indicator, ((), ""))
        if unit == "count" and count_means:
            unit = count_means
        return unit in units


def simplified(norm: str) -> str:
    """``norm`` in simplified characters, character for character (the same length, so
    offsets stay valid), with OpenCC's traditional-to-simplified tables.

    >>> simplified("實施援建項目156個")
    '实施援建项目156个'
    """
    import opencc

    converter = opencc.OpenCC("t2s")
    whole = converter.convert(norm)
    if len(whole) == len(norm):
        return whole
    return "".join(converter.convert(c) if len(converter.convert(c)) == 1 else c for c in norm)


def _indicator(vocab: Vocabulary, text: str, f: Found, unit: str | None,
               window: tuple[int, int]) -> tuple[str, str]:
    """The indicator whose term stands nearest the figure within ``window`` (a term before
    the figure, or in it, is nearer than one after it), with the term; ("", "") if none."""
    best: tuple[int, int, str, str] | None = None
    lo, hi = window
    for pattern, length, ind in vocab.terms:
        if not vocab.fits(ind, unit):
            continue
        for m in pattern.finditer(text, lo, hi):
            after = m.start() >= f.end  # a term after the figure is farther than one before
            distance = 20 + m.start() - f.end if after else max(0, f.start - m.end())
            key = (distance, -length, ind, m.group())
            best = key if best is None or key < best else best
    return (best[2], best[3]) if best else ("", "")


def _status(text: str, sentence_start: int, f: Found) -> str:
    return "planned" if PLANNED.search(text, sentence_start, f.end) else "achieved"


def _row(text: ArticleText, plain: str, f: Found, vocab: Vocabulary, year: int | None,
         pairing_start: int | None) -> dict[str, str]:
    """One draft row (every column a string; blanks for the coder)."""
    row = dict.fromkeys(DRAFT_COLUMNS, "")
    c_start, c_end = text.clause(f.start, f.end)
    row.update(raw=f.raw, quote=text.quote(f.start, f.end), skip_reason=f.skip_reason)
    if f.skip_reason:
        return row
    notes = []
    try:
        figure = parse_figure(text.norm[f.start:f.end])
    except FigureParseError as err:
        notes.append(f"parse: {err.reason}")
        figure = None
    if figure is not None:
        row.update(qualifier=figure.qualifier, unit=figure.unit or "",
                   value=f"{figure.value:.15g}", value_low=f"{figure.low:.15g}",
                   value_high=f"{figure.high:.15g}")
        if figure.unit == "percent":
            row["measure_type"] = "share"
    s_start = text.sentence(f.start, f.end)[0]
    unit = figure.unit if figure else None
    ind, term = _indicator(vocab, plain, f, unit, (c_start, c_end))
    if not ind:
        ind, term = _indicator(vocab, plain, f, unit, (s_start, f.start))
    if ind:
        row["indicator"] = ind
        notes.append(f"indicator suggested from {term!r}")
    row["status"] = _status(plain, s_start, f)
    period = _as_of(period_words.period_of(plain, text.paragraph(f.start)[0], s_start,
                                           f.start, year, pairing_start), row["status"], year)
    row.update(period_text=period.text, period_basis=period.basis,
               period_start=str(period.start or ""), period_end=str(period.end or ""))
    if period.note:
        notes.append(period.note)
    row["note"] = "; ".join(notes)
    return row


def _as_of(period: period_words.Period, status: str, year: int | None
           ) -> period_words.Period:
    """An achieved figure the period words leave undated is as of the article (codebook P2,
    P3): ``as_of``, ending in the article's year (``year``; unknown: left ``none``). A plan
    is not "as of": it keeps ``none``.

    Examples
    --------
    >>> _as_of(period_words.Period(None, None, "none", ""), "achieved", 2023)[:3]
    (None, 2023, 'as_of')
    >>> _as_of(period_words.Period(None, None, "none", ""), "planned", 2023).basis
    'none'
    """
    if period.basis != "none" or status != "achieved" or year is None:
        return period
    return period_words.Period(None, year, "as_of", "", "as of the article (P3)")


def draft_rows(article: str, *, vocabulary: Vocabulary | None = None, year: int | None = None,
               pairing_start: int | None = None, article_id: str = "", prefix: str = "",
               pairing_id: str = "") -> list[dict[str, str]]:
    """The draft rows of an article's text (every value a string).

    Parameters
    ----------
    article : str
        The article's text as read from its file.
    vocabulary : Vocabulary, optional
        Indicators to suggest from (default: ``indicators.csv`` of :func:`coopstats.data_dir`).
    year : int, optional
        The article's year, for relative period words (去年, 12年来); without it their
        years are left blank.
    pairing_start : int, optional
        The pairing's start year as the article states it (for 累计 without a start).
    article_id, prefix, pairing_id : str
        Filled into every row (``fact_id`` as ``<prefix>-NNN`` for the rows to code).
    """
    if vocabulary is None:
        from coopstats.dataset.locations import data_dir

        vocabulary = Vocabulary.of(_read_rows(data_dir() / "indicators.csv"))
    text = ArticleText.of(article)
    plain = simplified(text.norm)
    rows, n = [], 0
    for f in scan(text):
        row = _row(text, plain, f, vocabulary, year, pairing_start)
        row.update(article_id=article_id, pairing_id=pairing_id if not f.skip_reason else "")
        if prefix and not f.skip_reason:
            n += 1
            row["fact_id"] = f"{prefix}-{n:03d}"
        rows.append(row)
    return rows


def draft_csv(rows: list[dict[str, str]]) -> str:
    """The rows as CSV text, in :data:`DRAFT_COLUMNS`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DRAFT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _read_rows(path: Path) -> list[dict[str, str]]:
    """A table's rows, read leniently (a draft needs no valid data): none if unreadable."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


@dataclass(frozen=True)
class ArticleInfo:
    """What a data folder says about an article file: its id, fact prefix and year, and
    its pairing and the pairing's stated start where the article has exactly one."""

    article_id: str = ""
    prefix: str = ""
    year: int | None = None
    pairing_id: str = ""
    pairing_start: int | None = None


def article_info(data_dir: Path, source_file: str) -> ArticleInfo:
    """The row of ``articles.csv`` whose ``source_file`` is ``source_file`` (read leniently:
    a draft needs no valid data), with its only pairing; empty when it is not listed.

    >>> from coopstats import data_dir
    >>> article_info(data_dir(), "001_552a04d937923135.txt")  # doctest: +NORMALIZE_WHITESPACE
    ArticleInfo(article_id='rizhao_qianjiang_2023', prefix='rq', year=2023,
                pairing_id='rizhao_qianjiang', pairing_start=2010)
    """
    row = next((r for r in _read_rows(data_dir / "articles.csv")
                if r.get("source_file") == source_file), None)
    if row is None:
        return ArticleInfo()
    date = row.get("pub_date", "")
    pairings = [r for r in _read_rows(data_dir / "pairings.csv")
                if r.get("article_id") == row.get("article_id")]
    one = pairings[0] if len(pairings) == 1 else {}
    start = one.get("start_year", "")
    return ArticleInfo(row.get("article_id", ""), row.get("fact_prefix", ""),
                       int(date[:4]) if date[:4].isdigit() else None, one.get("pairing_id", ""),
                       int(start) if start.isdigit() else None)

