"""The tables' schema: one declaration used by the validator, the loaders and the docs.

Each table is a :class:`Table` of :class:`Column` specs, and each column has a kind from
:data:`KINDS`, which says once what the kind means for the validator (the cell rule), the
loaders (the pandas dtype), ``datapackage.json`` (the Frictionless type) and ``coopstats
describe``. Adding a column is one line in a table below; adding a table is one
:class:`Table` and its name in :data:`SCHEMA`.

Why not pandera: the error format here (``path:line: column: reason``, every problem at once,
line numbers of the CSV file rather than DataFrame positions) and the cross-table and evidence
rules would need a custom layer on top of pandera anyway, and importing pandera costs about
as much as importing pandas, which every ``import coopstats`` would pay.

Examples
--------
>>> col = SCHEMA["facts"].column("period_start")
>>> col.kind, col.pandas_dtype, KINDS[col.kind].frictionless
('int', 'Int64', 'integer')
>>> KINDS[col.kind].check(col, "1850")
'1850 is outside 1949–2100'
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from coopstats.dataset.kinds import KINDS, LIST_SEPARATOR, Kind
from coopstats.dataset.numerals import QUALIFIERS, UNITS

__all__ = ["DERIVED", "DERIVED_FACT_COLUMNS", "KINDS", "LIST_SEPARATOR", "SCHEMA", "Column",
           "Kind", "Table"]

SCOPES = ("pairing", "component", "donor_all", "province")
STATUSES = ("achieved", "planned")
PERIOD_BASES = ("stated", "relative", "annual", "pairing_start", "recent", "open_start",
                "article_frame", "as_of", "none")
FUNDER_LEVELS = ("province", "city", "district", "mixed", "unknown", "not_applicable")
FLOW_STAGES = ("allocated", "disbursed", "unknown", "not_applicable")
DIRECTIONS = ("one_way", "two_way", "not_applicable")
MEASURE_TYPES = ("flow", "stock", "capacity", "share")
GRADES = ("A", "B", "C")
ROUNDS = ("first", "new_round")
SOURCE_SIDES = ("donor", "recipient", "central", "other")
PROGRAMMES = ("east_west", "tibet_counterpart", "three_gorges_counterpart", "intra_provincial")
LEVELS = ("province", "prefecture", "county", "district")
ROLES = ("donor", "recipient", "donor_province", "recipient_province", "context")
INDICATOR_KINDS = ("input", "output", "outcome")
SCRIPTS = ("simplified", "traditional")
PRECISIONS = ("year", "month", "day")
#: what a row of ``context/places.csv`` counts, and its unit
CONTEXT_UNITS = {"population": "person", "registered_population": "person", "area": "km2",
                 "counties": "count", "townships": "count", "villages": "count"}
CONTEXT_INDICATORS = tuple(CONTEXT_UNITS)
#: what a finance row counts (``context/finance.csv``): the denominators of shares
FINANCE_INDICATORS = ("general_budget_revenue", "gdp", "general_budget_expenditure")
#: the kind of document a finance figure comes from, strongest first
FINANCE_SOURCES = ("final_accounts", "statistical_communique", "budget_report",
                   "audit_report", "plan_report", "government_report", "statistics_release",
                   "press_conference", "news_report")
YEAR_RANGE = (1949, 2100)
#: why a figure-like string of an article is not coded (codebook, "What is coded and what is
#: not"); ``coopstats extract`` gives the first seven itself, a coder lists the others in
#: skips.csv
SKIP_REASONS = ("date", "ordinal", "duration", "streak", "personal", "article", "name",
                "framework", "context", "pending")

ID = r"[a-z][a-z0-9_]*"


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``kind`` is a key of :data:`KINDS`: ``str`` (free text), ``id`` (identifier),
    ``category`` (one of ``choices``), ``list`` (``;``-separated ``choices``), ``int`` (whole
    number, optionally in ``bounds``), ``float`` or ``bool``.
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
    #: the loaded column's pandas dtype when it is not the kind's (the values the parser
    #: derives are plain ``float64``: never missing)
    dtype: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: unknown kind {self.kind!r}")

    @property
    def pandas_dtype(self) -> str:
        """The dtype of the column in a loaded DataFrame."""
        return self.dtype or KINDS[self.kind].dtype


@dataclass(frozen=True)
class Table:
    """A table: its name, file (or glob), columns and key."""

    name: str
    path: str
    description: str
    columns: tuple[Column, ...]
    key: str
    many_files: bool = False

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
        Column("adcode", "id", "Administrative division code (GB/T 2260, six digits), as the "
               "map outlines use it.", required=True, unique=True, pattern=r"[1-8][0-9]{5}"),
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
        Column("start_month", "int", "Month of the stated start, where the article gives it.",
               bounds=(1, 12), unit="month"),
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
        Column("kind", "category", "input, output or outcome.", required=True,
               choices=INDICATOR_KINDS),
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
        Column("funder_level", "category", "Who paid: the government level of the donor side "
               "(money, and counts the sentence says the money financed).", required=True,
               choices=FUNDER_LEVELS),
        Column("flow_stage", "category", "How far money got: allocated (落实/安排) or disbursed "
               "(投入/拨付/到位).", required=True, choices=FLOW_STAGES),
        Column("direction", "category", "Trade and consumption: one way (the donor side buys "
               "the recipient's products) or two ways (两地/双方).", required=True,
               choices=DIRECTIONS),
        Column("measure_type", "category", "flow (over or per a period), stock (at one "
               "moment), capacity (what a facility can do) or share (a percentage).",
               required=True, choices=MEASURE_TYPES),
        Column("duplicate_of", "id", "The earlier fact of the same article this row restates; "
               "never counted twice.", pattern=r"[a-z]{2,6}-[0-9]{3,4}"),
        Column("part_of", "id", "The total this row is a part of: a fact id, or a derived "
               "total <prefix>-sNN the library sums from its parts.",
               pattern=r"[a-z]{2,6}-(?:[0-9]{3,4}|s[0-9]{2})"),
        Column("grade", "category", "A: all stated in the sentence; B: a codebook rule "
               "was needed; C: relies on the external layer.", required=True, choices=GRADES),
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

PAIRING_STARTS = Table(
    name="pairing_starts",
    path="context/pairing_starts.csv",
    description="When pairings began, from public sources other than the articles (the "
                "external layer; an article's stated year always wins).",
    key="",
    columns=(
        Column("pairing_id", "id", "Pairing.", required=True, references="pairings.pairing_id"),
        Column("round", "category", "first (when the relationship began) or new_round (the "
               "2021 new round of East-West cooperation).", required=True, choices=ROUNDS),
        Column("start_year", "int", "Year the source gives.", required=True, bounds=YEAR_RANGE,
               unit="year"),
        Column("start_month", "int", "Month, where the source gives it.", bounds=(1, 12),
               unit="month"),
        Column("source_date", "str", "Publication date of the source: YYYY, YYYY-MM or "
               "YYYY-MM-DD.", required=True, pattern=r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"),
        *_SOURCE_COLUMNS,
    ),
)

CONTEXT = Table(
    name="context",
    path="context/places.csv",
    description="External statistics for places (census population, registered population, "
                "area, counties, townships, villages), each with its source.",
    key="",
    columns=(
        Column("place_id", "id", "Place.", required=True, references="places.place_id"),
        Column("indicator", "category", "population (2020 census residents), "
               "registered_population (户籍人口), area, counties (county-level divisions of a "
               "prefecture), townships (乡镇 and 街道) or villages (村, with 社区 where the source "
               "counts them together).", required=True, choices=CONTEXT_INDICATORS),
        Column("year", "int", "Reference year of the figure.", bounds=YEAR_RANGE, unit="year"),
        Column("value", "float", "The figure.", required=True, bounds=(0.0, 1e10)),
        Column("unit", "category", "person, km2 or count.", required=True,
               choices=("person", "km2", "count")),
        *_SOURCE_COLUMNS,
    ),
)

FINANCE = Table(
    name="finance",
    path="context/finance.csv",
    description="Public finance and GDP of donors and recipients (the denominators of "
                "shares), one row per place, indicator and year, each with its source.",
    key="",
    columns=(
        Column("place_id", "id", "Place (a donor city, Shandong province, or a recipient).",
               required=True, references="places.place_id"),
        Column("indicator", "category", "general_budget_revenue (一般公共预算收入, local), gdp "
               "(地区生产总值) or general_budget_expenditure (一般公共预算支出).",
               required=True, choices=FINANCE_INDICATORS),
        Column("year", "int", "Calendar year of the figure.", required=True,
               bounds=YEAR_RANGE, unit="year"),
        Column("raw", "str", "The figure as the source prints it (1337.8亿元).", required=True),
        Column("value", "float", "The figure in current yuan; the validator checks it against "
               "raw.", required=True, bounds=(1e6, 1e14), unit="CNY"),
        Column("source_type", "category", "The kind of document that prints it: final "
               "accounts (决算), statistical communiqué, budget execution report, audit report "
               "on the budget's execution, plan execution report, government work report, a "
               "statistics bureau's own release or analysis, a statistics-bureau press "
               "conference, or a news report.", required=True, choices=FINANCE_SOURCES),
        Column("source_date", "str", "Publication date of the source: YYYY, YYYY-MM or "
               "YYYY-MM-DD.", pattern=r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"),
        *_SOURCE_COLUMNS,
    ),
)

BENCHMARKS = Table(
    name="benchmarks",
    path="context/benchmarks.csv",
    description="Shares of the donor's fiscal revenue that earlier pairing-assistance "
                "programmes set, each with the document that set it and a source.",
    key="benchmark_id",
    columns=(
        Column("benchmark_id", "id", "Benchmark id.", required=True, unique=True, pattern=ID),
        Column("programme", "str", "The programme the rule was set for.", required=True),
        Column("label", "str", "Short name for charts.", required=True),
        Column("share_low", "float", "The share the rule sets, or its lower end (% of the "
               "donor's revenue).", required=True, bounds=(0.0, 100.0), unit="percent"),
        Column("share_high", "float", "The upper end; blank when the rule is a floor (at "
               "least share_low).", bounds=(0.0, 100.0), unit="percent"),
        Column("base", "str", "What the share is of, as the source says.", required=True),
        Column("document", "str", "The rule's document or decision, as the source names it.",
               required=True),
        Column("year", "int", "Year the rule was set; blank when the source does not date it.",
               bounds=YEAR_RANGE, unit="year"),
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

GDP_DEFLATOR = Table(
    name="gdp_deflator",
    path="context/gdp_deflator.csv",
    description="National GDP deflator of China, annual, previous year = 100: the second "
                "price index, for a sensitivity line only (the measures deflate with the CPI).",
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

REPORTS = Table(
    name="reports",
    path="context/reports.csv",
    description="Figures of the pairings from public reports other than the articles, each "
                "with its source, to date when the money came and how many sources agree.",
    key="report_id",
    columns=(
        Column("report_id", "id", "Report row id, ext-NNN.", required=True, unique=True,
               pattern=r"ext-[0-9]{3}"),
        replace(FACTS.column("pairing_id"), description="Pairing; blank only for scope "
                "donor_all and province."),
        Column("scope", "category", "pairing (a total for the whole pairing), component (a "
               "project, event, sub-group or county-level pair inside it), donor_all (a donor "
               "across all its partners) or province (a donor province's figure).",
               required=True, choices=SCOPES),
        FACTS.column("subject_id"),
        Column("partner_id", "id", "For a donor_all or province figure: the one partner "
               "province it covers, where the report names one (gansu for Shandong's aid to "
               "Gansu).", references="places.place_id"),
        *(FACTS.column(c) for c in ("indicator", "raw", "status", "period_start",
                                    "period_end", "period_text", "period_basis",
                                    "funder_level", "flow_stage", "direction",
                                    "measure_type")),
        replace(ARTICLES.column("pub_date"), description="Publication date of the report: "
                "YYYY, YYYY-MM or YYYY-MM-DD."),
        ARTICLES.column("pub_date_precision"),
        Column("source_title", "str", "Title of the report (or a description where the "
               "stored copy shows none).", required=True),
        Column("source_publisher", "str", "Who published it, and the mirror it was read "
               "from.", required=True),
        Column("source_url", "str", "Address of the report.", required=True),
        Column("source_side", "category", "Whose outlet: the donor side's, the recipient "
               "side's (its governments and media), central media, or other (portals, "
               "aggregators).", required=True, choices=SOURCE_SIDES),
        Column("source_excerpt", "str", "One sentence (at most) of the report containing "
               "raw.", required=True),
        Column("independent", "category", "no for a republication of an article or an "
               "earlier report, else yes.", required=True, choices=("yes", "no")),
        Column("republishes", "id", "The article or report a republication copies.",
               pattern=r"[a-z][a-z0-9_-]*"),
        Column("duplicate_of", "id", "The fact or earlier report with the same figure and "
               "period; never counted twice.", pattern=r"[a-z]{2,6}-[0-9]{3,4}"),
        Column("note", "str", "Coder's reasoning, and what the report was compared with."),
    ),
)

#: All tables, in the order they are read and validated.
SCHEMA: dict[str, Table] = {t.name: t for t in (ARTICLES, PLACES, PAIRINGS, INDICATORS, FACTS,
                                                 PAIRING_STARTS, CONTEXT, FINANCE, BENCHMARKS,
                                                 CPI, GDP_DEFLATOR, REPORTS)}

SKIPS = Table(
    name="skips",
    path="skips.csv",
    description="Figure-like strings of an article deliberately not coded, with the reason "
                "(the completeness audit of coopstats validate).",
    key="",
    columns=(
        Column("article_id", "id", "Article.", required=True,
               references="articles.article_id"),
        Column("raw", "str", "The string as printed, pinyin removed.", required=True),
        Column("quote", "str", "Verbatim snippet of the article containing raw.",
               required=True),
        Column("reason", "category", "Why it is not coded: date, ordinal, duration, streak, "
               "personal (an age or illness), article (一 or 两 as a word: 'a', 'the two'), "
               "name, framework (a count of a plan's themes or tasks), context (not about "
               "what the pairing gave or produced) or pending (a figure left for "
               "adjudication).", required=True,
               choices=SKIP_REASONS),
        Column("note", "str", "Coder's reasoning."),
    ),
)
# (added apart from the dict above, so that other tables can be added beside it)
SCHEMA[SKIPS.name] = SKIPS

#: Columns ``load_facts`` derives from ``raw`` (and the indicator) with the parser.
DERIVED_FACT_COLUMNS: tuple[Column, ...] = (
    Column("value", "float", "The printed number in base units (midpoint for a range).",
           dtype="float64"),
    Column("value_mid", "float", "Central estimate: the midpoint of the interval (for 余, "
           "近 and 约 not the printed number, which sits on the interval's edge).",
           dtype="float64"),
    Column("value_low", "float", "Lower end of the interval the figure stands for.",
           dtype="float64"),
    Column("value_high", "float", "Upper end of the interval.", dtype="float64"),
    Column("low_inclusive", "bool", "Whether value_low belongs to the interval."),
    Column("high_inclusive", "bool", "Whether value_high belongs to the interval "
           "(False for 余 and 近)."),
    Column("unit", "category", "Canonical unit, after the indicator's count_means."),
)

#: Columns a loader adds to its table's, by table: derived from the cells, never typed.
DERIVED: dict[str, tuple[Column, ...]] = {
    "articles": (Column("pub_year", "int", "Year of pub_date."),),
    "pairings": (
        Column("first_year", "int", "When the pairing began: start_year as the article states "
               "it, else the external layer's first round (context/pairing_starts.csv)."),
        Column("first_month", "int", "Month of first_year where known (the article's, else "
               "the external layer's for the same year)."),
        Column("start_basis", "category", "Where first_year comes from.",
               choices=("stated", "external", "none")),
        Column("new_round_year", "int", "Start of the 2021 new round, from the external "
               "layer, where coded."),
    ),
    "facts": DERIVED_FACT_COLUMNS,
    "reports": (Column("qualifier", "category", "exact, at_least, at_most, approx or range, "
                       "as the parser reads raw.", choices=QUALIFIERS), *DERIVED_FACT_COLUMNS),
}
