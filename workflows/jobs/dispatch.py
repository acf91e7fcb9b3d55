"""Handing due timers to jobs, one job per instance.

Firing itself is exactly once whatever happens (the step locks the instance row and
checks its version). What this module adds is that the sweep, which runs every second,
does not hand the same due instance over and over: a handed instance is noted with the
due time it was handed for, and handed again only when that due time changes, or when
its job seems lost (REDISPATCH_AFTER), or after a backoff when its model failed.
"""
from datetime import timedelta

from sqlalchemy import and_, delete, exists, or_, select

from ..errors import InstanceFailed, NotFound
from ..services.persistence import db_time
from ..services.timers import fire_instance_timers
from ..states import InstanceStatus
from ..store.models import ProcessInstance, TimerDispatch
from ..store.uow import UnitOfWork
from .sql import insert_on_conflict

REDISPATCH_AFTER = timedelta(seconds=60)
FAILURE_BACKOFF = timedelta(seconds=60)
FAILURE_BACKOFF_MAX = timedelta(hours=1)


def _is_due(now):
    return and_(ProcessInstance.status == InstanceStatus.RUNNING, ProcessInstance.next_timer_at <= now)


def take_due_instances(db, now, limit):
    """Ids of due instances not already handed to a job for that due time; note them handed."""
    now = db_time(now)
    with UnitOfWork(db, write=True) as uow:
        session = uow.session
        session.execute(delete(TimerDispatch).where(~exists().where(
            ProcessInstance.id == TimerDispatch.instance_id, _is_due(now))))
        due = session.execute(
            select(ProcessInstance.id, ProcessInstance.next_timer_at)
            .outerjoin(TimerDispatch, TimerDispatch.instance_id == ProcessInstance.id)
            .where(_is_due(now), or_(TimerDispatch.instance_id.is_(None),
                                     TimerDispatch.due_at != ProcessInstance.next_timer_at,
                                     TimerDispatch.retry_at <= now))
            .order_by(ProcessInstance.next_timer_at).limit(limit)).all()
        if due:
            statement = insert_on_conflict(session, TimerDispatch).values(
                [{"instance_id": i, "due_at": at, "retry_at": now + REDISPATCH_AFTER, "failures": 0}
                 for i, at in due])
            session.execute(statement.on_conflict_do_update(
                index_elements=["instance_id"],
                set_={"due_at": statement.excluded.due_at, "retry_at": statement.excluded.retry_at}))
        uow.commit()
    return [instance_id for instance_id, _at in due]


def still_due(db, instance_id, now):
    """A cheap read first: a duplicate job for an instance already fired stops here."""
    with db.sessions() as session:
        return session.execute(select(ProcessInstance.id).where(
            ProcessInstance.id == instance_id, _is_due(db_time(now)))).first() is not None


def fire_instance(conventio, instance_id, now):
    """Fire the due timers of one instance; 0 when there was nothing (left) to fire."""
    if not still_due(conventio.db, instance_id, now):
        return 0
    try:
        return fire_instance_timers(conventio, instance_id, now)
    except NotFound:
        return 0
    except InstanceFailed as exc:
        note_failure(conventio.db, instance_id, now, exc.message)
        raise


def note_failure(db, instance_id, now, error):
    """A model that fails when its timer fires is tried again later, not at every sweep."""
    now = db_time(now)
    with UnitOfWork(db, write=True) as uow:
        row = uow.session.get(TimerDispatch, instance_id)
        if row is not None:
            row.failures += 1
            row.last_error = error
            row.retry_at = now + min(FAILURE_BACKOFF * 2 ** (row.failures - 1), FAILURE_BACKOFF_MAX)
        uow.commit()
