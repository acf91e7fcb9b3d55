"""Moving an instance between its engine object and its database rows."""
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, insert, select, update

from ..engine import StateChanges, StoredState
from ..states import InstanceStatus, TaskState
from ..store.models import (
    MessageSubscription, ProcessDefinition, ProcessInstance, TaskDraft, TaskRecord, WorkflowHeader,
)


def db_time(moment):
    """Datetimes are stored naive, in UTC."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def aware(moment):
    return None if moment is None else moment.replace(tzinfo=timezone.utc)


def definition_for(app, session, definition_id):
    row = session.get(ProcessDefinition, definition_id)
    return app.engine.definition(row.content_hash, row.process_id, lambda: row.spec_json,
                                 lambda: json.loads(row.forms_json))


def read_instance(app, session, row):
    """What restoring the instance needs, read in the caller's transaction:
    (definition, stored state, names of the messages it waits for)."""
    definition = definition_for(app, session, row.definition_id)
    # Plain column reads on the session's connection (its transaction): the ORM's execution
    # machinery has nothing to add here and costs a cold step a tenth of a millisecond a query.
    connection = session.connection()
    headers = dict(connection.execute(
        select(WorkflowHeader.workflow_key, WorkflowHeader.body).where(WorkflowHeader.instance_id == row.id)
    ).all())
    tasks = connection.execute(
        select(TaskRecord.workflow_key, TaskRecord.id, TaskRecord.seq, TaskRecord.body)
        .where(TaskRecord.instance_id == row.id).order_by(TaskRecord.seq)
    ).all()
    subscriptions = set(connection.execute(
        select(MessageSubscription.name).where(MessageSubscription.instance_id == row.id)).scalars())
    return definition, StoredState(headers, [tuple(t) for t in tasks]), subscriptions


def restore_instance(app, read):
    """The engine object from `read_instance`'s result; needs no transaction."""
    definition, stored, subscriptions = read
    instance = app.engine.restore(definition, stored)
    instance.saved_subscriptions = subscriptions
    return instance


def load_instance(app, session, row):
    return restore_instance(app, read_instance(app, session, row))


@dataclass
class InstanceWrite:
    """What saving an instance writes, worked out before the write transaction opens."""
    changes: StateChanges
    status: str
    next_timer_at: datetime | None
    waiting: set


def prepare_save(instance):
    """Collect what the instance changed since it was last saved (the engine's side of a save)."""
    return InstanceWrite(instance.changes(), instance.status, db_time(instance.next_timer_due()),
                         set(instance.waiting_messages()))


def instance_values(row, prepared, now):
    """The instance row's columns after a prepared save of it (`row` as read at its version)."""
    completed_at = row.completed_at
    if prepared.status == InstanceStatus.COMPLETED and completed_at is None:
        completed_at = now
    return {"status": prepared.status, "error": None, "next_timer_at": prepared.next_timer_at,
            "updated_at": now, "completed_at": completed_at}


def update_instance_row(session, instance_id, version, values):
    """Write the instance row's `values` and its next version if it is still at `version`, in one
    statement (which takes the row's lock); False when it has moved on."""
    instances = ProcessInstance.__table__
    return session.execute(update(instances).where(instances.c.id == instance_id, instances.c.version == version)
                           .values(version=version + 1, **values)).rowcount == 1


def write_instance(session, instance_id, prepared, saved_subscriptions):
    """Write a prepared save's state: only the rows that changed (the instance row apart)."""
    _write_headers(session, instance_id, prepared.changes)
    _write_tasks(session, instance_id, prepared.changes)
    _write_subscriptions(session, instance_id, saved_subscriptions, prepared.waiting)


def _write_headers(session, instance_id, changes):
    for key, body in changes.headers.items():
        updated = session.execute(
            update(WorkflowHeader).where(WorkflowHeader.instance_id == instance_id,
                                         WorkflowHeader.workflow_key == key).values(body=body))
        if updated.rowcount == 0:
            session.execute(insert(WorkflowHeader).values(instance_id=instance_id, workflow_key=key, body=body))
    if changes.removed_workflows:
        session.execute(delete(WorkflowHeader).where(WorkflowHeader.instance_id == instance_id,
                                                     WorkflowHeader.workflow_key.in_(changes.removed_workflows)))


def _write_tasks(session, instance_id, changes):
    inserts, updates = [], []
    for task in changes.upserts:
        values = dict(task, created_at=db_time(task["created_at"]), due_at=db_time(task["due_at"]))
        if values["seq"] is None:
            del values["seq"]
            updates.append(values)
        else:
            inserts.append(dict(values, instance_id=instance_id))
    if changes.deletes:
        session.execute(delete(TaskRecord).where(TaskRecord.id.in_(changes.deletes)))
    if inserts:
        session.execute(insert(TaskRecord), inserts)
    if updates:
        session.execute(update(TaskRecord), updates)
    # A person's task cancelled (an interrupting event, the instance stopped) takes its draft with it;
    # a completed one's goes with its completion (services/tasks.py), a deleted one's by cascade.
    cancelled = [u["id"] for u in updates if u["manual"] and u["state"] in (TaskState.CANCELLED, TaskState.ERROR)]
    if cancelled:
        session.execute(delete(TaskDraft).where(TaskDraft.task_id.in_(cancelled)))


def _write_subscriptions(session, instance_id, saved, waiting):
    if waiting == saved:
        return
    if saved - waiting:
        session.execute(delete(MessageSubscription).where(MessageSubscription.instance_id == instance_id,
                                                          MessageSubscription.name.in_(saved - waiting)))
    if waiting - saved:
        session.execute(insert(MessageSubscription),
                        [{"instance_id": instance_id, "name": name} for name in sorted(waiting - saved)])
