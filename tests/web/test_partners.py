"""Outside partners (issue 15, « Who sees what »): the ANCT, a prescriber, a mediation place reach a
territory's procedures only through their own tasks and the documents addressed to them, through
the pages, the API and the command line alike; what they do not reach is a 404, and reading it
changes nothing. The staff still see everything (tests/web/test_rights.py's matrix)."""
import json
import re
from io import BytesIO

from docx import Document
from sqlalchemy import func, select

from test_rights import run_cli
from web_helpers import actor, anct_convention_at_review, api_token, login
from workflows.services.partners import task_data_for
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import AuditEntry, GeneratedDocument

DELIBERATED = {"numero_deliberation": "CC-09-2026-031", "date_seance": "2026-09-24", "date_executoire": "2026-09-30"}
COUNTERSIGNATURE_FIELDS = {"date_contresignature_anct", "numero_convention_anct", "signataire_anct"}
PRESIDENT = "Bruno Nestor AZÉROT"   # in the start data: the dossier, not the ANCT's task


def convention_at_countersignature(conventio):
    """A convention_anct approved and signed by the président: the ANCT's countersignature is ready;
    (instance id, task id, the convention's document id)."""
    instance_id, review_id = anct_convention_at_review(conventio, start=DELIBERATED)
    complete_task(conventio, review_id, {"decision": "approuver"}, actor(conventio, "directrice"))
    [signature] = list_tasks(conventio, actor(conventio, "president"), instance_id=instance_id)
    complete_task(conventio, signature["id"], {"date_signature_convention_anct": "2026-10-20",
                                               "signataire_convention_anct": PRESIDENT,
                                               "qualite_signataire_convention_anct": "Président"},
                  actor(conventio, "president"))
    [countersignature] = list_tasks(conventio, actor(conventio, "anct"), instance_id=instance_id)
    with conventio.db.sessions() as session:
        # the current version: the convention is made again once signed (the signature prints in it)
        document_id = session.execute(select(GeneratedDocument.id).where(
            GeneratedDocument.instance_id == instance_id, GeneratedDocument.template == "convention_anct")
            .order_by(GeneratedDocument.revision.desc()).limit(1)).scalar_one()
    return instance_id, countersignature["id"], document_id


def journal_length(conventio):
    with conventio.db.sessions() as session:
        return session.execute(select(func.count()).select_from(AuditEntry)).scalar()


def test_the_anct_works_on_its_countersignature_with_the_convention_and_nothing_else(client, conventio, tmp_path):
    instance_id, task_id, document_id = convention_at_countersignature(conventio)
    login(client, "anct")
    token = api_token(client, "anct")

    inbox = client.get("/inbox").get_data(as_text=True)
    assert f'data-task-id="{task_id}"' in inbox and f'href="/instances/{instance_id}"' not in inbox
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "Convention de cofinancement avec l&#39;ANCT" in page or "Convention de cofinancement avec l'ANCT" in page
    assert f'href="/documents/{document_id}"' in page and f'href="/instances/{instance_id}"' not in page
    dossier = re.search(r'<section id="dossier">.*?</section>', page, re.S).group(0)
    assert "Claire DUMONT" in dossier   # the ANCT's signatory, a field of its own form
    assert PRESIDENT not in dossier and "20\u202f800" not in dossier and "Président" not in dossier

    task = client.get(f"/api/v1/tasks/{task_id}", headers=token).get_json()
    assert set(task["data"]) <= COUNTERSIGNATURE_FIELDS and task["data"], task["data"]
    shown = json.loads(run_cli(conventio, "tasks", "show", task_id, "--as", "anct").stdout)
    assert shown["data"] == task["data"]

    listed = client.get(f"/api/v1/instances/{instance_id}/documents", headers=token).get_json()
    assert {d["template"] for d in listed} == {"convention_anct"}   # its versions, nothing else
    downloaded = client.get(f"/api/v1/documents/{document_id}", headers=token)
    assert downloaded.status_code == 200 and Document(BytesIO(downloaded.data)).paragraphs
    assert client.get(f"/documents/{document_id}").status_code == 200
    command = run_cli(conventio, "documents", "download", str(document_id), "--out", str(tmp_path / "c.docx"),
                      "--as", "anct")
    assert command.exit_code == 0 and Document(str(tmp_path / "c.docx")).paragraphs

    # the procedure itself: not listed, not opened, by any door
    assert client.get("/api/v1/instances", headers=token).get_json() == []
    assert f"/instances/{instance_id}" not in client.get("/instances").get_data(as_text=True)
    assert client.get(f"/api/v1/instances/{instance_id}", headers=token).status_code == 404
    assert client.get(f"/instances/{instance_id}").status_code == 404
    refused = run_cli(conventio, "instances", "show", str(instance_id), "--as", "anct")
    assert (refused.exit_code, refused.stderr.strip()) == (1, f"Erreur : Instance n° {instance_id} introuvable.")

    # its step done, the chain goes on with the whole dossier (the transmission's deadline is computed)
    done = client.post(f"/api/v1/tasks/{task_id}/complete", headers=token, json={"data": {
        "date_contresignature_anct": "2026-10-28", "numero_convention_anct": "ANCT-PN-2026-0042",
        "signataire_anct": "Claire DUMONT"}})
    assert done.status_code == 200, done.get_json()
    [transmission] = list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance_id)
    assert transmission["bpmn_id"] == "transmettre_convention_anct_prefecture" and transmission["due_at"]


def test_a_prescriber_reaches_neither_the_anct_convention_nor_the_procedure(client, conventio, tmp_path):
    instance_id, _task_id, document_id = convention_at_countersignature(conventio)
    login(client, "prescripteur")
    token = api_token(client, "prescripteur")
    before = journal_length(conventio)
    for path in (f"/documents/{document_id}", f"/instances/{instance_id}", f"/instances/{instance_id}/diagram.json"):
        assert client.get(path).status_code == 404, path
    for path in (f"/api/v1/documents/{document_id}", f"/api/v1/instances/{instance_id}",
                 f"/api/v1/instances/{instance_id}/documents"):
        response = client.get(path, headers=token)
        assert response.status_code == 404 and response.get_json()["error"] == "introuvable", path
    listed = run_cli(conventio, "documents", "list", str(instance_id), "--as", "prescripteur")
    assert (listed.exit_code, listed.stderr.strip()) == (1, f"Erreur : Instance n° {instance_id} introuvable.")
    download = run_cli(conventio, "documents", "download", str(document_id), "--out", str(tmp_path / "c.docx"),
                       "--as", "prescripteur")
    assert (download.exit_code, download.stderr.strip()) == (1, f"Erreur : Document n° {document_id} introuvable.")
    assert not (tmp_path / "c.docx").exists()
    assert journal_length(conventio) == before


def test_a_partner_task_shows_the_data_its_form_and_instructions_are_about():
    """The prescriber's handout task prints its own dotation and the rule's refusal: kept; the rest
    of the dossier (the members of the assembly, the votes, the amounts) is not theirs."""
    form = {"properties": {"carnets_restitues": {"type": "integer"}}}
    instructions = ('Carnets confiés à {{ dotation["prescripteur"] }} : {{ dotation["nombre_carnets"] }} carnets.'
                    '{% if erreur_remises %} **Bilan refusé** : {{ erreur_remises }}{% endif %}')
    data = {"dotation": {"prescripteur": "CCAS", "nombre_carnets": 4}, "erreur_remises": None,
            "carnets_restitues": 1, "membres_presents": ["Élise Élue"], "votes_pour": 12, "montant_achat_prevu_ht": 1}
    partner = actor_of("prescriber")
    assert task_data_for(partner, data, form, instructions) == {
        "dotation": data["dotation"], "erreur_remises": None, "carnets_restitues": 1}
    assert task_data_for(actor_of("director"), data, form, instructions) == data
    assert task_data_for(partner, data, form, "{% if %}") == {"carnets_restitues": 1}   # a broken template


def actor_of(*roles):
    from workflows.services.actors import Actor
    return Actor("x", frozenset(roles), frozenset({"cap-nord"}), "X")


def test_the_dashboard_lists_no_procedure_to_an_outside_partner(flask_app, conventio):
    """The dashboard's chains, late tasks, errors and deadlines name procedures and link to them:
    the staff's, not a partner's (who keeps the territories' pass figures)."""
    anct_convention_at_review(conventio, title="Convention confidentielle")
    for username, shown in (("prescripteur", False), ("mediation", False), ("directrice", True)):
        client = flask_app.test_client()
        login(client, username)
        token = api_token(client, username)
        for body in (client.get("/tableau-de-bord").get_data(as_text=True),
                     client.get("/tableau-de-bord/export/chaines.csv").get_data(as_text=True),
                     client.get("/api/v1/dashboard", headers=token).get_data(as_text=True)):
            assert ("Convention confidentielle" in body) is shown, username


def two_prescribers(conventio):
    """The CCAS and the Mission locale, both prescribers of cap-nord (the CCAS's agent with an explicit
    organisation, the Mission locale's named by their display name), and a handout task for each, made
    by a multi-instance over the dotations: {organisation: task id}."""
    from test_partner_organisations import CCAS, DOTATIONS, MISSION
    from helpers import ADMIN, deploy_xml
    from web_helpers import PASSWORD
    from workflows.services.instances import start_instance
    from workflows.services.tasks import get_task
    from workflows.services.users import add_user
    deploy_xml(conventio, {"dotations.bpmn": DOTATIONS})
    add_user(conventio, "ccas", ["prescriber"], ["cap-nord"], PASSWORD, "Chloé Agent", organisation=CCAS)
    add_user(conventio, "mission", ["prescriber"], ["cap-nord"], PASSWORD, MISSION)
    instance = start_instance(conventio, "dotations", {"dotations": [{"prescripteur": CCAS, "nombre_carnets": 4},
                                                                      {"prescripteur": MISSION, "nombre_carnets": 2}]},
                              ADMIN, territory="cap-nord")
    return {get_task(conventio, t["id"], ADMIN)["data"]["dotation"]["prescripteur"]: t["id"]
            for t in list_tasks(conventio, ADMIN, instance_id=instance["id"])}


def test_two_prescribers_of_one_territory_each_reach_only_their_own_task_by_every_door(flask_app, conventio):
    from test_partner_organisations import CCAS, MISSION
    task_of = two_prescribers(conventio)
    mine, theirs = task_of[MISSION], task_of[CCAS]
    client = flask_app.test_client()
    login(client, "mission")
    token = api_token(client, "mission")
    before = journal_length(conventio)

    inbox = client.get("/inbox").get_data(as_text=True)
    assert f'data-task-id="{mine}"' in inbox and f'data-task-id="{theirs}"' not in inbox
    assert MISSION in client.get(f"/tasks/{mine}").get_data(as_text=True)
    assert client.get(f"/tasks/{theirs}").status_code == 404
    assert [t["id"] for t in client.get("/api/v1/tasks", headers=token).get_json()] == [mine]
    assert client.get(f"/api/v1/tasks/{theirs}", headers=token).status_code == 404
    refused = client.post(f"/api/v1/tasks/{theirs}/complete", headers=token, json={"data": {}})
    assert refused.status_code == 404 and refused.get_json()["error"] == "introuvable"
    assert client.post(f"/api/v1/tasks/{theirs}/claim", headers=token).status_code == 404
    listed = run_cli(conventio, "tasks", "list", "--as", "mission", "--json")
    assert [t["id"] for t in json.loads(listed.stdout)] == [mine]
    for command in (("tasks", "show", theirs, "--as", "mission"),
                    ("tasks", "complete", theirs, "--data", "{}", "--as", "mission")):
        result = run_cli(conventio, *command)
        assert (result.exit_code, result.stderr.strip()) == (1, f"Erreur : Tâche {theirs} introuvable."), command
    assert journal_length(conventio) == before

    done = client.post(f"/api/v1/tasks/{mine}/complete", headers=token, json={"data": {}})
    assert done.status_code == 200, done.get_json()
    result = run_cli(conventio, "tasks", "complete", theirs, "--data", "{}", "--as", "ccas")
    assert result.exit_code == 0, result.stderr


def test_the_administrator_gives_a_partner_their_organisation_on_the_users_page_and_the_command_line(
        flask_app, conventio):
    from workflows.services.users import get_actor
    client = flask_app.test_client()
    login(client, "admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert '<input id="organisation" name="organisation" aria-describedby="organisation-hint"' in page
    from web_helpers import PASSWORD, post
    response = post(client, "/admin/users", {"username": "lieu", "display_name": "Léa Lieu", "roles": "mediation",
                                             "territories": "cap-nord", "organisation": " Cyberbase du Lorrain ",
                                             "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert get_actor(conventio, "lieu").organisation == "Cyberbase du Lorrain"
    assert "Cyberbase du Lorrain" in client.get("/admin/users").get_data(as_text=True)
    result = run_cli(conventio, "users", "add", "ccas", "--role", "prescriber", "--territory", "cap-nord",
                     "--organisation", "CCAS du Lorrain")
    assert result.exit_code == 0, result.stderr
    assert get_actor(conventio, "ccas").organisation == "CCAS du Lorrain"


def test_the_users_list_names_each_partner_s_organisation(conventio):
    from web_helpers import PASSWORD
    from workflows.services.users import add_user
    add_user(conventio, "ccas", ["prescriber"], ["cap-nord"], PASSWORD, "Chloé Agent", organisation="CCAS du Lorrain")
    listed = run_cli(conventio, "users", "list")
    assert "ORGANISATION" in listed.stdout.splitlines()[0]
    assert "CCAS du Lorrain" in next(line for line in listed.stdout.splitlines() if line.startswith("ccas "))
    rows = json.loads(run_cli(conventio, "users", "list", "--json").stdout)
    assert {r["username"]: r["organisation"] for r in rows}["ccas"] == "CCAS du Lorrain"
