"""Notebook parameters: what each name may hold, declared once.

``coopstats notebooks -p NAME=VALUE`` checks every value against :data:`SPECS` before any
kernel starts, and each notebook's own defaults (its ``parameters`` cell, as the notebook
would see them: those ``-p`` does not replace) against the same data
(:func:`check_defaults`); notebook 06 checks its ``parameters`` cell with :func:`check`, and
the library functions (:mod:`coopstats.analysis.intensity`) raise the same errors for the same
mistakes, e.g.

* ``base_year: must be an int, a year from 1994 to 2025; not str '2020'``
* ``denominator: unknown denominator 'households'; one of recipient_population, …``

Every message is one line that starts with the parameter's name and says what is allowed.
Values are plain literals only (:func:`literal`), so a value written into a notebook as
``name = repr(value)`` can never be code.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

__all__ = [
    "COUNTS",
    "DENOMINATORS",
    "POPULATIONS",
    "SHARES",
    "SPECS",
    "Context",
    "DefaultParameterError",
    "ParameterError",
    "ParameterTypeError",
    "check",
    "check_defaults",
    "count",
    "literal",
    "one_of",
    "positive",
    "rate_unit",
    "year",
]

#: populations a rate may be divided by (``intensity.rates(denominator=…)``) → (the
#: pairings' column naming the place, whom a label says the rate is "per", the indicator of
#: ``context/places.csv``): the 2020 census residents, or the registered population (户籍人口,
#: larger than the residents where people leave to work elsewhere)
POPULATIONS = {
    "recipient_population": ("recipient_id", "resident", "population"),
    "recipient_registered": ("recipient_id", "registered resident", "registered_population"),
    "donor_population": ("donor_id", "donor resident", "population"),
}

#: counts of places a rate may be divided by, one at a time (never "per 100,000"): the
#: recipient's county-level divisions (a county or district is one; a prefecture has the
#: number ``context/places.csv`` gives), or its townships (乡镇 and 街道: what pairing ties
#: join, county to township, township to village)
COUNTS = {
    "recipient_counties": ("recipient_id", "county", "counties"),
    "recipient_townships": ("recipient_id", "township", "townships"),
}

#: shares: yuan a year as a percentage of a year's … → (the pairings' column naming the
#: place, the finance indicator, what a label says it is a share of)
SHARES = {
    "donor_revenue": ("donor_id", "general_budget_revenue",
                      "the payer's general public budget revenue"),
    "recipient_gdp": ("recipient_id", "gdp", "the recipient's GDP"),
    "recipient_expenditure": ("recipient_id", "general_budget_expenditure",
                              "the recipient's general public budget expenditure"),
}

#: every denominator: a population, a share, or nothing (totals)
DENOMINATORS = (*POPULATIONS, *COUNTS, *SHARES, "none")

#: types a parameter value may have (lists and dicts of them too); ``repr`` of each is a
#: Python literal that reads back as the same value
SCALARS = (str, int, float, bool, type(None))
_MAX_DEPTH = 20


class ParameterError(ValueError):
    """A parameter value that is not allowed; the message is one line naming it."""


class ParameterTypeError(ParameterError, TypeError):
    """A parameter value of the wrong type (also a :class:`TypeError`)."""


class DefaultParameterError(ParameterError):
    """A notebook's own default (in its ``parameters`` cell) that is not allowed, e.g. a
    pairing a copy of the data lacks; the message names the notebook and the ``-p`` that
    replaces the default."""


class _NoData(Exception):
    """The data that say what is allowed cannot be read."""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _not(value: object) -> str:
    return f"not {type(value).__name__} {_shown(value)}"


def literal(name: str, value: object, _depth: int = 0) -> object:
    """``value`` if it is a str, int, float (finite), bool or None, or a list or dict of
    them; else :class:`ParameterTypeError`.

    Examples
    --------
    >>> literal("x", {"a": [1, 2.5, None, True]})
    {'a': [1, 2.5, None, True]}
    >>> literal("x", b"bytes")
    Traceback (most recent call last):
    ...
    coopstats.dataset.parameters.ParameterTypeError: x: values may be str, int, float, bool, None,
    or lists and dicts of them; not bytes b'bytes'
    """
    kind = type(value)
    if _depth > _MAX_DEPTH:
        raise ParameterTypeError(f"{name}: nested more than {_MAX_DEPTH} levels deep")
    if kind is float and not math.isfinite(value):
        raise ParameterTypeError(f"{name}: must be a finite number, {_not(value)}")
    if kind in SCALARS:
        return value
    if kind is list:
        for item in value:
            literal(name, item, _depth + 1)
        return value
    if kind is dict:
        for key, item in value.items():
            if type(key) not in SCALARS:
                raise ParameterTypeError(f"{name}: dict keys may be str, int, float, bool or "
                                         f"None; {_not(key)}")
            literal(name, key, _depth + 1)
            literal(name, item, _depth + 1)
        return value
    raise ParameterTypeError(f"{name}: values may be str, int, float, bool, None, or lists "
                             f"and dicts of them; {_not(value)}")


def one_of(name: str, value: object, allowed: Iterable[str], what: str | None = None) -> str:
    """``value`` if it is one of ``allowed`` (strings), else a one-line error listing them.

    Examples
    --------
    >>> one_of("denominator", "households", DENOMINATORS)
    Traceback (most recent call last):
    ...
    coopstats.dataset.parameters.ParameterError: denominator: unknown denominator 'households';
    one of recipient_population, recipient_registered, donor_population, recipient_counties,
    recipient_townships, donor_revenue, recipient_gdp, recipient_expenditure, none
    """
    allowed = list(allowed)
    listed = ", ".join(allowed)
    if not isinstance(value, str):
        raise ParameterTypeError(f"{name}: must be a string, one of {listed}; {_not(value)}")
    if value not in allowed:
        raise ParameterError(f"{name}: unknown {what or name} {_shown(value)}; one of {listed}")
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def year(name: str, value: object, years: Iterable[int]) -> int:
    """``value`` as an int if it is one of ``years`` (the CPI series), else a one-line error.

    Examples
    --------
    >>> year("base_year", "2020", range(1994, 2026))
    Traceback (most recent call last):
    ...
    coopstats.dataset.parameters.ParameterTypeError: base_year: must be an int, a year from 1994
    to 2025; not str '2020'
    >>> year("base_year", 2030, range(1994, 2026))
    Traceback (most recent call last):
    ...
    coopstats.dataset.parameters.ParameterError: base_year: 2030 is outside the CPI series; a year
    from 1994 to 2025
    """
    years = sorted(int(y) for y in years)
    span = f"a year from {years[0]} to {years[-1]}" if years else "no year (the CPI is empty)"
    if not _is_int(value):
        raise ParameterTypeError(f"{name}: must be an int, {span}; {_not(value)}")
    if int(value) not in set(years):
        raise ParameterError(f"{name}: {value} is outside the CPI series; {span}")
    return int(value)


def positive(name: str, value: object) -> float:
    """``value`` if it is a finite number above zero, else a one-line error.

    Examples
    --------
    >>> positive("per", 0)
    Traceback (most recent call last):
    ...
    coopstats.dataset.parameters.ParameterError: per: must be a positive number; not int 0
    """
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise ParameterTypeError(f"{name}: must be a positive number; {_not(value)}")
    if not (math.isfinite(value) and value > 0):
        raise ParameterError(f"{name}: must be a positive number; {_not(value)}")
    return value


def count(name: str, value: object, least: int = 1) -> int:
    """``value`` if it is an int of at least ``least``, else a one-line error."""
    if not _is_int(value):
        raise ParameterTypeError(f"{name}: must be an int of at least {least}; {_not(value)}")
    if value < least:
        raise ParameterError(f"{name}: must be an int of at least {least}; {_not(value)}")
    return int(value)


class Context:
    """The allowed values that come from the data (pairing ids, the CPI's years), read when
    first needed.

    Parameters
    ----------
    data : Dataset, path or None
        A :class:`coopstats.Dataset` (as notebooks load it), a data folder, or None for the
        packaged data (what ``coopstats notebooks`` runs on).
    """

    def __init__(self, data: object = None) -> None:
        self._data = data

    @cached_property
    def _checked(self):
        from coopstats.dataset.checks import check
        from coopstats.dataset.locations import resolve_data_dir

        result = check(resolve_data_dir(self._data), None)
        if result.problems:
            raise _NoData(f"cannot be checked: the data in {result.data_dir} do not "
                          "validate (coopstats validate lists the problems)")
        return result

    def _rows(self, table: str) -> list:
        return self._checked.rows[table]

    @property
    def where(self) -> str:
        """The data folder the allowed values come from, for messages.

        Examples
        --------
        >>> Context("my-data").where
        'my-data'
        """
        if isinstance(self._data, (str, Path, type(None))):
            from coopstats.dataset.locations import resolve_data_dir

            return str(resolve_data_dir(self._data))
        return "the dataset given"

    @cached_property
    def pairing_ids(self) -> tuple[str, ...]:
        """Every ``pairing_id`` of pairings.csv, sorted."""
        if isinstance(self._data, (str, Path, type(None))):
            return tuple(sorted(r["pairing_id"] for r in self._rows("pairings")))
        return tuple(sorted(str(p) for p in self._data.pairings["pairing_id"]))

    @cached_property
    def cpi_years(self) -> tuple[int, ...]:
        """The years of the CPI series (context/cpi.csv)."""
        if isinstance(self._data, (str, Path, type(None))):
            return tuple(sorted(int(r["year"]) for r in self._rows("cpi")))
        return tuple(sorted(int(y) for y in self._data.cpi["year"]))


@dataclass(frozen=True)
class Spec:
    """The rule of one parameter name: ``check(name, value, context)`` returns the value or
    raises :class:`ParameterError`; ``allowed`` says what may be given."""

    check: Callable[[str, object, Context], object]
    allowed: str


#: every parameter the notebooks declare, with its rule
SPECS: dict[str, Spec] = {
    "pairing_id": Spec(lambda n, v, c: one_of(n, v, c.pairing_ids, "pairing"),
                       "a pairing_id of pairings.csv"),
    "base_year": Spec(lambda n, v, c: year(n, v, c.cpi_years),
                      "the constant-price year, an int within the CPI series"),
    "denominator": Spec(lambda n, v, c: one_of(n, v, DENOMINATORS),
                        "one of " + ", ".join(DENOMINATORS)),
    "per_people": Spec(lambda n, v, c: positive(n, v), "a positive number"),
    "n_draws": Spec(lambda n, v, c: count(n, v), "an int of at least 1"),
    "seed": Spec(lambda n, v, c: count(n, v, 0), "an int of at least 0"),
    "headline_per_pairing": Spec(lambda n, v, c: count(n, v), "an int of at least 1"),
}


def check(values: dict[str, object], context: Context | None = None) -> dict[str, object]:
    """Check parameter values against :data:`SPECS` (names without a spec only need to be
    :func:`literal`); return them unchanged.

    Parameters
    ----------
    values : dict
        Name → value, e.g. a notebook's parameters.
    context : Context, optional
        Where the data-dependent allowed values come from (default: the packaged data).

    Raises
    ------
    ParameterError
        For the first value that is not allowed (a :class:`ParameterTypeError` for a wrong
        type), with a one-line message naming the parameter.

    Examples
    --------
    >>> check({"pairing_id": "qingdao_dingxi", "base_year": 2020})
    {'pairing_id': 'qingdao_dingxi', 'base_year': 2020}
    >>> check({"per_people": -5})
    Traceback (most recent call last):
    ...
    coopstats.dataset.parameters.ParameterError: per_people: must be a positive number; not int -5
    """
    context = context if context is not None else Context()
    for name, value in values.items():
        literal(name, value)
        if name in SPECS:
            try:
                SPECS[name].check(name, value, context)
            except _NoData as err:
                raise ParameterError(f"{name}: {err}") from None
    return values


def rate_unit(quantity: str, denominator: str, per: float = 1, *,
              per_year: bool = True) -> str:
    """Axis label of a rate from :func:`coopstats.analysis.intensity.rates` with these arguments.

    Examples
    --------
    >>> rate_unit("2023 yuan", "recipient_population")
    '2023 yuan per resident per year'
    >>> rate_unit("projects", "donor_population", 100_000)
    'projects per 100,000 donor residents per year'
    >>> rate_unit("ties", "none", 100_000, per_year=False)
    'ties'
    >>> rate_unit("2023 yuan", "recipient_gdp")
    "a year's yuan, % of the recipient's GDP"
    >>> rate_unit("2023 yuan", "recipient_counties")
    '2023 yuan per county per year'
    """
    one_of("denominator", denominator, DENOMINATORS)
    if denominator in SHARES:
        what = "a year's yuan" if per_year else "yuan"
        return f"{what}, % of {SHARES[denominator][2]}"
    if denominator in COUNTS:
        return f"{quantity} per {COUNTS[denominator][1]}{' per year' if per_year else ''}"
    who = POPULATIONS[denominator][1] if denominator in POPULATIONS else ""
    if not who:
        per_whom = ""
    elif per == 1:
        per_whom = f" per {who}"
    else:
        per_whom = f" per {per:,g} {who}s" if not _is_int(per) else f" per {per:,} {who}s"
    return f"{quantity}{per_whom}{' per year' if per_year else ''}"


# --- parameters in notebooks (papermill's convention: a code cell tagged ``parameters``) ---

#: the default of a declared parameter that is not a literal (any type may replace it)
NOT_LITERAL = object()
#: tag of the cell :func:`inject` writes, as papermill tags it
INJECTED_TAG = "injected-parameters"


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _parameters_cell(nb) -> int | None:
    for i, cell in enumerate(nb["cells"]):
        if (cell.get("cell_type") == "code"
                and "parameters" in cell.get("metadata", {}).get("tags", [])):
            return i
    return None


def declared(nb) -> dict[str, object]:
    """Name → default of each parameter assigned in ``nb``'s cell tagged ``parameters``
    (:data:`NOT_LITERAL` when the default is an expression); empty without that cell.
    ``nb`` is a notebook as nbformat or ``json`` reads it."""
    import ast

    index = _parameters_cell(nb)
    if index is None:
        return {}
    source = _source(nb["cells"][index])
    try:
        body = ast.parse(source).body
    except SyntaxError:  # e.g. an IPython magic: the names, defaults unknown
        import re

        return dict.fromkeys(re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=", source, re.M),
                             NOT_LITERAL)
    out: dict[str, object] = {}
    for node in body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    out[target.id] = ast.literal_eval(value)
                except ValueError:
                    out[target.id] = NOT_LITERAL
    return out


def _like_default(name: str, value: object, default: object, where: str) -> None:
    """A parameter without a :data:`SPECS` rule takes the type of its default."""
    if default is NOT_LITERAL or default is None:
        return
    kinds = (int, float) if type(default) is float else (type(default),)
    if type(value) not in kinds:
        raise ParameterTypeError(f"{name}: must be {type(default).__name__} like its default "
                                 f"{_shown(default)} in {where}; {_not(value)}")


def for_notebooks(notebooks: dict[str, dict[str, object]], values: dict[str, object],
                  context: Context | None = None) -> dict[str, dict[str, object]]:
    """Check ``values`` against what each notebook declares; return, per notebook, the
    values it declares (the others do not reach it).

    Parameters
    ----------
    notebooks : dict
        Notebook name → its :func:`declared` parameters.
    values : dict
        Name → value, e.g. from ``coopstats notebooks -p NAME=VALUE``.
    context : Context, optional
        For the allowed values that come from the data (default: the packaged data).

    Raises
    ------
    ParameterError
        For a name no notebook declares, or a value :func:`check` (or, for a name without
        a rule, the type of its default) does not allow; a
        :class:`DefaultParameterError` for a notebook's default that ``values`` does not
        replace and :func:`check_defaults` does not allow.
    """
    for name, value in values.items():
        owners = [nb for nb, names in notebooks.items() if name in names]
        if not owners:
            known = sorted(set().union(*notebooks.values()))
            raise ParameterError(f"{name}: no notebook declares this parameter; they declare "
                                 f"{', '.join(known) or 'none'}")
        check({name: value}, context)
        if name not in SPECS:
            for nb in owners:
                _like_default(name, value, notebooks[nb][name], nb)
    check_defaults(notebooks, values, context)
    return {nb: {k: v for k, v in values.items() if k in names}
            for nb, names in notebooks.items()}


def _checkable(name: str, default: object, values: dict[str, object]) -> bool:
    """Whether a notebook's default of ``name`` reaches its kernel and has a rule: not
    replaced by ``values``, in :data:`SPECS`, a literal and not None (a notebook's "not
    given")."""
    return (name in SPECS and name not in values and default is not NOT_LITERAL
            and default is not None)


def _check_default(notebook: str, name: str, default: object, context: Context) -> None:
    """Raise :class:`DefaultParameterError` when ``notebook``'s default of ``name`` is not
    allowed."""
    try:
        check({name: default}, context)
    except ParameterError as err:
        reason = str(err).removeprefix(f"{name}: ")
        raise DefaultParameterError(
            f"{Path(notebook).stem}: default {name} = {_shown(default)} (its parameters "
            f"cell) is not allowed with the data in {context.where}: {reason}; pass "
            f"-p {name}=VALUE") from None


def check_defaults(notebooks: dict[str, dict[str, object]], values: dict[str, object],
                   context: Context | None = None) -> None:
    """Check each notebook's defaults that ``values`` does not replace (what its kernel
    would see) against :data:`SPECS`, in the notebooks' order.

    Defaults that are expressions (:data:`NOT_LITERAL`) or None, and names without a rule,
    are not checked.

    Parameters
    ----------
    notebooks : dict
        Notebook name or path → its :func:`declared` parameters.
    values : dict
        Name → value given for every notebook that declares it (``-p NAME=VALUE``).
    context : Context, optional
        For the allowed values that come from the data (default: the packaged data).

    Raises
    ------
    DefaultParameterError
        For the first default that is not allowed: one line naming the notebook, the
        parameter, its default, why, and the ``-p`` that replaces it.

    Examples
    --------
    >>> check_defaults({"nb/06_adapt_it.ipynb": {"pairing_id": "qingdao_gansu"}}, {})
    Traceback (most recent call last):
    ...
    coopstats.dataset.parameters.DefaultParameterError: 06_adapt_it: default pairing_id =
    'qingdao_gansu' (its parameters cell) is not allowed with the data in ...: unknown
    pairing 'qingdao_gansu'; one of dezhou_xiushan, ...; pass -p pairing_id=VALUE
    >>> check_defaults({"06_adapt_it": {"pairing_id": "qingdao_gansu"}},
    ...                {"pairing_id": "qingdao_dingxi"})  # replaced: not checked
    """
    context = context if context is not None else Context()
    for notebook, declared_here in notebooks.items():
        for name, default in declared_here.items():
            if _checkable(name, default, values):
                _check_default(notebook, name, default, context)


def inject(nb, values: dict[str, object]):
    """``nb`` with a cell tagged ``injected-parameters`` right after its ``parameters``
    cell, assigning each value as ``name = repr(value)`` (values are checked with
    :func:`literal` first, so the cell is plain literals); a cell injected earlier is
    replaced. ``nb`` must declare a parameters cell when ``values`` is not empty."""
    import keyword

    import nbformat

    lines = []
    for name, value in values.items():
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ParameterError(f"{name!r}: not a parameter name")
        literal(name, value)
        lines.append(f"{name} = {value!r}")
    if not lines:
        return nb
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    index = _parameters_cell(nb)
    if index is None:
        raise ParameterError(f"{', '.join(values)}: the notebook has no parameters cell")
    cell = nbformat.v4.new_code_cell(
        "# Parameters injected by coopstats notebooks -p\n" + "\n".join(lines),
        metadata={"tags": [INJECTED_TAG]})
    if "id" in nb.cells[index]:
        cell.id = INJECTED_TAG  # a fixed id: reruns give identical notebooks
    else:
        cell.pop("id", None)  # nbformat < 4.5 has no cell ids
    nb.cells.insert(index + 1, cell)
    return nb
