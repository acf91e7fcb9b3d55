"""Rights: every role against every action, allowed or 403; nothing of another territory shown.

The rules are the services' (workflows/services/rights.py): the pages, the API and the
command line (`--as USER`) give each role the same outcome, and a refusal changes nothing.
Administrators act in every lane and every territory (Actor.is_admin): they are the
installation's, not a territory's.
"""
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from server.cli import main
from ledger_campaign import campaign_in_cap_nord
from start_data import CAP_NORD
from web_helpers import PASSWORD, USER_OF_ROLE, actor, anct_convention_at_review, api_token, login, post
from workflows.documents.examples import EXAMPLES
from workflows.roles import OUTSIDE_PARTNERS, ROLE_LABELS
from workflows.services.actors import Actor
from workflows.services.instances import start_instance
from workflows.services.territories import add_territory
from workflows.services.users import add_user
from workflows.store.models import (Absence, AuditEntry, GeneratedDocument, LedgerBeneficiary, LedgerMove,
                                    ProcessDefinition, ProcessInstance, TaskClaim, UserAccount)

ALLOWED = {   # action -> roles allowed; any other role gets 403
    "open the director's review": {"director", "admin"},
    "complete the director's review": {"director", "admin"},
    "claim the director's review": {"director", "admin"},
    "start an instance": {"director", "dgs", "legal", "admin"},
    "upload a model": {"admin"},
    "see the users": {"admin"},
    "add a user": {"admin"},
    "disable a user": {"admin"},
    "generate a document": {"legal", "admin"},
    "hand out a booklet": {"prescriber", "admin"},   # its prescriber's agent (the demo's prescripteur)
    "hand the director's review to a colleague": {"director", "admin"},   # the territory's direction
    "declare the legal staff's absence": {"legal", "director", "admin"},  # herself, her direction
}
# What outside partners (roles.OUTSIDE_PARTNERS) do not reach: any other role gets 200, they get 404
# (as for a territory they do not see), by the page and the API alike.
READ = {
    "open the instance": set(ROLE_LABELS) - OUTSIDE_PARTNERS,
    "read the instance's diagram": set(ROLE_LABELS) - OUTSIDE_PARTNERS,
    "download the ANCT convention": set(ROLE_LABELS) - OUTSIDE_PARTNERS | {"anct"},   # addressed to the ANCT
}
SECRET_TITLE = "Dossier confidentiel des Yvelines"
# The deliberation the convention refers to: its document is made when the draft is written.
DELIBERATED = {"numero_deliberation": "CC-09-2026-031", "date_seance": "2026-09-24", "date_executoire": "2026-09-30"}
ADMIN = Actor("admin", frozenset({"admin"}))
HUB, SYN = "hub-antilles-guyane", "seine-et-yvelines-numerique"
BROKEN_MODEL = b"<bpmn:definitions/>"


def attempt(client, token, action, instance_id, review_id, campaign):
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
    if action == "generate a document":   # the API, then the page: an unknown template for who may
        api = client.post(f"/api/v1/instances/{instance_id}/documents", headers=token, json={"template": "inconnu"})
        page = post(client, f"/instances/{instance_id}/documents", {"template": "inconnu"})
        assert page.status_code == api.status_code, (page.status_code, api.status_code)
        return api.status_code, 404
    if action == "hand out a booklet":   # the API, then the page: a booklet the ledger does not know
        handout = {"prescripteur": "CCAS", "public": "senior", "carnets": "CAPN10-999999", "date": "2027-03-10"}
        api = client.post(f"/api/v1/campaigns/{campaign}/handouts", headers=token, json=handout)
        page = post(client, f"/registre/{campaign}/remise", handout)
        assert page.status_code == api.status_code, (page.status_code, api.status_code)
        return api.status_code, 422
    if action == "hand the director's review to a colleague":   # the API, then the page: nobody of that name
        api = client.post(f"/api/v1/tasks/{review_id}/reassign", headers=token, json={"user": "inconnu"})
        page = post(client, f"/tasks/{review_id}/reassign", {"user": "inconnu"})
        assert page.status_code == api.status_code, (page.status_code, api.status_code)
        return api.status_code, 422
    if action == "declare the legal staff's absence":   # the API, then the page: an unknown substitute
        absence = {"username": "juriste", "substitute": "inconnu", "first_day": "2027-01-04", "last_day": "2027-01-08"}
        api = client.post("/api/v1/absences", headers=token, json=absence)
        page = post(client, "/compte/absences", absence)
        assert page.status_code == api.status_code, (page.status_code, api.status_code)
        return api.status_code, 422
    raise AssertionError(action)


def read_attempt(client, token, action, instance_id, document_id):
    """(the page's status, the API's) of reading what outside partners do not reach."""
    if action == "open the instance":
        return client.get(f"/instances/{instance_id}").status_code, client.get(
            f"/api/v1/instances/{instance_id}", headers=token).status_code
    if action == "read the instance's diagram":   # a page's JSON; the API has no diagram of its own
        status = client.get(f"/instances/{instance_id}/diagram.json").status_code
        return status, status
    if action == "download the ANCT convention":
        return client.get(f"/documents/{document_id}").status_code, client.get(
            f"/api/v1/documents/{document_id}", headers=token).status_code
    raise AssertionError(action)


def anct_convention_document(conventio, instance_id):
    with conventio.db.sessions() as session:
        return session.execute(select(GeneratedDocument.id).where(GeneratedDocument.instance_id == instance_id,
                                                                  GeneratedDocument.template == "convention_anct")
                               ).scalar_one()


def state(conventio, instance_id):
    """What a refusal must leave as it was: the instance, the rows of every kind, the journal."""
    with conventio.db.sessions() as session:
        counted = tuple(session.execute(select(func.count()).select_from(model)).scalar()
                        for model in (ProcessInstance, ProcessDefinition, UserAccount, TaskClaim,
                                      GeneratedDocument, AuditEntry, LedgerMove, LedgerBeneficiary, Absence))
        active = session.execute(select(func.count()).where(UserAccount.active.is_(True))).scalar()
        return session.get(ProcessInstance, instance_id).version, counted, active


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_rights_matrix(role, client, conventio):
    instance_id, review_id = anct_convention_at_review(conventio, start=DELIBERATED)
    campaign = campaign_in_cap_nord(conventio)
    username = USER_OF_ROLE[role]
    login(client, username)
    token = api_token(client, username)
    for action, roles in ALLOWED.items():
        before = state(conventio, instance_id)
        status, allowed_status = attempt(client, token, action, instance_id, review_id, campaign)
        assert status == (allowed_status if role in roles else 403), (role, action, status)
        if role not in roles:
            assert state(conventio, instance_id) == before, f"refused « {action} » changed something"
    document_id = anct_convention_document(conventio, instance_id)
    for action, roles in READ.items():
        expected = 200 if role in roles else 404
        assert read_attempt(client, token, action, instance_id, document_id) == (expected, expected), (role, action)
    for page in ("/inbox", "/instances", "/compte", "/models", "/tableau-de-bord",
                 "/tableau-de-bord/territoire/cap-nord", "/tableau-de-bord/export/chaines.xlsx",
                 "/tableau-de-bord/analyse?processus=convention_anct"):
        assert client.get(page).status_code == 200, page   # reading the dashboard: every role, observer included
    mine = client.get(f"/api/v1/tasks?instance_id={instance_id}", headers=token).get_json()
    assert [t["id"] for t in mine] == ([review_id] if role in ("director", "admin") else [])


# The command line's refusals, by action: one French line on stderr, exit 1.
CLI_REFUSALS = {
    "open the director's review": "Erreur : Cette tâche relève du rôle « Direction », que vous n’avez pas.",
    "complete the director's review": "Erreur : Cette tâche relève du rôle « Direction », que vous n’avez pas.",
    "claim the director's review": "Erreur : Cette tâche relève du rôle « Direction », que vous n’avez pas.",
    "start an instance": "Erreur : Votre rôle ne permet pas de démarrer une procédure.",
    "upload a model": "Erreur : Cette action est réservée aux administrateurs de Conventio.",
    "see the users": "Erreur : Cette action est réservée aux administrateurs de Conventio.",
    "add a user": "Erreur : Cette action est réservée aux administrateurs de Conventio.",
    "disable a user": "Erreur : Cette action est réservée aux administrateurs de Conventio.",
    "generate a document": "Erreur : Seul le service juridique peut générer un document à la demande.",
    "hand out a booklet": "Erreur : Vous n’êtes pas enregistré(e) comme agent du prescripteur « CCAS ».",
    "hand the director's review to a colleague": "Erreur : Seule la direction peut confier une tâche à un collègue.",
    "declare the legal staff's absence": "Erreur : Vous ne pouvez déclarer que votre propre absence ; celle d’un "
                                         "collègue revient à la direction de son territoire ou à un administrateur.",
}


def run_cli(conventio, *args, input=None):
    """`conventio ARGS` in this process, on the test's database."""
    return CliRunner().invoke(main, list(args), obj=conventio, input=input)


def cli_attempt(conventio, username, action, instance_id, review_id, model, campaign):
    """(the command's result, what it gives when allowed: exit 0, or the start of the refusal of
    invalid data the allowed ones are made to fail with, as on the page)."""
    as_user = ("--as", username)
    if action == "open the director's review":
        return run_cli(conventio, "tasks", "show", review_id, *as_user), None
    if action == "complete the director's review":
        return (run_cli(conventio, "tasks", "complete", review_id, "--data", '{"decision": "rejeter"}', *as_user),
                "Erreur : Données invalides")
    if action == "claim the director's review":
        return run_cli(conventio, "tasks", "claim", review_id, *as_user), None
    if action == "start an instance":
        return run_cli(conventio, "instances", "start", "convention_anct", "--data", json.dumps(CAP_NORD),
                       *as_user), None
    if action == "upload a model":
        return run_cli(conventio, "deploy", str(model), *as_user), "Erreur : Modèle refusé"
    if action == "see the users":
        return run_cli(conventio, "users", "list", *as_user), None
    if action == "add a user":
        return run_cli(conventio, "users", "add", "x", "--role", "inconnu", *as_user), "Erreur : Rôle(s) inconnu(s)"
    if action == "disable a user":
        return run_cli(conventio, "users", "disable", "directeur78", *as_user), None
    if action == "generate a document":
        return (run_cli(conventio, "documents", "generate", str(instance_id), "inconnu", *as_user),
                "Erreur : Modèle de document inconnu")
    if action == "hand out a booklet":
        return (run_cli(conventio, "ledger", "handout", str(campaign), "--data", json.dumps(
            {"prescripteur": "CCAS", "public": "senior", "carnets": "CAPN10-999999", "date": "2027-03-10"}), *as_user),
                "Erreur : Le carnet CAPN10-999999 est inconnu du registre.")
    if action == "hand the director's review to a colleague":
        return (run_cli(conventio, "tasks", "reassign", review_id, "inconnu", *as_user),
                "Erreur : Utilisateur « inconnu » inconnu ou désactivé")
    if action == "declare the legal staff's absence":
        return (run_cli(conventio, "absences", "declare", "--for", "juriste", "--substitute", "inconnu",
                        "--from", "2027-01-04", "--to", "2027-01-08", *as_user),
                "Erreur : Le remplaçant « inconnu » est inconnu ou désactivé.")
    raise AssertionError(action)


def cli_read_attempt(conventio, username, action, instance_id, document_id, out):
    """(the command's result, its refusal to an outside partner)."""
    as_user = ("--as", username)
    if action in ("open the instance", "read the instance's diagram"):   # the diagram is the instance's
        return run_cli(conventio, "instances", "show", str(instance_id), *as_user), \
            f"Erreur : Instance n° {instance_id} introuvable."
    if action == "download the ANCT convention":
        return run_cli(conventio, "documents", "download", str(document_id), "--out", str(out), *as_user), \
            f"Erreur : Document n° {document_id} introuvable."
    raise AssertionError(action)


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_rights_matrix_from_the_command_line(role, conventio, tmp_path):
    """The same matrix through `conventio … --as USER`: the same outcome as the page and the API."""
    instance_id, review_id = anct_convention_at_review(conventio, start=DELIBERATED)
    campaign = campaign_in_cap_nord(conventio)
    (tmp_path / "x.bpmn").write_bytes(BROKEN_MODEL)
    username = USER_OF_ROLE[role]
    for action, roles in ALLOWED.items():
        before = state(conventio, instance_id)
        result, allowed_error = cli_attempt(conventio, username, action, instance_id, review_id, tmp_path / "x.bpmn",
                                            campaign)
        if role not in roles:
            assert (result.exit_code, result.stderr.strip()) == (1, CLI_REFUSALS[action]), (role, action)
            assert state(conventio, instance_id) == before, f"refused « {action} » changed something"
        elif allowed_error is None:
            assert result.exit_code == 0, (role, action, result.stderr)
        else:
            assert result.exit_code == 1 and result.stderr.startswith(allowed_error), (role, action, result.stderr)
    document_id = anct_convention_document(conventio, instance_id)
    for action, roles in READ.items():
        before = state(conventio, instance_id)
        result, refusal = cli_read_attempt(conventio, username, action, instance_id, document_id, tmp_path / "c.docx")
        if role in roles:
            assert result.exit_code == 0, (role, action, result.stderr)
        else:
            assert (result.exit_code, result.stderr.strip()) == (1, refusal), (role, action)
            assert state(conventio, instance_id) == before


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
    other_territory = "cap-nord" if username.endswith("78") else "yvelines"
    for page in ("/inbox", "/instances", "/instances?status=running", f"/instances/{own_id}", "/models",
                 "/tableau-de-bord", "/tableau-de-bord/export/chaines.csv", "/tableau-de-bord/export/retards.csv",
                 "/tableau-de-bord/analyse?processus=convention_anct"):
        body = client.get(page).get_data(as_text=True)
        assert hidden_title not in body and other_review not in body, page
    for page in (f"/tableau-de-bord?territoire={other_territory}", f"/tableau-de-bord/territoire/{other_territory}",
                 f"/tableau-de-bord/export/formats.csv?territoire={other_territory}",
                 f"/tableau-de-bord/export/suivi_anct.xlsx?territoire={other_territory}"):
        assert client.get(page).status_code == 404, page
    for path in (f"/api/v1/dashboard/territories/{other_territory}", f"/api/v1/dashboard/follow-up/{other_territory}",
                 f"/api/v1/dashboard?territory={other_territory}"):
        assert client.get(path, headers=token).status_code == 404, path
    for path in ("/api/v1/instances", "/api/v1/tasks", f"/api/v1/instances/{own_id}", "/api/v1/dashboard",
                 "/api/v1/dashboard/analytics/convention_anct"):
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


def groupings(conventio):
    """The hub observes cap-nord; the syndicat mixte acts for the Yvelines."""
    add_territory(conventio, ADMIN, code=HUB, name="Hub Antilles-Guyane", kind="association")
    add_territory(conventio, ADMIN, code=SYN, name="Seine-et-Yvelines Numérique", kind="syndicat mixte")
    add_territory(conventio, ADMIN, code="cap-nord", name="CAP Nord Martinique", kind="EPCI", hubs=[HUB])
    add_territory(conventio, ADMIN, code="yvelines", name="Yvelines", kind="département", operator=SYN)
    add_user(conventio, "hub", ["observer"], [HUB], PASSWORD, "Hub observateur")
    add_user(conventio, "hub-directrice", ["director"], [HUB], PASSWORD, "Directrice du hub")
    add_user(conventio, "juriste-hub", ["legal"], [HUB], PASSWORD, "Juriste du hub")
    add_user(conventio, "juriste-syn", ["legal"], [SYN], PASSWORD, "Juriste du syndicat")
    add_user(conventio, "directeur-syn", ["director"], [SYN], PASSWORD, "Directeur du syndicat")


# The matrix's row by territory: generating a document acts on the instance, as completing its
# tasks does. A grouping's legal staff generate for the territories it acts for (an operator),
# never for those it only observes (a hub), through every door; the refusal changes nothing.
GENERATED = dict(EXAMPLES["lettre_rejet"], president="Bruno Nestor AZÉROT", territoire="972")


def generation_attempts(flask_app, conventio, username, instance_id):
    """(API status, page status and text, command line result) of generating the rejection letters."""
    client = flask_app.test_client()
    login(client, username)
    api = client.post(f"/api/v1/instances/{instance_id}/documents", headers=api_token(client, username),
                      json={"template": "lettre_rejet"})
    page = post(client, f"/instances/{instance_id}/documents", {"template": "lettre_rejet"})
    shown = client.get(f"/instances/{instance_id}").get_data(as_text=True)
    command = run_cli(conventio, "documents", "generate", str(instance_id), "lettre_rejet", "--as", username)
    return api, page, shown, command


def test_generating_a_document_needs_to_act_in_the_instances_territory(flask_app, conventio):
    groupings(conventio)
    observed = start_instance(conventio, "convention_anct", dict(GENERATED), actor(conventio, "juriste"),
                              territory="cap-nord")["id"]
    operated = start_instance(conventio, "convention_anct", dict(GENERATED), actor(conventio, "juriste78"),
                              territory="yvelines")["id"]
    refusal = "Vous suivez le territoire « cap-nord » sans y agir."
    before = state(conventio, observed)
    api, page, shown, command = generation_attempts(flask_app, conventio, "juriste-hub", observed)
    assert (api.status_code, api.get_json()["message"]) == (403, refusal)
    assert page.status_code == 403 and refusal in page.get_data(as_text=True)
    assert (command.exit_code, command.stderr.strip()) == (1, f"Erreur : {refusal}")
    assert 'name="template"' not in shown   # the page offers no generation there
    assert state(conventio, observed) == before

    api, page, shown, command = generation_attempts(flask_app, conventio, "juriste-syn", operated)
    assert (api.status_code, page.status_code, command.exit_code) == (201, 302, 0), command.stderr
    assert 'name="template"' in shown
    with conventio.db.sessions() as session:
        made = session.execute(select(func.count()).where(GeneratedDocument.instance_id == operated)).scalar()
    assert made == 3 * len(api.get_json()["generated"])
