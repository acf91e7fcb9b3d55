"""Procedure choice, publicity and time limits of the Code de la commande publique."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.errors import DomainError
from workflows.domain.procurement import (
    Procedure,
    Publicity,
    award_notice_deadline,
    choose_procedure,
    earliest_bid_deadline,
    earliest_signature_date,
    estimate_pass_order,
    minimum_bid_days,
    outdated_eu_threshold,
)
from workflows.domain.thresholds import BuyerKind, PurchaseKind

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)
FS, WORKS = PurchaseKind.SUPPLIES_SERVICES, PurchaseKind.WORKS
LOCAL, STATE, UTILITY = BuyerKind.LOCAL_AUTHORITY, BuyerKind.CENTRAL_STATE, BuyerKind.UTILITY
MARCH_31, APRIL_1 = date(2026, 3, 31), date(2026, 4, 1)


def procedure(value, on, kind=FS, buyer=LOCAL):
    return choose_procedure(Decimal(value), kind, buyer, on).procedure


def test_an_eu_threshold_older_than_its_two_year_revision_is_to_be_updated():
    """The table's EU threshold of 1 January 2026 holds for launches until the end of 2027;
    from 1 January 2028 the table is out of date and the procedure is qualified by hand."""
    assert outdated_eu_threshold(choose_procedure(Decimal(100_000), FS, LOCAL, date(2027, 12, 31))) is None
    outdated = outdated_eu_threshold(choose_procedure(Decimal(100_000), FS, LOCAL, date(2028, 1, 1)))
    assert outdated.startswith("Les seuils européens de la table datent du 1er janvier 2026 : révisés tous "
                               "les deux ans") and "lancée le 1er janvier 2028" in outdated


# --- estimated value ----------------------------------------------------------------------


def test_pass_order_includes_the_issuer_fees_and_shows_the_assumption():
    estimate = estimate_pass_order(20_000)
    assert estimate.fees == Decimal("800.00")
    assert estimate.estimated_value == Decimal("20800.00")
    assert estimate.fee_rate == Decimal("0.04")
    assert "Hypothèse à confirmer par l'acheteur" in estimate.assumption
    assert "4\u00a0% HT" in estimate.assumption


def test_fee_rate_is_configurable_and_never_a_float():
    assert estimate_pass_order("10000", "0.05").estimated_value == Decimal("10500.00")
    assert estimate_pass_order("10000", "0").estimated_value == Decimal("10000.00")
    with pytest.raises(TypeError):
        estimate_pass_order(10_000, 0.04)
    with pytest.raises(DomainError):
        estimate_pass_order(10_000, "1.5")


def test_fees_can_push_an_order_over_the_dispense_threshold():
    # 57,700 EUR of passes alone would be under 60,000; with 4 % fees it is 60,008.
    estimate = estimate_pass_order(57_700)
    assert estimate.estimated_value == Decimal("60008.00")
    assert choose_procedure(estimate.estimated_value, FS, LOCAL, APRIL_1).procedure is Procedure.ADAPTED
    assert choose_procedure(Decimal(57_700), FS, LOCAL, APRIL_1).procedure is Procedure.NO_COMPETITION


@DETERMINISTIC
@given(st.decimals(0, 10_000_000, places=2), st.decimals(0, 1, places=4))
def test_estimate_adds_up(face, rate):
    estimate = estimate_pass_order(face, rate)
    assert estimate.estimated_value == estimate.face_value + estimate.fees
    assert abs(estimate.fees - face * rate) <= Decimal("0.005")


# --- supplies and services of a collectivité ----------------------------------------------


@pytest.mark.parametrize("value, on, expected", [
    ("39999.99", MARCH_31, Procedure.NO_COMPETITION),
    ("40000", MARCH_31, Procedure.ADAPTED),
    ("50000", MARCH_31, Procedure.ADAPTED),
    ("50000", APRIL_1, Procedure.NO_COMPETITION),
    ("59999.99", APRIL_1, Procedure.NO_COMPETITION),
    ("60000", APRIL_1, Procedure.ADAPTED),
    ("215999.99", APRIL_1, Procedure.ADAPTED),
    ("216000", APRIL_1, Procedure.FORMAL),
    ("220999.99", date(2025, 12, 31), Procedure.ADAPTED),
    ("221000", date(2025, 12, 31), Procedure.FORMAL),
    ("216000", date(2025, 12, 31), Procedure.ADAPTED),
    ("216000", date(2026, 1, 1), Procedure.FORMAL),
    ("215000", date(2023, 6, 1), Procedure.FORMAL),
])
def test_supplies_and_services_thresholds(value, on, expected):
    assert procedure(value, on) is expected


def test_the_launch_date_decides_not_the_signature():
    before = choose_procedure(Decimal(50_000), FS, LOCAL, MARCH_31)
    after = choose_procedure(Decimal(50_000), FS, LOCAL, APRIL_1)
    assert before.procedure is Procedure.ADAPTED and after.procedure is Procedure.NO_COMPETITION
    assert "décret n° 2025-1386" in next(r.source for r in after.records if r.rule == "no_competition_below")
    assert "consultation lancée le 1er avril 2026" in after.explanation


@pytest.mark.parametrize("value, publicity", [
    ("89999.99", Publicity.ADAPTED),
    ("90000", Publicity.NATIONAL),
    ("216000", Publicity.EUROPEAN),
    ("30000", Publicity.NONE),
])
def test_publicity(value, publicity):
    assert choose_procedure(Decimal(value), FS, LOCAL, APRIL_1).publicity is publicity


def test_formal_procedure_brings_standstill_and_award_notice():
    formal = choose_procedure(Decimal(300_000), FS, LOCAL, APRIL_1)
    assert formal.standstill_required and formal.award_notice_required
    mapa = choose_procedure(Decimal(150_000), FS, LOCAL, APRIL_1)
    assert not mapa.standstill_required and not mapa.award_notice_required


def test_essential_data_from_40000_flagged_unconfirmed_after_april_2026():
    assert not choose_procedure(Decimal("39999.99"), FS, LOCAL, MARCH_31).essential_data_required
    before = choose_procedure(Decimal(40_000), FS, LOCAL, MARCH_31)
    assert before.essential_data_required and before.warnings == ()
    after = choose_procedure(Decimal(70_000), FS, LOCAL, APRIL_1)
    assert after.essential_data_required
    assert len(after.warnings) == 1 and "données essentielles" in after.warnings[0]


# --- works and other buyers ---------------------------------------------------------------


@pytest.mark.parametrize("value, on, expected", [
    ("99999.99", date(2025, 12, 31), Procedure.NO_COMPETITION),
    ("99999.99", date(2026, 1, 1), Procedure.NO_COMPETITION),
    ("100000", date(2026, 1, 1), Procedure.ADAPTED),
    ("5403999.99", date(2026, 1, 1), Procedure.ADAPTED),
    ("5404000", date(2026, 1, 1), Procedure.FORMAL),
    ("5404000", date(2025, 12, 31), Procedure.ADAPTED),
    ("5538000", date(2025, 12, 31), Procedure.FORMAL),
])
def test_works_thresholds(value, on, expected):
    assert procedure(value, on, kind=WORKS) is expected


@pytest.mark.parametrize("buyer, on, below, at", [
    (STATE, date(2026, 1, 1), "139999.99", "140000"),
    (STATE, date(2025, 12, 31), "142999.99", "143000"),
    (UTILITY, date(2026, 1, 1), "431999.99", "432000"),
    (UTILITY, date(2025, 12, 31), "442999.99", "443000"),
])
def test_eu_thresholds_by_buyer(buyer, on, below, at):
    assert procedure(below, on, buyer=buyer) is Procedure.ADAPTED
    assert procedure(at, on, buyer=buyer) is Procedure.FORMAL


def test_utilities_are_not_bound_to_boamp_below_eu_thresholds():
    decision = choose_procedure(Decimal(200_000), FS, UTILITY, APRIL_1)
    assert decision.procedure is Procedure.ADAPTED
    assert decision.publicity is Publicity.ADAPTED


def test_kinds_may_be_given_by_their_values():
    decision = choose_procedure(Decimal(99_000), "travaux", "collectivite_territoriale", APRIL_1)
    assert decision.procedure is Procedure.NO_COMPETITION
    with pytest.raises(DomainError, match="Nature d'achat inconnue"):
        minimum_bid_days(APRIL_1, purchase_kind="prestations")


def test_launch_before_the_table_is_refused():
    with pytest.raises(DomainError, match="ne couvre pas cette date"):
        choose_procedure(Decimal(100_000), FS, LOCAL, date(2021, 6, 1))


ORDER = list(Procedure)


@DETERMINISTIC
@given(st.decimals(0, 6_000_000, places=2), st.decimals(0, 6_000_000, places=2),
       st.dates(date(2022, 1, 1), date(2027, 12, 31)), st.sampled_from([FS, WORKS]),
       st.sampled_from([LOCAL, STATE, UTILITY]))
def test_a_larger_purchase_never_gets_a_lighter_procedure(a, b, on, kind, buyer):
    low, high = sorted((a, b))
    assert ORDER.index(procedure(low, on, kind, buyer)) <= ORDER.index(procedure(high, on, kind, buyer))


# --- time limits --------------------------------------------------------------------------


def test_open_tender_minimum_days():
    sent = date(2026, 2, 2)
    assert minimum_bid_days(sent) == 30
    assert minimum_bid_days(sent, electronic=False) == 35
    assert minimum_bid_days(sent, prior_information_notice=True) == 15
    assert minimum_bid_days(sent, urgency=True, electronic=False) == 15
    assert earliest_bid_deadline(sent) == date(2026, 3, 4)
    assert earliest_bid_deadline(sent, electronic=False) == date(2026, 3, 9)
    assert earliest_bid_deadline(sent, urgency=True) == date(2026, 2, 17)


def test_standstill():
    assert earliest_signature_date(date(2026, 1, 7)) == date(2026, 1, 18)
    # The Conseil d'État's case, 15 years later: paper letters on 28 December,
    # standstill over on 12 January, signature on 13 January.
    assert earliest_signature_date(date(2025, 12, 28), electronic=False) == date(2026, 1, 13)


def test_award_notice_within_30_days_of_signature():
    assert award_notice_deadline(date(2026, 5, 4)) == date(2026, 6, 3)
