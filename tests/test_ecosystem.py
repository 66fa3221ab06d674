"""describe, export (formula injection neutralised, atomic) and datapackage.json."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import coopstats
from coopstats import data_dir
from coopstats.cli import main
from coopstats.dataset import datapackage
from coopstats.export import export, neutralise

REPO = Path(__file__).resolve().parent.parent


def test_datapackage_json_is_current():
    current = datapackage.dumps(data_dir(), REPO, coopstats.__data_version__)
    committed = (REPO / "datapackage.json").read_text(encoding="utf-8")
    assert committed == current, "regenerate with: coopstats datapackage --out datapackage.json"
    pkg = json.loads(committed)
    names = [r["name"] for r in pkg["resources"]]
    assert names == ["articles", "places", "pairings", "indicators", "facts", "pairing_starts",
                     "context", "finance", "benchmarks", "cpi", "gdp_deflator", "reports",
                     "skips"]
    facts = pkg["resources"][4]
    assert len(facts["path"]) == 5 and facts["schema"]["missingValues"] == [""]
    for res in pkg["resources"]:
        for path in [res["path"]] if isinstance(res["path"], str) else res["path"]:
            assert (REPO / path).is_file()


def test_datapackage_mirrors_the_validator_schema():
    pkg = datapackage.build(data_dir(), REPO, "x")
    fields = {f["name"]: f for f in pkg["resources"][4]["schema"]["fields"]}
    assert fields["qualifier"]["constraints"]["enum"] == list(
        coopstats.load_facts()["qualifier"].cat.categories)
    assert fields["period_start"]["type"] == "integer"
    assert fields["period_start"]["constraints"]["minimum"] == 1949


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("1.3万余人次", "1.3万余人次"), (3.5, 3.5), (None, None),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_export_xlsx_neutralises_formulas(tmp_path, monkeypatch):
    # valid data cannot hold a formula (the validator refuses one), so the export's
    # neutralisation is a second line of defence: test it on an injected frame
    import dataclasses

    import coopstats.export as ex

    data = coopstats.load_all()
    facts = data.facts.copy()
    facts["note"] = facts["note"].astype(object)
    facts.loc[0, "note"] = '=HYPERLINK("http://evil")'
    monkeypatch.setattr(ex, "load_all", lambda data_dir=None:
                        dataclasses.replace(data, facts=facts))
    out = tmp_path / "out" / "facts.xlsx"
    assert export("xlsx", out) == [out]
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"facts", "codebook", "indicators"}
    assert len(sheets["facts"]) == len(facts)
    notes = sheets["facts"]["note"].dropna().tolist()
    assert notes[0] == "'=HYPERLINK(\"http://evil\")"
    assert not any(str(n).startswith("=") for n in notes)
    assert "value_low" in set(sheets["codebook"]["column"])
    assert not list(out.parent.glob(".*.tmp"))


def test_export_csv_and_json(tmp_path):
    files = export("csv", tmp_path / "facts.csv")
    assert [f.name for f in files] == ["facts.csv", "facts.codebook.csv"]
    back = pd.read_csv(files[0], keep_default_na=False)
    assert len(back) == len(coopstats.load_facts())
    files = export("json", tmp_path / "facts.json")
    assert [f.name for f in files] == ["facts.json", "facts.codebook.json"]
    facts = json.loads(files[0].read_text(encoding="utf-8"))
    assert len(facts) == len(back) and facts[0]["fact_id"]


def test_export_refuses_invalid_data(data_copy, tmp_path, capsys):
    (data_copy / "facts" / "linyi_chengkou_2023.csv").write_bytes(b"")
    rc = main(["export", "--format", "csv", "--out", str(tmp_path / "x.csv"),
               "--data-dir", str(data_copy)])
    assert rc == 1 and "empty file" in capsys.readouterr().out
    assert not (tmp_path / "x.csv").exists()


def test_describe(capsys):
    assert main(["describe"]) == 0
    assert "facts" in capsys.readouterr().out
    assert main(["describe", "facts"]) == 0
    out = capsys.readouterr().out
    assert "qualifier" in out and "value_low" in out and "exact, at_least" in out
    assert main(["describe", "nope"]) == 2


def test_help_lists_every_command_with_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for cmd in ("validate", "notebooks", "describe", "export", "datapackage"):
        assert cmd in out and f"coopstats {cmd}" in out
