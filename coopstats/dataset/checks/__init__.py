"""Validate a copy of the dataset: cells, cross-table rules and evidence, all problems at once.

Every problem is one :class:`~coopstats.dataset.csvfile.Problem` (``path:line: column: reason``).
Nothing here raises on bad data and nothing writes a file. The rules are grouped by theme:
:mod:`~coopstats.dataset.checks.cells` (each cell, by its column's kind),
:mod:`~coopstats.dataset.checks.tables` (ids, references and each table's own rules),
:mod:`~coopstats.dataset.checks.facts` (one function per rule of a fact row) and
:mod:`~coopstats.dataset.checks.reports` (the external reports).
"""

from __future__ import annotations

import os
from pathlib import Path

from coopstats.dataset._files import Unreadable, folder, search_folder
from coopstats.dataset.checks import audit, tables
from coopstats.dataset.checks.cells import read
from coopstats.dataset.checks.facts import check_facts, check_prefixes
from coopstats.dataset.checks.reports import check_reports
from coopstats.dataset.checks.result import Checked, Row, display
from coopstats.dataset.csvfile import Problem
from coopstats.dataset.schema import SCHEMA

__all__ = ["Checked", "Row", "check", "validate"]


def _folder_problem(out: Checked, path: Path, what: str, *, listing: bool = False
                    ) -> list[str] | None:
    """The entries of folder ``path`` (none unless ``listing``), or None after one line
    saying why it cannot be used."""
    try:
        return search_folder(path, listing=listing)
    except Unreadable as err:
        out.add(None, "(folder)", f"{what} not found" if err.missing else err.reason,
                display=display(path), line=0)
        return None


def _read_tables(out: Checked) -> dict[str, Path]:
    """Read every table into ``out.rows``; return the facts files by article id."""
    blocked: set[str] = set()  # sub-folders that exist but cannot be opened: one line each
    for sub in sorted({os.path.dirname(t.path) for t in SCHEMA.values()} - {"", "facts"}):
        try:
            search_folder(out.data_dir / sub)
        except Unreadable as err:
            if not err.missing:
                _folder_problem(out, out.data_dir / sub, sub)
                blocked.add(sub)
    for name, table in SCHEMA.items():
        if table.many_files:
            continue
        if os.path.dirname(table.path) in blocked:
            out.unreadable.add(name)
            out.rows[name] = []
        else:
            out.rows[name] = read(table, out.data_dir / table.path, out)
    facts_dir = out.data_dir / "facts"
    names = _folder_problem(out, facts_dir, "facts folder", listing=True)
    if names is None:
        out.unreadable.add("facts")
    facts_files = {Path(n).stem: facts_dir / n for n in sorted(names or []) if n.endswith(".csv")}
    out.rows["facts"] = []
    for path in facts_files.values():
        out.rows["facts"].extend(read(SCHEMA["facts"], path, out))
    return facts_files


def check(data_dir: Path | str, sources: Path | str | None = None) -> Checked:
    """Read and check every table under ``data_dir``.

    Only regular files inside ``data_dir`` (and, for the articles, inside ``sources``) are
    read, each at most :data:`coopstats.dataset._files.MAX_FILE_BYTES`; a symbolic link leading
    out of its folder, a FIFO, a device or an unreadable file or folder is one problem line.

    Parameters
    ----------
    data_dir : Path
        Folder with ``articles.csv``, ``places.csv``, ``pairings.csv``, ``indicators.csv``,
        ``context/*.csv`` and ``facts/*.csv``. An empty string is refused (``ValueError``):
        it would silently mean the current folder.
    sources : Path, optional
        Folder with the source articles; when given, every quote is checked against them,
        and, once everything else is clean, every figure-like string of every article must
        be coded or listed in ``skips.csv`` (the completeness audit,
        :mod:`coopstats.dataset.checks.audit`).

    Returns
    -------
    Checked
        The rows of every table (as text, with file and line) and all problems.
    """
    out = Checked(folder(data_dir))
    sources = folder(sources) if sources is not None else None
    if _folder_problem(out, out.data_dir, "data folder") is None:
        return out
    listed = _folder_problem(out, sources, "sources folder", listing=True) \
        if sources is not None else None
    if listed is None:
        sources = None
    facts_files = _read_tables(out)
    tables.check_renamed_article(out, facts_files)
    out.note_bad_keys()
    for name, rows in out.rows.items():
        if name == "facts":  # an article that reuses another's prefix: said once, there
            rows = tables.without_taken_prefix(out, rows)
        tables.check_unique(SCHEMA[name], rows, out)
    tables.check_references(out)
    tables.check_articles(out)
    tables.check_places(out)
    tables.check_indicators(out)
    texts = tables.source_texts(out, sources, set(listed or ()))
    tables.check_pairings(out, texts)
    check_prefixes(out)
    misfiled = check_facts(out, texts)
    tables.check_facts_files(out, facts_files, misfiled)
    tables.check_context(out)
    check_reports(out)
    audit.check_skips(out, texts)
    if sources is not None and not out.problems:  # last, on clean data (see checks.audit)
        audit.check_completeness(out, sources)
    out.problems.sort(key=lambda p: (p.path, p.line, p.column))
    return out


def validate(data_dir: Path | str | None = None, sources: Path | str | None = None
             ) -> list[Problem]:
    """Validate the dataset and return every problem (an empty list when it is clean).

    Parameters
    ----------
    data_dir : path, optional
        A copy of the data folder; default: the data shipped with the package.
    sources : path, optional
        Folder of source articles for the evidence check; default: ``$COOPSTATS_SOURCES`` if
        set, else no evidence check.

    Returns
    -------
    list of Problem
        Each prints as ``path:line: column: reason``.

    Examples
    --------
    >>> import coopstats
    >>> coopstats.validate()
    []
    """
    from coopstats.dataset.locations import resolve_data_dir, sources_dir

    return check(resolve_data_dir(data_dir), sources_dir(sources)).problems
