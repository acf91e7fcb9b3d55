"""One step = one transaction: lock the instance, act, write only what changed, journal, commit.

The lock order is always: instance rows in the order they are opened (the acting
instance first, then message receivers by id), then the journal head last, at commit.
"""
import json
from collections import deque
from datetime import datetime, timezone

from sqlalchemy import delete, select
from sqlalchemy.orm.exc import StaleDataError

from ..engine import ExecutionFailed
from ..errors import Conflict, InstanceFailed, NotFound
from ..store import audit
from ..store.models import MessageSubscription, PendingMessage, ProcessInstance
from ..store.uow import UnitOfWork
from .actors import SYSTEM
from .persistence import db_time, load_instance, save_instance

MAX_DELIVERIES_PER_STEP = 100


def utc_now():
    return datetime.now(timezone.utc)


class Step:
    """A write transaction over one or more instances."""

    def __init__(self, app, now=None):
        self.app = app
        self.now = db_time(now or utc_now())
        self.uow = UnitOfWork(app.db, write=True)
        self.opened = {}          # instance id -> (row, instance)
        self.journal = []
        self.committed = False

    def __enter__(self):
        self.uow.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        return self.uow.__exit__(exc_type, exc, tb)

    @property
    def session(self):
        return self.uow.session

    def lock_row(self, instance_id):
        row = self.session.execute(
            self.uow.lock(select(ProcessInstance).where(ProcessInstance.id == instance_id))
        ).scalar_one_or_none()
        if row is None:
            raise NotFound(f"Instance n° {instance_id} introuvable.")
        return row

    def open(self, instance_id):
        """Lock the instance row and return (row, instance), warm if the cache holds this version."""
        if instance_id in self.opened:
            return self.opened[instance_id]
        row = self.lock_row(instance_id)
        instance = self.app.cache.take(instance_id, row.version) or load_instance(self.app, self.session, row)
        self.opened[instance_id] = (row, instance)
        return row, instance

    def add(self, row, instance):
        """A new instance: insert its row so that it gets an id."""
        self.session.add(row)
        self.session.flush()
        instance.saved_subscriptions = set()
        self.opened[row.id] = (row, instance)

    def save(self, row, instance):
        # Taken off before saving: a routed message must not stay pending in the stored state.
        outgoing = instance.outgoing_messages()
        save_instance(self.session, row, instance, self.now)
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise Conflict("L’instance a été modifiée entre-temps ; rechargez et recommencez.") from exc
        self._route_messages(row.id, outgoing)
        self._deliver_pending(row, instance)

    def record(self, action, summary, actor, *, role=None, payload=None, instance_id=None, task_id=None):
        self.journal.append(dict(action=action, actor=actor.username, role=role, summary=summary,
                                 payload=payload, instance_id=instance_id, task_id=task_id))

    def commit(self):
        for entry in self.journal:
            audit.append(self.uow, at=self.now, **entry)
        self.uow.commit()
        self.committed = True
        for instance_id, (row, instance) in self.opened.items():
            self.app.cache.put(instance_id, row.version, instance)

    # --- messages between instances ---------------------------------------------
    def _route_messages(self, sender_id, messages):
        queue = deque((sender_id, m) for m in messages)
        deliveries = 0
        while queue and deliveries < MAX_DELIVERIES_PER_STEP:
            sender, (name, payload, correlations) = queue.popleft()
            receiver = self._deliver(sender, name, payload, correlations)
            deliveries += 1
            if receiver is None:
                self.session.add(PendingMessage(name=name, payload=json.dumps(payload, default=str),
                                                correlations=json.dumps(correlations, default=str),
                                                sender_instance_id=sender, created_at=self.now))
            else:
                row, instance = self.opened[receiver]
                more = instance.outgoing_messages()
                save_instance(self.session, row, instance, self.now)
                self.session.flush()
                queue.extend((receiver, m) for m in more)

    def _deliver(self, sender_id, name, payload, correlations):
        candidates = self.session.execute(
            select(MessageSubscription.instance_id)
            .where(MessageSubscription.name == name, MessageSubscription.instance_id != sender_id)
            .order_by(MessageSubscription.instance_id)).scalars().all()
        for candidate in candidates:
            _row, instance = self.open(candidate)
            if not instance.deliver_message(name, payload, correlations):
                # Not caught (correlation mismatch): drop the object rather than trust it.
                del self.opened[candidate]
                continue
            self.record("message", f"Message « {name} » reçu de l’instance n° {sender_id}", SYSTEM,
                        payload={"message": name, "contenu": payload}, instance_id=candidate)
            return candidate
        return None

    def _deliver_pending(self, row, instance):
        waiting = instance.saved_subscriptions
        if not waiting:
            return
        pending = self.session.execute(
            select(PendingMessage).where(PendingMessage.name.in_(sorted(waiting)))
            .order_by(PendingMessage.id)).scalars().all()
        for message in pending:
            if instance.deliver_message(message.name, json.loads(message.payload),
                                        json.loads(message.correlations)):
                self.session.execute(delete(PendingMessage).where(PendingMessage.id == message.id))
                self.record("message", f"Message « {message.name} » en attente remis", SYSTEM,
                            payload={"message": message.name}, instance_id=row.id)
                self.save(row, instance)  # routes what it threw, then looks for more pending
                return


def run_guarded(app, instance_id, actor, body):
    """Run `body(step)` in a Step; on a model failure keep nothing and note the failure.

    `instance_id` may be a callable, for a body that finds its instance itself.
    """
    try:
        with Step(app) as step:
            result = body(step)
            step.commit()
            return result
    except ExecutionFailed as exc:
        failed_id = instance_id() if callable(instance_id) else instance_id
        if failed_id is not None:
            record_failure(app, failed_id, actor, str(exc))
        raise InstanceFailed(str(exc), {"etape": exc.task_name}) from exc


def record_failure(app, instance_id, actor, message):
    """Note on the instance, in a transaction of its own, why its last step was refused."""
    with Step(app) as step:
        row = step.lock_row(instance_id)
        row.error = message
        step.record("echec", message, actor, instance_id=instance_id)
        step.commit()
