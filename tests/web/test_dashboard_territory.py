"""One territory's figures, the exports, the sorted portfolio and the process analytics, checked
against values computed by hand on the fixture of test_dashboard (see its docstring):

cap-nord received 20 booklets of 10 and 10 of 5 = 250 passes at 10 € = 2 500,00 € face value; the
issuer's fees, 4 % of it = 100,00 € (2 600,00 € in all). The CCAS was endowed with 3 of 10 and 2 of
5 (40 passes) and handed 1 of 5 to a senior (not PIC) and 1 of 10 to a PLIE job seeker (PIC): 15
passes handed, 10 of them PIC = 66,7 % (minimum 50 %: no alert); distribution 15 / 250 = 6 %;
usage 4 / 15 = 26,7 %; 4 passes redeemed in March 2027 = 40,00 € paid to the places, of which
the State owes 50 % = 20,00 € (the 2019 terms, in force when the campaign opened).
"""
import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from openapi_check import CheckedClient
from test_dashboard import SPRING, fixture  # noqa: F401 (the fixture)
from test_observer import groupings
from web_helpers import api_token, login
from workflows.errors import InvalidData, NotFound
from workflows.services import ledger
from workflows.services.dashboard import dashboard
from workflows.services.dashboard_analytics import element_times, percentile
from workflows.services.dashboard_portfolio import page_of, portfolio
from workflows.services.dashboard_territory import follow_up, territory_dashboard
from workflows.services.users import get_actor
from workflows.store.models import LedgerCampaign, TaskRecord

CAP_NORD_MONEY = {"order_face_value": "2500.00", "issuer_fees": "100.00", "issuer_fee_pct": 4.0,
                  "order_total": "2600.00", "paid_to_places": "40.00", "state_share_owed": "20.00",
                  "state_max_pct": 50.0, "terms_source": "Appel à projets « Pass numérique » 2020 (ANCT)",
                  "terms_from": "2019-01-01"}


def test_one_territory_computed_by_hand(conventio, fixture):  # noqa: F811
    t = territory_dashboard(conventio, get_actor(conventio, "dgs"), "cap-nord")
    assert (t["received"], t["handed"], t["pic_handed"], t["redeemed"], t["credited"]) == (250, 15, 10, 4, 0)
    assert (t["distribution_pct"], t["usage_pct"], t["pic_pct"], t["pic_min_pct"], t["pic_alert"]) == \
        (6.0, 26.7, 66.7, 50.0, False)
    assert t["money"] == CAP_NORD_MONEY
    assert t["by_format"] == [
        {"size": 5, "received": 10, "with_prescribers": 2, "handed": 1, "passes_received": 50, "passes_handed": 5},
        {"size": 10, "received": 20, "with_prescribers": 3, "handed": 1, "passes_received": 200, "passes_handed": 10}]
    assert t["by_prescriber"] == [{"prescriber": "CCAS", "with_prescriber": 40, "handed": 15}]
    assert t["by_public"] == [{"public": "plie_demandeur_emploi", "pic": True, "beneficiaries": 1, "passes": 10},
                              {"public": "senior", "pic": False, "beneficiaries": 1, "passes": 5}]
    assert t["by_month"] == [{"month": "2027-03", "handed": 15, "redeemed": 4}]


def test_the_pic_alert_when_the_share_falls_below_the_minimum(client, conventio, fixture):  # noqa: F811
    with conventio.db.sessions() as session:
        cap = session.scalar(select(LedgerCampaign.id).where(LedgerCampaign.territory == "cap-nord"))
    ledger.endow(conventio, cap, get_actor(conventio, "directrice"), prescriber="CCAS", on=SPRING,
                 serials=["cap-nord05-000003"])
    for serial in ("cap-nord05-000002", "cap-nord05-000003"):   # 10 more passes to seniors: 10 PIC of 25 = 40 %
        ledger.hand_out(conventio, cap, get_actor(conventio, "prescripteur"), prescriber="CCAS", public="senior",
                        on=SPRING, serials=[serial])
    t = territory_dashboard(conventio, get_actor(conventio, "dgs"), "cap-nord")
    assert (t["handed"], t["pic_handed"], t["pic_pct"], t["pic_alert"]) == (25, 10, 40.0, True)
    assert t["money"]["state_share_owed"] == "20.00"
    login(client, "dgs")
    assert "sous le minimum de 50 %" in client.get("/tableau-de-bord/territoire/cap-nord").get_data(as_text=True)


def test_the_follow_up_of_a_grouping_and_the_refusals(client, conventio, fixture):  # noqa: F811
    groupings(conventio)   # the hub observes cap-nord; the syndicat mixte acts for the Yvelines
    hub = get_actor(conventio, "hub")
    [line] = follow_up(conventio, hub, "hub-antilles-guyane")["lines"]
    assert (line["territory"], line["name"], line["handed"], line["pic_pct"], line["money"]["state_share_owed"]) == \
        ("cap-nord", "CAP Nord Martinique", 15, 66.7, "20.00")
    operator = follow_up(conventio, get_actor(conventio, "juriste-syn"), "seine-et-yvelines-numerique")["lines"]
    assert [(l["territory"], l["received"], l["handed"], l["distribution_pct"], l["usage_pct"]) for l in operator] == \
        [("yvelines", 50, 0, 0.0, None)]
    for code in ("yvelines", "seine-et-yvelines-numerique"):
        with pytest.raises(NotFound):
            follow_up(conventio, hub, code)
    with pytest.raises(NotFound):
        territory_dashboard(conventio, hub, "yvelines")
    login(client, "hub")
    page = client.get("/tableau-de-bord").get_data(as_text=True)
    assert "Suivi ANCT du regroupement hub-antilles-guyane" in page
    sheet = load_workbook(io.BytesIO(client.get(
        "/tableau-de-bord/export/suivi_anct.xlsx?territoire=hub-antilles-guyane").data)).active
    assert [row[:4] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("cap-nord", "CAP Nord Martinique", 250, 15)]


def test_the_portfolio_sorted_and_filtered(conventio, fixture):  # noqa: F811
    figures = dashboard(conventio, get_actor(conventio, "admin"))
    ids = [c["instance_id"] for c in portfolio(figures)]
    assert ids == [fixture["review_instance"], fixture["chain"], fixture["broken"]]
    assert [c["instance_id"] for c in portfolio(figures, sort="territoire", order="desc")][0] == fixture["broken"]
    assert [c["instance_id"] for c in portfolio(figures, lateness="bloquee")] == [fixture["review_instance"]]
    assert [c["instance_id"] for c in portfolio(figures, lateness="en_erreur")] == [fixture["broken"]]
    assert [c["instance_id"] for c in portfolio(figures, phase="deliberation")] == [fixture["chain"]]
    assert [c["instance_id"] for c in portfolio(figures, sort="avancement")][-1] in ids
    with pytest.raises(InvalidData) as refused:
        portfolio(figures, sort="couleur")
    assert "tri" in refused.value.details


def test_exports_open_with_the_same_figures(client, conventio, fixture):  # noqa: F811
    login(client, "dgs")
    response = client.get("/tableau-de-bord/export/suivi_anct.xlsx?territoire=cap-nord")
    assert response.status_code == 200 and "suivi_anct.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, [line] = rows[0], rows[1:]
    values = dict(zip(header, line))
    assert (values["Passes reçus"], values["Passes remis"], values["dont public PIC"], values["Part PIC (%)"],
            values["Taux d’usage (%)"], values["Part de l’État due (€)"], values["Frais de l’émetteur (€)"]) == \
        (250, 15, 10, 66.7, 26.7, 20, 100)
    page = client.get("/tableau-de-bord/export/formats.csv?territoire=cap-nord")
    text = page.data.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [
        ["Carnet de", "Carnets reçus", "Carnets confiés", "Carnets remis", "Passes reçus", "Passes remis"],
        ["5", "10", "2", "1", "50", "5"], ["10", "20", "3", "1", "200", "10"]]
    funnel = load_workbook(io.BytesIO(client.get("/tableau-de-bord/export/parcours.xlsx").data)).active
    assert list(funnel.iter_rows(values_only=True))[1] == ("cap-nord", 250, 40, 15, 4, 0, 210, 0, 26.7)
    chains = client.get("/tableau-de-bord/export/chaines.csv?retard=bloquee").data.decode("utf-8-sig")
    assert "Convention de CAP Nord" in chains and "Pass numérique CAP Nord" not in chains
    assert client.get("/tableau-de-bord/export/formats.csv").status_code == 422
    assert client.get("/tableau-de-bord/export/inconnu.csv").status_code == 422
    assert client.get("/tableau-de-bord/export/formats.pdf?territoire=cap-nord").status_code == 422
    assert client.get("/tableau-de-bord/export/formats.csv?territoire=yvelines").status_code == 404


def test_the_api_gives_the_same_figures_and_exports(client, conventio, fixture):  # noqa: F811
    api = CheckedClient(client)
    token = api_token(client, "dgs")
    t = api.get("/api/v1/dashboard/territories/cap-nord", headers=token).get_json()
    assert t["money"] == CAP_NORD_MONEY and t["pic_pct"] == 66.7
    assert api.get("/api/v1/dashboard/territories/yvelines", headers=token).status_code == 404
    assert api.get("/api/v1/dashboard/follow-up/cap-nord", headers=token).get_json()["lines"][0]["usage_pct"] == 26.7
    sheet = load_workbook(io.BytesIO(api.get("/api/v1/dashboard/exports/mois?format=xlsx&territory=cap-nord",
                                             headers=token).data)).active
    assert list(sheet.iter_rows(values_only=True)) == [("Mois", "Passes remis", "Passes encaissés"), ("2027-03", 15, 4)]
    chains = api.get("/api/v1/dashboard?lateness=bloquee&sort=phase&order=desc", headers=token).get_json()["chains"]
    assert [c["instance_id"] for c in chains] == [fixture["review_instance"]] and chains[0]["blocked_tasks"] == 1
    refused = api.get("/api/v1/dashboard?sort=couleur", headers=token)
    assert refused.status_code == 422 and "tri" in refused.get_json()["details"]
    # An export of another table than the chains takes the same parameters, refused alike.
    refused = api.get("/api/v1/dashboard/exports/territoires?sort=null&lateness=false&format=xlsx", headers=token)
    assert refused.status_code == 422 and "tri" in refused.get_json()["details"]


def test_the_pages_show_the_figures_in_french(client, conventio, fixture):  # noqa: F811
    login(client, "dgs")
    page = client.get("/tableau-de-bord/territoire/cap-nord").get_data(as_text=True)
    for shown in ("2\u202f500,00\u00a0€", "100,00\u00a0€", "20,00\u00a0€", "40,00\u00a0€", "66,7 %", "26,7 %",
                  "mars 2027", "CCAS", "plie_demandeur_emploi"):
        assert shown in page, shown
    index = client.get("/tableau-de-bord?tri=avancement&ordre=desc").get_data(as_text=True)
    assert 'aria-sort="descending"' in index and "Trié par « Avancement », ordre décroissant." in index
    assert "Comparaison des territoires" in index and "suivi_anct.xlsx" in index
    assert client.get("/tableau-de-bord?tri=couleur").status_code == 422
    assert client.get("/tableau-de-bord/territoire/yvelines").status_code == 404


def test_time_spent_at_each_element(client, conventio, fixture):  # noqa: F811
    """The draft of the two ANCT conventions took 10 and 30 hours (the rows after it shifted by hand):
    median 20 h, 90th percentile 10 + 0,9 × 20 = 28 h; the review waits open, one of them 20 days."""
    for instance, hours in ((fixture["review_instance"], 10), (fixture["broken"], 30)):
        shift_from_draft(conventio, instance, hours)
    times = element_times(conventio, get_actor(conventio, "admin"), "convention_anct")
    by_id = {e["bpmn_id"]: e for e in times["elements"]}
    draft = by_id["rediger_convention_anct"]
    assert (draft["completed"], draft["median_hours"], draft["p90_hours"], draft["open"]) == (2, 20.0, 28.0, 0)
    review = by_id["examiner_convention_anct"]
    assert (review["completed"], review["open"]) == (0, 2) and review["oldest_open_hours"] >= 20 * 24
    assert review["heat"] == 5 and draft["heat"] == 1
    assert "bpmn:definitions" in times["xml"] or "<definitions" in times["xml"]
    hub_view = element_times(conventio, get_actor(conventio, "dgs"), "convention_anct")   # cap-nord only
    assert {e["bpmn_id"]: e["completed"] for e in hub_view["elements"]}["rediger_convention_anct"] == 1
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 90) == pytest.approx(9.1)
    assert percentile([4.0], 90) == 4.0
    login(client, "dgs")
    page = client.get("/tableau-de-bord/analyse?processus=convention_anct")
    assert page.status_code == 200 and "Carte de chaleur" in page.get_data(as_text=True)
    heat = client.get("/tableau-de-bord/analyse/convention_anct.json").get_json()["diagrams"][0]["heat"]
    assert heat["rediger_convention_anct"] == {"level": 1, "hours": 10.0, "p90_hours": 10.0}
    assert heat["examiner_convention_anct"]["level"] == 5
    with pytest.raises(NotFound):
        element_times(conventio, get_actor(conventio, "dgs"), "inconnu")


def shift_from_draft(conventio, instance, hours):
    with conventio.db.sessions() as session, session.begin():
        rows = session.scalars(select(TaskRecord).where(TaskRecord.instance_id == instance,
                                                        TaskRecord.state == "completed")
                               .order_by(TaskRecord.created_at, TaskRecord.seq)).all()
        draft = next(i for i, r in enumerate(rows) if r.bpmn_id == "rediger_convention_anct")
        for row in rows[draft:]:
            row.created_at = row.created_at + timedelta(hours=hours)


def test_the_page_shows_the_chains_by_pages(client, conventio, fixture):  # noqa: F811
    chains = list(range(1, 251))
    assert page_of(chains, 3) == {"items": list(range(201, 251)), "page": 3, "pages": 3, "total": 250,
                                  "first": 201, "last": 250}
    assert page_of(chains, 9)["page"] == 3 and page_of([], 1)["first"] == 0
    with pytest.raises(InvalidData):
        page_of(chains, "zéro")
    login(client, "admin")
    assert client.get("/tableau-de-bord?page=0").status_code == 422
    assert 'data-instance="' in client.get("/tableau-de-bord?page=2").get_data(as_text=True)   # the last page
