"""The domain as BPMN scripts see it: plain JSON in, plain JSON out, the domain's answers."""
import json
import traceback
from datetime import date, timedelta

import pytest

from workflows.domain.errors import DomainError
from workflows.domain.procurement import choose_procedure
from workflows.domain.thresholds import BuyerKind, PurchaseKind
from workflows.engine.model_runner import load_functions
from workflows.engine.sandbox import RestrictedEnvironment
from workflows.model_functions.registry import SCRIPT_FUNCTIONS

F = SCRIPT_FUNCTIONS
VERBS = ("calculer_", "verifier_", "estimer_", "choisir_", "compter_", "nommer_", "exiger_", "determiner_",
         "fusionner_", "decrire_", "lister_", "etablir_")


def json_round_trip(value):
    assert json.loads(json.dumps(value)) == value
    return value


# --- the dict itself -------------------------------------------------------------------------


def test_every_function_is_named_by_a_french_verb_under_its_own_name():
    assert F, "aucune fonction exposée"
    for name, function in F.items():
        assert name.startswith(VERBS), name
        assert function.__name__ == name


def test_an_error_leaves_no_frame_named_string_for_spiffworkflow_to_misread():
    # SpiffWorkflow reads the failing script line from frames named "<string>", which
    # dataclass constructors are: as the engine loads it, the refusal comes from the
    # function's own frame.
    with pytest.raises(DomainError) as refusal:
        load_functions(F)["calculer_quorum"](53, 12, 14)
    frames = traceback.extract_tb(refusal.value.__traceback__)
    assert [f.filename for f in frames if f.filename == "<string>"] == []
    assert "une procuration" in str(refusal.value)


def test_scripts_in_the_sandbox_call_them_and_keep_only_data():
    environment = RestrictedEnvironment(F)
    data = {"membres_en_exercice": 53, "presents": 30, "procurations": 10}
    environment.execute('quorum = calculer_quorum(membres_en_exercice, presents, procurations)\n'
                        'atteint = quorum["atteint"]', data)
    assert data["atteint"] is True and data["quorum"]["requis"] == 27
    assert set(data) & set(F) == set()
    assert environment.evaluate('verifier_numero_acte("DEL_1") is None', data) is True


# --- territory and deliberations ----------------------------------------------------------------


def test_territory_names_and_refusals():
    assert F["nommer_territoire"]("972") == "Martinique"
    assert F["nommer_territoire"]("FR") == "France métropolitaine"
    with pytest.raises(DomainError, match="Territoire inconnu"):
        F["nommer_territoire"]("999")
    with pytest.raises(DomainError, match="Territoire non renseigné"):
        F["nommer_territoire"](None)


@pytest.mark.parametrize("population, urgence, days", [(3499, False, 3), (3500, False, 5), (99000, True, 1)])
def test_convocation_delay_in_jours_francs(population, urgence, days):
    assert F["calculer_delai_convocation"](population, urgence) == days
    assert F["exiger_note_de_synthese"](population) is (population >= 3500)


def test_convocation_check_counts_jours_francs_and_asks_for_the_note():
    check = F["verifier_convocation"]
    assert check("2027-03-18", "2027-03-24", 99000, False, True) is None      # 19..23: 5 jours francs
    late = check("2027-03-19", "2027-03-24", 99000, False, True)
    assert "4 jour(s) franc(s) ; il en faut au moins 5" in late
    assert "Séance possible au plus tôt le 25 mars 2027" in late
    assert check("2027-03-22", "2027-03-24", 99000, True, True) is None        # urgency: one day
    assert check("2027-03-18", "2027-03-24", 1200, False, False) is None      # no note under 3,500
    assert "Note explicative de synthèse manquante" in check("2027-03-18", "2027-03-24", 99000, False, False)
    assert "Date invalide" in str(pytest.raises(DomainError, check, "24/03/2027", "2027-03-24", 10).value)


def test_quorum_counts_members_present_only():
    quorum = json_round_trip(F["calculer_quorum"](53, 20, 8, 25))
    assert (quorum["requis"], quorum["atteint"], quorum["votants"]) == (27, False, 28)
    assert "Les procurations ne comptent pas" in quorum["message"]
    assert F["calculer_quorum"](53, 27, 0)["atteint"] is True
    assert F["calculer_quorum"](53, 10, 5, 38, True)["atteint"] is True          # reconvened sitting
    with pytest.raises(DomainError, match="20 absent\\(s\\) déclaré\\(s\\)"):
        F["calculer_quorum"](53, 30, 10, 20)


def test_reconvocation_needs_three_jours_francs():
    check = F["verifier_reconvocation"]
    assert check("2027-03-25", "2027-03-26", "2027-03-30") is None
    assert "séance possible au plus tôt le 30 mars 2027" in check("2027-03-25", "2027-03-26", "2027-03-29")
    assert "précède la séance" in check("2027-03-25", "2027-03-24", "2027-03-30")


@pytest.mark.parametrize("pour, contre, mode, president, adopted, casting", [
    (20, 10, "public", "contre", True, False),
    (15, 15, "public", "pour", True, True),
    (15, 15, "appel_nominal", "contre", False, True),
    (15, 15, "public", "abstention", False, True),
    (15, 15, "secret", None, False, False),
    (0, 0, "public", "pour", False, False),
])
def test_vote_majority_of_votes_cast_and_the_presidents_casting_vote(pour, contre, mode, president, adopted, casting):
    result = json_round_trip(F["compter_voix"](pour, contre, 4, mode, president, 40))
    assert (result["adoptee"], result["voix_preponderante"]) == (adopted, casting)
    assert result["suffrages_exprimes"] == pour + contre


def test_vote_refusals():
    with pytest.raises(DomainError, match="45 votes pour 40 votants"):
        F["compter_voix"](30, 10, 5, "public", "pour", 40)
    with pytest.raises(DomainError, match="indiquez le vote du président"):
        F["compter_voix"](15, 15, 0, "public", None)
    with pytest.raises(DomainError, match="Mode de scrutin inconnu"):
        F["compter_voix"](15, 10, 0, "à main levée", "pour")


def test_quorum_does_not_count_members_who_withdrew():
    quorum = json_round_trip(F["calculer_quorum"](53, 30, 10, 13, False, 4))
    assert (quorum["requis"], quorum["presents_comptes"], quorum["atteint"]) == (27, 26, False)
    assert F["calculer_quorum"](53, 30, 10, 13, False, 3)["atteint"] is True
    assert F["calculer_quorum"](53, 30, 10, 13, True, 10)["atteint"] is True    # reconvened sitting
    with pytest.raises(DomainError, match="31 membres retirés pour 30 présents"):
        F["calculer_quorum"](53, 30, 10, 13, False, 31)


PRESENT = [{"nom": "Patricia Athanase PALMONT"}, {"nom": "Bruno Nestor AZÉROT"}, {"nom": "Kristelle RISAL"}]


def test_proxies_one_per_present_holder_matched_by_name_whatever_the_spelling():
    check = F["verifier_procurations"]
    regular = [{"mandant": "Sarah ANGAMA", "mandataire": "Bruno Nestor AZEROT"},
               {"mandant": "Lucien SAINT-JEAN-THÉRÈSE", "mandataire": "Patricia PALMONT"}]
    assert check(regular, PRESENT, 2) is None
    twice = regular + [{"mandant": "Sylvie PALCY", "mandataire": "patricia athanase palmont"}]
    assert "Patricia Athanase PALMONT détient 2 procurations" in check(twice, PRESENT, 3)
    absent = [{"mandant": "Sylvie PALCY", "mandataire": "Jonathan TABAR"}]
    assert "Le mandataire Jonathan TABAR n'est pas présent" in check(absent, PRESENT, 1)
    assert "Kristelle RISAL est présent(e)" in check(
        [{"mandant": "Kristelle RISAL", "mandataire": "Bruno Nestor AZÉROT"}], PRESENT, 1)
    assert "2 procuration(s) inscrite(s) à l'extrait pour 3 membre(s) représenté(s)" in check(regular, PRESENT, 3)
    assert check([], ["Kristelle RISAL"], 0) is None


def test_a_proxy_covers_three_consecutive_sittings_unless_illness():
    check = F["verifier_procurations"]
    third = [{"mandant": "Sylvie PALCY", "mandataire": "Kristelle RISAL", "seances_consecutives": 3}]
    assert check(third, PRESENT, 1) is None
    fourth = [{"mandant": "Sylvie PALCY", "mandataire": "Kristelle RISAL", "seances_consecutives": 4}]
    assert "couvre 4 séances consécutives" in check(fourth, PRESENT, 1)
    assert check([{**fourth[0], "maladie": True}], PRESENT, 1) is None
    with pytest.raises(DomainError, match="au moins une séance"):
        check([{**fourth[0], "seances_consecutives": 0}], PRESENT, 1)


@pytest.mark.parametrize("presents, appel_nominal, secret, nomination, mode", [
    (30, 0, 0, False, "public"),
    (30, 7, 0, False, "public"),
    (30, 8, 0, False, "appel_nominal"),         # a quarter of 30 present: 7.5
    (30, 0, 9, False, "public"),
    (30, 0, 10, False, "secret"),               # a third of 30 present
    (30, 12, 10, False, "secret"),              # both asked: the secret ballot wins
    (30, 0, 0, True, "secret"),                 # an appointment
])
def test_vote_mode_decided_by_the_domain(presents, appel_nominal, secret, nomination, mode):
    assert F["determiner_mode_scrutin"](presents, appel_nominal, secret, nomination) == mode
    assert F["verifier_mode_scrutin"](mode, presents, appel_nominal, secret, nomination) is None


def test_a_vote_mode_contrary_to_the_requests_is_refused():
    check = F["verifier_mode_scrutin"]
    secret = check("public", 30, 0, 10, False)
    assert "10 membre(s) sur 30 présent(s) demandent le scrutin secret" in secret
    assert "doit avoir lieu au scrutin secret" in secret
    assert "il s'agit d'une nomination" in check("appel_nominal", 30, 0, 0, True)
    assert "demandent l'appel nominal" in check("public", 28, 7, 0, False)
    assert "doit avoir lieu par vote à main levée" in check("secret", 30, 0, 0, False)
    with pytest.raises(DomainError, match="31 demandes pour 30 membres présents"):
        check("public", 30, 0, 31, False)
    with pytest.raises(DomainError, match="Mode de scrutin inconnu"):
        check("à bulletin secret", 30)


# --- acts -------------------------------------------------------------------------------------


def test_act_number_checked_with_a_suggestion():
    assert F["verifier_numero_acte"]("DEL2027_027") is None
    assert "Proposition : « CC_04_2023_095 »" in F["verifier_numero_acte"]("CC-04-2023-095")
    assert "refusé par @ctes" in F["verifier_numero_acte"]("DELIBERATION_2027_0027")
    assert "manquant" in F["verifier_numero_acte"](None)


def test_executory_once_published_and_received_in_either_order():
    assert F["calculer_date_executoire"]("2027-03-30", "2027-03-31") == "2027-03-31"
    assert F["calculer_date_executoire"]("2027-04-02", "2027-03-31") == "2027-04-02"
    assert F["calculer_date_executoire"]("2027-04-02", None) is None
    assert F["calculer_date_executoire"](None, "2027-03-31") is None


def test_appeal_deadline_follows_the_territory_calendar():
    # Published 21 March 2028: two months end on Monday 22 May, a public holiday in Martinique only.
    assert F["calculer_fin_delai_recours"]("2028-03-21", "2028-03-21", "972") == "2028-05-23"
    assert F["calculer_fin_delai_recours"]("2028-03-21", "2028-03-21", "FR") == "2028-05-22"
    # The préfet's period runs from receipt: the later end wins.
    assert F["calculer_fin_delai_recours"]("2028-03-21", "2028-03-28", "FR") == "2028-05-29"
    with pytest.raises(DomainError, match="Territoire inconnu"):
        F["calculer_fin_delai_recours"]("2028-03-21", "2028-03-21", "Martinique")


# --- procurement ------------------------------------------------------------------------------


def test_order_estimate_shows_the_fee_assumption():
    estimate = json_round_trip(F["estimer_commande"](200000, 4))
    assert (estimate["valeur_faciale"], estimate["frais"], estimate["valeur_estimee"]) == (200000, 8000, 208000)
    assert "Hypothèse à confirmer par l'acheteur" in estimate["hypothese"]
    assert F["estimer_commande"](1000.5, 4.5)["valeur_estimee"] == 1045.52
    with pytest.raises(DomainError, match="Nombre invalide"):
        F["estimer_commande"](True, 4)


BOUNDARIES = [
    # (launch date, value just under, value at) for every threshold of the dated table
    ("2024-06-01", "39999.99", "40000"), ("2024-06-01", "89999.99", "90000"), ("2024-06-01", "220999.99", "221000"),
    ("2026-03-31", "39999.99", "40000"), ("2026-03-31", "215999.99", "216000"),
    ("2026-04-01", "59999.99", "60000"), ("2026-04-01", "89999.99", "90000"), ("2027-12-31", "215999.99", "216000"),
]


@pytest.mark.parametrize("launched, under, at", BOUNDARIES)
def test_procedure_is_the_domains_at_every_threshold(launched, under, at):
    for value in (under, at):
        expected = choose_procedure(value, PurchaseKind.SUPPLIES_SERVICES, BuyerKind.LOCAL_AUTHORITY,
                                    date.fromisoformat(launched))
        chosen = json_round_trip(F["choisir_procedure"](float(value), launched))
        assert (chosen["procedure"], chosen["publicite"]) == (expected.procedure.value, expected.publicity.value)
    assert F["choisir_procedure"](float(under), launched) != F["choisir_procedure"](float(at), launched)


def test_procedure_thresholds_and_obligations():
    chosen = F["choisir_procedure"](260000, "2027-05-04")
    assert (chosen["procedure"], chosen["seuil_dispense_ht"], chosen["seuil_europeen_ht"]) == ("appel_offres", 60000, 216000)
    assert chosen["standstill_obligatoire"] and chosen["avis_attribution_obligatoire"]
    assert any("Non confirmé" in warning for warning in chosen["avertissements"])


@pytest.mark.parametrize("launched, reason", [
    ("2019-06-01", "la table des seuils ne couvre pas cette date"),
    ("2028-01-01", "révisés tous les deux ans"),
])
def test_procedure_to_qualify_when_the_table_does_not_cover_the_launch(launched, reason):
    chosen = F["choisir_procedure"](100000, launched)
    assert chosen["procedure"] == "a_qualifier" and chosen["publicite"] is None
    assert reason in chosen["explication"]
    assert F["choisir_procedure"](100000, "2027-12-31")["procedure"] == "mapa"


@pytest.mark.parametrize("electronique, motif, days", [
    (True, "aucun", 30), (False, "aucun", 35), (True, "urgence", 15), (False, "avis_preinformation", 15)])
def test_open_tender_bid_deadline(electronique, motif, days):
    earliest = date(2027, 5, 4) + timedelta(days=days)
    assert F["calculer_date_limite_offres"]("2027-05-04", electronique, motif) == earliest.isoformat()
    check = F["verifier_date_limite_offres"]
    assert check("2027-05-04", earliest.isoformat(), electronique, motif) is None
    too_soon = check("2027-05-04", (earliest - timedelta(days=1)).isoformat(), electronique, motif)
    assert f"au moins {days} jours" in too_soon
    with pytest.raises(DomainError, match="Motif de réduction du délai inconnu"):
        check("2027-05-04", "2027-06-30", True, "avis")


def test_standstill_and_award_notice():
    assert F["calculer_date_signature_possible"]("2027-06-15", True) == "2027-06-26"
    assert F["calculer_date_signature_possible"]("2027-12-28", False) == "2028-01-13"
    assert F["calculer_date_limite_avis_attribution"]("2027-07-02") == "2027-08-01"


# --- passes and distribution --------------------------------------------------------------------


def test_expiry_alert_dates():
    assert F["calculer_dates_alerte_expiration"]("2027-12-31", [30, 15]) == {"j30": "2027-12-01", "j15": "2027-12-16"}


def stock(carnets_de_10, carnets_de_5=0):
    return [{"cheques_par_carnet": 10, "nombre_carnets": carnets_de_10},
            {"cheques_par_carnet": 5, "nombre_carnets": carnets_de_5}]


# --- ANCT convention and evaluation ---------------------------------------------------------------


def test_anct_convention_terms_of_the_2020_call():
    check = F["verifier_convention_anct"]
    assert check(20000, 50, 50) is None
    refused = check(19999.99, 50.5, 49)
    assert "inférieur au minimum de 20\u202f000,00\u00a0€" in refused
    assert "au plus 50\u00a0% des passes utilisés" in refused
    assert "au moins 50\u00a0% des passes" in refused


def test_indicators_from_the_ledger_s_figures():
    # A2 (senior) received from both prescribers: counted once per public, once per prescriber.
    bilans = {"passes_remis": 80, "passes_remis_pic": 60, "passes_remis_par_format": {"10": 80},
              "passes_remis_par_public": {"pic": 60, "senior": 20}, "beneficiaires_par_public": {"pic": 2, "senior": 1},
              "prescripteurs": {"CCAS": {"beneficiaires": 2, "passes_remis": 40},
                                "France Travail": {"beneficiaires": 2, "passes_remis": 40}}}
    encaissements = [{"lieu": "Médiathèque", "passes_encaisses": 50}, {"lieu": "EPN", "passes_encaisses": 10}]
    result = json_round_trip(F["calculer_indicateurs"](bilans, encaissements, stock(2000), 10, 50, 50))
    assert (result["passes_achetes"], result["passes_remis"], result["passes_encaisses"]) == (20000, 80, 60)
    assert (result["taux_distribution_pct"], result["taux_utilisation_pct"]) == (0.4, 75)
    assert (result["part_public_pic_pct"], result["objectif_public_pic_atteint"]) == (75, True)
    assert result["beneficiaires_par_public"] == {"pic": 2, "senior": 1}
    assert result["beneficiaires_par_prescripteur"] == {"CCAS": 2, "France Travail": 2}
    assert result["passes_encaisses_par_lieu"] == {"Médiathèque": 50, "EPN": 10}
    assert (result["part_etat_due"], result["passes_non_utilises"], result["avoir_attendu"]) == (300, 19940, 199400)
    assert result["erreur_achat_minimal"] is None


def test_indicators_before_any_handout_and_with_the_conventions_own_terms():
    result = F["calculer_indicateurs"](None, [], stock(100), 10, 40, 60)
    assert result["taux_distribution_pct"] == 0 and result["taux_utilisation_pct"] is None
    assert result["objectif_public_pic_atteint"] is False and "ne peut pas être mesurée" in result["constat_public_pic"]
    assert "inférieur au minimum" in result["erreur_achat_minimal"]
    assert F["calculer_indicateurs"](None, [{"lieu": "EPN", "passes_encaisses": 10}], stock(100), 10, 40, 60)["part_etat_due"] == 40
