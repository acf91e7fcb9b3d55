"""Sending a recorded notification once, even when its job is delivered twice.

A sender takes a lease on the row (status "sending" until lease_until) in a short
transaction, talks to the SMTP server outside any transaction, then marks the row sent.
A second delivery of the same job finds the row sent (nothing to do) or leased (try
again when the lease ends). A sender killed mid-way leaves a lease that expires, and the
redelivered job sends the message. The only window for a duplicate is a crash between
the server's acceptance and our commit; the constant Message-ID lets clients spot it.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, or_, update

from ..services.persistence import aware, db_time
from ..services.steps import utc_now
from ..store.models import Notification
from ..store.uow import UnitOfWork
from .mail import send_mail


class LeaseHeld(Exception):
    """Another delivery of this job holds the notification; `seconds` until its lease ends."""

    def __init__(self, seconds):
        super().__init__(f"notification en cours d’envoi par un autre worker ({seconds:.0f} s)")
        self.seconds = seconds


@dataclass(frozen=True)
class Outgoing:
    id: int
    key: str
    recipient: str
    subject: str
    body: str


def take(db, notification_id, now, lease_seconds):
    """Lease the notification for sending; None when there is nothing to send any more."""
    now = db_time(now)
    with UnitOfWork(db, write=True) as uow:
        taken = uow.session.execute(
            update(Notification)
            .where(Notification.id == notification_id,
                   or_(Notification.status == "pending",
                       and_(Notification.status == "sending", Notification.lease_until <= now)))
            .values(status="sending", lease_until=now + timedelta(seconds=lease_seconds),
                    attempts=Notification.attempts + 1, updated_at=now)).rowcount
        row = uow.session.get(Notification, notification_id)
        uow.commit()
    if row is None or row.status in ("sent", "skipped", "failed"):
        return None
    if not taken:
        raise LeaseHeld(max((aware(row.lease_until) - aware(now)).total_seconds(), 0.5))
    return Outgoing(row.id, row.key, row.recipient, row.subject, row.body)


def _finish(db, notification_id, **values):
    now = db_time(utc_now())
    with UnitOfWork(db, write=True) as uow:
        uow.session.execute(update(Notification).where(Notification.id == notification_id)
                            .values(lease_until=None, updated_at=now, **values))
        uow.commit()


def send_notification(db, jobs, notification_id, last_attempt):
    """Send once; on an SMTP failure give the lease back (or give up) and raise MailNotSent."""
    outgoing = take(db, notification_id, utc_now(), jobs.notification_lease)
    if outgoing is None:
        return False
    try:
        send_mail(jobs.smtp, outgoing.recipient, outgoing.subject, outgoing.body, outgoing.key)
    except Exception as exc:
        _finish(db, notification_id, status="failed" if last_attempt else "pending",
                last_error=getattr(exc, "message", None) or str(exc))
        raise
    _finish(db, notification_id, status="sent", sent_at=db_time(utc_now()), last_error=None)
    return True
