"""Seed 003, CAP Nord Martinique: the extract of the 27 April 2023 sitting (convened on 19 April;
53 members in office, 28 present, 10 proxies; 38 for, none against, no abstention), signed at
Marigot on 30 May 2023, driven through the services by CAP Nord's own legal staff, assembly
secretariat and président; then the strategy it adopted: PLIE job seekers 3 booklets of 10, seniors
one booklet of 5, ten kinds of prescribers and the six labelled mediation places.

The register's texts (visas, articles, the names present, represented and absent) are the ones the
library's scenario already typed from the seed. The seed gives no population: the convocation takes
the scenario's (any population from 3,500 asks 5 jours francs, and 19 → 27 April gives 7)."""
from datetime import date

import pytest

from deployment_helpers import (
    CAP_NORD, HUB, campaign, complete, footprint, install, open_task, scenario_data, scenario_start, serials, start,
    user,
)
from workflows.errors import ConventioError, Forbidden, InvalidData
from workflows.services import ledger
from workflows.services.dashboard_territory import territory_dashboard
from workflows.services.instances import get_instance
from workflows.services.tasks import complete_task

SCENARIO = "deliberation_adoptee_martinique"
# CAP Nord's prescribers (seed 003, « Ce sont ») and its six APTIC-labelled mediation places
PRESCRIBERS = ["Villes", "CCAS", "Référents de parcours du PLIE", "Conseillers numériques de CAP Nord",
               "Conseillers numériques des villes", "Espaces France Services", "Pôle emploi", "CAF", "CGSS",
               "La Poste"]
PLACES = ["Exo 7", "CARECOF", "Martinique Nord Média", "Association Émergence des quartiers",
          "Espace Ressources Nord Caraïbe", "Envol 3 Martinique"]


@pytest.fixture
def cap_nord(app):
    install(app)
    return {"legal": user(app, "juriste-capnord", "legal", CAP_NORD),
            "assembly": user(app, "assemblees-capnord", "assembly", CAP_NORD),
            "president": user(app, "president-capnord", "president", CAP_NORD),
            "director": user(app, "directrice-capnord", "director", CAP_NORD),
            "finance": user(app, "finances-capnord", "finance", CAP_NORD),
            "plie": user(app, "referent-plie", "prescriber", CAP_NORD),
            "ccas": user(app, "agent-ccas", "prescriber", CAP_NORD),
            "hub": user(app, "hub-observateur", "observer", HUB)}


def _sitting(app, people, **overrides):
    """The deliberation up to the vote, as the register tells it."""
    instance = start(app, "deliberation", scenario_start(SCENARIO), people["legal"], CAP_NORD,
                     title="Stratégie de déploiement des Pass numériques")
    complete(app, instance, "rediger_projet_deliberation", scenario_data(SCENARIO, "rediger_projet_deliberation"),
             people["legal"])
    convocation = {**scenario_data(SCENARIO, "convoquer_assemblee"), "date_envoi_convocation": "2023-04-19",
                   "date_seance": "2023-04-27", "heure_seance": "17:00"}
    complete(app, instance, "convoquer_assemblee", convocation, people["assembly"])
    sitting = {"membres_en_exercice": 53, "presents": 28, "procurations": 10, "absents": 15,
               "president_seance": "Bruno Nestor AZÉROT", "secretaire_seance": "Patricia PALMONT", **overrides}
    complete(app, instance, "tenir_seance", sitting, people["assembly"])
    return instance


def test_the_27_april_2023_sitting_has_its_quorum_and_adopts_38_0_0(app, cap_nord):
    instance = _sitting(app, cap_nord)
    data = get_instance(app, instance, cap_nord["legal"])["data"]
    assert (data["quorum_requis"], data["quorum_atteint"], data["seance_sur_reconvocation"]) == (27, True, False)
    assert data["delai_convocation_jours_francs"] == 5 and data["erreur_convocation"] is None
    # the legal staff and the hub may not vote in the assembly's place
    vote = {"mode_scrutin": "public", "pour": 38, "contre": 0, "abstentions": 0, "vote_president": "pour"}
    before = footprint(app)
    for outsider in (cap_nord["legal"], cap_nord["hub"]):
        with pytest.raises(Forbidden):
            complete_task(app, open_task(app, instance, "voter_deliberation"), vote, outsider)
    assert footprint(app) == before
    complete(app, instance, "voter_deliberation", vote, cap_nord["assembly"])
    extract = {**scenario_data(SCENARIO, "etablir_extrait"), "numero_deliberation": "CC-04-2023-095"}
    assert (len(extract["liste_presents"]), len(extract["liste_representes"]), len(extract["liste_absents"])) == \
        (28, 10, 15)
    complete(app, instance, "etablir_extrait", extract, cap_nord["assembly"])
    complete(app, instance, "signer_extrait", {"date_signature_extrait": "2023-05-30", "signataire_extrait":
                                               "Le président", "certifie_exact": True}, cap_nord["president"])
    state = get_instance(app, instance, cap_nord["hub"])   # the hub reads it, as it reads CAP Nord's dashboard
    data = state["data"]
    assert data["deliberation_adoptee"] is True and data["suffrages_exprimes"] == 38
    assert (data["resultat_vote"]["majorite_requise"], data["resultat_vote"]["unanimite"]) == (20, True)
    assert data["voix_preponderante"] is False
    assert data["erreur_procurations"] is None and data.get("erreur_presences") is None
    assert [t["bpmn_id"] for t in state["open_tasks"]] == ["publier_transmettre"]
    # the seed gives no publication date: published and sent to @ctes on this test's own
    complete(app, instance, "publier_transmettre", {
        "numero_acte": "CC042023_095", "nature_acte": 1, "date_publication": "2023-06-02",
        "date_transmission": "2023-06-02", "date_accuse_reception": "2023-06-02",
        "identifiant_accuse_reception": "972-200041788-20230602-CC042023_095-DE"}, cap_nord["assembly"])
    state = get_instance(app, instance, cap_nord["hub"])
    assert state["status"] == "completed"
    assert (state["data"]["deliberation_executoire"], state["data"]["date_executoire"]) == (True, "2023-06-02")


def test_without_the_quorum_the_same_council_is_convened_again(app, cap_nord):
    # 26 present of 53 is one short of the 27 the register's 28 cleared
    instance = _sitting(app, cap_nord, presents=26, absents=17)
    data = get_instance(app, instance, cap_nord["legal"])["data"]
    assert (data["quorum_requis"], data["quorum_atteint"]) == (27, False)
    assert [t["bpmn_id"] for t in get_instance(app, instance, cap_nord["legal"])["open_tasks"]] == \
        ["reconvoquer_assemblee"]


def test_the_strategy_plie_3_booklets_of_10_and_seniors_1_of_5_through_ten_prescribers(app, cap_nord):
    spring = date(2023, 9, 1)
    prescribers = {name: ("referent-plie" if "PLIE" in name else "agent-ccas", {10: 30, 5: 10}) for name in PRESCRIBERS}
    opened = campaign(app, CAP_NORD, cap_nord["director"], prescribers, {10: 60, 5: 20}, date(2023, 8, 1), 2023)
    director, plie, ccas = cap_nord["director"], cap_nord["plie"], cap_nord["ccas"]
    ledger.endow(app, opened, director, prescriber="Référents de parcours du PLIE", on=spring,
                 serials=serials(CAP_NORD, 10, 1, 7))
    ledger.endow(app, opened, director, prescriber="CCAS", on=spring, serials=serials(CAP_NORD, 5, 1, 3))
    ledger.hand_out(app, opened, plie, prescriber="Référents de parcours du PLIE", public="plie_demandeur_emploi",
                    on=spring, identifier="PLIE-0001", serials=serials(CAP_NORD, 10, 1, 3))
    with pytest.raises(InvalidData) as fourth:   # the dotation is 3 booklets, not renewable
        ledger.hand_out(app, opened, plie, prescriber="Référents de parcours du PLIE",
                        public="plie_demandeur_emploi", on=spring, identifier="PLIE-0001",
                        serials=serials(CAP_NORD, 10, 4, 4))
    assert "n'est pas renouvelable" in fourth.value.message
    with pytest.raises(InvalidData) as four_at_once:
        ledger.hand_out(app, opened, plie, prescriber="Référents de parcours du PLIE",
                        public="plie_demandeur_emploi", on=spring, identifier="PLIE-0002",
                        serials=serials(CAP_NORD, 10, 4, 7))
    assert "3 au plus" in four_at_once.value.message
    ledger.hand_out(app, opened, ccas, prescriber="CCAS", public="senior", on=spring, identifier="SEN-0001",
                    serials=serials(CAP_NORD, 5, 1, 1))
    ledger.hand_out(app, opened, ccas, prescriber="CCAS", public="senior", on=date(2023, 10, 2),
                    identifier="SEN-0001", serials=serials(CAP_NORD, 5, 2, 2))   # renewable if need be
    with pytest.raises(ConventioError):   # an agent of the CCAS does not hand out the PLIE's booklets
        ledger.hand_out(app, opened, ccas, prescriber="Référents de parcours du PLIE",
                        public="plie_demandeur_emploi", on=spring, identifier="PLIE-0003",
                        serials=serials(CAP_NORD, 10, 5, 5))
    for place in PLACES:
        ledger.record_statement(app, opened, cap_nord["finance"], place=place, month="2023-10", passes=2)
    figures = territory_dashboard(app, cap_nord["hub"], CAP_NORD)
    assert [line["prescriber"] for line in figures["by_prescriber"]] == sorted(PRESCRIBERS)
    assert {line["public"]: (line["beneficiaries"], line["passes"]) for line in figures["by_public"]} == \
        {"plie_demandeur_emploi": (1, 30), "senior": (1, 10)}
    assert (figures["received"], figures["handed"], figures["pic_handed"], figures["redeemed"]) == \
        (700, 40, 30, 12)
    assert (figures["usage_pct"], figures["pic_pct"]) == (30.0, 75.0)
