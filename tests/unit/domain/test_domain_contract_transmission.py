"""Conventions sent to the contrôle de légalité: 15 days from the last signature, an
@ctes act number and nature 4, executory once received by the préfecture."""
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.acts import (
    contract_transmission_delay,
    last_signature,
    record_contract_transmission,
    transmission_deadline,
    transmission_errors,
)
from workflows.domain.errors import DomainError
from workflows.domain.legal_delays import LegalValue, default_legal_delays
from workflows.model_functions.registry import SCRIPT_FUNCTIONS as F

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)


def test_the_delay_is_dated_data_with_its_source():
    delay = contract_transmission_delay(date(2027, 4, 24))
    assert delay in default_legal_delays()
    assert delay.value == 15 and delay.source.startswith("CGCT")
    with pytest.raises(DomainError, match="Aucune valeur connue pour « transmission_contrat_jours »"):
        contract_transmission_delay(delay.effective_from - timedelta(days=1))


def test_a_later_delay_applies_from_its_date_of_effect():
    def record(days, since, source):
        return LegalValue("transmission_contrat_jours", None, days, "jours", since, source, True)
    delays = (record(15, date(2016, 4, 1), "ancien"), record(30, date(2028, 1, 1), "nouveau"))
    assert contract_transmission_delay(date(2027, 12, 31), delays).value == 15
    assert contract_transmission_delay(date(2028, 1, 1), delays).source == "nouveau"


def test_the_deadline_runs_from_the_last_signature_day_excluded():
    signed_on = last_signature([date(2027, 4, 10), date(2027, 4, 24)])
    assert signed_on == date(2027, 4, 24)
    assert transmission_deadline(signed_on) == date(2027, 5, 9)
    with pytest.raises(DomainError, match="Aucune date de signature"):
        last_signature([])


@DETERMINISTIC
@given(st.dates(date(2017, 1, 1), date(2035, 12, 31)), st.integers(0, 60), st.integers(0, 10))
def test_late_by_the_days_after_the_deadline_and_executory_on_receipt(signed_on, after, receipt):
    sent_on = signed_on + timedelta(days=after)
    sent = record_contract_transmission(signed_on, sent_on, sent_on + timedelta(days=receipt))
    assert sent.deadline == signed_on + timedelta(days=15)
    assert sent.days_late == max(after - 15, 0)
    assert sent.on_time == (after <= 15)
    assert sent.executory_on == sent_on + timedelta(days=receipt)


def test_the_summary_says_how_late():
    late = record_contract_transmission(date(2027, 4, 24), date(2027, 5, 12), date(2027, 5, 13))
    assert "3 jour(s) de retard sur la date limite du 9 mai 2027" in late.message
    assert "exécutoire le 13 mai 2027" in late.message
    on_time = record_contract_transmission(date(2027, 4, 24), date(2027, 5, 9), date(2027, 5, 9))
    assert "dans le délai (au plus tard le 9 mai 2027)" in on_time.message


def test_every_refusal_is_given_in_french():
    signed_on = date(2027, 4, 24)
    assert transmission_errors(signed_on, signed_on, signed_on, 4, "CONV_2027_12") == []
    errors = transmission_errors(signed_on, date(2027, 4, 20), date(2027, 4, 19), 1, "CONV-2027-12")
    assert len(errors) == 4
    assert "Proposition : « CONV_2027_12 »" in errors[0]
    assert "une convention se transmet en nature 4" in errors[1]
    assert "antérieure à la dernière signature du 24 avril 2027" in errors[2]
    assert "Accusé de réception du 19 avril 2027 antérieur" in errors[3]
    with pytest.raises(DomainError, match="antérieure à la dernière signature"):
        record_contract_transmission(signed_on, date(2027, 4, 23), date(2027, 4, 23))


def test_the_script_functions_speak_plain_json():
    due = F["calculer_echeance_transmission"](["2027-04-10", "2027-04-24"])
    assert due["date_limite"] == "2027-05-09" and due["date_derniere_signature"] == "2027-04-24"
    assert "au plus tard le 9 mai 2027" in due["consigne"]
    assert "échu le 9 mai 2027" in due["alerte_retard"]
    check = F["verifier_transmission_convention"]
    assert check(["2027-04-10", "2027-04-24"], "2027-05-02", "CONV_2027_12", 4, "2027-05-02") is None
    assert "refusé par @ctes" in check(["2027-04-24"], "2027-05-02", "conv 12", 4, "2027-05-02")
    assert "manquant" in check(["2027-04-24"], "2027-05-02", None, 4, "2027-05-02")
    with pytest.raises(DomainError, match="Nature d'acte inconnue"):
        check(["2027-04-24"], "2027-05-02", "C1", 9, "2027-05-02")
    with pytest.raises(DomainError, match="liste attendue"):
        check("2027-04-24", "2027-05-02", "C1", 4, "2027-05-02")
    sent = F["calculer_transmission_convention"](["2027-04-24"], "2027-05-12", "2027-05-13", "C1")
    assert sent["jours_de_retard"] == 3 and sent["dans_les_delais"] is False
    assert sent["date_executoire"] == "2027-05-13"
