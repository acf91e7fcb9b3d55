"""Helpers of the web tests: log in, read the CSRF token, drive a process with the services."""
import re

from server.config import WebSettings
from start_data import CAP_NORD
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.services.users import get_actor

PASSWORD = "mot-de-passe-de-test"
TERRITORY = "cap-nord"
OTHER_TERRITORY = "yvelines"
OTHER_USERS = {"directeur78": "director", "juriste78": "legal", "admin78": "admin"}
# the demo users (server/demo.py), by role
USER_OF_ROLE = {"director": "directrice", "legal": "juriste", "dgs": "dgs", "buyer": "acheteur",
                "finance": "finances", "president": "president", "assembly": "assemblees",
                "prescriber": "prescripteur", "mediation": "mediation", "anct": "anct", "elected": "elu",
                "observer": "observateur", "admin": "admin"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

CONVENTION_DRAFT = {
    "objet_convention_anct": "Cofinancement du déploiement du Pass numérique",
    "montant_achat_prevu_ht": 20800, "nombre_pass_prevus": 2080, "taux_cofinancement_etat_pct": 50,
    "part_minimale_public_pic_pct": 50, "duree_convention_mois": 24, "date_projet_convention_anct": "2026-03-02",
    "signataire_anct": "Claire DUMONT", "qualite_signataire_anct": "Directrice générale déléguée de l'ANCT",
}


def web_settings(**overrides):
    return WebSettings(secret_key="test-secret-key-" + "x" * 32, **overrides)


def csrf_token(client, path="/login"):
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def login(client, username, password=PASSWORD):
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf_token(client, "/inbox")


def post(client, path, data=None, **kwargs):
    """POST a page form with the session's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/inbox"), **(data or {})}, **kwargs)


def actor(conventio, username):
    return get_actor(conventio, username)


def anct_convention_at_review(conventio, territory=TERRITORY, title=None, start=None):
    """A convention_anct instance whose draft is written: the director's review is ready."""
    legal = actor(conventio, "juriste" if territory == TERRITORY else "juriste78")
    instance = start_instance(conventio, "convention_anct", {**CAP_NORD, **(start or {})}, legal,
                              territory=territory, title=title)
    [draft] = list_tasks(conventio, legal, instance_id=instance["id"])
    complete_task(conventio, draft["id"], CONVENTION_DRAFT, legal)
    [review] = [t for t in list_tasks(conventio, legal, instance_id=instance["id"], include_all_roles=True)]
    assert review["bpmn_id"] == "examiner_convention_anct"
    return instance["id"], review["id"]


def anct_convention_at_transmission(conventio, signed_on="2026-10-20", countersigned_on="2026-10-28"):
    """A convention_anct instance signed and countersigned: the legal staff's transmission to the
    préfecture is ready, its legal deadline 15 days after the last signature."""
    instance_id, review_id = anct_convention_at_review(conventio, start={
        "numero_deliberation": "CC-09-2026-031", "date_seance": "2026-09-24", "date_executoire": "2026-09-30"})
    complete_task(conventio, review_id, {"decision": "approuver"}, actor(conventio, "directrice"))
    for username, data in (("president", {"date_signature_convention_anct": signed_on,
                                          "signataire_convention_anct": "Bruno Nestor AZÉROT",
                                          "qualite_signataire_convention_anct": "Président"}),
                           ("anct", {"date_contresignature_anct": countersigned_on,
                                     "numero_convention_anct": "ANCT-PN-2026-0042"})):
        [task] = list_tasks(conventio, actor(conventio, "admin"), instance_id=instance_id)
        complete_task(conventio, task["id"], data, actor(conventio, username))
    [transmission] = list_tasks(conventio, actor(conventio, "admin"), instance_id=instance_id)
    assert transmission["bpmn_id"] == "transmettre_convention_anct_prefecture"
    return instance_id, transmission["id"]


def api_token(client, username, password=PASSWORD):
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}
