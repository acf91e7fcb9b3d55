"""The dashboard's figures, checked against values computed by hand on a small fixture:

cap-nord: 20 booklets of 10 and 10 of 5 received (250 passes); 3 of 10 and 2 of 5 endowed to the
CCAS (40 passes); 1 of 5 handed to a senior and 1 of 10 to a PLIE job seeker (15 passes); a
statement of 4 passes redeemed: usage 4 / 15 = 26.7 %. The Yvelines: 5 booklets of 10 (50
passes), none moved; one instance in error. CAP Nord's convention waits at the director's
review since 20 days (blocked); its deployment chain is in its first phase, the délibération, of
7 (the 6 call activities of pass_numerique, and the convention partenaire that the conventions
partenaires call).
"""
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from openapi_check import CheckedClient
from start_data import CAP_NORD
from test_observer import groupings
from web_helpers import anct_convention_at_review, api_token, login
from workflows.services import ledger
from workflows.services.dashboard import dashboard
from workflows.services.instances import start_instance
from workflows.services.users import get_actor
from workflows.store.models import ProcessInstance, TaskRecord

RECEIVED, SPRING = date(2027, 2, 1), date(2027, 3, 1)


def campaign(conventio, territory, director, tens, fives=0):
    by = get_actor(conventio, director)
    opened = ledger.open_campaign(conventio, territory, by)["id"]
    ledger.add_prescriber(conventio, opened, by, name="CCAS", formats={10: 12, 5: 4}, executory_on=RECEIVED,
                          agents=["prescripteur"])
    ledger.receive_range(conventio, opened, by, booklet_size=10, first=f"{territory}10-000001",
                         last=f"{territory}10-{tens:06d}", issuer="APTIC", validity_year=2027, order="BC-1",
                         received_on=RECEIVED)
    if fives:
        ledger.receive_range(conventio, opened, by, booklet_size=5, first=f"{territory}05-000001",
                             last=f"{territory}05-{fives:06d}", issuer="APTIC", validity_year=2027, order="BC-1",
                             received_on=RECEIVED)
    return opened


@pytest.fixture
def fixture(conventio):
    cap = campaign(conventio, "cap-nord", "directrice", tens=20, fives=10)
    director, agent = get_actor(conventio, "directrice"), get_actor(conventio, "prescripteur")
    ledger.endow(conventio, cap, director, prescriber="CCAS", on=SPRING,
                 serials=["cap-nord10-000001", "cap-nord10-000002", "cap-nord10-000003",
                          "cap-nord05-000001", "cap-nord05-000002"])
    ledger.hand_out(conventio, cap, agent, prescriber="CCAS", public="senior", on=SPRING,
                    serials=["cap-nord05-000001"])
    ledger.hand_out(conventio, cap, agent, prescriber="CCAS", public="plie_demandeur_emploi", on=SPRING,
                    serials=["cap-nord10-000001"])
    ledger.record_statement(conventio, cap, get_actor(conventio, "finances"), place="Cyber-base du Marigot",
                            month="2027-03", passes=4)
    campaign(conventio, "yvelines", "directeur78", tens=5)
    review_instance, review = anct_convention_at_review(conventio, title="Convention de CAP Nord")
    chain = start_instance(conventio, "pass_numerique", dict(CAP_NORD), get_actor(conventio, "juriste"),
                           territory="cap-nord", title="Pass numérique CAP Nord")
    broken, _ = anct_convention_at_review(conventio, territory="yvelines", title="Dossier des Yvelines")
    with conventio.db.sessions() as session, session.begin():
        twenty_days_ago = session.get(TaskRecord, review).created_at - timedelta(days=20)
        session.execute(update(TaskRecord).where(TaskRecord.id == review).values(created_at=twenty_days_ago))
        session.execute(update(ProcessInstance).where(ProcessInstance.id == broken)
                        .values(status="error", error="Expression invalide"))
    return {"review": review, "review_instance": review_instance, "chain": chain["id"], "broken": broken}


CAP_NORD_FUNNEL = {"territory": "cap-nord", "received": 250, "with_prescribers": 40, "handed": 15, "redeemed": 4,
                   "credited": 0, "lost": 0, "in_stock": 210, "usage_pct": 26.7}
YVELINES_FUNNEL = {"territory": "yvelines", "received": 50, "with_prescribers": 0, "handed": 0, "redeemed": 0,
                   "credited": 0, "lost": 0, "in_stock": 50, "usage_pct": None}


def test_the_figures_of_a_territory_computed_by_hand(conventio, fixture):
    figures = dashboard(conventio, get_actor(conventio, "dgs"))
    assert figures["funnel"] == [CAP_NORD_FUNNEL]
    assert [(c["instance_id"], c["phase"], c["phases_done"], c["phases_total"], c["progress_pct"])
            for c in figures["chains"]] == [(fixture["review_instance"], "convention_anct", 0, 0, 0),
                                             (fixture["chain"], "deliberation", 0, 7, 0)]
    [late] = figures["late_tasks"]
    assert (late["task_id"], late["held_by"], late["role"], late["days"], late["overdue"]) == \
        (fixture["review"], None, "director", 20, False)
    assert figures["errors"] == []
    assert figures["territories"] == [{"territory": "cap-nord", "name": "cap-nord", "instances": 2, "running": 2,
                                       "errors": 0, "overdue": 0, "blocked": 1}]
    assert {"territory": "cap-nord", "instance_id": None, "due_on": "2028-01-31",
            "what": "Dernier jour d’acceptation des passes 2027 (250 en circulation)"} in figures["deadlines"]


def test_a_grouping_sees_its_territories_and_an_administrator_all(conventio, fixture):
    everything = dashboard(conventio, get_actor(conventio, "admin"))
    assert everything["funnel"] == [CAP_NORD_FUNNEL, YVELINES_FUNNEL]
    assert [e["instance_id"] for e in everything["errors"]] == [fixture["broken"]]
    assert dashboard(conventio, get_actor(conventio, "admin"), territory="yvelines")["funnel"] == [YVELINES_FUNNEL]
    groupings(conventio)   # the hub observes cap-nord, the syndicat mixte acts for the Yvelines
    hub = dashboard(conventio, get_actor(conventio, "hub"))
    assert hub["funnel"] == [CAP_NORD_FUNNEL] and len(hub["chains"]) == 2
    assert hub["territories"][0]["name"] == "CAP Nord Martinique"
    operator = dashboard(conventio, get_actor(conventio, "juriste-syn"))
    assert operator["funnel"] == [YVELINES_FUNNEL] and [e["instance_id"] for e in operator["errors"]] == \
        [fixture["broken"]]


def test_the_page_and_the_api_give_the_same_figures(client, conventio, fixture):
    login(client, "dgs")
    page = client.get("/tableau-de-bord").get_data(as_text=True)
    for shown in ("250", "210", "26,7 %", "Délibération", "bloquée depuis 20 jours", "file « Direction »",
                  "31 janv. 2028"):
        assert shown in page, shown
    assert "yvelines" not in page.lower()
    api = CheckedClient(client)
    token = api_token(client, "dgs")
    figures = api.get("/api/v1/dashboard", headers=token).get_json()
    assert figures["funnel"] == [CAP_NORD_FUNNEL]
    assert api.get("/api/v1/dashboard?territory=yvelines", headers=token).status_code == 404
    assert api.get("/api/v1/dashboard?territory=", headers=token).status_code == 422


def test_the_observer_opens_the_dashboard(client, conventio, fixture):
    login(client, "observateur")
    page = client.get("/tableau-de-bord")
    assert page.status_code == 200 and "Convention de CAP Nord" in page.get_data(as_text=True)
