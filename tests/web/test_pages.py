"""The pages people use every day, through Flask's test client."""
import html
import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from bpmn_builder import sequence, user_task

from start_data import CAP_NORD
from web_helpers import (CONVENTION_DRAFT, PASSWORD, actor, anct_convention_at_review, csrf_token, login, post)
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import list_tasks
from workflows.store.models import AuditEntry, ProcessInstance, TaskRecord


def text(response):
    return response.get_data(as_text=True)


# --- login, logout, language --------------------------------------------------------------
def test_pages_ask_to_log_in_and_login_leads_back(client):
    response = client.get("/inbox")
    assert response.status_code == 302 and "/login?next=/inbox" in response.location
    page = client.get("/login")
    assert "Connexion" in text(page) and 'lang="fr"' in text(page)
    response = client.post("/login", data={"username": "directrice", "password": PASSWORD,
                                           "csrf_token": csrf_token(client), "next": "/instances"})
    assert response.status_code == 302 and response.location == "/instances"


def test_login_never_redirects_to_another_site(client):
    response = client.post("/login", data={"username": "directrice", "password": PASSWORD,
                                           "csrf_token": csrf_token(client), "next": "//evil.example/x"})
    assert response.location == "/inbox"


def test_wrong_password_is_refused_in_french_and_throttled(client):
    for _ in range(5):
        response = client.post("/login", data={"username": "directrice", "password": "faux",
                                               "csrf_token": csrf_token(client)})
        assert response.status_code == 401 and "Identifiant ou mot de passe incorrect" in text(response)
    blocked = client.post("/login", data={"username": "directrice", "password": PASSWORD,
                                          "csrf_token": csrf_token(client)})
    assert blocked.status_code == 429 and "Trop d’échecs" in text(blocked)
    other = client.post("/login", data={"username": "juriste", "password": PASSWORD,
                                        "csrf_token": csrf_token(client)})
    assert other.status_code == 302, "the throttle counts per user (and address)"


def test_a_form_without_its_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "directrice", "password": PASSWORD})
    assert response.status_code == 400 and "Le formulaire a expiré" in text(response)


def test_session_cookie_is_httponly_and_lax(client):
    login(client, "directrice")
    cookie = client.get_cookie("conventio_session")
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure


def test_secure_cookie_with_https(conventio):
    from conftest import web_settings
    from server import create_app
    app = create_app(conventio=conventio, test_config={"WEB_SETTINGS": web_settings(https=True)})
    client = app.test_client()
    client.post("/login", base_url="https://localhost", data={
        "username": "dgs", "password": PASSWORD,
        "csrf_token": CSRF_FROM(client.get("/login", base_url="https://localhost"))},
        headers={"Referer": "https://localhost/login"})
    cookie = client.get_cookie("conventio_session", domain="localhost")
    assert cookie is not None and cookie.secure and cookie.http_only


def CSRF_FROM(response):
    return re.search(r'name="csrf_token" value="([^"]+)"', text(response)).group(1)


def test_logout_ends_the_session(client):
    login(client, "directrice")
    response = post(client, "/logout")
    assert response.status_code == 302
    assert client.get("/inbox").status_code == 302


def test_the_pages_are_french_whatever_the_browser_asks(client):
    """No language switch (issue 15): task names and rule messages come in French from the
    models and services, so an English page would be half French."""
    for headers in ({}, {"Accept-Language": "en-GB,en;q=0.8"}):
        page = text(client.application.test_client().get("/login?lang=en", headers=headers))
        assert "Connexion" in page and 'lang="fr"' in page and "Log in" not in page
        assert "?lang=" not in page, "no link offers another language"


def test_a_disabled_user_loses_the_session(client, conventio):
    from workflows.services.users import set_active
    login(client, "elu")
    set_active(conventio, "elu", False, actor(conventio, "admin"))
    assert client.get("/inbox").status_code == 302


# --- inbox -----------------------------------------------------------------------------------
def test_inbox_lists_queue_claim_and_release(client, conventio):
    _instance_id, review_id = anct_convention_at_review(conventio)
    login(client, "directrice")
    page = text(client.get("/inbox"))
    queue = page.split('id="queue"')[1]
    assert "Examiner le projet de convention" in queue and review_id in queue
    assert post(client, f"/tasks/{review_id}/claim").status_code == 302
    page = text(client.get("/inbox"))
    assert review_id in page.split('id="mine"')[1].split('id="queue"')[0]
    assert post(client, f"/tasks/{review_id}/release").status_code == 302
    assert review_id in text(client.get("/inbox")).split('id="queue"')[1]


def test_a_task_claimed_by_a_colleague_is_shown_as_theirs_and_cannot_be_taken(client, conventio):
    from workflows.services.assignments import claim_task
    from workflows.services.users import add_user
    _instance_id, review_id = anct_convention_at_review(conventio)
    add_user(conventio, "directeur2", ["director"], ["cap-nord"], PASSWORD, "Denis Directeur")
    claim_task(conventio, review_id, actor(conventio, "directeur2"))
    login(client, "directrice")
    page = text(client.get("/inbox"))
    assert "prise par Denis Directeur" in page.split('id="others"')[1]
    assert post(client, f"/tasks/{review_id}/claim").status_code == 409
    refused = post(client, f"/tasks/{review_id}", {"decision": "approuver"})
    assert refused.status_code == 409 and "directeur2" in text(refused)


def test_overdue_tasks_are_highlighted(client, conventio):
    _instance_id, review_id = anct_convention_at_review(conventio)
    with conventio.db.write_sessions() as session:
        session.get(TaskRecord, review_id).due_at = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=1)
        session.commit()
    login(client, "directrice")
    page = text(client.get("/inbox"))
    assert re.search(r'<tr class="task overdue" data-task-id="' + review_id, page)
    assert "En retard" in page


# --- task page -------------------------------------------------------------------------------
def test_task_form_is_rendered_from_its_schema(client, conventio):
    instance = start_instance(conventio, "convention_anct", dict(CAP_NORD), actor(conventio, "juriste"),
                              territory="cap-nord")
    [task] = list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance["id"])
    login(client, "juriste")
    page = text(client.get(f"/tasks/{task['id']}"))
    assert 'type="date"' in page and 'name="date_projet_convention_anct"' in page
    assert 'name="nombre_pass_prevus"' in page and 'inputmode="numeric"' in page   # integer, typed as written (« 2 080 »)
    assert 'name="montant_achat_prevu_ht"' in page and 'inputmode="decimal"' in page   # number
    assert 'value="Cofinancement du déploiement du Pass numérique"' in page    # schema default
    assert "Terminer la tâche" in page


def test_invalid_data_shows_errors_next_to_fields_and_changes_nothing(client, conventio):
    instance = start_instance(conventio, "convention_anct", dict(CAP_NORD), actor(conventio, "juriste"),
                              territory="cap-nord")
    [task] = list_tasks(conventio, actor(conventio, "juriste"), instance_id=instance["id"])
    login(client, "juriste")
    journal = _journal_size(conventio)
    form = {k: str(v) for k, v in CONVENTION_DRAFT.items()}
    form.update(montant_achat_prevu_ht="vingt mille", nombre_pass_prevus="beaucoup", date_projet_convention_anct="")
    response = post(client, f"/tasks/{task['id']}", form)
    assert response.status_code == 422
    page = text(response)
    assert re.search(r'f-montant_achat_prevu_ht-error">doit être un nombre<', page)
    assert re.search(r'f-nombre_pass_prevus-error">doit être un nombre entier', page)
    assert re.search(r'f-date_projet_convention_anct-error">champ obligatoire', page)
    assert 'value="beaucoup"' in page, "what the user typed comes back"
    assert _journal_size(conventio) == journal
    form.update(montant_achat_prevu_ht="20 800", nombre_pass_prevus="2080", date_projet_convention_anct="2026-03-02")
    done = post(client, f"/tasks/{task['id']}", form)
    assert done.status_code == 302
    assert get_instance(conventio, instance["id"], actor(conventio, "admin"))["data"]["montant_achat_prevu_ht"] == 20800


def _journal_size(conventio):
    with conventio.db.sessions() as session:
        return session.execute(select(func.count()).select_from(AuditEntry)).scalar()


def test_approval_is_three_buttons_and_a_comment_is_required_to_reject(client, conventio):
    instance_id, review_id = anct_convention_at_review(conventio)
    login(client, "directrice")
    page = text(client.get(f"/tasks/{review_id}"))
    for value, label in [("approuver", "Approuver"), ("rejeter", "Rejeter"),
                         ("modifier", "Demander des modifications")]:
        assert f'name="decision" value="{value}"' in page and label in page
    assert '<select id="f-decision"' not in page
    refused = post(client, f"/tasks/{review_id}", {"decision": "rejeter", "commentaire": ""})
    assert refused.status_code == 422
    assert re.search(r'f-commentaire-error">champ obligatoire', text(refused))
    changes = post(client, f"/tasks/{review_id}", {"decision": "modifier", "commentaire": "Préciser la durée."})
    assert changes.status_code == 302
    tasks = list_tasks(conventio, actor(conventio, "admin"), instance_id=instance_id)
    assert [t["bpmn_id"] for t in tasks] == ["rediger_convention_anct"], "sent back to the legal service"


def test_approving_moves_the_convention_to_the_president(client, conventio):
    instance_id, review_id = anct_convention_at_review(conventio)
    login(client, "directrice")
    response = post(client, f"/tasks/{review_id}", {"decision": "approuver"})
    assert response.status_code == 302 and response.location == "/inbox"
    assert "est terminée" in text(client.get("/inbox"))
    [task] = list_tasks(conventio, actor(conventio, "admin"), instance_id=instance_id)
    assert task["bpmn_id"] == "signer_convention_anct"
    assert post(client, f"/tasks/{review_id}", {"decision": "approuver"}).status_code in (409, 404)


def test_a_finished_task_shows_no_form(client, conventio):
    _instance_id, review_id = anct_convention_at_review(conventio)
    login(client, "juriste")
    with conventio.db.sessions() as session:
        draft = session.execute(select(TaskRecord).where(TaskRecord.bpmn_id == "rediger_convention_anct",
                                                         TaskRecord.state == "completed")).scalar_one()
    page = text(client.get(f"/tasks/{draft.id}"))
    assert "n’est plus à faire" in page and "Terminer la tâche" not in page


# --- instances -------------------------------------------------------------------------------
def test_instance_page_shows_phases_tasks_diagram_and_journal(client, conventio):
    instance_id, review_id = anct_convention_at_review(conventio)
    login(client, "dgs")
    page = text(client.get(f"/instances/{instance_id}"))
    assert "Examiner le projet de convention" in page and "Journal" in page
    assert "« Rédiger la convention ANCT » terminée" in page
    assert f'data-url="/instances/{instance_id}/diagram.json"' in page
    assert "/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js" in page
    assert f'href="/tasks/{review_id}"' not in page, "the DGS does not act on the director's task"
    diagram = client.get(f"/instances/{instance_id}/diagram.json").get_json()
    [convention] = diagram["diagrams"]
    assert convention["active"] == ["examiner_convention_anct"]
    assert "rediger_convention_anct" in convention["done"] and "<bpmn:definitions" in convention["xml"]


CHAIN = {
    "chaine.bpmn": sequence("chaine", ("appel_phase", '<bpmn:callActivity id="appel_phase" name="Appel" '
                                                      'calledElement="phase_un"/>')),
    "phase_un.bpmn": sequence("phase_un", ("rediger", user_task("rediger", "Rédiger le projet"))),
}


def test_a_chain_shows_one_diagram_per_phase_entered(client, conventio):
    from helpers import deploy_xml
    deploy_xml(conventio, CHAIN)
    instance = start_instance(conventio, "chaine", {}, actor(conventio, "dgs"), territory="cap-nord")
    login(client, "dgs")
    diagram = client.get(f"/instances/{instance['id']}/diagram.json").get_json()
    assert [d["process_id"] for d in diagram["diagrams"]] == ["chaine", "phase_un"]
    assert diagram["diagrams"][0]["active"] == ["appel_phase"]
    assert diagram["diagrams"][1]["active"] == ["rediger"]
    page = text(client.get(f"/instances/{instance['id']}"))
    assert re.search(r'<li class="phase active">phase_un', page)


def test_start_an_instance_from_the_list(client, conventio):
    login(client, "juriste")
    page = text(client.get("/instances"))
    assert "Démarrer une procédure" in page and 'action="/instances/new"' in page
    offered = re.findall(r'<option value="([a-z_]+)"', page[page.index('action="/instances/new"'):])
    assert "pass_numerique" in offered and not {"deliberation", "distribution", "evaluation"} & set(offered)
    form = text(client.get("/instances/new?process_id=convention_anct&territory=cap-nord"))
    assert 'name="collectivite"' in form and 'name="tribunal_administratif"' in form and 'name="fait_a"' in form
    assert '<option value="972" >Martinique (972)</option>' in form
    response = post(client, "/instances", {"process_id": "convention_anct", "territory": "cap-nord",
                                           "title": "Convention ANCT 2026", **CAP_NORD})
    assert response.status_code == 302
    instance_id = int(response.location.rsplit("/", 1)[1])
    started = get_instance(conventio, instance_id, actor(conventio, "admin"))
    assert started["title"] == "Convention ANCT 2026"
    assert {k: started["data"][k] for k in CAP_NORD} == CAP_NORD
    assert "Convention ANCT 2026" in text(client.get("/instances"))


def test_invalid_start_data_shows_the_start_form_again_with_the_errors_and_starts_nothing(client, conventio):
    login(client, "juriste")
    journal = _journal_size(conventio)
    typed = dict(CAP_NORD, collectivite="Commune de Test", president="", territoire="")
    response = post(client, "/instances", {"process_id": "convention_anct", "territory": "cap-nord",
                                           "title": "Essai", **typed})
    assert response.status_code == 422
    page = text(response)
    assert re.search(r'f-president-error">champ obligatoire<', page)
    assert re.search(r'f-territoire-error">champ obligatoire<', page)
    assert 'value="Commune de Test"' in page and 'value="Essai"' in page, "what the user typed comes back"
    assert "Rien n’a été démarré" in page
    assert _journal_size(conventio) == journal
    with conventio.db.sessions() as session:
        assert session.execute(select(func.count()).select_from(ProcessInstance)).scalar() == 0


def test_the_start_form_is_filled_with_the_last_start_data_of_the_territory(client, conventio):
    moved = dict(CAP_NORD, collectivite_adresse="1 rue du Nouveau Siège, 97225 Le Marigot")
    start_instance(conventio, "convention_anct", dict(CAP_NORD), actor(conventio, "juriste"), territory="cap-nord")
    start_instance(conventio, "achat_public", moved, actor(conventio, "juriste"), territory="cap-nord")
    start_instance(conventio, "convention_anct", dict(CAP_NORD, collectivite="Seine-et-Yvelines Numérique"),
                   actor(conventio, "juriste78"), territory="yvelines")
    login(client, "juriste")
    page = text(client.get("/instances/new?process_id=deliberation&territory=cap-nord"))
    assert 'value="1 rue du Nouveau Siège, 97225 Le Marigot"' in page, "the latest start on the territory"
    assert f'value="{CAP_NORD["president"]}"' in page and '<option value="972" selected>' in page
    assert "Seine-et-Yvelines" not in page, "another territory's identity is not offered"
    assert 'name="csrf_token"' in page


def test_starting_needs_a_starter_role(client):
    login(client, "elu")
    assert client.get("/instances/new?process_id=convention_anct&territory=cap-nord").status_code == 403


def test_bpmn_js_is_served_locally_and_nothing_else_from_node_modules(client):
    assert client.get("/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js").status_code == 200
    assert client.get("/vendor/bpmn-js/assets/bpmn-js.css").status_code == 200
    assert client.get("/vendor/bpmn-js/../package.json").status_code == 404
    assert client.get("/vendor/bpmn-js/bpmn-modeler.development.js").status_code == 404


# --- models ----------------------------------------------------------------------------------
BROKEN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="casse" name="Processus cassé" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:scriptTask id="evil" name="Script interdit"><bpmn:script>import os</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="evil"/>
  </bpmn:process>
</bpmn:definitions>""".encode()
GOOD = BROKEN.replace(b"import os", b"x = 1").replace(b'id="casse"', b'id="simple"')


def _upload(client, *files):
    from io import BytesIO
    return post(client, "/models", {"files": [(BytesIO(content), name) for name, content in files]},
                content_type="multipart/form-data")


def test_models_page_lists_versions_and_admin_uploads(client, conventio):
    login(client, "admin")
    page = text(client.get("/models"))
    assert "convention_anct" in page and "v1" in page and "Déployer un jeu de modèles" in page
    response = _upload(client, ("simple.bpmn", GOOD))
    assert response.status_code == 302
    assert "« Processus cassé » (simple) : version 1 déployée" in html.unescape(text(client.get("/models")))


def test_a_refused_model_set_names_file_element_reason_and_deploys_nothing(client, conventio):
    from workflows.services.deploy import list_definitions
    before = len(list_definitions(conventio))
    login(client, "admin")
    response = _upload(client, ("simple.bpmn", GOOD), ("casse.bpmn", BROKEN))
    assert response.status_code == 422
    page = text(response)
    assert "casse.bpmn" in page and "evil" in page and "Script interdit" in page and "bac à sable" in page
    assert len(list_definitions(conventio)) == before


def test_only_administrators_upload_models(client):
    login(client, "directrice")
    assert "Déployer un jeu de modèles" not in text(client.get("/models"))
    assert _upload(client, ("simple.bpmn", GOOD)).status_code == 403


# --- users -----------------------------------------------------------------------------------
def test_admin_lists_adds_and_disables_users(client, conventio):
    login(client, "admin")
    page = text(client.get("/admin/users"))
    assert "directrice" in page and "Direction" in page
    short = post(client, "/admin/users", {"username": "nouveau", "roles": ["finance"], "password": "court"})
    assert short.status_code == 422 and "12 caractères" in text(short)
    added = post(client, "/admin/users", {"username": "nouveau", "display_name": "Nina Nouvelle",
                                          "roles": ["finance"], "territories": "cap-nord",
                                          "password": "un-mot-de-passe-long"})
    assert added.status_code == 302
    assert actor(conventio, "nouveau").roles == {"finance"}
    twice = post(client, "/admin/users", {"username": "nouveau", "roles": ["finance"],
                                          "password": "un-mot-de-passe-long"})
    assert twice.status_code == 409 and "existe déjà" in text(twice)
    assert post(client, "/admin/users/nouveau/active", {"active": "0"}).status_code == 302
    assert 'data-username="nouveau"' in text(client.get("/admin/users"))
    fresh = client.application.test_client()
    refused = fresh.post("/login", data={"username": "nouveau", "password": "un-mot-de-passe-long",
                                         "csrf_token": csrf_token(fresh)})
    assert refused.status_code == 401
    assert post(client, "/admin/users/admin/active", {"active": "0"}).status_code == 302
    assert actor(conventio, "admin").is_admin, "an administrator cannot disable their own account"
