"""The distribution and evaluation functions as BPMN scripts see them: dotations per
booklet format as the ledger's figures give them, the PLIE public, the monthly payment of
the mediation places, and the indicators from the ledger's figures."""
import json

import pytest

from workflows.domain.allocation import pic_publics
from workflows.domain.errors import DomainError
from workflows.model_functions.registry import SCRIPT_FUNCTIONS as F

CONVENTIONS = ["CCAS du Lorrain", "France Travail Martinique Nord"]
STOCK = [{"cheques_par_carnet": 10, "nombre_carnets": 1500}, {"cheques_par_carnet": 5, "nombre_carnets": 500}]
MEDIATHEQUE, CYBER = "Médiathèque de Trinité", "Cyber-base du Lorrain"
# Passes handed out to beneficiaries according to the prescribers' reports: the ceiling of redemptions.
HANDED_OUT = 17_500


def dotation(prescripteur, carnets, taille):
    return {"prescripteur": prescripteur, "nombre_carnets": carnets, "cheques_par_carnet": taille}


def figures(**prescribers):
    """The ledger's figures a step is offered (services/ledger_process.py), for prescribers given
    as name=(size, entrusted, endowed, held, handed, beneficiaries, of them PIC)."""
    registre = {"campagne": 1, "recus": STOCK, "stock": [{"cheques_par_carnet": 5, "nombre_carnets": 100}],
                "prescripteurs": {}, "passes_remis": 0, "passes_remis_pic": 0, "passes_remis_par_format": {},
                "passes_remis_par_public": {}, "beneficiaires_par_public": {}, "passes_encaisses": 0}
    for name, lines in prescribers.items():
        one = registre["prescripteurs"].setdefault(name.replace("_", " "), {
            "executoire_le": "2027-11-02", "formats": {}, "beneficiaires": 0, "beneficiaires_pic": 0, "passes_remis": 0})
        for size, entrusted, endowed, held, handed, people, pic in lines:
            one["formats"][str(size)] = {"confies": entrusted, "dotes": endowed, "detenus": held, "remis": handed}
            one["passes_remis"] += handed * size
            one["beneficiaires"] += people
            one["beneficiaires_pic"] += pic
            registre["passes_remis"] += handed * size
    return registre


def plain(value):
    assert json.loads(json.dumps(value)) == value
    return value


# --- dotations per format -------------------------------------------------------------------


def test_the_dotations_are_those_the_ledger_recorded_per_prescriber_and_format():
    registre = figures(CCAS_du_Lorrain=[(5, 600, 400, 400, 0, 0, 0), (10, 20, 20, 20, 0, 0, 0)],
                       France_Travail_Martinique_Nord=[(10, 1000, 1000, 1000, 0, 0, 0)], CGSS=[(5, 10, 0, 0, 0, 0, 0)])
    assert plain(F["lister_dotations"](registre)) == [
        dotation("CCAS du Lorrain", 400, 5), dotation("CCAS du Lorrain", 20, 10),
        dotation("France Travail Martinique Nord", 1000, 10)]
    assert F["verifier_dotations"](registre, CONVENTIONS) is None
    assert F["verifier_dotations"](registre, ["CCAS du Lorrain"]) == (
        "France Travail Martinique Nord : doté(s) dans le registre sans convention de mandat signée dans ce "
        "processus : aucun carnet ne peut lui être remis.")
    assert "aucune dotation" in F["verifier_dotations"](figures(CGSS=[(5, 10, 0, 0, 0, 0, 0)]), CONVENTIONS)
    assert F["verifier_dotations"](None, CONVENTIONS).startswith("Aucune campagne du registre des carnets")
    assert F["lister_dotations"](None) == []


def test_a_dotation_must_name_a_format():
    with pytest.raises(DomainError, match="Dotation de CCAS du Lorrain : format de carnet None"):
        F["compter_par_format"]([{"prescripteur": "CCAS du Lorrain", "nombre_carnets": 3}])


def test_stock_left_and_booklets_per_format():
    dotations = [dotation("CCAS du Lorrain", 400, 5), dotation("France Travail Martinique Nord", 1000, 10),
                 dotation("CCAS du Lorrain", 20, 10)]
    assert plain(F["decrire_stock"](figures())) == [{"cheques_par_carnet": 5, "nombre_carnets": 100}]
    assert F["decrire_stock"](None) == []
    assert plain(F["compter_par_format"](dotations)) == [
        {"cheques_par_carnet": 5, "nombre_carnets": 400, "nombre_pass": 2000},
        {"cheques_par_carnet": 10, "nombre_carnets": 1020, "nombre_pass": 10200}]


# --- the PLIE public ---------------------------------------------------------------------


def test_plie_job_seekers_count_in_the_pic_public_as_the_allocation_rules_say():
    # The ledger's figures count them with the PIC public (tests/ledger/test_ledger_process.py).
    assert "plie_demandeur_emploi" in pic_publics()


# --- monthly payment of the mediation places ----------------------------------------------


def test_the_payment_calendar_runs_to_the_month_of_the_acceptance_end():
    calendar = plain(F["calculer_calendrier_paiements"]("2027-11-15", "2028-01-31"))
    assert calendar == [
        {"mois": "2027-11", "libelle": "novembre 2027", "date_paiement": "2027-12-01"},
        {"mois": "2027-12", "libelle": "décembre 2027", "date_paiement": "2028-01-01"},
        {"mois": "2028-01", "libelle": "janvier 2028", "date_paiement": "2028-02-01"}]
    assert F["determiner_mois_suivant"](calendar, calendar[0]) == calendar[1]
    assert F["determiner_mois_suivant"](calendar, calendar[2]) is None


def test_a_monthly_statement_then_its_payment():
    line = plain(F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-11", 12, 6, 10, [], [], HANDED_OUT))
    assert line == {"lieu": MEDIATHEQUE, "mois": "2027-11", "libelle": "novembre 2027", "passes": 12,
                    "ateliers": 6, "montant": 120, "numero_mandat_lieu": None, "date_mandatement_lieu": None}
    paid = plain(F["calculer_paiement_lieu"](line, "M2027-12001", "2027-12-08", []))
    assert paid == {**line, "numero_mandat_lieu": "M2027-12001", "date_mandatement_lieu": "2027-12-08"}
    with pytest.raises(DomainError, match="novembre 2027 ont déjà été payés \\(120,00\u00a0€, mandat M2027-12001"):
        F["calculer_paiement_lieu"](line, "M2027-12002", "2027-12-09", [paid])
    with pytest.raises(DomainError, match="se paient à partir du 1er décembre 2027"):
        F["calculer_paiement_lieu"](line, "M2027-11002", "2027-11-30", [])
    with pytest.raises(DomainError, match="ont déjà été payés"):
        F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-11", 3, 3, 10, [line], [paid], HANDED_OUT)


def test_a_statement_never_exceeds_the_passes_handed_out_to_beneficiaries():
    earlier = [{"lieu": CYBER, "mois": "2027-11", "passes": 17_000}]
    assert F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-12", 500, 0, 10, earlier, [], HANDED_OUT)["montant"] == 5000
    with pytest.raises(DomainError, match="au-delà des 17500 passes remis aux bénéficiaires selon le registre "
                                          "des carnets. Corrigez la déclaration du lieu."):
        F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-12", 501, 0, 10, earlier, [], HANDED_OUT)


def test_redemptions_and_payments_per_place_over_the_campaign():
    releves = [F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-11", 12, 6, 10, [], [], HANDED_OUT),
               F["calculer_releve_mensuel"](CYBER, "2027-11", 0, 0, 10, [], [], HANDED_OUT),
               F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-12", 8, 8, 10, [], [], HANDED_OUT)]
    paid = [F["calculer_paiement_lieu"](releves[0], "M1", "2027-12-08", [])]
    assert plain(F["calculer_encaissements_par_lieu"]([MEDIATHEQUE, CYBER], releves, paid)) == [
        {"lieu": MEDIATHEQUE, "passes_encaisses": 20, "ateliers": 14, "passes_payes": 12, "montant_paye": 120},
        {"lieu": CYBER, "passes_encaisses": 0, "ateliers": 0, "passes_payes": 0, "montant_paye": 0}]


# --- indicators per handout's format --------------------------------------------------------


def handed_figures():
    registre = figures(CCAS_du_Lorrain=[(5, 10, 1, 0, 1, 1, 0), (10, 10, 3, 0, 3, 1, 1)],
                       France_Travail_Martinique_Nord=[(10, 10, 3, 0, 3, 1, 1), (5, 10, 1, 0, 1, 1, 0)])
    registre.update(passes_remis_pic=60, passes_remis_par_format={"10": 60, "5": 10},
                    passes_remis_par_public={"pic": 30, "plie_demandeur_emploi": 30, "senior": 10},
                    beneficiaires_par_public={"pic": 1, "plie_demandeur_emploi": 1, "senior": 2})
    return registre


def test_indicators_come_from_the_ledger_s_figures_and_compare_payments():
    encaissements = [{"lieu": MEDIATHEQUE, "passes_encaisses": 20}]
    line = F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-11", 20, 20, 10, [], [], HANDED_OUT)
    paid = [F["calculer_paiement_lieu"](line, "M1", "2027-12-08", [])]
    result = plain(F["calculer_indicateurs"](handed_figures(), encaissements, STOCK, 10, 50, 50, paid))
    assert (result["passes_achetes"], result["passes_remis"], result["passes_remis_pic"]) == (17500, 70, 60)
    assert result["passes_remis_par_format"] == {"10": 60, "5": 10}
    assert result["passes_remis_par_public"] == {"pic": 30, "plie_demandeur_emploi": 30, "senior": 10}
    assert result["passes_remis_par_prescripteur"] == {"CCAS du Lorrain": 35, "France Travail Martinique Nord": 35}
    assert result["beneficiaires_par_prescripteur"] == {"CCAS du Lorrain": 2, "France Travail Martinique Nord": 2}
    assert (result["part_public_pic_pct"], result["objectif_public_pic_atteint"]) == (85.71, True)
    assert (result["montant_paye_lieux"], result["reste_a_payer_lieux"]) == (200, 0)
    assert result["constat_paiements_lieux"] == \
        "Lieux de médiation payés de tous les passes encaissés : 200,00\u00a0€."
    unpaid = F["calculer_indicateurs"](handed_figures(), encaissements, STOCK, 10, 50, 50, [])
    assert unpaid["paiements_par_lieu"][MEDIATHEQUE] == {"passes_encaisses": 20, "passes_payes": 0,
                                                         "montant_paye": 0, "reste_a_payer": 200}


def test_the_places_declaring_side_by_side_may_not_exceed_the_passes_handed_out_together():
    earlier = [{"lieu": CYBER, "mois": "2027-11", "passes": 17_000}]
    month = [F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-12", 300, 0, 10, earlier, [], HANDED_OUT),
             F["calculer_releve_mensuel"](CYBER, "2027-12", 0, 0, 10, earlier, [], HANDED_OUT)]
    assert [r["lieu"] for r in F["calculer_releves_a_payer"](month, earlier, HANDED_OUT)] == [MEDIATHEQUE]
    month[1] = F["calculer_releve_mensuel"](CYBER, "2027-12", 201, 0, 10, earlier, [], HANDED_OUT)
    with pytest.raises(DomainError, match=r"Passes déclarés pour décembre 2027 \(Médiathèque de Trinité 300, "
                                          r"Cyber-base du Lorrain 201\) : le total des passes encaissés "
                                          r"atteindrait 17501, au-delà des 17500 passes remis aux bénéficiaires"):
        F["calculer_releves_a_payer"](month, earlier, HANDED_OUT)


# --- handed out, mandates, places, executory mandates, booklets accounted for ---------------


def test_the_passes_handed_out_are_the_ledger_s():
    assert F["compter_passes_remis"](handed_figures()) == 70
    assert F["compter_passes_remis"](None) == 0


def test_the_reviewed_overpayment_is_refused_against_the_passes_handed_out():
    # 105 passes handed out in the happy chain: 2,000 declared by one place are refused.
    with pytest.raises(DomainError, match="2000 passes déclarés pour septembre 2027 portent le total des passes "
                                          "encaissés à 2015, au-delà des 105 passes remis aux bénéficiaires"):
        F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-09", 2000, 10, 10,
                                     [{"lieu": CYBER, "mois": "2027-08", "passes": 15}], [], 105)
    assert F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-09", 90, 10, 10,
                                        [{"lieu": CYBER, "mois": "2027-08", "passes": 15}], [], 105)["montant"] == 900


def test_a_place_states_a_month_once_even_within_the_month():
    month = [F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-12", 3, 0, 10, [], [], HANDED_OUT),
             F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-12", 3, 0, 10, [], [], HANDED_OUT)]
    with pytest.raises(DomainError, match="Relevés de décembre 2027 : Médiathèque de Trinité déclaré\\(s\\) plusieurs fois"):
        F["calculer_releves_a_payer"](month, [], HANDED_OUT)


def test_a_mandate_number_pays_one_statement_across_months_and_within_the_month():
    november = F["calculer_releve_mensuel"](MEDIATHEQUE, "2027-11", 12, 6, 10, [], [], HANDED_OUT)
    paid = F["calculer_paiement_lieu"](november, "M1", "2027-12-08", [])
    december = [F["calculer_releve_mensuel"](place, "2027-12", 5, 5, 10, [november], [paid], HANDED_OUT)
                for place in (MEDIATHEQUE, CYBER)]
    with pytest.raises(DomainError, match="Cyber-base du Lorrain \\(décembre 2027\\) : le mandat M1 a déjà servi à "
                                          "payer Médiathèque de Trinité pour novembre 2027"):
        F["calculer_paiement_lieu"](december[1], "M1", "2028-01-05", [paid])
    # The month's payments run side by side: each sees the closed months only.
    month = [F["calculer_paiement_lieu"](line, "M2", "2028-01-05", [paid]) for line in december]
    with pytest.raises(DomainError, match="Cyber-base du Lorrain \\(décembre 2027\\) : le mandat M2 a déjà servi"):
        F["calculer_paiements_cumules"]([paid], month)
    twice = [month[0], {**month[0], "numero_mandat_lieu": "M3"}]
    with pytest.raises(DomainError, match="les passes de décembre 2027 ont déjà été payés"):
        F["calculer_paiements_cumules"]([paid], twice)
    month[1] = F["calculer_paiement_lieu"](december[1], "M3", "2028-01-05", [paid])
    assert plain(F["calculer_paiements_cumules"]([paid], month)) == [paid, *month]


def test_a_mediation_place_listed_twice_is_refused_with_its_name():
    assert F["verifier_lieux_mediation"]([MEDIATHEQUE, CYBER]) == 2
    assert F["verifier_lieux_mediation"]([]) == 0
    with pytest.raises(DomainError, match="Lieux de médiation en double : « Médiathèque de Trinité » \\(3 fois\\)\\. "):
        F["verifier_lieux_mediation"]([MEDIATHEQUE, CYBER, MEDIATHEQUE, " médiathèque de  Trinité "])


MANDATES = [{"nom": "CCAS du Lorrain", "date_executoire": "2027-08-20"},
            {"nom": "France Travail Martinique Nord", "date_executoire": "2027-08-23"},
            {"nom": "Commune de Sainte-Marie", "date_executoire": "2027-09-30"}]


def test_booklets_go_to_a_prescriber_once_its_mandate_is_executory():
    dotations = [dotation("CCAS du Lorrain", 600, 5), dotation("France Travail Martinique Nord", 1000, 10),
                 dotation("France Travail Martinique Nord", 10, 5)]
    assert F["verifier_dates_executoires"](dotations, MANDATES, "2027-08-23") is None
    assert F["verifier_dates_executoires"](dotations, MANDATES, "2027-07-25") == (
        "CCAS du Lorrain : carnets remis le 25 juillet 2027, avant que sa convention de mandat soit exécutoire "
        "(20 août 2027) : datez la remise à partir du 20 août 2027. France Travail Martinique Nord : carnets "
        "remis le 25 juillet 2027, avant que sa convention de mandat soit exécutoire (23 août 2027) : datez la "
        "remise à partir du 23 août 2027.")
    assert F["verifier_dates_executoires"](dotations, MANDATES, "2027-08-22").startswith("France Travail")
    unknown = F["verifier_dates_executoires"]([dotation("Mission locale", 1, 5)], MANDATES, "2027-12-01")
    assert unknown.startswith("Mission locale : aucune date à laquelle sa convention de mandat est devenue exécutoire")
    assert F["verifier_dates_executoires"]([dotation("CCAS du Lorrain", 1, 5)],
                                           [{"nom": "CCAS du Lorrain", "date_executoire": None}], "2027-12-01") \
        .startswith("CCAS du Lorrain : aucune date")


def test_every_booklet_of_a_dotation_is_handed_out_or_returned_before_the_report():
    held = dotation("CCAS du Lorrain", 600, 5)
    accounted = figures(CCAS_du_Lorrain=[(5, 600, 600, 0, 597, 590, 12)])
    assert F["verifier_carnets_rendus"](accounted, held) is None
    assert plain(F["etablir_bilan_prescripteur"](accounted, held, "2027-12-20")) == {
        "prescripteur": "CCAS du Lorrain", "cheques_par_carnet": 5, "carnets_dotes": 600, "carnets_remis": 597,
        "carnets_restitues": 3, "passes_remis": 2985, "beneficiaires": 590, "beneficiaires_pic": 12,
        "date_fin_remises": "2027-12-20"}
    kept = figures(CCAS_du_Lorrain=[(5, 600, 600, 3, 597, 590, 12)])
    assert F["verifier_carnets_rendus"](kept, held) == (
        "CCAS du Lorrain : 3 carnet(s) de 5 pass ni remis ni restitués selon le registre : enregistrez-en la "
        "remise, le retour au stock ou la perte (dotation de 600 carnets, 597 remis).")
    assert F["verifier_carnets_rendus"](None, held).startswith("Aucune campagne du registre des carnets")


def test_the_bilan_sent_to_the_anct_asks_at_most_the_state_share_the_indicators_computed():
    indicateurs = {"part_etat_due": 10250}
    assert F["verifier_cofinancement_demande"](10250, indicateurs) is None
    assert F["verifier_cofinancement_demande"](10250.01, indicateurs).startswith(
        "Cofinancement demandé de 10\u202f250,01\u00a0€, au-delà de la part due par l'État (10\u202f250,00\u00a0€")
    with pytest.raises(DomainError, match="Nombre invalide"):
        F["verifier_cofinancement_demande"](None, indicateurs)


def test_dotations_stay_within_the_formats_and_booklets_the_mandate_entrusts():
    from workflows.model_functions.distribution import verifier_dotations_mandats
    mandats = [{"nom": "CCAS du Lorrain", "formats": [{"cheques_par_carnet": 5, "nombre_carnets": 600},
                                                      {"cheques_par_carnet": 10, "nombre_carnets": 200}]}]
    within = [{"prescripteur": "CCAS du Lorrain", "nombre_carnets": 400, "cheques_par_carnet": 5},
              {"prescripteur": "CCAS du Lorrain", "nombre_carnets": 200, "cheques_par_carnet": 5},
              {"prescripteur": "CCAS du Lorrain", "nombre_carnets": 200, "cheques_par_carnet": 10},
              {"prescripteur": "Sans convention", "nombre_carnets": 9, "cheques_par_carnet": 10}]
    assert verifier_dotations_mandats(within, mandats) is None
    beyond = within + [{"prescripteur": "CCAS du Lorrain", "nombre_carnets": 1, "cheques_par_carnet": 5}]
    assert verifier_dotations_mandats(beyond, mandats) == (
        "CCAS du Lorrain : dotation de 601 carnets de 5 pass, sa convention de mandat en confie 600 ; au-delà, "
        "un avenant est nécessaire.")
    only_fives = [{"nom": "CCAS du Lorrain", "formats": [{"cheques_par_carnet": 5, "nombre_carnets": 600}]}]
    assert verifier_dotations_mandats(within[2:3], only_fives) == (
        "CCAS du Lorrain : carnets de 10 pass, que sa convention de mandat ne lui confie pas ; un avenant est "
        "nécessaire.")
