"""Moving an instance between its engine object and its database rows."""
import json
from datetime import timezone

from sqlalchemy import delete, insert, select, update

from ..engine import StoredState
from ..store.models import (
    MessageSubscription, ProcessDefinition, TaskRecord, WorkflowHeader,
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
                                 json.loads(row.forms_json))


def load_instance(app, session, row):
    definition = definition_for(app, session, row.definition_id)
    headers = dict(session.execute(
        select(WorkflowHeader.workflow_key, WorkflowHeader.body).where(WorkflowHeader.instance_id == row.id)
    ).all())
    tasks = session.execute(
        select(TaskRecord.workflow_key, TaskRecord.id, TaskRecord.seq, TaskRecord.body)
        .where(TaskRecord.instance_id == row.id).order_by(TaskRecord.seq)
    ).all()
    instance = app.engine.restore(definition, StoredState(headers, [tuple(t) for t in tasks]))
    instance.saved_subscriptions = set(session.execute(
        select(MessageSubscription.name).where(MessageSubscription.instance_id == row.id)).scalars())
    return instance


def save_instance(session, row, instance, now):
    """Write what the instance changed since it was last saved; update its row."""
    changes = instance.changes()
    _write_headers(session, row.id, changes)
    _write_tasks(session, row.id, changes)
    _write_subscriptions(session, row.id, instance)
    row.status = instance.status
    row.error = None
    row.next_timer_at = db_time(instance.next_timer_due())
    row.updated_at = now
    if row.status == "completed" and row.completed_at is None:
        row.completed_at = now


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


def _write_subscriptions(session, instance_id, instance):
    waiting = set(instance.waiting_messages())
    saved = getattr(instance, "saved_subscriptions", set())
    if waiting == saved:
        return
    if saved - waiting:
        session.execute(delete(MessageSubscription).where(MessageSubscription.instance_id == instance_id,
                                                          MessageSubscription.name.in_(saved - waiting)))
    if waiting - saved:
        session.execute(insert(MessageSubscription),
                        [{"instance_id": instance_id, "name": name} for name in sorted(waiting - saved)])
    instance.saved_subscriptions = waiting
