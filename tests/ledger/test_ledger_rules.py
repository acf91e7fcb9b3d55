"""The ledger's rules on one move, pure: what the service checks each new record with."""
from datetime import date

import pytest

from workflows.domain.errors import LedgerError
from workflows.domain.ledger import Beneficiary, Ledger
from workflows.domain.ledger_rules import (
    STOCK, BookletFacts, Holding, Mandate, Place, check_dotation, check_handout, check_loss, check_transfer,
)
from workflows.domain.passes import Booklet

MARCH = date(2027, 3, 1)
TEN = Booklet("A-000001", 10, 2027, "APTIC")
FIVE = Booklet("B-000001", 5, 2027, "APTIC")
MANDATE = Mandate("CCAS", date(2027, 2, 15), {10: 2}, {10: 1})


def in_stock(booklet):
    return BookletFacts(booklet, Holding(Place.STOCK, STOCK, date(2027, 2, 1)))


def held(booklet, prescriber="CCAS"):
    return BookletFacts(booklet, Holding(Place.PRESCRIBER, prescriber, MARCH))


def refusal(check, *args, **kwargs):
    with pytest.raises(LedgerError) as caught:
        check(*args, **kwargs)
    return str(caught.value)


def test_a_dotation_needs_a_mandate_signed_executory_and_entrusting_the_booklets():
    check_dotation([in_stock(TEN)], "CCAS", MANDATE, MARCH)
    assert refusal(check_dotation, [in_stock(TEN)], "CCAS", None, MARCH).startswith(
        "Aucune convention de mandat signée avec le prescripteur « CCAS »")
    assert "aucune date à laquelle sa convention de mandat est devenue exécutoire" in refusal(
        check_dotation, [in_stock(TEN)], "CCAS", Mandate("CCAS", None, {10: 2}), MARCH)
    assert "que sa convention de mandat ne lui confie pas" in refusal(
        check_dotation, [in_stock(FIVE)], "CCAS", MANDATE, MARCH)
    two = Booklet("A-000002", 10, 2027, "APTIC")
    assert refusal(check_dotation, [in_stock(TEN), in_stock(two)], "CCAS", MANDATE, MARCH) == (
        "CCAS : dotation de 3 carnets de 10 pass, sa convention de mandat en confie 2 ; au-delà, un avenant "
        "est nécessaire.")


def test_a_transfer_needs_the_source_to_hold_and_the_destination_a_mandate():
    check_transfer([held(TEN, "PLIE")], "PLIE", "CCAS", MANDATE, MARCH)
    assert "n'est pas chez PLIE" in refusal(check_transfer, [held(TEN, "CCAS")], "PLIE", "CCAS", MANDATE, MARCH)
    assert "à lui-même" in refusal(check_transfer, [held(TEN)], "CCAS", "CCAS", MANDATE, MARCH)


def test_a_loss_has_a_reason_and_leaves_a_handed_booklet_alone():
    check_loss([held(TEN)], MARCH, "vol")
    assert "Indiquez le motif" in refusal(check_loss, [held(TEN)], MARCH, "  ")
    handed = BookletFacts(TEN, Holding(Place.BENEFICIARY, "P-1", MARCH))
    assert refusal(check_loss, [handed], MARCH, "vol") == (
        "Le carnet A-000001 ne peut pas être déclaré perdu ou détruit : il a été remis au bénéficiaire P-1 "
        "le 1er mars 2027.")


def test_the_replayed_register_and_one_record_refuse_a_handout_with_the_same_words():
    ledger = Ledger(["CCAS"])
    ledger.receive([TEN], order="BC", by="x", on=date(2027, 2, 1))
    replayed = refusal(ledger.hand_to_beneficiary, [TEN.serial], "CCAS", Beneficiary("P-1", "senior"),
                       by="x", on=MARCH)
    assert replayed == refusal(check_handout, [in_stock(TEN)], "CCAS", MARCH)
    assert replayed.startswith("Le carnet A-000001 n'est pas chez CCAS : il est en stock")
