"""The job_run table: one row per Celery job, so that a failed job stays visible with its error."""
import json

from sqlalchemy import select, update

from ..services.persistence import aware, db_time
from ..store.models import JobRun
from ..store.uow import UnitOfWork
from .sql import insert_on_conflict

MAX_ERROR_LENGTH = 4000


def describe_error(exc):
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return message[:MAX_ERROR_LENGTH]


def _arguments(args, kwargs):
    return json.dumps({"args": list(args or ()), "kwargs": dict(kwargs or {})}, ensure_ascii=False, default=str)


def note_start(db, task_id, name, args, kwargs, now):
    """A delivery starts: a new row, or one more attempt (a retry, or a redelivery after a crash)."""
    now = db_time(now)
    with UnitOfWork(db, write=True) as uow:
        statement = insert_on_conflict(uow.session, JobRun).values(
            task_id=task_id, name=name, arguments=_arguments(args, kwargs), status="running",
            attempts=1, started_at=now, updated_at=now)
        uow.session.execute(statement.on_conflict_do_update(
            index_elements=["task_id"],
            set_={"status": "running", "attempts": JobRun.attempts + 1, "updated_at": now}))
        uow.commit()


def note_end(db, task_id, name, args, kwargs, status, now, error=None, attempts=None):
    """Succeeded, retrying or failed; creates the row for jobs whose start was not noted."""
    now = db_time(now)
    finished = now if status in ("succeeded", "failed") else None
    with UnitOfWork(db, write=True) as uow:
        statement = insert_on_conflict(uow.session, JobRun).values(
            task_id=task_id, name=name, arguments=_arguments(args, kwargs), status=status,
            attempts=attempts or 1, last_error=error, started_at=now, updated_at=now, finished_at=finished)
        changes = {"status": status, "updated_at": now, "finished_at": finished}
        if error is not None:
            changes["last_error"] = error
        if attempts is not None:
            changes["attempts"] = attempts
        uow.session.execute(statement.on_conflict_do_update(index_elements=["task_id"], set_=changes))
        uow.commit()


def note_periodic_failure(db, name, error, now):
    """A job sent by beat every second fails: one row per job name counts the failures in a row."""
    now = db_time(now)
    with UnitOfWork(db, write=True) as uow:
        statement = insert_on_conflict(uow.session, JobRun).values(
            task_id=name, name=name, arguments=_arguments((), {}), status="failed", attempts=1,
            last_error=error, started_at=now, updated_at=now, finished_at=now)
        uow.session.execute(statement.on_conflict_do_update(
            index_elements=["task_id"],
            set_={"status": "failed", "attempts": JobRun.attempts + 1, "last_error": error, "updated_at": now,
                  "finished_at": now}))
        uow.commit()


def note_periodic_recovery(db, name, now):
    with UnitOfWork(db, write=True) as uow:
        uow.session.execute(update(JobRun).where(JobRun.task_id == name, JobRun.status == "failed")
                            .values(status="succeeded", updated_at=db_time(now)))
        uow.commit()


def failed_runs(db, limit=100):
    with db.sessions() as session:
        rows = session.execute(select(JobRun).where(JobRun.status == "failed")
                               .order_by(JobRun.updated_at.desc(), JobRun.id.desc()).limit(limit)).scalars()
        return [run_summary(row) for row in rows]


def run_summary(row):
    return {"id": row.id, "task_id": row.task_id, "name": row.name, "arguments": json.loads(row.arguments),
            "status": row.status, "attempts": row.attempts, "last_error": row.last_error,
            "started_at": aware(row.started_at).isoformat(), "updated_at": aware(row.updated_at).isoformat(),
            "finished_at": aware(row.finished_at).isoformat() if row.finished_at else None}

