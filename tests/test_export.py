"""``coopstats export`` and ``datapackage`` as a user runs them: valid JSON that reads back as
the README says, ``--out`` a file or a folder, and every output that cannot be written is one
line ``coopstats: <path>: <reason>``, exit 2, with nothing created."""

from __future__ import annotations

import csv
import errno
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, shared_run

import coopstats
from coopstats.cli import main
from coopstats.dataset import _atomic
from coopstats.dataset._atomic import NAME_MAX


def _refuse_constant(name: str) -> None:
    raise ValueError(f"not JSON: bare {name}")


def _plain(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as Python values, every missing value None, to compare frames across dtypes."""
    rows = frame.astype(object).to_dict(orient="records")
    return [{k: None if pd.isna(v) else v for k, v in row.items()} for row in rows]


def test_json_export_is_valid_json_and_reads_back_as_the_readme_says(tmp_path, monkeypatch,
                                                                      capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "coopstats export --format json --out exports/" in readme
    assert 'pd.read_json("exports/coopstats-facts.json")' in readme
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", "json", "--out", "exports/"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "wrote exports/coopstats-facts.json", "wrote exports/coopstats-facts.codebook.json"]
    text = Path("exports/coopstats-facts.json").read_text(encoding="utf-8")
    records = json.loads(text, parse_constant=_refuse_constant)  # no NaN, no Infinity
    facts = coopstats.load_facts()
    assert records == _plain(facts)
    assert any(r["subject_id"] is None for r in records)  # a missing value is null
    back = pd.read_json("exports/coopstats-facts.json")
    assert list(back.columns) == list(facts.columns)
    assert _plain(back) == _plain(facts)
    codebook = pd.read_json("exports/coopstats-facts.codebook.json")
    assert list(codebook["column"]) == list(facts.columns)
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "read back with pandas.read_json(path) or json.load" in capsys.readouterr().out


def test_only_spreadsheet_formats_get_the_formula_apostrophe(data_copy, tmp_path, capsys):
    path = data_copy / "facts" / "linyi_chengkou_2023.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[1][rows[0].index("note")] = "-1 as the article writes it"  # valid free text
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    fact_id = rows[1][0]
    for fmt in ("json", "csv"):
        assert main(["export", "--format", fmt, "--data-dir", str(data_copy),
                     "--out", str(tmp_path / f"f.{fmt}")]) == 0
    capsys.readouterr()
    notes = {r["fact_id"]: r["note"]
             for r in json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))}
    assert notes[fact_id] == "-1 as the article writes it"
    csv_notes = pd.read_csv(tmp_path / "f.csv", dtype=str).set_index("fact_id")["note"]
    assert csv_notes[fact_id] == "'-1 as the article writes it"


def test_stata_export_reads_back_with_labels_as_the_help_says(tmp_path, monkeypatch, capsys):
    """`coopstats export --format dta`: the facts read back with pandas.read_stata, every
    value as loaded (a missing text as "", Stata's missing string), categoricals as value
    labels, each column's meaning (as far as Stata's 80 characters go) as its variable
    label; the codebook beside it."""
    from coopstats.export import FORMATS, STATA_LABEL_MAX, codebook_table

    with pytest.raises(SystemExit):
        main(["export", "--format", "sav", "--out", "x"])
    offered = capsys.readouterr().err.rsplit("choose from", 1)[1]
    assert [f.strip(" '\n)") for f in offered.split(",")] == list(FORMATS)
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", "dta", "--out", "out/"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "wrote out/coopstats-facts.dta", "wrote out/coopstats-facts.codebook.dta"]
    facts = coopstats.load_facts()
    back = pd.read_stata("out/coopstats-facts.dta")
    assert list(back.columns) == list(facts.columns)
    text = [c for c in facts.columns if str(facts[c].dtype) == "string"]
    assert _plain(back.astype(object)) == _plain(facts.astype(object).fillna(
        dict.fromkeys(text, "")))  # Stata has no missing text: it is ""
    assert isinstance(back["indicator"].dtype, pd.CategoricalDtype)
    with pd.io.stata.StataReader("out/coopstats-facts.dta") as reader:
        labels = reader.variable_labels()
    meaning = dict(zip(*codebook_table()[["column", "meaning"]].T.values, strict=True))
    for col in facts.columns:
        text = meaning[col]
        expected = text if len(text) <= STATA_LABEL_MAX else text[:STATA_LABEL_MAX - 1] + "…"
        assert labels[col] == expected, col
    assert pd.read_stata("out/coopstats-facts.codebook.dta")["column"].tolist() == \
        list(meaning)


@pytest.mark.parametrize(("fmt", "out", "expected"), [
    ("csv", "new/", ["new/coopstats-facts.csv", "new/coopstats-facts.codebook.csv"]),
    ("xlsx", "existing", ["existing/coopstats-facts.xlsx"]),
    ("json", ".", ["coopstats-facts.json", "coopstats-facts.codebook.json"]),
    ("json", "sub/f.json", ["sub/f.json", "sub/f.codebook.json"]),
], ids=["missing-folder/", "existing-folder", "dot", "file-in-missing-folder"])
def test_out_is_a_file_or_a_folder(fmt, out, expected, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("existing").mkdir()
    assert main(["export", "--format", fmt, "--out", out]) == 0
    assert capsys.readouterr().out.splitlines() == [f"wrote {e}" for e in expected]
    written = sorted(str(p) for p in Path().rglob("*") if p.is_file())
    assert written == sorted(expected)


def test_a_250_character_file_name_is_written(tmp_path, capsys):
    name = "e" * 250 + ".json"
    assert main(["export", "--format", "json", "--out", str(tmp_path / name)]) == 0
    names = [p.name for p in tmp_path.iterdir()]
    assert name in names and len(names) == 2  # the facts and the codebook, no temporary file
    assert all(len(os.fsencode(n)) <= NAME_MAX for n in names)
    assert capsys.readouterr().err == ""


def _unwritable(case: str, tmp: Path, monkeypatch) -> str:
    """Set up one kind of output that cannot be written; return the --out argument."""
    if case == "read-only-folder":
        folder = tmp / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        if os.access(folder, os.W_OK):  # root ignores the mode: fail the write as the kernel would
            def refuse(src, dst):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(src))
            monkeypatch.setattr(_atomic.os, "replace", refuse)
        return str(folder / "f.json")
    if case == "existing-folder-as-file":
        (tmp / "d" / "coopstats-facts.json").mkdir(parents=True)
        return str(tmp / "d")
    if case == "parent-is-a-file":
        (tmp / "f.json").write_text("x", encoding="utf-8")
        return str(tmp / "f.json" / "new" / "g.json")
    if case == "name-too-long":
        return str(tmp / ("e" * 256 + ".json"))
    if case == "path-too-long":
        return str(tmp.joinpath(*["d" * 200] * 25, "f.json"))
    return case  # a path in /proc or /sys


@pytest.mark.parametrize("case", [
    "read-only-folder", "existing-folder-as-file", "parent-is-a-file", "name-too-long",
    "path-too-long", "/proc/x.json", "/proc/new/x.json", "/sys/x.json"])
def test_an_output_that_cannot_be_written_is_one_line(case, tmp_path, monkeypatch, capsys):
    out = _unwritable(case, tmp_path, monkeypatch)
    before = sorted(tmp_path.rglob("*"))
    rc = main(["export", "--format", "json", "--out", out])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert len(err.splitlines()) == 1 and err.startswith(f"coopstats: {out}"), err
    assert "internal error" not in err and ".tmp" not in err
    assert sorted(tmp_path.rglob("*")) == before  # nothing created, no temporary file


def test_no_folder_is_created_when_the_data_is_invalid(data_copy, tmp_path, capsys):
    (data_copy / "facts" / "linyi_chengkou_2023.csv").write_bytes(b"")
    rc = main(["export", "--format", "csv", "--out", str(tmp_path / "new" / "sub" / "x.csv"),
               "--data-dir", str(data_copy)])
    assert rc == 1 and "empty file" in capsys.readouterr().out
    assert not (tmp_path / "new").exists()


def test_datapackage_takes_a_folder_and_a_failed_write_is_one_line(monkeypatch, capsys):
    target = REPO / "datapackage.json"
    before = target.read_bytes()
    assert main(["datapackage", "--out", str(REPO)]) == 0  # the folder: datapackage.json in it
    assert capsys.readouterr().out == f"wrote {target}\n"

    def refuse(src, dst):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(src))
    monkeypatch.setattr(_atomic.os, "replace", refuse)
    assert main(["datapackage", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"coopstats: {target}: cannot write: Permission denied\n"
    assert target.read_bytes() == before
    assert not [p for p in REPO.iterdir() if ".tmp" in p.name]


# --- every table, for Stata and R users (issue 21, part 5) -----------------------------------


def _export_every_table(root: Path) -> Path:
    for fmt, tables in (("csv", "all"), ("json", "facts,rates"), ("dta", "facts,panel,effort"),
                        ("xlsx", "facts,reports,panel")):
        assert main(["export", "--format", fmt, "--tables", tables,
                     "--out", f"{root / fmt}/"]) == 0
    return root


@pytest.fixture(scope="session")
def exported(tmp_path_factory, worker_id) -> Path:
    """``coopstats export --tables …`` as a user runs it: every table as csv, some in each
    other format (each computed table costs seconds); once per test session, shared by the
    workers (a module's fixture is made once in each worker that runs one of its tests)."""
    return shared_run(tmp_path_factory, worker_id, "exports", _export_every_table)


def test_every_table_is_written_with_its_codebook(exported):
    from coopstats.export import TABLES

    names = {p.name for p in (exported / "csv").iterdir()}
    assert names == {f"coopstats-{t}.{x}csv" for t in TABLES for x in ("", "codebook.")} | \
        {"datapackage.json"}
    assert {p.name for p in (exported / "dta").iterdir()} == {
        f"coopstats-{t}.{x}dta" for t in ("facts", "panel", "effort") for x in ("", "codebook.")}
    sheets = pd.read_excel(exported / "xlsx" / "coopstats.xlsx", sheet_name=None)
    assert set(sheets) == {"facts", "reports", "panel", "codebook"}
    assert set(sheets["codebook"]["table"]) == {"facts", "reports", "panel"}


def test_years_are_whole_numbers_in_csv_and_stata(exported):
    """The referee's point: ``2022.0`` in the CSV and floats in the .dta."""
    text = (exported / "csv" / "coopstats-facts.csv").read_text(encoding="utf-8")
    back = pd.read_csv(exported / "csv" / "coopstats-facts.csv", dtype=str,
                       keep_default_na=False)
    assert set(back["period_start"]) - {""} <= {str(y) for y in range(1949, 2101)}
    assert ",2022.0," not in text
    panel = pd.read_csv(exported / "csv" / "coopstats-panel.csv")
    assert str(panel["year"].dtype) == "int64"
    dta = pd.read_stata(exported / "dta" / "coopstats-facts.dta", convert_missing=True,
                        convert_categoricals=False)
    years = [v for v in dta["period_start"] if isinstance(v, (int, float))]
    assert years and all(float(v).is_integer() for v in years)
    assert str(pd.read_stata(exported / "dta" / "coopstats-panel.dta")["year"].dtype) in \
        ("int16", "int32")


def test_the_computed_tables_read_back_as_computed(exported):
    data = coopstats.load_all()
    from coopstats.analysis.budget_years import panel

    back = pd.read_csv(exported / "csv" / "coopstats-panel.csv", keep_default_na=False,
                       na_values=[""])
    mine = panel(data)
    assert len(back) == len(mine)
    assert back["per_year_mid"].round(6).fillna(-1).tolist() == \
        mine["per_year_mid"].round(6).fillna(-1).tolist()
    rates = json.loads((exported / "json" / "coopstats-rates.json").read_text("utf-8"))
    row = next(r for r in rates if r["measure"] == "fiscal_aid" and r["pairing_id"] ==
               "qingdao_dingxi" and r["denominator"] == "recipient_population" and
               r["window_filter"] == "all")
    assert (round(row["rate_mid"], 1), row["flow_stage"], row["funder_level"]) == \
        (182.8, "disbursed", "city")
    effort = pd.read_stata(exported / "dta" / "coopstats-effort.dta")
    assert set(effort["donor_id"]) == {"dezhou", "liaocheng", "linyi", "qingdao", "rizhao",
                                       "shandong"}
    reports = pd.read_excel(exported / "xlsx" / "coopstats.xlsx", sheet_name="reports")
    assert len(reports) == len(data.reports)


def test_the_csv_export_validates_with_frictionless(exported):
    """``frictionless validate`` on the datapackage.json written beside the tables."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "frictionless", "validate",
                          str(exported / "csv" / "datapackage.json")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]


def test_an_unknown_table_is_one_line(tmp_path, capsys):
    assert main(["export", "--format", "csv", "--tables", "facts,nope",
                 "--out", f"{tmp_path}/"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coopstats: --tables: unknown table 'nope'; one of facts,")
    assert not list(tmp_path.iterdir())
