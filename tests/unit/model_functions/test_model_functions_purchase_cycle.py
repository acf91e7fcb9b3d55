"""The purchase's formats and the issuer's cycle as BPMN scripts see them: plain JSON in and
out, the domain's answers (procurement.py and the dated issuer cycles)."""
import json
from datetime import date

import pytest

from workflows.domain.errors import DomainError
from workflows.domain.procurement import is_overseas, issuer_cycle
from workflows.engine.sandbox import RestrictedEnvironment
from workflows.model_functions import order, procurement
from workflows.model_functions.registry import SCRIPT_FUNCTIONS

F = SCRIPT_FUNCTIONS
TWO_FORMATS = [{"cheques_par_carnet": 10, "nombre_carnets": 150}, {"cheques_par_carnet": 5, "nombre_carnets": 100}]


def json_round_trip(value):
    assert json.loads(json.dumps(value)) == value
    return value


def test_every_procurement_function_is_registered_under_its_own_name():
    for function in procurement.VERBS + order.VERBS:
        assert F[function.__name__] is function


# --- formats ---------------------------------------------------------------------------------


def test_an_order_of_two_formats_totals_its_booklets_and_passes():
    answer = json_round_trip(F["compter_formats"](TWO_FORMATS))
    assert answer["nombre_carnets"] == sum(row["nombre_carnets"] for row in TWO_FORMATS)
    assert answer["nombre_pass"] == sum(row["nombre_carnets"] * row["cheques_par_carnet"] for row in TWO_FORMATS)
    assert answer["formats"] == sorted(TWO_FORMATS, key=lambda row: row["cheques_par_carnet"])


def test_the_delivery_is_compared_to_the_order_format_by_format():
    assert F["verifier_livraison"](TWO_FORMATS, list(reversed(TWO_FORMATS))) is None
    short = [{"cheques_par_carnet": 10, "nombre_carnets": 150}, {"cheques_par_carnet": 5, "nombre_carnets": 90}]
    assert F["verifier_livraison"](TWO_FORMATS, short) == \
        "Livraison différente de la commande : carnets de 5 chèques : 90 livré(s) pour 100 commandé(s)."
    wrong_size = [{"cheques_par_carnet": 5, "nombre_carnets": 300}]
    message = F["verifier_livraison"]([{"cheques_par_carnet": 10, "nombre_carnets": 300}], wrong_size)
    assert "carnets de 5 chèques : 300 livré(s) pour 0 commandé(s)" in message
    assert "carnets de 10 chèques : 0 livré(s) pour 300 commandé(s)" in message


@pytest.mark.parametrize("function, args, message", [
    ("compter_formats", ([{"cheques_par_carnet": 20, "nombre_carnets": 1}],), "format de carnet 20"),
    ("compter_formats", ([],), "Formats de carnets de la commande absents"),
    ("verifier_livraison", (TWO_FORMATS, [{"cheques_par_carnet": 10, "nombre_carnets": -1}]),
     "Formats de carnets de la livraison"),
])
def test_bad_formats_are_refused(function, args, message):
    with pytest.raises(DomainError, match=message):
        F[function](*args)


# --- the issuer's cycle ------------------------------------------------------------------------


@pytest.mark.parametrize("territoire", ["972", "974", "FR", "57"])
def test_the_delays_proposed_follow_the_issuer_cycle_and_the_territory(territoire):
    answer = json_round_trip(F["determiner_delais_emetteur"](territoire, "2027-05-04"))
    cycle = issuer_cycle(None, date(2027, 5, 4))
    assert answer["outre_mer"] is is_overseas(territoire)
    assert answer["delai_bat_jours"] == cycle.proof_approval_days
    assert answer["delai_livraison_jours"] == cycle.delivery_days_for(is_overseas(territoire))
    assert answer["avertissement"] == cycle.caveat and answer["source"] == cycle.source
    assert "Les délais du contrat prévalent" in answer["explication"]


def test_martinique_gets_the_overseas_delay_and_the_mainland_the_other():
    overseas = F["determiner_delais_emetteur"]("972", "2027-05-04", "Solidarité Numérique Émission SAS")
    mainland = F["determiner_delais_emetteur"]("FR", "2027-05-04", "APTIC")
    assert (overseas["delai_livraison_jours"], mainland["delai_livraison_jours"]) == (14, 7)
    assert "en outre-mer (Martinique)" in overseas["explication"]
    assert "cycle de référence" in overseas["explication"]
    assert "cycle connu de l'émetteur APTIC" in mainland["explication"]


def test_a_missing_territory_is_refused_in_french():
    with pytest.raises(DomainError, match="Territoire non renseigné"):
        F["determiner_delais_emetteur"](None, "2027-05-04")


def test_deadlines_as_iso_dates():
    assert F["calculer_date_limite_bat"]("2027-07-10", 6) == "2027-07-16"
    assert F["calculer_date_limite_livraison"]("2027-07-10", "2027-07-19", 14) == "2027-08-02"
    with pytest.raises(DomainError, match="avant le bon de commande du 10 juillet 2027"):
        F["calculer_date_limite_livraison"]("2027-07-10", "2027-07-01", 14)
    with pytest.raises(DomainError, match="Date invalide"):
        F["calculer_date_limite_bat"]("10/07/2027", 6)


def test_the_late_signal_names_the_step_the_issuer_and_the_deadline():
    message = F["determiner_retard_emetteur"]("livraison", "2027-08-02", "Solidarité Numérique Émission SAS")
    assert message.startswith("Carnets non livrés par Solidarité Numérique Émission SAS")
    assert "échu le 2 août 2027" in message
    assert F["determiner_retard_emetteur"]("bat", "2027-07-16").startswith("Bon à tirer non validé à l'issue")
    with pytest.raises(DomainError, match="Étape du cycle de l'émetteur inconnue : 'paiement'"):
        F["determiner_retard_emetteur"]("paiement", "2027-07-16")


def test_activation_gives_the_dates_the_distribution_reads():
    answer = json_round_trip(F["calculer_validite_pass"]("2027-08-06", "2027-08-05", "Émetteur X"))
    valid_until, accepted_until = issuer_cycle("Émetteur X", date(2027, 8, 6)).validity(2027)
    assert (answer["date_fin_validite"], answer["date_limite_acceptation"]) == \
        (valid_until.isoformat(), accepted_until.isoformat()) == ("2027-12-31", "2028-01-31")
    # What the distribution's calculer_dates_alerte does with it.
    assert answer["jours_alerte_expiration"] == [30, 15]
    assert F["calculer_dates_alerte_expiration"](answer["date_fin_validite"], answer["jours_alerte_expiration"]) == \
        {"j30": "2027-12-01", "j15": "2027-12-16"}
    with pytest.raises(DomainError, match="avant le mandatement du 5 août 2027"):
        F["calculer_validite_pass"]("2027-08-04", "2027-08-05")


def test_the_model_scripts_run_in_the_sandbox():
    environment = RestrictedEnvironment(dict(F))
    context = {"formats": TWO_FORMATS, "territoire": "972", "date_lancement": "2027-05-04",
               "formats_livres": TWO_FORMATS}
    environment.execute(
        'commande_formats = compter_formats(formats)\n'
        'nombre_pass = commande_formats["nombre_pass"]\n'
        'delais_emetteur = determiner_delais_emetteur(territoire, date_lancement)', context)
    assert context["nombre_pass"] == 2000
    assert context["delais_emetteur"]["delai_livraison_jours"] == 14


# --- what the buyer records, checked against the procedure ----------------------------------

CONTRACT_FORMATS = [{"cheques_par_carnet": 10, "nombre_carnets": 2500}]


def test_errors_are_joined_into_one_message_or_none():
    assert F["fusionner_erreurs"]([None, None]) is None
    assert F["fusionner_erreurs"](["Premier motif.", None, "Second motif."]) == "Premier motif. Second motif."
    with pytest.raises(DomainError, match="Liste d'erreurs attendue"):
        F["fusionner_erreurs"]("motif")


def test_quotes_and_notices_may_not_precede_the_launch():
    assert F["verifier_date_apres_lancement"]("2026-04-01", "2026-04-01", "devis") is None
    assert F["verifier_date_apres_lancement"]("2026-03-02", "2026-04-01", "devis").startswith(
        "Devis retenu daté du 2 mars 2026, antérieur au lancement de la consultation du 1er avril 2026")
    assert "corrigez la date de lancement de l'estimation" in \
        F["verifier_date_apres_lancement"]("2026-03-02", "2026-04-01", "devis")
    notice = F["verifier_date_apres_lancement"]("2027-05-03", "2027-05-04", "avis")
    assert notice.startswith("Avis de marché envoyé le 3 mai 2027, antérieur au lancement")
    assert notice.endswith("saisissez sa date réelle d'envoi, au plus tôt le 4 mai 2027.")
    with pytest.raises(DomainError, match="Pièce inconnue"):
        F["verifier_date_apres_lancement"]("2027-05-03", "2027-05-04", "facture")
    with pytest.raises(DomainError, match="Date invalide"):
        F["verifier_date_apres_lancement"]("03/05/2027", "2027-05-04", "avis")


def test_the_weights_of_the_notice_total_100():
    assert F["verifier_ponderations"]([{"critere": "Prix", "ponderation": 60},
                                       {"critere": "Délais", "ponderation": 40}]) is None
    assert "totalisant 90\u00a0%" in F["verifier_ponderations"]([{"critere": "Prix", "ponderation": 90}])


def test_the_signature_waits_for_the_standstill_of_a_formal_procedure_only():
    assert F["verifier_signature_marche"]("2027-06-20") is None     # no rejection letters: no standstill
    assert F["verifier_signature_marche"]("2027-07-01", "2027-06-15", False) is None
    assert "qu'à partir du 1er juillet 2027" in F["verifier_signature_marche"]("2027-06-30", "2027-06-15", False)
    assert F["verifier_signature_marche"]("2027-06-26", "2027-06-15", True) is None      # 11 days
    assert F["verifier_signature_marche"]("2027-06-25", "2027-06-15", True) is not None


def test_the_transmission_deadline_of_a_contract_is_the_domains_dated_delay():
    from workflows.domain.acts import contract_transmission_delay, transmission_deadline
    answer = json_round_trip(F["calculer_echeance_transmission_marche"]("2027-07-02"))
    delay = contract_transmission_delay(date(2027, 7, 2))
    assert answer["date_limite"] == transmission_deadline(date(2027, 7, 2)).isoformat() == "2027-07-17"
    assert (answer["delai_jours"], answer["source"], answer["confirme"]) == (delay.value, delay.source, delay.confirmed)
    assert "au plus tard le 17 juillet 2027 : 15 jours après sa signature du 2 juillet 2027" in answer["consigne"]
    assert answer["alerte_retard"].startswith("Délai de transmission du marché au contrôle de légalité échu le "
                                              "17 juillet 2027")


def test_a_transmission_is_checked_then_recorded_with_its_days_late():
    assert F["verifier_transmission_marche"]("2027-07-02", "2027-07-20") is None
    assert "antérieure à la signature" in F["verifier_transmission_marche"]("2027-07-02", "2027-07-01")
    on_time = json_round_trip(F["calculer_transmission_marche"]("2027-07-02", "2027-07-17"))
    assert (on_time["dans_les_delais"], on_time["jours_de_retard"]) == (True, 0)
    late = F["calculer_transmission_marche"]("2027-07-02", "2027-07-20")
    assert (late["dans_les_delais"], late["jours_de_retard"], late["date_limite"]) == (False, 3, "2027-07-17")
    assert "avec 3 jour(s) de retard" in late["message"]


def test_notification_and_award_notice_dates():
    assert F["verifier_notification_marche"]("2027-07-05", "2027-07-05") is None
    assert "antérieure à la transmission" in F["verifier_notification_marche"]("2027-07-05", "2027-07-04")
    assert F["verifier_date_avis_attribution"]("2027-07-02", "2027-07-02") is None
    assert "avant la signature du marché" in F["verifier_date_avis_attribution"]("2027-07-02", "2027-07-01")


def test_the_order_is_valued_and_checked_against_the_estimate_and_the_contract():
    within = json_round_trip(F["verifier_bon_commande"](CONTRACT_FORMATS, CONTRACT_FORMATS, 10, 8750, 258750))
    assert within == {"nombre_pass": 25000, "montant_ht": 258750, "erreur": None}
    tenfold = [{"cheques_par_carnet": 10, "nombre_carnets": 25000}]
    beyond = F["verifier_bon_commande"](CONTRACT_FORMATS, tenfold, 10, 8750, 258750)
    assert beyond["montant_ht"] == 25000 * 10 * 10 + 8750
    assert "carnets de 10 chèques : 25\u202f000 commandé(s) pour 2\u202f500 estimé(s)" in beyond["erreur"]
    assert "supérieur au montant du marché de 258\u202f750,00\u00a0€ HT" in beyond["erreur"]
    dearer = F["verifier_bon_commande"](CONTRACT_FORMATS, CONTRACT_FORMATS, 10.5, 0, 258750)
    assert dearer["montant_ht"] == 262500 and "montant de la commande" in dearer["erreur"]
    unknown_amount = F["verifier_bon_commande"](CONTRACT_FORMATS, CONTRACT_FORMATS, 10, 99999, None)
    assert unknown_amount["erreur"] is None


def test_the_new_checks_run_in_the_sandbox_as_the_model_writes_them():
    environment = RestrictedEnvironment(dict(F))
    context = {"procedure": "mapa", "date_signature_marche": "2027-06-20"}
    environment.execute(
        'if procedure == "appel_offres":\n'
        '    erreur_signature_marche = verifier_signature_marche(date_signature_marche, date_envoi_lettres_rejet, '
        'lettres_rejet_electroniques)\n'
        'else:\n'
        '    erreur_signature_marche = None\n'
        'erreur_avis = fusionner_erreurs([verifier_date_apres_lancement("2027-05-03", "2027-05-04", "avis"), '
        'verifier_ponderations([{"critere": "Prix", "ponderation": 100}])])', context)
    assert context["erreur_signature_marche"] is None
    assert context["erreur_avis"].startswith("Avis de marché envoyé le 3 mai 2027")
