"""Rights: every role against every action, allowed or 403; nothing of another territory shown.

Administrators act in every lane and every territory (Actor.is_admin): they are the
installation's, not a territory's.
"""
import pytest

from start_data import CAP_NORD
from web_helpers import USER_OF_ROLE, anct_convention_at_review, api_token, login, post
from workflows.roles import ROLE_LABELS
from workflows.store.models import ProcessInstance

ALLOWED = {   # action -> roles allowed; any other role gets 403
    "open the director's review": {"director", "admin"},
    "complete the director's review": {"director", "admin"},
    "claim the director's review": {"director", "admin"},
    "start an instance": {"director", "dgs", "legal", "admin"},
    "upload a model": {"admin"},
    "see the users": {"admin"},
    "add a user": {"admin"},
    "disable a user": {"admin"},
}
SECRET_TITLE = "Dossier confidentiel des Yvelines"
BROKEN_MODEL = b"<bpmn:definitions/>"


def attempt(client, token, action, instance_id, review_id):
    """The status of one action; allowed ones are made to fail validation when they would write."""
    from io import BytesIO
    if action == "open the director's review":
        return client.get(f"/tasks/{review_id}").status_code, 200
    if action == "complete the director's review":
        return post(client, f"/tasks/{review_id}", {"decision": "rejeter"}).status_code, 422
    if action == "claim the director's review":
        return post(client, f"/tasks/{review_id}/claim").status_code, 302
    if action == "start an instance":
        response = client.post("/api/v1/processes/convention_anct/instances", headers=token,
                               json={"data": CAP_NORD})
        return response.status_code, 201
    if action == "upload a model":
        return post(client, "/models", {"files": [(BytesIO(BROKEN_MODEL), "x.bpmn")]},
                    content_type="multipart/form-data").status_code, 422
    if action == "see the users":
        return client.get("/admin/users").status_code, 200
    if action == "add a user":
        response = post(client, "/admin/users", {"username": "x", "roles": ["finance"], "password": "court"})
        return response.status_code, 422
    if action == "disable a user":
        return post(client, "/admin/users/directeur78/active", {"active": "0"}).status_code, 302
    raise AssertionError(action)


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_rights_matrix(role, client, conventio):
    instance_id, review_id = anct_convention_at_review(conventio)
    username = USER_OF_ROLE[role]
    login(client, username)
    token = api_token(client, username)
    with conventio.db.sessions() as session:
        version = session.get(ProcessInstance, instance_id).version
    outcome = {}
    for action, roles in ALLOWED.items():
        status, allowed_status = attempt(client, token, action, instance_id, review_id)
        outcome[action] = status
        assert status == (allowed_status if role in roles else 403), (role, action, status)
    with conventio.db.sessions() as session:
        assert session.get(ProcessInstance, instance_id).version == version, "refusals change nothing"
    for page in ("/inbox", "/instances", f"/instances/{instance_id}", "/models"):
        assert client.get(page).status_code == 200, page
    mine = client.get(f"/api/v1/tasks?instance_id={instance_id}", headers=token).get_json()
    assert [t["id"] for t in mine] == ([review_id] if role in ("director", "admin") else [])


@pytest.mark.parametrize("username", ["directrice", "juriste", "dgs", "elu", "directeur78"])
def test_nothing_of_another_territory_is_shown(username, client, conventio):
    """cap-nord users never see Yvelines' instance; Yvelines' director never sees cap-nord's."""
    own_id, own_review = anct_convention_at_review(conventio, title="Convention de CAP Nord")
    other_id, other_review = anct_convention_at_review(conventio, territory="yvelines", title=SECRET_TITLE)
    if username.endswith("78"):
        own_id, own_review, other_id, other_review = other_id, other_review, own_id, own_review
        hidden_title = "Convention de CAP Nord"
    else:
        hidden_title = SECRET_TITLE
    login(client, username)
    token = api_token(client, username)
    for page in ("/inbox", "/instances", "/instances?status=running", f"/instances/{own_id}", "/models"):
        body = client.get(page).get_data(as_text=True)
        assert hidden_title not in body and other_review not in body, page
    for path in ("/api/v1/instances", "/api/v1/tasks", f"/api/v1/instances/{own_id}"):
        body = client.get(path, headers=token).get_data(as_text=True)
        assert hidden_title not in body and other_review not in body, path
    for path in (f"/instances/{other_id}", f"/instances/{other_id}/diagram.json", f"/tasks/{other_review}"):
        assert client.get(path).status_code == 404, path
    for path in (f"/api/v1/instances/{other_id}", f"/api/v1/tasks/{other_review}"):
        assert client.get(path, headers=token).status_code == 404, path
    for path in (f"/api/v1/tasks/{other_review}/claim", f"/api/v1/tasks/{other_review}/complete"):
        assert client.post(path, headers=token, json={"data": {"decision": "approuver"}}).status_code == 404, path
    assert post(client, f"/tasks/{other_review}", {"decision": "approuver"}).status_code == 404


def test_administrators_see_every_territory(client, conventio):
    other_id, _ = anct_convention_at_review(conventio, territory="yvelines", title=SECRET_TITLE)
    login(client, "admin")
    assert SECRET_TITLE in client.get("/instances").get_data(as_text=True)
    assert client.get(f"/instances/{other_id}").status_code == 200
