"""coopstats validate: clean data passes; each kind of bad input gives exit 1 and one clear
``path:line: column: reason`` line, no traceback, and no file changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import hash_tree
from corpus import CASES, CORPUS, LC, apply_case

from coopstats.cli import main


def run_validate(args: list[str], capsys) -> tuple[int, list[str], str]:
    rc = main(["validate", *args])
    out, err = capsys.readouterr()
    return rc, out.splitlines(), err


def test_clean_data_passes(sources, capsys):
    rc, lines, _ = run_validate(["--sources", str(sources)], capsys)
    assert rc == 0
    assert lines[-1].startswith("ok: 5 articles")


def test_corpus_covers_every_file():
    listed = {spec["file"] for spec in CASES.values()} | {"base_facts.csv", "ok_bom_crlf.csv"}
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix == ".csv"} - {"cases.csv"}
    assert listed - {""} == on_disk
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case, data_copy, sources, capsys):
    expected = apply_case(case, data_copy)
    before = hash_tree(data_copy)
    rc, lines, err = run_validate(["--data-dir", str(data_copy), "--sources", str(sources)],
                                  capsys)
    assert rc == 1, lines
    assert "Traceback" not in err and "Traceback" not in "\n".join(lines)
    root = str(data_copy) + "/"
    shown = [line.replace(root, "") for line in lines]
    assert any(expected in line for line in shown), "\n".join(shown)
    assert len(shown) <= 2, "one bad cell should not cascade:\n" + "\n".join(shown)
    for line in shown:  # every line has the path:line: column: reason shape
        path, lineno, column, reason = line.split(":", 3)
        assert path and lineno.isdigit() and column.strip() and reason.strip()
    assert hash_tree(data_copy) == before


def test_bom_and_crlf_are_accepted(data_copy, sources, capsys):
    (data_copy / LC).write_bytes((CORPUS / "ok_bom_crlf.csv").read_bytes())
    assert (data_copy / LC).read_bytes().startswith(b"\xef\xbb\xbf")
    rc, lines, _ = run_validate(["--data-dir", str(data_copy), "--sources", str(sources)],
                                capsys)
    assert rc == 0, lines


def test_every_problem_reported_at_once(data_copy, sources, capsys):
    for i, case in enumerate(("raw_unparseable", "bad_latitude", "start_quote")):
        apply_case(case, data_copy, base=i == 0)  # three tables broken at once
    rc, lines, _ = run_validate(["--data-dir", str(data_copy), "--sources", str(sources)],
                                capsys)
    assert rc == 1 and len(lines) >= 3


def test_missing_data_dir_is_one_line(tmp_path, capsys):
    rc, lines, _ = run_validate(["--data-dir", str(tmp_path / "nope")], capsys)
    assert rc == 1 and len(lines) == 1 and "data folder not found" in lines[0]


def test_command_line_entry_point(sources):
    """The installed command runs in a fresh process and exits 0 on the shipped data."""
    exe = Path(sys.executable).parent / "coopstats"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "coopstats.cli"]
    proc = subprocess.run([*cmd, "validate", "--sources", str(sources)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok: 5 articles" in proc.stdout
    usage = subprocess.run([*cmd], capture_output=True, text=True, timeout=120)
    assert usage.returncode == 2 and "validate" in usage.stdout
