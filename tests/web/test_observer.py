"""The observer and the groupings through the three doors: a hub's observer reads everything of
the territories it observes and acts on nothing; an operator's staff prepare in the territories it
acts for, where each territory's own roles decide. Refusals change nothing."""
import json

from click.testing import CliRunner

from server.cli import main
from test_rights import groupings, state
from web_helpers import CONVENTION_DRAFT, anct_convention_at_review, api_token, login, post


def cli(conventio, *args):
    return CliRunner().invoke(main, list(args), obj=conventio)


def test_a_hub_observer_reads_its_territories_and_acts_on_nothing(flask_app, conventio):
    groupings(conventio)
    instance_id, review_id = anct_convention_at_review(conventio, title="Convention de CAP Nord")
    other_id, _ = anct_convention_at_review(conventio, territory="yvelines", title="Dossier des Yvelines")
    for username in ("hub", "hub-directrice"):
        client = flask_app.test_client()
        login(client, username)
        token = api_token(client, username)
        page = client.get("/instances").get_data(as_text=True)
        assert "Convention de CAP Nord" in page and "Dossier des Yvelines" not in page
        assert client.get(f"/instances/{instance_id}").status_code == 200
        assert client.get(f"/api/v1/instances/{instance_id}", headers=token).status_code == 200
        assert client.get(f"/api/v1/instances/{other_id}", headers=token).status_code == 404
        assert client.get("/api/v1/tasks", headers=token).get_json() == []
        before = state(conventio, instance_id)
        assert client.get(f"/tasks/{review_id}").status_code == 403
        assert post(client, f"/tasks/{review_id}", {"decision": "approuver"}).status_code == 403
        assert post(client, f"/tasks/{review_id}/claim").status_code == 403
        for action in ("claim", "complete"):
            response = client.post(f"/api/v1/tasks/{review_id}/{action}", headers=token,
                                   json={"data": {"decision": "approuver"}})
            assert response.status_code == 403, (username, action)
        start = client.post("/api/v1/processes/convention_anct/instances", headers=token,
                            json={"data": {}, "territory": "cap-nord"})
        assert start.status_code in (403, 422)
        done = cli(conventio, "tasks", "complete", review_id, "--data", '{"decision": "approuver"}', "--as", username)
        assert done.exit_code == 1 and done.stderr.startswith("Erreur : ")
        assert state(conventio, instance_id) == before
    hub_refusal = cli(conventio, "tasks", "show", review_id, "--as", "hub-directrice")
    assert hub_refusal.stderr.strip() == "Erreur : Vous suivez le territoire « cap-nord » sans y agir."


def test_an_operator_prepares_and_the_territory_decides(flask_app, conventio):
    groupings(conventio)
    instance_id, review_id = anct_convention_at_review(conventio, territory="yvelines", title="Dossier des Yvelines")
    before = state(conventio, instance_id)
    refused = cli(conventio, "tasks", "complete", review_id, "--data", '{"decision": "approuver"}',
                  "--as", "directeur-syn")
    assert refused.stderr.strip() == ("Erreur : Cette décision revient au territoire « yvelines » : son propre "
                                      "rôle « Direction » la prend.")
    assert state(conventio, instance_id) == before
    client = flask_app.test_client()
    login(client, "directeur-syn")
    assert client.get(f"/tasks/{review_id}").status_code == 403
    # the syndicat's legal staff start and draft for the Yvelines
    client = flask_app.test_client()
    login(client, "juriste-syn")
    token = api_token(client, "juriste-syn")
    from start_data import CAP_NORD
    started = client.post("/api/v1/processes/convention_anct/instances", headers=token,
                          json={"data": CAP_NORD, "territory": "yvelines"})
    assert started.status_code == 201, started.get_json()
    [draft] = client.get(f"/api/v1/tasks?instance_id={started.get_json()['id']}", headers=token).get_json()
    done = client.post(f"/api/v1/tasks/{draft['id']}/complete", headers=token, json={"data": CONVENTION_DRAFT})
    assert done.status_code == 200, done.get_json()
    # and the Yvelines' own director decides
    approved = cli(conventio, "tasks", "complete", review_id, "--data", json.dumps({"decision": "approuver"}),
                   "--as", "directeur78")
    assert approved.exit_code == 0, approved.stderr
