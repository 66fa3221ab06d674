"""Frictionless Data Package descriptor generated from :mod:`coopstats.dataset.schema`.

``datapackage.json`` at the top of the repository lets R, Stata and spreadsheet users (and
``frictionless validate datapackage.json``) read and check the CSV files without Python. It
is generated from the same schema the validator uses, so the two cannot drift; a test checks
that the committed file is current (regenerate with ``coopstats datapackage``).
"""

from __future__ import annotations

import json
from pathlib import Path

from coopstats.dataset._text import MISSING
from coopstats.dataset.schema import KINDS, SCHEMA, Column, Table

__all__ = ["build", "dumps", "exported"]


def _constraints(col: Column) -> dict:
    kind = KINDS[col.kind]
    constraints: dict = {}
    if col.required:
        constraints["required"] = True
    if col.unique:
        constraints["unique"] = True
    if col.choices and kind.separator:  # several choices in one cell: a pattern
        choice = "|".join(col.choices)
        constraints["pattern"] = f"({choice})({kind.separator}({choice}))*"
    elif col.choices:
        constraints["enum"] = list(col.choices)
    if col.pattern:
        constraints["pattern"] = col.pattern
    if col.bounds:
        constraints["minimum"], constraints["maximum"] = (kind.parse(b) for b in col.bounds)
    return constraints


def _field(col: Column) -> dict:
    field: dict = {"name": col.name, "type": KINDS[col.kind].frictionless,
                   "description": col.description}
    constraints = _constraints(col)
    if constraints:
        field["constraints"] = constraints
    if col.unit:
        field["unit"] = col.unit
    return field


def _resource(table: Table, data_dir: Path, root: Path) -> dict:
    if table.many_files:
        paths = sorted(p.relative_to(root).as_posix() for p in data_dir.glob(table.path))
        path: str | list[str] = paths
    else:
        path = (data_dir / table.path).relative_to(root).as_posix()
    schema: dict = {"fields": [_field(c) for c in table.columns], "missingValues": [MISSING]}
    if table.key:
        schema["primaryKey"] = table.key
    fks = []
    for col in table.columns:
        if col.references:
            target, field = col.references.split(".")
            fks.append({"fields": col.name, "reference": {
                "resource": "" if target == table.name else target, "fields": field}})
    if fks:
        schema["foreignKeys"] = fks
    return {"name": table.name, "path": path, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": table.description, "schema": schema}


def build(data_dir: Path, root: Path, version: str) -> dict:
    """The descriptor for the tables under ``data_dir``, with paths relative to ``root``."""
    return {
        "profile": "tabular-data-package",
        "name": "coopstats",
        "title": "coopstats: East-West cooperation and counterpart-assistance pairings, "
                 "coded from press articles",
        "version": version,
        "licenses": [{"name": "CC-BY-4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "description": "Every figure reported in five press articles on ten pairings, with "
                       "its raw Chinese text, unit, period, status and a verbatim quote; see "
                       "data/CODEBOOK.md.",
        "resources": [_resource(t, data_dir, root) for t in SCHEMA.values()],
    }


def dumps(data_dir: Path, root: Path, version: str) -> str:
    """The descriptor as stable, pretty-printed JSON text."""
    return json.dumps(build(data_dir, root, version), ensure_ascii=False, indent=2) + "\n"


def exported(tables, columns: dict[str, list[Column]]) -> str:
    """The descriptor of a csv export of several tables (``coopstats export --tables``):
    one resource per ``coopstats-<table>.csv``, each column typed as the export writes it
    (text neutralised for spreadsheets is still text; missing values are empty cells)."""
    resources = []
    for table in tables:
        fields = [{"name": c.name, "type": KINDS[c.kind].frictionless,
                   "description": c.description,
                   **({"constraints": {"required": True}} if c.required else {})}
                  for c in columns[table]]
        resources.append({"name": table, "path": f"coopstats-{table}.csv",
                          "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          "schema": {"fields": fields, "missingValues": [""]}})
    return json.dumps({"profile": "tabular-data-package", "name": "coopstats-export",
                       "resources": resources}, ensure_ascii=False, indent=2) + "\n"
