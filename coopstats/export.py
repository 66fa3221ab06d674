"""Export the tidy facts with the codebook as xlsx, csv, json or Stata, safe for spreadsheets.

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

import pandas as pd

from ._atomic import NAME_MAX, atomic_path, check_target, write_text
from ._text import FORMULA_START
from .datasets import load_facts, load_indicators
from .schema import DERIVED_FACT_COLUMNS, SCHEMA

__all__ = ["DEFAULT_STEM", "FORMATS", "codebook_table", "export", "neutralise", "output_path"]

FORMATS = ("xlsx", "csv", "json", "dta")
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


def codebook_table() -> pd.DataFrame:
    """One row per column of the facts export: name, type, unit, meaning."""
    cols = [*SCHEMA["facts"].columns, *DERIVED_FACT_COLUMNS]
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
    return frame.astype(object).where(frame.notna(), None).map(neutralise)


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


def export(fmt: str, out: Path | str, data_dir: Path | None = None) -> list[Path]:
    """Write the facts and the codebook.

    Parameters
    ----------
    fmt : {"xlsx", "csv", "json", "dta"}
        ``xlsx``: one workbook with sheets ``facts``, ``codebook`` and ``indicators``;
        ``csv``: the facts, plus the codebook in ``<stem>.codebook.csv``; ``json``: the facts
        as a JSON array with one object per fact (missing values ``null``), plus the codebook
        in ``<stem>.codebook.json`` the same way; ``pd.read_json(path)`` reads either;
        ``dta``: the facts for Stata 14 or later (variable and value labels), plus the
        codebook in ``<stem>.codebook.dta``; ``pd.read_stata(path)`` reads either.
        Formulas are neutralised (:func:`neutralise`) in xlsx and csv only.
    out : Path or str
        Target file, or a folder (see :func:`output_path`).
    data_dir : Path, optional
        Data folder (default: the packaged data).

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
    target = output_path(fmt, out)
    written = [target] if fmt == "xlsx" else [target, _codebook_path(target, fmt)]
    for path in written:
        check_target(path)
    facts, codebook = load_facts(data_dir), codebook_table()
    if fmt == "xlsx":
        indicators = _for_spreadsheet(load_indicators(data_dir))
        with atomic_path(target) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            _for_spreadsheet(facts).to_excel(xw, sheet_name="facts", index=False)
            codebook.to_excel(xw, sheet_name="codebook", index=False)
            indicators.to_excel(xw, sheet_name="indicators", index=False)
    elif fmt == "csv":
        for frame, path in zip((_for_spreadsheet(facts), codebook), written, strict=True):
            with atomic_path(path) as tmp:
                frame.to_csv(tmp, index=False, encoding="utf-8")
    elif fmt == "dta":
        meaning = dict(zip(codebook["column"], codebook["meaning"], strict=True))
        _write_dta(written[0], facts, meaning)
        _write_dta(written[1], codebook, {})
    else:
        for frame, path in zip((facts, codebook), written, strict=True):
            _write_json(path, frame)
    return written
