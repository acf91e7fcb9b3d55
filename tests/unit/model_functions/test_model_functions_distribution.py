"""verifier_remises as BPMN scripts see it: a prescriber's handouts against its dotation
(a number of booklets of one format) and the allocation rules of each beneficiary's
public (workflows/domain/data), checked with the format each handout names."""
import traceback
from datetime import date

import pytest

from workflows.domain import allocation
from workflows.domain.allocation import AllocationRule, allocation_error, allocation_for
from workflows.domain.errors import DomainError
from workflows.engine.model_runner import load_functions
from workflows.model_functions.distribution import verifier_remises as unwrapped
from workflows.model_functions.registry import SCRIPT_FUNCTIONS

# As the engine loads it for the models.
verifier_remises = load_functions(SCRIPT_FUNCTIONS)["verifier_remises"]
CCAS = {"prescripteur": "CCAS du Lorrain", "nombre_carnets": 3, "cheques_par_carnet": 5}
CCAS_10 = {**CCAS, "cheques_par_carnet": 10}
PLIE = {"prescripteur": "France Travail Martinique Nord", "nombre_carnets": 9, "cheques_par_carnet": 10}


def remise(who, public, count, on="2027-09-01", size=None, **extra):
    return {"identifiant_beneficiaire": who, "public": public, "date_remise": on,
            "nombre_carnets": count, "cheques_par_carnet": size or (10 if public == "plie_demandeur_emploi" else 5),
            **extra}


def test_it_is_registered_as_written_and_the_engine_wraps_it_when_loading():
    assert SCRIPT_FUNCTIONS["verifier_remises"] is unwrapped
    assert verifier_remises.__name__ == "verifier_remises"
    assert verifier_remises.__wrapped__ is unwrapped


def test_handouts_within_the_dotation_and_the_rules_pass():
    assert verifier_remises([remise("S1", "senior", 1), remise("S2", "senior", 1)], CCAS, "972") is None
    assert verifier_remises([remise("P1", "plie_demandeur_emploi", 3),
                             remise("P2", "plie_demandeur_emploi", 3)], PLIE, "972") is None
    assert verifier_remises([], CCAS) is None


def test_no_more_booklets_than_the_prescriber_holds():
    message = verifier_remises([remise("S1", "senior", 1), remise("S2", "senior", 1),
                                remise("S3", "autre", 2)], CCAS, "972")
    assert message == ("CCAS du Lorrain : 4 carnet(s) remis, 3 détenu(s) : un prescripteur ne "
                       "remet que les carnets qu'il détient.")


def test_senior_rule_one_booklet_of_five_renewable():
    assert verifier_remises([remise("S1", "senior", 2)], CCAS, "972") == (
        "S1 : Personne âgée (plus de 60 ans) : 2 carnets remis, 1 au plus par dotation.")
    # The rule is checked with the format the handout names, the dotation's here.
    assert verifier_remises([remise("S1", "senior", 1, size=10)], CCAS_10, "972") == (
        "S1 : Personne âgée (plus de 60 ans) : carnets de 5 pass attendus, carnet(s) de 10 remis.")
    # Renewable: the same senior may receive a new booklet later.
    assert verifier_remises([remise("S1", "senior", 1, "2027-11-02"), remise("S1", "senior", 1)],
                            CCAS, "972") is None


def test_plie_rule_three_booklets_of_ten_not_renewable_and_every_refusal_is_reported():
    message = verifier_remises([remise("P1", "plie_demandeur_emploi", 3),
                                remise("P1", "plie_demandeur_emploi", 1, "2027-10-01"),
                                remise("P2", "plie_demandeur_emploi", 4)], PLIE, "972")
    assert "P1 : Demandeur d'emploi accompagné par le PLIE : la dotation n'est pas renouvelable" in message
    assert "P2 : Demandeur d'emploi accompagné par le PLIE : 4 carnets remis, 3 au plus par dotation." in message


def test_the_message_is_the_domain_s_own():
    rule = allocation_for("senior", date(2027, 9, 1))
    assert verifier_remises([remise("S1", "senior", 2)], CCAS) == f"S1 : {allocation_error(rule, [5, 5])}"
    plie = allocation_for("plie_demandeur_emploi", date(2027, 9, 1))
    assert verifier_remises([remise("P1", "plie_demandeur_emploi", 2, size=5)], CCAS) == \
        f"P1 : {allocation_error(plie, [5, 5])}"


def test_a_public_without_a_rule_in_force_is_bounded_by_the_dotation_only():
    assert verifier_remises([remise("J1", "jeune", 3, size=10)], CCAS_10, "972") is None
    # Before the rules took effect (27 April 2023) no rule applies either.
    assert verifier_remises([remise("S1", "senior", 3, "2023-01-10", size=10)], CCAS_10, "972") is None


def test_a_territory_rule_wins_over_the_general_one(monkeypatch):
    general = allocation_for("senior", date(2027, 9, 1))
    local = AllocationRule("senior", "Senior du 972", 2, 10, True, False, "972",
                           general.effective_from, "test")
    monkeypatch.setattr(allocation, "default_allocation_rules", lambda: (general, local))
    assert verifier_remises([remise("S1", "senior", 2, size=10)], CCAS_10, "972") is None
    assert verifier_remises([remise("S1", "senior", 2, size=10)], CCAS_10, "FR") is not None


def test_an_invalid_date_is_refused_from_the_function_s_own_frame():
    with pytest.raises(DomainError, match="Date invalide") as refusal:
        verifier_remises([remise("S1", "senior", 1, "01/09/2027")], CCAS)
    assert all(frame.name != "<string>" for frame in traceback.extract_tb(refusal.value.__traceback__))


def test_a_handout_gives_booklets_of_the_dotation_s_format():
    assert verifier_remises([remise("J1", "jeune", 1, size=10)], CCAS, "972") == (
        "J1 : carnets de 10 pass remis ; CCAS du Lorrain détient des carnets de 5 pass (sa dotation).")
    # The rule and the format are both reported.
    message = verifier_remises([remise("S1", "senior", 1, size=10)], CCAS, "972")
    assert "carnets de 5 pass attendus, carnet(s) de 10 remis" in message
    assert "CCAS du Lorrain détient des carnets de 5 pass" in message


def test_a_handout_or_a_dotation_without_a_valid_format_is_refused_in_french():
    with pytest.raises(DomainError, match="Remise à S1 : format de carnet None"):
        verifier_remises([{**remise("S1", "senior", 1), "cheques_par_carnet": None}], CCAS)
    with pytest.raises(DomainError, match="Dotation de CCAS du Lorrain : format de carnet 8"):
        verifier_remises([remise("S1", "senior", 1)], {**CCAS, "cheques_par_carnet": 8})
