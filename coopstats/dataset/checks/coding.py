"""The rules of the coding model's fields, one function each: who paid and how far the money
got, the direction of trade, the measure type, the grade, restated rows (``duplicate_of``)
and parts of totals (``part_of``); and the external layer of pairing starts.

The codebook (``data/CODEBOOK.md``, fields F1–F7) gives the reasoning; the rules here are what
can be checked mechanically. Like the other fact rules, each is a function of
``(row, article, facts, out)``; the ``part_of`` groups are checked once all rows are read.
"""

from __future__ import annotations

import re
from collections import defaultdict

from coopstats.dataset import evidence
from coopstats.dataset.checks.result import Checked, Row
from coopstats.dataset.numerals import FigureParseError, parse_figure

__all__ = ["CODING_RULES", "check_pairing_starts", "check_parts", "starts_of"]

#: indicator domains whose figures are money the donor side gives: who paid (F1) and how far
#: the money got (F2) must be coded
_FUNDED_DOMAINS = ("funds",)
_MONEY_DOMAINS = ("funds", "investment")
#: indicator domain whose figures have a direction of trade (F3)
_TRADE_DOMAIN = "consumption"
#: bases whose period rests on a codebook rule, never grade A
_RULE_BASES = ("relative", "pairing_start", "recent", "article_frame")
#: bases whose lower bound is the pairing's start
_OPEN_BASES = ("open_start", "recent")
_DERIVED_ID = re.compile(r"([a-z]{2,6})-s[0-9]{2}")


def starts_of(out: Checked) -> dict[str, dict[str, int]]:
    """The start years each pairing has: ``{"stated": y}`` from pairings.csv and
    ``{round: y}`` from context/pairing_starts.csv (the external layer)."""
    starts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in out.rows.get("pairings", []):
        if row["start_year"] and not out.flagged(row, "start_year"):
            starts[row["pairing_id"]]["stated"] = int(row["start_year"])
    for row in out.rows.get("pairing_starts", []):
        if row["start_year"] and not out.flagged(row, "start_year"):
            starts[row["pairing_id"]][row["round"]] = int(row["start_year"])
    return starts


def _indicator(row: Row, facts) -> Row | None:
    return facts.indicators.get(row["indicator"])


def _fact_funder(row: Row, art: Row | None, facts, out: Checked) -> None:
    """Money the donor side gives says who paid and how far it got (F1, F2)."""
    ind = _indicator(row, facts)
    if ind is None or out.flagged(ind, "units") or out.flagged(row, "raw"):
        return  # (a figure whose unit disagrees with its indicator is reported once)
    money = ind["units"] == "CNY"
    if money and ind["domain"] in _FUNDED_DOMAINS and row["funder_level"] == "not_applicable":
        out.add(row, "funder_level", f"required for {row['indicator']!r} (money the donor side "
                                     "gives): province, city, district, mixed or unknown")
    if money and ind["domain"] in _MONEY_DOMAINS and row["flow_stage"] == "not_applicable":
        out.add(row, "flow_stage", f"required for {row['indicator']!r}: allocated, "
                                   "disbursed or unknown")
    if not money and row["flow_stage"] not in ("not_applicable", "") and \
            not out.flagged(row, "flow_stage"):
        out.add(row, "flow_stage", f"{row['flow_stage']!r} but {row['indicator']!r} is not "
                                   "money: not_applicable")


def _fact_direction(row: Row, art: Row | None, facts, out: Checked) -> None:
    """Consumption figures say which way the goods went; no other figure does (F3)."""
    ind = _indicator(row, facts)
    if ind is None or not row["direction"] or out.flagged(row, "direction"):
        return
    trade = ind["domain"] == _TRADE_DOMAIN
    if trade and row["direction"] == "not_applicable":
        out.add(row, "direction", f"required for {row['indicator']!r}: one_way or two_way")
    elif not trade and row["direction"] != "not_applicable":
        out.add(row, "direction", f"{row['direction']!r} but {row['indicator']!r} is not a "
                                  "consumption figure: not_applicable")


def _fact_measure_type(row: Row, art: Row | None, facts, out: Checked) -> None:
    """A share is a percentage and a percentage is a share (F4)."""
    if not row["raw"] or out.flagged(row, "raw") or not row["measure_type"]:
        return
    try:
        percent = parse_figure(row["raw"]).unit == "percent"
    except (FigureParseError, ValueError, ArithmeticError):
        return  # reported by the figure rule
    if percent != (row["measure_type"] == "share"):
        out.add(row, "measure_type", "a percentage is a 'share', and only a percentage is"
                if percent else f"{row['measure_type']!r} is for percentages only")


def _external_only(row: Row, facts) -> bool:
    """Whether the row's period starts from a year only the external layer gives."""
    starts = facts.starts.get(row["pairing_id"], {})
    basis = row["period_basis"]
    if basis in _OPEN_BASES:
        return "stated" not in starts and "first" in starts
    if basis == "pairing_start" and row["period_start"]:
        return starts.get("stated") != int(row["period_start"]) and \
            int(row["period_start"]) in starts.values()
    return False


def _fact_grade(row: Row, art: Row | None, facts, out: Checked) -> None:
    """A: everything in the sentence; B: a codebook rule; C: the external layer, for a flow
    whose start comes only from it (F7)."""
    grade, basis = row["grade"], row["period_basis"]
    if not grade or any(out.flagged(row, c) for c in ("grade", "period_start", "period_basis",
                                                      "measure_type")) or \
            not out.keys_known("pairing_starts"):
        return
    external = _external_only(row, facts) and row["measure_type"] == "flow"
    if external and grade != "C":
        out.add(row, "grade", f"{grade!r} but the period's start comes only from "
                              "context/pairing_starts.csv: 'C'")
    elif grade == "C" and not external:
        out.add(row, "grade", "'C' is for flows whose start comes only from the external "
                              "layer (context/pairing_starts.csv)")
    elif grade == "A" and basis in _RULE_BASES:
        out.add(row, "grade", f"'A' but the period rests on a codebook rule ({basis}): 'B'")
    elif grade == "A" and _carried(row, facts.texts.get(row["article_id"])):
        out.add(row, "grade", "'A' but the period words are not in the quote's sentence "
                              "(carried from elsewhere): 'B'")


def _carried(row: Row, text: str | None) -> bool:
    """Whether some of the period words stand outside the sentence of the quote (carried
    from elsewhere); False when the article is not at hand."""
    if text is None or row["period_basis"] == "none" or not row["period_text"]:
        return False
    sentence = evidence.sentence_of(row["quote"], text)
    return sentence is not None and any(
        evidence.normalise(piece) not in sentence
        for piece in row["period_text"].split("…") if piece.strip())


def _fact_frame(row: Row, art: Row | None, facts, out: Checked) -> None:
    """An article frame's words stand in the article (P2)."""
    text = facts.texts.get(row["article_id"])
    if row["period_basis"] != "article_frame" or text is None or not row["period_text"]:
        return
    if not evidence.quote_in_source(row["period_text"], text):
        out.add(row, "period_text", f"the frame words {row['period_text']!r} are not in "
                                    f"{art['source_file'] if art else 'the article'}")


def _fact_duplicate(row: Row, art: Row | None, facts, out: Checked) -> None:
    """``duplicate_of`` names an earlier fact of the same article and pairing, with the same
    figure (F5)."""
    target_id = row["duplicate_of"]
    if not target_id or out.flagged(row, "duplicate_of"):
        return
    target = facts.by_id.get(target_id)
    if target is None or target["article_id"] != row["article_id"] or \
            target.line >= row.line or target.display != row.display:
        out.add(row, "duplicate_of", f"{target_id!r} is not an earlier fact of this article")
    elif target["pairing_id"] != row["pairing_id"] or _value(target) != _value(row):
        out.add(row, "duplicate_of", f"{target_id!r} is another pairing or another figure "
                                     f"({target['raw']!r})")


def _value(row: Row) -> tuple[float, float] | None:
    try:
        figure = parse_figure(row["raw"])
    except (FigureParseError, ValueError, ArithmeticError):
        return None
    return figure.low, figure.high


#: The coding-model rules of one fact row, in the order they run.
CODING_RULES = (_fact_funder, _fact_direction, _fact_measure_type, _fact_grade, _fact_frame,
                _fact_duplicate)


def _group(ind: Row | None) -> str | None:
    return ind["comparable_group"] if ind is not None else None


def _check_printed_total(parts: list[Row], total: Row, facts, out: Checked) -> None:
    """Parts of a printed total: same article, pairing and comparable group; together no
    larger than the total."""
    for part in parts:
        if total["article_id"] != part["article_id"] or total["scope"] != "pairing" or \
                total["pairing_id"] != part["pairing_id"]:
            out.add(part, "part_of", f"{total['fact_id']!r} is not a pairing total of this "
                                     "article and pairing")
            return
        if _group(_indicator(part, facts)) != _group(_indicator(total, facts)):
            out.add(part, "part_of", f"{total['fact_id']!r} counts another comparable group "
                                     f"({total['indicator']})")
            return
    lows, high = [_value(p) for p in parts], _value(total)
    if high is not None and None not in lows and sum(v[0] for v in lows) > high[1]:
        out.add(parts[0], "part_of", f"the parts of {total['fact_id']!r} add up to more than "
                                     f"its {total['raw']}")


_SHARED = ("article_id", "pairing_id", "indicator", "status", "period_start", "period_end",
           "period_basis")


def _check_derived_total(total_id: str, parts: list[Row], facts, out: Checked) -> None:
    """Parts of a derived total: at least two, of the article whose prefix the id has, alike
    in pairing, indicator, status and period."""
    art = facts.articles.get(parts[0]["article_id"])
    prefix = _DERIVED_ID.fullmatch(total_id)
    if art is not None and prefix and prefix.group(1) != art["fact_prefix"]:
        out.add(parts[0], "part_of", f"a derived total of this article starts with "
                                     f"{art['fact_prefix']!r}-s, not {total_id!r}")
    elif len(parts) < 2:
        out.add(parts[0], "part_of", f"{total_id!r} has only this part; a derived total sums "
                                     "two or more")
    for part in parts[1:]:
        unlike = [c for c in _SHARED if part[c] != parts[0][c]]
        if unlike:
            out.add(part, "part_of", f"unlike the other parts of {total_id!r} in "
                                     f"{', '.join(unlike)}")


def check_parts(out: Checked, facts) -> None:
    """Every ``part_of`` (F6): a part is a component of a printed total or of a derived total
    the library sums."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in out.rows["facts"]:
        if not row["part_of"] or out.flagged(row, "part_of"):
            continue
        if row["scope"] != "component":
            out.add(row, "scope", "a part of a total (part_of) is a 'component'")
        groups[row["part_of"]].append(row)
    for total_id, parts in groups.items():
        if _DERIVED_ID.fullmatch(total_id):
            _check_derived_total(total_id, parts, facts, out)
        elif total_id in facts.by_id:
            _check_printed_total(parts, facts.by_id[total_id], facts, out)
        else:
            out.add(parts[0], "part_of", f"unknown fact id {total_id!r} (a derived total is "
                                         "<prefix>-sNN)")


def check_pairing_starts(out: Checked) -> None:
    """One external start per pairing and round."""
    out.add_duplicates(out.rows.get("pairing_starts", []), ("pairing_id", "round"))
