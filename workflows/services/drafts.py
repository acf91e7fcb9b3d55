"""Drafts: the values of a ready task's form kept on the server before it is completed, so that
another browser, another computer or a colleague taking the task over finds them.

Saved and discarded by whoever may complete the task (its role, where they act; not while a
colleague holds it), read by whoever may open it. A draft is not an act: it is not journaled, it
changes neither the instance nor its version; it goes with the task's completion (in the step's
transaction: services/tasks.py) or its cancellation (services/persistence.py). Its values are
kept as typed, as JSON data: nothing in them is run or rendered unescaped.
"""
import json

from sqlalchemy import select

from ..errors import Conflict, InvalidData, NotFound, TooLarge
from ..store.models import ProcessInstance, TaskClaim, TaskDraft, TaskRecord, UserAccount
from .assignments import ready_task
from .names import person_name
from .partners import require_own_task
from .persistence import aware
from .results import TaskDraft as DraftSummary
from .rights import require_role
from .steps import Step

DRAFT_LIMIT = 256 * 1024   # bytes of JSON: a sitting's roster and its forms are far below


def save_draft(app, task_id, values, actor) -> DraftSummary:
    """Keep `values` (a JSON object, as typed) as the task's draft, replacing the previous one:
    404, 403 or 409 as for completing it, 422 for values that are not an object, 413 beyond
    DRAFT_LIMIT; then nothing changes."""
    if not isinstance(values, dict):
        raise InvalidData("Le brouillon doit être un objet JSON.", {"values": "objet JSON attendu"})
    try:   # escaped to ASCII: a lone UTF-16 half or a NUL is kept as its escape, never as itself
        text = json.dumps(values, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidData("Le brouillon doit être fait de valeurs JSON (nombres finis).",
                          {"values": "valeur non JSON"}) from exc
    if len(text) > DRAFT_LIMIT:
        raise TooLarge(f"Brouillon trop volumineux : {-(-len(text) // 1024)} Ko, la limite est de "
                       f"{DRAFT_LIMIT // 1024} Ko.", {"values": "trop volumineux"})
    with Step(app) as step:
        record = _actionable(step, task_id, actor)
        draft = step.session.get(TaskDraft, record.id)
        if draft is None:
            draft = TaskDraft(task_id=record.id, instance_id=record.instance_id)
            step.session.add(draft)
        draft.values_json, draft.saved_by, draft.saved_at = text, actor.username, step.now
        step.commit()
        return _summary(draft, actor.display_name or actor.username)


def discard_draft(app, task_id, actor) -> bool:
    """Remove the task's draft (same rights as saving one); False when it had none."""
    with Step(app) as step:
        record = _actionable(step, task_id, actor)
        draft = step.session.get(TaskDraft, record.id)
        if draft is not None:
            step.session.delete(draft)
        step.commit()
        return draft is not None


def read_draft(app, task_id, actor) -> DraftSummary | None:
    """The task's draft, or None: 404 outside the actor's territories, 403 outside the task's role
    (as for opening it)."""
    with app.db.sessions() as session:
        record = session.get(TaskRecord, str(task_id))
        row = session.get(ProcessInstance, record.instance_id) if record is not None else None
        if record is None or not record.manual or not actor.sees_territory(row.territory):
            raise NotFound(f"Tâche {task_id} introuvable.")
        require_own_task(app, session, record, row.definition_id, actor)
        require_role(actor, record.role, row.territory)
        found = session.execute(
            select(TaskDraft, UserAccount.display_name)
            .outerjoin(UserAccount, UserAccount.username == TaskDraft.saved_by)
            .where(TaskDraft.task_id == record.id)).first()
    if found is None:
        return None
    draft, name = found
    return _summary(draft, name or draft.saved_by)


def _actionable(step, task_id, actor):
    """The ready task the actor may complete, read once its instance's row is locked: a completion
    (which locks it too) either comes first, and the task is no longer ready, or after, and takes
    the draft away with it."""
    record = step.session.get(TaskRecord, str(task_id))
    if record is not None and record.manual:
        step.lock_row(record.instance_id)
        step.session.refresh(record)
    record, _row = ready_task(step.app, step.session, task_id, actor)
    claim = step.session.get(TaskClaim, record.id)
    if claim is not None and claim.username != actor.username:
        raise Conflict(f"Cette tâche est prise par {person_name(step.session, claim.username)} : demandez-lui de la libérer "
                       "avant d’agir.", {"claimed_by": claim.username})
    return record


def _summary(draft, name) -> DraftSummary:
    return {"task_id": draft.task_id, "values": json.loads(draft.values_json), "saved_by": draft.saved_by,
            "saved_by_name": name, "saved_at": aware(draft.saved_at).isoformat()}
