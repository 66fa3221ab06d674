"""Check evidence quotes against the source articles, through their dirt.

The source texts are dirty in three ways that a quote must see through:

* page breaks and line breaks in the middle of words (``计\\n\\n划``);
* injected pinyin readings after characters (``協(xié)作``, ``萬(wàn)元``) in the
  traditional-character article;
* full-width versus half-width forms of punctuation and digits.

:func:`normalise` removes all three from both sides before a substring test.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from coopstats.dataset._files import read_file

__all__ = ["normalise", "one_sentence", "quote_in_source", "read_source", "script_hint",
           "sentence_of", "strip_pinyin"]

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


# normalised source texts by the sha256 of their bytes: a check reads each source once, and
# repeated checks (tests, a notebook) do not normalise the same text again
_NORMALISED: dict[bytes, str] = {}


def read_source(path: Path, root: Path | None = None) -> str:
    """Read and normalise a source article.

    Only a regular file inside ``root`` (default: its own folder) is read, at most
    :data:`coopstats.dataset._files.MAX_FILE_BYTES`; otherwise
    :class:`coopstats.dataset._files.Unreadable`
    says why (a symbolic link out of the folder, a FIFO, a device, too large, no permission).
    """
    data = read_file(path, path.parent if root is None else root)
    key = hashlib.sha256(data).digest()
    if key not in _NORMALISED:
        if len(_NORMALISED) >= 16:
            _NORMALISED.clear()
        _NORMALISED[key] = normalise(data.decode("utf-8-sig", errors="replace"))
    return _NORMALISED[key]


#: what ends a sentence (after :func:`normalise`)
_SENTENCE_END = re.compile("[。！？!?]")


def sentence_of(quote: str, source_text_normalised: str) -> str | None:
    """The (normalised) sentence of the source around the first place ``quote`` occurs:
    from after the previous 。！？ to the next one; None when the quote is not there.

    Examples
    --------
    >>> text = normalise("去年以来，投入100万元。今年，又投入50万元。")
    >>> sentence_of("又投入50万元", text)
    '今年,又投入50万元。'
    """
    q = normalise(quote)
    at = source_text_normalised.find(q) if q else -1
    if at < 0:
        return None
    start = max((m.end() for m in _SENTENCE_END.finditer(source_text_normalised, 0, at)),
                default=0)
    end = _SENTENCE_END.search(source_text_normalised, at + len(q))
    return source_text_normalised[start:end.end() if end else len(source_text_normalised)]


def one_sentence(text: str) -> bool:
    """Whether ``text`` is one sentence at most: no sentence ends before its last character.

    Examples
    --------
    >>> one_sentence("去年以来，投入100万元。"), one_sentence("投入100万元。今年又投入50万元")
    (True, False)
    """
    ends = [m.end() for m in _SENTENCE_END.finditer(normalise(text))]
    return not ends or ends == [len(normalise(text))]


def quote_in_source(quote: str, source_text_normalised: str) -> bool:
    """True when ``quote`` occurs in an already normalised source text."""
    q = normalise(quote)
    return bool(q) and q in source_text_normalised


def script_hint(quote: str, source_text_normalised: str, script: str) -> str:
    """For a quote not found in its article: ``""``, or a hint that the quote is written in
    the other script (a simplified quote of a traditional article, as a simplified input
    method types it), with the quote in the article's script where that is found there.

    Examples
    --------
    >>> text = normalise("實現消費幫扶1.38億元")
    >>> print(script_hint("实现消费帮扶1.38亿元", text, "traditional"))
    ; the article is in traditional characters and the quote in simplified ones: in the
    article it reads '實現消費幫扶1.38億元'
    >>> script_hint("实现", text, "unknown")
    ''
    """
    config = {"traditional": "s2t", "simplified": "t2s"}.get(script)
    if config is None:  # a bad script cell is reported in its row
        return ""
    import opencc  # (only when a quote is not found)

    converted = opencc.OpenCC(config).convert(quote)
    if converted == quote:
        return ""
    other = "simplified" if script == "traditional" else "traditional"
    hint = f"; the article is in {script} characters and the quote in {other} ones"
    if quote_in_source(converted, source_text_normalised):
        return f"{hint}: in the article it reads {converted!r}"
    changed = "".join(dict.fromkeys(a for a, b in zip(quote, converted, strict=False) if a != b))
    return f"{hint} ({changed[:10]}): write it as the article prints it"

