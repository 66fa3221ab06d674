"""Load the dataset as typed pandas DataFrames.

Every loader reads the CSV files, checks them with the same rules as ``coopstats validate``
and refuses invalid data with :class:`DataValidationError` (one line per problem) instead of
returning a half-typed frame. No network, no cache files; the data folder is never written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from coopstats.dataset.checks import Checked, check
from coopstats.dataset.codebook import document_columns
from coopstats.dataset.locations import resolve_data_dir, sources_dir
from coopstats.dataset.numerals import QUALIFIERS, UNITS, parse_figure
from coopstats.dataset.schema import DERIVED_FACT_COLUMNS, KINDS, SCHEMA, Table

__all__ = [
    "DataValidationError",
    "Dataset",
    "load_all",
    "load_articles",
    "load_benchmarks",
    "load_context",
    "load_cpi",
    "load_facts",
    "load_finance",
    "load_gdp_deflator",
    "load_indicators",
    "load_pairing_starts",
    "load_pairings",
    "load_places",
    "load_reports",
]


class DataValidationError(ValueError):
    """The data did not pass validation. ``problems`` lists them; the message has one per
    line, as ``path:line: column: reason``."""

    def __init__(self, problems: list) -> None:
        self.problems = list(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{lines}")


def _checked(data_dir: Path | str | None, sources: Path | str | None) -> Checked:
    """Check the data as ``coopstats validate`` does: quotes against ``sources``, else
    ``$COOPSTATS_SOURCES`` when set (:func:`coopstats.dataset.locations.sources_dir`)."""
    result = check(resolve_data_dir(data_dir), sources_dir(sources))
    if result.problems:
        raise DataValidationError(result.problems)
    return result


def _categorical(values: list, categories: list) -> pd.Categorical:
    """``pd.Categorical(values, categories=categories)``, built from codes with one dtype
    per list of categories (a fifth of the time: a table's ids are the categories of
    several columns): the values are checked already, and one that is not a category is
    missing, as there."""
    dtype, code = _categories(tuple(categories))
    return pd.Categorical.from_codes([code.get(v, -1) for v in values], dtype=dtype)


@functools.lru_cache(maxsize=64)
def _categories(categories: tuple) -> tuple[pd.CategoricalDtype, dict]:
    return pd.CategoricalDtype(list(categories)), {c: i for i, c in enumerate(categories)}


def _frame(table: Table, result: Checked) -> pd.DataFrame:
    """The checked rows of ``table`` as a frame, each column typed as its kind says; a
    column that references a table is a categorical of that table's ids."""
    rows = result.rows[table.name]
    data: dict[str, object] = {}
    for col in table.columns:
        parse = KINDS[col.kind].parse
        values = [parse(r[col.name]) if r[col.name] else None for r in rows]
        if col.references:
            target = SCHEMA[col.references.split(".")[0]]
            data[col.name] = _categorical(values, [r[target.key] for r in
                                                   result.rows[target.name]])
        elif col.pandas_dtype == "category":
            data[col.name] = _categorical(values, list(col.choices))
        else:
            data[col.name] = pd.array(values, dtype=col.pandas_dtype)
    return pd.DataFrame(data)


@document_columns("articles", row="article")
def load_articles(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the source articles.

    {sections}

    Raises
    ------
    DataValidationError
        If any table fails validation.

    Examples
    --------
    >>> load_articles()["article_id"].tolist()[:2]
    ['linyi_chengkou_2023', 'rizhao_qianjiang_2023']
    """
    return _articles_frame(_checked(data_dir, None))


def _articles_frame(result: Checked) -> pd.DataFrame:
    df = _frame(SCHEMA["articles"], result)
    df["pub_year"] = pd.array([int(d[:4]) for d in df["pub_date"]], dtype="Int64")
    return df


@document_columns("places", row="place")
def load_places(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the places (donors, recipients, provinces, parent cities).

    {sections}

    Examples
    --------
    >>> load_places().set_index("place_id").loc["chengkou", "name_zh"]
    '城口县'
    """
    return _frame(SCHEMA["places"], _checked(data_dir, None))


@document_columns("pairings", row="pairing")
def load_pairings(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the donor → recipient pairings, with when each began: as its article states
    it (``start_year``), and where the article does not, from the cited external layer
    (``first_year``, ``start_basis``; see :func:`load_pairing_starts`).

    {sections}

    Examples
    --------
    >>> p = load_pairings().set_index("pairing_id")
    >>> int(p.loc["qingdao_yiling", "start_year"])
    1994
    >>> row = p.loc["linyi_chengkou"]
    >>> int(row["first_year"]), row["start_basis"], int(row["new_round_year"])
    (2011, 'external', 2021)
    """
    return _pairings_frame(_checked(data_dir, None))


def _first_start(year, month, external: dict | None) -> tuple[int | None, int | None, str]:
    """When a pairing began: the article's year (and month), else the external layer's first
    round; the external month refines the article's year when the years agree."""
    ext_year = int(external["start_year"]) if external else None
    ext_month = int(external["start_month"]) if external and external["start_month"] else None
    if pd.notna(year):
        stated_month = int(month) if pd.notna(month) else None
        return int(year), stated_month or (ext_month if ext_year == year else None), "stated"
    if ext_year is not None:
        return ext_year, ext_month, "external"
    return None, None, "none"


def _pairings_frame(result: Checked) -> pd.DataFrame:
    """The pairings with their first start (the article's, else the external layer's) and
    the new round's start."""
    df = _frame(SCHEMA["pairings"], result)
    ext = {(r["pairing_id"], r["round"]): r for r in result.rows["pairing_starts"]}
    starts = [_first_start(y, m, ext.get((p, "first")))
              for p, y, m in zip(df["pairing_id"], df["start_year"], df["start_month"],
                                 strict=True)]
    df["first_year"] = pd.array([s[0] for s in starts], dtype="Int64")
    df["first_month"] = pd.array([s[1] for s in starts], dtype="Int64")
    df["start_basis"] = pd.Categorical([s[2] for s in starts],
                                       categories=("stated", "external", "none"))
    df["new_round_year"] = pd.array(
        [int(ext[p, "new_round"]["start_year"]) if (p, "new_round") in ext else None
         for p in df["pairing_id"]], dtype="Int64")
    return df


@document_columns("indicators", row="indicator")
def load_indicators(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the indicator vocabulary (the codebook as a table).

    {sections}

    Examples
    --------
    >>> ind = load_indicators().set_index("indicator_id")
    >>> ind.loc[["fiscal_aid_funds", "pooled_aid_funds"], "comparable_group"].tolist()
    ['fiscal_aid', 'pooled_funds']
    """
    return _frame(SCHEMA["indicators"], _checked(data_dir, None))


@document_columns("facts")
def load_facts(data_dir: Path | str | None = None, *,
               sources: Path | str | None = None) -> pd.DataFrame:
    """Load every coded figure of every article, with values derived from ``raw``.

    Parameters
    ----------
    data_dir : path, optional
        A copy of the data folder; default: the data shipped with the package.
    sources : path, optional
        Folder of source articles to check every quote against; default
        ``$COOPSTATS_SOURCES`` when set, else quotes are not checked (as ``coopstats validate``).

    Returns
    -------
    pandas.DataFrame
        One row per reported figure (scopes, qualifiers and periods are explained, with
        worked examples, in ``data/CODEBOOK.md``):

        {columns}

    Raises
    ------
    DataValidationError
        If any table (or, with ``sources``, any quote) fails validation.

    Examples
    --------
    >>> facts = load_facts()
    >>> row = facts.set_index("fact_id").loc["lp-005"]
    >>> row["raw"], float(row["value"]), row["unit"]
    ('11074.12萬元', 110741200.0, 'CNY')
    """
    return _facts_frame(_checked(data_dir, sources))


def _facts_frame(result: Checked) -> pd.DataFrame:
    return _with_figures(_frame(SCHEMA["facts"], result), result)


def _with_figures(df: pd.DataFrame, result: Checked) -> pd.DataFrame:
    """``df`` with the columns the parser derives from ``raw`` (and the indicator)."""
    count_means = {r["indicator_id"]: r["count_means"] for r in result.rows["indicators"]}
    figures = [parse_figure(r) for r in df["raw"]]
    units = []
    for fig, ind in zip(figures, df["indicator"], strict=True):
        unit = fig.unit
        if unit == "count" and count_means.get(ind):
            unit = count_means[ind]
        units.append(unit)
    derived = {
        "value": [f.value for f in figures],
        "value_mid": [(f.low + f.high) / 2 for f in figures],
        "value_low": [f.low for f in figures],
        "value_high": [f.high for f in figures],
        "low_inclusive": [f.low_inclusive for f in figures],
        "high_inclusive": [f.high_inclusive for f in figures],
    }
    for col in DERIVED_FACT_COLUMNS:
        if col.name in derived:
            df[col.name] = pd.array(derived[col.name], dtype=col.pandas_dtype)
    df["unit"] = pd.Categorical(units, categories=UNITS)
    return df


@document_columns("reports", row="figure of a public report")
def load_reports(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the external reports: figures of the pairings from public reports other than the
    articles (``context/reports.csv``), each with its source and the one sentence that
    prints it; values are derived from ``raw`` with the articles' parser, as
    :func:`load_facts` does.

    {sections}

    Examples
    --------
    >>> r = load_reports().set_index("report_id")
    >>> row = r.loc["ext-004"]
    >>> row["raw"], float(row["value"]), row["unit"], row["qualifier"]
    ('18.68億元', 1868000000.0, 'CNY', 'exact')
    >>> r.loc["ext-030", ["independent", "republishes", "duplicate_of"]].tolist()
    ['no', 'liaocheng_pengshui_2025', 'lp-003']
    """
    return _reports_frame(_checked(data_dir, None))


def _reports_frame(result: Checked) -> pd.DataFrame:
    df = _frame(SCHEMA["reports"], result)
    qualifiers = [parse_figure(r).qualifier for r in df["raw"]]
    df = _with_figures(df, result)
    df.insert(len(SCHEMA["reports"].columns), "qualifier",
              pd.Categorical(qualifiers, categories=QUALIFIERS))
    return df


@document_columns("pairing_starts", row="pairing and round")
def load_pairing_starts(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the external layer of pairing starts: when a pairing (or its 2021 new round)
    began, from cited public sources other than the articles.

    {sections}

    Examples
    --------
    >>> s = load_pairing_starts().set_index(["pairing_id", "round"])
    >>> int(s.loc[("liaocheng_pengshui", "first"), "start_year"])
    2017
    """
    return _frame(SCHEMA["pairing_starts"], _checked(data_dir, None))


@document_columns("context")
def load_context(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load external statistics for places (2020 census population, area), with sources.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per place and indicator:

        {columns}

    Examples
    --------
    >>> ctx = load_context()
    >>> set(ctx["indicator"]) >= {"population"}
    True
    """
    return _frame(SCHEMA["context"], _checked(data_dir, None))


@document_columns("finance")
def load_finance(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load public finance and GDP of donors and recipients (the denominators of shares,
    :mod:`coopstats.analysis.denominators`), one row per place, indicator and year, with sources.

    Returns
    -------
    pandas.DataFrame
        {columns}

    Examples
    --------
    >>> fin = load_finance().set_index(["place_id", "indicator", "year"])
    >>> fin.loc[("qingdao", "general_budget_revenue", 2023), "raw"]
    '1337.8亿元'
    """
    return _frame(SCHEMA["finance"], _checked(data_dir, None))


@document_columns("benchmarks", row="benchmark_id")
def load_benchmarks(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the shares of donor revenue that earlier pairing-assistance programmes set
    (Wenchuan 2008, Xinjiang, Tibet), with the documents and sources.

    {sections}

    Examples
    --------
    >>> b = load_benchmarks().set_index("benchmark_id")
    >>> float(b.loc["wenchuan_2008", "share_low"])
    1.0
    """
    return _frame(SCHEMA["benchmarks"], _checked(data_dir, None))


@document_columns("cpi", row="year")
def load_cpi(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load China's national consumer price index (annual, previous year = 100), with sources.

    {sections}

    Examples
    --------
    >>> cpi = load_cpi()
    >>> bool((cpi["value"] > 90).all())
    True
    """
    return _frame(SCHEMA["cpi"], _checked(data_dir, None))


@document_columns("gdp_deflator", row="year")
def load_gdp_deflator(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load China's national GDP deflator (annual, previous year = 100), with its source: the
    second price index, drawn by the ``gdp_deflator`` prior (:mod:`coopstats.analysis.priors`).

    {sections}

    Examples
    --------
    >>> deflator = load_gdp_deflator()
    >>> int(deflator["year"].min()), int(deflator["year"].max())
    (1994, 2023)
    """
    return _frame(SCHEMA["gdp_deflator"], _checked(data_dir, None))


@dataclass(frozen=True)
class Dataset:
    """Every table, loaded and validated together (see :func:`load_all`)."""

    facts: pd.DataFrame
    articles: pd.DataFrame
    pairings: pd.DataFrame
    places: pd.DataFrame
    indicators: pd.DataFrame
    context: pd.DataFrame
    cpi: pd.DataFrame
    gdp_deflator: pd.DataFrame
    pairing_starts: pd.DataFrame
    finance: pd.DataFrame
    benchmarks: pd.DataFrame
    reports: pd.DataFrame

    @property
    def programmes(self) -> dict[str, str]:
        """``pairing_id`` → programme."""
        return dict(zip(self.pairings["pairing_id"], self.pairings["programme"].astype(str),
                        strict=True))

    @property
    def labels(self) -> dict[str, str]:
        """``pairing_id`` → readable label: ``"Linyi → Chengkou"``, or
        ``"Linyi 临沂 → Chengkou 城口"`` once :func:`coopstats.figures.plotting.setup` has found a
        CJK
        font (see :func:`coopstats.dataset.names.pairing_labels`).

        Examples
        --------
        >>> label = load_all().labels["linyi_chengkou"]
        >>> label.startswith("Linyi") and "→ Chengkou" in label
        True
        """
        from coopstats.dataset.names import pairing_labels

        return pairing_labels(self.pairings, self.places)

    @property
    def colours(self) -> dict[str, str]:
        """``pairing_id`` → the colour of its programme
        (:data:`coopstats.dataset.names.PROGRAMME_COLOURS`)."""
        from coopstats.dataset.names import PROGRAMME_COLOURS

        return {p: PROGRAMME_COLOURS[prog] for p, prog in self.programmes.items()}


def load_all(data_dir: Path | str | None = None, *,
             sources: Path | str | None = None) -> Dataset:
    """Load every table at once, validating the data a single time.

    The tables are those of :func:`load_facts`, :func:`load_articles`, :func:`load_pairings`,
    :func:`load_places`, :func:`load_indicators`, :func:`load_context`, :func:`load_cpi`,
    :func:`load_gdp_deflator`, :func:`load_pairing_starts`, :func:`load_finance`,
    :func:`load_benchmarks` and :func:`load_reports`.

    Examples
    --------
    >>> data = load_all()
    >>> len(data.pairings), data.programmes["qingdao_sangzhuzi"]
    (10, 'tibet_counterpart')
    """
    result = _checked(data_dir, sources)
    return Dataset(
        facts=_facts_frame(result), articles=_articles_frame(result),
        pairings=_pairings_frame(result), places=_frame(SCHEMA["places"], result),
        indicators=_frame(SCHEMA["indicators"], result),
        context=_frame(SCHEMA["context"], result), cpi=_frame(SCHEMA["cpi"], result),
        gdp_deflator=_frame(SCHEMA["gdp_deflator"], result),
        pairing_starts=_frame(SCHEMA["pairing_starts"], result),
        finance=_frame(SCHEMA["finance"], result),
        benchmarks=_frame(SCHEMA["benchmarks"], result),
        reports=_reports_frame(result))
