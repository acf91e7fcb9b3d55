"""Claiming a ready task from one's role queue, and giving it back.

A claim says who works on a task; it does not change the task's rights: only a user
who may act in the task's lane, in its territory, may claim it, and a task claimed by
someone else cannot be claimed, released or completed by another user (except an
administrator, who may release it). Claims on tasks no longer ready are ignored and
swept at the next claim of their user.
"""
from sqlalchemy import delete, select

from ..errors import Conflict, Forbidden, NotFound
from ..states import JournalAction, TaskState
from ..store.models import ProcessInstance, TaskClaim, TaskRecord
from .persistence import aware
from .results import Claim
from .rights import require_role
from .steps import Step
from .tasks import list_tasks


def _ready_task(session, task_id, actor):
    record = session.get(TaskRecord, str(task_id))
    row = session.get(ProcessInstance, record.instance_id) if record is not None else None
    if record is None or not record.manual or not actor.sees_territory(row.territory):
        raise NotFound(f"Tâche {task_id} introuvable.")
    require_role(actor, record.role, row.territory)
    if record.state != TaskState.READY:
        raise Conflict("Cette tâche n’est plus à faire : déjà terminée, annulée ou remplacée.")
    return record, row


def claim_task(app, task_id, actor) -> Claim:
    """Take a ready task; claiming one's own claim again is a no-op."""
    with Step(app) as step:
        record, row = _ready_task(step.session, task_id, actor)
        claim = step.session.get(TaskClaim, record.id)
        if claim is not None and claim.username != actor.username:
            raise Conflict(f"Cette tâche est déjà prise par « {claim.username} ».")
        if claim is None:
            _sweep_done_claims(step.session, actor.username)
            step.session.add(TaskClaim(task_id=record.id, username=actor.username, claimed_at=step.now))
            step.record(JournalAction.CLAIM, summary=f"« {record.name or record.bpmn_id} » prise en charge",
                        actor=actor, role=record.role, instance_id=row.id, task_id=record.id)
        step.commit()
        return {"task_id": record.id, "claimed_by": actor.username, "claimed_at": aware(step.now).isoformat()}


def release_task(app, task_id, actor) -> Claim:
    """Give a claimed task back to its role's queue (its claimer, or an administrator)."""
    with Step(app) as step:
        record, row = _ready_task(step.session, task_id, actor)
        claim = step.session.get(TaskClaim, record.id)
        if claim is None:
            raise Conflict("Cette tâche n’est prise par personne.")
        if claim.username != actor.username and not actor.is_admin:
            raise Forbidden(f"Cette tâche est prise par « {claim.username} » : seul(e) cette personne "
                            "ou un administrateur peut la libérer.")
        step.session.delete(claim)
        step.record(JournalAction.RELEASE, summary=f"« {record.name or record.bpmn_id} » remise dans la file",
                    actor=actor, role=record.role, instance_id=row.id, task_id=record.id)
        step.commit()
        return {"task_id": record.id, "claimed_by": None}


def _sweep_done_claims(session, username):
    done = select(TaskRecord.id).where(TaskRecord.state != TaskState.READY)
    session.execute(delete(TaskClaim).where(TaskClaim.username == username, TaskClaim.task_id.in_(done)))


def claims_for(app, task_ids):
    """{task id: {"claimed_by", "claimed_at"}} for the claimed ones among `task_ids`."""
    if not task_ids:
        return {}
    with app.db.sessions() as session:
        rows = session.execute(select(TaskClaim).where(TaskClaim.task_id.in_([str(t) for t in task_ids]))).scalars()
        return {c.task_id: {"claimed_by": c.username, "claimed_at": aware(c.claimed_at).isoformat()} for c in rows}


def inbox(app, actor):
    """The actor's ready tasks in three lists: claimed by them, free in their queue, taken by others."""
    tasks = list_tasks(app, actor)
    claims = claims_for(app, [t["id"] for t in tasks])
    mine, queue, others = [], [], []
    for task in tasks:
        claim = claims.get(task["id"])
        task = dict(task, claimed_by=claim["claimed_by"] if claim else None,
                    claimed_at=claim["claimed_at"] if claim else None)
        if claim is None:
            queue.append(task)
        elif claim["claimed_by"] == actor.username:
            mine.append(task)
        else:
            others.append(task)
    return {"mine": mine, "queue": queue, "others": others}
