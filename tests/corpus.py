"""The bad-input corpus (tests/bad_input/): cases and how to put one into a data copy."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

LC = "facts/linyi_chengkou_2023.csv"
CORPUS = Path(__file__).resolve().parent / "bad_input"


def load_cases() -> dict[str, dict[str, str]]:
    """tests/bad_input/cases.csv: case -> file, replaces, expected (see its README)."""
    with open(CORPUS / "cases.csv", encoding="utf-8", newline="") as f:
        return {row["case"]: row for row in csv.DictReader(f)}


CASES = load_cases()

#: Cases on which a validator rule still cascades (one bad cell, two or more lines). The
#: case says what validate SHOULD print; the tests expect it to fail (strict) until the rule
#: is fixed, then the mark goes.
KNOWN_BUGS: dict[str, str] = {}


def case_params() -> list:
    """The cases as pytest parameters, the known bugs marked xfail(strict=True)."""
    return [pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case]))
            if case in KNOWN_BUGS else case for case in CASES]


def apply_case(case: str, data_dir: Path, *, base: bool = True) -> str:
    """Put a corpus case into a copy of data/ (after the base facts file, unless
    ``base=False``); return the line validate must print."""
    spec = CASES[case]
    if base:
        (data_dir / LC).write_bytes((CORPUS / "base_facts.csv").read_bytes())
    target = data_dir / spec["replaces"]
    if spec["file"]:
        target.write_bytes((CORPUS / spec["file"]).read_bytes())
    else:
        target.unlink()
    return spec["expected"]
