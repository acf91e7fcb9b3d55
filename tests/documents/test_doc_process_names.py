"""Builders read the variables of the processes of bpmn/: names mapped, what the domain
computed taken as is, and the step's data checked against what the process counted."""

import copy
from datetime import date
from decimal import Decimal

import pytest

from workflows.documents import InvalidData, MissingData, TemplateRegistry
from workflows.documents.examples import ABSENTS, EXTRAIT_DELIBERATION, PRESENTS, REPRESENTES

SITTING = {  # what the deliberation process holds when the extract is established
    "collectivite": "Communauté d'agglomération du Pays Nord Martinique (CAP Nord)",
    "instance_deliberante": "conseil_communautaire", "numero_deliberation": "CC-03-2027-027",
    "objet_deliberation": "Validation de la stratégie de déploiement des Pass numériques",
    "date_envoi_convocation": "2027-03-18", "date_seance": "2027-03-25", "heure_seance": "17:00",
    "lieu_seance": "Le Marigot", "membres_en_exercice": 53, "presents": 28, "procurations": 10,
    "absents": 15, "president_seance": "Bruno Nestor AZÉROT", "secretaire_seance": "Patricia PALMONT",
    "visas": [{"texte": text} for text in EXTRAIT_DELIBERATION["visas"]],
    "considerants": [{"texte": text} for text in EXTRAIT_DELIBERATION["considerants"]],
    "articles": [{"texte": text} for text in EXTRAIT_DELIBERATION["articles"]],
    "quorum": {"requis": 27, "atteint": True, "votants": 38}, "quorum_requis": 27,
    "quorum_atteint": True, "seance_sur_reconvocation": False, "pour": 36, "contre": 0,
    "abstentions": 0, "resultat_vote": {"adoptee": True}, "deliberation_adoptee": True,
    "voix_preponderante": False, "liste_presents": [{"nom": name} for name in PRESENTS],
    "liste_representes": REPRESENTES, "liste_absents": [{"nom": name} for name in ABSENTS],
}


def build(name, data, **changes):
    data = {**copy.deepcopy(data), **changes}
    return TemplateRegistry().get(name).build_context(data)


def test_the_extract_reads_the_sitting_as_the_process_recorded_it():
    context = build("extrait_deliberation", SITTING)
    assert (context["organe"], context["numero"], context["heure_seance"]) == (
        "Conseil communautaire", "CC-03-2027-027", "17 h 00")
    assert (context["president"], context["secretaire"]) == ("Bruno Nestor AZÉROT", "Patricia PALMONT")
    assert (context["nb_presents"], context["nb_representes"], context["nb_absents"]) == (28, 10, 15)
    assert context["visas"][0] == "le Code général des collectivités territoriales"
    # two members present did not vote: 38 voters (domain) for 36 votes recorded
    assert context["vote"]["non_votants"] == 2
    assert context["mode_adoption"] == "À l'unanimité des suffrages exprimés"


def test_the_names_must_match_the_counts_of_the_sitting():
    with pytest.raises(InvalidData, match=r"membres présents compte 27 nom\(s\) ; la séance en a constaté 28"):
        build("extrait_deliberation", SITTING, liste_presents=SITTING["liste_presents"][:27])
    with pytest.raises(InvalidData, match=r"membres absents compte 0 nom\(s\) ; la séance en a constaté 15"):
        build("extrait_deliberation", {k: v for k, v in SITTING.items() if k != "liste_absents"})
    with pytest.raises(MissingData) as missing:
        build("extrait_deliberation", {k: v for k, v in SITTING.items() if k != "liste_presents"})
    assert missing.value.missing == ["presents"]


def test_the_result_the_process_computed_decides():
    with pytest.raises(InvalidData, match="n'est pas adoptée"):
        build("extrait_deliberation", SITTING, deliberation_adoptee=False)
    with pytest.raises(InvalidData, match="Quorum non atteint"):
        build("extrait_deliberation", SITTING, quorum_atteint=False)


def test_a_sitting_on_reconvocation_is_dated_by_the_new_convocation():
    context = build("extrait_deliberation", SITTING, seance_sur_reconvocation=True,
                    date_envoi_reconvocation="2027-03-26", date_seance_reconvocation="2027-03-30")
    assert (context["date_seance"], context["date_convocation"]) == (date(2027, 3, 30), date(2027, 3, 26))
    assert context["reconvocation_sans_quorum"] is True and context["heure_seance"] == ""


OFFERS = {
    "collectivite": "CAP Nord", "collectivite_adresse": "Quartier Bois-Lézard, 97225 Le Marigot",
    "reference_marche": "2027-FCS-017", "objet_marche": "Fourniture de Pass numériques",
    "procedure": "appel_offres", "titulaire": "Solidarité Numérique Émission SAS",
    "montant_marche_ht": 258750, "date_envoi_lettres_rejet": "2027-06-15",
    "lettres_rejet_electroniques": False, "motifs_rejet": "offre classée deuxième",
    "offres": [{"candidat": "Solidarité Numérique Émission SAS", "adresse": "33300 Bordeaux"},
               {"candidat": "Chèques & Services Caraïbes SARL", "adresse": "97200 Fort-de-France"}],
    "choix_procedure": {"standstill_obligatoire": True},
}


def test_the_rejection_letter_goes_to_the_evicted_offer_with_the_domain_standstill():
    context = build("lettre_rejet", OFFERS)
    assert context["candidat"] == {"nom": "Chèques & Services Caraïbes SARL", "adresse": "97200 Fort-de-France"}
    assert (context["procedure"], context["attributaire"]) == ("appel d'offres ouvert",
                                                              "Solidarité Numérique Émission SAS")
    assert (context["delai_standstill_jours"], context["date_fin_standstill"]) == (16, date(2027, 7, 1))
    computed = build("lettre_rejet", OFFERS, date_signature_possible="2027-07-02")
    assert computed["date_fin_standstill"] == date(2027, 7, 2)
    third = OFFERS["offres"] + [{"candidat": "Pass Outre-mer SAS", "adresse": "97400 Saint-Denis"}]
    with pytest.raises(InvalidData, match="2 candidats évincés"):
        build("lettre_rejet", OFFERS, offres=third)


def test_a_mandate_entrusts_the_drafted_booklets_never_the_order():
    census = {"nom": "CCAS du Lorrain", "type": "prescripteur", "adresse": "97214 Le Lorrain",
              "representant": "Josiane ALPHONSE", "qualite_representant": "Vice-présidente du CCAS"}
    data = {"collectivite": "CAP Nord", "collectivite_adresse": "97225 Le Marigot",
            "president": "Bruno Nestor AZÉROT", "numero_deliberation": "CC-03-2027-027",
            "date_seance": "2027-03-25", "duree_convention_partenaire_mois": 12, "partenaire": census,
            "nombre_carnets": 2000, "cheques_par_carnet": 10, "frequence_compte_rendu": "mensuel",
            "publics_vises": ["senior"]}
    with pytest.raises(MissingData, match="nombre_carnets"):
        build("convention_mandat", data)
    context = build("convention_mandat", data, nombre_carnets_prevus=600)
    assert (context["nombre_carnets"], context["valeur_totale"]) == (600, Decimal(60000))
    assert context["mandataire"]["fonction"] == "Vice-présidente du CCAS"
    assert context["publics"] == ["Seniors (60 ans et plus)"]
    two_formats = dict(data, formats_confies=[{"cheques_par_carnet": 5, "nombre_carnets": 600},
                                              {"cheques_par_carnet": 10, "nombre_carnets": 200}])
    context = build("convention_mandat", two_formats)
    assert (context["nombre_carnets"], context["nombre_pass"]) == (800, 5000)
    from documents.conftest import docx_text
    from workflows.documents import render_document
    text = docx_text(render_document("convention_mandat", two_formats).content)
    assert "confie au Mandataire 600 carnets de 5 pass et 200 carnets de 10 pass, chaque pass" in text


def test_a_beneficiary_letter_states_one_number_of_passes():
    handouts = [{"public": "pic", "nombre_carnets": 3}, {"public": "senior", "nombre_carnets": 1}]
    data = {"collectivite": "CAP Nord", "dotation": {"prescripteur": "CCAS du Lorrain"},
            "remises": handouts, "cheques_par_carnet": 10, "date_fin_validite": "2027-12-31",
            "lieux_mediation": [], "partenaires": []}
    with pytest.raises(InvalidData, match=r"nombres de carnets différents \(1, 3\)"):
        build("lettre_beneficiaire", data)


def test_the_evaluation_tables_add_up_to_what_the_process_counted():
    # The indicators the process computed from the campaign's ledger figures.
    data = {"collectivite": "CAP Nord", "periode_debut": "2027-08-24", "periode_fin": "2028-01-31",
            "cheques_par_carnet": 10,
            "indicateurs": {"passes_achetes": 100, "passes_remis": 10, "passes_encaisses": 6,
                            "passes_remis_par_prescripteur": {"CCAS du Lorrain": 10},
                            "passes_remis_par_public": {"senior": 10},
                            "beneficiaires_par_public": {"senior": 1},
                            "beneficiaires_par_prescripteur": {"CCAS du Lorrain": 1},
                            "taux_utilisation_pct": 60, "part_etat_due": 30},
            "pass_utilises_par_prescripteur": [{"prescripteur": "CCAS du Lorrain", "pass_utilises": 6}],
            "pass_utilises_par_public": [{"public": "senior", "pass_utilises": 6}]}
    context = build("rapport_evaluation", data)
    assert context["par_public"][0]["public"] == "Seniors (60 ans et plus)"
    assert (context["taux_utilisation"], context["participation_etat_due"]) == (Decimal(60), Decimal(30))
    used = [{"prescripteur": "CCAS du Lorrain", "pass_utilises": 5}]
    with pytest.raises(InvalidData, match="le processus a compté 6 pass encaissés"):
        build("rapport_evaluation", data, pass_utilises_par_prescripteur=used,
              pass_utilises_par_public=[{"public": "senior", "pass_utilises": 5}])


BUYER = {key: OFFERS[key] for key in ("collectivite", "collectivite_adresse", "reference_marche", "objet_marche")
         if key in OFFERS}


def test_the_specifications_and_the_order_list_one_line_per_booklet_format():
    formats = [{"cheques_par_carnet": 10, "nombre_carnets": 2000}, {"cheques_par_carnet": 5, "nombre_carnets": 300}]
    specifications = build("cahier_des_charges", BUYER, formats=formats, lieu_livraison="Siège")
    assert [(line["pass_par_carnet"], line["nombre_carnets"]) for line in specifications["carnets"]] == [
        (10, 2000), (5, 300)]
    assert specifications["nombre_pass"] == 21500
    order = build("bon_de_commande", BUYER, formats_commandes=formats,
                  numero_bon_commande="BC-1", date_bon_commande="2027-07-10", titulaire="APTIC",
                  adresse_titulaire="Bordeaux", frais_emetteur_commande_ht=860, lieu_livraison="Siège")
    assert [(line["designation"][:12], line["quantite"], line["prix_unitaire_ht"]) for line in order["lignes"]] == [
        ("Carnets de 1", 2000, 100), ("Carnets de 5", 300, 50), ("Frais de ges", 1, 860)]


@pytest.mark.parametrize("proof_days", [6, None])
def test_the_order_counts_the_delivery_from_the_approved_proof(proof_days):
    from documents.conftest import docx_text
    from workflows.documents import render_document
    data = dict(BUYER, formats_commandes=[{"cheques_par_carnet": 10, "nombre_carnets": 20}],
                numero_bon_commande="BC-1", date_bon_commande="2027-07-10", titulaire="APTIC",
                adresse_titulaire="Bordeaux", lieu_livraison="Siège", delai_livraison_jours=14)
    if proof_days:
        data["delai_bat_jours"] = proof_days
    text = docx_text(render_document("bon_de_commande", data).content)
    assert "dans un délai de 14 jours à compter de la validation du bon à tirer" in text
    assert ("valide dans un délai de 6 jours" in text) is bool(proof_days)
