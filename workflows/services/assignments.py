"""Claiming a ready task from one's role queue, giving it back, handing it to a colleague.

A claim says who works on a task; it does not change the task's rights: only a user
who may act in the task's lane, in its territory, may claim it, and a task claimed by
someone else cannot be claimed, released or completed by another user (except an
administrator, who may release it, and the substitute of an absent claimer, who may take
it: services/absences.py). A director hands a task of their territory to a colleague who
holds its role there: the claim moves to them. Claims on tasks no longer ready are ignored
and swept at the next claim of their user.
"""
import json

from sqlalchemy import delete, or_, select, true

from ..errors import Conflict, Forbidden, InvalidData, NotFound
from ..roles import role_label
from ..states import JournalAction, TaskState
from ..store.models import ProcessInstance, TaskClaim, TaskRecord, UserAccount
from .absences import replaced_by, replacing
from .names import person_name
from .partners import concerns, organisation_of, require_own_task, stored_partner
from .persistence import aware
from .results import Claim, Colleague
from .rights import require_reassigner, require_role
from .steps import Step
from .tasks import list_tasks
from .territories import account_actor


def ready_task(app, session, task_id, actor, acting=True):
    """The ready task and its instance; `acting`: the actor must act in its lane (else 403). Another
    organisation's task of a partner's lane is a 404 to them (services/partners.py)."""
    record = session.get(TaskRecord, str(task_id))
    row = session.get(ProcessInstance, record.instance_id) if record is not None else None
    if record is None or not record.manual or not actor.sees_territory(row.territory):
        raise NotFound(f"Tâche {task_id} introuvable.")
    require_own_task(app, session, record, row.definition_id, actor)
    if acting:
        require_role(actor, record.role, row.territory)
    if record.state != TaskState.READY:
        raise Conflict("Cette tâche n’est plus à faire : déjà terminée, annulée ou remplacée.")
    return record, row


def claim_task(app, task_id, actor) -> Claim:
    """Take a ready task; claiming one's own claim again is a no-op; the substitute of an absent
    claimer takes it over (journaled as such)."""
    with Step(app) as step:
        record, row = ready_task(app, step.session, task_id, actor)
        claim = step.session.get(TaskClaim, record.id)
        if claim is not None and claim.username != actor.username:
            if claim.username not in replaced_by(step.session, actor.username, step.now):
                raise Conflict(f"Cette tâche est déjà prise par {person_name(step.session, claim.username)}.")
            absent, claim.username, claim.claimed_at = claim.username, actor.username, step.now
            step.record(JournalAction.CLAIM, summary=f"« {record.name or record.bpmn_id} » reprise par "
                        f"{person_name(step.session, actor.username)} en remplacement de {person_name(step.session, absent)}, "
                        "absent(e)", actor=actor, role=record.role, payload={"remplace": absent},
                        instance_id=row.id, task_id=record.id)
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
        record, row = ready_task(app, step.session, task_id, actor)
        claim = step.session.get(TaskClaim, record.id)
        if claim is None:
            raise Conflict("Cette tâche n’est prise par personne.")
        if claim.username != actor.username and not actor.is_admin:
            raise Forbidden(f"Cette tâche est prise par {person_name(step.session, claim.username)} : seul(e) cette personne "
                            "ou un administrateur peut la libérer.")
        step.session.delete(claim)
        step.record(JournalAction.RELEASE, summary=f"« {record.name or record.bpmn_id} » remise dans la file",
                    actor=actor, role=record.role, instance_id=row.id, task_id=record.id)
        step.commit()
        return {"task_id": record.id, "claimed_by": None}


def reassign_task(app, task_id, colleague, actor) -> Claim:
    """A director hands a ready task of their territory to `colleague`, who must hold its role
    there: the claim moves to them, whoever held it. Refused with the reason otherwise."""
    with Step(app) as step:
        record, row = ready_task(app, step.session, task_id, actor, acting=False)
        require_reassigner(actor, row.territory)
        target = _colleague(step.session, colleague, record, row.territory,
                            stored_partner(app, step.session, record, row.definition_id))
        claim = step.session.get(TaskClaim, record.id)
        previous = claim.username if claim is not None else None
        if previous != target.username:
            if claim is None:
                step.session.add(TaskClaim(task_id=record.id, username=target.username, claimed_at=step.now))
            else:
                claim.username, claim.claimed_at = target.username, step.now
            step.record(JournalAction.REASSIGNMENT,
                        summary=f"« {record.name or record.bpmn_id} » confiée à {target.display_name} par "
                                f"{person_name(step.session, actor.username, actor.display_name)}"
                                + (f" (elle était prise par {person_name(step.session, previous)})" if previous else ""),
                        actor=actor, role=record.role, payload={"a": target.username, "de": previous},
                        instance_id=row.id, task_id=record.id)
        step.commit()
        return {"task_id": record.id, "claimed_by": target.username, "claimed_at": aware(step.now).isoformat()}


def _colleague(session, username, record, territory, partner=None):
    """The active user `username` who may take the task: its role, in its territory, of the
    organisation it is for (`partner`, for a partner's task made for one)."""
    account = session.get(UserAccount, username.strip()) if isinstance(username, str) else None
    if account is None or not account.active:
        raise InvalidData(f"Utilisateur « {username or ''} » inconnu ou désactivé : la tâche ne peut lui être "
                          "confiée.", {"user": "utilisateur inconnu"})
    target = account_actor(session, account)
    task = record.name or record.bpmn_id
    if not target.may_act_in(record.role) or target.only_observes:
        raise InvalidData(f"{target.display_name} n’a pas le rôle « {role_label(record.role)} » : la tâche « {task} » "
                          "ne peut lui être confiée.", {"user": "rôle manquant"})
    if not target.acts_in_territory(territory, record.role):
        raise InvalidData(f"{target.display_name} n’agit pas pour le territoire « {territory} » : la tâche « {task} » "
                          "ne peut lui être confiée.", {"user": "territoire non couvert"})
    if not concerns(target, record.role, partner):
        raise InvalidData(f"{target.display_name} est de l’organisation « {organisation_of(target)} » : la tâche "
                          f"« {task} », destinée à « {partner} », ne peut lui être confiée.",
                          {"user": "autre organisation"})
    return target


def colleagues_for(app, task_id, actor) -> list[Colleague]:
    """Those a director may hand the task to (its role, in its territory), by name."""
    return reassignable(app, task_id, actor)["colleagues"]


def reassignable(app, task_id, actor):
    """What handing the task over shows a director (who need not hold its role): the task, who
    holds it, and the colleagues who may take it."""
    with app.db.sessions() as session:
        record, row = ready_task(app, session, task_id, actor, acting=False)
        require_reassigner(actor, row.territory)
        claim = session.get(TaskClaim, record.id)
        partner = stored_partner(app, session, record, row.definition_id)
        accounts = session.execute(select(UserAccount).where(UserAccount.active.is_(True),
                                                             _may_hold(record.role))).scalars().all()
        found = []
        for account in accounts:
            other = account_actor(session, account)
            if other.roles and not other.only_observes and other.may_act_in(record.role) \
                    and other.acts_in_territory(row.territory, record.role) and concerns(other, record.role, partner):
                found.append({"username": other.username, "display_name": other.display_name})
        task = {"id": record.id, "name": record.name or record.bpmn_id, "role": record.role,
                "instance_id": row.id, "territory": row.territory}
        return {"task": task, "claimed_by": claim.username if claim is not None else None,
                "colleagues": sorted(found, key=lambda c: (c["display_name"].casefold(), c["username"]))}


def _may_hold(role):
    """The accounts whose stored roles (a JSON list) name `role` or admin: the only candidates, read
    as actors (with their groupings) one by one; a task outside any lane is open to every role."""
    if role is None:
        return true()
    return or_(UserAccount.roles.contains(json.dumps(role)), UserAccount.roles.contains('"admin"'))


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
    """The actor's ready tasks in four lists: claimed by them, free in their queue, claimed by the
    colleagues they replace during an absence (theirs to take), taken by others."""
    tasks = list_tasks(app, actor)
    claims = claims_for(app, [t["id"] for t in tasks])
    replaced = replacing(app, actor)
    mine, queue, standing_in, others = [], [], [], []
    for task in tasks:
        claim = claims.get(task["id"])
        task = dict(task, claimed_by=claim["claimed_by"] if claim else None,
                    claimed_at=claim["claimed_at"] if claim else None)
        if claim is None:
            queue.append(task)
        elif claim["claimed_by"] == actor.username:
            mine.append(task)
        elif claim["claimed_by"] in replaced:
            standing_in.append(task)
        else:
            others.append(task)
    return {"mine": mine, "queue": queue, "replacing": standing_in, "others": others}
