"""Documents kept in step with the data they print.

After a step, the current version of each document of the instance is compared, variable by
variable of its template (what Jinja says the template reads), with what it would print from
the step's data; a document whose printed data changed gets a new version that says after
which step and which variables changed. A document is compared only with the data of its own
scope (the same called process, the same loop iteration): a convention made inside one
partner's iteration is never rebuilt from another's data.
"""
import json
import logging
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import undefer

from .. import documents as rendering
from ..documents.checks import check_template
from ..store.models import GeneratedDocument, ProcessInstance, TaskRecord

log = logging.getLogger(__name__)


def step_reason(step_name):
    return f"Généré à l’étape « {step_name} »"


def regenerated_reason(step_name, variables):
    changed = ", ".join(variables)
    return f"Régénéré après « {step_name} » : {changed} {'modifiés' if len(variables) > 1 else 'modifié'}"


@lru_cache(maxsize=64)
def _printed_variables(name, version):
    return frozenset(check_template(rendering.TemplateRegistry().get(name)).variables)


def printed_variables(spec) -> frozenset:
    """The variables the template reads, for its current version."""
    return _printed_variables(spec.name, spec.version)


def printed_changes(spec, before, now, recipient=None) -> list[str]:
    """The variables of the template whose value differs between the document made from
    `before` (the data stored with it) and one made from `now`, sorted; a DocumentError when
    `now` cannot make the document."""
    if recipient is not None:
        now = spec.data_for(now, spec.recipient_named(now, recipient))
    old, new = spec.build_context(before, recipient), spec.build_context(now, recipient)
    return sorted(name for name in printed_variables(spec) if old.get(name) != new.get(name))


def stale_documents(app, instance_id, task_id, skip=()) -> tuple[str | None, list]:
    """(the step's name, [(template, recipient, changed variables)]) for the documents of the
    instance, current in the completed step's scope, that the step's data would print otherwise;
    templates in `skip` (made by the step itself) are left out."""
    with app.db.sessions() as session:
        rows = session.execute(select(GeneratedDocument.id, GeneratedDocument.template, GeneratedDocument.recipient,
                                      GeneratedDocument.task_id)
                               .where(GeneratedDocument.instance_id == instance_id)
                               .order_by(GeneratedDocument.revision)).all()
        rows = [row for row in rows if row.template not in skip]
        step = session.get(TaskRecord, str(task_id)) if rows else None   # most steps: no document to compare
        if step is None:
            return None, []
        data = json.loads(step.body).get("data") or {}
        stale = []
        for document in _current_in_scope(session, step, instance_id, rows):
            changed = _changes(document, data)
            if changed:
                stale.append((document.template, document.recipient, changed))
        return step.name or step.bpmn_id, stale


def _current_in_scope(session, step, instance_id, rows):
    """The latest version of each document (`rows`, by revision) made in the step's scope: by a
    task of the same (sub)workflow, or on demand (no task) when the step belongs to the
    instance's own process. Each iteration of a loop has its scope, so each keeps its own."""
    task_ids = {row.task_id for row in rows if row.task_id is not None}
    scopes = dict(session.execute(select(TaskRecord.id, TaskRecord.workflow_key)
                                  .where(TaskRecord.id.in_(task_ids))).all()) if task_ids else {}
    main_process = session.get(ProcessInstance, instance_id).process_id
    latest = {(row.template, row.recipient): row.id for row in rows
              if (scopes.get(row.task_id) == step.workflow_key if row.task_id is not None
                  else step.process_id == main_process)}
    if not latest:
        return []
    return session.execute(select(GeneratedDocument).options(undefer(GeneratedDocument.data_json))
                           .where(GeneratedDocument.id.in_(latest.values()))
                           .order_by(GeneratedDocument.template, GeneratedDocument.id)).scalars().all()


def _changes(document, data):
    spec = rendering.TemplateRegistry().get(document.template)
    try:
        return printed_changes(spec, json.loads(document.data_json), data, document.recipient)
    except rendering.DocumentError as exc:   # the step's data cannot make it: nothing to redo
        log.debug("Document %s non comparé : %s", document.id, exc)
        return []
