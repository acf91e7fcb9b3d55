"""Nightly counters per territory: instances by status and overdue human tasks.

The day's values are replaced as a whole, so the job may run again (retry, catch-up)
without counting twice.
"""
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select

from ..services.persistence import db_time
from ..states import InstanceStatus, TaskState
from ..store.models import IndicatorValue, ProcessInstance, TaskRecord
from ..store.uow import UnitOfWork

NO_TERRITORY = ""


def _instances_by_status(session):
    return session.execute(select(ProcessInstance.territory, ProcessInstance.status, func.count())
                           .group_by(ProcessInstance.territory, ProcessInstance.status)).all()


def _overdue_by_territory(session, now):
    return session.execute(
        select(ProcessInstance.territory, func.count())
        .join(TaskRecord, TaskRecord.instance_id == ProcessInstance.id)
        .where(ProcessInstance.status == InstanceStatus.RUNNING, TaskRecord.state == TaskState.READY,
               TaskRecord.manual.is_(True), TaskRecord.due_at <= db_time(now))
        .group_by(ProcessInstance.territory)).all()


def compute(session, now):
    """{(territory, name): value}; every territory with instances gets an overdue count, 0 included."""
    values = {}
    for territory, status, count in _instances_by_status(session):
        territory = territory or NO_TERRITORY
        values[(territory, f"instances_{status}")] = count
        values.setdefault((territory, "overdue_tasks"), 0)
    for territory, count in _overdue_by_territory(session, now):
        values[(territory or NO_TERRITORY, "overdue_tasks")] = count
    return values


def refresh_indicators(db, now, timezone):
    day = now.astimezone(ZoneInfo(timezone)).date()
    with UnitOfWork(db, write=True) as uow:
        values = compute(uow.session, now)
        uow.session.execute(delete(IndicatorValue).where(IndicatorValue.computed_on == day))
        if values:
            uow.session.execute(insert(IndicatorValue), [
                {"computed_on": day, "territory": territory, "name": name, "value": value,
                 "computed_at": db_time(now)} for (territory, name), value in sorted(values.items())])
        uow.commit()
    return {"day": day.isoformat(), "values": len(values)}


def indicators_of(db, day):
    with db.sessions() as session:
        rows = session.execute(select(IndicatorValue).where(IndicatorValue.computed_on == day)).scalars()
        return {(row.territory, row.name): row.value for row in rows}
