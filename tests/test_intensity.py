"""intensity: comparability guard, durations, deflation, rates with intervals, Monte Carlo."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coopstats.intensity import (
    IncomparableError,
    durations,
    ensure_comparable,
    pairing_totals,
    price_levels,
    rank_probabilities,
    rates,
    simulate_rates,
)

PAIRINGS = pd.DataFrame({
    "pairing_id": ["a_x", "b_y"], "donor_id": ["a", "b"], "recipient_id": ["x", "y"],
    "start_year": pd.array([2010, None], dtype="Int64"),
})
CONTEXT = pd.DataFrame({"place_id": ["x", "y", "a", "b"], "indicator": ["population"] * 4,
                        "value": [100_000.0, 1_000_000.0, 5e6, 8e6]})
CPI = pd.DataFrame({"year": range(2008, 2026), "value": [110.0] * 18})
INDICATORS = pd.DataFrame({"indicator_id": ["fiscal", "pooled", "ties"],
                           "comparable_group": ["fiscal_aid", "pooled_funds", "ties"]})


def fact(pairing, indicator, value, low=None, high=None, start=None, end=None, basis="stated",
         unit="CNY", scope="pairing", status="achieved", fid="f"):
    return {"fact_id": fid, "pairing_id": pairing, "indicator": indicator, "value": value,
            "value_low": value if low is None else low,
            "value_high": value if high is None else high, "period_start": start,
            "period_end": end, "period_basis": basis, "unit": unit, "scope": scope,
            "status": status}


def frame(*rows):
    df = pd.DataFrame(list(rows))
    for c in ("period_start", "period_end"):
        df[c] = pd.array(df[c], dtype="Int64")
    return df


def test_refuses_to_mix_groups_and_units():
    df = frame(fact("a_x", "fiscal", 1.0), fact("a_x", "pooled", 2.0))
    with pytest.raises(IncomparableError, match="fiscal_aid, pooled_funds"):
        ensure_comparable(df, INDICATORS)
    with pytest.raises(IncomparableError):
        pairing_totals(df, INDICATORS)
    ensure_comparable(df, INDICATORS, allow_incomparable=True)
    mixed_units = frame(fact("a_x", "ties", 1.0, unit="pair"),
                        fact("b_y", "ties", 1.0, unit="count"))
    with pytest.raises(IncomparableError, match="units count, pair"):
        ensure_comparable(mixed_units, INDICATORS)


def test_totals_use_pairing_scope_and_keep_periods_apart():
    df = frame(
        fact("a_x", "fiscal", 10, 10, 12, 2020, 2022, fid="1"),
        fact("a_x", "fiscal", 5, 5, 6, 2020, 2022, fid="2"),
        fact("a_x", "fiscal", 7, start=2015, end=2022, fid="3"),
        fact("a_x", "fiscal", 99, scope="component", start=2020, end=2022, fid="4"),
        fact("a_x", "fiscal", 99, status="planned", start=2020, end=2022, fid="5"),
    )
    t = pairing_totals(df, INDICATORS, group="fiscal_aid")
    same = t[t["period_start"] == 2020].iloc[0]
    assert (same["value"], same["value_low"], same["value_high"]) == (15, 15, 18)
    assert same["fact_ids"] == "1 2"
    assert len(t) == 2


def test_durations_rules():
    rows = frame(
        fact("a_x", "fiscal", 1, start=2021, end=2025),          # 4–5 years
        fact("a_x", "fiscal", 1, start=2023, end=2023, basis="annual"),
        fact("a_x", "fiscal", 1, end=2023, basis="open_start"),   # pairing began 2010
        fact("b_y", "fiscal", 1, end=2023, basis="open_start"),   # no stated start
        fact("a_x", "fiscal", 1, basis="none"),
        fact("a_x", "fiscal", 1, start=2023, end=2023, basis="relative"),
    )
    d = durations(rows, PAIRINGS)
    assert d.loc[0, ["years_low", "years_high"]].tolist() == [4.0, 5.0]
    assert d.loc[1, ["years_low", "years_high"]].tolist() == [1.0, 1.0]
    assert d.loc[2, ["first_year_low", "first_year_high", "years_low", "years_high"]].tolist() \
        == [2010.0, 2023.0, 0.5, 14.0]
    assert "no start" in d.loc[3, "period_issue"]
    assert d.loc[4, "period_issue"] == "no period in the text"
    assert d.loc[5, ["years_low", "years_high"]].tolist() == [0.5, 1.0]


def test_price_levels_chain():
    lv = price_levels(CPI, 2020)
    assert lv[2020] == 1.0
    assert lv[2021] == pytest.approx(1.1)
    assert lv[2019] == pytest.approx(1 / 1.1)
    with pytest.raises(ValueError, match="outside the CPI series"):
        price_levels(CPI, 1990)


def test_rates_intervals_and_per_resident():
    t = frame(fact("a_x", "fiscal", 1_000_000, 1_000_000, 1_100_000, 2021, 2022),
              fact("b_y", "fiscal", 3, unit="count", start=2022, end=2022, basis="annual"))
    r = rates(t, PAIRINGS, CONTEXT, CPI, base_year=2022, per=100_000)
    a = r.iloc[0]
    # 2021-2022: 1-2 years; in 2022 prices, 2021 money is worth 1.1x, 2022 money 1x
    assert a["years_low"] == 1 and a["years_high"] == 2
    assert a["deflator_low"] == a["deflator_high"] == pytest.approx((1.1 + 1.0) / 2)
    assert a["rate_low"] == pytest.approx(1_000_000 / 2 * 1.05 / 1)
    assert a["rate_high"] == pytest.approx(1_100_000 / 1 * 1.05 / 1)
    assert a["rate_low"] <= a["rate"] <= a["rate_high"]
    b = r.iloc[1]  # counts are not deflated; y has 1,000,000 residents -> per 100 000: /10
    assert b["rate"] == pytest.approx(0.3)
    with pytest.raises(ValueError, match="need the CPI"):
        rates(t, PAIRINGS, CONTEXT, None)
    with pytest.raises(ValueError, match="denominator"):
        rates(t, PAIRINGS, CONTEXT, CPI, denominator="area")


def test_monte_carlo_is_seeded_bounded_and_ranks():
    t = frame(fact("a_x", "fiscal", 100, 100, 200, 2020, 2022, fid="1"),
              fact("b_y", "fiscal", 1, 1, 2, 2020, 2022, fid="2"))
    r = rates(t, PAIRINGS, CONTEXT, CPI, base_year=2022, denominator="none")
    d1 = simulate_rates(r, CPI, base_year=2022, n=2000, seed=1)
    d2 = simulate_rates(r, CPI, base_year=2022, n=2000, seed=1)
    assert np.array_equal(d1, d2)
    assert (d1[:, 0] >= r.loc[0, "rate_low"] - 1e-9).all()
    assert (d1[:, 0] <= r.loc[0, "rate_high"] + 1e-9).all()
    p = rank_probabilities(d1, ["a", "b"])
    assert p.loc["a", "p_first"] == 1.0 and p.loc["b", "p_last"] == 1.0
    assert p["p_first"].sum() == pytest.approx(1.0)


def test_rank_probabilities_ignores_missing():
    draws = np.array([[1.0, np.nan, 3.0], [4.0, np.nan, 2.0]])
    p = rank_probabilities(draws, ["a", "b", "c"])
    assert p.loc["b", "p_first"] == 0 and np.isnan(p.loc["b", "median_rank"])
    assert p.loc["a", "p_first"] == 0.5 and p.loc["c", "p_last"] == 0.5


def test_rank_correlation_needs_three_and_matches_scipy():
    from coopstats.intensity import rank_correlation

    a = pd.DataFrame({"pairing_id": list("pqrs"), "rate": [1.0, 2, 3, 4],
                      "rate_low": [1.0, 2, 3, 4], "rate_high": [1.0, 2, 3, 4]})
    b = a.assign(rate=[10.0, 30, 20, np.nan])
    merged, rho, p = rank_correlation(a, b)
    assert list(merged["pairing_id"]) == ["p", "q", "r"]
    assert rho == pytest.approx(0.5)
    assert p == pytest.approx(1.0)  # exact: all 6 orderings of 3 have |rho| >= 0.5
    perfect = a.head(3).assign(rate=[1.0, 5, 9])
    assert rank_correlation(a.head(3), perfect)[1:] == (pytest.approx(1.0), pytest.approx(1 / 3))
    _, rho2, _ = rank_correlation(a.head(2), b.head(2))
    assert np.isnan(rho2)


def test_scenario_replaces_periods_without_touching_the_original():
    import coopstats
    from coopstats.intensity import scenario

    facts = coopstats.load_facts()
    alt = scenario(facts, {"dx-010": (2011, 2023)})
    row = alt.set_index("fact_id").loc["dx-010"]
    assert (row["period_start"], row["period_basis"], row["period_text"]) == (2011, "stated",
                                                                              "scenario")
    assert pd.isna(facts.set_index("fact_id").loc["dx-010", "period_start"])
    with pytest.raises(KeyError, match="xx-999"):
        scenario(facts, {"xx-999": (2020, 2021)})


# --- clear errors for the mistakes a student makes (student walkthrough 3.5–3.8) ------------


def _rates_args():
    return frame(fact("a_x", "fiscal", 1_000_000, start=2021, end=2022)), PAIRINGS, CONTEXT


def test_an_unknown_group_or_indicator_is_named_not_reported_as_no_figures():
    from coopstats.intensity import pairing_rates

    f = frame(fact("a_x", "fiscal", 1.0, start=2021, end=2022))
    for call in (pairing_totals, lambda *a, **k: pairing_rates(*a[:2], PAIRINGS, CONTEXT, CPI,
                                                               **k)):
        with pytest.raises(ValueError, match=r"^group: unknown comparable group "
                                             r"'fiscal'; one of fiscal_aid, pooled_funds, "
                                             r"ties$"):
            call(f, INDICATORS, group="fiscal")  # an indicator id, not a group
        with pytest.raises(ValueError, match=r"^indicators_in: unknown indicator "
                                             r"'fiscal_aid'; one of fiscal, pooled, ties$"):
            call(f, INDICATORS, indicators_in=["fiscal", "fiscal_aid"])
        with pytest.raises(TypeError, match=r"^indicators_in: must be a list of indicator "
                                            r"ids; not str 'fiscal'$"):
            call(f, INDICATORS, indicators_in="fiscal")
        with pytest.raises(ValueError, match=r"^status: unknown status 'done'; one of "
                                             r"achieved, planned$"):
            call(f, INDICATORS, status="done")
    with pytest.raises(ValueError, match=r"^unit: unknown unit 'yuan'; one of CNY$"):
        pairing_rates(f, INDICATORS, PAIRINGS, CONTEXT, CPI, group="fiscal_aid", unit="yuan")
    # a known group without figures still says so
    with pytest.raises(ValueError, match="no pairing-level achieved figures for ties"):
        pairing_rates(f, INDICATORS, PAIRINGS, CONTEXT, CPI, group="ties")


@pytest.mark.parametrize("per", [0, -1, 0.0, float("nan"), float("inf")])
def test_per_must_be_a_positive_number(per):
    with pytest.raises(ValueError, match=r"^per: must be a positive number"):
        rates(*_rates_args(), CPI, per=per)


def test_per_of_a_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match=r"^per: must be a positive number; not str '1000'$"):
        rates(*_rates_args(), CPI, per="1000")


def test_a_string_base_year_is_a_type_error_not_outside_the_series():
    t, p, c = _rates_args()
    for call in (lambda y: price_levels(CPI, y), lambda y: rates(t, p, c, CPI, base_year=y),
                 lambda y: simulate_rates(rates(t, p, c, CPI), CPI, base_year=y, n=10)):
        with pytest.raises(TypeError, match=r"^base_year: must be an int, a year from 2008 "
                                            r"to 2025; not str '2020'$"):
            call("2020")
        with pytest.raises(ValueError, match=r"^base_year: 2030 is outside the CPI series; "
                                             r"a year from 2008 to 2025$"):
            call(2030)
    assert price_levels(CPI, np.int64(2020))[2020] == 1.0  # numpy ints are ints


def test_an_unknown_denominator_lists_the_allowed_ones():
    with pytest.raises(ValueError, match=r"^denominator: unknown denominator 'households'; "
                                         r"one of recipient_population, donor_population, "
                                         r"none$"):
        rates(*_rates_args(), CPI, denominator="households")
