"""coopstats validate: clean data passes; each kind of bad input gives exit 1 and one clear
``path:line: column: reason`` line, no traceback, and no file changed."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from coopstats.cli import main

LC = "facts/linyi_chengkou_2023.csv"


def _hash_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _edit(rel: str, func: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        path.write_text(func(path.read_text(encoding="utf-8")), encoding="utf-8", newline="")
    return apply


def _cell(rel: str, line: int, column: str, value: str) -> Callable[[Path], None]:
    """Set one cell (by header name) on a physical line of a simple CSV (no multi-line cells)."""
    import csv
    import io

    def func(text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        rows[line - 1][rows[0].index(column)] = value
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        return buf.getvalue()
    return _edit(rel, func)


def _bytes(rel: str, data: bytes | Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        path.write_bytes(data(path.read_bytes()) if callable(data) else data)
    return apply


def _line(rel: str, n: int, func: Callable[[str], str]) -> Callable[[Path], None]:
    def edit(text: str) -> str:
        lines = text.split("\n")
        lines[n - 1] = func(lines[n - 1])
        return "\n".join(lines)
    return _edit(rel, edit)


# case id -> (mutation, expected text of one output line)
CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "gbk": (_bytes(LC, lambda b: b.decode("utf-8").encode("gb18030")),
            f"{LC}:2: (file): not valid UTF-8"),
    "utf16": (_bytes(LC, lambda b: b.decode("utf-8").encode("utf-16")),
              f"{LC}:1: (file): UTF-16 encoded"),
    "empty": (_bytes(LC, b""), f"{LC}:1: (file): empty file"),
    "header_only": (_bytes(LC, lambda b: b.split(b"\n")[0] + b"\n"),
                    f"{LC}:2: (file): header only"),
    "truncated_row": (_line(LC, 3, lambda s: s[:30]), f"{LC}:3: (row):"),
    "extra_field": (_line(LC, 3, lambda s: s + ",x"), f"{LC}:3: (row): 16 fields, expected 15"),
    "unbalanced_quote": (_line(LC, 4, lambda s: s.replace(",", ',"', 1)),
                         f"{LC}:4: (row): malformed CSV: unbalanced quote"),
    "binary": (_bytes(LC, b"\x00\x01\x02garbage\xff\xfe"), f"{LC}:1: (file):"),
    "missing_column": (_edit(LC, lambda t: t.replace(",note", "", 1)),
                       f"{LC}:1: note: missing column"),
    "extra_column": (_edit(LC, lambda t: t.replace(",note", ",note,comment", 1)),
                     f"{LC}:1: comment: unknown column"),
    "raw_NA": (_cell(LC, 2, "raw", "NA"), f"{LC}:2: raw: 'NA' looks like a missing-value"),
    "raw_null": (_cell(LC, 2, "raw", "null"), f"{LC}:2: raw: 'null' looks like"),
    "raw_nan": (_cell(LC, 2, "raw", "nan"), f"{LC}:2: raw: 'nan' looks like"),
    "raw_unparseable": (_cell(LC, 2, "raw", "许多"), f"{LC}:2: raw: no number found"),
    "raw_fullwidth": (_cell(LC, 2, "raw", "２个"), f"{LC}:2: raw: full-width digits"),
    "raw_negative": (_cell(LC, 2, "raw", "-350万元"), f"{LC}:2: raw: "),
    "formula": (_cell(LC, 2, "note", "=HYPERLINK(\"x\")"),
                f"{LC}:2: note: '=HYPERLINK(\"x\")' starts like a spreadsheet formula"),
    "quote_not_in_article": (_cell(LC, 2, "quote", "这句话不在文章里两个项目"),
                             f"{LC}:2: quote: not found in 000_f7032c77d95ebf04.txt"),
    "raw_not_in_quote": (_cell(LC, 3, "raw", "351万元"), f"{LC}:3: raw: '351万元' is not in"),
    "unknown_article": (_cell(LC, 2, "article_id", "nowhere_2023"),
                        f"{LC}:2: article_id: unknown article id 'nowhere_2023'"),
    "unknown_pairing": (_cell(LC, 2, "pairing_id", "linyi_nowhere"),
                        f"{LC}:2: pairing_id: unknown pairing id 'linyi_nowhere'"),
    "unknown_indicator": (_cell(LC, 2, "indicator", "happiness"),
                          f"{LC}:2: indicator: unknown indicator id 'happiness'"),
    "duplicate_id": (_cell(LC, 3, "fact_id", "lc-001"), f"{LC}:3: fact_id: duplicate id"),
    "duplicate_row": (_edit(LC, lambda t: t + t.split("\n")[1].replace("lc-001", "lc-999") + "\n"),
                      "(row): duplicates the row at"),
    "period_reversed": (lambda r: (_cell(LC, 2, "period_start", "2023")(r),
                                   _cell(LC, 2, "period_end", "2021")(r),
                                   _cell(LC, 2, "period_basis", "stated")(r),
                                   _cell(LC, 2, "period_text", "x")(r)),
                        f"{LC}:2: period_end: 2021 is before period_start 2023"),
    "period_out_of_range": (_cell(LC, 2, "period_end", "1900"),
                            f"{LC}:2: period_end: 1900 is outside 1949–2100"),
    "period_not_a_year": (_cell(LC, 2, "period_end", "last year"),
                          f"{LC}:2: period_end: 'last year' is not a whole number"),
    "unit_mismatch": (_cell(LC, 3, "indicator", "people_trained"),
                      f"{LC}:3: raw: unit 'CNY' of '350万元' does not match indicator"),
    "bad_status": (_cell(LC, 2, "status", "done"), f"{LC}:2: status: 'done' is not one of"),
    "bad_qualifier": (_cell(LC, 2, "qualifier", "roughly"),
                      f"{LC}:2: qualifier: 'roughly' is not one of"),
    "qualifier_disagrees": (_cell(LC, 3, "qualifier", "approx"),
                            f"{LC}:3: qualifier: 'approx' but '350万元' reads as 'exact'"),
    "scope_without_subject": (_cell(LC, 2, "scope", "donor_all"),
                              f"{LC}:2: subject_id: required for scope 'donor_all'"),
    "article_id_vs_file": (_cell(LC, 2, "article_id", "rizhao_qianjiang_2023"),
                           f"{LC}:2: article_id: 'rizhao_qianjiang_2023' does not match the "
                           "file name"),
    "achieved_in_future": (_cell(LC, 3, "period_end", "2030"),
                           "period_end: 2030 is after the article's year 2023"),
    "bad_latitude": (_cell("places.csv", 2, "latitude", "136.67"),
                     "places.csv:2: latitude: 136.67 is outside"),
    "start_quote": (_cell("pairings.csv", 3, "start_quote", "虚构的一句话"),
                    "pairings.csv:3: start_quote: not found in"),
    "missing_table": (lambda r: (r / "places.csv").unlink(), "places.csv:0: (file): missing table"),
}


def run_validate(args: list[str], capsys) -> tuple[int, list[str], str]:
    rc = main(["validate", *args])
    out, err = capsys.readouterr()
    return rc, out.splitlines(), err


def test_clean_data_passes(sources, capsys):
    rc, lines, _ = run_validate(["--sources", str(sources)], capsys)
    assert rc == 0
    assert lines[-1].startswith("ok: 5 articles")


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case, data_copy, sources, capsys):
    mutate, expected = CASES[case]
    mutate(data_copy)
    before = _hash_tree(data_copy)
    rc, lines, err = run_validate(["--data-dir", str(data_copy), "--sources", str(sources)],
                                  capsys)
    assert rc == 1, lines
    assert "Traceback" not in err and "Traceback" not in "\n".join(lines)
    root = str(data_copy) + "/"
    shown = [line.replace(root, "") for line in lines]
    assert any(expected in line for line in shown), "\n".join(shown)
    for line in shown:  # every line has the path:line: column: reason shape
        path, lineno, column, reason = line.split(":", 3)
        assert path and lineno.isdigit() and column.strip() and reason.strip()
    assert _hash_tree(data_copy) == before


def test_bom_and_crlf_are_accepted(data_copy, sources, capsys):
    path = data_copy / LC
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    rc, lines, _ = run_validate(["--data-dir", str(data_copy), "--sources", str(sources)],
                                capsys)
    assert rc == 0, lines


def test_every_problem_reported_at_once(data_copy, sources, capsys):
    for case in ("raw_unparseable", "unknown_indicator", "bad_latitude"):
        CASES[case][0](data_copy)
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
