"""Real Celery workers (separate processes) on Redis or RabbitMQ, over a fresh PostgreSQL database."""
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from helpers import ADMIN, ROOT, deploy_xml
from jobs_helpers import (
    CONVENTIO_CLI, TIMER_AT, delete_queue, free_port, require_rabbitmq, require_redis, review_model, wait_until,
)
from workflows.jobs.celery_app import make_celery
from workflows.jobs.settings import JobSettings
from workflows.jobs.tasks import FIRE_INSTANCE_TIMERS, REMIND_OVERDUE_TASKS, SEND_NOTIFICATION
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks
from workflows.services.users import add_user
from workflows.store.models import AuditEntry, JobRun, Notification, TaskRecord

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
LEASE_SECONDS = 3


def job_env(settings, broker, queue, **extra):
    env = {"CONVENTIO_DATABASE_URL": settings.database_url, "CONVENTIO_DATA_DIR": str(settings.data_dir),
           "CONVENTIO_SECRET_KEY": "cle-de-test-partagee", "CONVENTIO_AUDIT_KEY": "cle-de-journal-partagee",
           "CONVENTIO_BROKER_URL": broker, "CONVENTIO_JOBS_QUEUE": queue, "CONVENTIO_MAIL_DOMAIN": "mairie.test",
           "CONVENTIO_NOTIFICATION_LEASE": str(LEASE_SECONDS)}
    return {**env, **{key: str(value) for key, value in extra.items()}}


@pytest.fixture
def client(request):
    """A Celery app to enqueue with; the test's queue is deleted from the broker afterwards."""
    made = []

    def make(settings, env):
        app = make_celery(settings, JobSettings.from_env(env))
        made.append((app, env["CONVENTIO_JOBS_QUEUE"]))
        return app
    yield make
    for app, queue in made:
        delete_queue(app, queue)


def count(app, model, *conditions):
    with app.db.sessions() as session:
        return session.execute(select(func.count()).select_from(model).where(*conditions)).scalar()


def test_two_workers_fire_200_due_timers_each_exactly_once(pg_app, pg_settings, queue, celery_processes, client):
    env = job_env(pg_settings, require_redis(), queue, CONVENTIO_TIMER_INTERVAL=0.5)
    celery_processes.env.update(env)
    workers = [celery_processes.worker(name) for name in ("w1", "w2")]
    celery_processes.beat()
    deploy_xml(pg_app, {"minute.bpmn": TIMER_AT})
    due = datetime.now(timezone.utc) + timedelta(seconds=12)
    ids = [start_instance(pg_app, "minute", {"echeance": due.isoformat()}, ADMIN)["id"] for _ in range(200)]
    celery_processes.wait_ready(*workers)
    app = client(pg_settings, env)
    wait_until(lambda: datetime.now(timezone.utc) >= due, 30, "échéance jamais atteinte")
    # Besides beat's sweep, one more job per instance: both workers race on the same instances.
    for instance_id in ids:
        app.send_task(FIRE_INSTANCE_TIMERS, (instance_id,))

    wait_until(lambda: count(pg_app, AuditEntry, AuditEntry.action == "minuteur") >= 200, 90,
               "les 200 minuteurs n’ont pas été déclenchés")
    time.sleep(2)   # a few more sweeps: nothing may fire twice
    assert count(pg_app, AuditEntry, AuditEntry.action == "minuteur") == 200
    ready = dict(pg_app.db.sessions().execute(
        select(TaskRecord.instance_id, func.count()).where(TaskRecord.state == "ready", TaskRecord.manual.is_(True))
        .group_by(TaskRecord.instance_id)).all())
    assert ready == {instance_id: 1 for instance_id in ids}
    fired_by = [w.log_path.read_text().count(f"{FIRE_INSTANCE_TIMERS}[") for w in workers]
    assert all(fired_by), f"un worker n’a rien fait : {fired_by}"


def setup_overdue_review(app):
    deploy_xml(app, {"revue.bpmn": review_model("P1D")})
    add_user(app, "juriste", ["legal"], ["cap-nord"], display_name="Jeanne Juriste")
    instance_id = start_instance(app, "revue", {}, ADMIN, territory="cap-nord")["id"]
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    return task, (datetime.fromisoformat(task["due_at"]) + timedelta(hours=1)).isoformat()


def kill_mid_send(tmp_path, hold):
    """Wait for a job inside the SMTP send, SIGKILL that process, let the next delivery through."""
    wait_until(lambda: any(tmp_path.glob("in-send-*")), 60, "aucun envoi commencé")
    [marker] = tmp_path.glob("in-send-*")
    os.kill(int(marker.name.rsplit("-", 1)[1]), signal.SIGKILL)
    marker.unlink()
    hold.unlink()


def assert_sent_once(app, inbox, task):
    [message] = inbox.wait_for(1, 60)
    time.sleep(LEASE_SECONDS + 2)     # a duplicate would have arrived by now
    assert len(inbox.messages) == 1
    assert message["To"] == "juriste@mairie.test"
    assert f"/taches/{task['id']}" in message.get_content()
    with app.db.sessions() as session:
        notification = session.execute(select(Notification)).scalar_one()
        run = session.execute(select(JobRun).where(JobRun.name == SEND_NOTIFICATION)).scalar_one()
    assert (notification.status, notification.attempts) == ("sent", 2)
    assert run.status == "succeeded" and run.attempts >= 2, (run.status, run.attempts)


def test_a_pool_process_killed_mid_send_is_redelivered_and_mails_once(pg_app, pg_settings, queue, inbox,
                                                                      celery_processes, client, tmp_path):
    hold = tmp_path / "hold"
    hold.touch()
    env = job_env(pg_settings, require_redis(), queue, CONVENTIO_SMTP_HOST="127.0.0.1",
                  CONVENTIO_SMTP_PORT=inbox.port, CONVENTIO_TEST_HOLD=hold)
    celery_processes.env.update(env)
    worker = celery_processes.worker("w1", app="held_worker_entry", pool="prefork")
    task, later = setup_overdue_review(pg_app)
    celery_processes.wait_ready(worker)
    client(pg_settings, env).send_task(REMIND_OVERDUE_TASKS, kwargs={"now": later})
    kill_mid_send(tmp_path, hold)      # the pool process dies; its worker requeues the job (late ack)
    assert_sent_once(pg_app, inbox, task)
    assert "WorkerLostError" in worker.log_path.read_text()


def test_a_worker_killed_mid_send_leaves_the_job_to_the_other_one(pg_app, pg_settings, queue, inbox,
                                                                  celery_processes, client, tmp_path):
    hold = tmp_path / "hold"
    hold.touch()
    env = job_env(pg_settings, require_rabbitmq(), queue, CONVENTIO_SMTP_HOST="127.0.0.1",
                  CONVENTIO_SMTP_PORT=inbox.port, CONVENTIO_TEST_HOLD=hold)
    celery_processes.env.update(env)
    workers = [celery_processes.worker(name, app="held_worker_entry", pool="solo") for name in ("w1", "w2")]
    task, later = setup_overdue_review(pg_app)
    celery_processes.wait_ready(*workers)
    client(pg_settings, env).send_task(REMIND_OVERDUE_TASKS, kwargs={"now": later})
    kill_mid_send(tmp_path, hold)      # the whole worker dies: RabbitMQ hands the unacked job over
    assert_sent_once(pg_app, inbox, task)
    assert sum(w.poll() is None for w in workers) == 1


def test_a_failing_job_retries_with_backoff_then_shows_as_failed(pg_app, pg_settings, queue, celery_processes,
                                                                 client):
    env = job_env(pg_settings, require_redis(), queue, CONVENTIO_SMTP_HOST="127.0.0.1",
                  CONVENTIO_SMTP_PORT=free_port(), CONVENTIO_JOB_MAX_RETRIES=2, CONVENTIO_JOB_RETRY_BACKOFF=1,
                  CONVENTIO_JOB_RETRY_JITTER=0)
    celery_processes.env.update(env)
    worker = celery_processes.worker("w1", app=None, pool="solo")      # through `conventio worker`
    _task, later = setup_overdue_review(pg_app)
    celery_processes.wait_ready(worker)
    client(pg_settings, env).send_task(REMIND_OVERDUE_TASKS, kwargs={"now": later})

    wait_until(lambda: count(pg_app, JobRun, JobRun.status == "failed") == 1, 60, "la tâche n’a pas échoué")
    with pg_app.db.sessions() as session:
        run = session.execute(select(JobRun).where(JobRun.status == "failed")).scalar_one()
        notification = session.execute(select(Notification)).scalar_one()
    assert (run.name, run.attempts) == (SEND_NOTIFICATION, 3)
    assert (run.finished_at - run.started_at).total_seconds() >= 1 + 2     # waited 1 s, then 2 s
    assert run.last_error.startswith("Envoi du courriel à juriste@mairie.test impossible par 127.0.0.1:")
    assert notification.status == "failed"

    shown = run_cli(env, "jobs", "failed")
    assert shown.returncode == 0, shown.stderr
    assert f"n° {run.id}  Envoi d’un courriel ({notification.id})  3 essai(s)" in shown.stdout
    assert "erreur : Envoi du courriel à juriste@mairie.test impossible" in shown.stdout


def run_cli(env, *args):
    return subprocess.run([sys.executable, "-c", CONVENTIO_CLI, *args], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **env), timeout=60)


def test_worker_and_beat_refuse_to_start_without_a_broker(tmp_path):
    env = {"CONVENTIO_DATA_DIR": str(tmp_path), "CONVENTIO_BROKER_URL": ""}
    for command in ("worker", "beat"):
        result = run_cli(env, command)
        assert result.returncode == 1
        assert result.stderr.startswith("Erreur : Aucun broker n’est configuré (CONVENTIO_BROKER_URL)")
