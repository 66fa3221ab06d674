"""How far two codings of the same articles agree: matched figures and Krippendorff's α.

Two coders code the same articles into two data folders. :func:`compare` matches their facts
by article and ``raw`` (normalised as the evidence check normalises it; the k-th ``9个`` of an
article in one coding with the k-th in the other), lists the figures only one coder found,
and computes Krippendorff's α (nominal) for each coded field over the matched figures, with
the maintained ``krippendorff`` package. A blank cell is a value of its own (a period start
one coder leaves blank and the other fills is a disagreement); ``duplicate_of`` and
``part_of`` are compared by presence (whether the figure restates or is part of another).

Examples
--------
>>> a = {"x": [{"raw": "3个", "indicator": "aid_projects", "status": "achieved"},
...            {"raw": "5个", "indicator": "aid_projects", "status": "planned"}]}
>>> b = {"x": [{"raw": "3 个", "indicator": "aid_projects", "status": "planned"},
...            {"raw": "5个", "indicator": "firms_introduced", "status": "planned"}]}
>>> result = compare(a, b, fields=("indicator", "status"))
>>> [(f.field, f.matched, f.agreed) for f in result.fields]
[('indicator', 2, 1), ('status', 2, 1)]
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from coopstats.dataset.evidence import normalise

__all__ = ["FIELDS", "Agreement", "FieldAgreement", "compare", "read_coding", "report_csv",
           "report_text"]

#: the fields compared, in the order of the facts table; ``*`` marks a presence comparison
FIELDS: tuple[str, ...] = (
    "pairing_id", "scope", "indicator", "qualifier", "status", "period_start", "period_end",
    "period_basis", "funder_level", "flow_stage", "direction", "measure_type", "grade",
    "duplicate_of*", "part_of*")
_BLANK = "(blank)"


@dataclass(frozen=True)
class FieldAgreement:
    """One field: α over the matched figures (None where it is undefined: fewer than two
    values in all), how many figures were matched and how many agree."""

    field: str
    alpha: float | None
    matched: int
    agreed: int


@dataclass
class Agreement:
    """The comparison of two codings."""

    matched: list[tuple[dict, dict]] = field(default_factory=list)
    only_a: list[dict] = field(default_factory=list)
    only_b: list[dict] = field(default_factory=list)
    fields: list[FieldAgreement] = field(default_factory=list)


def _value(row: dict, name: str) -> str:
    if name.endswith("*"):
        return "present" if row.get(name[:-1], "") else "absent"
    return row.get(name, "") or _BLANK


def _alpha(pairs: list[tuple[str, str]]) -> float | None:
    """Krippendorff's α (nominal) of the value pairs; None when undefined."""
    import krippendorff
    import numpy as np

    codes: dict[str, int] = {}
    sides = zip(*pairs, strict=True)
    data = np.array([[codes.setdefault(v, len(codes)) for v in side] for side in sides],
                    dtype=float)
    if len(codes) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _match(a: dict[str, list[dict]], b: dict[str, list[dict]], out: Agreement) -> None:
    """Pair the facts of each article by normalised raw, in file order."""
    for article in sorted(set(a) | set(b)):
        waiting: dict[str, list[dict]] = {}
        for row in b.get(article, []):
            waiting.setdefault(normalise(row.get("raw", "")), []).append(row)
        for row in a.get(article, []):
            queue = waiting.get(normalise(row.get("raw", "")))
            if queue:
                out.matched.append((row, queue.pop(0)))
            else:
                out.only_a.append(row)
        out.only_b.extend(r for rows in waiting.values() for r in rows)


def compare(a: dict[str, list[dict]], b: dict[str, list[dict]],
            fields: tuple[str, ...] = FIELDS) -> Agreement:
    """Compare two codings: article id → its fact rows (dicts of the facts columns)."""
    out = Agreement()
    _match(a, b, out)
    for name in fields:
        pairs = [(_value(x, name), _value(y, name)) for x, y in out.matched]
        agreed = sum(x == y for x, y in pairs)
        out.fields.append(FieldAgreement(name, _alpha(pairs) if pairs else None, len(pairs),
                                         agreed))
    return out


def read_coding(data_dir: Path) -> dict[str, list[dict]]:
    """The facts of a data folder, by article id (the file name), read as text; a file that
    cannot be read as CSV raises ``ValueError`` naming it."""
    facts = data_dir / "facts"
    if not facts.is_dir():
        raise ValueError(f"{data_dir}: no facts folder (a coding is a data folder with facts/)")
    coding = {}
    for path in sorted(facts.glob("*.csv")):
        try:
            with open(path, encoding="utf-8-sig", newline="") as f:
                coding[path.stem] = list(csv.DictReader(f))
        except (OSError, UnicodeDecodeError, csv.Error) as err:
            raise ValueError(f"{path}: cannot be read: {err}") from None
    return coding


def _shown(alpha: float | None) -> str:
    return "—" if alpha is None else f"{alpha:.3f}"


def _figure(row: dict) -> str:
    return (f"{row.get('article_id', '')} {row.get('raw', '')} ({row.get('fact_id', '')}): "
            f"{row.get('quote', '')}")


def report_text(result: Agreement, name_a: str, name_b: str) -> str:
    """The report ``coopstats agree`` prints: counts, figures only one coder found, α per
    field, and the matched figures whose fields differ."""
    lines = [f"A = {name_a}, B = {name_b}: {len(result.matched)} figures matched by article "
             f"and raw; {len(result.only_a)} only in A, {len(result.only_b)} only in B", ""]
    for label, rows in (("only in A", result.only_a), ("only in B", result.only_b)):
        lines += [f"{label}:", *(f"  {_figure(r)}" for r in rows), ""] if rows else []
    lines.append(f"{'field':14} {'alpha':>6} {'agreed':>8}")
    for f in result.fields:
        lines.append(f"{f.field:14} {_shown(f.alpha):>6} {f.agreed:>4}/{f.matched:<4}")
    differ = []
    for x, y in result.matched:
        names = [f.field for f in result.fields]
        fields = [f"{n}: {_value(x, n)} | {_value(y, n)}" for n in names
                  if _value(x, n) != _value(y, n)]
        if fields:
            differ.append(f"  {x.get('article_id', '')} {x.get('raw', '')} ({x.get('fact_id', '')}"
                          f" | {y.get('fact_id', '')}): " + "; ".join(fields))
    if differ:
        lines += ["", "matched figures that differ (A | B):", *differ]
    lines.append("α: Krippendorff's alpha, nominal, over the matched figures (— : undefined, "
                 "one value only); 1 is perfect agreement, 0.8 the usual target")
    return "\n".join(lines) + "\n"


def report_csv(result: Agreement) -> str:
    """One row per field: ``field,alpha,agreed,matched,only_in_a,only_in_b``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("field", "alpha", "agreed", "matched", "only_in_a", "only_in_b"))
    for f in result.fields:
        writer.writerow((f.field, "" if f.alpha is None else f"{f.alpha:.4f}", f.agreed,
                         f.matched, len(result.only_a), len(result.only_b)))
    return out.getvalue()
