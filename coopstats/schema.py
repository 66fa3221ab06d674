"""The tables' schema: one declaration used by the validator, the loaders and the docs.

Each table is a :class:`Table` of :class:`Column` specs. The validator checks cells against
them; the loaders use them to type the DataFrame; ``coopstats describe`` prints them. Keeping
this in one place means the rules cannot drift between reading and checking.

Why not pandera: the error format here (``path:line: column: reason``, every problem at once,
line numbers of the CSV file rather than DataFrame positions) and the cross-table and evidence
rules would need a custom layer on top of pandera anyway, and importing pandera costs about
as much as importing pandas, which every ``import coopstats`` would pay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .numerals import QUALIFIERS, UNITS

__all__ = ["SCHEMA", "Column", "Table", "known_units"]

SCOPES = ("pairing", "component", "donor_all", "province")
STATUSES = ("achieved", "planned")
PERIOD_BASES = ("stated", "relative", "annual", "pairing_start", "open_start", "none")
PROGRAMMES = ("east_west", "tibet_counterpart", "three_gorges_counterpart", "intra_provincial")
LEVELS = ("province", "prefecture", "county", "district")
ROLES = ("donor", "recipient", "donor_province", "recipient_province", "context")
KINDS = ("input", "output", "outcome")
SCRIPTS = ("simplified", "traditional")
PRECISIONS = ("year", "month", "day")
YEAR_RANGE = (1949, 2100)

ID = r"[a-z][a-z0-9_]*"


def known_units() -> tuple[str, ...]:
    """Canonical units the parser can produce."""
    return UNITS


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``kind`` is ``str`` (free text), ``id`` (identifier), ``category`` (one of ``choices``),
    ``int`` (whole number, optionally in ``bounds``), ``float`` or ``list`` (``;``-separated ids).
    """

    name: str
    kind: str
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    bounds: tuple[float, float] | None = None
    unique: bool = False
    references: str | None = None  # "table.column" this column must resolve in
    unit: str | None = None


@dataclass(frozen=True)
class Table:
    """A table: its name, file (or glob), columns and key."""

    name: str
    path: str
    description: str
    columns: tuple[Column, ...]
    key: str
    many_files: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


ARTICLES = Table(
    name="articles",
    path="articles.csv",
    description="One row per source article.",
    key="article_id",
    columns=(
        Column("article_id", "id", "Article id; also the name of its facts file.",
               required=True, unique=True, pattern=ID),
        Column("fact_prefix", "id", "Prefix of the article's fact ids (lc → lc-001).",
               required=True, unique=True, pattern=r"[a-z]{2,6}"),
        Column("source_file", "str", "File name of the article in the sources folder.",
               required=True, unique=True, pattern=r"[^/\\]+\.txt"),
        Column("title_zh", "str", "Headline as printed; blank when the source has none."),
        Column("title_en", "str", "English translation of the headline.", required=True),
        Column("outlet", "str", "Newspaper or site, only where the text states it."),
        Column("authors", "str", "Authors as printed, ';'-separated, only where stated."),
        Column("pub_date", "str", "Publication date inferred from the text: YYYY, YYYY-MM or "
               "YYYY-MM-DD.", required=True, pattern=r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"),
        Column("pub_date_precision", "category", "Precision of pub_date.", required=True,
               choices=PRECISIONS),
        Column("pub_date_basis", "str", "The words the date was inferred from.", required=True),
        Column("script", "category", "Chinese script of the source.", required=True,
               choices=SCRIPTS),
    ),
)

PLACES = Table(
    name="places",
    path="places.csv",
    description="Donors, recipients, their provinces and parent cities.",
    key="place_id",
    columns=(
        Column("place_id", "id", "Place id (pinyin, lower case).", required=True, unique=True,
               pattern=ID),
        Column("name_zh", "str", "Official Chinese name.", required=True),
        Column("name_en", "str", "Pinyin or English name.", required=True),
        Column("level", "category", "Administrative level.", required=True, choices=LEVELS),
        Column("parent_id", "id", "The place it belongs to (blank for provinces).",
               references="places.place_id"),
        Column("province_id", "id", "The provincial-level unit.", required=True,
               references="places.place_id"),
        Column("role", "category", "Role in the dataset.", required=True, choices=ROLES),
        Column("latitude", "float", "Approximate latitude of the government seat.",
               required=True, bounds=(18.0, 54.0), unit="degree"),
        Column("longitude", "float", "Approximate longitude of the government seat.",
               required=True, bounds=(73.0, 135.0), unit="degree"),
    ),
)

PAIRINGS = Table(
    name="pairings",
    path="pairings.csv",
    description="Donor → recipient relationships.",
    key="pairing_id",
    columns=(
        Column("pairing_id", "id", "Pairing id, <donor>_<recipient>.", required=True,
               unique=True, pattern=ID),
        Column("donor_id", "id", "Donor place.", required=True, references="places.place_id"),
        Column("recipient_id", "id", "Recipient place.", required=True,
               references="places.place_id"),
        Column("programme", "category", "Programme type.", required=True, choices=PROGRAMMES),
        Column("start_year", "int", "Start year as the article states it; blank if it does not.",
               bounds=YEAR_RANGE, unit="year"),
        Column("start_precision", "category", "Precision of the stated start.",
               choices=PRECISIONS),
        Column("start_quote", "str", "Words of the article that state (or leave open) the start.",
               required=True),
        Column("article_id", "id", "Article the start is taken from.", required=True,
               references="articles.article_id"),
        Column("note", "str", "Coder's reasoning."),
    ),
)

INDICATORS = Table(
    name="indicators",
    path="indicators.csv",
    description="Controlled vocabulary of indicators (the codebook in table form).",
    key="indicator_id",
    columns=(
        Column("indicator_id", "id", "Indicator id used in facts.", required=True, unique=True,
               pattern=ID),
        Column("label_en", "str", "Short English label.", required=True),
        Column("domain", "id", "Domain (funds, labour, health …).", required=True, pattern=ID),
        Column("kind", "category", "input, output or outcome.", required=True, choices=KINDS),
        Column("units", "list", "Canonical units a figure of this indicator may have.",
               required=True, choices=UNITS),
        Column("count_means", "category", "Unit a bare counting classifier (个, 家 …) is read "
               "as for this indicator.", choices=UNITS),
        Column("comparable_group", "id", "Indicators in the same group may be summed or ranked "
               "together.", required=True, pattern=ID),
        Column("definition", "str", "What the indicator counts.", required=True),
        Column("terms_zh", "str", "Chinese terms it covers, ';'-separated.", required=True),
    ),
)

FACTS = Table(
    name="facts",
    path="facts/*.csv",
    many_files=True,
    description="One row per figure reported in an article.",
    key="fact_id",
    columns=(
        Column("fact_id", "id", "Fact id, <prefix>-NNN.", required=True, unique=True,
               pattern=r"[a-z]{2,6}-[0-9]{3,4}"),
        Column("article_id", "id", "Article (must match the file name).", required=True,
               references="articles.article_id"),
        Column("pairing_id", "id", "Pairing; blank only for scope donor_all and province.",
               references="pairings.pairing_id"),
        Column("scope", "category", "pairing, component, donor_all or province.", required=True,
               choices=SCOPES),
        Column("subject_id", "id", "Place of a donor_all or province figure.",
               references="places.place_id"),
        Column("indicator", "id", "Indicator id.", required=True,
               references="indicators.indicator_id"),
        Column("raw", "str", "The figure as printed, pinyin removed.", required=True),
        Column("qualifier", "category", "exact, at_least, at_most, approx or range.",
               required=True, choices=QUALIFIERS),
        Column("status", "category", "achieved or planned.", required=True, choices=STATUSES),
        Column("period_start", "int", "First year the figure covers.", bounds=YEAR_RANGE,
               unit="year"),
        Column("period_end", "int", "Last year the figure covers.", bounds=YEAR_RANGE,
               unit="year"),
        Column("period_text", "str", "Words that fix the period."),
        Column("period_basis", "category", "How the period was read.", required=True,
               choices=PERIOD_BASES),
        Column("quote", "str", "Verbatim snippet of the article containing raw.", required=True),
        Column("note", "str", "Coder's reasoning."),
    ),
)

_SOURCE_COLUMNS = (
    Column("source_title", "str", "Title of the source document.", required=True),
    Column("source_publisher", "str", "Who published it.", required=True),
    Column("source_url", "str", "Address of the source, where there is one."),
    Column("source_excerpt", "str", "Short excerpt of the source that states the number.",
           required=True),
    Column("note", "str", "Conversions, disagreements between sources, choices made."),
)

CONTEXT = Table(
    name="context",
    path="context/places.csv",
    description="External statistics for places (census population, area), each with its "
                "source.",
    key="",
    columns=(
        Column("place_id", "id", "Place.", required=True, references="places.place_id"),
        Column("indicator", "category", "population (2020 census residents) or area.",
               required=True, choices=("population", "area")),
        Column("year", "int", "Reference year of the figure.", bounds=YEAR_RANGE, unit="year"),
        Column("value", "float", "The figure.", required=True, bounds=(0.0, 1e10)),
        Column("unit", "category", "person or km2.", required=True, choices=("person", "km2")),
        *_SOURCE_COLUMNS,
    ),
)

CPI = Table(
    name="cpi",
    path="context/cpi.csv",
    description="National consumer price index of China, annual, previous year = 100.",
    key="year",
    columns=(
        Column("year", "int", "Year.", required=True, unique=True, bounds=YEAR_RANGE,
               unit="year"),
        Column("value", "float", "Index, previous year = 100.", required=True,
               bounds=(80.0, 130.0)),
        Column("base", "category", "Base of the index.", required=True,
               choices=("previous_year=100",)),
        *_SOURCE_COLUMNS,
    ),
)

#: All tables, in the order they are read and validated.
SCHEMA: dict[str, Table] = {t.name: t for t in (ARTICLES, PLACES, PAIRINGS, INDICATORS, FACTS,
                                                 CONTEXT, CPI)}

#: Columns ``load_facts`` derives from ``raw`` (and the indicator) with the parser.
DERIVED_FACT_COLUMNS: tuple[Column, ...] = (
    Column("value", "float", "The printed number in base units (midpoint for a range)."),
    Column("value_low", "float", "Lower end of the interval the figure stands for."),
    Column("value_high", "float", "Upper end of the interval."),
    Column("low_inclusive", "bool", "Whether value_low belongs to the interval."),
    Column("high_inclusive", "bool", "Whether value_high belongs to the interval "
           "(False for 余 and 近)."),
    Column("unit", "category", "Canonical unit, after the indicator's count_means."),
)
