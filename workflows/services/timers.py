"""Firing due BPMN timers; the CLI and the jobs call the same function."""
from sqlalchemy import select

from ..errors import InstanceFailed, NotFound
from ..states import InstanceStatus, JournalAction
from ..store.models import ProcessInstance
from .actors import SYSTEM
from .ledger_process import step_facts
from .persistence import db_time
from .steps import run_guarded, utc_now


def due_instances(app, now, limit):
    with app.db.sessions() as session:
        return session.execute(
            select(ProcessInstance.id).where(ProcessInstance.status == InstanceStatus.RUNNING,
                                             ProcessInstance.next_timer_at <= db_time(now))
            .order_by(ProcessInstance.next_timer_at).limit(limit)).scalars().all()


def fire_instance_timers(app, instance_id, now):
    """Fire the due timers of one instance; 0 when another process already fired them."""
    def body(step):
        row, instance = step.open(instance_id)
        with step.reading() as session:
            facts = step_facts(session, row.id)
        with instance.offering(facts):
            fired = instance.fire_due_timers(now)
        if fired:
            step.save(row, instance)
            names = ", ".join(f"« {name} »" for name in fired)
            step.record(JournalAction.TIMER, f"Minuteur(s) échu(s) : {names}", SYSTEM, instance_id=instance_id)
        return len(fired)
    return run_guarded(app, instance_id, SYSTEM, body)


def run_due_timers(app, now=None, limit=1000):
    """Fire every due timer once; return {"fired": n, "instances": [...], "failed": [...]}."""
    now = now or utc_now()
    report = {"fired": 0, "instances": [], "failed": []}
    for instance_id in due_instances(app, now, limit):
        try:
            fired = fire_instance_timers(app, instance_id, now)
        except NotFound:
            continue
        except InstanceFailed as exc:
            report["failed"].append({"instance_id": instance_id, "error": exc.message})
            continue
        if fired:
            report["fired"] += fired
            report["instances"].append(instance_id)
    return report
