"""Seed 001, La Réunion (September 2020): the State's own passes — no council deliberation, no
purchase by a collectivité. The préfecture, with the association Solidarnum as operator, deploys
them through the relays of the CAF, the CGSS, the Finances publiques and Pôle emploi: 1,000 people,
each given one booklet of 5 passes with a letter of their rights listing the referenced places.

The chain is bpmn/pass_numerique_etat.bpmn, then the library's distribution and evaluation; the
préfecture's staff decide, Solidarnum's prepare (territory solidarnum operates 974 in
data/territoires.csv). The seed says nothing of redemptions, payments or of what the State asks
back: the places' monthly redemptions are this test's own, and the evaluation is the library's,
with the State as the only financer (it bought the passes: its share is every pass used).
Run warm and cold: each step then loads the instance afresh from the database."""
from datetime import date

import pytest

from deployment_helpers import complete, footprint, install, open_task, start, user
from documents.conftest import docx_text, table_rows
from helpers import ADMIN, WARM_AND_COLD, sqlite_settings, with_instances
from workflows.errors import Forbidden
from workflows.services import ledger
from workflows.services.dashboard_territory import territory_dashboard
from workflows.services.documents import document_file, list_documents
from workflows.services.instances import get_instance
from workflows.services.ledger_letter import handout_letter
from workflows.services.tasks import complete_task, get_task, list_tasks

pytestmark = pytest.mark.slow
RELAYS = ["Relais CAF", "Relais CGSS", "Relais des Finances publiques", "Relais Pôle emploi"]
IDENTITY = {"collectivite": "Préfecture de La Réunion", "collectivite_adresse": "Place du Barachois, 97400 Saint-Denis",
            "president": "Le préfet de La Réunion", "territoire": "974", "fait_a": "Saint-Denis",
            "tribunal_administratif": "le tribunal administratif de La Réunion"}
ALLOTMENT = {"date_arrete": "2020-09-29", "nombre_beneficiaires": 1000, "carnets_par_beneficiaire": 1,
             "cheques_par_carnet": 5, "date_activation_pass": "2020-10-01",
             "relais": [{"nom": name, "date_convention": "2020-10-05", "nombre_carnets": 250} for name in RELAYS]}
# the seed names no place: these are the test's, as Solidarnum would reference them
PLACES = [{"nom": "Solidarnum – Saint-Denis", "adresse": "12 rue Jean Chatel", "commune": "Saint-Denis",
           "horaires": "du lundi au vendredi, 8 h – 16 h"},
          {"nom": "Médiathèque de Saint-Pierre", "adresse": "Rue Méziaire Guignard", "commune": "Saint-Pierre",
           "telephone": "0262 00 00 00"}]
# the places' redemptions (passes scanned each month), the test's own: {month: (first place, second place)}
REDEEMED = {"2020-10": (300, 200), "2020-11": (700, 450), "2020-12": (600, 350), "2021-01": (250, 150)}
RECEIVED, ENDOWED = date(2020, 10, 2), date(2020, 10, 6)


@pytest.fixture(params=WARM_AND_COLD)
def settings(request, tmp_path):
    return with_instances(sqlite_settings(tmp_path), request.param)


@pytest.fixture
def reunion(app):
    install(app)
    return {"prefecture": user(app, "prefecture974", "director", "974"),
            "prefecture-finances": user(app, "finances-prefecture974", "finance", "974"),
            "solidarnum": user(app, "solidarnum", "legal", "solidarnum"),
            "solidarnum-evaluation": user(app, "evaluation-solidarnum", "dgs", "solidarnum"),
            "solidarnum-direction": user(app, "direction-solidarnum", "director", "solidarnum"),
            # each place declares its own statements, each relay's agent closes its own handouts
            "places": [user(app, f"lieu-{n}", "mediation", "974", organisation=place["nom"])
                       for n, place in enumerate(PLACES)],
            "agents": [user(app, f"agent-{n}", "prescriber", "974", organisation=name) for n, name in enumerate(RELAYS)]}


def _received(app, people, instance, last):
    """The préfecture opens the chain's campaign and receives the State's booklets of 5."""
    campaign = ledger.open_campaign(app, "974", people["prefecture"], instance_id=instance)["id"]
    _receive(app, people, campaign, 1, last)
    return campaign


def _receive(app, people, campaign, first, last):
    ledger.receive_range(app, campaign, people["prefecture"], booklet_size=5, first=f"RUN05-{first:06d}",
                         last=f"RUN05-{last:06d}", issuer="État – achat national", validity_year=2020,
                         order="Dotation de l'État 2020", received_on=RECEIVED)


def _data(app, instance, people):
    return get_instance(app, instance, people["prefecture"])["data"]


def _tasks(app, instance, bpmn_id):
    """The ready tasks `bpmn_id` of the instance, each with its data."""
    return [get_task(app, t["id"], ADMIN) for t in list_tasks(app, ADMIN, instance_id=instance, include_all_roles=True)
            if t["bpmn_id"] == bpmn_id]


def _allotted_and_received(app, people):
    instance = start(app, "pass_numerique_etat", IDENTITY, people["prefecture"], "974",
                     title="Pass numérique de l'État – La Réunion")
    before = footprint(app)
    with pytest.raises(Forbidden) as refused:   # the operator prepares, the préfecture decides
        complete_task(app, open_task(app, instance, "arreter_dotation_etat"), ALLOTMENT, people["solidarnum-direction"])
    assert "revient au territoire « 974 »" in refused.value.message
    assert footprint(app) == before
    complete(app, instance, "arreter_dotation_etat", ALLOTMENT, people["prefecture"])
    data = _data(app, instance, people)
    assert (data["carnets_attendus"], data["passes_attendus"]) == (1000, 5000)
    assert (data["date_fin_validite"], data["date_limite_acceptation"]) == ("2020-12-31", "2021-01-31")
    # one booklet short: the reception is sent back, read from the ledger
    campaign = _received(app, people, instance, 999)
    complete(app, instance, "receptionner_carnets_etat", {"date_reception": "2020-10-02"}, people["prefecture"])
    assert _data(app, instance, people)["erreur_reception"] == (
        "Le registre compte 999 carnet(s) de 5 pass (et 0 autre(s) format(s)) ; la dotation de l'État en attend 1000.")
    _receive(app, people, campaign, 1000, 1000)
    complete(app, instance, "receptionner_carnets_etat", {"date_reception": "2020-10-02"}, people["prefecture"])
    return instance, campaign


def _handed_out_through_the_relays(app, people, instance, campaign):
    """Solidarnum references the places; the relays, conventioned in the ledger, hand out the
    1,000 booklets and close their handouts."""
    complete(app, instance, "referencer_lieux_mediation", {"lieux": PLACES}, people["solidarnum"])
    for n, name in enumerate(RELAYS):
        ledger.add_prescriber(app, campaign, people["prefecture"], name=name, formats={5: 250},
                              executory_on=date(2020, 10, 5), agents=[people["agents"][n].username])
        ledger.endow(app, campaign, people["prefecture"], prescriber=name, on=ENDOWED,
                     ranges=[{"premier": f"RUN05-{250 * n + 1:06d}", "dernier": f"RUN05-{250 * (n + 1):06d}"}])
    complete(app, instance, "repartir_dotations", {"date_remise_prescripteurs": "2020-10-06"}, people["prefecture"])
    handouts = []
    for person in range(1000):
        n = person // 250
        handouts.append(ledger.hand_out(
            app, campaign, people["agents"][n], prescriber=RELAYS[n], public="autre",
            on=date(2020, 10, 12 + person % 15), serials=[f"RUN05-{person + 1:06d}"],
            identifier=f"RUN-{person + 1:04d}", priority_area=True))
    closing = _tasks(app, instance, "remettre_carnets_beneficiaires")
    assert sorted(t["data"]["dotation"]["prescripteur"] for t in closing) == sorted(RELAYS)   # one per relay
    for task in closing:
        agent = people["agents"][RELAYS.index(task["data"]["dotation"]["prescripteur"])]
        complete_task(app, task["id"], {"date_fin_remises": "2020-10-31"}, agent)
    return handouts


def _letter_of_rights(app, people, campaign, handout):
    """The letter handed with a booklet, made from the ledger by the relay's agent."""
    content, name = handout_letter(app, campaign, handout["move"], people["agents"][0])
    assert name == f"lettre-beneficiaire-remise-{handout['move']}.docx"
    text = docx_text(content)
    assert "RUN05-000001" in text and "Relais CAF" in text
    rows = table_rows(content)
    assert ["Solidarnum – Saint-Denis", "12 rue Jean Chatel", "Saint-Denis", "", "du lundi au vendredi, 8 h – 16 h"] \
        in rows
    assert ["Médiathèque de Saint-Pierre", "Rue Méziaire Guignard", "Saint-Pierre", "0262 00 00 00", ""] in rows


def _alerts_and_months(app, people, instance):
    """2020's passes expired long ago: the wall clock fired the alerts and every month's statement;
    the préfecture relaunches the relays, the places declare, the State's finances pay."""
    for alert in ("alerter_expiration_30j", "alerter_expiration_15j"):
        complete(app, instance, alert, {"carnets_non_distribues": 0, "relance_prescripteurs": False},
                 people["prefecture"])
    months = []
    while declared := _tasks(app, instance, "declarer_passes_encaisses"):
        month, paid_on = (declared[0]["data"]["mois_paiement"][key] for key in ("mois", "date_paiement"))
        months.append(month)
        for task in declared:
            place = [p["nom"] for p in PLACES].index(task["data"]["lieu_mediation"])
            passes = REDEEMED.get(month, (0, 0))[place]
            complete_task(app, task["id"], {"passes_encaisses": passes, "ateliers_realises": passes},
                          people["places"][place])
        for n, task in enumerate(_tasks(app, instance, "payer_lieu_mediation")):
            complete_task(app, task["id"], {"numero_mandat_lieu": f"MP974-{month}-{n + 1}",
                                            "date_mandatement_lieu": paid_on}, people["prefecture-finances"])
    return months


def _evaluated(app, people, instance):
    """Solidarnum writes the report the State asks back, the préfecture approves it, its finances
    send the bilan to the ANCT, Solidarnum closes."""
    used = sum(sum(pair) for pair in REDEEMED.values())
    report = {"synthese": "1 000 personnes des quartiers prioritaires ont reçu un carnet de 5 Pass numériques.",
              "recommandations": "Reconduire avec les mêmes relais.", "reconduction_envisagee": True,
              "periode_debut": "2020-10-01", "periode_fin": "2021-01-31", "date_rapport": "2021-02-15",
              "auteur": "Solidarnum, pour la préfecture de La Réunion",
              "pass_utilises_par_prescripteur": [{"prescripteur": name, "pass_utilises": used // 4} for name in RELAYS],
              "pass_utilises_par_public": [{"public": "autre", "pass_utilises": used}]}
    before = footprint(app)
    with pytest.raises(Forbidden):   # the préfecture's director approves, he does not write it
        complete_task(app, open_task(app, instance, "rediger_rapport_evaluation"), report, people["prefecture"])
    assert footprint(app) == before
    complete(app, instance, "rediger_rapport_evaluation", report, people["solidarnum-evaluation"])
    complete(app, instance, "approuver_rapport_evaluation", {"decision": "approuver"}, people["prefecture"])
    complete(app, instance, "transmettre_bilan_anct", {"date_transmission_bilan_anct": "2021-03-01",
                                                        "montant_cofinancement_demande": used * 10},
             people["prefecture-finances"])
    complete(app, instance, "cloturer_dispositif", {"date_cloture": "2021-03-31", "avoir_emetteur_demande": True},
             people["solidarnum-evaluation"])
    return used


def _report(app, people, instance):
    [document] = [d for d in list_documents(app, instance, people["prefecture"])
                  if d["template"] == "rapport_evaluation"]
    content, _, _ = document_file(app, document["id"], people["prefecture"])
    return content


def test_a_thousand_people_a_booklet_of_5_each_from_the_states_passes_to_the_evaluation(app, reunion):
    instance, campaign = _allotted_and_received(app, reunion)
    handouts = _handed_out_through_the_relays(app, reunion, instance, campaign)
    _letter_of_rights(app, reunion, campaign, handouts[0])
    figures = territory_dashboard(app, reunion["prefecture"], "974")
    assert (figures["received"], figures["handed"], figures["beneficiaries"]) == (5000, 5000, 1000)
    assert [(p["prescriber"], p["handed"]) for p in figures["by_prescriber"]] == \
        [(name, 1250) for name in sorted(RELAYS)]
    assert figures["priority_area_pct"] == 100.0   # the State's passes went to priority neighbourhoods
    assert _alerts_and_months(app, reunion, instance) == list(REDEEMED)
    used = _evaluated(app, reunion, instance)
    state = get_instance(app, instance, reunion["prefecture"])
    assert state["status"] == "completed"
    indicators = state["data"]["indicateurs"]
    assert (indicators["passes_achetes"], indicators["passes_remis"], indicators["passes_encaisses"]) == \
        (5000, 5000, used)
    assert indicators["passes_remis_par_prescripteur"] == {name: 1250 for name in RELAYS}
    assert indicators["beneficiaires_par_prescripteur"] == {name: 250 for name in RELAYS}
    assert (indicators["part_etat_due"], indicators["montant_paye_lieux"]) == (used * 10, used * 10)
    rows = table_rows(_report(app, reunion, instance))
    assert ["Pass commandés", "5 000"] in rows and ["Pass distribués", "5 000"] in rows
    assert ["Taux de distribution", "100 %"] in rows and ["Bénéficiaires", "1 000"] in rows
    assert ["Pass utilisés", "3 000"] in rows and ["Participation de l'État due", "30 000,00 €"] in rows
    for name in RELAYS:
        assert [name, "250", "1 250", "750", "60 %"] in rows


def test_the_operator_references_the_places_not_the_prefecture(app, reunion):
    instance, _ = _allotted_and_received(app, reunion)
    before = footprint(app)
    for outsider in (reunion["prefecture"], reunion["agents"][0]):
        with pytest.raises(Forbidden):
            complete_task(app, open_task(app, instance, "referencer_lieux_mediation"), {"lieux": PLACES}, outsider)
    assert footprint(app) == before
