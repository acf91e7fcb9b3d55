"""The booklet ledger and its invariants."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.allocation import allocation_for
from workflows.domain.errors import LedgerError
from workflows.domain.ledger import Beneficiary, Ledger, MoveKind, Place
from workflows.domain.passes import Booklet, PassId

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=60)
JUNE = date(2023, 6, 1)
PLIE = "plie-capnord"
CCAS = "ccas-lorrain"
PAUL = Beneficiary("b-0001", "plie_demandeur_emploi", "972")


def booklets(prefix, count, size=10, year=2023):
    return [Booklet(f"{prefix}{i:02d}", size, year, "APTIC") for i in range(1, count + 1)]


@pytest.fixture
def ledger():
    ledger = Ledger({PLIE, CCAS}, mediation_places={"exo7", "carecof"})
    ledger.receive(booklets("B", 5), order="CMD-2023-01", by="achats", on=JUNE)
    return ledger


def test_a_move_records_who_and_when(ledger):
    move = ledger.assign_to_prescriber(["B01", "B02"], PLIE, by="dgs", on=date(2023, 6, 5))
    assert (move.kind, move.source, move.destination) == (MoveKind.TO_PRESCRIBER, "stock", PLIE)
    assert (move.by, move.on, move.serials) == ("dgs", date(2023, 6, 5), ("B01", "B02"))
    assert ledger.moves[0].reference == "CMD-2023-01"
    assert ledger.moves[0].source == "émetteur APTIC"
    assert ledger.held_by(PLIE) == ("B01", "B02")
    assert ledger.stock() == ("B03", "B04", "B05")


def test_no_booklet_received_twice(ledger):
    with pytest.raises(LedgerError, match="Le carnet B03 est déjà enregistré"):
        ledger.receive([Booklet("B03", 10, 2023, "APTIC")], order="CMD-2", by="achats", on=JUNE)
    with pytest.raises(LedgerError, match="cité\\(s\\) deux fois"):
        ledger.receive([Booklet("Z1", 5, 2023, "APTIC")] * 2, order="CMD-2", by="achats", on=JUNE)


def test_nothing_to_a_prescriber_without_a_convention_de_mandat(ledger):
    with pytest.raises(LedgerError) as error:
        ledger.assign_to_prescriber(["B01"], "la-poste", by="dgs", on=JUNE)
    assert str(error.value) == ("Aucune convention de mandat signée avec le prescripteur "
                                "« la-poste » : aucun carnet ne peut lui être remis.")
    assert ledger.stock() == ("B01", "B02", "B03", "B04", "B05")


def test_nothing_beyond_stock(ledger):
    with pytest.raises(LedgerError, match="Stock insuffisant : 6 carnet\\(s\\) demandé\\(s\\), 5 en stock."):
        ledger.assign_quantity_to_prescriber(6, PLIE, by="dgs", on=JUNE)
    ledger.assign_to_prescriber(["B01"], CCAS, by="dgs", on=JUNE)
    with pytest.raises(LedgerError) as error:
        ledger.assign_to_prescriber(["B01"], PLIE, by="dgs", on=JUNE)
    assert str(error.value) == ("Le carnet B01 n'est pas en stock : il est chez le prescripteur "
                                "ccas-lorrain depuis le 1er juin 2023.")
    with pytest.raises(LedgerError, match="Le carnet B99 est inconnu du registre"):
        ledger.assign_to_prescriber(["B99"], PLIE, by="dgs", on=JUNE)


def test_a_refused_move_changes_nothing(ledger):
    before = (ledger.stock(), ledger.moves)
    with pytest.raises(LedgerError):
        ledger.assign_to_prescriber(["B01", "B99"], PLIE, by="dgs", on=JUNE)
    assert (ledger.stock(), ledger.moves) == before


def test_quantity_assignment_gives_the_booklets_expiring_first(ledger):
    ledger.receive([Booklet("A01", 10, 2022, "APTIC")], order="CMD-0", by="achats", on=JUNE)
    move = ledger.assign_quantity_to_prescriber(2, PLIE, by="dgs", on=JUNE)
    assert move.serials == ("A01", "B01")


def test_a_prescriber_hands_only_its_own_booklets(ledger):
    ledger.assign_to_prescriber(["B01"], PLIE, by="dgs", on=JUNE)
    ledger.assign_to_prescriber(["B02"], CCAS, by="dgs", on=JUNE)
    with pytest.raises(LedgerError, match="Le carnet B02 n'est pas chez plie-capnord"):
        ledger.hand_to_beneficiary(["B02"], PLIE, PAUL, by="référente", on=JUNE)
    move = ledger.hand_to_beneficiary(["B01"], PLIE, PAUL, by="référente", on=JUNE)
    assert move.destination == "b-0001"
    assert ledger.holding("B01").place is Place.BENEFICIARY


def test_moves_cannot_go_back_in_time(ledger):
    ledger.assign_to_prescriber(["B01"], PLIE, by="dgs", on=date(2023, 6, 10))
    with pytest.raises(LedgerError, match="avant son mouvement précédent"):
        ledger.hand_to_beneficiary(["B01"], PLIE, PAUL, by="référente", on=date(2023, 6, 9))


def test_expired_booklets_are_not_handed(ledger):
    ledger.assign_to_prescriber(["B01"], PLIE, by="dgs", on=JUNE)
    with pytest.raises(LedgerError, match="a expiré le 31 janvier 2024"):
        ledger.hand_to_beneficiary(["B01"], PLIE, PAUL, by="référente", on=date(2024, 2, 1))


def test_allocation_rule_is_enforced_when_given(ledger):
    rule = allocation_for("plie_demandeur_emploi", JUNE)
    ledger.assign_to_prescriber(["B01", "B02", "B03", "B04"], PLIE, by="dgs", on=JUNE)
    ledger.hand_to_beneficiary(["B01", "B02", "B03"], PLIE, PAUL, by="r", on=JUNE, allocation=rule)
    with pytest.raises(LedgerError, match="pas renouvelable"):
        ledger.hand_to_beneficiary(["B04"], PLIE, PAUL, by="r", on=JUNE, allocation=rule)


def test_a_dotation_that_is_not_renewable_may_be_handed_in_instalments_up_to_its_total(ledger):
    rule = allocation_for("plie_demandeur_emploi", JUNE)
    ledger.assign_to_prescriber(["B01", "B02", "B03", "B04"], PLIE, by="dgs", on=JUNE)
    ledger.hand_to_beneficiary(["B01"], PLIE, PAUL, by="r", on=JUNE, allocation=rule)
    ledger.hand_to_beneficiary(["B02", "B03"], PLIE, PAUL, by="r", on=date(2023, 6, 20), allocation=rule)
    with pytest.raises(LedgerError, match=r"déjà reçue \(3 carnet\(s\)\)"):
        ledger.hand_to_beneficiary(["B04"], PLIE, PAUL, by="r", on=date(2023, 7, 1), allocation=rule)


def test_return_to_stock(ledger):
    ledger.assign_to_prescriber(["B01"], PLIE, by="dgs", on=JUNE)
    ledger.return_to_stock(["B01"], PLIE, by="dgs", on=date(2023, 9, 1))
    assert "B01" in ledger.stock() and ledger.held_by(PLIE) == ()


@pytest.fixture
def handed(ledger):
    ledger.assign_to_prescriber(["B01"], PLIE, by="dgs", on=JUNE)
    ledger.hand_to_beneficiary(["B01"], PLIE, PAUL, by="référente", on=date(2023, 6, 10))
    return ledger


def test_redemption_rules(handed):
    with pytest.raises(LedgerError, match="n'a pas été remis à un bénéficiaire"):
        handed.redeem(PassId("B02", 1), place="exo7", by="exo7", on=date(2023, 7, 1))
    with pytest.raises(LedgerError, match="ne peut pas être encaissé avant sa remise"):
        handed.redeem(PassId("B01", 1), place="exo7", by="exo7", on=date(2023, 6, 9))
    with pytest.raises(LedgerError, match="Le pass B01-11 n'existe pas"):
        handed.redeem(PassId("B01", 11), place="exo7", by="exo7", on=date(2023, 7, 1))
    with pytest.raises(LedgerError, match="n'est pas un lieu de médiation conventionné"):
        handed.redeem(PassId("B01", 1), place="inconnu", by="x", on=date(2023, 7, 1))
    handed.redeem(PassId("B01", 1), place="exo7", by="exo7", on=date(2023, 7, 1))
    with pytest.raises(LedgerError) as error:
        handed.redeem(PassId("B01", 1), place="carecof", by="carecof", on=date(2023, 7, 2))
    assert str(error.value) == "Le pass B01-01 a déjà été encaissé le 1er juillet 2023 par exo7."


def test_passes_accepted_until_31_january_then_credited(handed):
    handed.redeem(PassId("B01", 1), place="exo7", by="exo7", on=date(2024, 1, 31))
    with pytest.raises(LedgerError, match="n'est plus accepté depuis le 31 janvier 2024"):
        handed.redeem(PassId("B01", 2), place="exo7", by="exo7", on=date(2024, 2, 1))
    assert handed.unused_at_expiry(date(2024, 1, 31)) == ()
    unused = handed.unused_at_expiry(date(2024, 2, 1))
    assert len(unused) == 49 and PassId("B01", 1) not in unused
    assert handed.credit_due(date(2024, 2, 1)) == Decimal("490.00")


def test_redemptions_by_mediation_place(handed):
    for number, place in [(1, "exo7"), (2, "exo7"), (3, "carecof")]:
        handed.redeem(PassId("B01", number), place=place, by=place, on=date(2023, 7, number))
    assert handed.redemptions_by_place() == {"exo7": 2, "carecof": 1}


OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["assign", "quantity", "return", "hand"]),
    st.sampled_from([PLIE, CCAS, "sans-convention"]),
    st.lists(st.sampled_from([f"B{i:02d}" for i in range(1, 9)]), min_size=1, max_size=3),
    st.integers(1, 4),
), max_size=25)


@DETERMINISTIC
@given(OPERATIONS)
def test_every_booklet_is_in_exactly_one_place_whatever_happens(operations):
    ledger = Ledger({PLIE, CCAS})
    ledger.receive(booklets("B", 8), order="CMD", by="achats", on=JUNE)
    for kind, prescriber, serials, count in operations:
        try:
            if kind == "assign":
                ledger.assign_to_prescriber(serials, prescriber, by="u", on=JUNE)
            elif kind == "quantity":
                ledger.assign_quantity_to_prescriber(count, prescriber, by="u", on=JUNE)
            elif kind == "return":
                ledger.return_to_stock(serials, prescriber, by="u", on=JUNE)
            else:
                ledger.hand_to_beneficiary(serials, prescriber, PAUL, by="u", on=JUNE)
        except LedgerError:
            pass
    places = [ledger.holding(b.serial).place for b in ledger.booklets()]
    handed = [h.serial for h in ledger.handouts()]
    assert len(ledger.stock()) + len(ledger.held_by(PLIE)) + len(ledger.held_by(CCAS)) + len(handed) == 8
    assert places.count(Place.BENEFICIARY) == len(handed) == len(set(handed))
    assert ledger.held_by("sans-convention") == ()
