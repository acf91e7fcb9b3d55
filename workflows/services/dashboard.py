"""The DGS dashboard: where every deployment of the territories a user sees stands.

Every figure is an SQL aggregate or a bounded query on the indexed columns of the instance
headers, the task rows and the ledger: no process instance is loaded (nor its state read) to
count. The pages, the API and the exports render these same results.
"""
from datetime import timedelta

from sqlalchemy import case, func, or_, select, true

from ..domain.ledger_rules import Place
from ..domain.passes import Booklet
from ..errors import NotFound
from ..roles import role_label
from ..states import OPEN_TASK_STATES, InstanceStatus, TaskState
from ..store.models import (
    LedgerBooklet, LedgerCampaign, LedgerCredit, ProcessDefinition, ProcessInstance, TaskClaim, TaskRecord, Territory,
)
from .deploy import called_processes
from .persistence import aware, db_time
from .steps import utc_now

STALE_DAYS = 15        # a ready task untouched this long is shown as blocked (not a legal delay)
DEADLINES_SHOWN = 20
OPEN_STATES = OPEN_TASK_STATES


def dashboard(app, actor, territory=None, now=None, stale_days=STALE_DAYS, ledger=True):
    """The portfolio of the actor's territories (or of one of them): chains, late tasks, errors,
    next deadlines, and the pass funnel per territory (without the ledger's parts when `ledger` is
    False: an export of the chains needs none of them)."""
    now = db_time(now or utc_now())
    visible = actor.visible_territories
    if territory is not None:
        if not actor.sees_territory(territory):
            raise NotFound(f"Territoire « {territory} » introuvable.")
        visible = {territory}
    with app.db.sessions() as session:
        chains = _chains(session, visible)
        late = _late_tasks(session, visible, now, stale_days)
        result = {
            "generated_at": aware(now).isoformat(), "territory": territory, "stale_days": stale_days,
            "chains": chains, "late_tasks": late,
            "errors": [c for c in chains if c["status"] == InstanceStatus.ERROR],
            "deadlines": _deadlines(session, visible, now) if ledger else [],
            "funnel": _funnel(session, visible) if ledger else [],
        }
        if territory is not None:   # not the instances without a territory, then
            for key in ("chains", "late_tasks", "errors", "deadlines"):
                result[key] = [line for line in result[key] if line["territory"] == territory]
        if actor.is_outside_partner:   # they reach the procedures only through their tasks (partners.py)
            for key in ("chains", "late_tasks", "errors", "deadlines"):
                result[key] = []
        result["territories"] = _by_territory(session, result)
        return result


def in_scope(column, visible):
    """Rows of the visible territories (None: all); instances without a territory are everyone's."""
    if visible is None:
        return true()
    within = column.in_(sorted(visible))
    return or_(within, column.is_(None)) if column.nullable else within


def _chains(session, visible):
    """Each instance with its phase (the called process with open tasks) and its progress."""
    instance = ProcessInstance
    rows = session.execute(select(instance.id, instance.title, instance.process_id, instance.territory, instance.status,
                                  instance.error, instance.started_at, instance.updated_at, ProcessDefinition.content_hash)
                           .join(ProcessDefinition, ProcessDefinition.id == instance.definition_id)
                           .where(in_scope(instance.territory, visible))
                           .order_by(instance.territory, instance.id)).all()
    entered = _phases_entered(session, visible)
    names = dict(session.execute(select(ProcessDefinition.process_id, ProcessDefinition.name)
                                 .order_by(ProcessDefinition.version)).all())
    chains = []
    for row in rows:
        phases = called_processes(session, row.content_hash, row.process_id)
        mine = entered.get(row.id, {})
        active = sorted(p for p, is_open in mine.items() if is_open and p in phases)
        done = len([p for p, is_open in mine.items() if not is_open and p in phases])
        if row.status == InstanceStatus.COMPLETED:
            done, active = len(phases), []
        phase = active[0] if active else row.process_id
        chains.append({
            "instance_id": row.id, "title": row.title, "process_id": row.process_id, "territory": row.territory,
            "status": row.status, "error": row.error, "phase": phase, "phase_name": names.get(phase, phase),
            "phases_done": done, "phases_total": len(phases),
            "progress_pct": round(100 * done / len(phases)) if phases
            else (100 if row.status == InstanceStatus.COMPLETED else 0),
            "started_at": aware(row.started_at).isoformat(), "updated_at": aware(row.updated_at).isoformat()})
    return chains


def _phases_entered(session, visible):
    """{instance id: {process id: whether it has open tasks}} in one grouped query."""
    is_open = func.max(case((TaskRecord.state.in_(OPEN_STATES), 1), else_=0))
    query = (select(TaskRecord.instance_id, TaskRecord.process_id, is_open)
             .join(ProcessInstance, ProcessInstance.id == TaskRecord.instance_id)
             .where(TaskRecord.bpmn_id.is_not(None), TaskRecord.process_id != ProcessInstance.process_id,
                    in_scope(ProcessInstance.territory, visible))
             .group_by(TaskRecord.instance_id, TaskRecord.process_id))
    entered = {}
    for instance_id, process_id, open_flag in session.execute(query):
        entered.setdefault(instance_id, {})[process_id] = bool(open_flag)
    return entered


def _late_tasks(session, visible, now, stale_days):
    """Ready human tasks past their due date, or untouched for `stale_days`: who holds them, since when."""
    stale_before = now - timedelta(days=stale_days)
    query = (select(TaskRecord.id, TaskRecord.instance_id, TaskRecord.name, TaskRecord.bpmn_id, TaskRecord.role,
                    TaskRecord.created_at, TaskRecord.due_at, ProcessInstance.territory, ProcessInstance.title, TaskClaim.username, TaskClaim.claimed_at)
             .join(ProcessInstance, ProcessInstance.id == TaskRecord.instance_id)
             .outerjoin(TaskClaim, TaskClaim.task_id == TaskRecord.id)
             .where(TaskRecord.state == TaskState.READY, TaskRecord.manual.is_(True),
                    in_scope(ProcessInstance.territory, visible),
                    or_(TaskRecord.due_at < now, TaskRecord.created_at < stale_before))
             .order_by(TaskRecord.created_at, TaskRecord.id))
    late = []
    for task in session.execute(query):
        since = task.claimed_at or task.created_at
        late.append({
            "task_id": task.id, "instance_id": task.instance_id, "title": task.title, "territory": task.territory,
            "name": task.name or task.bpmn_id, "role": task.role,
            "role_label": role_label(task.role) if task.role else None,
            "held_by": task.username, "since": aware(since).isoformat(), "days": (now - task.created_at).days,
            "due_at": aware(task.due_at).isoformat() if task.due_at else None,
            "overdue": task.due_at is not None and task.due_at < now})
    return late


def _deadlines(session, visible, now):
    """The next legal deadlines: the timers the chains wait on (end of the appeal period, of the
    standstill, transmission…) and the last day the passes in circulation are accepted."""
    timers = session.execute(
        select(TaskRecord.instance_id, TaskRecord.name, TaskRecord.bpmn_id, TaskRecord.due_at, ProcessInstance.territory)
        .join(ProcessInstance, ProcessInstance.id == TaskRecord.instance_id)
        .where(TaskRecord.state == TaskState.WAITING, TaskRecord.due_at.is_not(None), TaskRecord.due_at >= now,
               in_scope(ProcessInstance.territory, visible))
        .order_by(TaskRecord.due_at).limit(DEADLINES_SHOWN)).all()
    deadlines = [{"territory": t, "instance_id": i, "what": name or bpmn_id, "due_on": aware(due).date().isoformat()}
                 for i, name, bpmn_id, due, t in timers]
    in_hand = (Place.STOCK.value, Place.PRESCRIBER.value, Place.BENEFICIARY.value)
    for territory, year, passes in session.execute(
            select(LedgerCampaign.territory, LedgerBooklet.validity_year, func.sum(LedgerBooklet.size))
            .join(LedgerCampaign, LedgerCampaign.id == LedgerBooklet.campaign_id)
            .where(LedgerBooklet.place.in_(in_hand), in_scope(LedgerCampaign.territory, visible))
            .group_by(LedgerCampaign.territory, LedgerBooklet.validity_year)):
        last_day = Booklet("-", 5, year, "-").accepted_until
        if last_day >= now.date():
            deadlines.append({"territory": territory, "instance_id": None, "due_on": last_day.isoformat(),
                              "what": f"Dernier jour d’acceptation des passes {year} ({passes} en circulation)"})
    return sorted(deadlines, key=lambda d: (d["due_on"], d["territory"] or ""))[:DEADLINES_SHOWN]


def _funnel(session, visible):
    """Per territory, in passes: received → reached the prescribers → handed to beneficiaries →
    redeemed, and the unused ones credited back; lost or destroyed apart."""
    funnel = {}

    def of(territory):
        return funnel.setdefault(territory, {"territory": territory, "received": 0, "with_prescribers": 0,
                                             "handed": 0, "redeemed": 0, "credited": 0, "lost": 0, "in_stock": 0})
    for territory, place, passes in session.execute(
            select(LedgerCampaign.territory, LedgerBooklet.place, func.sum(LedgerBooklet.size))
            .join(LedgerCampaign, LedgerCampaign.id == LedgerBooklet.campaign_id)
            .where(in_scope(LedgerCampaign.territory, visible))
            .group_by(LedgerCampaign.territory, LedgerBooklet.place)):
        figures = of(territory)
        figures["received"] += passes
        if place in (Place.PRESCRIBER.value, Place.BENEFICIARY.value):
            figures["with_prescribers"] += passes
        figures["handed"] += passes if place == Place.BENEFICIARY.value else 0
        figures["in_stock"] += passes if place == Place.STOCK.value else 0
        figures["lost"] += passes if place in (Place.LOST.value, Place.DESTROYED.value) else 0
    for territory, redeemed in session.execute(
            select(LedgerCampaign.territory, func.sum(LedgerCampaign.redeemed_passes))
            .where(in_scope(LedgerCampaign.territory, visible)).group_by(LedgerCampaign.territory)):
        of(territory)["redeemed"] = redeemed or 0
    for territory, credited in session.execute(
            select(LedgerCampaign.territory, func.sum(LedgerCredit.unused_passes))
            .join(LedgerCampaign, LedgerCampaign.id == LedgerCredit.campaign_id)
            .where(in_scope(LedgerCampaign.territory, visible)).group_by(LedgerCampaign.territory)):
        of(territory)["credited"] = credited or 0
    for figures in funnel.values():
        handed = figures["handed"]
        figures["usage_pct"] = round(100 * figures["redeemed"] / handed, 1) if handed else None
    return [funnel[t] for t in sorted(funnel)]


def _by_territory(session, result):
    """One line per territory seen in the results, with its name when territories are data."""
    codes = sorted({c["territory"] for c in result["chains"]} | {f["territory"] for f in result["funnel"]},
                   key=lambda c: (c is None, c or ""))
    names = dict(session.execute(select(Territory.code, Territory.name)
                                 .where(Territory.code.in_([c for c in codes if c])))
                 .all()) if codes else {}
    counts = {code: {"territory": code, "name": names.get(code, code), "instances": 0, "running": 0, "errors": 0,
                     "overdue": 0, "blocked": 0} for code in codes}
    for chain in result["chains"]:
        line = counts[chain["territory"]]
        line["instances"] += 1
        line["running"] += chain["status"] == InstanceStatus.RUNNING
        line["errors"] += chain["status"] == InstanceStatus.ERROR
    for task in result["late_tasks"]:
        if task["territory"] in counts:
            counts[task["territory"]]["overdue" if task["overdue"] else "blocked"] += 1
    return [counts[code] for code in codes]
