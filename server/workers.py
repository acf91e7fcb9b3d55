"""`conventio serve --workers N`: N server processes on one port (gunicorn, threads in each).

One Python process runs one request's Python at a time (the interpreter lock): past a core,
more threads only queue. Gunicorn's master listens and keeps N workers alive; each worker
opens its own Conventio after the fork (its own connections, warm instances and model code
runners), and the steps' optimistic check makes the workers agree as separate servers do.

The due timers and the other embedded jobs run in one worker only: the one holding the data
directory's lock file (flock, released by the system when its process dies, so the worker that
replaces it takes it over).
"""
import fcntl
import os
from dataclasses import replace

from gunicorn.app.base import BaseApplication

from workflows.services import open_conventio

TIMERS_LOCK = "serve-timers.lock"
EXTRA_CONNECTIONS = 3   # beyond the request threads: the embedded jobs' threads


class ServerProcesses(BaseApplication):
    def __init__(self, settings, host, port, workers, threads, start_jobs=None):
        """`start_jobs(conventio)` starts the embedded jobs and returns a handle with .stop();
        None: no timers here (Celery has them)."""
        if settings.db_pool_size is None:
            settings = replace(settings, db_pool_size=threads + EXTRA_CONNECTIONS)
        self.settings, self.start_jobs = settings, start_jobs
        self.options = {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers, "threads": threads, "worker_class": "gthread",
            "proc_name": "conventio", "post_worker_init": self._post_worker_init,
            "worker_exit": self._worker_exit,
        }
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        """In each worker, after the fork: its own Conventio (the master migrated the database)."""
        from . import create_app
        return create_app(conventio=open_conventio(self.settings, migrate=False))

    def _post_worker_init(self, worker):
        if self.start_jobs is None:
            return
        lock = take_lock(self.settings.data_dir / TIMERS_LOCK)
        if lock is not None:
            worker.conventio_jobs = (lock, self.start_jobs(worker.wsgi.extensions["conventio"]))
            worker.log.info("minuteurs et tâches de fond : dans ce processus (%s)", os.getpid())

    @staticmethod
    def _worker_exit(_server, worker):
        jobs = getattr(worker, "conventio_jobs", None)
        if jobs is not None:
            jobs[1].stop()
            os.close(jobs[0])


def take_lock(path):
    """The descriptor of `path` locked for this process, or None when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor
