"""Check evidence quotes against the source articles, through their dirt.

The source texts are dirty in three ways that a quote must see through:

* page breaks and line breaks in the middle of words (``计\\n\\n划``);
* injected pinyin readings after characters (``協(xié)作``, ``萬(wàn)元``) in the
  traditional-character article;
* full-width versus half-width forms of punctuation and digits.

:func:`normalise` removes all three from both sides before a substring test.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["normalise", "quote_in_source", "read_source", "strip_pinyin"]

# A pinyin reading: lower-case Latin letters, with or without tone marks, in parentheses.
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}\)")
_SPACE = re.compile(r"\s+")


def strip_pinyin(text: str) -> str:
    """Remove injected pinyin readings such as ``(xié)`` from ``text``.

    Examples
    --------
    >>> strip_pinyin("魯渝協(xié)作11074.12萬(wàn)元")
    '魯渝協作11074.12萬元'
    """
    return _PINYIN.sub("", text)


def normalise(text: str) -> str:
    """Normalise text for evidence matching.

    Removes injected pinyin, applies Unicode NFKC (full-width ``，`` → ``,``, ``％`` → ``%``)
    and drops all whitespace, including line and page breaks.

    Examples
    --------
    >>> normalise("计\\n\\n划将实现年新增")
    '计划将实现年新增'
    """
    text = strip_pinyin(text)
    text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text)


@lru_cache(maxsize=64)
def _read_normalised(path: str, mtime_ns: int) -> str:
    return normalise(Path(path).read_text(encoding="utf-8-sig", errors="replace"))


def read_source(path: Path) -> str:
    """Read and normalise a source article (cached while the file is unchanged)."""
    return _read_normalised(str(path), path.stat().st_mtime_ns)


def quote_in_source(quote: str, source_text_normalised: str) -> bool:
    """True when ``quote`` occurs in an already normalised source text."""
    q = normalise(quote)
    return bool(q) and q in source_text_normalised
