"""Export the tidy facts with the codebook as xlsx, csv or json, safe for spreadsheets.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) are prefixed with an apostrophe, the OWASP-recommended
neutralisation. Every file is written under a temporary name and renamed into place, so an
interrupted export never leaves a half-written file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ._atomic import atomic_path, write_text
from .datasets import load_facts, load_indicators
from .schema import DERIVED_FACT_COLUMNS, SCHEMA

__all__ = ["FORMATS", "codebook_table", "export", "neutralise"]

FORMATS = ("xlsx", "csv", "json")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("6万—8万元")
    '6万—8万元'
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS):
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


def _tidy(data_dir: Path | None) -> pd.DataFrame:
    facts = load_facts(data_dir)
    out = facts.astype(object).where(facts.notna(), None)
    return out.map(neutralise)


def export(fmt: str, out: Path, data_dir: Path | None = None) -> list[Path]:
    """Write the facts and the codebook.

    Parameters
    ----------
    fmt : {"xlsx", "csv", "json"}
        ``xlsx``: one workbook with sheets ``facts``, ``codebook`` and ``indicators``;
        ``csv``: ``out`` plus ``<stem>.codebook.csv``; ``json``: one file with both.
    out : Path
        Target file.
    data_dir : Path, optional
        Data folder (default: the packaged data).

    Returns
    -------
    list of Path
        Files written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    facts = _tidy(data_dir)
    codebook = codebook_table()
    indicators = load_indicators(data_dir).astype(object).map(neutralise)
    written = [out]
    if fmt == "xlsx":
        with atomic_path(out) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            facts.to_excel(xw, sheet_name="facts", index=False)
            codebook.to_excel(xw, sheet_name="codebook", index=False)
            indicators.to_excel(xw, sheet_name="indicators", index=False)
    elif fmt == "csv":
        side = out.with_name(out.stem + ".codebook.csv")
        for frame, target in ((facts, out), (codebook, side)):
            with atomic_path(target) as tmp:
                frame.to_csv(tmp, index=False, encoding="utf-8")
        written.append(side)
    else:
        payload = {"facts": facts.to_dict(orient="records"),
                   "codebook": codebook.to_dict(orient="records")}
        write_text(out, json.dumps(payload, ensure_ascii=False, indent=1, default=str))
    return written
