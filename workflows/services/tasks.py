"""Human tasks: the inbox, one task with its form, and completing it."""
import json
from typing import NamedTuple

from sqlalchemy import delete, literal, select

from ..engine import FormRejected, TaskNotReady, describe_form_errors
from ..errors import Conflict, InvalidData, NotFound
from ..roles import role_label
from ..store.models import ProcessInstance, TaskClaim, TaskRecord
from .events import StepCompleted
from .persistence import aware, definition_for
from .rights import require_role
from .steps import run_guarded


def task_summary(record, definition, territory, with_form=False):
    """A task row as the API and the pages show it; `definition` is only read `with_form`."""
    summary = {
        "id": record.id, "instance_id": record.instance_id, "process_id": record.process_id,
        "bpmn_id": record.bpmn_id, "name": record.name or record.bpmn_id, "lane": record.lane,
        "role": record.role, "role_label": role_label(record.role) if record.role else None,
        "state": record.state, "territory": territory,
        "created_at": aware(record.created_at).isoformat(),
        "due_at": aware(record.due_at).isoformat() if record.due_at else None,
    }
    if with_form:
        summary["form"] = definition.forms.get(f"{record.process_id}:{record.spec_name}")
        summary["data"] = json.loads(record.body).get("data", {})
        summary["instructions"] = definition.instructions(record.process_id, record.spec_name)
    return summary


def list_tasks(app, actor, instance_id=None, role=None, include_all_roles=False, with_claims=False):
    """Ready human tasks the actor may see, oldest first; `with_claims`: each with who holds it
    (`claimed_by`, None when free), read in the same query."""
    with app.db.sessions() as session:
        query = (select(TaskRecord, ProcessInstance.territory,
                        TaskClaim.username if with_claims else literal(None))
                 .join(ProcessInstance, ProcessInstance.id == TaskRecord.instance_id)
                 .where(TaskRecord.state == "ready", TaskRecord.manual.is_(True))
                 .order_by(TaskRecord.created_at, TaskRecord.id))
        if with_claims:
            query = query.outerjoin(TaskClaim, TaskClaim.task_id == TaskRecord.id)
        if instance_id is not None:
            query = query.where(TaskRecord.instance_id == instance_id)
        if role is not None:
            query = query.where(TaskRecord.role == role)
        results = []
        for record, territory, claimed_by in session.execute(query).all():
            if not actor.sees_territory(territory):
                continue
            if not include_all_roles and not (actor.may_act_in(record.role)
                                              and actor.acts_in_territory(territory, record.role)):
                continue
            summary = task_summary(record, None, territory)
            if with_claims:
                summary["claimed_by"] = claimed_by
            results.append(summary)
        return results


def get_task(app, task_id, actor):
    """The task with its form, for acting on it: 404 outside the actor's territories, 403 outside their roles."""
    with app.db.sessions() as session:
        record, row = _task_and_instance(session, task_id, actor)
        require_role(actor, record.role, row.territory)
        definition = definition_for(app, session, row.definition_id)
        return task_summary(record, definition, row.territory, with_form=True)


def _task_and_instance(session, task_id, actor):
    record = session.get(TaskRecord, str(task_id))
    row = session.get(ProcessInstance, record.instance_id) if record is not None else None
    if record is None or not record.manual or not actor.sees_territory(row.territory):
        raise NotFound(f"Tâche {task_id} introuvable.")
    return record, row


class _CompletionFacts(NamedTuple):
    instance_id: int
    manual: bool
    role: str | None
    claimed_by: str | None


def _completion_facts(session, task_id):
    """What completing a task checks besides its instance's state (read again before writing)."""
    found = session.execute(
        select(TaskRecord.instance_id, TaskRecord.manual, TaskRecord.role, TaskClaim.username)
        .outerjoin(TaskClaim, TaskClaim.task_id == TaskRecord.id).where(TaskRecord.id == str(task_id))).first()
    return None if found is None else _CompletionFacts(*found)


def _journal_action(task_name, data):
    """An approval form carries a `decision`: it is journaled as a decision, not a mere completion."""
    if "decision" in data:
        return "decision", f"« {task_name} » : décision « {data['decision']} »"
    return "completion", f"« {task_name} » terminée"


def complete_task(app, task_id, data, actor):
    """Complete a ready task with validated data: 404, 403, 409 or 422, and then nothing changes.
    Once the step is committed, StepCompleted is published: its handlers' outcomes (the step's
    documents and their errors) complete the result."""
    if not isinstance(data, dict):
        raise InvalidData("Les données doivent être un objet JSON.", {"": "objet JSON attendu"})

    def body(step):
        with step.reading():   # the task's facts and its instance, in one read transaction
            found = step.read(lambda session: _completion_facts(session, task_id))
            if found is None or not found.manual:
                raise NotFound(f"Tâche {task_id} introuvable.")
            row, instance = step.open(found.instance_id)
        if not actor.sees_territory(row.territory):
            raise NotFound(f"Tâche {task_id} introuvable.")
        require_role(actor, found.role, row.territory)
        if found.claimed_by is not None and found.claimed_by != actor.username:
            raise Conflict(f"Cette tâche est prise par « {found.claimed_by} » : demandez-lui de la libérer "
                           "avant d’agir.")
        try:
            view = instance.complete(task_id, data, recorded_by=actor.username)
        except TaskNotReady as exc:
            raise Conflict("Cette tâche n’est plus à faire : déjà terminée, annulée ou remplacée.") from exc
        except FormRejected as exc:
            raise InvalidData("Données invalides : " + describe_form_errors(exc.errors), exc.errors) from exc
        step.save(row, instance)
        if found.claimed_by is not None:   # the claim goes with the task
            step.on_write(lambda session: session.execute(delete(TaskClaim).where(TaskClaim.task_id == str(task_id))))
        step.record(*_journal_action(view.name, data), actor, role=found.role,
                    payload={"avant": view.data, "soumis": data}, instance_id=row.id, task_id=str(task_id))
        withheld = _withheld_documents(step, instance, view, actor, row.id, str(task_id))
        ready = instance.ready_human_tasks()
        result = {"instance_id": row.id, "task_id": str(task_id), "status": instance.status,
                  "next_tasks": [{"id": t.id, "name": t.name, "role": t.role} for t in ready],
                  "your_tasks": _actor_tasks(step, instance, ready, actor, row),
                  "documents": [], "document_errors": withheld}
        return result, StepCompleted(row.id, str(task_id), actor, () if withheld else tuple(view.documents))

    result, completed = run_guarded(app, None, actor, body)
    for outcome in app.events.publish(app, completed):
        result.update(outcome)
    return result


def _actor_tasks(step, instance, ready, actor, row):
    """The actor's ready tasks of the instance once the step is written, as GET /tasks?instance_id=
    lists them: a client goes on without listing. Only the tasks stored ready before the step can
    be claimed: their claims are read (and read again under the step's lock)."""
    territory = row.territory
    mine = sorted((t for t in ready if actor.may_act_in(t.role) and actor.acts_in_territory(territory, t.role)),
                  key=lambda t: (t.created_at, t.id))
    stored = [t.id for t in mine if instance.was_saved_ready(t.id)]
    claims = step.read(lambda session: _claims_of(session, stored)) if stored else {}
    return [{"id": t.id, "instance_id": row.id, "process_id": t.process_id, "bpmn_id": t.bpmn_id,
             "name": t.name, "lane": t.lane, "role": t.role, "role_label": role_label(t.role) if t.role else None,
             "state": t.state, "territory": territory, "created_at": t.created_at.isoformat(),
             "due_at": t.due_at.isoformat() if t.due_at else None, "claimed_by": claims.get(t.id)}
            for t in mine]


def _claims_of(session, task_ids):
    return dict(session.execute(select(TaskClaim.task_id, TaskClaim.username)
                                .where(TaskClaim.task_id.in_(task_ids))).all())


def _withheld_documents(step, instance, view, actor, instance_id, task_id):
    """A step the model's checks send back for correction produces no document: the
    corrected step will. Journaled in the step's own transaction."""
    if not view.documents or not instance.sent_back(task_id):
        return []
    reason = "l’étape est renvoyée pour correction par les contrôles du processus"
    for template in view.documents:
        step.record("document_differe", f"Document « {template} » non généré : {reason}.", actor,
                    instance_id=instance_id, task_id=task_id)
    return [{"template": template, "error": f"Non généré : {reason}."} for template in view.documents]
