"""Who is told about an overdue human task, and when.

At the due date, a reminder goes to the task's holder (the user who claimed it), or else
to the active users of the lane's role in the instance's territory. After a second delay
(escalation_delay_hours) the directors of that territory are told. Each (kind, task,
user) gets one notification row; its unique key makes the sweep safe to run any number
of times, by any number of workers.
"""
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ..services.persistence import aware, db_time
from ..states import InstanceStatus, TaskState
from ..store.models import Notification, ProcessInstance, TaskClaim, TaskRecord, UserAccount
from ..store.uow import UnitOfWork
from . import messages
from .sql import insert_on_conflict

DIRECTOR = "director"
STALE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class OverdueTask:
    task_id: str
    name: str
    role: str | None
    instance_id: int
    title: str
    territory: str | None
    due_at: datetime
    holder: str | None


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    roles: frozenset
    territories: frozenset
    email: str | None

    def works_in(self, role, territory):
        return role in self.roles and (territory is None or territory in self.territories)


def overdue_tasks(session, now):
    rows = session.execute(
        select(TaskRecord, ProcessInstance, TaskClaim.username)
        .join(ProcessInstance, ProcessInstance.id == TaskRecord.instance_id)
        .outerjoin(TaskClaim, TaskClaim.task_id == TaskRecord.id)
        .where(TaskRecord.state == TaskState.READY, TaskRecord.manual.is_(True), TaskRecord.due_at <= db_time(now),
               ProcessInstance.status == InstanceStatus.RUNNING)
        .order_by(TaskRecord.due_at)).all()
    return [OverdueTask(task.id, task.name or task.bpmn_id, task.role, row.id, row.title or row.process_id,
                        row.territory, aware(task.due_at), holder) for task, row, holder in rows]


def email_address(account, mail_domain):
    # UserAccount has no address column yet: use it as soon as it exists (LDAP `mail`).
    explicit = getattr(account, "email", None)
    if explicit:
        return explicit
    if "@" in account.username:
        return account.username
    return f"{account.username}@{mail_domain}" if mail_domain else None


def active_users(session, mail_domain):
    accounts = session.execute(select(UserAccount).where(UserAccount.active.is_(True))).scalars()
    return [User(a.username, a.display_name, frozenset(json.loads(a.roles)), frozenset(json.loads(a.territories)),
                 email_address(a, mail_domain)) for a in accounts]


def reminder_recipients(task, users):
    """The holder; the role's users when nobody holds the task (or its holder left)."""
    holders = [u for u in users if u.username == task.holder]
    return holders or [u for u in users if task.role and u.works_in(task.role, task.territory)]


def escalation_recipients(task, users):
    return [u for u in users if u.works_in(DIRECTOR, task.territory)]


def planned_notifications(tasks, users, jobs, now):
    """Every notification the overdue tasks call for at `now`, as rows (existing ones included)."""
    escalate_before = now - timedelta(hours=jobs.escalation_delay_hours)
    planned = []
    for task in tasks:
        stages = [("relance", reminder_recipients, messages.reminder)]
        if task.due_at <= escalate_before:
            stages.append(("escalade", escalation_recipients, messages.escalation))
        for kind, recipients, compose in stages:
            for user in recipients(task, users):
                subject, body = compose(task, user, jobs)
                planned.append(_row(kind, task, user, subject, body, now))
    return planned


def _row(kind, task, user, subject, body, now):
    return {"key": f"{kind}:{task.task_id}:{user.username}", "kind": kind, "task_id": task.task_id,
            "instance_id": task.instance_id, "username": user.username, "recipient": user.email,
            "subject": subject, "body": body, "status": "pending" if user.email else "skipped",
            "attempts": 0, "last_error": None if user.email else "adresse électronique inconnue",
            "created_at": db_time(now), "updated_at": db_time(now)}


def create_notifications(db, jobs, now):
    """Record the notifications not recorded yet; return the ids to send (new and stale ones)."""
    with UnitOfWork(db, write=True) as uow:
        session = uow.session
        planned = planned_notifications(overdue_tasks(session, now), active_users(session, jobs.mail_domain),
                                        jobs, now)
        known = _existing_keys(session, [row["key"] for row in planned])
        to_send = []
        for row in planned:
            if row["key"] in known:
                continue
            created = session.execute(insert_on_conflict(session, Notification).values(**row)
                                      .on_conflict_do_nothing(index_elements=["key"])
                                      .returning(Notification.id)).scalar()
            if created is not None and row["status"] == "pending":
                to_send.append(created)
        to_send += _stale_pending(session, now)
        uow.commit()
    return to_send


def _existing_keys(session, keys, chunk=500):
    known = set()
    for start in range(0, len(keys), chunk):
        known.update(session.execute(select(Notification.key).where(
            Notification.key.in_(keys[start:start + chunk]))).scalars())
    return known


def _stale_pending(session, now):
    """Notifications untouched for a while, unsent: their job was lost (a restart, a dead worker).

    A leased one is included: its lease ran out long ago, and taking it checks that again.
    """
    stale = list(session.execute(select(Notification.id).where(
        Notification.status.in_(["pending", "sending"]),
        Notification.updated_at <= db_time(now - STALE_AFTER))).scalars())
    if stale:
        session.execute(update(Notification).where(Notification.id.in_(stale)).values(updated_at=db_time(now)))
    return stale
