"""What the buyer records after the choice of the procedure, checked by the domain: dates
bound to the launch, the signature and the transmission, criteria weights, the order
against the contract (procurement_checks.py)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from workflows.domain.errors import DomainError
from workflows.domain.formats import BookletFormat
from workflows.domain.money import THIN_SPACE
from workflows.domain.procurement import earliest_signature_date
from workflows.domain.procurement_checks import (
    award_notice_before_signature_error,
    before_launch_error,
    criteria_weights_error,
    notification_before_transmission_error,
    order_beyond_contract_error,
    order_value,
    standstill_error,
    transmission_before_signature_error,
)

LAUNCH = date(2026, 4, 1)
TEN = (BookletFormat(10, 2500),)


# --- the launch of the consultation ---------------------------------------------------------


def test_a_quote_or_notice_from_the_launch_day_on_stands():
    assert before_launch_error(LAUNCH, LAUNCH, "Devis retenu daté du") is None
    assert before_launch_error(LAUNCH + timedelta(days=30), LAUNCH, "Devis retenu daté du") is None


def test_a_quote_before_the_launch_is_refused_with_both_dates_and_what_to_do():
    message = before_launch_error(date(2026, 3, 2), LAUNCH, "Devis retenu daté du")
    assert message.startswith("Devis retenu daté du 2 mars 2026, antérieur au lancement de la consultation "
                              "du 1er avril 2026 : cette date fixe les seuils")
    assert message.endswith("cette date fixe les seuils et donc la procédure.")
    assert before_launch_error(LAUNCH - timedelta(days=1), LAUNCH, "Avis de marché envoyé le") is not None


# --- criteria weights ----------------------------------------------------------------------


def test_weights_totalling_100_stand_whatever_their_number_type():
    assert criteria_weights_error([{"critere": "Prix", "ponderation": 60},
                                   {"critere": "Délais", "ponderation": 40}]) is None
    assert criteria_weights_error([{"critere": "Prix", "ponderation": 62.5},
                                   {"critere": "Délais", "ponderation": 37.5}]) is None


@pytest.mark.parametrize("weights, total", [((60, 20, 10), "90"), ((60, 30, 20), "110"), ((33.3, 33.3, 33.3), "99,9")])
def test_weights_not_totalling_100_are_refused_with_the_total_and_each_weight(weights, total):
    criteria = [{"critere": f"Critère {i}", "ponderation": w} for i, w in enumerate(weights, 1)]
    message = criteria_weights_error(criteria)
    assert f"totalisant {total}\u00a0% au lieu de 100\u00a0%" in message
    assert all(f"Critère {i}" in message for i in range(1, len(weights) + 1))
    assert message.endswith("corrigez-les pour qu'elles totalisent 100\u00a0%.")


def test_missing_or_malformed_criteria_are_named():
    assert criteria_weights_error([]).startswith("Critères d'attribution absents")
    with pytest.raises(DomainError, match="Pondération invalide"):
        criteria_weights_error([{"critere": "Prix", "ponderation": None}])
    with pytest.raises(DomainError, match="Critère d'attribution invalide"):
        criteria_weights_error(["Prix 100 %"])


# --- standstill, transmission, notification, award notice -----------------------------------


@pytest.mark.parametrize("electronic", [True, False])
def test_the_signature_is_refused_up_to_the_day_before_the_end_of_the_standstill(electronic):
    letters = date(2027, 6, 15)
    earliest = earliest_signature_date(letters, electronic=electronic)
    assert standstill_error(earliest, letters, electronic) is None
    message = standstill_error(earliest - timedelta(days=1), letters, electronic)
    assert "pendant le délai de suspension" in message and "CCP R2182-1" in message
    assert ("par voie électronique" in message) is electronic


def test_paper_letters_of_15_june_allow_a_signature_on_1_july_only():
    message = standstill_error(date(2027, 6, 20), date(2027, 6, 15), electronic=False)
    assert message.startswith("Signature du 20 juin 2027 pendant le délai de suspension")
    assert "ne peut être signé qu'à partir du 1er juillet 2027" in message


def test_the_transmission_follows_the_signature_and_the_notification_the_transmission():
    signed, sent = date(2027, 7, 2), date(2027, 7, 5)
    assert transmission_before_signature_error(signed, signed) is None
    assert "antérieure à la signature du marché du 2 juillet 2027" in \
        transmission_before_signature_error(signed, date(2027, 6, 30))
    assert notification_before_transmission_error(sent, sent) is None
    message = notification_before_transmission_error(sent, date(2027, 6, 21))
    assert message.startswith("Notification du 21 juin 2027 antérieure à la transmission du marché")
    assert "notifiez-le au titulaire à partir du 5 juillet 2027" in message


def test_the_award_notice_follows_the_signature():
    signed = date(2027, 7, 2)
    assert award_notice_before_signature_error(signed, signed) is None
    assert award_notice_before_signature_error(signed, date(2027, 6, 1)).startswith(
        "Avis d'attribution envoyé le 1er juin 2027, avant la signature du marché du 2 juillet 2027")


# --- the order against the contract ---------------------------------------------------------


def test_the_value_of_an_order_is_its_face_value_plus_the_fees_billed():
    ordered = (BookletFormat(5, 100), BookletFormat(10, 150))
    assert order_value(ordered, 10, Decimal("800")) == Decimal("20800.00")
    assert order_value(ordered, Decimal("10"), 0) == Decimal(10 * (5 * 100 + 10 * 150))


def test_an_order_within_the_estimate_and_the_contract_stands():
    assert order_beyond_contract_error(TEN, TEN, Decimal("258750"), Decimal("258750")) is None
    assert order_beyond_contract_error(TEN, (BookletFormat(10, 100),), Decimal("10350"), None) is None


def test_an_order_beyond_the_estimate_is_refused_format_by_format():
    ordered = (BookletFormat(5, 3), BookletFormat(10, 25000))
    message = order_beyond_contract_error(TEN, ordered, Decimal("2508900"))
    assert "carnets de 5 chèques : 3 commandé(s) pour 0 estimé(s)" in message
    assert f"carnets de 10 chèques : 25{THIN_SPACE}000 commandé(s) pour 2{THIN_SPACE}500 estimé(s)" in message
    assert "montant de la commande" not in message   # no contract amount known: not compared
    assert "avenant" in message and "nouvelle consultation" in message


def test_an_order_above_the_contract_amount_is_refused_even_within_the_estimate():
    message = order_beyond_contract_error(TEN, TEN, Decimal("258751"), Decimal("258750"))
    assert message.startswith("Bon de commande au-delà du marché : montant de la commande "
                              f"258{THIN_SPACE}751,00\u00a0€ HT supérieur au montant du marché de "
                              f"258{THIN_SPACE}750,00\u00a0€ HT.")
