"""Human tasks: the inbox, one task with its form, and completing it."""
import json
import math
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import delete, literal, select

from ..domain.french_dates import format_date
from ..engine import ExecutionFailed, FormRejected, TaskNotReady, describe_form_errors, occurrence_fields
from ..errors import Conflict, InvalidData, NotFound
from ..roles import role_label
from ..states import JournalAction, TaskState
from ..store.models import AuditEntry, ProcessInstance, TaskClaim, TaskDraft, TaskRecord, Territory, UserAccount
from .absences import replaced_by
from .names import person_name
from .events import StepCompleted
from .form_contracts import form_for_territory, territory_errors
from .form_checks import field_rules, refusal_errors, refused_field
from .ledger_process import step_facts
from .partners import concerns, require_own_task, separated, stored_partner, task_data_for
from .persistence import aware, definition_for
from .results import Completion, TaskLine, TaskWithForm
from .rights import require_role
from .steps import run_guarded
from .territories import DEFAULT_TIME_ZONE


def time_zones(session, codes):
    """{territory code: its time zone} (the default one for a territory not described)."""
    known = dict(session.execute(select(Territory.code, Territory.time_zone)
                                 .where(Territory.code.in_({c for c in codes if c}))).all()) if codes else {}
    return {code: known.get(code) or DEFAULT_TIME_ZONE for code in codes}


def task_summary(record, definition, territory, with_form=False,
                 time_zone=DEFAULT_TIME_ZONE) -> TaskLine | TaskWithForm:
    """A task row as the API and the pages show it; `definition` is read only `with_form` or
    for a task with a due date. `due_source`: the deadline timer its due date comes from (a legal
    deadline, a day in the territory's `due_time_zone`), None for a mere processing time."""
    summary = {
        "id": record.id, "instance_id": record.instance_id, "process_id": record.process_id,
        "bpmn_id": record.bpmn_id, "name": record.name or record.bpmn_id, "lane": record.lane,
        "role": record.role, "role_label": role_label(record.role) if record.role else None,
        "state": record.state, "territory": territory,
        "created_at": aware(record.created_at).isoformat(),
        "due_at": aware(record.due_at).isoformat() if record.due_at else None,
        "due_source": definition.deadline_name(record.process_id, record.spec_name) if record.due_at else None,
        "due_time_zone": time_zone,
    }
    if with_form:
        summary["form"] = definition.forms.get(f"{record.process_id}:{record.spec_name}")
        data = json.loads(record.body).get("data", {})
        fresh = occurrence_fields(summary["form"]) if record.state == TaskState.READY else ()
        summary["data"] = {name: value for name, value in data.items() if name not in fresh}
        summary["instructions"] = definition.instructions(record.process_id, record.spec_name)
    return summary


def list_tasks(app, actor, instance_id=None, role=None, include_all_roles=False,
               with_claims=False) -> list[TaskLine]:
    """Ready human tasks the actor may see, oldest first; `with_claims`: each with who holds it
    (`claimed_by`, None when free), read in the same query, as the territory's time zone."""
    with app.db.sessions() as session:
        query = (select(TaskRecord, ProcessInstance.territory, ProcessInstance.definition_id, Territory.time_zone,
                        TaskClaim.username if with_claims else literal(None))
                 .join(ProcessInstance, ProcessInstance.id == TaskRecord.instance_id)
                 .outerjoin(Territory, Territory.code == ProcessInstance.territory)
                 .where(TaskRecord.state == TaskState.READY, TaskRecord.manual.is_(True))
                 .order_by(TaskRecord.created_at, TaskRecord.id))
        if with_claims:
            query = query.outerjoin(TaskClaim, TaskClaim.task_id == TaskRecord.id)
        if instance_id is not None:
            query = query.where(TaskRecord.instance_id == instance_id)
        if role is not None:
            query = query.where(TaskRecord.role == role)
        results = []
        for record, territory, definition_id, time_zone, claimed_by in session.execute(query).all():
            if not actor.sees_territory(territory):
                continue
            if (not include_all_roles or actor.is_outside_partner) and not (actor.may_act_in(record.role)
                                              and actor.acts_in_territory(territory, record.role)):
                continue
            if separated(actor, record.role) and not concerns(
                    actor, record.role, stored_partner(app, session, record, definition_id)):
                continue   # another organisation's task of the actor's partner lane
            # The definition names a due date's legal source: read only for a task that has one.
            definition = definition_for(app, session, definition_id) if record.due_at else None
            summary = task_summary(record, definition, territory, time_zone=time_zone or DEFAULT_TIME_ZONE)
            if with_claims:
                summary["claimed_by"] = claimed_by
            results.append(summary)
        return results


def get_task(app, task_id, actor) -> TaskWithForm:
    """The task with its form, for acting on it: 404 outside the actor's territories, 403 outside their roles;
    the form as the territory offers it (services/form_contracts.py); to an outside partner, only the
    data the task is about (services/partners.py). A ready task comes with the reasons of the model's
    checks that sent it back, by field (`field_errors`), and the rules they apply, by field
    (`field_rules`): services/form_checks.py."""
    with app.db.sessions() as session:
        record, row = _task_and_instance(app, session, task_id, actor)
        require_role(actor, record.role, row.territory)
        definition = definition_for(app, session, row.definition_id)
        place = session.get(Territory, row.territory) if row.territory else None
        task = task_summary(record, definition, row.territory, with_form=True,
                            time_zone=(place.time_zone if place else None) or DEFAULT_TIME_ZONE)
    task["form"] = form_for_territory(task["form"], place.kind if place else None)
    ready = task["state"] == TaskState.READY
    task["field_errors"] = refusal_errors(task["form"], task["data"]) if ready else {}
    task["field_rules"] = field_rules(task["form"], task["data"]) if ready else {}
    task["data"] = task_data_for(actor, task["data"], task["form"], task["instructions"])
    return task


def task_partner(app, task_id):
    """The organisation a task is for (None: its whole lane), with no rights checked: for the tools
    that replay a chain as its people would (server/demo_replay.py)."""
    with app.db.sessions() as session:
        record = session.get(TaskRecord, str(task_id))
        if record is None:
            raise NotFound(f"Tâche {task_id} introuvable.")
        row = session.get(ProcessInstance, record.instance_id)
        return stored_partner(app, session, record, row.definition_id)


def dossier_forms(app, task_id, actor):
    """The JSON schemas of the forms of the task's process but its own (the start form first):
    the labels under which its page shows the dossier."""
    with app.db.sessions() as session:
        record, row = _task_and_instance(app, session, task_id, actor)
        definition = definition_for(app, session, row.definition_id)
    own = definition.forms.get(f"{record.process_id}:{record.spec_name}")
    if actor.is_outside_partner:   # what their task is about, nothing else of the dossier
        return [own] if isinstance(own, dict) else []
    return [form for form in process_forms(definition) if form is not own]


def process_forms(definition):
    """The JSON schemas of a definition's forms, the start form first: the labels of its dossier."""
    start = definition.start_form
    forms = [start] + [form for form in definition.forms.values() if form is not start]
    return [form for form in forms if isinstance(form, dict)]


SENDING_BACK = ("rejeter", "modifier")


def step_history(app, task_id, actor):
    """The earlier rounds of a task's step in its instance, newest first: who did each and
    when, and what sent the step back (a decision with its comment, or the process's own
    checks). [] for a step done for the first time. Each entry: at, actor (their name),
    summary, comment, sent_back (whether this entry sent the step back: a later step's decision
    or the model's checks on this step, never this step's own earlier decision)."""
    with app.db.sessions() as session:
        record, row = _task_and_instance(app, session, task_id, actor)
        require_role(actor, record.role, row.territory)
        rounds = set(session.execute(select(TaskRecord.id).where(
            TaskRecord.instance_id == row.id, TaskRecord.process_id == record.process_id,
            TaskRecord.spec_name == record.spec_name, TaskRecord.id != record.id,
            TaskRecord.state == TaskState.COMPLETED)).scalars())
        if not rounds:
            return []
        entries = session.execute(
            select(AuditEntry, UserAccount.display_name)
            .outerjoin(UserAccount, UserAccount.username == AuditEntry.actor)
            .where(AuditEntry.instance_id == row.id,
                   AuditEntry.action.in_((JournalAction.COMPLETION, JournalAction.DECISION)))
            .order_by(AuditEntry.id)).all()
    history, started = [], False
    for entry, name in entries:
        submitted = json.loads(entry.payload or "{}")
        mine = entry.task_id in rounds
        started = started or mine
        # A decision sends back the steps before it, not its own step: a reviewer's earlier
        # « modifier » is her own past round, not work returned to her.
        sending_back = not mine and (submitted.get("soumis") or {}).get("decision") in SENDING_BACK
        if mine or (started and sending_back):
            history.append({"at": aware(entry.at).isoformat(), "actor": name or entry.actor,
                            "summary": entry.summary, "sent_back": sending_back or bool(submitted.get("renvoyee")),
                            "comment": (submitted.get("soumis") or {}).get("commentaire") if sending_back else None})
    return history[::-1]


def _task_and_instance(app, session, task_id, actor):
    record = session.get(TaskRecord, str(task_id))
    row = session.get(ProcessInstance, record.instance_id) if record is not None else None
    if record is None or not record.manual or not actor.sees_territory(row.territory):
        raise NotFound(f"Tâche {task_id} introuvable.")
    require_own_task(app, session, record, row.definition_id, actor)
    return record, row


class _CompletionFacts(NamedTuple):
    instance_id: int
    manual: bool
    role: str | None
    claimed_by: str | None
    due_at: object
    spec_name: str
    process_id: str
    time_zone: str | None   # the territory's, for the day a legal deadline falls on
    draft: str | None       # the task's id when it has a draft, which goes with the completion
    territory_kind: str | None   # what its form's territory contracts read (services/form_contracts.py)


def _completion_facts(session, task_id):
    """What completing a task checks besides its instance's state (read again before writing)."""
    found = session.execute(
        select(TaskRecord.instance_id, TaskRecord.manual, TaskRecord.role, TaskClaim.username, TaskRecord.due_at,
               TaskRecord.spec_name, TaskRecord.process_id, Territory.time_zone, TaskDraft.task_id,
               Territory.kind)
        .outerjoin(TaskClaim, TaskClaim.task_id == TaskRecord.id)
        .outerjoin(TaskDraft, TaskDraft.task_id == TaskRecord.id)
        .join(ProcessInstance, ProcessInstance.id == TaskRecord.instance_id)
        .outerjoin(Territory, Territory.code == ProcessInstance.territory)
        .where(TaskRecord.id == str(task_id))).first()
    return None if found is None else _CompletionFacts(*found)


DECISION_WORDS = {"approuver": "approuvé", "rejeter": "rejeté", "modifier": "modifications demandées"}
QUOTED_COMMENT = 300   # characters of a decision's comment the journal's summary quotes


def _journal_action(task_name, data, sent_back=False, late=None):
    """The journal's words for a completion: a decision (an approval form's `decision`, with its
    comment), a step the model's own checks sent back, or a plain completion; and its lateness."""
    if "decision" in data:
        action = JournalAction.DECISION
        words = f"« {task_name} » : {DECISION_WORDS.get(data['decision'], 'décision « %s »' % data['decision'])}"
        comment = str(data.get("commentaire") or "").strip()
        if comment:
            words += f" — « {comment[:QUOTED_COMMENT]}{'…' if len(comment) > QUOTED_COMMENT else ''} »"
    elif sent_back:
        action, words = JournalAction.COMPLETION, (f"« {task_name} » renvoyée pour correction par les contrôles du "
                                       "processus")
    else:
        action, words = JournalAction.COMPLETION, f"« {task_name} » terminée"
    return action, words + (f" ; {late['message'][0].lower()}{late['message'][1:]}" if late else "")


def lateness(due_at, due_source, time_zone, now):
    """How late a task's completion is against its deadline: None on time (or without a legal
    deadline), else the days and the French warning naming them."""
    if due_at is None or due_source is None or now <= due_at:
        return None
    days = math.ceil((now - due_at).total_seconds() / 86400)
    day = aware(due_at).astimezone(ZoneInfo(time_zone)).date()
    return {"days": days, "due_at": aware(due_at).isoformat(),
            "message": f"Saisie avec {days} jour{'s' if days > 1 else ''} de retard sur l’échéance du "
                       f"{format_date(day)} ({due_source})."}


def complete_task(app, task_id, data, actor) -> Completion:
    """Complete a ready task with validated data: 404, 403, 409 or 422, and then nothing changes.
    Once the step is committed, StepCompleted is published: its handlers' outcomes (the step's
    documents and their errors) complete the result. The result says whether the model's own
    checks sent the step back (`sent_back`: the task to take up again) and how late it was done
    against its legal deadline (`late`, None on time): a late entry is accepted, and journaled so."""
    if not isinstance(data, dict):
        raise InvalidData("Les données doivent être un objet JSON.", {"": "objet JSON attendu"})

    def body(step):
        with step.reading() as session:   # the task's facts, its instance, its campaign's figures: one read
            found = step.read(lambda session: _completion_facts(session, task_id))
            if found is None or not found.manual:
                raise NotFound(f"Tâche {task_id} introuvable.")
            row, instance = step.open(found.instance_id)
            # The campaign's figures as of now, not read again under the lock: the ledger records
            # handouts all day long, and its own constraints, not this step, keep them consistent.
            # Offered to the step's scripts, not stored: the instance keeps what they retain.
            facts = step_facts(session, row.id)
        if not actor.sees_territory(row.territory):
            raise NotFound(f"Tâche {task_id} introuvable.")
        require_role(actor, found.role, row.territory)
        if separated(actor, found.role):
            task = instance.find_task(task_id)
            if task is not None and not concerns(actor, found.role, instance.view(task).partner):
                raise NotFound(f"Tâche {task_id} introuvable.")
        if found.claimed_by is not None and found.claimed_by != actor.username:
            raise Conflict(_held_message(step, found.claimed_by, actor), {"claimed_by": found.claimed_by})
        form = instance.definition.forms.get(f"{found.process_id}:{found.spec_name}")
        misplaced = territory_errors(form, found.territory_kind, data)
        if misplaced:
            raise InvalidData("Données invalides : " + describe_form_errors(misplaced), misplaced)
        try:
            view = instance.complete(task_id, data, recorded_by=actor.username, facts=facts)
        except TaskNotReady as exc:
            raise Conflict("Cette tâche n’est plus à faire : déjà terminée, annulée ou remplacée.") from exc
        except FormRejected as exc:
            raise InvalidData("Données invalides : " + describe_form_errors(exc.errors), exc.errors) from exc
        except ExecutionFailed as exc:   # a rule refusing a field's value: refused like invalid data
            field = refused_field(form)
            if exc.rule is None or field is None:
                raise
            raise InvalidData(f"Refusé par les contrôles du processus : {exc.rule}", {field: exc.rule}) from exc
        step.save(row, instance)
        if found.claimed_by is not None:   # the claim goes with the task
            step.on_write(lambda session: session.execute(delete(TaskClaim).where(TaskClaim.task_id == str(task_id))))
        if found.draft is not None:   # and so does its draft (read with the facts: no statement without one)
            step.on_write(lambda session: session.execute(delete(TaskDraft).where(TaskDraft.task_id == str(task_id))))
        returned = _returned_task(instance, view, str(task_id))
        zone = found.time_zone or DEFAULT_TIME_ZONE
        late = lateness(found.due_at, instance.definition.deadline_name(found.process_id, found.spec_name),
                        zone, step.now)
        payload = {"avant": view.data, "soumis": data}
        if returned:
            payload["renvoyee"] = True
        if late:
            payload["retard_jours"] = late["days"]
        step.record(*_journal_action(view.name, data, bool(returned), late), actor, role=found.role,
                    payload=payload, instance_id=row.id, task_id=str(task_id))
        withheld = _withheld_documents(step, instance, view, actor, row.id, str(task_id), bool(returned))
        ready = instance.ready_human_tasks()
        result = {"instance_id": row.id, "task_id": str(task_id), "status": instance.status,
                  "next_tasks": [{"id": t.id, "name": t.name, "role": t.role} for t in ready],
                  "your_tasks": _actor_tasks(step, instance, ready, actor, row, zone),
                  "sent_back": returned, "late": late, "documents": [], "document_errors": withheld}
        return result, StepCompleted(row.id, str(task_id), actor, () if withheld else tuple(view.documents),
                                    sent_back=bool(returned))

    result, completed = run_guarded(app, None, actor, body)
    for outcome in app.events.publish(app, completed):
        result.update(outcome)
    return result


def _held_message(step, holder, actor):
    """Why a task claimed by someone else is refused, and what to do: ask them, or, replacing them
    during their absence, take it first (services/assignments.py)."""
    name = step.read(lambda session: person_name(session, holder))
    if holder in step.read(lambda session: replaced_by(session, actor.username, step.now)):
        return f"Cette tâche est prise par {name}, que vous remplacez : prenez-la d’abord en remplacement."
    return f"Cette tâche est prise par {name} : demandez-lui de la libérer avant d’agir."


def _returned_task(instance, view, task_id):
    """The task to take up again when the model's own checks sent the step back, else None."""
    if not instance.sent_back(task_id):
        return None
    again = next((t for t in instance.ready_human_tasks()
                  if t.bpmn_id == view.bpmn_id and t.process_id == view.process_id), None)
    if again is None:
        return None
    return {"id": again.id, "name": again.name, "role": again.role,
            "field_errors": refusal_errors(again.form, again.data)}


def _actor_tasks(step, instance, ready, actor, row, time_zone):
    """The actor's ready tasks of the instance once the step is written, as GET /tasks?instance_id=
    lists them: a client goes on without listing. Only the tasks stored ready before the step can
    be claimed: their claims are read (and read again under the step's lock)."""
    territory = row.territory
    mine = sorted((t for t in ready if actor.may_act_in(t.role) and actor.acts_in_territory(territory, t.role)
                   and concerns(actor, t.role, t.partner)),
                  key=lambda t: (t.created_at, t.id))
    stored = [t.id for t in mine if instance.was_saved_ready(t.id)]
    claims = step.read(lambda session: _claims_of(session, stored)) if stored else {}
    return [{"id": t.id, "instance_id": row.id, "process_id": t.process_id, "bpmn_id": t.bpmn_id,
             "name": t.name, "lane": t.lane, "role": t.role, "role_label": role_label(t.role) if t.role else None,
             "state": t.state, "territory": territory, "created_at": t.created_at.isoformat(),
             "due_at": t.due_at.isoformat() if t.due_at else None,
             "due_source": t.due_source, "due_time_zone": time_zone, "claimed_by": claims.get(t.id)}
            for t in mine]


def _claims_of(session, task_ids):
    return dict(session.execute(select(TaskClaim.task_id, TaskClaim.username)
                                .where(TaskClaim.task_id.in_(task_ids))).all())


def _withheld_documents(step, instance, view, actor, instance_id, task_id, sent_back):
    """A step the model's checks send back for correction produces no document: the
    corrected step will. Journaled in the step's own transaction."""
    if not view.documents or not sent_back:
        return []
    reason = "l’étape est renvoyée pour correction par les contrôles du processus"
    for template in view.documents:
        step.record(JournalAction.DOCUMENT_DEFERRED, f"Document « {template} » non généré : {reason}.", actor,
                    instance_id=instance_id, task_id=task_id)
    return [{"template": template, "error": f"Non généré : {reason}."} for template in view.documents]
