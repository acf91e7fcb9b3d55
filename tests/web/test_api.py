"""The JSON API: statuses, errors, and agreement with its OpenAPI document."""
from io import BytesIO

import pytest
from openapi_spec_validator import validate

from start_data import CAP_NORD
from web_helpers import CONVENTION_DRAFT, PASSWORD, actor, anct_convention_at_review, api_token, login
from bpmn_builder import definitions, flow, process, user_task
from helpers import WARM_AND_COLD, deploy_xml
from openapi_check import CheckedClient
from workflows.services.instances import get_instance
from workflows.store.models import ProcessInstance


@pytest.fixture
def api(client):
    return CheckedClient(client)


def test_the_document_is_valid_openapi_3_1_and_lists_every_api_route(client, flask_app):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    documented = {(method.upper(), "/api/v1" + path) for path, ops in document["paths"].items() for method in ops}
    served = {(method, rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}"))
              for rule in flask_app.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == served


# --- tokens ------------------------------------------------------------------------------------
def test_token_for_valid_credentials_only(api):
    ok = api.post("/api/v1/auth/token", json={"username": "directrice", "password": PASSWORD})
    assert ok.status_code == 200 and ok.get_json()["token_type"] == "Bearer"
    wrong = api.post("/api/v1/auth/token", json={"username": "directrice", "password": "non"})
    assert wrong.status_code == 401 and wrong.get_json()["error"] == "identifiants_invalides"
    missing = api.post("/api/v1/auth/token", json={"username": "directrice"})
    assert missing.status_code == 422 and missing.get_json()["details"] == {"password": "champ obligatoire"}
    not_json = api.post("/api/v1/auth/token", data="x", content_type="text/plain")
    assert not_json.status_code == 422


def test_token_requests_are_throttled(api):
    for _ in range(5):
        api.post("/api/v1/auth/token", json={"username": "dgs", "password": "non"})
    blocked = api.post("/api/v1/auth/token", json={"username": "dgs", "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0


def test_requests_without_valid_credentials_get_401_json(api, flask_app):
    response = api.get("/api/v1/tasks")
    assert response.status_code == 401 and response.get_json()["error"] == "non_authentifie"
    forged = api.get("/api/v1/tasks", headers={"Authorization": "Bearer abc.def.ghi"})
    assert forged.status_code == 401


def test_an_expired_token_is_refused(client, flask_app):
    from itsdangerous import URLSafeTimedSerializer
    from server.tokens import SALT
    serializer = URLSafeTimedSerializer(flask_app.config["SECRET_KEY"], salt=SALT)
    old = serializer.dumps({"u": "dgs"})
    import time
    from unittest import mock
    with mock.patch("time.time", return_value=time.time() + 9 * 3600):
        assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {old}"}).status_code == 401


def test_unknown_api_paths_answer_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"] == "introuvable"


# --- processes and instances -------------------------------------------------------------------
def test_process_list_and_upload(api, client):
    headers = api_token(client, "admin")
    listed = api.get("/api/v1/processes", headers=headers)
    assert {"convention_anct", "achat_public"} <= {d["process_id"] for d in listed.get_json()}
    model = (b'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/'
             b'20100524/MODEL" id="d" targetNamespace="x"><bpmn:process id="api_simple" isExecutable="true">'
             b'<bpmn:startEvent id="s"/><bpmn:userTask id="t" name="Faire"/><bpmn:sequenceFlow id="f" '
             b'sourceRef="s" targetRef="t"/></bpmn:process></bpmn:definitions>')
    created = api.post("/api/v1/processes", headers=headers, data={"files": [(BytesIO(model), "simple.bpmn")]},
                       content_type="multipart/form-data")
    assert created.status_code == 201 and created.get_json()["deployed"][0]["process_id"] == "api_simple"
    broken = api.post("/api/v1/processes", headers=headers,
                      data={"files": [(BytesIO(model.replace(b'targetRef="t"', b'targetRef="absent"')), "b.bpmn")]},
                      content_type="multipart/form-data")
    assert broken.status_code == 422 and broken.get_json()["details"]["problems"][0]["file"] == "b.bpmn"
    other = api_token(client, "directrice")
    assert api.post("/api/v1/processes", headers=other, data={"files": [(BytesIO(model), "s.bpmn")]},
                    content_type="multipart/form-data").status_code == 403


def test_start_an_instance_and_read_it(api, client):
    headers = api_token(client, "juriste")
    started = api.post("/api/v1/processes/convention_anct/instances", headers=headers,
                       json={"data": CAP_NORD, "title": "Convention 2026"})
    assert started.status_code == 201
    instance = started.get_json()
    assert instance["territory"] == "cap-nord" and started.headers["Location"] == f"/api/v1/instances/{instance['id']}"
    state = api.get(f"/api/v1/instances/{instance['id']}", headers=headers).get_json()
    assert state["open_tasks"][0]["bpmn_id"] == "rediger_convention_anct"
    assert [i["id"] for i in api.get("/api/v1/instances", headers=headers).get_json()] == [instance["id"]]
    assert api.post("/api/v1/processes/inconnu/instances", headers=headers, json={}).status_code == 404
    elsewhere = api.post("/api/v1/processes/convention_anct/instances", headers=headers,
                         json={"territory": "yvelines"})
    assert elsewhere.status_code == 422
    assert api.get(f"/api/v1/instances/{instance['id']}", headers=api_token(client, "juriste78")).status_code == 404


def test_the_start_form_is_published_and_enforced(api, client, conventio):
    headers = api_token(client, "juriste")
    described = api.get("/api/v1/processes/convention_anct/start-form", headers=headers)
    assert described.status_code == 200
    form = described.get_json()["form"]
    assert {"collectivite", "president", "tribunal_administratif", "fait_a"} <= set(form["required"])
    assert form["properties"]["fait_a"]["title"] == "Lieu de signature (« Fait à »)"
    assert api.get("/api/v1/processes/inconnu/start-form", headers=headers).status_code == 404
    refused = api.post("/api/v1/processes/convention_anct/instances", headers=headers,
                       json={"data": dict(CAP_NORD, president="", territoire="Martinique")})
    assert refused.status_code == 422
    body = refused.get_json()
    assert body["error"] == "donnees_invalides" and body["message"].startswith("Données de départ invalides")
    assert body["details"]["president"] == "ne doit pas être vide"
    assert body["details"]["territoire"].startswith("valeur non autorisée (choix possibles : FR,")
    for wrong, field in (({"title": {"x": 1}}, "title"), ({"title": "x" * 501}, "title"), ({"territory": ["cap-nord"]},
                                                                                                "territory")):
        malformed = api.post("/api/v1/processes/convention_anct/instances", headers=headers,
                             json=dict({"data": CAP_NORD}, **wrong))
        assert malformed.status_code == 422 and field in malformed.get_json()["details"], wrong
    with conventio.db.sessions() as session:
        assert session.query(ProcessInstance).count() == 0, "a refused start creates nothing"


# --- tasks -------------------------------------------------------------------------------------
def test_task_with_form_then_complete_with_all_the_refusals(api, client, conventio):
    instance_id, review_id = anct_convention_at_review(conventio)
    director = api_token(client, "directrice")
    [listed] = api.get("/api/v1/tasks", headers=director).get_json()
    assert listed["id"] == review_id and listed["claimed_by"] is None
    task = api.get(f"/api/v1/tasks/{review_id}", headers=director).get_json()
    assert task["form"]["properties"]["decision"]["oneOf"][0]["const"] == "approuver"
    assert task["data"]["montant_achat_prevu_ht"] == CONVENTION_DRAFT["montant_achat_prevu_ht"]

    version = _version(conventio, instance_id)
    invalid = api.post(f"/api/v1/tasks/{review_id}/complete", headers=director, json={"data": {"decision": "rejeter"}})
    assert invalid.status_code == 422 and invalid.get_json()["details"] == {"commentaire": "champ obligatoire"}
    buyer = api_token(client, "acheteur")
    assert api.get(f"/api/v1/tasks/{review_id}", headers=buyer).status_code == 403
    forbidden = api.post(f"/api/v1/tasks/{review_id}/complete", headers=buyer, json={"data": {"decision": "approuver"}})
    assert forbidden.status_code == 403 and forbidden.get_json()["error"] == "interdit"
    outsider = api_token(client, "directeur78")
    assert api.post(f"/api/v1/tasks/{review_id}/complete", headers=outsider,
                    json={"data": {"decision": "approuver"}}).status_code == 404
    assert _version(conventio, instance_id) == version, "a refused request changes nothing"

    done = api.post(f"/api/v1/tasks/{review_id}/complete", headers=director, json={"data": {"decision": "approuver"}})
    assert done.status_code == 200 and done.get_json()["next_tasks"][0]["role"] == "president"
    again = api.post(f"/api/v1/tasks/{review_id}/complete", headers=director, json={"data": {"decision": "approuver"}})
    assert again.status_code == 409 and again.get_json()["error"] == "conflit"


PARALLEL = definitions(process("parallele", "\n".join([
    '<bpmn:startEvent id="start"/>', '<bpmn:parallelGateway id="split"/>',
    user_task("rediger", "Rédiger"), user_task("verifier", "Vérifier"), user_task("approuver", "Approuver"),
    '<bpmn:parallelGateway id="join"/>', user_task("signer", "Signer"), '<bpmn:endEvent id="end"/>',
    flow("f0", "start", "split"), flow("f1", "split", "rediger"), flow("f2", "split", "verifier"),
    flow("f3", "split", "approuver"), flow("f4", "rediger", "join"), flow("f5", "verifier", "join"),
    flow("f6", "approuver", "join"), flow("f7", "join", "signer"), flow("f8", "signer", "end")]),
    lanes={"Service juridique": ["rediger", "verifier", "signer"], "Direction": ["approuver"]}))


@pytest.mark.parametrize("mode", WARM_AND_COLD)
def test_a_completion_answers_with_the_actors_next_tasks_as_the_list_gives_them(api, client, conventio, mode):
    deploy_xml(conventio, {"parallele.bpmn": PARALLEL})
    if mode == "cold":
        conventio.cache.size = 0   # every step reads its instance from the database
    lawyer, director, admin = (api_token(client, name) for name in ("juriste", "directrice", "admin"))
    started = api.post("/api/v1/processes/parallele/instances", headers=lawyer, json={"data": {}}).get_json()
    listed = api.get(f"/api/v1/tasks?instance_id={started['id']}", headers=lawyer).get_json()
    draft, check = (next(t for t in listed if t["bpmn_id"] == name) for name in ("rediger", "verifier"))
    assert api.post(f"/api/v1/tasks/{check['id']}/claim", headers=admin).status_code == 200

    done = api.post(f"/api/v1/tasks/{draft['id']}/complete", headers=lawyer, json={"data": {}}).get_json()
    assert [t["bpmn_id"] for t in done["your_tasks"]] == ["verifier"]   # not the director's, not the done one
    assert done["your_tasks"][0]["claimed_by"] == "admin"
    assert done["your_tasks"] == api.get(f"/api/v1/tasks?instance_id={started['id']}", headers=lawyer).get_json()
    assert {t["name"] for t in done["next_tasks"]} == {"Vérifier", "Approuver"}   # every role's

    api.post(f"/api/v1/tasks/{check['id']}/complete", headers=admin, json={"data": {}})
    approval = next(t for t in done["next_tasks"] if t["name"] == "Approuver")
    last = api.post(f"/api/v1/tasks/{approval['id']}/complete", headers=director, json={"data": {}}).get_json()
    assert last["your_tasks"] == [] and [t["name"] for t in last["next_tasks"]] == ["Signer"]


def _version(conventio, instance_id):
    with conventio.db.sessions() as session:
        return session.get(ProcessInstance, instance_id).version


def test_claim_and_release_through_the_api(api, client, conventio):
    _instance_id, review_id = anct_convention_at_review(conventio)
    director = api_token(client, "directrice")
    claimed = api.post(f"/api/v1/tasks/{review_id}/claim", headers=director)
    assert claimed.status_code == 200 and claimed.get_json()["claimed_by"] == "directrice"
    assert api.get(f"/api/v1/tasks/{review_id}", headers=director).get_json()["claimed_by"] == "directrice"
    admin = api_token(client, "admin")
    assert api.post(f"/api/v1/tasks/{review_id}/claim", headers=admin).status_code == 409
    assert api.post(f"/api/v1/tasks/{review_id}/complete", headers=admin,
                    json={"data": {"decision": "approuver"}}).status_code == 409
    assert api.post(f"/api/v1/tasks/{review_id}/release", headers=director).status_code == 200
    assert api.post(f"/api/v1/tasks/{review_id}/release", headers=director).status_code == 409
    assert api.post(f"/api/v1/tasks/{review_id}/claim", headers=api_token(client, "dgs")).status_code == 403


def test_session_auth_needs_the_csrf_header_to_write(client, conventio):
    _instance_id, review_id = anct_convention_at_review(conventio)
    token = login(client, "directrice")
    assert client.get("/api/v1/tasks").status_code == 200
    refused = client.post(f"/api/v1/tasks/{review_id}/claim")
    assert refused.status_code == 400 and refused.get_json()["error"] == "jeton_csrf"
    assert client.post(f"/api/v1/tasks/{review_id}/claim", headers={"X-CSRFToken": token}).status_code == 200


def test_every_documented_status_of_the_tests_was_checked(api, client, conventio):
    """A smoke pass over the endpoints: each answer validated against the document."""
    instance_id, review_id = anct_convention_at_review(conventio)
    admin = api_token(client, "admin")
    api.get("/api/v1/processes", headers=admin)
    api.get("/api/v1/instances?status=running", headers=admin)
    api.get(f"/api/v1/instances/{instance_id}", headers=admin)
    api.get(f"/api/v1/tasks?instance_id={instance_id}", headers=admin)
    api.get(f"/api/v1/tasks/{review_id}", headers=admin)
    api.get("/api/v1/tasks/00000000-0000-0000-0000-000000000000", headers=admin)
    api.get("/api/v1/openapi.json")
    assert get_instance(conventio, instance_id, actor(conventio, "admin"))["status"] == "running"
    assert len(api.checked) == 7
