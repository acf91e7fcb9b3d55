"""The notice's media and the essential data as BPMN scripts see them: plain JSON in and
out, the domain's answers (procurement.py and the dated thresholds table)."""
import json
import traceback
from datetime import date
from decimal import Decimal

import pytest

from workflows.domain.errors import DomainError
from workflows.domain.procurement import Publicity, check_notice_media, choose_procedure
from workflows.engine.model_runner import load_functions
from workflows.engine.sandbox import RestrictedEnvironment
from workflows.model_functions.procurement import determiner_donnees_essentielles, verifier_supports_publicite
from workflows.model_functions.registry import SCRIPT_FUNCTIONS

F = SCRIPT_FUNCTIONS


def json_round_trip(value):
    assert json.loads(json.dumps(value)) == value
    return value


def test_both_functions_are_registered_under_their_own_names():
    for function in (verifier_supports_publicite, determiner_donnees_essentielles):
        assert F[function.__name__] is function


# --- the notice's media -------------------------------------------------------------------


def test_a_mapa_notice_on_the_buyer_profile_only_is_refused_from_the_national_threshold():
    publicite = F["choisir_procedure"](208000, "2027-05-04")["publicite"]
    assert publicite == Publicity.NATIONAL.value
    reason = F["verifier_supports_publicite"](publicite, ["profil_acheteur"])
    assert reason.startswith("Publicité insuffisante : avis publié sur le profil d'acheteur seulement")
    assert "CCP R2131-12" in reason
    assert "Manque : le BOAMP ou un journal d'annonces légales." in reason


@pytest.mark.parametrize("supports", [["profil_acheteur", "boamp"], ["jal", "profil_acheteur"],
                                      ["profil_acheteur", "boamp", "jal", "autre"]])
def test_boamp_or_legal_journal_with_the_buyer_profile_is_enough(supports):
    assert F["verifier_supports_publicite"]("boamp_ou_jal", supports) is None


def test_the_buyer_profile_is_required_besides_the_boamp():
    reason = F["verifier_supports_publicite"]("boamp_ou_jal", ["boamp"])
    assert "Manque : le profil d'acheteur." in reason


def test_below_the_national_threshold_the_buyer_chooses_the_media():
    publicite = F["choisir_procedure"](80000, "2027-05-04")["publicite"]
    assert publicite == Publicity.ADAPTED.value
    assert F["verifier_supports_publicite"](publicite, ["profil_acheteur"]) is None


def test_a_procedure_the_buyer_qualified_leaves_nothing_to_check():
    assert F["choisir_procedure"](208000, "2028-02-01")["publicite"] is None
    assert F["verifier_supports_publicite"](None, ["profil_acheteur"]) is None


def test_the_script_function_answers_as_the_domain():
    for publicity in Publicity:
        for media in (["profil_acheteur"], ["boamp"], ["profil_acheteur", "jal"]):
            assert F["verifier_supports_publicite"](publicity.value, media) == \
                check_notice_media(publicity, media)


@pytest.mark.parametrize("publicite, supports, message", [
    ("boamp_ou_jal", ["affichage"], "Support de publicité inconnu : 'affichage'"),
    ("nationale", ["boamp"], "Publicité requise inconnue : 'nationale'"),
    ("boamp_ou_jal", "boamp", "Supports de publicité invalides"),
])
def test_unknown_values_are_refused_in_french_from_the_function_own_frame(publicite, supports, message):
    with pytest.raises(DomainError, match=message) as refusal:
        load_functions(F)["verifier_supports_publicite"](publicite, supports)
    frames = traceback.extract_tb(refusal.value.__traceback__)
    assert [f.filename for f in frames if f.filename == "<string>"] == []


# --- essential data -----------------------------------------------------------------------


def test_essential_data_from_40000_with_the_unconfirmed_2026_caveat():
    answer = json_round_trip(F["determiner_donnees_essentielles"](208000, "2027-05-04"))
    assert (answer["obligatoires"], answer["seuil_ht"], answer["confirme"]) == (True, 40000, False)
    assert "Non confirmé" in answer["avertissement"] and "R2196-1" in answer["source"]


def test_essential_data_agrees_with_the_domain_at_the_threshold():
    for value, expected in ((39999.99, False), (40000, True)):
        answer = F["determiner_donnees_essentielles"](value, "2027-05-04")
        decision = choose_procedure(Decimal(str(value)), "fournitures_services", "collectivite_territoriale",
                                    date(2027, 5, 4))
        assert answer["obligatoires"] is decision.essential_data_required is expected


def test_a_confirmed_value_carries_no_caveat():
    answer = F["determiner_donnees_essentielles"](31200, "2026-03-04")
    assert (answer["obligatoires"], answer["confirme"], answer["avertissement"]) == (False, True, None)


def test_a_launch_the_table_does_not_cover_leaves_the_obligation_to_check():
    answer = json_round_trip(F["determiner_donnees_essentielles"](100000, "2019-06-01"))
    assert answer["obligatoires"] is None
    assert answer["avertissement"].startswith("Obligation à vérifier : ")
    assert "la table des seuils ne couvre pas cette date" in answer["avertissement"]


@pytest.mark.parametrize("value, launched, message", [
    (True, "2027-05-04", "Nombre invalide"), ("beaucoup", "2027-05-04", "Nombre invalide"),
    (50000, "04/05/2027", "Date invalide"),
])
def test_invalid_inputs_are_refused(value, launched, message):
    with pytest.raises(DomainError, match=message):
        F["determiner_donnees_essentielles"](value, launched)


def test_both_run_in_the_script_sandbox():
    environment = RestrictedEnvironment(dict(F))
    context = {"choix_procedure": {"publicite": "boamp_ou_jal"}, "supports_publicite": ["profil_acheteur"],
               "valeur_estimee_ht": 208000, "date_lancement": "2027-05-04"}
    environment.execute(
        'erreur_publicite_mapa = verifier_supports_publicite(choix_procedure["publicite"], supports_publicite)\n'
        'donnees_essentielles = determiner_donnees_essentielles(valeur_estimee_ht, date_lancement)',
        context)
    assert "Publicité insuffisante" in context["erreur_publicite_mapa"]
    assert context["donnees_essentielles"]["obligatoires"] is True
