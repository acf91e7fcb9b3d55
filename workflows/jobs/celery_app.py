"""The Celery application factory: nothing is configured at import time.

    app = make_celery(Settings.from_env())            # jobs settings from the environment
    app = make_celery(settings, jobs, conventio=c)    # embedded: share the server's Conventio
"""
import logging
import os
import threading

from celery import Celery, Task
from celery.schedules import crontab

from ..services import open_conventio
from ..services.steps import utc_now
from . import runs
from .settings import JobSettings
from .tasks import CONVERT_PDFS, FIRE_DUE_TIMERS, REFRESH_INDICATORS, REMIND_OVERDUE_TASKS, register_tasks

PDF_SWEEP_SECONDS = 30

log = logging.getLogger(__name__)
EMBEDDED_BROKER = "memory://"


class ConventioHolder:
    """One Conventio per process: a prefork child opens its own after the fork."""

    def __init__(self, settings, conventio=None):
        self.settings = settings
        self._conventio = conventio
        self._pid = os.getpid() if conventio is not None else None
        self._lock = threading.Lock()

    def get(self):
        if self._conventio is None or self._pid != os.getpid():
            with self._lock:
                if self._conventio is None or self._pid != os.getpid():
                    # Workers never migrate: `conventio db upgrade` is the operator's step.
                    self._conventio = open_conventio(self.settings, migrate=False)
                    self._pid = os.getpid()
        return self._conventio


class JobTask(Task):
    """Base of every job: its Conventio, its settings, and a job_run row kept up to date.

    quiet: run per instance, often; only retries and failures are recorded.
    periodic: sent by beat; not retried (the next beat is the retry), and its failures in a
    row share one row, keyed by the job's name, instead of one row a second.
    """
    quiet = False
    periodic = False
    failing = False     # this process noted a periodic failure not followed by a success yet

    def conventio(self):
        return self.app.conventio_holder.get()

    @property
    def jobs(self):
        return self.app.job_settings

    def _note(self, note, *args, **kwargs):
        # Bookkeeping must never be why a job fails.
        try:
            note(self.conventio().db, *args, **kwargs)
        except Exception:
            log.exception("suivi de la tâche %s impossible", self.name)

    def before_start(self, task_id, args, kwargs):
        if not (self.quiet or self.periodic):
            self._note(runs.note_start, task_id, self.name, args, kwargs, utc_now())

    def on_success(self, retval, task_id, args, kwargs):
        if self.periodic and self.failing:
            self.failing = False
            self._note(runs.note_periodic_recovery, self.name, utc_now())
        elif not (self.quiet or self.periodic):
            self._note(runs.note_end, task_id, self.name, args, kwargs, "succeeded", utc_now())

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        self._note(runs.note_end, task_id, self.name, args, kwargs, "retrying", utc_now(),
                   error=runs.describe_error(exc), attempts=self._attempts())

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if self.periodic:
            self.failing = True
            self._note(runs.note_periodic_failure, self.name, runs.describe_error(exc), utc_now())
            return
        self._note(runs.note_end, task_id, self.name, args, kwargs, "failed", utc_now(),
                   error=runs.describe_error(exc), attempts=self._attempts())

    def _attempts(self):
        # Quiet jobs have no start noted to count from: their retry counter tells.
        return self.request.retries + 1 if self.quiet else None


def beat_schedule(jobs):
    hour, minute = (int(part) for part in jobs.indicators_at.split(":"))
    return {
        "minuteurs-echus": {"task": FIRE_DUE_TIMERS, "schedule": jobs.timer_interval,
                            # Beats piled up while no worker ran are worth nothing: drop them.
                            "options": {"expires": max(10.0, 5 * jobs.timer_interval)}},
        "relances": {"task": REMIND_OVERDUE_TASKS, "schedule": jobs.reminder_interval,
                     "options": {"expires": max(30.0, 2 * jobs.reminder_interval)}},
        "indicateurs": {"task": REFRESH_INDICATORS, "schedule": crontab(hour=hour, minute=minute)},
        "pdf": {"task": CONVERT_PDFS, "schedule": PDF_SWEEP_SECONDS,
                "options": {"expires": 2 * PDF_SWEEP_SECONDS}},
    }


def celery_config(jobs):
    config = dict(
        broker_url=jobs.broker_url or EMBEDDED_BROKER,
        broker_connection_retry_on_startup=True,
        task_default_queue=jobs.queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,       # outcomes live in job_run and in the tables the jobs write
        task_serializer="json", accept_content=["json"],
        timezone=jobs.timezone, enable_utc=True,
        beat_schedule=beat_schedule(jobs),
    )
    if jobs.broker_url and jobs.broker_url.startswith(("redis://", "rediss://")):
        config["broker_transport_options"] = {"visibility_timeout": jobs.visibility_timeout}
    if jobs.embedded:
        config["broker_transport_options"] = {"polling_interval": 0.1}
    return config


def make_celery(settings, jobs=None, conventio=None):
    """A Celery app for Conventio `settings`; `conventio` shares an open one (embedded mode)."""
    jobs = jobs or JobSettings.from_env()
    app = Celery("conventio", set_as_current=False)
    app.conf.update(celery_config(jobs))
    app.job_settings = jobs
    app.conventio_holder = ConventioHolder(settings, conventio)
    register_tasks(app, JobTask, jobs)
    return app
