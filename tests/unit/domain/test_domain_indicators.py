"""Evaluation indicators on a small deployment."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.allocation import pic_publics
from workflows.domain.errors import DomainError
from workflows.domain.indicators import (
    ANCT_2020,
    check_minimum_purchase,
    check_pic_share,
    check_requested_funding,
    distribution_rate,
    evaluate,
    rate,
    state_share_owed,
    usage_rate,
)
from workflows.domain.ledger import Beneficiary, Ledger
from workflows.domain.passes import Booklet, PassId

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)
PLIE, CCAS = "plie-capnord", "ccas-lorrain"
JUNE = date(2023, 6, 1)


@pytest.fixture(scope="module")
def deployment():
    """140 passes; 85 handed out (60 to the PIC public); 19 redeemed."""
    ledger = Ledger({PLIE, CCAS})
    ledger.receive([Booklet(f"B{i:02d}", 10, 2023, "APTIC") for i in range(1, 13)]
                   + [Booklet(f"S{i:02d}", 5, 2023, "APTIC") for i in range(1, 5)],
                   order="CMD-1", by="achats", on=JUNE)
    ledger.assign_to_prescriber([f"B{i:02d}" for i in range(1, 10)], PLIE, by="dgs", on=JUNE)
    ledger.assign_to_prescriber(["S01", "S02", "S03", "S04", "B10"], CCAS, by="dgs", on=JUNE)
    people = {
        "p1": (PLIE, "plie_demandeur_emploi", ["B01", "B02", "B03"]),
        "p2": (PLIE, "plie_demandeur_emploi", ["B04", "B05", "B06"]),
        "s1": (CCAS, "senior", ["S01"]),
        "s2": (CCAS, "senior", ["S02"]),
        "s3": (CCAS, "senior", ["S03"]),
        "a1": (CCAS, "autre", ["B10"]),
    }
    for person, (prescriber, public, serials) in people.items():
        ledger.hand_to_beneficiary(serials, prescriber, Beneficiary(person, public), by="agent", on=JUNE)
    redemptions = ([PassId("B01", n) for n in range(1, 11)] + [PassId("B02", 1), PassId("B02", 2)]
                   + [PassId("S01", n) for n in range(1, 6)] + [PassId("S02", 1), PassId("S02", 2)])
    for pass_id in redemptions:
        place = "exo7" if pass_id.booklet_serial.startswith("B") else "carecof"
        ledger.redeem(pass_id, place=place, by=place, on=date(2023, 9, 1))
    return ledger


def test_evaluation_of_the_small_deployment(deployment):
    result = evaluate(deployment, date(2024, 2, 1), pic_publics())
    assert (result.passes_purchased, result.passes_handed_out, result.passes_redeemed) == (140, 85, 19)
    assert result.distribution_rate == Decimal("0.6071")
    assert result.usage_rate == Decimal("0.2235")
    assert result.beneficiaries_by_public == {"autre": 1, "plie_demandeur_emploi": 2, "senior": 3}
    assert result.beneficiaries_by_prescriber == {CCAS: 4, PLIE: 2}
    assert result.redemptions_by_place == {"exo7": 12, "carecof": 7}
    assert result.pic.met and result.pic.value == Decimal("0.7059")
    assert result.state_share_owed == Decimal("95.00")
    assert (result.unused_at_expiry, result.credit_due) == (121, Decimal("1210.00"))
    assert "inférieur au minimum de 20\u202f000,00\u00a0€" in result.minimum_purchase_error


def test_before_expiry_nothing_is_credited(deployment):
    result = evaluate(deployment, date(2024, 1, 31), pic_publics())
    assert (result.unused_at_expiry, result.credit_due) == (0, Decimal("0.00"))


def test_rates():
    assert rate(5, 12) == Decimal("0.4167")
    assert rate(0, 0) is None
    assert distribution_rate(85, 140) == Decimal("0.6071")
    assert usage_rate(0, 85) == Decimal("0.0000")
    with pytest.raises(DomainError):
        rate(-1, 3)


def test_pic_commitment_of_at_least_half():
    assert check_pic_share(50, 100).met
    missed = check_pic_share(49, 100)
    assert not missed.met
    assert missed.message == ("Public PIC : 49 pass sur 100 remis, soit 49\u00a0% ; engagement "
                              "d'au moins 50\u00a0% non respecté (Appel à projets « Pass "
                              "numérique » 2020 (ANCT)).")
    assert not check_pic_share(0, 0).met


def test_state_share_is_half_of_the_passes_used_within_the_cap():
    assert state_share_owed(Decimal("16200") * 10) == Decimal("81000.00")
    assert state_share_owed(Decimal("190"), cap=Decimal("50")) == Decimal("50.00")


def test_minimum_purchase_of_20000():
    assert check_minimum_purchase(Decimal("20000")) is None
    assert check_minimum_purchase(Decimal("19999.99")).startswith("Achat de 19\u202f999,99\u00a0€")


@DETERMINISTIC
@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_rate_stays_between_0_and_1(part, whole):
    part = min(part, whole)
    value = rate(part, whole)
    assert Decimal(0) <= value <= Decimal(1)
    assert abs(value - Decimal(part) / Decimal(whole)) <= Decimal("0.00005")


@DETERMINISTIC
@given(st.decimals(0, 10**7, places=2))
def test_state_never_owes_more_than_half(used):
    assert state_share_owed(used, ANCT_2020) <= used / 2 + Decimal("0.005")


# --- the co-financing asked of the ANCT -----------------------------------------------------


def test_the_co_financing_asked_is_at_most_the_state_share_owed():
    owed = state_share_owed(Decimal("20500.00"))
    assert owed == Decimal("10250.00")
    assert check_requested_funding(owed, owed) is None
    assert check_requested_funding(0, owed) is None
    assert check_requested_funding(1_000_000, owed) == (
        "Cofinancement demandé de 1\u202f000\u202f000,00\u00a0€, au-delà de la part due par l'État "
        "(10\u202f250,00\u00a0€, calculée sur les passes effectivement utilisés) : demandez au plus "
        "10\u202f250,00\u00a0€.")
    assert check_requested_funding("10250.01", owed) is not None
    with pytest.raises(DomainError, match="négatif"):
        check_requested_funding(-1, owed)


@settings(derandomize=True, database=None, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_a_request_passes_exactly_when_it_is_within_the_share(redeemed_cents, asked_cents):
    owed = state_share_owed(Decimal(redeemed_cents) / 100)
    asked = Decimal(asked_cents) / 100
    assert (check_requested_funding(asked, owed) is None) == (asked <= owed)
