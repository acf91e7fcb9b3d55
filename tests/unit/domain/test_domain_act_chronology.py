"""The order of the dates around an act: the sitting, the extract's signature, publication,
transmission and receipt of a deliberation; the signatures of a convention and the day the
deliberation authorising it became executory."""
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.acts import (
    deliberation_transmission_errors,
    signature_before_executory_errors,
    signature_order_errors,
)
from workflows.domain.deliberation import extract_names_errors, extract_signature_error
from workflows.domain.errors import DomainError
from workflows.model_functions.registry import SCRIPT_FUNCTIONS as F

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)
SITTING = date(2028, 3, 15)
SIGNED = date(2028, 3, 16)


def errors(published, transmitted, received, nature=1, number="DEL2028_027"):
    return deliberation_transmission_errors(SITTING, SIGNED, published, transmitted, received, nature, number)


# --- deliberation: publication and transmission ----------------------------------------------


def test_a_deliberation_published_and_sent_after_its_signed_extract_is_accepted():
    assert errors(date(2028, 3, 16), date(2028, 3, 16), date(2028, 3, 16)) == []
    assert errors(date(2028, 3, 21), date(2028, 3, 17), date(2028, 3, 20)) == []


def test_the_reviewed_case_gives_every_reason():
    found = errors(date(2028, 3, 1), date(2028, 3, 10), date(2028, 3, 2), nature=4)
    assert found == [
        "Nature d'acte 4 « Contrat, convention ou avenant » : une délibération se transmet en nature 1 "
        "« Délibération ».",
        "Publication du 1er mars 2028 antérieure à la séance du 15 mars 2028 : la délibération n'existe "
        "qu'une fois votée.",
        "Transmission à la préfecture du 10 mars 2028 antérieure à la séance du 15 mars 2028 : la "
        "délibération n'existe qu'une fois votée.",
        "Accusé de réception du 2 mars 2028 antérieur à la transmission du 10 mars 2028.",
    ]


def test_publication_on_the_sitting_day_but_before_the_signature_is_refused():
    found = errors(date(2028, 3, 15), date(2028, 3, 16), date(2028, 3, 16))
    assert found == ["Publication du 15 mars 2028 antérieure à la signature de l'extrait du 16 mars 2028 : "
                     "on publie et on transmet l'extrait signé."]


def test_the_act_number_is_still_checked():
    assert "Proposition : « DEL_2028_027 »" in errors(SIGNED, SIGNED, SIGNED, number="DEL-2028-027")[0]
    with pytest.raises(DomainError, match="Nature d'acte inconnue"):
        errors(SIGNED, SIGNED, SIGNED, nature=9)


@DETERMINISTIC
@given(st.integers(-10, 10), st.integers(-10, 10), st.integers(-10, 10))
def test_an_error_names_each_date_out_of_order(published, transmitted, received):
    published_on, transmitted_on = SIGNED + timedelta(published), SIGNED + timedelta(transmitted)
    received_on = transmitted_on + timedelta(received)
    found = " ".join(errors(published_on, transmitted_on, received_on))
    assert ("Publication du" in found) == (published_on < SIGNED)
    assert ("Transmission à la préfecture du" in found) == (transmitted_on < SIGNED)
    assert ("Accusé de réception du" in found) == (received < 0)


def test_the_script_function_reads_iso_dates():
    check = F["verifier_publication_deliberation"]
    assert check("2028-03-15", "2028-03-16", "2028-03-21", "2028-03-21", "2028-03-22", 1, "DEL2028_027") is None
    refused = check("2028-03-15", "2028-03-16", "2028-03-01", "2028-03-10", "2028-03-02", 4, "DEL2028_027")
    assert refused.startswith("Nature d'acte 4") and "Accusé de réception du 2 mars 2028" in refused


# --- deliberation: the extract ---------------------------------------------------------------


def test_the_extract_names_as_many_members_as_the_sitting_counted():
    assert extract_names_errors(28, 15, 28, 15) == ()
    assert extract_names_errors(10, 0, 28, 15) == (
        "L'extrait nomme 10 membre(s) présent(s) ; la séance en a constaté 28 : chaque membre compté doit "
        "y figurer nommément, une seule fois.",
        "L'extrait nomme 0 membre(s) absent(s) ; la séance en a constaté 15 : chaque membre compté doit "
        "y figurer nommément, une seule fois.")
    assert len(extract_names_errors(29, 15, 28, 15)) == 1
    with pytest.raises(DomainError, match="nombre entier positif ou nul"):
        extract_names_errors(28, 15, -1, 15)


def test_verifier_presences_extrait_counts_the_lists():
    check = F["verifier_presences_extrait"]
    present = [{"nom": f"Membre {i}"} for i in range(28)]
    absent = [{"nom": f"Absent {i}"} for i in range(15)]
    assert check(present, absent, 28, 15) is None
    assert "nomme 27 membre(s) présent(s) ; la séance en a constaté 28" in check(present[1:], absent, 28, 15)
    with pytest.raises(DomainError, match="listes attendues"):
        check(None, absent, 28, 15)


def test_the_extract_is_signed_on_or_after_the_sitting():
    assert extract_signature_error(SITTING, SITTING) is None
    assert extract_signature_error(SITTING, SIGNED) is None
    assert extract_signature_error(SITTING, date(2028, 3, 14)) == (
        "Extrait signé le 14 mars 2028, avant la séance du 15 mars 2028 : on ne certifie qu'une "
        "délibération votée.")
    assert F["verifier_signature_extrait"]("2028-03-15", "2028-03-14").startswith("Extrait signé le 14 mars")
    assert F["verifier_signature_extrait"]("2028-03-15", "2028-03-15") is None


# --- conventions: signatures -----------------------------------------------------------------


def test_nothing_is_signed_on_a_non_executory_deliberation():
    executory = date(2027, 3, 30)
    assert signature_before_executory_errors(executory, executory) == []
    assert signature_before_executory_errors(date(2027, 3, 1), executory) == [
        "Convention signée le 1er mars 2027, avant que la délibération qui l'autorise soit exécutoire "
        "(le 30 mars 2027) : rien ne se signe sur une délibération non exécutoire (CGCT L2131-1)."]
    assert "n'est pas exécutoire" in signature_before_executory_errors(executory, None)[0]


def test_exiger_deliberation_executoire_refuses_an_early_signature():
    require = F["exiger_deliberation_executoire"]
    assert require("2027-04-10", "2027-03-30") == (
        "Signée le 10 avril 2027, la délibération qui l'autorise étant exécutoire depuis le 30 mars 2027.")
    with pytest.raises(DomainError, match="avant que la délibération qui l'autorise soit exécutoire"):
        require("2027-03-29", "2027-03-30")
    with pytest.raises(DomainError, match="n'est pas exécutoire"):
        require("2027-03-29", None)


def test_a_counter_signature_follows_the_signature():
    first, second = date(2027, 4, 10), date(2027, 4, 5)
    assert signature_order_errors(first, first, "de la collectivité", "de l'ANCT") == []
    assert signature_order_errors(first, second, "de la collectivité", "de l'ANCT") == [
        "Signature de l'ANCT du 5 avril 2027 antérieure à la signature de la collectivité du 10 avril 2027 : "
        "elle ne peut intervenir qu'après."]
    require = F["exiger_ordre_signatures"]
    assert require("2027-08-12", "2027-08-17", "du président", "du partenaire") == (
        "Signature du partenaire du 17 août 2027, après celle du président du 12 août 2027.")
    with pytest.raises(DomainError, match="Signature du partenaire du 10 août 2027 antérieure"):
        require("2027-08-12", "2027-08-10", "du président", "du partenaire")
