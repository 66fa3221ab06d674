"""An article's text as the evidence check reads it, mapped back to the text as printed.

:func:`coopstats.dataset.evidence.normalise` (pinyin removed, NFKC, no whitespace) is what quotes
are
matched against. :class:`ArticleText` keeps that normalised text together with where each of
its characters stands in the printed text (pinyin removed, line breaks kept), so that a span
found in the normalised text can be shown verbatim, and with the article's paragraphs,
sentences and clauses (codebook P7: a line break inside a sentence is a page break; a line
that ends a sentence, or a short line without a comma such as a heading or a caption, ends
its paragraph).

Examples
--------
>>> t = ArticleText.of("标题\\n\\n去年以来，投入１００万\\n\\n元。今年，又投入50万元。")
>>> t.norm
'标题去年以来,投入100万元。今年,又投入50万元。'
>>> at = t.norm.index("100")
>>> t.printed_span(*t.clause(at, at + 5)), t.quote(at, at + 5)
('投入１００万元。', '投入１００万元')
>>> [t.norm[s:e] for s, e in t.paragraphs()]
['标题', '去年以来,投入100万元。今年,又投入50万元。']
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from coopstats.dataset._files import read_file
from coopstats.dataset.evidence import strip_pinyin

__all__ = ["ArticleText", "read_article"]

#: what ends a sentence, after NFKC (as :func:`coopstats.dataset.evidence.sentence_of` reads it)
SENTENCE_END = "。!?"
#: what ends a clause (NFKC forms of ，；：too)
CLAUSE_END = SENTENCE_END + ",;:"
#: how a printed line ends a sentence (closing quotes and brackets may follow the mark)
_ENDS_SENTENCE = re.compile("[。！？!?…]['’”」』）)]*$")
#: a line this short without a comma is a heading or a caption: a paragraph of its own
_HEADING_MAX = 40
_COMMA = re.compile("[，,；;、]")


@dataclass(frozen=True)
class ArticleText:
    """The printed text (pinyin removed), its normalised form, and the map between them.

    ``norm[i]`` comes from ``printed[origin[i]]``; ``breaks`` are the normalised offsets
    where a paragraph starts (0 first).
    """

    printed: str
    norm: str
    origin: tuple[int, ...]
    breaks: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> ArticleText:
        """Read an article's text (as decoded from its file)."""
        printed = strip_pinyin(text.replace("\r\n", "\n").replace("\r", "\n"))
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(printed):
            for c in unicodedata.normalize("NFKC", ch):
                if not c.isspace():
                    chars.append(c)
                    origin.append(i)
        starts = _paragraph_starts(printed)
        breaks = sorted({bisect_right(origin, s - 1) for s in starts} | {0})
        return cls(printed, "".join(chars), tuple(origin),
                   tuple(b for b in breaks if b < len(chars)) or (0,))

    def printed_span(self, start: int, end: int) -> str:
        """The printed text of the normalised span [start, end), line breaks removed (a
        page break inside a word is joined, as the evidence check joins it)."""
        if end <= start:
            return ""
        text = self.printed[self.origin[start]:self.origin[end - 1] + 1]
        return re.sub(r"[ \t\u3000]*\n\s*", "", text)

    def paragraph(self, at: int) -> tuple[int, int]:
        """The normalised span of the paragraph holding offset ``at``."""
        i = bisect_right(self.breaks, at) - 1
        end = self.breaks[i + 1] if i + 1 < len(self.breaks) else len(self.norm)
        return self.breaks[i], end

    def paragraphs(self) -> list[tuple[int, int]]:
        """Every paragraph's normalised span, in order."""
        return [self.paragraph(b) for b in self.breaks]

    def _bounded(self, start: int, end: int, marks: str) -> tuple[int, int]:
        """The span around [start, end) from after the previous of ``marks`` to the next one
        (included), within the paragraph."""
        p_start, p_end = self.paragraph(start)
        s = start
        while s > p_start and self.norm[s - 1] not in marks:
            s -= 1
        e = end
        while e < p_end:
            e += 1
            if self.norm[e - 1] in marks:
                break
        return s, e

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The normalised span of the sentence holding [start, end)."""
        return self._bounded(start, end, SENTENCE_END)

    def quote(self, start: int, end: int) -> str:
        """The printed text of the shortest clause holding [start, end), without the mark
        that closes it: a verbatim quote for the span."""
        c_start, c_end = self.clause(start, end)
        if c_end > end and self.norm[c_end - 1] in CLAUSE_END:
            c_end -= 1
        return self.printed_span(c_start, c_end)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The normalised span of the shortest clause holding [start, end): from after the
        previous ，；：。！？ to the next one (included)."""
        return self._bounded(start, end, CLAUSE_END)


def _paragraph_starts(printed: str) -> list[int]:
    """Offsets of the printed text where a paragraph starts (P7): after a line that ends a
    sentence, and around a heading or caption (a short line with no comma); any other line
    break is a page break inside a sentence."""
    starts = [0]
    offset = 0
    lines = printed.split("\n")
    for i, line in enumerate(lines):
        end = offset + len(line) + 1
        text = line.strip()
        if text and i + 1 < len(lines):
            heading = len(text) <= _HEADING_MAX and not _COMMA.search(text)
            if heading:
                starts.append(offset)
            if heading or _ENDS_SENTENCE.search(text):
                starts.append(end)
        offset = end
    return starts


# articles by the sha256 of their bytes: the audit reads each source once per check, and
# repeated checks (tests, a notebook) do not map the same text again
_READ: dict[bytes, ArticleText] = {}


def read_article(path: Path, root: Path | None = None) -> ArticleText:
    """The article in file ``path``, read as :func:`coopstats.dataset.evidence.read_source` reads it
    (a regular file inside ``root``, at most 10 MB; else
    :class:`coopstats.dataset._files.Unreadable`)."""
    data = read_file(path, path.parent if root is None else root)
    key = hashlib.sha256(data).digest()
    if key not in _READ:
        if len(_READ) >= 16:
            _READ.clear()
        _READ[key] = ArticleText.of(data.decode("utf-8-sig", errors="replace"))
    return _READ[key]

