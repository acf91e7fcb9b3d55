"""Handing work over (issue 15): a director gives a task of their territory to a colleague who
holds its role there; a user away names a substitute, who may take the tasks they had claimed.
Both through the page, the API and the command line, journaled in words; every refusal names its
reason in French and changes nothing."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from start_data import CAP_NORD
from test_rights import run_cli
from web_helpers import PASSWORD, actor, api_token, login, post
from workflows.services.absences import declare_absence, replaced_by
from workflows.services.actors import Actor
from workflows.services.assignments import claim_task, claims_for, inbox
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks
from workflows.services.territories import add_territory
from workflows.services.users import add_user
from workflows.states import JournalAction
from workflows.store.models import Absence, AuditEntry, TaskClaim

DRAFT = "Rédiger la convention ANCT"


@pytest.fixture
def draft(conventio):
    """A second legal officer in cap-nord, and the convention's draft claimed by the first: its id."""
    add_user(conventio, "juriste2", ["legal"], ["cap-nord"], PASSWORD, "Julie Seconde")
    legal = actor(conventio, "juriste")
    instance = start_instance(conventio, "convention_anct", dict(CAP_NORD), legal, territory="cap-nord")
    [task] = list_tasks(conventio, legal, instance_id=instance["id"])
    claim_task(conventio, task["id"], legal)
    return task["id"]


def holder(conventio, task_id):
    return claims_for(conventio, [task_id]).get(task_id, {}).get("claimed_by")


def last_entry(conventio):
    with conventio.db.sessions() as session:
        entry = session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).scalar_one()
        return entry.action, entry.summary


def state(conventio):
    """What a refusal must leave as it was: the claims (who holds what), the absences, the journal."""
    with conventio.db.sessions() as session:
        claims = sorted(session.execute(select(TaskClaim.task_id, TaskClaim.username)).all())
        counts = [session.execute(select(func.count()).select_from(m)).scalar() for m in (Absence, AuditEntry)]
        return claims, counts


def signed_in(flask_app, username):
    """A browser of its own, logged in as `username`."""
    client = flask_app.test_client()
    login(client, username)
    return client


def reassign(door, conventio, flask_app, username, task_id, colleague):
    """(status, message) of handing the task to `colleague` as `username` through one door."""
    if door == "cli":
        result = run_cli(conventio, "tasks", "reassign", task_id, colleague, "--as", username)
        return (0, result.stdout.strip()) if result.exit_code == 0 else (result.exit_code, result.stderr.strip())
    client = signed_in(flask_app, username)
    if door == "api":
        response = client.post(f"/api/v1/tasks/{task_id}/reassign", headers=api_token(client, username),
                               json={"user": colleague})
        return response.status_code, (response.get_json() or {}).get("message")
    response = post(client, f"/tasks/{task_id}/reassign", {"user": colleague})
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("door", ["page", "api", "cli"])
def test_a_director_hands_a_claimed_task_to_a_colleague_who_finds_it_in_their_inbox(door, draft, flask_app,
                                                                                      conventio):
    status, _ = reassign(door, conventio, flask_app, "directrice", draft, "juriste2")
    assert status == {"page": 302, "api": 200, "cli": 0}[door]
    assert holder(conventio, draft) == "juriste2"
    assert last_entry(conventio) == (JournalAction.REASSIGNMENT, f"« {DRAFT} » confiée à Julie Seconde par Claire "
                                                                 "Directrice (elle était prise par Julien Juriste)")
    assert [t["id"] for t in inbox(conventio, actor(conventio, "juriste2"))["mine"]] == [draft]
    assert draft in [t["id"] for t in inbox(conventio, actor(conventio, "juriste"))["others"]]
    client = signed_in(flask_app, "juriste")
    taken = client.post(f"/api/v1/tasks/{draft}/complete", headers=api_token(client, "juriste"), json={"data": {}})
    assert taken.status_code == 409 and "Julie Seconde" in taken.get_json()["message"]


def test_the_director_is_offered_the_colleagues_who_hold_the_task_s_role(draft, flask_app, conventio):
    """From the procedure's page, « Confier à un collègue » for a task of any lane of their territory;
    on the task's own page for a task of their lane."""
    client = signed_in(flask_app, "directrice")
    [instance_id] = {t["instance_id"] for t in list_tasks(conventio, actor(conventio, "juriste"))}
    assert f'href="/tasks/{draft}/confier"' in client.get(f"/instances/{instance_id}").get_data(as_text=True)
    page = client.get(f"/tasks/{draft}/confier").get_data(as_text=True)
    form = page[page.index('<section id="reassign">'):]
    form = form[:form.index("</section>")]
    assert 'value="juriste2"' in form and 'value="juriste"' in form
    assert 'value="finances"' not in form and 'value="juriste78"' not in form   # not the role, not the territory
    assert 'value="juriste" selected' in form   # who holds it now
    client = signed_in(flask_app, "juriste")
    assert 'id="reassign"' not in client.get(f"/tasks/{draft}").get_data(as_text=True)
    assert "/confier" not in client.get(f"/instances/{instance_id}").get_data(as_text=True)
    assert client.get(f"/tasks/{draft}/confier").status_code == 403


def test_on_the_director_s_own_task_the_page_offers_the_form(flask_app, conventio):
    from web_helpers import anct_convention_at_review
    add_user(conventio, "directeur2", ["director"], ["cap-nord"], PASSWORD, "Didier Second")
    _instance_id, review_id = anct_convention_at_review(conventio)
    page = signed_in(flask_app, "directrice").get(f"/tasks/{review_id}").get_data(as_text=True)
    assert 'id="reassign"' in page and 'value="directeur2"' in page


REFUSALS = [   # (who, to whom, status, the French reason)
    ("directrice", "finances", 422,
     f"Fanny Finances n’a pas le rôle « Service juridique » : la tâche « {DRAFT} » ne peut lui être confiée."),
    ("directrice", "juriste78", 422,
     f"juriste78 n’agit pas pour le territoire « cap-nord » : la tâche « {DRAFT} » ne peut lui être confiée."),
    ("directrice", "inconnu", 422, "Utilisateur « inconnu » inconnu ou désactivé : la tâche ne peut lui être confiée."),
    ("juriste", "juriste2", 403, "Seule la direction peut confier une tâche à un collègue."),
    ("directeur78", "juriste2", 404, "introuvable"),   # another territory's task does not exist for them
]


@pytest.mark.parametrize("door", ["page", "api", "cli"])
@pytest.mark.parametrize("who, colleague, status, reason", REFUSALS)
def test_a_refused_reassignment_says_why_and_changes_nothing(door, who, colleague, status, reason, draft, flask_app,
                                                            conventio):
    before = state(conventio)
    got, message = reassign(door, conventio, flask_app, who, draft, colleague)
    assert got == (1 if door == "cli" else status)
    assert reason in message
    assert state(conventio) == before and holder(conventio, draft) == "juriste"


def test_a_task_no_longer_ready_is_not_handed_over(draft, flask_app, conventio):
    from web_helpers import CONVENTION_DRAFT
    from workflows.services.tasks import complete_task
    complete_task(conventio, draft, CONVENTION_DRAFT, actor(conventio, "juriste"))
    status, message = reassign("api", conventio, flask_app, "directrice", draft, "juriste2")
    assert (status, message) == (409, "Cette tâche n’est plus à faire : déjà terminée, annulée ou remplacée.")


# --- absences ---------------------------------------------------------------------------------------

def around_today():
    """An absence that includes now whatever the territory's time zone: yesterday to the day after tomorrow."""
    today = date.today()
    return (today - timedelta(days=1)).isoformat(), (today + timedelta(days=2)).isoformat()


def declare(door, conventio, flask_app, username, absence):
    """(status, message) of declaring `absence` (the API's body) as `username` through one door."""
    if door == "cli":
        args = ["absences", "declare", "--substitute", absence["substitute"], "--from", absence["first_day"],
                "--to", absence["last_day"], "--as", username]
        result = run_cli(conventio, *args, *(["--for", absence["username"]] if "username" in absence else []))
        return (0, result.stdout.strip()) if result.exit_code == 0 else (result.exit_code, result.stderr.strip())
    client = signed_in(flask_app, username)
    if door == "api":
        response = client.post("/api/v1/absences", headers=api_token(client, username), json=absence)
        return response.status_code, (response.get_json() or {}).get("message")
    response = post(client, "/compte/absences", absence)
    return response.status_code, response.get_data(as_text=True)


def test_a_substitute_takes_the_task_the_absent_colleague_had_claimed(draft, flask_app, conventio):
    first, last = around_today()
    client = signed_in(flask_app, "juriste")
    declared = post(client, "/compte/absences", {"substitute": "juriste2", "first_day": first, "last_day": last})
    assert declared.status_code == 302
    action, summary = last_entry(conventio)
    assert action == JournalAction.ABSENCE and summary.startswith("Absence de Julien Juriste du ")
    assert summary.endswith(" : remplacé(e) par Julie Seconde, déclarée par Julien Juriste")
    assert 'data-absence-id' in client.get("/compte").get_data(as_text=True)

    client = signed_in(flask_app, "juriste2")
    held = client.post(f"/api/v1/tasks/{draft}/complete", headers=api_token(client, "juriste2"), json={"data": {}})
    assert (held.status_code, held.get_json()["message"]) == (
        409, "Cette tâche est prise par Julien Juriste, que vous remplacez : prenez-la d’abord en remplacement.")
    page = client.get("/inbox").get_data(as_text=True)
    assert f'data-task-id="{draft}"' in page[page.index('id="replacing"'):]
    assert 'id="replacing"' in client.get(f"/tasks/{draft}").get_data(as_text=True)
    assert post(client, f"/tasks/{draft}/claim", {"next": "/inbox"}).status_code == 302
    assert holder(conventio, draft) == "juriste2"
    assert last_entry(conventio) == (JournalAction.CLAIM, f"« {DRAFT} » reprise par Julie Seconde en remplacement "
                                                          "de Julien Juriste, absent(e)")
    # a colleague who replaces nobody still cannot take it
    add_user(conventio, "juriste3", ["legal"], ["cap-nord"], PASSWORD, "Jules Troisième")
    client = signed_in(flask_app, "juriste3")
    assert post(client, f"/tasks/{draft}/claim").status_code == 409


@pytest.mark.parametrize("door", ["api", "cli"])
def test_a_director_declares_a_colleague_s_absence(door, draft, flask_app, conventio):
    first, last = around_today()
    status, _ = declare(door, conventio, flask_app, "directrice",
                        {"username": "juriste", "substitute": "juriste2", "first_day": first, "last_day": last})
    assert status == {"api": 201, "cli": 0}[door]
    assert last_entry(conventio)[1].endswith("remplacé(e) par Julie Seconde, déclarée par Claire Directrice")
    assert [t["id"] for t in inbox(conventio, actor(conventio, "juriste2"))["replacing"]] == [draft]
    client = signed_in(flask_app, "juriste2")
    listed = client.get("/api/v1/absences", headers=api_token(client, "juriste2")).get_json()
    assert [(a["username"], a["substitute"]) for a in listed] == [("juriste", "juriste2")]


ABSENCE_REFUSALS = [   # (who, the absence, status, field, the French reason)
    ("juriste", {"substitute": "finances"}, 422, "substitute",
     "Fanny Finances n’a pas le rôle « Service juridique » de Julien Juriste : il ou elle ne peut pas reprendre ses "
     "tâches."),
    ("juriste", {"substitute": "juriste78"}, 422, "substitute",
     "juriste78 n’agit pas pour le territoire « cap-nord » de Julien Juriste : il ou elle ne peut pas reprendre ses "
     "tâches."),
    ("juriste", {"substitute": "juriste"}, 422, "substitute", "Le remplaçant doit être un(e) autre que la personne "
                                                              "absente."),
    ("juriste", {"first_day": "2027-02-10", "last_day": "2027-02-01"}, 422, "last_day",
     "Le dernier jour de l’absence précède le premier."),
    ("juriste", {"first_day": "10/02/2027"}, 422, "first_day", "Le premier jour doit être une date (AAAA-MM-JJ)."),
    ("juriste", {"first_day": "2020-01-01", "last_day": "2020-01-03"}, 422, "last_day",
     "Cette absence est déjà terminée : indiquez un dernier jour à venir."),
    ("juriste2", {"username": "juriste"}, 403, None,
     "Vous ne pouvez déclarer que votre propre absence ; celle d’un collègue revient à la direction de son "
     "territoire ou à un administrateur."),
    ("directeur78", {"username": "juriste"}, 403, None,
     "Vous ne pouvez déclarer que votre propre absence ; celle d’un collègue revient à la direction de son "
     "territoire ou à un administrateur."),
]


@pytest.mark.parametrize("door", ["page", "api", "cli"])
@pytest.mark.parametrize("who, change, status, field, reason", ABSENCE_REFUSALS)
def test_a_refused_absence_says_why_and_changes_nothing(door, who, change, status, field, reason, draft, flask_app,
                                                       conventio):
    absence = {"substitute": "juriste2", "first_day": "2027-03-01", "last_day": "2027-03-05", **change}
    before = state(conventio)
    got, message = declare(door, conventio, flask_app, who, absence)
    assert got == (1 if door == "cli" else status)
    assert reason in message
    if door == "page" and field:   # the form again, the message by its field
        assert f'id="absence-{field}-error"' in message
    assert state(conventio) == before


ADMIN = Actor("admin", frozenset({"admin"}), display_name="Administrateur")


def test_an_absence_runs_from_midnight_to_midnight_in_the_territory_s_time_and_ends_by_itself(draft, conventio):
    add_territory(conventio, ADMIN, code="cap-nord", name="CAP Nord Martinique", kind="EPCI",
                  time_zone="America/Martinique")
    absence = declare_absence(conventio, "juriste", "juriste2", "2027-01-04", "2027-01-08", actor(conventio, "juriste"))
    assert (absence["starts_at"], absence["ends_at"]) == ("2027-01-04T04:00:00+00:00", "2027-01-09T04:00:00+00:00")
    with conventio.db.sessions() as session:
        assert replaced_by(session, "juriste2", datetime(2027, 1, 4, 3, 59)) == set()
        assert replaced_by(session, "juriste2", datetime(2027, 1, 4, 4, 0)) == {"juriste"}
        assert replaced_by(session, "juriste2", datetime(2027, 1, 9, 3, 59)) == {"juriste"}
        assert replaced_by(session, "juriste2", datetime(2027, 1, 9, 4, 0)) == set()
    # not begun yet: the claimed task is still the absent's own
    with pytest.raises(Exception, match="déjà prise par Julien Juriste"):
        claim_task(conventio, draft, actor(conventio, "juriste2"))
