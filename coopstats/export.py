"""Export the tidy facts with the codebook as xlsx, csv, json or Stata, safe for spreadsheets;
and, when asked, the other tables of the data and the tables the library computes (the
budget-year panel, every rate compared, donor effort: :mod:`coopstats.analysis.computed`).

In xlsx and csv, cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return) are prefixed with an apostrophe, the OWASP-recommended
neutralisation; JSON and Stata keep the values as they are (no spreadsheet reads them). The
Stata file (format 118, Stata 14 or later; R reads it with ``haven::read_dta``) has each
column's meaning as its variable label and each categorical's categories as value labels;
a missing text is ``""`` there (Stata has no other missing string).
Every file is written under a temporary name and renamed into place, so an interrupted export
never leaves a half-written file, and a target that cannot be written is refused before the
data is read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from coopstats.dataset._atomic import NAME_MAX, atomic_path, check_target, write_text
from coopstats.dataset._text import FORMULA_START
from coopstats.dataset.loaders import load_all
from coopstats.dataset.schema import DERIVED, DERIVED_FACT_COLUMNS, SCHEMA, Column

__all__ = ["DEFAULT_STEM", "FORMATS", "TABLES", "codebook_table", "columns_of", "export",
           "neutralise", "output_path"]

FORMATS = ("xlsx", "csv", "json", "dta")
#: Tables ``export`` writes: the data's (``Dataset`` attributes) and the computed ones.
DATA_TABLES = ("facts", "articles", "pairings", "places", "indicators", "context", "finance",
               "benchmarks", "cpi", "gdp_deflator", "pairing_starts", "reports")
COMPUTED_TABLES = ("panel", "rates", "effort")
TABLES = (*DATA_TABLES, *COMPUTED_TABLES)
#: The longest text a Stata ``str`` column holds, in bytes; longer text is written as strL.
STATA_STR_MAX = 2045
#: The longest variable label Stata keeps, in characters.
STATA_LABEL_MAX = 80
#: File name (without suffix) of an export written into a folder.
DEFAULT_STEM = "coopstats-facts"


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("6万—8万元")
    '6万—8万元'
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def columns_of(table: str) -> list[Column]:
    """The columns of an exported table: the schema's and the loader's derived ones, or a
    computed table's (:mod:`coopstats.analysis.computed`)."""
    if table in COMPUTED_TABLES:
        from coopstats.analysis.computed import COMPUTED

        return list(COMPUTED[table].columns)
    derived = DERIVED_FACT_COLUMNS if table == "facts" else DERIVED.get(table, ())
    return [*SCHEMA[table].columns, *derived]


def codebook_table(table: str = "facts") -> pd.DataFrame:
    """One row per column of an exported table: name, type, unit, meaning."""
    cols = columns_of(table)
    return pd.DataFrame({
        "column": [c.name for c in cols],
        "type": [c.kind for c in cols],
        "unit": [c.unit or "" for c in cols],
        "allowed": [", ".join(c.choices) for c in cols],
        "meaning": [c.description for c in cols],
    })


def output_path(fmt: str, out: Path | str) -> Path:
    """The file ``export`` writes for ``--out``: ``out`` itself, or ``coopstats-facts.<fmt>``
    inside it when ``out`` is a folder (an existing one, or a path ending in ``/``).

    Examples
    --------
    >>> output_path("json", "exports/")
    PosixPath('exports/coopstats-facts.json')
    >>> output_path("csv", "."), output_path("csv", "f.csv")
    (PosixPath('coopstats-facts.csv'), PosixPath('f.csv'))
    """
    text = os.fspath(out)
    if text.endswith(("/", os.sep)) or os.path.isdir(text):
        return Path(text) / f"{DEFAULT_STEM}.{fmt}"
    return Path(text)


def _codebook_path(target: Path, fmt: str) -> Path:
    """``<stem>.codebook.<fmt>`` beside ``target``, the stem shortened if the name would be
    longer than a file name may be."""
    tail, stem = f".codebook.{fmt}", target.stem
    while len(os.fsencode(stem + tail)) > NAME_MAX and len(stem) > 1:
        stem = stem[:-1]
    return target.with_name(stem + tail)


def _for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """Text neutralised, missing values None, whole numbers kept whole (a year is ``2022``,
    never ``2022.0``), column by column so that no column is re-read as floats."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        values = frame[col].astype(object).where(frame[col].notna(), None)
        out[col] = pd.Series([neutralise(v) for v in values], index=frame.index,
                             dtype=object)
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """One dict per row, values as JSON types, a missing value as None (JSON ``null``)."""
    rows = frame.astype(object).to_dict(orient="records")
    return [{k: None if pd.isna(v) else v for k, v in row.items()} for row in rows]


def _write_json(target: Path, frame: pd.DataFrame) -> None:
    text = json.dumps(_records(frame), ensure_ascii=False, indent=1, allow_nan=False)
    write_text(target, text + "\n")


def _write_dta(target: Path, frame: pd.DataFrame, labels: dict[str, str]) -> None:
    """``frame`` as a Stata 118 file: categoricals as value labels, ``labels`` (column →
    meaning, shortened to what Stata keeps) as variable labels, text too long for a Stata
    ``str`` as strL."""
    def short(text: str) -> str:
        return text if len(text) <= STATA_LABEL_MAX else text[:STATA_LABEL_MAX - 1] + "…"

    text_cols = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])
                 and not isinstance(frame[c].dtype, pd.CategoricalDtype)]
    long = [c for c in text_cols
            if frame[c].dropna().map(lambda v: len(str(v).encode())).max(skipna=True)
            > STATA_STR_MAX]
    with atomic_path(target) as tmp:
        frame.to_stata(tmp, version=118, write_index=False, convert_strl=long,
                       variable_labels={c: short(labels[c]) for c in frame.columns
                                        if labels.get(c)})


def _frames(tables: tuple[str, ...], data_dir: Path | None) -> dict[str, pd.DataFrame]:
    """Each table to export, its columns in the codebook's order; whole numbers as nullable
    integers, kept whole in every format (Stata: int, or long for wide ranges)."""
    data = load_all(data_dir)
    out = {}
    for name in tables:
        if name in COMPUTED_TABLES:
            from coopstats.analysis.computed import COMPUTED

            frame = COMPUTED[name].build(data)
        else:
            frame = getattr(data, name)
        cols = [c.name for c in columns_of(name) if c.name in frame.columns]
        frame = frame[cols].copy()
        for c in columns_of(name):
            if c.kind == "int" and c.name in frame:
                frame[c.name] = pd.array(frame[c.name], dtype="Int64")
            elif c.kind == "float" and c.name in frame:  # unbounded: an empty cell
                frame[c.name] = frame[c.name].astype(float).replace([np.inf, -np.inf], np.nan)
        out[name] = frame
    return out


def _stem(target: Path, table: str, many: bool) -> Path:
    """``coopstats-<table>.<fmt>`` in the folder of a multi-table export, else ``target``."""
    return target.with_name(f"coopstats-{table}{target.suffix}") if many else target


def _for_stata(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole numbers as Stata integers (int when they fit, else long), a missing one ".";
    booleans as 0/1 bytes."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.Int64Dtype):
            small = out[col].dropna().abs().max() if out[col].notna().any() else 0
            out[col] = out[col].astype("Int16" if small < 32_000 else "Int32")
        elif out[col].dtype == bool:
            out[col] = out[col].astype("int8")
    return out


def export(fmt: str, out: Path | str, data_dir: Path | None = None, *,
           tables: tuple[str, ...] = ("facts",)) -> list[Path]:
    """Write tables of the data (the facts by default) and their codebooks.

    Parameters
    ----------
    fmt : {"xlsx", "csv", "json", "dta"}
        ``xlsx``: one workbook with a sheet per table, ``codebook`` (and ``indicators`` for
        the facts alone); ``csv``: each table, plus its codebook in
        ``<stem>.codebook.csv``; ``json``: each table as a JSON array with one object per
        row (missing values ``null``), plus its codebook the same way; ``pd.read_json(path)``
        reads either; ``dta``: each table for Stata 14 or later (variable and value labels,
        whole numbers as integers), plus its codebook; ``pd.read_stata(path)`` reads either.
        Formulas are neutralised (:func:`neutralise`) in xlsx and csv only. A csv export of
        several tables also writes ``datapackage.json`` (Frictionless) describing them.
    out : Path or str
        Target file, or a folder (see :func:`output_path`); with several tables (other than
        in one xlsx workbook) a folder, where each is ``coopstats-<table>.<fmt>``.
    data_dir : Path, optional
        Data folder (default: the packaged data).
    tables : tuple of str
        Any of :data:`TABLES`; computed tables need the ``analysis`` extra (scipy).

    Returns
    -------
    list of Path
        Files written.

    Raises
    ------
    OutputError
        When a file cannot be written there; raised before the data is read, and nothing,
        not even a missing parent folder, is created then.
    DataValidationError
        When the data is invalid; nothing is written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    unknown = [t for t in tables if t not in TABLES]
    if unknown or not tables:
        raise ValueError(f"tables must be among {', '.join(TABLES)}, not "
                         f"{', '.join(map(repr, unknown)) or 'none'}")
    many = tables != ("facts",)
    if not many:
        target = output_path(fmt, out)
    elif fmt == "xlsx":  # one workbook of every table asked for
        target = output_path(fmt, out)
        target = target.with_name("coopstats.xlsx") if target.name == \
            f"{DEFAULT_STEM}.xlsx" else target
    else:
        target = Path(os.fspath(out)) / f"{DEFAULT_STEM}.{fmt}"
    if fmt == "xlsx":
        written = [target]
    else:
        written = [p for t in tables for p in (_stem(target, t, many),
                                               _codebook_path(_stem(target, t, many), fmt))]
        if many and fmt == "csv":
            written.append(target.with_name("datapackage.json"))
    for path in written:
        check_target(path)
    if fmt == "xlsx":  # the facts alone come with their indicators, as before
        _write_xlsx(target, _frames(tables if many else ("facts", "indicators"), data_dir),
                    tables)
        return written
    frames = _frames(tables, data_dir)
    for name, frame in frames.items():
        path = _stem(target, name, many)
        _write_one(fmt, path, _codebook_path(path, fmt), frame, codebook_table(name))
    if many and fmt == "csv":
        from coopstats.dataset.datapackage import exported

        write_text(written[-1], exported(tables, {t: columns_of(t) for t in tables}))
    return written


def _write_one(fmt: str, path: Path, codebook_path: Path, frame: pd.DataFrame,
               codebook: pd.DataFrame) -> None:
    if fmt == "csv":
        for f, p in ((_for_spreadsheet(frame), path), (codebook, codebook_path)):
            with atomic_path(p) as tmp:
                f.to_csv(tmp, index=False, encoding="utf-8")
    elif fmt == "dta":
        meaning = dict(zip(codebook["column"], codebook["meaning"], strict=True))
        _write_dta(path, _for_stata(frame), meaning)
        _write_dta(codebook_path, codebook, {})
    else:
        _write_json(path, frame)
        _write_json(codebook_path, codebook)


def _write_xlsx(target: Path, frames: dict[str, pd.DataFrame],
                tables: tuple[str, ...]) -> None:
    """One workbook: a sheet per table and the codebook of the tables asked for (every
    table's columns, with a ``table`` column when there are several)."""
    if len(tables) > 1:
        codebook = pd.concat({t: codebook_table(t) for t in tables}, names=["table", "row"]) \
            .reset_index(level="table").reset_index(drop=True)
    else:
        codebook = codebook_table(tables[0])
    with atomic_path(target) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xw:
        for name in tables:
            _for_spreadsheet(frames[name]).to_excel(xw, sheet_name=name, index=False)
        codebook.to_excel(xw, sheet_name="codebook", index=False)
        for name in frames.keys() - set(tables):  # the indicators beside the facts
            _for_spreadsheet(frames[name]).to_excel(xw, sheet_name=name, index=False)
