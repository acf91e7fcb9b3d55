"""The pieces the jobs are made of, on SQLite and PostgreSQL, without a broker."""
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from helpers import ADMIN, deploy_xml
from jobs_helpers import TIMER_AT, free_port, review_model
from workflows.errors import InstanceFailed
from workflows.jobs import dispatch, notifications, runs
from workflows.jobs.celery_app import make_celery
from workflows.jobs.indicators import indicators_of, refresh_indicators
from workflows.jobs.mail import MailNotSent
from workflows.jobs.reminders import create_notifications
from workflows.jobs.settings import JobSettings, SmtpSettings
from workflows.jobs.tasks import FIRE_DUE_TIMERS, REFRESH_INDICATORS
from workflows.services.instances import start_instance
from workflows.services.users import add_user
from workflows.store.models import AuditEntry, JobRun, Notification, TimerDispatch

NOW = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture(autouse=True)
def _now_is_when_the_test_runs(monkeypatch):
    """Engine timers and leases read the real clock: NOW must be this test's, not the import's."""
    monkeypatch.setattr(sys.modules[__name__], "NOW", datetime.now(timezone.utc).replace(microsecond=0))


def start_timed(app, count, due):
    deploy_xml(app, {"minute.bpmn": TIMER_AT})
    return [start_instance(app, "minute", {"echeance": due.isoformat()}, ADMIN)["id"] for _ in range(count)]


def test_a_due_instance_is_handed_once_per_due_time(any_app):
    ids = start_timed(any_app, 3, NOW + timedelta(minutes=1))
    assert dispatch.take_due_instances(any_app.db, NOW, 100) == []
    later = NOW + timedelta(minutes=2)
    assert sorted(dispatch.take_due_instances(any_app.db, later, 100)) == ids
    assert dispatch.take_due_instances(any_app.db, later, 100) == []
    # A job lost on the way: the instance is handed again once REDISPATCH_AFTER has passed.
    assert sorted(dispatch.take_due_instances(any_app.db, later + dispatch.REDISPATCH_AFTER, 100)) == ids
    assert dispatch.fire_instance(any_app, ids[0], later) == 1
    assert dispatch.fire_instance(any_app, ids[0], later) == 0      # a duplicate job does nothing
    dispatch.take_due_instances(any_app.db, later, 100)             # forgets the fired instance
    with any_app.db.sessions() as session:
        assert sorted(session.execute(select(TimerDispatch.instance_id)).scalars()) == ids[1:]
        assert session.execute(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.action == "minuteur")).scalar() == 1


def test_a_model_failing_at_its_timer_is_tried_again_with_backoff(any_app):
    failing = TIMER_AT.replace('<bpmn:userTask id="after" name="Signer après le délai"></bpmn:userTask>',
                               '<bpmn:scriptTask id="after" name="Calcul"><bpmn:script>x = 1 / 0</bpmn:script>'
                               '</bpmn:scriptTask>')
    assert failing != TIMER_AT
    deploy_xml(any_app, {"minute.bpmn": failing})
    due = NOW + timedelta(seconds=30)
    instance_id = start_instance(any_app, "minute", {"echeance": due.isoformat()}, ADMIN)["id"]
    later = NOW + timedelta(minutes=1)
    assert dispatch.take_due_instances(any_app.db, later, 10) == [instance_id]
    with pytest.raises(InstanceFailed):
        dispatch.fire_instance(any_app, instance_id, later)
    assert dispatch.take_due_instances(any_app.db, later + timedelta(seconds=59), 10) == []
    assert dispatch.take_due_instances(any_app.db, later + timedelta(seconds=61), 10) == [instance_id]
    with pytest.raises(InstanceFailed):
        dispatch.fire_instance(any_app, instance_id, later + timedelta(seconds=61))
    with any_app.db.sessions() as session:
        row = session.get(TimerDispatch, instance_id)
        assert row.failures == 2 and "division by zero" in row.last_error


def _one_notification(app, smtp):
    deploy_xml(app, {"revue.bpmn": review_model("P1D")})
    add_user(app, "juriste", ["legal"], ["cap-nord"])
    start_instance(app, "revue", {}, ADMIN, territory="cap-nord")
    jobs = JobSettings(mail_domain="mairie.test", smtp=smtp, notification_lease=30)
    [notification_id] = create_notifications(app.db, jobs, NOW + timedelta(days=2))
    return jobs, notification_id


def expire_lease(app, notification_id):
    with app.db.write_sessions() as session:
        session.execute(update(Notification).where(Notification.id == notification_id)
                        .values(lease_until=datetime(2000, 1, 1)))
        session.commit()


def test_a_notification_is_sent_once_and_a_second_delivery_waits_for_the_lease(any_app, inbox):
    jobs, notification_id = _one_notification(any_app, SmtpSettings(host="127.0.0.1", port=inbox.port))
    leased = notifications.take(any_app.db, notification_id, NOW, 30)
    with pytest.raises(notifications.LeaseHeld) as held:
        notifications.send_notification(any_app.db, jobs, notification_id, last_attempt=False)
    assert 0 < held.value.seconds <= 30 + (datetime.now(timezone.utc) - NOW).total_seconds()
    assert leased.recipient == "juriste@mairie.test"
    expire_lease(any_app, notification_id)      # the first sender died: its lease runs out
    assert notifications.send_notification(any_app.db, jobs, notification_id, last_attempt=False) is True
    assert notifications.send_notification(any_app.db, jobs, notification_id, last_attempt=False) is False
    [message] = inbox.wait_for(1, 5)
    assert message["To"] == "juriste@mairie.test" and "Tâche en retard" in message["Subject"]
    assert message["Message-ID"].endswith("@conventio>")
    with any_app.db.sessions() as session:
        row = session.get(Notification, notification_id)
        assert (row.status, row.attempts, row.lease_until) == ("sent", 2, None)


def test_an_unreachable_smtp_server_gives_the_notification_back_then_fails_it(any_app):
    jobs, notification_id = _one_notification(any_app, SmtpSettings(host="127.0.0.1", port=free_port(), timeout=2))
    with pytest.raises(MailNotSent, match="Envoi du courriel à juriste@mairie.test impossible"):
        notifications.send_notification(any_app.db, jobs, notification_id, last_attempt=False)
    with any_app.db.sessions() as session:
        assert session.get(Notification, notification_id).status == "pending"
    with pytest.raises(MailNotSent):
        notifications.send_notification(any_app.db, jobs, notification_id, last_attempt=True)
    with any_app.db.sessions() as session:
        row = session.get(Notification, notification_id)
        assert (row.status, row.attempts) == ("failed", 2) and "impossible" in row.last_error


def test_job_runs_count_attempts_and_keep_the_last_error(any_app):
    runs.note_start(any_app.db, "t-1", "conventio.send_notification", (7,), {}, NOW)
    runs.note_end(any_app.db, "t-1", "conventio.send_notification", (7,), {}, "retrying", NOW, error="panne SMTP")
    runs.note_start(any_app.db, "t-1", "conventio.send_notification", (7,), {}, NOW + timedelta(seconds=2))
    runs.note_end(any_app.db, "t-1", "conventio.send_notification", (7,), {}, "failed", NOW + timedelta(seconds=2),
                  error="toujours en panne")
    runs.note_end(any_app.db, "t-2", "conventio.fire_instance_timers", (3,), {}, "failed", NOW, error="x", attempts=4)
    failed = {run["task_id"]: run for run in runs.failed_runs(any_app.db)}
    assert failed["t-1"]["attempts"] == 2 and failed["t-1"]["last_error"] == "toujours en panne"
    assert failed["t-1"]["arguments"] == {"args": [7], "kwargs": {}}
    assert failed["t-2"]["attempts"] == 4


def test_nightly_indicators_count_per_territory_and_replace_the_day(any_app):
    deploy_xml(any_app, {"revue.bpmn": review_model("P1D")})
    for territory in ["cap-nord", "cap-nord", "cap-sud", None]:
        start_instance(any_app, "revue", {}, ADMIN, territory=territory)
    later = NOW + timedelta(days=2)
    assert refresh_indicators(any_app.db, later, "Europe/Paris")["values"] == 6
    refresh_indicators(any_app.db, later, "Europe/Paris")
    values = indicators_of(any_app.db, later.astimezone(ZoneInfo("Europe/Paris")).date())
    assert values == {("cap-nord", "instances_running"): 2, ("cap-nord", "overdue_tasks"): 2,
                      ("cap-sud", "instances_running"): 1, ("cap-sud", "overdue_tasks"): 1,
                      ("", "instances_running"): 1, ("", "overdue_tasks"): 1}


def test_a_failing_beat_job_keeps_one_row_counting_its_failures_until_it_recovers(app):
    celery = make_celery(app.settings, JobSettings(broker_url=None), conventio=app)
    sweep = celery.tasks[FIRE_DUE_TIMERS]
    for _ in range(3):
        sweep.apply(kwargs={"now": "pas une date"})
    [run] = runs.failed_runs(app.db)
    assert (run["task_id"], run["attempts"]) == (FIRE_DUE_TIMERS, 3)
    assert "pas une date" in run["last_error"]
    sweep.apply()
    assert runs.failed_runs(app.db) == []


def test_a_job_run_is_recorded_from_start_to_end(app):
    celery = make_celery(app.settings, JobSettings(broker_url=None), conventio=app)
    result = celery.tasks[REFRESH_INDICATORS].apply()
    with app.db.sessions() as session:
        run = session.execute(select(JobRun)).scalar_one()
    assert (run.task_id, run.name, run.status, run.attempts) == (result.id, REFRESH_INDICATORS, "succeeded", 1)
    assert run.finished_at is not None
