"""Seed 003 from CAP Nord's roster, through the pages without JavaScript: the sitting of 27 April 2023
ticked member by member (53 in office, 28 present, 10 proxies) gives the counts the sitting's form
takes; proxies are checked as the sitting opens (a refusal comes back with every tick); the extract
is ticked the same way and its document lists the names. The roster's own page and import: the
same rights as the CLI's, because the service decides."""
import re
from io import BytesIO

import pytest

from deployment_helpers import (
    CAP_NORD, PASSWORD, complete, footprint, install, open_task, scenario_data, scenario_start, start, user,
)
from documents.conftest import docx_text
from helpers import ADMIN
from roster_helpers import ROSTER, attendance
from workflows.services.documents import document_file, list_documents
from workflows.services.instances import get_instance
from workflows.services.roster import import_members, list_members

SCENARIO = "deliberation_adoptee_martinique"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def web(app):
    from server import create_app
    from server.config import WebSettings
    return create_app(conventio=app, test_config={"TESTING": True,
                                                  "WEB_SETTINGS": WebSettings(secret_key="roster-" + "x" * 32)})


@pytest.fixture
def people(app):
    install(app)
    import_members(app, ADMIN, CAP_NORD, ROSTER.read_bytes())
    return {"legal": user(app, "juriste-capnord", "legal", CAP_NORD),
            "assembly": user(app, "assemblees-capnord", "assembly", CAP_NORD),
            "director": user(app, "directeur78", "director", "78")}


def signed_in(web, username):
    client = web.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    signed = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert signed.status_code == 302
    return client


def post(client, path, data, **kwargs):
    token = CSRF.search(client.get("/inbox").get_data(as_text=True)).group(1)
    return client.post(path, data={"csrf_token": token, **data}, **kwargs)


def convened(app, people):
    instance = start(app, "deliberation", scenario_start(SCENARIO), people["legal"], CAP_NORD,
                     title="Stratégie de déploiement des Pass numériques")
    complete(app, instance, "rediger_projet_deliberation", scenario_data(SCENARIO, "rediger_projet_deliberation"),
             people["legal"])
    convocation = {**scenario_data(SCENARIO, "convoquer_assemblee"), "date_envoi_convocation": "2023-04-19",
                   "date_seance": "2023-04-27"}
    complete(app, instance, "convoquer_assemblee", convocation, people["assembly"])
    return instance


def ticks(app, changes=None):
    """The form fields of the register's attendance ticked on the roster."""
    ids = {m["name"]: m["id"] for m in list_members(app, ADMIN, CAP_NORD)}
    present, proxies, absent = attendance()
    fields = {f"_roster-{ids[n]}": "present" for n in present}
    fields.update({f"_roster-{ids[n]}": "absent" for n in absent})
    for giver, holder in proxies.items():
        fields.update({f"_roster-{ids[giver]}": "represented", f"_roster-{ids[giver]}-holder": str(ids[holder])})
    for giver, holder in (changes or {}).items():
        fields[f"_roster-{ids[giver]}-holder"] = str(ids[holder])
    return fields


def test_the_sitting_and_the_extract_ticked_on_the_roster_without_javascript(app, web, people):
    instance = convened(app, people)
    sitting = open_task(app, instance, "tenir_seance")
    secretariat = signed_in(web, "assemblees-capnord")
    page = secretariat.get(f"/tasks/{sitting}").get_data(as_text=True)
    assert page.count("<tr data-member=") == 53 and "53 membres en exercice ; quorum : 27 présents" in page
    assert "Conseil communautaire" in page and 'src="/static/task_form.js"' in page
    assert f'href="/territories/{CAP_NORD}/members"' in page

    before = footprint(app)
    officers = {"president_seance": "Bruno Nestor AZÉROT", "secretaire_seance": "Patricia PALMONT"}
    refused = post(secretariat, f"/tasks/{sitting}", {**officers, **ticks(app, {"Sylvie PALCY": "Kristelle RISAL"})})
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Kristelle RISAL détient 2 procurations ; un conseiller ne peut en détenir qu&#39;une seule" in shown
    assert shown.count('value="present" checked') == 28 and shown.count('value="represented" checked') == 10
    assert footprint(app) == before   # refused at the sitting, before any vote was counted on it

    typed_wrong = post(secretariat, f"/tasks/{sitting}", {**officers, **ticks(app), "presents": "27"})
    assert typed_wrong.status_code == 422 and "27 saisi(s), 28 d’après la liste des membres cochée" in \
        typed_wrong.get_data(as_text=True)
    assert post(secretariat, f"/tasks/{sitting}", {**officers, **ticks(app)}).status_code == 302
    data = get_instance(app, instance, people["assembly"])["data"]
    assert (data["membres_en_exercice"], data["presents"], data["procurations"], data["absents"]) == (53, 28, 10, 15)
    assert (data["quorum_requis"], data["quorum_atteint"]) == (27, True)

    complete(app, instance, "voter_deliberation", scenario_data(SCENARIO, "voter_deliberation"), people["assembly"])
    extract = open_task(app, instance, "etablir_extrait")
    page = secretariat.get(f"/tasks/{extract}").get_data(as_text=True)
    assert 'data-expected-presents="28"' in page and page.count("<tr data-member=") == 53
    done = post(secretariat, f"/tasks/{extract}", {"numero_deliberation": "CC-04-2023-095", "fait_a": "Marigot",
                                                   **ticks(app), "liste_absents-0-nom": "Invitée HORS-LISTE"})
    # 16 absents named for the 15 the sitting counted: the model's rule sends the extract back
    again = open_task(app, instance, "etablir_extrait")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/tasks/{again}")
    page = secretariat.get(f"/tasks/{again}").get_data(as_text=True)
    assert "À reprendre" in page and "Invitée HORS-LISTE" in page   # the row typed by hand, in its table
    assert page.count('value="present" checked') == 28 and page.count('value="absent" checked') == 15
    assert page.count('value="represented" checked') == 10 and page.count(" selected>") >= 10
    assert post(secretariat, f"/tasks/{again}", {"numero_deliberation": "CC-04-2023-095", "fait_a": "Marigot",
                                                 **ticks(app)}).status_code == 302
    data = get_instance(app, instance, people["assembly"])["data"]
    assert data["erreur_procurations"] is None and data.get("erreur_presences") is None
    present, proxies, absent = attendance()
    [document] = [d for d in list_documents(app, instance, people["assembly"])
                  if d["template"] == "extrait_deliberation"]
    text = docx_text(document_file(app, document["id"], people["assembly"])[0])
    assert all(name in text for name in present + absent + list(proxies))
    assert "Sarah ANGAMA" in text and "Bruno Nestor AZÉROT" in text


def test_the_roster_page_and_its_import_follow_the_service_s_rights(app, web, people):
    secretariat = signed_in(web, "assemblees-capnord")
    page = secretariat.get(f"/territories/{CAP_NORD}/members")
    assert page.status_code == 200 and "53 membre(s) enregistré(s)" in page.get_data(as_text=True)
    assert "Importer la liste des membres" not in page.get_data(as_text=True)
    assert signed_in(web, "directeur78").get(f"/territories/{CAP_NORD}/members").status_code == 404
    admin = user(app, "admin-capnord", "admin", CAP_NORD)
    before = footprint(app)
    upload = {"file": (BytesIO(b"nom\nX\n"), "m.csv")}
    assert post(secretariat, f"/territories/{CAP_NORD}/members", upload, content_type="multipart/form-data"
                ).status_code == 403
    administrator = signed_in(web, admin.username)
    bad = post(administrator, f"/territories/{CAP_NORD}/members",
               {"file": (BytesIO("nom;assemblee\nJean MARTIN;conseil municipal\n".encode("cp1252")), "m.csv")},
               content_type="multipart/form-data")
    assert bad.status_code == 422 and "ligne 2, colonne « assemblee »" in bad.get_data(as_text=True)
    assert footprint(app) == before and len(list_members(app, ADMIN, CAP_NORD)) == 53
    good = post(administrator, f"/territories/{CAP_NORD}/members",
                {"file": (BytesIO(ROSTER.read_bytes()), "m.csv")}, content_type="multipart/form-data")
    assert good.status_code == 302
    assert "Membres des assemblées" in administrator.get("/admin/territories").get_data(as_text=True)


def test_the_reconvened_sitting_is_ticked_on_the_members_in_office_on_its_own_day(app, web, people):
    """Without the quorum the council meets again three jours francs later: its form takes no
    members in office, and the roster is the one in office that day (one member's term ended)."""
    from workflows.services.timers import run_due_timers
    roster = ROSTER.read_text(encoding="utf-8").replace(
        "Maurice BONTÉ;Conseiller communautaire;conseil communautaire;;",
        "Maurice BONTÉ;Conseiller communautaire;;;30/04/2023")   # his term ended on 30 April
    import_members(app, ADMIN, CAP_NORD, roster.encode("cp1252"))
    instance = convened(app, people)
    complete(app, instance, "tenir_seance", {"membres_en_exercice": 53, "presents": 20, "procurations": 8,
                                             "absents": 25, "president_seance": "Bruno Nestor AZÉROT",
                                             "secretaire_seance": "Patricia PALMONT"}, people["assembly"])
    complete(app, instance, "reconvoquer_assemblee", {"date_envoi_reconvocation": "2023-04-28",
                                                      "date_seance_reconvocation": "2023-05-03"}, people["assembly"])
    run_due_timers(app)
    reconvened = open_task(app, instance, "tenir_seance_reconvocation")
    secretariat = signed_in(web, "assemblees-capnord")
    page = secretariat.get(f"/tasks/{reconvened}").get_data(as_text=True)
    assert page.count("<tr data-member=") == 52 and "Maurice BONTÉ" not in page
    officers = {"president_seance": "Bruno Nestor AZÉROT", "secretaire_seance": "Patricia PALMONT",
                "membres_retires": "0"}
    fields = {k: v for k, v in ticks(app).items() if k != f"_roster-{_id(app, 'Maurice BONTÉ')}"}
    refused = post(secretariat, f"/tasks/{reconvened}", {**officers, **fields})
    shown = refused.get_data(as_text=True)
    # the model keeps the 53 in office of the first sitting: its rule decides, the ticks come back
    assert refused.status_code == 422 and "53 membres en exercice, 28 présents et 10 représentés laissent 15" in shown
    assert shown.count('value="present" checked') == 28
    assert open_task(app, instance, "tenir_seance_reconvocation") == reconvened   # the step did not move
    import_members(app, ADMIN, CAP_NORD, ROSTER.read_bytes())   # Maurice BONTÉ still in office that day
    assert post(secretariat, f"/tasks/{reconvened}", {**officers, **ticks(app)}).status_code == 302
    data = get_instance(app, instance, people["assembly"])["data"]
    assert (data["presents"], data["procurations"], data["absents"]) == (28, 10, 15)


def _id(app, name):
    return next(m["id"] for m in list_members(app, ADMIN, CAP_NORD) if m["name"] == name)
