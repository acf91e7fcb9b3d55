"""Seed 001, La Réunion (September 2020): the State's own passes — no council deliberation, no
purchase by a collectivité. The préfecture, with the association Solidarnum as operator, deploys
them through the relays of the CAF, the CGSS, the Finances publiques and Pôle emploi: 1,000 people,
each given one booklet of 5 passes with a letter of their rights listing the referenced places.

The chain is bpmn/pass_numerique_etat.bpmn, then the library's distribution; the préfecture's
staff decide, Solidarnum's prepare (territory solidarnum operates 974 in data/territoires.csv)."""
from datetime import date

import pytest

from deployment_helpers import complete, footprint, install, open_task, start, user
from workflows.errors import Forbidden
from workflows.services import ledger
from workflows.services.dashboard_territory import territory_dashboard
from workflows.services.instances import get_instance
from workflows.services.tasks import complete_task

pytestmark = pytest.mark.slow
RELAYS = ["Relais CAF", "Relais CGSS", "Relais des Finances publiques", "Relais Pôle emploi"]
IDENTITY = {"collectivite": "Préfecture de La Réunion", "collectivite_adresse": "Place du Barachois, 97400 Saint-Denis",
            "president": "Le préfet de La Réunion", "territoire": "974", "fait_a": "Saint-Denis",
            "tribunal_administratif": "le tribunal administratif de La Réunion"}
ALLOTMENT = {"date_arrete": "2020-09-29", "nombre_beneficiaires": 1000, "carnets_par_beneficiaire": 1,
             "cheques_par_carnet": 5, "date_activation_pass": "2020-10-01",
             "relais": [{"nom": name, "date_convention": "2020-10-05", "nombre_carnets": 250} for name in RELAYS],
             "lieux_mediation": ["Solidarnum – Saint-Denis", "Médiathèque de Saint-Pierre"]}
RECEIVED, ENDOWED = date(2020, 10, 2), date(2020, 10, 6)


@pytest.fixture
def reunion(app):
    install(app)
    return {"prefecture": user(app, "prefecture974", "director", "974"),
            "solidarnum": user(app, "solidarnum", "legal", "solidarnum"),
            "solidarnum-direction": user(app, "direction-solidarnum", "director", "solidarnum"),
            "agents": [user(app, f"agent-{n}", "prescriber", "974") for n in range(len(RELAYS))]}


def _received(app, people, instance, last):
    """The préfecture opens the chain's campaign and receives the State's booklets of 5."""
    campaign = ledger.open_campaign(app, "974", people["prefecture"], instance_id=instance)["id"]
    ledger.receive_range(app, campaign, people["prefecture"], booklet_size=5, first="RUN05-000001",
                         last=f"RUN05-{last:06d}", issuer="État – achat national", validity_year=2020,
                         order="Dotation de l'État 2020", received_on=RECEIVED)
    return campaign


def test_a_thousand_people_a_booklet_of_5_each_from_the_states_passes(app, reunion):
    instance = start(app, "pass_numerique_etat", IDENTITY, reunion["prefecture"], "974",
                     title="Pass numérique de l'État – La Réunion")
    before = footprint(app)
    with pytest.raises(Forbidden) as refused:   # the operator prepares, the préfecture decides
        complete_task(app, open_task(app, instance, "arreter_dotation_etat"), ALLOTMENT, reunion["solidarnum-direction"])
    assert "revient au territoire « 974 »" in refused.value.message
    assert footprint(app) == before
    complete(app, instance, "arreter_dotation_etat", ALLOTMENT, reunion["prefecture"])
    data = get_instance(app, instance, reunion["prefecture"])["data"]
    assert (data["carnets_attendus"], data["passes_attendus"]) == (1000, 5000)
    assert (data["date_fin_validite"], data["date_limite_acceptation"]) == ("2020-12-31", "2021-01-31")
    # one booklet short: the reception is sent back, read from the ledger
    campaign = _received(app, reunion, instance, 999)
    complete(app, instance, "receptionner_carnets_etat", {"date_reception": "2020-10-02"}, reunion["prefecture"])
    data = get_instance(app, instance, reunion["prefecture"])["data"]
    assert data["erreur_reception"] == ("Le registre compte 999 carnet(s) de 5 pass (et 0 autre(s) format(s)) ; "
                                        "la dotation de l'État en attend 1000.")
    ledger.receive_range(app, campaign, reunion["prefecture"], booklet_size=5, first="RUN05-001000",
                         last="RUN05-001000", issuer="État – achat national", validity_year=2020,
                         order="Dotation de l'État 2020", received_on=RECEIVED)
    complete(app, instance, "receptionner_carnets_etat", {"date_reception": "2020-10-02"}, reunion["prefecture"])
    # Solidarnum writes the letter of rights; the relays are conventioned prescribers in the ledger
    complete(app, instance, "rediger_courrier_droits",
             {"date_courrier": "2020-10-05", "droits": "Cinq ateliers d'accompagnement au numérique, gratuits."},
             reunion["solidarnum"])
    for n, name in enumerate(RELAYS):
        ledger.add_prescriber(app, campaign, reunion["prefecture"], name=name, formats={5: 250},
                              executory_on=date(2020, 10, 5), agents=[reunion["agents"][n].username])
        ledger.endow(app, campaign, reunion["prefecture"], prescriber=name, on=ENDOWED,
                     ranges=[{"premier": f"RUN05-{250 * n + 1:06d}", "dernier": f"RUN05-{250 * (n + 1):06d}"}])
    complete(app, instance, "repartir_dotations", {"date_remise_prescripteurs": "2020-10-06"}, reunion["prefecture"])
    state = get_instance(app, instance, reunion["prefecture"])
    opened = [t["bpmn_id"] for t in state["open_tasks"]]
    assert opened.count("remettre_carnets_beneficiaires") == 4   # one per relay
    assert "alerter_expiration_30j" in opened   # 2020's passes expired long ago: the wall clock fired the alert
    for person in range(1000):
        n = person // 250
        ledger.hand_out(app, campaign, reunion["agents"][n], prescriber=RELAYS[n], public="habitant_qpv",
                        on=date(2020, 10, 12 + person % 15), serials=[f"RUN05-{person + 1:06d}"],
                        identifier=f"RUN-{person + 1:04d}", priority_area=True)
    figures = territory_dashboard(app, reunion["prefecture"], "974")
    assert (figures["received"], figures["handed"], figures["beneficiaries"]) == (5000, 5000, 1000)
    assert figures["by_format"] == [{"size": 5, "received": 1000, "with_prescribers": 1000, "handed": 1000,
                                     "passes_received": 5000, "passes_handed": 5000}]
    assert [(p["prescriber"], p["handed"]) for p in figures["by_prescriber"]] == [(name, 1250) for name in sorted(RELAYS)]
    assert figures["priority_area_pct"] == 100.0   # the State's passes went to priority neighbourhoods
