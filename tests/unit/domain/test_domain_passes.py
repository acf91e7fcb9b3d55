"""Booklets, expiry and allocation rules."""
from datetime import date
from decimal import Decimal

import pytest

from workflows.domain.allocation import (
    allocation_error,
    allocation_for,
    allocation_rules_from_json,
    default_allocation_rules,
    parse_allocation_rules,
    pic_publics,
)
from workflows.domain.errors import DataFileError, DomainError
from workflows.domain.passes import Booklet, PassId, expiry_alert_dates, expiry_alert_due


def test_booklet_of_10_cheques_of_10_eur():
    booklet = Booklet("CAPN-0001", 10, 2023, "APTIC")
    assert booklet.total_value == Decimal("100.00")
    assert booklet.passes()[0] == PassId("CAPN-0001", 1)
    assert str(booklet.passes()[-1]) == "CAPN-0001-10"
    assert Booklet("CAPN-0002", 5, 2023, "APTIC").total_value == Decimal("50.00")


@pytest.mark.parametrize("kwargs, message", [
    ({"serial": "X", "size": 7, "year": 2023, "issuer": "APTIC"}, "5 ou 10"),
    ({"serial": " ", "size": 5, "year": 2023, "issuer": "APTIC"}, "numéro de série"),
    ({"serial": "X", "size": 5, "year": 2023, "issuer": ""}, "émetteur"),
    ({"serial": "X", "size": 5, "year": 2023, "issuer": "APTIC", "face_value": "0"}, "valeur faciale"),
])
def test_invalid_booklets(kwargs, message):
    with pytest.raises(DomainError, match=message):
        Booklet(**kwargs)


def test_valid_until_31_december_accepted_until_31_january():
    booklet = Booklet("B1", 10, 2023, "APTIC")
    assert booklet.valid_until == date(2023, 12, 31)
    assert booklet.accepted_until == date(2024, 1, 31)
    assert booklet.is_accepted_on(date(2024, 1, 31))
    assert not booklet.is_accepted_on(date(2024, 2, 1))


def test_expiry_alerts_30_and_15_days_before():
    assert expiry_alert_dates(date(2023, 12, 31), (30, 15)) == (date(2023, 12, 1), date(2023, 12, 16))
    assert expiry_alert_due(date(2023, 12, 1), date(2023, 12, 31), (30, 15)) == 30
    assert expiry_alert_due(date(2023, 12, 16), date(2023, 12, 31), (30, 15)) == 15
    assert expiry_alert_due(date(2023, 12, 2), date(2023, 12, 31), (30, 15)) is None


def test_default_allocations_of_the_seed():
    plie = allocation_for("plie_demandeur_emploi", date(2023, 6, 1))
    assert (plie.booklets, plie.booklet_size, plie.passes, plie.renewable) == (3, 10, 30, False)
    senior = allocation_for("senior", date(2023, 6, 1))
    assert (senior.booklets, senior.booklet_size, senior.renewable) == (1, 5, True)
    assert "CC-04-2023-095" in senior.source
    assert pic_publics() == {"plie_demandeur_emploi"}


def test_no_rule_before_its_date_of_effect():
    with pytest.raises(DomainError, match="Aucune règle d'attribution"):
        allocation_for("senior", date(2023, 4, 26))


OVERRIDE = {
    "format": "conventio.allocation-rules/1",
    "rules": [
        {"public": "senior", "label": "Senior", "booklets": 1, "booklet_size": 5,
         "renewable": True, "pic": False, "territory": None, "effective_from": "2023-01-01",
         "source": "défaut"},
        {"public": "senior", "label": "Senior (La Réunion)", "booklets": 1, "booklet_size": 10,
         "renewable": False, "pic": False, "territory": "974", "effective_from": "2024-01-01",
         "source": "délibération locale"},
    ],
}


def test_a_territory_overrides_the_general_rule_from_its_date():
    rules = parse_allocation_rules(OVERRIDE)
    assert allocation_for("senior", date(2024, 3, 1), "974", rules).booklet_size == 10
    assert allocation_for("senior", date(2023, 3, 1), "974", rules).booklet_size == 5
    assert allocation_for("senior", date(2024, 3, 1), "972", rules).booklet_size == 5


def test_allocation_errors():
    plie = allocation_for("plie_demandeur_emploi", date(2023, 6, 1))
    senior = allocation_for("senior", date(2023, 6, 1))
    assert allocation_error(plie, [10, 10, 10]) is None
    assert "4 carnets remis, 3 au plus" in allocation_error(plie, [10, 10, 10, 10])
    assert "carnets de 10 pass attendus" in allocation_error(plie, [5])
    assert "pas renouvelable et cette personne l'a déjà reçue (3 carnet(s))" in allocation_error(
        plie, [10], previous_booklets=3)
    assert allocation_error(plie, [10, 10], previous_booklets=1) is None   # in instalments
    assert "1 carnet(s) déjà remis, 3 de plus dépasseraient les 3" in allocation_error(
        plie, [10, 10, 10], previous_booklets=1)
    assert allocation_error(senior, [5], previous_booklets=1) is None


@pytest.mark.parametrize("field, value, message", [
    ("booklet_size", 8, "taille de carnet"),
    ("booklets", 0, "nombre de carnets"),
    ("renewable", "oui", "« renewable »"),
    ("effective_from", "27/04/2023", "date d'effet"),
    ("source", "", "« source » est obligatoire"),
])
def test_a_bad_allocation_file_is_refused(field, value, message):
    document = {"format": OVERRIDE["format"], "rules": [dict(OVERRIDE["rules"][0], **{field: value})]}
    with pytest.raises(DataFileError, match=message):
        parse_allocation_rules(document)


def test_an_unreadable_allocation_file_is_refused():
    with pytest.raises(DataFileError, match="dotations.json : JSON illisible"):
        allocation_rules_from_json("[", "dotations.json")


def test_the_shipped_allocation_file_loads():
    assert {r.public for r in default_allocation_rules()} == {"plie_demandeur_emploi", "senior"}
