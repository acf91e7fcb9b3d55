"""A separate OS process acting on a Conventio database, for the concurrency and crash tests.

usage: python race_worker.py MODE DATABASE_URL BARRIER_DIR ARG...
  complete TASK_ID    complete the task as admin once the barrier opens
  timers ISO_NOW      fire due timers once the barrier opens
  hang TASK_ID        complete the task but stop forever just before COMMIT
Prints one JSON line: {"ok": true, ...} or {"ok": false, "error": code}.
"""
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from workflows.config import Settings
from workflows.errors import ConventioError
from workflows.services import open_conventio
from workflows.services.actors import Actor

ADMIN = Actor("admin", frozenset({"admin"}))


def wait_for_barrier(barrier):
    (barrier / f"ready-{sys.argv[1]}-{time.monotonic_ns()}").touch()
    while not (barrier / "go").exists():
        time.sleep(0.001)


def hang_before_commit(barrier):
    @event.listens_for(Session, "before_commit")
    def _stop(session):
        session.flush()   # every row of the step is written, not committed
        (barrier / "in-commit").touch()
        time.sleep(600)


def main():
    mode, url, barrier = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    app = open_conventio(Settings.from_env(env={}, data_dir=barrier, database_url=url), migrate=False)
    try:
        if mode == "hang":
            hang_before_commit(barrier)
        else:
            wait_for_barrier(barrier)
        if mode in ("complete", "hang"):
            from workflows.services.tasks import complete_task
            result = complete_task(app, sys.argv[4], {}, ADMIN)
        else:
            from workflows.services.timers import run_due_timers
            result = run_due_timers(app, now=datetime.fromisoformat(sys.argv[4]))
        print(json.dumps({"ok": True, "result": result}))
    except ConventioError as exc:
        print(json.dumps({"ok": False, "error": exc.code, "message": exc.message}))


if __name__ == "__main__":
    main()
