"""Who is reminded of an overdue task, and that each notification is recorded once."""
from datetime import datetime, timedelta

from sqlalchemy import select, update

from helpers import ADMIN, actor, deploy_xml
from jobs_helpers import review_model
from workflows.jobs.reminders import create_notifications
from workflows.jobs.settings import JobSettings
from workflows.services.assignments import claim_task
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks
from workflows.jobs.notifications import take
from workflows.services.users import add_user, set_active
from workflows.store.models import Notification

JOBS = JobSettings(base_url="https://conventio.example.fr", mail_domain="mairie.test", escalation_delay_hours=48)


def setup_review(app, territory="cap-nord"):
    deploy_xml(app, {"revue.bpmn": review_model("P2D")})
    for username, role, where in [("juriste", "legal", "cap-nord"), ("juriste-b", "legal", "cap-nord"),
                                  ("juriste-sud", "legal", "cap-sud"), ("directrice", "director", "cap-nord"),
                                  ("directeur-sud", "director", "cap-sud")]:
        add_user(app, username, [role], [where], display_name=username.capitalize())
    instance_id = start_instance(app, "revue", {}, ADMIN, territory=territory)["id"]
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    return instance_id, task["id"], datetime.fromisoformat(task["due_at"])


def notifications(app):
    with app.db.sessions() as session:
        return session.execute(select(Notification).order_by(Notification.id)).scalars().all()


def mark_all_sent(app):
    with app.db.write_sessions() as session:
        session.execute(update(Notification).values(status="sent"))
        session.commit()


def test_an_overdue_task_reminds_the_role_in_its_territory_once(app):
    instance_id, task_id, due = setup_review(app)
    assert create_notifications(app.db, JOBS, due - timedelta(minutes=1)) == []
    sent = create_notifications(app.db, JOBS, due + timedelta(hours=1))
    [juriste, juriste_b] = notifications(app)
    assert sent == [juriste.id, juriste_b.id]
    assert (juriste.key, juriste.recipient, juriste.kind) == (f"relance:{task_id}:juriste", "juriste@mairie.test",
                                                              "relance")
    assert juriste.subject == f"[Conventio] Tâche en retard : Relire la convention (instance n° {instance_id})"
    assert "Bonjour Juriste," in juriste.body
    assert f"https://conventio.example.fr/taches/{task_id}" in juriste.body
    assert "Service juridique" in juriste.body and "cap-nord" in juriste.body
    assert create_notifications(app.db, JOBS, due + timedelta(hours=1, minutes=5)) == []
    assert len(notifications(app)) == 2


def test_a_claimed_task_reminds_its_holder_only(app):
    _instance_id, task_id, due = setup_review(app)
    claim_task(app, task_id, actor("juriste-b", "legal", territories=["cap-nord"]))
    create_notifications(app.db, JOBS, due + timedelta(hours=1))
    assert [n.username for n in notifications(app)] == ["juriste-b"]


def test_a_task_held_by_a_departed_user_reminds_the_role_again(app):
    _instance_id, task_id, due = setup_review(app)
    claim_task(app, task_id, actor("juriste-b", "legal", territories=["cap-nord"]))
    set_active(app, "juriste-b", False, ADMIN)
    create_notifications(app.db, JOBS, due + timedelta(hours=1))
    assert [n.username for n in notifications(app)] == ["juriste"]


def test_after_the_second_delay_the_director_of_the_territory_is_told(app):
    _instance_id, task_id, due = setup_review(app)
    create_notifications(app.db, JOBS, due + timedelta(hours=1))
    mark_all_sent(app)
    sent = create_notifications(app.db, JOBS, due + timedelta(hours=49))
    escalation = notifications(app)[-1]
    assert sent == [escalation.id]
    assert (escalation.kind, escalation.username) == ("escalade", "directrice")
    assert escalation.subject.startswith("[Conventio] Escalade : tâche en retard « Relire la convention »")
    assert "confiée au rôle « Service juridique »" in escalation.body
    assert create_notifications(app.db, JOBS, due + timedelta(hours=49, minutes=5)) == []


def test_a_user_without_address_is_recorded_as_skipped(app):
    _instance_id, _task_id, due = setup_review(app)
    jobs = JobSettings(mail_domain=None)
    assert create_notifications(app.db, jobs, due + timedelta(hours=1)) == []
    assert {(n.status, n.last_error) for n in notifications(app)} == {("skipped", "adresse électronique inconnue")}


def test_a_pending_notification_nobody_sent_is_handed_again_later(app):
    _instance_id, _task_id, due = setup_review(app)
    first = create_notifications(app.db, JOBS, due + timedelta(hours=1))
    assert create_notifications(app.db, JOBS, due + timedelta(hours=1, minutes=5)) == []
    assert create_notifications(app.db, JOBS, due + timedelta(hours=1, minutes=11)) == first
    assert create_notifications(app.db, JOBS, due + timedelta(hours=1, minutes=12)) == []


def test_a_notification_whose_sender_died_is_handed_again_later(app):
    _instance_id, _task_id, due = setup_review(app)
    [first, _second] = create_notifications(app.db, JOBS, due + timedelta(hours=1))
    take(app.db, first, due + timedelta(hours=1), lease_seconds=120)      # then the worker dies
    assert create_notifications(app.db, JOBS, due + timedelta(hours=1, minutes=5)) == []
    assert first in create_notifications(app.db, JOBS, due + timedelta(hours=1, minutes=11))
