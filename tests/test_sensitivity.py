"""Monte Carlo: named priors, reproducible draws, shared windows, rank probabilities."""

from __future__ import annotations

import numpy as np
import pytest

import coopstats
from coopstats.analysis import sensitivity
from coopstats.analysis.measures import compare
from coopstats.analysis.priors import DEFAULT, POPULATION_RULES, PRICE_RULES, PRIORS


@pytest.fixture(scope="module")
def data():
    return coopstats.load_all()


@pytest.fixture(scope="module")
def fiscal_and_projects(data):
    return [compare(data, k, funders="any", stages="any") for k in ("fiscal_aid", "aid_projects")]


def test_the_priors_are_named_in_one_place():
    assert DEFAULT is PRIORS["budget_year"]
    assert set(PRIORS) == {"budget_year", "uniform", "recent", "growing", "lower_half",
                           "rounded", "registered", "gdp_deflator"}
    assert {p.population for p in PRIORS.values()} == set(POPULATION_RULES)
    assert {p.prices for p in PRIORS.values()} == set(PRICE_RULES)
    assert {p.values for p in PRIORS.values()} == {"printed", "lower_half", "rounded"}
    assert PRIORS["recent"].recent_years == (2.0, 5.0)
    assert not PRIORS["uniform"].budget_years  # the continuous reading, kept beside
    assert all(p.budget_years for k, p in PRIORS.items() if k != "uniform")
    assert all(p.description for p in PRIORS.values())


def test_draws_are_reproducible_and_stay_in_their_bounds(data, fiscal_and_projects):
    a = sensitivity.draws(fiscal_and_projects, data, n=500, seed=1)
    b = sensitivity.draws(fiscal_and_projects, data, n=500, seed=1)
    assert all(a[k].equals(b[k]) for k in a)
    for c in fiscal_and_projects:
        t = c.table.set_index(c.table["pairing_id"].astype(str))
        d = a[c.measure.key]
        assert (d.min() >= t["rate_low"] * (1 - 1e-9)).all()
        assert (d.max() <= t["rate_high"] * (1 + 1e-9)).all()


def test_figures_of_one_sentence_share_their_window(data, fiscal_and_projects):
    """Xiushan's 2.8亿 and 240多个 projects stand in one 近年来 sentence: in every draw their
    rates are divided by the same window, so value aside they move together."""
    d = sensitivity.draws(fiscal_and_projects, data, n=2000, seed=3)
    x, y = np.log(d["fiscal_aid"]["dezhou_xiushan"]), np.log(d["aid_projects"]["dezhou_xiushan"])
    assert np.corrcoef(x, y)[0, 1] > 0.95
    other = np.log(d["aid_projects"]["rizhao_qianjiang"])  # another article's window
    assert abs(np.corrcoef(x, other)[0, 1]) < 0.1


def test_the_recent_prior_shortens_recent_years_where_the_data_allow(data_copy):
    """Without the external layer's bound (ext-038/039 removed from a copy), `recent` reads
    Xiushan's 近年来 as two to five years: 2.8亿 over at most five budget years and 496 194
    residents is at least 2.8e8 / 5 / 496 194 ≈ 113 yuan a year."""
    path = data_copy / "context" / "reports.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(ln for ln in lines if not ln.startswith(("ext-038", "ext-039"))),
                    encoding="utf-8")
    data = coopstats.load_all(data_copy)
    pair = [compare(data, k, stages="any") for k in ("fiscal_aid", "aid_projects")]
    wide = sensitivity.draws(pair, data, n=4000, prior=PRIORS["budget_year"])
    short = sensitivity.draws(pair, data, n=4000, prior=PRIORS["recent"])
    x = "dezhou_xiushan"
    assert short["fiscal_aid"][x].median() > wide["fiscal_aid"][x].median()
    assert short["fiscal_aid"][x].min() > 100


def test_a_prior_the_data_reject_decides_nothing(data, fiscal_and_projects):
    """With ext-038 (since 2015, October 2020), Xiushan's 近年来 starts in 2015 at the latest
    (codebook P14): at least the eight budget years 2015–2022, so at most 2.8e8 / 8 / 496 194
    ≈ 70.5 yuan a year in current yuan, at 2023 prices times the budget years' deflator,
    under `recent` exactly as under the default: the two-to-five-year prior cannot apply."""
    from coopstats.analysis.intensity import deflator, price_levels

    short = sensitivity.draws(fiscal_and_projects, data, n=4000, prior=PRIORS["recent"])
    wide = sensitivity.draws(fiscal_and_projects, data, n=4000, prior=DEFAULT)
    x = short["fiscal_aid"]["dezhou_xiushan"]
    most = 2.8e8 / 8 / 496_194 * deflator(2015, 2023, price_levels(data.cpi, 2023))
    assert x.max() <= most * (1 + 1e-9)
    assert x.median() == pytest.approx(wide["fiscal_aid"]["dezhou_xiushan"].median(), rel=0.05)


def test_rank_probabilities_say_how_many_are_ranked(data):
    d = sensitivity.draws([compare(data, "poor_employment")], data, n=100)
    p = sensitivity.rank_probabilities(d["poor_employment"])
    assert p.loc["qingdao_dingxi", "p_first"] == 1.0 and (p["n"] == 2).all()
    assert p.loc["qingdao_longnan", "p_last"] == 1.0


def test_exact_spearman_of_three_points_is_never_below_a_third():
    rho, p = sensitivity.exact_spearman([1, 2, 3], [3, 5, 9])
    assert (rho, p) == (1.0, pytest.approx(1 / 3))
    assert np.isnan(sensitivity.exact_spearman([1, 2], [2, 1])[0])


def test_the_lower_half_prior_draws_a_yu_figure_below_its_midpoint(data):
    """Rizhao's 每年转移就业300余人 (rq-032): [300, 400) as printed, [300, 350) in the lower
    half; per 100 000 of its 487 281 residents."""
    c = compare(data, "labour_transfer")
    scale = 487_281 / 100_000
    printed = sensitivity.draws([c], data, n=2000)["labour_transfer"]["rizhao_qianjiang"]
    lower = sensitivity.draws([c], data, n=2000, prior=PRIORS["lower_half"])[
        "labour_transfer"]["rizhao_qianjiang"]
    assert lower.min() >= 300 / scale and lower.max() < 350 / scale
    assert printed.max() > 350 / scale


def test_the_rounded_prior_spreads_a_round_number_over_its_last_digit(data):
    """Dezhou–Xiushan's 2.8亿 (dx-010) is exact as printed, 2.75亿–2.85亿 when rounded:
    the spread of its draws over one window is the value's, ±1.8 %."""
    c = compare(data, "fiscal_aid", stages="any")
    t = c.table.set_index("pairing_id")
    assert t.loc["dezhou_xiushan", "raw"] == "2.8亿元"
    printed = sensitivity.draws([c], data, n=4000)["fiscal_aid"]
    rounded = sensitivity.draws([c], data, n=4000, prior=PRIORS["rounded"])["fiscal_aid"]
    # Linyi–Chengkou's 3012.3萬元 (one budget year) is printed to the thousand yuan: ±500
    linyi = rounded["linyi_chengkou"]
    assert printed["linyi_chengkou"].std() == 0 and 0 < linyi.max() / linyi.min() - 1 < 4e-5
    assert rounded["dezhou_xiushan"].std() > printed["dezhou_xiushan"].std()


def test_the_registered_prior_moves_only_the_counties_counted_both_ways(data):
    """Xiushan: 496 194 residents (2020 census), 674 400 registered (2023 communiqué): its
    fiscal aid per person drawn between the two; Dingxi, with no registered figure in hand,
    keeps its residents."""
    c = compare(data, "fiscal_aid", stages="any")
    printed = sensitivity.draws([c], data, n=4000)["fiscal_aid"]
    drawn = sensitivity.draws([c], data, n=4000, prior=PRIORS["registered"])["fiscal_aid"]
    assert drawn["dezhou_xiushan"].min() < printed["dezhou_xiushan"].min() * 496_194 / 600_000
    assert drawn["dezhou_xiushan"].max() <= printed["dezhou_xiushan"].max() + 1e-9
    assert drawn["qingdao_dingxi"].tolist() == printed["qingdao_dingxi"].tolist()
    ties = compare(data, "pairing_ties", denominator="recipient_townships")  # not per person
    assert sensitivity.draws([ties], data, n=200, prior=PRIORS["registered"])[
        "pairing_ties"].equals(sensitivity.draws([ties], data, n=200)["pairing_ties"])


def test_the_gdp_deflator_prior_changes_only_the_price_index(data):
    """Same seed, same windows and values: a count is drawn identically under both indices,
    and each yuan draw moves by its window's ratio of deflators, a weighted mean of
    CPI level / deflator level over the years it covers (so within their extremes)."""
    from coopstats.analysis.intensity import extended_levels

    pair = [compare(data, k, stages="any") for k in ("fiscal_aid", "aid_projects")]
    cpi = sensitivity.draws(pair, data, n=2000)
    gdp = sensitivity.draws(pair, data, n=2000, prior=PRIORS["gdp_deflator"])
    assert gdp["aid_projects"].equals(cpi["aid_projects"])
    by_cpi = extended_levels(data.cpi, 2023, 2026)
    by_gdp = extended_levels(data.gdp_deflator, 2023, 2026)
    ratios = [by_cpi[y] / by_gdp[y] for y in by_cpi]
    moved = (gdp["fiscal_aid"] / cpi["fiscal_aid"]).stack()
    assert min(ratios) - 1e-9 <= moved.min() and moved.max() <= max(ratios) + 1e-9
    assert moved.max() > 1.05  # from the years before 2010 the deflator rose more than the CPI


def test_a_base_year_after_the_deflator_holds_its_last_level(data):
    """The GDP deflator ends in 2023; a 2025 base year (inside the CPI) takes 2023's level,
    so under the deflator 2023-2025 yuan are worth the same and earlier years are as at 2023."""
    levels = sensitivity._price_levels(data, PRIORS["gdp_deflator"], 2025, 2025.5)
    held = sensitivity._price_levels(data, PRIORS["gdp_deflator"], 2023, 2025.5)
    assert levels[2023] == levels[2024] == levels[2025] == 1.0
    assert levels == held
