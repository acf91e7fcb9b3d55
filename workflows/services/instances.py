"""Starting instances and reading their state."""
import json

from sqlalchemy import select

from ..engine import ExecutionFailed, FormRejected, describe_form_errors
from ..errors import InstanceFailed, InvalidData, NotFound
from ..states import OPEN_TASK_STATES, JournalAction, TaskState
from ..store.models import AuditEntry, ProcessDefinition, ProcessInstance, TaskRecord
from .deploy import latest_definition
from .ledger_process import start_facts
from .partners import require_whole_view
from .persistence import aware, definition_for
from .results import InstanceSummary, InstanceState, StartForm
from .rights import require_starter, start_territory
from .steps import run_guarded
from .territories import population_for_start
from .tasks import process_forms, task_summary, time_zones


def _require_short_text(value, field, label, longest):
    if value is not None and (not isinstance(value, str) or len(value) > longest):
        raise InvalidData(f"{label} doit être un texte d’au plus {longest} caractères.",
                          {field: f"texte d’au plus {longest} caractères"})


def start_instance(app, process_id, data, actor, territory=None, title=None, version=None) -> InstanceSummary:
    """Start the latest (or given) version of a process; return the instance as plain data.
    Only the starter roles may; in one of the actor's territories, their only one by default."""
    require_starter(app, actor)
    if not isinstance(data, dict):
        raise InvalidData("Les données de départ doivent être un objet JSON.", {"": "objet JSON attendu"})
    _require_short_text(title, "title", "Le titre", 500)
    _require_short_text(territory, "territory", "Le territoire", 100)
    territory = start_territory(actor, territory)

    def body(step):
        with step.reading() as session:
            definition_row = _deployed(session, process_id, version)
            definition = definition_for(app, session, definition_row.id)
            population, _ = population_for_start(session, territory)
            facts = start_facts(session, data, territory, actor)
        start_data = _with_population(definition, data, population)
        try:   # the model's start runs with no transaction open
            instance = app.engine.start(definition, start_data, facts)
        except FormRejected as exc:
            raise InvalidData("Données de départ invalides : " + describe_form_errors(exc.errors),
                              exc.errors) from exc
        except ExecutionFailed as exc:
            raise InstanceFailed(f"Démarrage impossible. {exc}", {"etape": exc.task_name}) from exc
        row = ProcessInstance(
            definition_id=definition_row.id, process_id=process_id, territory=territory,
            title=title or definition_row.name, status=instance.status, started_by=actor.username,
            started_at=step.now, updated_at=step.now)
        step.add(row, instance, facts)
        step.save(row, instance)
        step.record(JournalAction.START, f"Démarrage de « {process_id} » v{definition_row.version}", actor,
                    role=actor.main_role(), payload={"donnees": data}, instance_id=row)
        return row, definition_row.version

    row, definition_version = run_guarded(app, None, actor, body)
    return instance_summary(row, definition_version)


def _with_population(definition, data, population):
    """The territory's population, for the models whose forms ask for one (the deliberation's
    convocation: 3 or 5 jours francs), unless the start data gives it: the form then shows it, and
    what is typed there wins."""
    if population is None or "population" in data or not _asks_population(definition):
        return data
    return {**data, "population": population}


def _asks_population(definition):
    start = definition.start_form or {}
    if start.get("additionalProperties") is False and "population" not in (start.get("properties") or {}):
        return False
    return any("population" in ((form or {}).get("properties") or {}) for form in definition.forms.values())


def _deployed(session, process_id, version):
    definition_row = latest_definition(session, process_id, version)
    if definition_row is None:
        raise NotFound(f"Processus « {process_id} » non déployé" + (f" en version {version}." if version else "."))
    return definition_row


def start_form(app, process_id, version=None) -> StartForm:
    """What starting the latest (or given) version of a process asks for: its start form, or None."""
    with app.db.sessions() as session:
        definition_row = _deployed(session, process_id, version)
        definition = definition_for(app, session, definition_row.id)
        return {"process_id": process_id, "name": definition_row.name, "version": definition_row.version,
                "form": definition.start_form}


RECENT_STARTS = 50   # how far back a start form's values are looked for


def latest_start_data(app, actor, territory, fields):
    """The `fields` given to the latest start on `territory` that gave any of them, whatever
    its process: a collectivité's identity rarely changes, so it is offered, not retyped."""
    if not actor.sees_territory(territory):
        return {}
    same_territory = (ProcessInstance.territory.is_(None) if territory is None
                      else ProcessInstance.territory == territory)
    with app.db.sessions() as session:
        payloads = session.execute(
            select(AuditEntry.payload).join(ProcessInstance, ProcessInstance.id == AuditEntry.instance_id)
            .where(AuditEntry.action == JournalAction.START, same_territory)
            .order_by(AuditEntry.id.desc()).limit(RECENT_STARTS)).scalars()
        for payload in payloads:
            data = json.loads(payload).get("donnees")
            found = {k: v for k, v in data.items() if k in fields} if isinstance(data, dict) else {}
            if found:
                return found
    return {}


def instance_summary(row, definition_version=None) -> InstanceSummary:
    return {
        "id": row.id, "process_id": row.process_id, "version": definition_version,
        "title": row.title, "territory": row.territory, "status": row.status, "error": row.error,
        "started_by": row.started_by, "started_at": aware(row.started_at).isoformat(),
        "updated_at": aware(row.updated_at).isoformat(),
        "completed_at": aware(row.completed_at).isoformat() if row.completed_at else None,
        "next_timer_at": aware(row.next_timer_at).isoformat() if row.next_timer_at else None,
    }


def _visible_row(session, instance_id, actor):
    row = session.get(ProcessInstance, instance_id)
    if row is None or not actor.sees_territory(row.territory):
        raise NotFound(f"Instance n° {instance_id} introuvable.")
    require_whole_view(actor, f"Instance n° {instance_id} introuvable.")
    return row


def get_instance(app, instance_id, actor) -> InstanceState:
    """State, open tasks, waiting timers and history of one instance (404 to an outside partner)."""
    with app.db.sessions() as session:
        return _instance_state(app, session, _visible_row(session, instance_id, actor))


def instance_forms(app, instance_id, actor):
    """The JSON schemas of the instance's forms, the start form first: the labels under which its
    page shows its data (404 to an outside partner, as get_instance)."""
    with app.db.sessions() as session:
        row = _visible_row(session, instance_id, actor)
        return process_forms(definition_for(app, session, row.definition_id))


def instance_state(app, instance_id) -> InstanceState:
    """get_instance for what a step the actor was allowed to take does afterwards (its documents,
    made from the whole dossier even when an outside partner completed the step)."""
    with app.db.sessions() as session:
        row = session.get(ProcessInstance, instance_id)
        if row is None:
            raise NotFound(f"Instance n° {instance_id} introuvable.")
        return _instance_state(app, session, row)


def _instance_state(app, session, row):
    definition = definition_for(app, session, row.definition_id)
    version = session.get(ProcessDefinition, row.definition_id).version
    tasks = session.execute(select(TaskRecord).where(TaskRecord.instance_id == row.id)
                            .order_by(TaskRecord.seq)).scalars().all()
    history = session.execute(select(AuditEntry).where(AuditEntry.instance_id == row.id)
                              .order_by(AuditEntry.id)).scalars().all()
    summary = instance_summary(row, version)
    zone = time_zones(session, {row.territory})[row.territory]
    summary["open_tasks"] = [task_summary(t, definition, row.territory, time_zone=zone) for t in tasks
                             if t.manual and t.state == TaskState.READY]
    summary["waiting"] = [{"id": t.id, "name": t.name or t.bpmn_id, "state": t.state, "bpmn_id": t.bpmn_id,
                           "process_id": t.process_id,
                           "due_at": aware(t.due_at).isoformat() if t.due_at else None}
                          for t in tasks if t.state == TaskState.WAITING]
    summary["data"] = _current_data(tasks)
    summary["history"] = [{"at": aware(e.at).isoformat(), "actor": e.actor, "role": e.role,
                           "action": e.action, "summary": e.summary, "task_id": e.task_id}
                          for e in history]
    summary["completed_tasks"] = [{"id": t.id, "name": t.name or t.bpmn_id, "bpmn_id": t.bpmn_id,
                                   "process_id": t.process_id}
                                  for t in tasks if t.state == TaskState.COMPLETED and t.bpmn_id]
    return summary


def _current_data(tasks):
    """The data of the most recently changed live task of the model: what the process knows
    now (the engine's own bookkeeping tasks, without a BPMN id, hold no data of theirs)."""
    modelled = [t for t in tasks if t.bpmn_id] or tasks
    live = [t for t in modelled if t.state in OPEN_TASK_STATES] or \
        [t for t in modelled if t.state == TaskState.COMPLETED]
    if not live:
        return {}
    latest = max(live, key=lambda t: t.created_at)
    return json.loads(latest.body).get("data", {})


def list_instances(app, actor, status=None, process_id=None) -> list[InstanceSummary]:
    """The instances of the actor's territories; none to an outside partner (their tasks are their way in)."""
    if actor.is_outside_partner:
        return []
    with app.db.sessions() as session:
        query = select(ProcessInstance).order_by(ProcessInstance.id)
        if status:
            query = query.where(ProcessInstance.status == status)
        if process_id:
            query = query.where(ProcessInstance.process_id == process_id)
        rows = session.execute(query).scalars().all()
        return [instance_summary(r) for r in rows if actor.sees_territory(r.territory)]
