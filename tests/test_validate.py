"""coopstats validate: clean data passes; each kind of bad input gives exit 1 and one clear
``path:line: column: reason`` line, no traceback, and no file changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, hash_tree
from corpus import CASES, CORPUS, LC, apply_case, case_params

import coopstats
from coopstats.cli import main
from coopstats.dataset._files import MAX_FILE_BYTES


def run_validate(args: list[str], capsys) -> tuple[int, list[str], str]:
    rc = main(["validate", *args])
    out, err = capsys.readouterr()
    return rc, out.splitlines(), err


def _articles() -> int:
    """How many articles the data the command reads by default has (a student's copy in
    $COOPSTATS_DATA_DIR may have more than the shipped five)."""
    with open(coopstats.data_dir() / "articles.csv", encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


def test_clean_data_passes(sources, capsys):
    rc, lines, _ = run_validate(["--sources", str(sources)], capsys)
    assert rc == 0
    assert lines[-1].startswith(f"ok: {_articles()} articles")
    reports = len(coopstats.load_reports())
    assert f" facts, {reports} figures of external reports in " in lines[-1]


def test_corpus_covers_every_file():
    listed = {spec["file"] for spec in CASES.values()} | {"base_facts.csv"}
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix == ".csv"} - {"cases.csv"}
    assert listed - {""} == on_disk
    assert len(CASES) >= 70
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    assert f"a corpus of {len(on_disk) - 1} malformed files" in " ".join(readme.split())


@pytest.mark.parametrize("case", case_params())
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
    # one bad cell gives one line, not a cascade (``lines`` in cases.csv)
    assert len(shown) == int(CASES[case]["lines"]), "\n".join(shown)
    assert_problem_lines(shown)
    assert hash_tree(data_copy) == before


def assert_problem_lines(lines: list[str]) -> None:
    """Every line has the ``path:line: column: reason`` shape, with no field empty."""
    for line in lines:
        path, lineno, column, reason = line.split(":", 3)
        assert path and lineno.isdigit() and column.strip() and reason.strip(), line


def test_bom_and_crlf_are_accepted(data_copy, sources, capsys):
    """The whole Linyi facts file saved with a byte-order mark and Windows line ends (as
    Excel saves it) validates, the completeness audit included."""
    (data_copy / LC).write_bytes(b"\xef\xbb\xbf" + (DATA / LC).read_bytes().replace(b"\n", b"\r\n"))
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
    assert f"ok: {_articles()} articles" in proc.stdout
    usage = subprocess.run([*cmd], capture_output=True, text=True, timeout=120)
    assert usage.returncode == 2 and "validate" in usage.stdout


# --- the file system: what a hostile data or sources folder can hold -------------------
# Git can carry symlinks and odd file names; FIFOs and permissions come from the machine.
# Each case is built in a private copy and must give exactly one problem line from
# `coopstats validate` and the same line from the loaders (DataValidationError). Only
# regular files inside their folder are read, at most MAX_FILE_BYTES each.

LINYI_SOURCE = "000_f7032c77d95ebf04.txt"  # the source of articles.csv line 2


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _misnamed(data: Path, src: Path) -> None:  # one wrong byte in a facts file name
    (data / LC).rename(data / "facts" / "linyi_chengkou_2O23.csv")


def _newline_name(data: Path, src: Path) -> None:
    (data / "facts" / "a\nforged.csv:1: raw: fake problem\n.csv").write_bytes(b"")


def _table_outside(data: Path, src: Path) -> None:  # a valid table, but outside data/
    outside = data.parent / "places.csv"
    (data / "places.csv").rename(outside)
    (data / "places.csv").symlink_to(outside)


def _too_big(data: Path, src: Path) -> None:
    with open(data / "facts" / "big.csv", "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk space used


def _source_link(target: str):
    def make(data: Path, src: Path) -> None:
        (src / LINYI_SOURCE).unlink()
        (src / LINYI_SOURCE).symlink_to(target)
    return make


FILE_CASES = {  # name: (make(data, src), the line, relative to the test's folder)
    "facts_passwd_link": (lambda d, s: (d / "facts" / "x.csv").symlink_to("/etc/passwd"),
                          "data/facts/x.csv:0: (file): a symbolic link to a file outside"),
    "table_outside_link": (_table_outside,
                           "data/places.csv:0: (file): a symbolic link to a file outside"),
    "facts_too_big": (_too_big, "data/facts/big.csv:0: (file): larger than 10 MB; not read"),
    "facts_misnamed": (_misnamed, "data/facts/linyi_chengkou_2O23.csv:2: article_id: "
                                  "'linyi_chengkou_2023' does not match the file name"),
    "facts_newline_name": (_newline_name, "data/facts/a\\nforged.csv:1: raw: fake problem"
                                          "\\n.csv:1: (file): empty file"),
    "source_fifo": (lambda d, s: ((s / LINYI_SOURCE).unlink(), _fifo(s / LINYI_SOURCE)),
                    f"data/articles.csv:2: source_file: '{LINYI_SOURCE}' in src: a named pipe"),
    "source_passwd_link": (_source_link("/etc/passwd"),
                           f"data/articles.csv:2: source_file: '{LINYI_SOURCE}' in src: a "
                           "symbolic link to a file outside src"),
    "source_devzero_link": (_source_link("/dev/zero"),
                            f"data/articles.csv:2: source_file: '{LINYI_SOURCE}' in src: a "
                            "symbolic link to a file outside src"),
}

# cases that hang or exhaust memory on a naive reader: run in a child process with a timeout
HANGING_CASES = {
    "facts_fifo": (lambda d, s: _fifo(d / "facts" / "x.csv"),
                   "data/facts/x.csv:0: (file): a named pipe (FIFO), not a regular file"),
    "facts_devzero_link": (lambda d, s: (d / "facts" / "x.csv").symlink_to("/dev/zero"),
                           "data/facts/x.csv:0: (file): a symbolic link to a file outside"),
}

# permissions (path relative to the test's folder, mode): run in a child process, without
# the capabilities that let root ignore them
PERMISSION_CASES = {
    "data_dir_not_searchable": ("data", 0o644, "data:0: (folder): cannot read: Permission"),
    "context_not_searchable": ("data/context", 0o644,
                               "data/context:0: (folder): cannot read: Permission"),
    "facts_not_listable": ("data/facts", 0o311,
                           "data/facts:0: (folder): cannot read: Permission"),
    "sources_not_readable": ("src", 0o000, "src:0: (folder): cannot read: Permission"),
    "source_not_readable": (f"src/{LINYI_SOURCE}", 0o000,
                            f"data/articles.csv:2: source_file: '{LINYI_SOURCE}' in src: "
                            "cannot read: Permission"),
}


@pytest.fixture()
def folders(data_copy, sources, monkeypatch) -> tuple[Path, Path]:
    """A data copy and a sources copy side by side, the current folder their parent."""
    src = data_copy.parent / "src"
    shutil.copytree(sources, src)
    for path in (src, *src.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)  # the seeds are read-only
    monkeypatch.chdir(data_copy.parent)
    return data_copy, src


def check_one_line(lines: list[str], expected: str) -> None:
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)
    assert len(lines) == 1, "\n".join(lines)
    assert_problem_lines(lines)
    assert "root:" not in "\n".join(lines)  # /etc/passwd is never echoed


@pytest.mark.parametrize("case", FILE_CASES)
def test_hostile_files_are_one_line_and_never_read(case, folders, capsys):
    data, src = folders
    make, expected = FILE_CASES[case]
    make(data, src)
    rc, lines, err = run_validate(["--data-dir", "data", "--sources", "src"], capsys)
    assert rc == 1 and "internal error" not in err
    check_one_line(lines, expected)
    with pytest.raises(coopstats.DataValidationError) as info:
        coopstats.load_all("data", sources="src")
    check_one_line(str(info.value).splitlines()[1:], expected)


_BOTH = """
import sys
import coopstats
from coopstats.cli import main
rc = main(["validate", "--data-dir", "data", "--sources", "src"])
print("--- loaders", flush=True)
try:
    coopstats.load_all("data", sources="src")
except coopstats.DataValidationError as err:
    print(*str(err).splitlines()[1:], sep="\\n")
except BaseException as err:
    print("loaders raised", type(err).__name__)
sys.exit(rc)
"""


def run_both(cwd: Path, *, drop_privileges: bool = False) -> tuple[list[str], list[str]]:
    """`coopstats validate` and `load_all` in a child process (killed after 60 s); returns
    the problem lines of each."""
    cmd = [sys.executable, "-c", _BOTH]
    if drop_privileges and os.geteuid() == 0:  # root ignores permissions unless ...
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: permissions cannot bite")
        cmd = ["setpriv", "--inh-caps=-all", "--bounding-set=-all", *cmd]
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "internal error" not in proc.stderr, proc.stderr
    cli, _, loaders = proc.stdout.partition("--- loaders\n")
    return cli.splitlines(), loaders.splitlines()


@pytest.mark.parametrize("case", HANGING_CASES)
def test_fifos_and_devices_are_not_read(case, folders):
    data, src = folders
    make, expected = HANGING_CASES[case]
    make(data, src)
    for lines in run_both(data.parent):
        check_one_line(lines, expected)


@pytest.mark.parametrize("case", list(PERMISSION_CASES))
def test_permission_errors_are_one_line(case, folders):
    root = folders[0].parent
    where, mode, expected = PERMISSION_CASES[case]
    path = root / where
    old_mode = path.stat().st_mode
    path.chmod(mode)
    try:
        for lines in run_both(root, drop_privileges=True):
            check_one_line(lines, expected)
    finally:
        path.chmod(old_mode)


@pytest.mark.parametrize("option", ["--data-dir", "--sources"])
@pytest.mark.parametrize("path", ["x" * 300, "/".join(["abcdefgh"] * 600)])
def test_over_long_paths_are_one_line(option, path, data_copy, capsys):
    other = ["--data-dir", str(data_copy)] if option == "--sources" else []
    rc, lines, err = run_validate([*other, option, path], capsys)
    assert rc == 1 and "internal error" not in err
    check_one_line(lines, f"{path}:0: (folder): ")
    if option == "--data-dir":
        with pytest.raises(coopstats.DataValidationError):
            coopstats.load_all(path)


def test_empty_data_dir_is_a_usage_error(tmp_path, capsys, monkeypatch):
    # an empty path would be the current folder: a valid data folder there must not be
    # validated (or loaded) by mistake
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    for option in ("--data-dir", "--sources"):
        with pytest.raises(SystemExit) as info:
            main(["validate", option, ""])
        assert info.value.code == 2
        assert "empty path" in capsys.readouterr().err
    for call in (lambda: coopstats.validate(""), lambda: coopstats.load_all(""),
                 lambda: coopstats.load_facts(DATA, sources="")):
        with pytest.raises(ValueError, match="empty path"):
            call()


def test_a_parser_failure_is_one_line(data_copy, monkeypatch, capsys):
    """Whatever the parser raises on a hostile figure, validate reports it in one line."""
    import decimal

    real = coopstats.parse_figure

    def broken(raw):
        if raw == "两个":
            raise decimal.InvalidOperation([decimal.DivisionUndefined])
        return real(raw)

    # the fact rules are in coopstats.dataset.checks.facts
    monkeypatch.setattr(sys.modules["coopstats.dataset.checks.facts"], "parse_figure", broken)
    rc, lines, err = run_validate(["--data-dir", str(data_copy)], capsys)
    assert rc == 1 and "internal error" not in err
    shown = [line.replace(str(data_copy) + "/", "") for line in lines]
    assert shown == [f"{LC}:2: raw: '两个' cannot be read as a figure"]


def test_a_reused_fact_prefix_is_one_line_on_the_new_article(added_article, capsys):
    """A new article that reuses the prefix 'qd' (and so the ids qd-001 …) gives one line on
    its own articles.csv row, the later one; none blames the shipped facts file."""
    data, src = added_article
    articles = (data / "articles.csv").read_text(encoding="utf-8")
    (data / "articles.csv").write_text(articles.replace("qingdao_heze_2024,qh,",
                                                        "qingdao_heze_2024,qd,"),
                                       encoding="utf-8")
    new = data / "facts" / "qingdao_heze_2024.csv"
    new.write_text(new.read_text(encoding="utf-8").replace("\nqh-", "\nqd-"), encoding="utf-8")
    rc, lines, _ = run_validate(["--data-dir", str(data), "--sources", str(src)], capsys)
    last = len(articles.splitlines())
    assert rc == 1 and lines == [
        f"{data}/articles.csv:{last}: fact_prefix: duplicate id 'qd' (first at "
        f"{data}/articles.csv:{last - 1}); each article needs a prefix of its own: its fact "
        "ids start with it"]
