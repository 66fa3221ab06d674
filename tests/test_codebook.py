"""The column documentation is generated from the schema: the column tables of
data/CODEBOOK.md (``coopstats describe --markdown``) and the loaders' docstrings. These tests
fail when either drifts from the schema, and when the README's hand-written data-model table
names a column the schema does not have."""

from __future__ import annotations

import inspect
import re
import textwrap

import pytest
from conftest import DATA, REPO

import coopstats
import coopstats.dataset.loaders
from coopstats.cli import main
from coopstats.dataset import codebook
from coopstats.dataset.schema import DERIVED, SCHEMA

CODEBOOK = DATA / "CODEBOOK.md"
_BLOCK = re.compile(r"<!-- columns:(\w+) -->\n(.*?)<!-- /columns -->", re.S)
_KINDS = re.compile(r"<!-- kinds -->\n(.*?)<!-- /kinds -->", re.S)
_REGENERATE = ("data/CODEBOOK.md is out of date: paste the output of `coopstats describe "
               "--markdown {}` between its markers")


def codebook_blocks() -> dict[str, str]:
    text = CODEBOOK.read_text(encoding="utf-8")
    names = [m[1] for m in _BLOCK.finditer(text)]
    assert len(names) == len(set(names)), f"a table twice in CODEBOOK.md: {names}"
    return {m[1]: m[2] for m in _BLOCK.finditer(text)}


def test_codebook_has_the_column_table_of_every_table_and_the_column_types():
    assert set(codebook_blocks()) == set(SCHEMA)
    kinds = _KINDS.findall(CODEBOOK.read_text(encoding="utf-8"))
    assert kinds == [codebook.kinds_markdown()], _REGENERATE.format("")


@pytest.mark.parametrize("name", SCHEMA)
def test_codebook_column_table_is_what_describe_markdown_prints(name, capsys):
    assert main(["describe", "--markdown", name]) == 0
    printed = capsys.readouterr().out
    assert codebook_blocks()[name] == printed, _REGENERATE.format(name)
    for col in (*SCHEMA[name].columns, *DERIVED.get(name, ())):
        assert f"| `{col.name}` | {col.kind}" in printed


def test_describe_markdown_without_a_table_prints_the_whole_dictionary(capsys):
    assert main(["describe", "--markdown"]) == 0
    printed = capsys.readouterr().out
    assert f"<!-- kinds -->\n{codebook.kinds_markdown()}<!-- /kinds -->" in printed
    for name, block in codebook_blocks().items():
        assert f"<!-- columns:{name} -->\n{block}<!-- /columns -->" in printed


def test_codebook_keys_are_the_schema_keys():
    text = CODEBOOK.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| [^|]+ \| `(\w+)` \|$", text, re.M)
    by_path = {t.path.replace("*.csv", "<article_id>.csv"): t for t in SCHEMA.values()}
    assert {path for path, _ in rows} == {p for p, t in by_path.items() if t.key}
    for path, key in rows:
        assert by_path[path].key == key, path


#: the tables with a loader of their own (``load_<table>``)
LOADERS = {name: getattr(coopstats.dataset.loaders, f"load_{name}") for name in SCHEMA
           if hasattr(coopstats.dataset.loaders, f"load_{name}")}


@pytest.mark.parametrize("name", LOADERS)
def test_loader_docstring_gives_each_column_its_loaded_dtype(name):
    frame = LOADERS[name]()
    doc = inspect.getdoc(LOADERS[name])
    assert textwrap.indent(codebook.numpydoc(name), "    ") in doc  # (the Returns item)
    for column, dtype in frame.dtypes.items():
        documented = re.search(rf"^    - ``{column}`` \(([^),]+)", doc, re.M)
        assert documented, f"{column} is not documented in load_{name}"
        assert documented[1].split()[0] == str(dtype).split("[")[0], column


def test_readme_data_model_names_only_schema_columns():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    model = text[text.index("## The data model"):text.index("## Adding an article")]
    rows = re.findall(r"^\| `([^`]+)` \| [^|]+ \| (.+) \|$", model, re.M)
    by_path = {t.path.replace("*.csv", "<article_id>.csv"): t.name for t in SCHEMA.values()}
    assert len(rows) == 10
    for path, columns in rows:
        name = by_path[path]
        known = {c.name for c in (*SCHEMA[name].columns, *DERIVED.get(name, ()))}
        named = set(re.findall(r"`(\w+)`", columns))
        assert named and named <= known, (path, named - known)
    derived = re.search(r"`load_facts\(\)` adds (.+?), all derived", model, re.S)
    assert set(re.findall(r"`(\w+)`", derived[1])) == {c.name for c in DERIVED["facts"]}


# --- the finance table of what is held --------------------------------------------------------

_WORDS = {"revenue": "general_budget_revenue", "GDP": "gdp",
          "expenditure": "general_budget_expenditure"}


def _years(text: str) -> set[int]:
    """'2020–2023, 2025' → {2020, 2021, 2022, 2023, 2025}."""
    out: set[int] = set()
    for part in re.findall(r"\d{4}(?:–\d{4})?", text):
        a, _, b = part.partition("–")
        out |= set(range(int(a), int(b or a) + 1))
    return out


def _held() -> dict[tuple[str, str], set[int]]:
    """The codebook's 'held' column, by place and indicator."""
    text = CODEBOOK.read_text(encoding="utf-8")
    table = text.split("| place | held | searched, not found |", 1)[1].split("\n\n", 1)[0]
    held: dict[tuple[str, str], set[int]] = {}
    for line in table.splitlines()[2:]:
        place, cell = (c.strip() for c in line.strip("|").split("|")[:2])
        place_id = place.split()[0].lower()
        for part in re.sub(r"\([^)]*\)", "", cell).split(";"):
            word = part.split()[0] if part.strip() not in ("", "—") else None
            if word:
                held[(place_id, _WORDS[word])] = _years(part)
    return held


def test_the_codebook_says_which_finance_figures_are_held():
    """The table "held / searched, not found" is the data: every place-indicator-year in
    context/finance.csv is listed as held, and nothing is listed that the file lacks; the
    coverage sentence counts the places."""
    data = coopstats.load_all()
    f = data.finance
    rows: dict[tuple[str, str], set[int]] = {}
    for p, i, y in zip(f["place_id"].astype(str), f["indicator"].astype(str), f["year"],
                       strict=True):
        rows.setdefault((p, i), set()).add(int(y))
    assert _held() == rows
    recipients = set(data.pairings["recipient_id"].astype(str))
    for word, indicator in (("GDP", "gdp"), ("expenditure", "general_budget_expenditure")):
        n = len({p for p, i in rows if i == indicator and p in recipients})
        text = " ".join(CODEBOOK.read_text(encoding="utf-8").split())
        assert re.search(rf"{word} {n} of 10", text), (word, n)
