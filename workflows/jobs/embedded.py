"""The jobs inside `conventio serve` when no broker is configured: nothing else to start.

A Celery worker and a beat run as threads of the server over kombu's in-memory transport.
The same jobs as in production run, with the same retries and backoff; what is lost is
only the queue of a stopped server, and every job is derived again from the database:
due timers from next_timer_at, e-mails from the pending notifications, indicators from
the beat's schedule file. (Measured alternatives in the jobs report: eager execution retries at
once and recursively, without any backoff; kombu's SQLAlchemy transport on SQLite costs
3.7 % of a core while idle at a 50 ms poll, against 0.3 % here.)

With CONVENTIO_BROKER_URL set, separate `conventio worker` / `conventio beat` processes
do the work, and the handle only offers `.celery` to enqueue jobs.
"""
import logging
import threading
from dataclasses import dataclass

from celery import beat

from .celery_app import make_celery
from .settings import JobSettings

log = logging.getLogger(__name__)
WORKER_THREADS = 2   # a slow SMTP server must not hold the timers back


@dataclass
class EmbeddedJobs:
    celery: object
    worker: object = None
    worker_thread: threading.Thread | None = None
    beat: object = None

    def stop(self, timeout=10):
        if self.beat is not None:
            self.beat.stop()
        if self.worker is not None:
            self.worker.stop(in_sighandler=False)
            self.worker_thread.join(timeout)
        self.beat = self.worker = None


def start_embedded_jobs(conventio, jobs=None):
    """Start the in-process worker and beat (embedded default); return a handle with .stop()."""
    jobs = jobs or JobSettings.from_env()
    app = make_celery(conventio.settings, jobs, conventio=conventio)
    if not jobs.embedded:
        log.info("tâches de fond confiées aux workers Celery (%s)", jobs.queue)
        return EmbeddedJobs(app)
    app.conf.update(worker_hijack_root_logger=False, worker_enable_remote_control=False)
    _quiet_routine_logs()
    # Pool threads resolve Celery's current app: without this, a retry is published
    # through the default app (amqp://localhost) and lost.
    app.set_default()
    worker = app.WorkController(pool_cls="threads", concurrency=WORKER_THREADS, without_mingle=True,
                                without_gossip=True, without_heartbeat=True)
    worker_thread = threading.Thread(target=_run_worker, args=(app, worker), name="conventio-jobs", daemon=True)
    worker_thread.start()
    schedule = conventio.settings.data_dir / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    clock = beat.EmbeddedService(app, thread=True, schedule_filename=str(schedule))
    clock.start()
    log.info("tâches de fond intégrées démarrées (minuteurs toutes les %s s)", jobs.timer_interval)
    return EmbeddedJobs(app, worker, worker_thread, clock)


def _quiet_routine_logs():
    # Two lines a second (sweep received, succeeded) would drown the server's log;
    # failures still log at ERROR, and job_run keeps retries and failures.
    for name in ("celery.worker.strategy", "celery.app.trace", "celery.beat"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _run_worker(app, worker):
    app.set_current()
    try:
        worker.start()
    except Exception:
        log.exception("le worker intégré s’est arrêté sur une erreur")
