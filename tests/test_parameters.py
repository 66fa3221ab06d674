"""Notebook parameters: checked before any kernel starts, written into the notebook as plain
literals, never able to run code or to write outside --out; 06's figure labelled and named
after them."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import nbformat
import pytest

from coopstats.cli import main
from coopstats.dataset import parameters
from coopstats.figures import plotting

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
#: the injection strings of the adversarial review (2026-11-30, §4.1): a bytes and a set
#: literal broke out of papermill's quoting and ran `touch wned`
CODE = '"; __import__("os").system("touch wned") #'
HOSTILE = [CODE, "'" + CODE, 'a"\nimport os\nos.system("touch wned")\n"', "x\r\ny", "x\u2028y",
           "back\\slash\\", "\\u0022", "'''", '"""', "nul\x00byte", "{'a': 1}"]


def _notebooks(tmp_path, monkeypatch, capsys, *args: str, folder: Path = NOTEBOOKS):
    """``coopstats notebooks`` in-process from ``tmp_path``: (exit code, stderr, out)."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    rc = main(["notebooks", "--notebooks", str(folder), "--out", str(out), "-j", "2", *args])
    return rc, capsys.readouterr().err, out


BAD = [
    ("base_year=2030", "-p base_year: 2030 is outside the CPI series; a year from 1994 to 2025"),
    ("base_year='2020'", "-p base_year: must be an int, a year from 1994 to 2025; not str '2020'"),
    ("base_year=2020.0", "-p base_year: must be an int, a year from 1994 to 2025; "
                         "not float 2020.0"),
    ("pairing_id=qingdao_gansu", "-p pairing_id: unknown pairing 'qingdao_gansu'; one of "
                                 "dezhou_xiushan, liaocheng_pengshui, linyi_chengkou, "),
    ("pairing_id=Qingdao_Dingxi", "-p pairing_id: unknown pairing 'Qingdao_Dingxi'; one of "),
    ("denominator=households", "-p denominator: unknown denominator 'households'; one of "
                               "recipient_population, recipient_registered, "
                               "donor_population, recipient_counties, "
                               "recipient_townships, donor_revenue, "
                               "recipient_gdp, recipient_expenditure, none"),
    ("denominator=None", "-p denominator: must be a string, one of recipient_population, "
                         "recipient_registered, donor_population, recipient_counties, "
                         "recipient_townships, donor_revenue, recipient_gdp, "
                         "recipient_expenditure, none; not "
                         "NoneType None"),
    ("per_people=0", "-p per_people: must be a positive number; not int 0"),
    ("per_people=-100", "-p per_people: must be a positive number; not int -100"),
    ("per_people=1e999", "-p per_people: must be a finite number, not float inf"),
    ("n_draws=0", "-p n_draws: must be an int of at least 1; not int 0"),
    ("headline_per_pairing=True", "-p headline_per_pairing: must be an int of at least 1; "
                                  "not bool True"),
    ("figure_prefix=../../data/facts/x", "-p figure_prefix: no notebook declares this "
                                         "parameter; they declare base_year, denominator, "
                                         "headline_per_pairing, n_draws, pairing_id, "
                                         "per_people, seed"),
    ("nosuch=1", "-p nosuch: no notebook declares this parameter"),
    (f"pairing_id=b'{CODE}'", "-p pairing_id: values may be str, int, float, bool, None, or "
                              "lists and dicts of them; not bytes b'\""),
    ("pairing_id={'" + CODE + "'}", "-p pairing_id: values may be str, int, float, bool, "
                                    "None, or lists and dicts of them; not set {'\""),
    ("base_year=1j", "-p base_year: values may be str, int, float, bool, None, or lists and "
                     "dicts of them; not complex 1j"),
    ("base_year=" + "[" * 30 + "]" * 30, "-p base_year: nested more than 20 levels deep"),
    ("base_year", "-p expects NAME=VALUE with a Python name, got 'base_year'"),
    ("class=1", "-p expects NAME=VALUE with a Python name, got 'class=1'"),
]


@pytest.mark.parametrize(("arg", "message"), BAD, ids=[a[:30] for a, _ in BAD])
def test_a_bad_parameter_is_one_line_and_exit_2_before_anything_runs(
        tmp_path, monkeypatch, capsys, arg, message):
    rc, err, out = _notebooks(tmp_path, monkeypatch, capsys, "-p", "pairing_id=qingdao_dingxi",
                              "-p", arg)
    assert rc == 2
    assert err.startswith(f"coopstats: {message}"), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists(), "nothing is written, not even the output folder"
    assert not (tmp_path / "wned").exists()


def test_parameters_are_checked_against_the_notebooks_that_run(tmp_path, monkeypatch, capsys):
    """With --notebooks naming notebook 06 alone, 02's parameter is unknown."""
    rc, err, out = _notebooks(tmp_path, monkeypatch, capsys, "-p", "headline_per_pairing=3",
                              folder=NOTEBOOKS / "06_adapt_it.ipynb")
    assert rc == 2 and not out.exists()
    assert err == ("coopstats: -p headline_per_pairing: no notebook declares this parameter; "
                   "they declare base_year, denominator, pairing_id, per_people\n")


def test_a_parameter_without_a_rule_takes_the_type_of_its_default(tmp_path, monkeypatch,
                                                                   capsys):
    """A notebook of one's own: its parameters are checked against their defaults."""
    folder = tmp_path / "nb"
    folder.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "share: float = 0.5\nlabel = 'x'\nanything = None\nflags = [1]",
        metadata={"tags": ["parameters"]})])
    nbformat.write(nb, folder / "01_mine.ipynb")
    for arg, message in (("share='half'", "share: must be float like its default 0.5 in "),
                         ("share=True", "share: must be float like its default 0.5 in "),
                         ("label=3", "label: must be str like its default 'x' in "),
                         ("flags={'a': 1}", "flags: must be list like its default [1] in ")):
        rc, err, out = _notebooks(tmp_path, monkeypatch, capsys, "-p", arg, folder=folder)
        assert rc == 2 and err.startswith(f"coopstats: -p {message}"), err
        assert err.rstrip().endswith("01_mine.ipynb; not " + {
            "share='half'": "str 'half'", "share=True": "bool True", "label=3": "int 3",
            "flags={'a': 1}": "dict {'a': 1}"}[arg]) and not out.exists()
    accepted = parameters.for_notebooks(
        {"01_mine.ipynb": parameters.declared(nb)},
        {"share": 1, "label": "y", "anything": [{"a": None}], "flags": []})
    assert accepted["01_mine.ipynb"]["share"] == 1
    with pytest.raises(parameters.ParameterError, match="has no parameters cell"):
        parameters.inject(nbformat.v4.new_notebook(cells=[]), {"a": 1})


def test_allowed_values_come_from_the_data():
    import coopstats

    data = coopstats.load_all()
    for context in (parameters.Context(), parameters.Context(data)):
        assert context.pairing_ids == tuple(sorted(data.pairings["pairing_id"]))
        assert context.cpi_years == tuple(sorted(int(y) for y in data.cpi["year"]))
    ok = {"pairing_id": "qingdao_sangzhuzi", "base_year": 1994, "denominator": "none",
          "per_people": 0.5, "n_draws": 10, "seed": 0, "headline_per_pairing": 1}
    assert parameters.check(ok, parameters.Context(data)) == ok


def test_allowed_values_from_data_that_do_not_validate_are_one_line(tmp_path):
    import shutil

    shutil.copytree(REPO / "data", tmp_path / "data")
    (tmp_path / "data" / "pairings.csv").write_text("nonsense\n", encoding="utf-8")
    with pytest.raises(parameters.ParameterError,
                       match=r"^pairing_id: cannot be checked: the data in .* do not validate"):
        parameters.check({"pairing_id": "x"}, parameters.Context(tmp_path / "data"))


# --- each notebook's own defaults are checked against the data too (issue 22) ---------------

#: the defaults of every notebook's parameters cell, as the runner reads them (not run)
DEFAULTS = {
    "01_what_was_coded": {},
    "02_pairing_profiles": {"headline_per_pairing": 4},
    "03_aid_intensity": {"base_year": 2023, "denominator": "recipient_population"},
    "04_outcomes": {"base_year": 2023, "denominator": "recipient_population"},
    "05_sensitivity": {"base_year": 2023, "denominator": "recipient_population",
                       "n_draws": 10_000, "seed": 20231123},
    "06_adapt_it": {"pairing_id": "rizhao_qianjiang", "base_year": 2023,
                    "denominator": "recipient_population", "per_people": 100_000},
    "07_time": {"base_year": 2023, "denominator": "recipient_population"},
}


def test_the_defaults_are_read_from_each_notebook_without_running_it():
    found = {p.stem: parameters.declared(nbformat.read(p, as_version=4))
             for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))}
    assert found == DEFAULTS
    for name, declared in found.items():  # and they are allowed with the shipped data
        parameters.check_defaults({name: declared}, {})


def _without_pairing(data: Path, pairing_id: str) -> None:
    """Remove ``pairing_id`` from a data folder, with its articles, their facts and skips,
    and its rows of the context tables (what stays validates)."""
    import csv

    articles = {r["article_id"] for r in _rows(data / "pairings.csv")
                if r["pairing_id"] == pairing_id}
    for article in articles:
        (data / "facts" / f"{article}.csv").unlink()
    for table in ("pairings.csv", "articles.csv", "skips.csv", "context/reports.csv",
                  "context/pairing_starts.csv"):
        rows = _rows(data / table)
        with open(data / table, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(r for r in rows if r.get("pairing_id") != pairing_id
                             and r.get("article_id") not in articles)


def _rows(path: Path) -> list[dict[str, str]]:
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_a_default_the_data_lack_is_one_line_before_any_notebook_runs(
        data_copy, tmp_path, monkeypatch, capsys):
    """Issue 22: on a copy without 06's default pairing, 03 and 07 ran, then 06 failed in
    its kernel; now nothing runs, nothing is written, and the line says what to pass."""
    _without_pairing(data_copy, "rizhao_qianjiang")
    assert main(["validate", "--data-dir", str(data_copy)]) == 0
    capsys.readouterr()
    rc, err, out = _notebooks(tmp_path, monkeypatch, capsys, "--data-dir", str(data_copy))
    assert rc == 2
    assert err == ("coopstats: 06_adapt_it: default pairing_id = 'rizhao_qianjiang' (its "
                   f"parameters cell) is not allowed with the data in {data_copy}: unknown "
                   "pairing 'rizhao_qianjiang'; one of dezhou_xiushan, liaocheng_pengshui, "
                   "linyi_chengkou, qingdao_boxing, qingdao_dingxi, qingdao_heze, "
                   "qingdao_longnan, qingdao_sangzhuzi, qingdao_yiling; pass "
                   "-p pairing_id=VALUE\n")
    assert not out.exists(), "nothing is written, not even the output folder"


def test_a_value_given_replaces_the_default_that_is_checked(data_copy):
    """With -p pairing_id=…, 06's default is not what its kernel sees: not checked."""
    from coopstats.report.run import _check_parameters, find_notebooks

    _without_pairing(data_copy, "rizhao_qianjiang")
    paths = find_notebooks(NOTEBOOKS)
    accepted = _check_parameters(paths, {"pairing_id": "qingdao_dingxi"}, data_copy)
    assert accepted[str(NOTEBOOKS / "06_adapt_it.ipynb")] == {"pairing_id": "qingdao_dingxi"}
    with pytest.raises(parameters.DefaultParameterError, match=r"^06_adapt_it: default "):
        _check_parameters(paths, {"base_year": 2020}, data_copy)


def test_defaults_that_are_expressions_or_none_are_not_checked():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "pairing_id = None\nbase_year = 2000 + 30\nper_people = -1",
        metadata={"tags": ["parameters"]})])
    declared = parameters.declared(nb)
    assert declared["base_year"] is parameters.NOT_LITERAL
    with pytest.raises(parameters.DefaultParameterError) as caught:
        parameters.check_defaults({"nb/01_mine.ipynb": declared}, {})
    assert str(caught.value).startswith("01_mine: default per_people = -1 (its parameters "
                                        "cell) is not allowed with the data in ")
    assert str(caught.value).endswith(": must be a positive number; not int -1; pass "
                                      "-p per_people=VALUE")
    parameters.check_defaults({"01_mine": declared}, {"per_people": 5})


# --- values are written as plain literals -------------------------------------------------


def test_injected_values_are_plain_literals_whatever_they_contain():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("a = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(a)")])
    values = {f"p{i}": v for i, v in enumerate(HOSTILE)}
    values["d"] = {CODE: [CODE, 1.5, None, True]}
    done = parameters.inject(nb, values)
    cell = done.cells[1]
    assert cell.metadata["tags"] == ["injected-parameters"] and cell.id == "injected-parameters"
    body = ast.parse(cell.source).body
    assert [type(n) for n in body] == [ast.Assign] * len(values)
    assert {n.targets[0].id: ast.literal_eval(n.value) for n in body} == values
    # injecting again replaces the injected cell; the original notebook is not changed
    assert len(parameters.inject(done, {"a": 2}).cells) == 3 and len(nb.cells) == 2
    for bad in (CODE.encode(), {CODE}, (1, 2), object(), float("nan"), [[b"x"]], {(1,): 2}):
        with pytest.raises(parameters.ParameterTypeError):
            parameters.inject(nb, {"a": bad})


@pytest.mark.slow
def test_hostile_strings_reach_a_notebook_as_the_same_strings(tmp_path, monkeypatch, capsys):
    """End to end through the command line: each value is one string in the kernel, equal to
    what was typed; nothing it contains runs."""
    names = [f"p{i}" for i in range(len(HOSTILE))]
    folder = tmp_path / "nb"
    folder.mkdir()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("\n".join(f"{n} = None" for n in names),
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(f"print(repr([{', '.join(names)}]))")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, folder / "01_echo.ipynb")
    typed = [v for v in HOSTILE if "\x00" not in v]  # a command line cannot hold NUL
    args = [a for n, v in zip(names, typed, strict=False) for a in ("-p", f"{n}={v}")]
    rc, err, out = _notebooks(tmp_path, monkeypatch, capsys, *args, folder=folder)
    assert rc == 0, err
    echoed = nbformat.read(out / "01_echo.ipynb", as_version=4).cells[2].outputs[0]["text"]
    expected = [ast.literal_eval(v) if _literal(v) else v for v in typed]
    assert ast.literal_eval(echoed) == expected + [None] * (len(names) - len(typed))
    assert not (tmp_path / "wned").exists() and not (folder / "wned").exists()


def _literal(text: str) -> bool:
    """Whether the command line reads ``text`` as a Python literal (else it is a string)."""
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return False
    return True


# --- nothing is written outside --out --------------------------------------------------------

@pytest.mark.parametrize("name", ["../../x", "/tmp/x", "a/b", "a\\b", "..", ".hidden", "C:x",
                                  "a\nb", "nul\x00", "rlo\u202e", "", "x" * 201])
def test_a_figure_name_must_be_a_plain_file_name(tmp_path, configure_figures, name):
    import matplotlib.pyplot as plt

    configure_figures(out_dir=tmp_path / "figures")
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="is not a plain file name"):
        plotting.save(fig, name, show=False)
    plt.close(fig)
    assert list(tmp_path.rglob("*")) == []


# --- 06's figure follows the denominator ----------------------------------------------------


def test_no_notebook_writes_a_rate_unit_by_hand():
    """Axis labels of rates come from parameters.rate_unit, which follows the denominator:
    a label typed as "per resident" was wrong with -p denominator=none or donor_population."""
    import re

    for path in sorted(NOTEBOOKS.glob("0*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        tree = ast.parse("\n".join(c.source for c in nb.cells if c.cell_type == "code"))
        texts = " | ".join(n.value for n in ast.walk(tree)
                           if isinstance(n, ast.Constant) and isinstance(n.value, str))
        assert not re.search(r"\bresidents?\b|per 100k", texts), \
            path.name


@pytest.mark.parametrize(("denominator", "per", "label"), [
    ("recipient_population", 1, "2023 yuan per resident per year"),
    ("donor_population", 1, "2023 yuan per donor resident per year"),
    ("none", 1, "2023 yuan per year"),
    ("recipient_population", 100_000, "2023 yuan per 100,000 residents per year"),
    ("none", 100_000, "2023 yuan per year"),
    ("donor_population", 1000.0, "2023 yuan per 1,000 donor residents per year")])
def test_rate_labels_follow_the_denominator(denominator, per, label):
    assert parameters.rate_unit("2023 yuan", denominator, per) == label


@pytest.mark.parametrize("lo", [0.003, 1, 40, 5e6])
@pytest.mark.parametrize("decades", [0.5, 1, 2, 3, 5, 8])
@pytest.mark.parametrize("which", ["x", "y"])
def test_log_axis_tick_labels_never_overlap(lo, decades, which):
    """06 with denominator=none puts yuan totals of 5 000 000–500 000 000 on its log axis;
    the labels ran into each other. Any range, axis length and direction: no overlap."""
    import matplotlib.pyplot as plt

    plotting.setup()
    for width in (3, 5, 8, 13):
        fig, ax = plt.subplots(figsize=(width, width * 0.6))
        span = [lo, lo * 10 ** decades]
        ax.plot(span, [1, 2]) if which == "x" else ax.plot([1, 2], span)
        plotting.log_axis(ax, which)
        fig.tight_layout()
        fig.draw_without_rendering()  # the labels laid out as drawn, no pixels
        labels = ax.get_xticklabels() if which == "x" else ax.get_yticklabels()
        boxes = sorted((t.get_window_extent() for t in labels if t.get_text()),
                       key=lambda b: b.x0 if which == "x" else b.y0)
        plt.close(fig)
        assert boxes, (width, "no label at all")
        for a, b in itertools.pairwise(boxes):
            assert (a.x1 <= b.x0) if which == "x" else (a.y1 <= b.y0), (width, a, b)


def test_notebook_06_tells_how_to_run_it_truthfully():
    """Its header shows the coopstats command (papermill is no longer a dependency)."""
    header = nbformat.read(NOTEBOOKS / "06_adapt_it.ipynb", as_version=4).cells[0].source
    assert "papermill" not in header
    command = header.split("```bash\n")[1].split("```")[0].replace("\\\n", " ")
    args = command.split()
    assert args[:4] == ["coopstats", "notebooks", "--notebooks", "notebooks/06_adapt_it.ipynb"]
    values = dict(a.split("=", 1) for a in args[args.index("-p"):] if a != "-p")
    assert set(values) <= set(parameters.SPECS)
    parameters.check({k: ast.literal_eval(v) if v.isdigit() else v for k, v in values.items()})
