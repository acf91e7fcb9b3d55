"""Steps: the transactions that change instances.

A step that runs the engine (`run_guarded`) holds no database lock while model code runs
(scripts, conditions, timer expressions, message receivers: up to the script budget):
1. read, in short read-only transactions: the instance row and its version, then the
   warm instance (cache, at that version) or its stored state;
2. compute, with no transaction open: the engine acts, messages go from instance to
   instance (receivers are read as in 1), and the changes are collected;
3. write, in one write transaction: lock the row of every instance the step read, in id
   order; check that each is still at the version read and that the other rows the step
   relied on (a claim, message subscriptions, pending messages) read the same; write,
   journal, commit, and keep the instances warm at their new versions.
When something changed in between, the computed objects are thrown away and the step
starts again from 1 (MAX_ATTEMPTS times, then a conflict): a parallel branch completed
meanwhile is taken into account, a task completed twice has one winner.

`Step` is the plain write transaction of what runs no model code (claims, documents,
accounts, deployments, failures). Lock order, everywhere: instance rows in id order,
then the journal head last, at commit.
"""
import json
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, select, update

from ..engine import ExecutionFailed
from ..errors import Conflict, ConventioError, InstanceFailed, NotFound
from ..states import JournalAction
from ..store import audit
from ..store.models import MessageSubscription, PendingMessage, ProcessInstance
from ..store.uow import UnitOfWork
from .actors import SYSTEM
from .ledger_process import step_facts
from .persistence import (
    db_time, instance_values, prepare_save, read_instance, restore_instance, update_instance_row, write_instance,
)

MAX_DELIVERIES_PER_STEP = 100
MAX_ATTEMPTS = 5
MOVED_ON = "L’instance a été modifiée entre-temps ; rechargez et recommencez."


def utc_now():
    return datetime.now(timezone.utc)


class _Journaling:
    """What a step records, appended to the journal in its write transaction."""

    def record(self, action, summary, actor, *, role=None, payload=None, instance_id=None, task_id=None):
        """`instance_id` may be the row of an instance the step starts (its id is known once
        written), `summary` a callable (for a text that names such an instance)."""
        self.journal.append(dict(action=action, actor=actor.username, role=role, summary=summary,
                                 payload=payload, instance_id=instance_id, task_id=task_id))

    def _append_journal(self, uow):
        journal = audit.journal_of(self.app.settings)
        for entry in self.journal:
            summary, instance_id = entry["summary"], entry["instance_id"]
            journal.append(uow, at=self.now, **dict(
                entry, summary=summary() if callable(summary) else summary,
                instance_id=instance_id.id if isinstance(instance_id, ProcessInstance) else instance_id))


class Step(_Journaling):
    """A write transaction, for changes that run no model code."""

    def __init__(self, app, now=None):
        self.app = app
        self.now = db_time(now or utc_now())
        self.uow = UnitOfWork(app.db, write=True)
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

    def commit(self):
        self._append_journal(self.uow)
        self.uow.commit()
        self.committed = True


class _Moved(Exception):
    """What the step computed rests on rows that changed since it read them."""


@dataclass(eq=False)
class _Opened:
    """An instance in hand: its row as read (detached), or the new row of one this step starts."""
    row: ProcessInstance
    instance: object
    new: bool = False
    saved: bool = False
    prepared: object = None
    values: dict = None   # the instance row's columns as the step writes them
    facts: dict = None    # what its scripts are offered besides its data (its campaign's figures)


@dataclass(eq=False)
class _Pending:
    """A message thrown in this step that nobody waits for yet: stored when the step writes."""
    name: str
    payload: str
    correlations: str
    sender: _Opened


class EngineStep(_Journaling):
    """One attempt of a step that runs model code: reads, computes, then `write()`s."""

    def __init__(self, app):
        self.app = app
        self.now = db_time(utc_now())
        self.entries = []         # _Opened, in the order opened
        self.versions = {}        # instance id -> the version read (every read must agree)
        self.checks = []          # (query, result): read without lock, read again under it
        self.writes = []          # callables(session), run once the reads are checked
        self.journal = []
        self.saved = []           # _Opened, in the order saved: the order they are written
        self.pending_new = []     # _Pending
        self.pending_taken = []   # ids of stored pending messages this step delivered
        self._reading = None      # the session of the read transaction open, if any

    # --- reading -------------------------------------------------------------------
    @contextmanager
    def reading(self):
        """A short read-only transaction on one consistent state; model code never runs in it.
        Nested, the reads share the outer one (one transaction where a step reads several things)."""
        if self._reading is not None:
            yield self._reading
            return
        with self.app.db.sessions() as session:
            if not self.app.db.is_sqlite:   # SQLite's read transactions are snapshots already
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            self._reading = session
            try:
                yield session
            finally:
                self._reading = None

    def read(self, query):
        """`query(session)`, returning plain values; read again under the lock before writing."""
        with self.reading() as session:
            result = query(session)
        self.checks.append((query, result))
        return result

    def open(self, instance_id):
        """(row, instance) of an existing instance, read without any lock."""
        entry = self._in_hand(instance_id) or self._open(instance_id)
        return entry.row, entry.instance

    def _in_hand(self, instance_id):
        return next((e for e in self.entries if not e.new and e.row.id == instance_id), None)

    def _open(self, instance_id):
        with self.reading() as session:
            row = session.get(ProcessInstance, instance_id)
            if row is None:
                raise NotFound(f"Instance n° {instance_id} introuvable.")
            if self.versions.setdefault(instance_id, row.version) != row.version:
                raise _Moved()
            instance = self.app.cache.take(instance_id, row.version)
            stored = None if instance is not None else read_instance(self.app, session, row)
        if instance is None:
            instance = restore_instance(self.app, stored)
        entry = _Opened(row, instance)
        self.entries.append(entry)
        return entry

    def first_opened_id(self):
        """The id of the first existing instance this step opened; None if it opened none."""
        return next((e.row.id for e in self.entries if not e.new), None)

    def moved_on(self):
        """Whether a row this step read has changed since (its outcome is then computed again)."""
        if not self.versions and not self.checks:
            return False
        with self.reading() as session:
            for instance_id, version in self.versions.items():
                current = session.execute(select(ProcessInstance.version)
                                          .where(ProcessInstance.id == instance_id)).scalar()
                if current != version:
                    return True
            return any(query(session) != seen for query, seen in self.checks)

    # --- computing -----------------------------------------------------------------
    def add(self, row, instance, facts=None):
        """An instance this step starts, with the facts of its start: its row is inserted when the step writes."""
        instance.saved_subscriptions = set()
        self.entries.append(_Opened(row, instance, new=True, facts=facts or {}))

    def facts_of(self, entry):
        """The facts offered to an instance's scripts when a message moves it on, as to those of a task
        or a timer: its campaign's figures, as of now (read once per step, not again under the lock)."""
        if entry.facts is None:
            with self.reading() as session:
                entry.facts = step_facts(session, entry.row.id)
        return entry.facts

    def save(self, row, instance):
        """Have the instance written; route the messages it threw, hand it those waiting for it."""
        entry = next(e for e in self.entries if e.instance is instance)
        self._mark_saved(entry)
        self._route_messages(entry, instance.outgoing_messages())
        self._deliver_pending(entry)

    def on_write(self, write):
        """`write(session)` runs in the write transaction, once what was read is checked."""
        self.writes.append(write)

    def _mark_saved(self, entry):
        if not entry.saved:
            entry.saved = True
            self.saved.append(entry)

    # --- messages between instances ------------------------------------------------
    def _route_messages(self, sender, messages):
        queue = deque((sender, m) for m in messages)
        deliveries = 0
        while queue and deliveries < MAX_DELIVERIES_PER_STEP:
            sender, (name, payload, correlations) = queue.popleft()
            receiver = self._deliver(sender, name, payload, correlations)
            deliveries += 1
            if receiver is None:
                self.pending_new.append(_Pending(name, json.dumps(payload, default=str),
                                                 json.dumps(correlations, default=str), sender))
            else:
                self._mark_saved(receiver)
                queue.extend((receiver, m) for m in receiver.instance.outgoing_messages())

    def _deliver(self, sender, name, payload, correlations):
        for candidate in self._subscribers(name, sender):
            entry = candidate if isinstance(candidate, _Opened) else self._open(candidate)
            with entry.instance.offering(self.facts_of(entry)):
                caught = entry.instance.deliver_message(name, payload, correlations)
            if not caught:
                if not entry.saved and not entry.new:
                    self.entries.remove(entry)   # not caught: reopened from the database if needed
                continue
            self.record(JournalAction.MESSAGE,
                        lambda: f"Message « {name} » reçu de l’instance n° {sender.row.id}", SYSTEM,
                        payload={"message": name, "contenu": payload}, instance_id=entry.row)
            return entry
        return None

    def _subscribers(self, name, sender):
        """Who waits for `name`, in id order (instances this step starts last): the stored
        subscriptions, except for the instances in hand, whose current state tells."""
        stored = self.read(lambda session: session.execute(
            select(MessageSubscription.instance_id).where(MessageSubscription.name == name)
            .order_by(MessageSubscription.instance_id)).scalars().all())
        in_hand = {e.row.id: e for e in self.entries if not e.new}
        found = []
        for instance_id in sorted(set(stored) | set(in_hand)):
            entry = in_hand.get(instance_id)
            if entry is None:
                found.append(instance_id)
            elif entry is not sender and name in entry.instance.waiting_messages():
                found.append(entry)
        found += [e for e in self.entries
                  if e.new and e is not sender and name in e.instance.waiting_messages()]
        return found

    def _deliver_pending(self, entry):
        waiting = sorted(entry.instance.waiting_messages())
        if not waiting:
            return
        stored = self.read(lambda session: [tuple(m) for m in session.execute(
            select(PendingMessage.id, PendingMessage.name, PendingMessage.payload, PendingMessage.correlations)
            .where(PendingMessage.name.in_(waiting)).order_by(PendingMessage.id)).all()])
        candidates = [(m_id, name, payload, correlations) for m_id, name, payload, correlations in stored
                      if m_id not in self.pending_taken]
        candidates += [(p, p.name, p.payload, p.correlations) for p in self.pending_new if p.name in waiting]
        for ref, name, payload, correlations in candidates:
            with entry.instance.offering(self.facts_of(entry)):
                caught = entry.instance.deliver_message(name, json.loads(payload), json.loads(correlations))
            if caught:
                if isinstance(ref, _Pending):
                    self.pending_new.remove(ref)
                else:
                    self.pending_taken.append(ref)
                self.record(JournalAction.MESSAGE, f"Message « {name} » en attente remis", SYSTEM,
                            payload={"message": name}, instance_id=entry.row)
                self.save(entry.row, entry.instance)  # routes what it threw, then looks for more pending
                return

    # --- writing -------------------------------------------------------------------
    def write(self):
        """Check under the lock that nothing read has changed (else `_Moved`), write, commit."""
        if not (self.saved or self.journal or self.writes):
            self._keep_warm()
            return
        for entry in self.saved:   # the engine's share of the save, before any lock
            entry.prepared = prepare_save(entry.instance)
        with UnitOfWork(self.app.db, write=True) as uow:
            session = uow.session
            self._lock_instances(uow)
            for query, seen in self.checks:
                if query(session) != seen:
                    raise _Moved()
            for write in self.writes:
                write(session)
            for entry in self.saved:
                if entry.new:
                    for name, value in instance_values(entry.row, entry.prepared, self.now).items():
                        setattr(entry.row, name, value)
                    session.add(entry.row)
                    session.flush()   # its id, for its rows
                write_instance(session, entry.row.id, entry.prepared, entry.instance.saved_subscriptions)
            for message_id in self.pending_taken:
                if session.execute(delete(PendingMessage).where(PendingMessage.id == message_id)).rowcount != 1:
                    raise _Moved()   # another step delivered it meanwhile
            for pending in self.pending_new:
                session.add(PendingMessage(name=pending.name, payload=pending.payload,
                                           correlations=pending.correlations,
                                           sender_instance_id=pending.sender.row.id, created_at=self.now))
            self._append_journal(uow)
            uow.commit()
        for entry in self.saved:
            entry.instance.saved_subscriptions = entry.prepared.waiting
            if not entry.new:   # the row as read, now as written
                for name, value in entry.values.items():
                    setattr(entry.row, name, value)
                entry.row.version = self.versions[entry.row.id] + 1
        self._keep_warm()

    def _lock_instances(self, uow):
        """Lock every instance the step read, in id order, checking each is still at the version
        read (else `_Moved`); those it saved are written in the same statement."""
        saved = {e.row.id: e for e in self.saved if not e.new}
        for instance_id in sorted(self.versions):
            version, entry = self.versions[instance_id], saved.get(instance_id)
            if entry is not None:
                entry.values = instance_values(entry.row, entry.prepared, self.now)
                current = update_instance_row(uow.session, instance_id, version, entry.values)
            else:
                current = uow.session.execute(uow.lock(select(ProcessInstance.version).where(
                    ProcessInstance.id == instance_id))).scalar() == version
            if not current:
                raise _Moved()

    def _keep_warm(self):
        for entry in self.entries:
            self.app.cache.put(entry.row.id, entry.row.version, entry.instance)


def run_guarded(app, instance_id, actor, body):
    """Run `body(step)` in an EngineStep, then write what it computed; compute it again, from
    fresh reads, when what it read changed before it could write. On a model failure keep
    nothing and note the failure.

    `instance_id` None: the failure is noted on the first existing instance the step opened
    (a body that finds its instance itself), if any.
    """
    for _attempt in range(MAX_ATTEMPTS):
        step = EngineStep(app)
        try:
            result = body(step)
            step.write()
            return result
        except _Moved:
            continue
        except ExecutionFailed as exc:
            if step.moved_on():
                continue
            failed_id = instance_id if instance_id is not None else step.first_opened_id()
            if failed_id is not None:
                record_failure(app, failed_id, actor, str(exc))
            raise InstanceFailed(str(exc), {"etape": exc.task_name}) from exc
        except ConventioError:
            if step.moved_on():
                continue
            raise
    raise Conflict(MOVED_ON)


def record_failure(app, instance_id, actor, message):
    """Note on the instance, in a transaction of its own, why its last step was refused.

    The note is written past the ORM, so that the instance's version stays: a refusal changes
    nothing a concurrent step relies on (the instance's state is as it was), and a step that
    read the instance before is not sent into a retry by it; its success clears the note."""
    instances = ProcessInstance.__table__
    with Step(app) as step:
        noted = step.session.execute(update(instances).where(instances.c.id == instance_id)
                                     .values(error=message)).rowcount
        if noted != 1:
            raise NotFound(f"Instance n° {instance_id} introuvable.")
        step.record(JournalAction.FAILURE, message, actor, instance_id=instance_id)
        step.commit()
