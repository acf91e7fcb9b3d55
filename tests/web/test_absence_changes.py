"""Cancelling an absence or bringing its last day forward (issue 15): by the absent user, who
declared it, or a director of their territory, through the page (the absences table of « Mon
compte »), the API (DELETE / PATCH /api/v1/absences/{id}) and the command line (`conventio absences
cancel|shorten`); journaled in words; from then on the substitute no longer takes the absent user's
tasks. An absence over already does not change (409); every refusal names its reason in French
and changes nothing."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from test_handover import around_today, draft, last_entry, signed_in, state  # noqa: F401  (draft: a fixture)
from test_rights import run_cli
from web_helpers import actor, api_token, post
from workflows.errors import Conflict
from workflows.services.absences import declare_absence, replacing
from workflows.services.assignments import claim_task
from workflows.services.steps import Step
from workflows.states import JournalAction
from workflows.store.models import Absence

STATUS = {"page": 302, "api": 200, "cli": 0}


def change(door, conventio, flask_app, username, absence_id, last_day=None):
    """(status, message) of cancelling (no `last_day`) or shortening the absence as `username`."""
    if door == "cli":
        args = ["absences", "cancel", str(absence_id)] if last_day is None else \
            ["absences", "shorten", str(absence_id), "--to", last_day]
        result = run_cli(conventio, *args, "--as", username)
        return (0, result.stdout.strip()) if result.exit_code == 0 else (result.exit_code, result.stderr.strip())
    client = signed_in(flask_app, username)
    if door == "api":
        headers = api_token(client, username)
        response = client.delete(f"/api/v1/absences/{absence_id}", headers=headers) if last_day is None else \
            client.patch(f"/api/v1/absences/{absence_id}", headers=headers, json={"last_day": last_day})
        return response.status_code, (response.get_json() or {}).get("message")
    path = f"/compte/absences/{absence_id}/" + ("annuler" if last_day is None else "ecourter")
    response = post(client, path, {} if last_day is None else {"last_day": last_day})
    return response.status_code, response.get_data(as_text=True)


def absence_rows(conventio):
    with conventio.db.sessions() as session:
        return session.execute(select(Absence.id, Absence.starts_at, Absence.ends_at)).all()


@pytest.mark.parametrize("door", ["page", "api", "cli"])
def test_the_absent_user_cancels_an_absence_under_way_and_the_substitute_no_longer_takes_their_task(
        door, draft, flask_app, conventio):
    first, last = around_today()
    absence = declare_absence(conventio, "juriste", "juriste2", first, last, actor(conventio, "juriste"))
    assert replacing(conventio, actor(conventio, "juriste2")) == {"juriste"}
    status, _ = change(door, conventio, flask_app, "juriste", absence["id"])
    assert status == STATUS[door]
    action, summary = last_entry(conventio)
    assert action == JournalAction.ABSENCE and summary.startswith("Absence de Julien Juriste du ")
    assert summary.endswith(" terminée ce jour par Julien Juriste : Julie Seconde ne la remplace plus")
    assert replacing(conventio, actor(conventio, "juriste2")) == set()
    with pytest.raises(Conflict, match="déjà prise par Julien Juriste"):
        claim_task(conventio, draft, actor(conventio, "juriste2"))
    [(_, _, ends_at)] = absence_rows(conventio)   # kept, as it was: ended now
    assert ends_at <= datetime.utcnow()


@pytest.mark.parametrize("door", ["page", "api", "cli"])
def test_a_director_withdraws_an_absence_to_come_and_brings_another_s_last_day_forward(door, draft, flask_app,
                                                                                       conventio):
    legal = actor(conventio, "juriste")
    to_come = declare_absence(conventio, "juriste", "juriste2", "2030-01-02", "2030-01-04", legal)
    longer = declare_absence(conventio, "juriste", "juriste2", "2030-02-04", "2030-02-15", legal)
    assert change(door, conventio, flask_app, "directrice", to_come["id"])[0] == STATUS[door]
    assert last_entry(conventio) == (JournalAction.ABSENCE, "Absence de Julien Juriste du 2 janvier 2030 au 4 janvier "
                                     "2030 annulée par Claire Directrice : Julie Seconde ne la remplace plus")
    assert change(door, conventio, flask_app, "directrice", longer["id"], "2030-02-08")[0] == STATUS[door]
    assert last_entry(conventio) == (JournalAction.ABSENCE, "Absence de Julien Juriste écourtée par Claire "
                                     "Directrice : dernier jour le 8 février 2030 au lieu du 15 février 2030")
    [(absence_id, starts_at, ends_at)] = absence_rows(conventio)
    assert absence_id == longer["id"] and ends_at - starts_at == timedelta(days=5)


def test_the_page_offers_each_absence_s_buttons_to_who_may_change_it(draft, flask_app, conventio):
    absence = declare_absence(conventio, "juriste", "juriste2", "2030-01-02", "2030-01-04", actor(conventio, "juriste"))
    page = signed_in(flask_app, "juriste").get("/compte").get_data(as_text=True)
    assert f'action="/compte/absences/{absence["id"]}/annuler"' in page
    assert f'<label for="absence-{absence["id"]}-last_day">' in page
    substitute = signed_in(flask_app, "juriste2").get("/compte").get_data(as_text=True)
    assert f'data-absence-id="{absence["id"]}"' in substitute and "/annuler" not in substitute


def past_absence(conventio):
    """An absence over since yesterday (recorded as such: declaring one in the past is refused)."""
    now = datetime.utcnow()
    with Step(conventio) as step:
        row = Absence(username="juriste", substitute="juriste2", starts_at=now - timedelta(days=5),
                      ends_at=now - timedelta(days=1), declared_by="juriste", declared_at=now - timedelta(days=6))
        step.session.add(row)
        step.session.flush()
        step.commit()
        return row.id


REFUSALS = [   # (who, which absence, the new last day (None: cancel), status, field, the French reason)
    ("juriste2", "to come", None, 403, None, "Seuls la personne absente, qui a déclaré l’absence, la direction de "
                                             "son territoire ou un administrateur peuvent annuler ou écourter"),
    ("directeur78", "to come", "2030-01-03", 403, None, "Seuls la personne absente"),
    ("juriste", "past", None, 409, None, "Cette absence est terminée : elle ne peut plus être annulée ni modifiée."),
    ("juriste", "past", "2030-01-03", 409, None, "Cette absence est terminée"),
    ("juriste", "to come", "2030-01-09", 422, "last_day", "Le dernier jour ne peut qu’être avancé (il est le "
                                                          "4 janvier 2030)"),
    ("juriste", "to come", "2029-12-30", 422, "last_day", "Le dernier jour de l’absence précède le premier"),
    ("juriste", "to come", "le 3", 422, "last_day", "Le dernier jour doit être une date (AAAA-MM-JJ)."),
    ("juriste", "unknown", None, 404, None, "Absence n° 999 introuvable."),
]


@pytest.mark.parametrize("door", ["page", "api", "cli"])
@pytest.mark.parametrize("who, which, last_day, status, field, reason", REFUSALS)
def test_a_refused_change_says_why_and_changes_nothing(door, who, which, last_day, status, field, reason, draft,
                                                      flask_app, conventio):
    to_come = declare_absence(conventio, "juriste", "juriste2", "2030-01-02", "2030-01-04", actor(conventio, "juriste"))
    absence_id = {"to come": to_come["id"], "past": None, "unknown": 999}[which] or past_absence(conventio)
    before, rows = state(conventio), absence_rows(conventio)
    got, message = change(door, conventio, flask_app, who, absence_id, last_day)
    assert got == (1 if door == "cli" else status)
    assert reason in message
    if door == "page" and field:   # the page again, the date typed kept, marked invalid
        assert f'id="absence-{absence_id}-last_day" name="last_day" type="date"\n                   ' \
               f'value="{last_day}"' in message and 'aria-invalid="true"' in message
    assert state(conventio) == before and absence_rows(conventio) == rows


def test_an_absence_is_not_lengthened_through_the_api_without_a_day(draft, flask_app, conventio):
    to_come = declare_absence(conventio, "juriste", "juriste2", "2030-01-02", "2030-01-04", actor(conventio, "juriste"))
    client = signed_in(flask_app, "juriste")
    response = client.patch(f"/api/v1/absences/{to_come['id']}", headers=api_token(client, "juriste"), json={})
    assert response.status_code == 422 and response.get_json()["details"] == {"last_day": "champ obligatoire"}
