"""Ending tokens and sessions before they expire (issue 10): a holder revokes the API token they
use (DELETE /api/v1/auth/token), an administrator ends every session and token of a user (the
page, DELETE /api/v1/users/{username}/sessions, `conventio users sign-out`). Revoked means refused
at the next request by this server and by any other process on the same database. Journaled."""
import json

import pytest
from sqlalchemy import select

from openapi_check import CheckedClient
from test_rights import run_cli
from web_helpers import api_token, login, post, web_settings
from server import create_app
from workflows.services import open_conventio
from workflows.store.models import AuditEntry, LoginSession


@pytest.fixture
def api(client):
    return CheckedClient(client)


@pytest.fixture
def other_server(conventio):
    """A second server process: another app object, another Conventio, the same database."""
    opened = open_conventio(conventio.settings)
    yield create_app(conventio=opened, test_config={"TESTING": True, "WEB_SETTINGS": web_settings()}).test_client()
    opened.close()


def tasks_status(client, token):
    return client.get("/api/v1/tasks", headers=token).status_code


def journal(conventio, action="session"):
    with conventio.db.sessions() as session:
        return [(e.actor, e.summary, json.loads(e.payload) if e.payload else None) for e in session.execute(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).scalars()]


def sessions_of(conventio, username):
    with conventio.db.sessions() as session:
        return sorted(s.kind for s in session.execute(
            select(LoginSession).where(LoginSession.username == username)).scalars())


# --- the holder revokes the token they use ---------------------------------------------------------
def test_a_revoked_token_is_refused_at_once_by_every_server(api, client, other_server, conventio):
    token, other_token = api_token(client, "directrice"), api_token(client, "directrice")
    assert tasks_status(client, token) == 200 and tasks_status(other_server, token) == 200
    revoked = api.delete("/api/v1/auth/token", headers=token)
    assert revoked.status_code == 204 and revoked.get_data() == b""
    assert tasks_status(client, token) == 401
    assert tasks_status(other_server, token) == 401
    again = api.delete("/api/v1/auth/token", headers=token)
    assert again.status_code == 401 and again.get_json()["error"] == "non_authentifie"
    # only the token used: the holder's other token still works, on both servers
    assert tasks_status(client, other_token) == 200 and tasks_status(other_server, other_token) == 200
    assert journal(conventio) == [("directrice", "Jeton d’API révoqué par son titulaire",
                                   {"utilisateur": "directrice", "type": "api"})]


def test_a_token_revoked_through_another_server_is_refused_here(client, other_server):
    token = api_token(client, "juriste")
    assert other_server.delete("/api/v1/auth/token", headers=token).status_code == 204
    assert tasks_status(client, token) == 401


def test_revoking_needs_a_token(api, client, conventio):
    assert api.delete("/api/v1/auth/token").status_code == 401
    csrf = login(client, "directrice")
    with_session = client.delete("/api/v1/auth/token", headers={"X-CSRFToken": csrf})   # the session cookie
    assert with_session.status_code == 400 and "Aucun jeton" in with_session.get_json()["message"]
    assert client.get("/inbox").status_code == 200, "the page session is left as it was"
    assert journal(conventio) == []


# --- an administrator ends every session and token of a user ----------------------------------------
def signed_in_everywhere(client, other_server, username="directrice"):
    """A page session on this server, and two API tokens."""
    page = client.application.test_client()
    login(page, username)
    tokens = [api_token(client, username), api_token(other_server, username)]
    assert page.get("/inbox").status_code == 200
    assert all(tasks_status(c, t) == 200 for c in (client, other_server) for t in tokens)
    return page, tokens


def signed_out(page, tokens, client, other_server):
    assert page.get("/inbox").status_code == 302
    assert all(tasks_status(c, t) == 401 for c in (client, other_server) for t in tokens)
    return True


def test_an_administrator_signs_a_user_out_through_the_api(api, client, other_server, conventio):
    page, tokens = signed_in_everywhere(client, other_server)
    admin = api_token(client, "admin")
    done = api.delete("/api/v1/users/directrice/sessions", headers=admin)
    assert done.status_code == 200 and done.get_json() == {"username": "directrice", "ended": 3}
    assert signed_out(page, tokens, client, other_server)
    assert sessions_of(conventio, "directrice") == []
    assert tasks_status(client, admin) == 200, "the administrator's own token is another user's"
    assert journal(conventio) == [("admin", "Sessions et jetons de « directrice » fermés par un administrateur (3)",
                                   {"utilisateur": "directrice", "sessions": 3})]
    login(page, "directrice")   # a new login works as before
    assert page.get("/inbox").status_code == 200


def test_only_an_administrator_signs_a_user_out(api, client, other_server, conventio):
    page, tokens = signed_in_everywhere(client, other_server)
    refused = api.delete("/api/v1/users/directrice/sessions", headers=api_token(client, "dgs"))
    assert refused.status_code == 403 and refused.get_json()["error"] == "interdit"
    unknown = api.delete("/api/v1/users/personne/sessions", headers=api_token(client, "admin"))
    assert unknown.status_code == 404 and "personne" in unknown.get_json()["message"]
    assert page.get("/inbox").status_code == 200 and tasks_status(other_server, tokens[0]) == 200
    assert journal(conventio) == []


def test_an_administrator_signs_a_user_out_from_the_users_page(client, other_server, conventio):
    page, tokens = signed_in_everywhere(client, other_server)
    admin = client.application.test_client()
    login(admin, "admin")
    assert "Déconnecter partout" in admin.get("/admin/users").get_data(as_text=True)
    done = post(admin, "/admin/users/directrice/sign-out")
    assert done.status_code == 302
    assert "« directrice » déconnecté partout (3 session(s)" in admin.get("/admin/users").get_data(as_text=True)
    assert signed_out(page, tokens, client, other_server)
    assert [actor for actor, _, _ in journal(conventio)] == ["admin"]
    director = client.application.test_client()
    login(director, "dgs")
    assert post(director, "/admin/users/directrice/sign-out").status_code == 403


def test_an_administrator_signs_a_user_out_from_the_command_line(client, other_server, conventio):
    page, tokens = signed_in_everywhere(client, other_server)
    refused = run_cli(conventio, "users", "sign-out", "directrice", "--as", "dgs")
    assert (refused.exit_code, refused.stderr) == (
        1, "Erreur : Cette action est réservée aux administrateurs de Conventio.\n")
    assert page.get("/inbox").status_code == 200
    unknown = run_cli(conventio, "users", "sign-out", "personne", "--as", "admin")
    assert (unknown.exit_code, unknown.stderr) == (1, "Erreur : Utilisateur « personne » inconnu.\n")
    done = run_cli(conventio, "users", "sign-out", "directrice", "--as", "admin")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == "Utilisateur « directrice » déconnecté partout : 3 session(s) ou jeton(s) fermé(s).\n"
    assert signed_out(page, tokens, client, other_server)
    assert journal(conventio)[-1][:2] == ("admin", "Sessions et jetons de « directrice » fermés par un "
                                                   "administrateur (3)")
    console = run_cli(conventio, "users", "sign-out", "directrice")   # the console acts as an administrator
    assert console.exit_code == 0 and "0 session(s)" in console.stdout
