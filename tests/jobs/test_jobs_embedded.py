"""The embedded default: `conventio serve` runs the jobs itself, with no broker and nothing else started."""
import time
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from helpers import ADMIN, deploy_xml
from jobs_helpers import TIMER_AT, free_port, review_model, wait_until
from workflows.jobs.runs import failed_runs
from workflows.jobs.embedded import start_embedded_jobs
from workflows.jobs.settings import JobSettings, SmtpSettings
from workflows.services.instances import get_instance, start_instance
from workflows.services.users import add_user
from workflows.store.models import AuditEntry, Notification


def test_the_server_fires_timers_and_sends_reminders_without_a_broker(app, inbox):
    jobs = JobSettings(broker_url=None, queue=f"embedded-{uuid.uuid4().hex[:8]}", reminder_interval=1,
                       mail_domain="mairie.test", smtp=SmtpSettings(host="127.0.0.1", port=inbox.port))
    deploy_xml(app, {"minute.bpmn": TIMER_AT, "revue.bpmn": review_model("PT1S")})
    add_user(app, "juriste", ["legal"], ["cap-nord"])
    due = datetime.now(timezone.utc) + timedelta(seconds=2)
    timed = start_instance(app, "minute", {"echeance": due.isoformat()}, ADMIN)["id"]
    start_instance(app, "revue", {}, ADMIN, territory="cap-nord")

    handle = start_embedded_jobs(app, jobs)
    try:
        wait_until(lambda: get_instance(app, timed, ADMIN)["open_tasks"], 10, "le minuteur n’a pas été déclenché")
        fired_after = datetime.now(timezone.utc) - due
        [message] = inbox.wait_for(1, 10)
    finally:
        started = time.monotonic()
        handle.stop()
        stopped_in = time.monotonic() - started
    assert fired_after < timedelta(seconds=3)
    assert stopped_in < 5
    assert message["To"] == "juriste@mairie.test"
    with app.db.sessions() as session:
        assert session.execute(select(Notification.status)).scalars().all() == ["sent"]
        assert session.execute(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.action == "minuteur")).scalar() == 1


def test_with_a_broker_configured_the_server_leaves_the_jobs_to_the_workers(app):
    handle = start_embedded_jobs(app, JobSettings(broker_url="redis://127.0.0.1:6379/0"))
    assert handle.worker is None and handle.beat is None
    assert handle.celery.conf.broker_url == "redis://127.0.0.1:6379/0"
    handle.stop()


def test_embedded_jobs_retry_with_backoff_too(app):
    jobs = JobSettings(broker_url=None, queue=f"embedded-{uuid.uuid4().hex[:8]}", reminder_interval=1,
                       mail_domain="mairie.test", max_retries=1, retry_backoff=1, retry_jitter=False,
                       smtp=SmtpSettings(host="127.0.0.1", port=free_port(), timeout=2))
    deploy_xml(app, {"revue.bpmn": review_model("PT1S")})
    add_user(app, "juriste", ["legal"], ["cap-nord"])
    start_instance(app, "revue", {}, ADMIN, territory="cap-nord")
    handle = start_embedded_jobs(app, jobs)
    try:
        wait_until(lambda: failed_runs(app.db), 15, "l’envoi n’a pas été marqué en échec")
    finally:
        handle.stop()
    [run] = failed_runs(app.db)
    assert run["attempts"] == 2 and "impossible" in run["last_error"]
    elapsed = datetime.fromisoformat(run["finished_at"]) - datetime.fromisoformat(run["started_at"])
    assert elapsed >= timedelta(seconds=1)
