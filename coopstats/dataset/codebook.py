"""The column documentation, rendered from the schema so that it cannot drift from it.

One source, :mod:`coopstats.dataset.schema`, three renderings: plain text for ``coopstats
describe``,
markdown for ``coopstats describe --markdown`` (the column tables of ``data/CODEBOOK.md``,
between ``<!-- columns:TABLE -->`` and ``<!-- /columns -->``; a test compares them), and
numpydoc for the loaders' docstrings (:func:`document_columns`).

Examples
--------
>>> print(numpydoc("cpi").splitlines()[0])
- ``year`` (Int64, year): Year.
>>> print(markdown("cpi").splitlines()[2])
| `year` | int, year | Year. Required, unique; between 1949 and 2100. |
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import TypeVar

from coopstats.dataset.schema import DERIVED, KINDS, SCHEMA, Column

__all__ = ["document_columns", "kinds_markdown", "markdown", "markdown_all", "numpydoc",
           "tables_text", "text"]

_F = TypeVar("_F", bound=Callable)
_DERIVED_INTRO = "Added by the loader, derived from the cells (never typed by hand):"


def tables_text() -> str:
    """Every table, one line each: name, file, description (``coopstats describe``)."""
    return "".join(f"{name:12} {table.path:22} {table.description}\n"
                   for name, table in SCHEMA.items())


def text(name: str) -> str:
    """Table ``name``'s columns, derived ones included, as ``coopstats describe NAME``
    prints them."""
    table = SCHEMA[name]
    lines = [f"{table.name} ({table.path}): {table.description}"]
    for c in (*table.columns, *DERIVED.get(name, ())):
        extra = []
        if c.required:
            extra.append("required")
        if c.unit:
            extra.append(f"unit {c.unit}")
        if c.choices:
            extra.append("one of " + ", ".join(c.choices))
        if c.references:
            extra.append(f"→ {c.references}")
        tail = f" [{'; '.join(extra)}]" if extra else ""
        lines.append(f"  {c.name:22} {c.kind:8} {c.description}{tail}")
    return "\n".join(lines) + "\n"


def _choices(col: Column) -> tuple[str, ...]:
    """The choices to list: none when the description already names each of them
    (``achieved or planned.``), so that no line says the same thing twice."""
    named = all(re.search(rf"\b{re.escape(c)}\b", col.description) for c in col.choices)
    return () if named else col.choices


def _bounds(col: Column) -> str:
    lo, hi = (KINDS[col.kind].parse(b) for b in col.bounds or ())
    return f"between {lo:g} and {hi:g}"


def _rules(col: Column) -> str:
    """What a cell of ``col`` must be, beyond its kind: `` Required, unique; one of ….``"""
    rules = [", ".join(word for word, on in (("required", col.required),
                                             ("unique", col.unique)) if on)]
    if _choices(col):
        rules.append(("each" if KINDS[col.kind].separator else "one") + " of " +
                     ", ".join(f"`{c}`" for c in col.choices))
    if col.references:
        rules.append(f"an id in `{col.references}`")
    if col.pattern:
        rules.append(f"matches `{col.pattern}`")
    if col.bounds:
        rules.append(_bounds(col))
    said = "; ".join(rule for rule in rules if rule).replace("|", "\\|")
    return f" {said[0].upper()}{said[1:]}." if said else ""


def _escape(text: str) -> str:
    """Text as markdown shows it literally in a table cell (``<prefix>`` is not a tag)."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _markdown_rows(columns: tuple[Column, ...]) -> list[str]:
    rows = ["| column | type | meaning |", "|---|---|---|"]
    for c in columns:
        kind = c.kind + (f" ({c.dtype})" if c.dtype else "") + (f", {c.unit}" if c.unit else "")
        meaning = _escape(c.description) + _rules(c)
        rows.append(f"| `{c.name}` | {kind} | {meaning} |")
    return rows


def markdown(name: str) -> str:
    """Table ``name``'s columns as a markdown table (and the columns its loader derives),
    as ``coopstats describe --markdown NAME`` prints them and ``data/CODEBOOK.md`` holds
    them."""
    lines = _markdown_rows(SCHEMA[name].columns)
    if name in DERIVED:
        lines += ["", _DERIVED_INTRO, "", *_markdown_rows(DERIVED[name])]
    return "\n".join(lines) + "\n"


def kinds_markdown() -> str:
    """What each column type means, as a markdown table."""
    rows = ["| type | a cell holds | loaded as (pandas) | Frictionless type |",
            "|---|---|---|---|"]
    rows += [f"| {name} | {kind.meaning} | {kind.dtype} | {kind.frictionless} |"
             for name, kind in KINDS.items()]
    return "\n".join(rows) + "\n"


def markdown_all() -> str:
    """The whole data dictionary: the column types, then every table under a heading, its
    columns between the markers ``data/CODEBOOK.md`` uses."""
    parts = ["<!-- kinds -->\n" + kinds_markdown() + "<!-- /kinds -->\n"]
    parts += [f"### {table.path}\n\n<!-- columns:{name} -->\n{markdown(name)}<!-- /columns -->\n"
              for name, table in SCHEMA.items()]
    return "\n".join(parts)


def _dtype(col: Column) -> str:
    if col.references:
        return f"category of {col.references}"
    return col.pandas_dtype + (f", {col.unit}" if col.unit else "")


def _numpydoc_items(columns: tuple[Column, ...], width: int) -> list[str]:
    items = []
    for c in columns:
        choices = f" One of: {', '.join(_choices(c))}." if _choices(c) else ""
        items.append(textwrap.fill(f"- ``{c.name}`` ({_dtype(c)}): {c.description}{choices}",
                                   width, subsequent_indent="  ", break_on_hyphens=False))
    return items


def numpydoc(name: str, width: int = 88) -> str:
    """Table ``name``'s columns (then those its loader derives) as the list of a numpydoc
    ``Returns`` section: ``- ``name`` (dtype): description``."""
    items = _numpydoc_items(SCHEMA[name].columns, width)
    if name in DERIVED:
        items += ["", _DERIVED_INTRO, "", *_numpydoc_items(DERIVED[name], width)]
    return "\n".join(items)


#: the Parameters and Returns sections every table loader shares (``{sections}``)
_LOADER_SECTIONS = """Parameters
----------
data_dir : path, optional
    A copy of the data folder; default: the data shipped with the package.

Returns
-------
pandas.DataFrame
    One row per {row}:

    {{columns}}"""


def document_columns(name: str, row: str | None = None) -> Callable[[_F], _F]:
    """Decorator: replace the line ``{sections}`` of a loader's docstring with the shared
    Parameters and Returns sections (one ``row`` per …), and the line ``{columns}`` with
    table ``name``'s columns (:func:`numpydoc`), each indented as its line is."""
    def fill(doc: str, marker: str, text: str) -> str:
        for line in doc.splitlines():
            if line.strip() == marker:
                indent = line[: len(line) - len(line.lstrip())]
                doc = doc.replace(line, textwrap.indent(text, indent))
        return doc

    def decorate(func: _F) -> _F:
        doc = func.__doc__ or ""  # (None under python -OO)
        if row is not None:
            doc = fill(doc, "{sections}", _LOADER_SECTIONS.format(row=row))
        func.__doc__ = fill(doc, "{columns}", numpydoc(name))
        return func
    return decorate
