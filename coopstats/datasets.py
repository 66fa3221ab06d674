"""Load the dataset as typed pandas DataFrames.

Every loader reads the CSV files, checks them with the same rules as ``coopstats validate``
and refuses invalid data with :class:`DataValidationError` (one line per problem) instead of
returning a half-typed frame. No network, no cache files; the data folder is never written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .checks import Checked, check
from .locations import resolve_data_dir, sources_dir
from .numerals import UNITS, parse_figure
from .schema import DERIVED_FACT_COLUMNS, SCHEMA, Table

__all__ = [
    "DataValidationError",
    "Dataset",
    "load_all",
    "load_articles",
    "load_context",
    "load_cpi",
    "load_facts",
    "load_indicators",
    "load_pairings",
    "load_places",
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
    ``$COOPSTATS_SOURCES`` when set (:func:`coopstats.locations.sources_dir`)."""
    result = check(resolve_data_dir(data_dir), sources_dir(sources))
    if result.problems:
        raise DataValidationError(result.problems)
    return result


def _frame(table: Table, result: Checked) -> pd.DataFrame:
    rows = result.rows[table.name]
    keys = {name: [r[SCHEMA[name].key] for r in rs] for name, rs in result.rows.items()
            if SCHEMA[name].key}
    data: dict[str, object] = {}
    for col in table.columns:
        texts = [r[col.name] for r in rows]
        if col.kind == "int":
            data[col.name] = pd.array([int(t) if t else None for t in texts], dtype="Int64")
        elif col.kind == "float":
            data[col.name] = pd.array([float(t) if t else None for t in texts],
                                      dtype="Float64")
        elif col.kind == "category":
            data[col.name] = pd.Categorical([t or None for t in texts], categories=col.choices)
        elif col.kind == "id" and col.references:
            target = col.references.split(".")[0]
            data[col.name] = pd.Categorical([t or None for t in texts],
                                            categories=keys[target])
        elif col.kind == "list":
            data[col.name] = pd.array(texts, dtype="string")
        else:
            data[col.name] = pd.array([t if t else None for t in texts], dtype="string")
    return pd.DataFrame(data)


def load_articles(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the source articles.

    Parameters
    ----------
    data_dir : path, optional
        A copy of the data folder; default: the data shipped with the package.

    Returns
    -------
    pandas.DataFrame
        One row per article:

        - ``article_id`` (string): id, also the facts file's name
        - ``fact_prefix`` (string): prefix of the article's fact ids
        - ``source_file`` (string): file name of the article in the sources folder
        - ``title_zh``, ``title_en`` (string): headline as printed (may be missing) and in English
        - ``outlet``, ``authors`` (string): only where the text states them; authors ``;``-separated
        - ``pub_date`` (string): ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, inferred from the text
        - ``pub_date_precision`` (category): year, month, day
        - ``pub_date_basis`` (string): the words the date rests on
        - ``script`` (category): simplified, traditional
        - ``pub_year`` (Int64): year of ``pub_date``

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


def load_places(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the places (donors, recipients, provinces, parent cities).

    Returns
    -------
    pandas.DataFrame
        - ``place_id`` (string): pinyin id
        - ``name_zh``, ``name_en`` (string): Chinese and pinyin/English names
        - ``level`` (category): province, prefecture, county, district
        - ``parent_id``, ``province_id`` (category of place ids): containing place, province
        - ``role`` (category): donor, recipient, donor_province, recipient_province, context
        - ``latitude``, ``longitude`` (Float64, degrees): approximate seat, for plotting

    Examples
    --------
    >>> load_places().set_index("place_id").loc["chengkou", "name_zh"]
    '城口县'
    """
    return _frame(SCHEMA["places"], _checked(data_dir, None))


def load_pairings(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the donor → recipient pairings.

    Returns
    -------
    pandas.DataFrame
        - ``pairing_id`` (string): ``<donor>_<recipient>``
        - ``donor_id``, ``recipient_id`` (category of place ids)
        - ``programme`` (category): east_west, tibet_counterpart, three_gorges_counterpart,
          intra_provincial
        - ``start_year`` (Int64): start as the article states it; missing when it does not
        - ``start_precision`` (category): year, month
        - ``start_quote`` (string): the words stating (or leaving open) the start
        - ``article_id`` (category): where it is stated
        - ``note`` (string)

    Examples
    --------
    >>> int(load_pairings().set_index("pairing_id").loc["qingdao_yiling", "start_year"])
    1994
    """
    return _frame(SCHEMA["pairings"], _checked(data_dir, None))


def load_indicators(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the indicator vocabulary (the codebook as a table).

    Returns
    -------
    pandas.DataFrame
        - ``indicator_id`` (string)
        - ``label_en``, ``definition``, ``terms_zh`` (string)
        - ``domain`` (string): funds, labour, health …
        - ``kind`` (category): input, output, outcome
        - ``units`` (string): allowed canonical units, ``;``-separated
        - ``count_means`` (category): how a bare count classifier is read
        - ``comparable_group`` (string): indicators sharing a group may be summed or ranked
          together

    Examples
    --------
    >>> ind = load_indicators().set_index("indicator_id")
    >>> ind.loc[["fiscal_aid_funds", "pooled_aid_funds"], "comparable_group"].tolist()
    ['fiscal_aid', 'pooled_funds']
    """
    return _frame(SCHEMA["indicators"], _checked(data_dir, None))


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
        One row per reported figure:

        - ``fact_id`` (string): ``<prefix>-NNN`` in order of appearance
        - ``article_id`` (category): the article
        - ``pairing_id`` (category): the pairing; missing for scope donor_all and province
        - ``scope`` (category): pairing (a pairing total), component (one project, event or
          part), donor_all (the donor across all partners), province
        - ``subject_id`` (category): the place of a donor_all/province figure
        - ``indicator`` (category): indicator id (see :func:`load_indicators`)
        - ``raw`` (string): the figure as printed, e.g. ``1.3万余人次``
        - ``qualifier`` (category): exact, at_least, at_most, approx, range
        - ``status`` (category): achieved, planned
        - ``period_start``, ``period_end`` (Int64, year): missing where the text gives no basis
        - ``period_text`` (string): the words fixing the period (``2021年以来``, ``每年`` …)
        - ``period_basis`` (category): stated, relative, annual, pairing_start, open_start, none
        - ``quote`` (string): verbatim snippet of the article containing ``raw``
        - ``note`` (string): the coder's reasoning
        - ``value`` (float64): the printed number in base units (yuan, persons …); midpoint
          for a range
        - ``value_low``, ``value_high`` (float64): the interval the figure stands for
        - ``low_inclusive``, ``high_inclusive`` (bool): whether the ends belong to it
        - ``unit`` (category): CNY, person, person_time, household, pair, count, tonne, mu,
          head, MW, percent

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
    df = _frame(SCHEMA["facts"], result)
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
        "value_low": [f.low for f in figures],
        "value_high": [f.high for f in figures],
        "low_inclusive": [f.low_inclusive for f in figures],
        "high_inclusive": [f.high_inclusive for f in figures],
    }
    for col in DERIVED_FACT_COLUMNS:
        if col.name in derived:
            dtype = "bool" if col.kind == "bool" else "float64"
            df[col.name] = pd.array(derived[col.name], dtype=dtype)
    df["unit"] = pd.Categorical(units, categories=UNITS)
    return df


def load_context(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load external statistics for places (2020 census population, area), with sources.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per place and indicator:

        - ``place_id`` (category): the place
        - ``indicator`` (category): ``population`` (2020 census resident population) or ``area``
        - ``year`` (Int64): reference year
        - ``value`` (Float64): the figure
        - ``unit`` (category): ``person`` or ``km2``
        - ``source_title``, ``source_publisher``, ``source_url`` (string): where it comes from
        - ``source_excerpt`` (string): the words of the source that state the figure
        - ``note`` (string): conversions, disagreements between sources, choices

    Examples
    --------
    >>> ctx = load_context()
    >>> set(ctx["indicator"]) >= {"population"}
    True
    """
    return _frame(SCHEMA["context"], _checked(data_dir, None))


def load_cpi(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load China's national consumer price index (annual, previous year = 100), with sources.

    Returns
    -------
    pandas.DataFrame
        - ``year`` (Int64)
        - ``value`` (Float64): index, previous year = 100
        - ``base`` (category): ``previous_year=100``
        - ``source_title``, ``source_publisher``, ``source_url``, ``source_excerpt``, ``note``
          (string): the source and the words that state the figure

    Examples
    --------
    >>> cpi = load_cpi()
    >>> bool((cpi["value"] > 90).all())
    True
    """
    return _frame(SCHEMA["cpi"], _checked(data_dir, None))


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

    @property
    def programmes(self) -> dict[str, str]:
        """``pairing_id`` → programme."""
        return dict(zip(self.pairings["pairing_id"], self.pairings["programme"].astype(str),
                        strict=True))


def load_all(data_dir: Path | str | None = None, *,
             sources: Path | str | None = None) -> Dataset:
    """Load every table at once, validating the data a single time.

    The tables are those of :func:`load_facts`, :func:`load_articles`, :func:`load_pairings`,
    :func:`load_places`, :func:`load_indicators`, :func:`load_context` and :func:`load_cpi`.

    Examples
    --------
    >>> data = load_all()
    >>> len(data.pairings), data.programmes["qingdao_sangzhuzi"]
    (10, 'tibet_counterpart')
    """
    result = _checked(data_dir, sources)
    return Dataset(
        facts=_facts_frame(result), articles=_articles_frame(result),
        pairings=_frame(SCHEMA["pairings"], result), places=_frame(SCHEMA["places"], result),
        indicators=_frame(SCHEMA["indicators"], result),
        context=_frame(SCHEMA["context"], result), cpi=_frame(SCHEMA["cpi"], result))
