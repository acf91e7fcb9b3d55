"""The jobs: each a few lines around a plain function that does the work.

They are registered on each application by register_tasks() (no module-level app), and
they find one another by name through `task.app`, never through Celery's current app.
"""
from datetime import datetime, timezone

from sqlalchemy.exc import DBAPIError

from ..errors import Conflict
from ..services.steps import utc_now
from . import dispatch, indicators, notifications, reminders
from .mail import MailNotSent

FIRE_DUE_TIMERS = "conventio.fire_due_timers"
FIRE_INSTANCE_TIMERS = "conventio.fire_instance_timers"
REMIND_OVERDUE_TASKS = "conventio.remind_overdue_tasks"
SEND_NOTIFICATION = "conventio.send_notification"
REFRESH_INDICATORS = "conventio.refresh_indicators"
CONVERT_PDFS = "conventio.convert_pending_pdfs"

JOB_LABELS = {
    FIRE_DUE_TIMERS: "Recherche des minuteurs échus",
    FIRE_INSTANCE_TIMERS: "Déclenchement des minuteurs d’une instance",
    REMIND_OVERDUE_TASKS: "Relances et escalades des tâches en retard",
    SEND_NOTIFICATION: "Envoi d’un courriel",
    REFRESH_INDICATORS: "Calcul des indicateurs",
    CONVERT_PDFS: "Conversion des documents en PDF",
}

# Worth another try later: the database or the SMTP server may be back by then.
TRANSIENT_ERRORS = (DBAPIError, MailNotSent, Conflict, ConnectionError, TimeoutError)
DUE_TIMERS_PER_SWEEP = 1000


def parse_now(now):
    """Jobs take an optional ISO `now` (tests, catching up); otherwise the wall clock."""
    if not now:
        return utc_now()
    moment = datetime.fromisoformat(now)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def fire_due_timers(task, now=None):
    """Beat, every second or so: hand each due instance to a job of its own."""
    instance_ids = dispatch.take_due_instances(task.conventio().db, parse_now(now), DUE_TIMERS_PER_SWEEP)
    fire = task.app.tasks[FIRE_INSTANCE_TIMERS]
    for instance_id in instance_ids:
        fire.apply_async((instance_id,), {"now": now})
    return len(instance_ids)


def fire_instance_timers(task, instance_id, now=None):
    return dispatch.fire_instance(task.conventio(), instance_id, parse_now(now))


def remind_overdue_tasks(task, now=None):
    """Beat, every minute: record the reminders and escalations due, one e-mail job each."""
    if not task.jobs.smtp.configured:
        return 0
    ids = reminders.create_notifications(task.conventio().db, task.jobs, parse_now(now))
    send = task.app.tasks[SEND_NOTIFICATION]
    for notification_id in ids:
        send.apply_async((notification_id,))
    return len(ids)


def send_notification(task, notification_id):
    try:
        return notifications.send_notification(task.conventio().db, task.jobs, notification_id,
                                               last_attempt=task.request.retries >= task.max_retries)
    except notifications.LeaseHeld as held:
        # Not a failure: wait for the other delivery's lease, outside the retry budget.
        raise task.retry(countdown=held.seconds, max_retries=None, exc=held) from held


def refresh_indicators(task, now=None):
    return indicators.refresh_indicators(task.conventio().db, parse_now(now), task.jobs.timezone)


def convert_pending_pdfs(task):
    """Beat: the documents generated without their PDF get it, in LibreOffice batches."""
    from ..services.documents import convert_pending_pdfs as convert
    return convert(task.conventio())


QUIET = {"quiet": True}
PERIODIC = {"periodic": True, "autoretry_for": ()}
JOBS = [
    (FIRE_DUE_TIMERS, fire_due_timers, PERIODIC),
    (FIRE_INSTANCE_TIMERS, fire_instance_timers, QUIET),
    (REMIND_OVERDUE_TASKS, remind_overdue_tasks, PERIODIC),
    (SEND_NOTIFICATION, send_notification, {}),
    (REFRESH_INDICATORS, refresh_indicators, {}),
    (CONVERT_PDFS, convert_pending_pdfs, PERIODIC),
]


def register_tasks(app, base, jobs):
    retry_policy = dict(autoretry_for=TRANSIENT_ERRORS, max_retries=jobs.max_retries,
                        retry_backoff=jobs.retry_backoff, retry_backoff_max=jobs.retry_backoff_max,
                        retry_jitter=jobs.retry_jitter)
    for name, function, options in JOBS:
        # shared=False: Celery would otherwise hand these tasks, with this app's settings,
        # to every application created later in the process.
        app.task(name=name, bind=True, base=base, shared=False, **{**retry_policy, **options})(function)
