"""Where deployments wait: the time spent at each BPMN element of a process, from the engine's
task rows (no instance loaded).

A task row keeps the time of its last change of state: for a completed element, when it was done.
The time spent at it is measured from the previous completion in the same (sub)process of the same
instance (when it became ready, for a sequence), with a window function in SQL; the ready elements
count apart with how long they have been waiting. Parallel branches make the measure an upper bound.
"""
import json
from statistics import median

from sqlalchemy import func, select

from ..errors import NotFound
from ..states import OPEN_TASK_STATES, TaskState
from ..store.models import ProcessInstance, TaskRecord
from .dashboard import in_scope
from .deploy import latest_definition
from .diagrams import processes_in
from .persistence import db_time
from .steps import utc_now

HEAT_LEVELS = 5


def element_times(app, actor, process_id, now=None):
    """Per BPMN element of `process_id`: completions, median and 90th percentile in hours, the open
    tasks and the oldest one's wait; with the diagram's XML for the heat overlay."""
    now = db_time(now or utc_now())
    visible = actor.visible_territories
    with app.db.sessions() as session:
        definition = latest_definition(session, process_id)
        if definition is None:
            raise NotFound(f"Processus « {process_id} » introuvable.")
        xml, name = _diagram(definition, process_id)
        done, waiting = _durations(session, process_id, visible), _open(session, process_id, visible)
    elements = []
    for bpmn_id in sorted(set(done) | set(waiting)):
        hours = sorted(done.get(bpmn_id, {}).get("hours", []))
        names = done.get(bpmn_id, {}).get("name") or waiting.get(bpmn_id, {}).get("name")
        since = sorted((now - s).total_seconds() / 3600 for s in waiting.get(bpmn_id, {}).get("since", []))
        elements.append({
            "bpmn_id": bpmn_id, "name": names or bpmn_id, "completed": len(hours),
            "median_hours": round(median(hours), 1) if hours else None,
            "p90_hours": round(percentile(hours, 90), 1) if hours else None,
            "open": len(since), "open_median_hours": round(median(since), 1) if since else None,
            "oldest_open_hours": round(since[-1], 1) if since else None})
    _heat(elements)
    return {"process_id": process_id, "name": name, "xml": xml, "elements": elements}


def percentile(values, pct):
    """The `pct`-th percentile of sorted `values`, interpolated between the closest ranks."""
    if len(values) == 1:
        return values[0]
    rank = (len(values) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (rank - low)


def _durations(session, process_id, visible):
    previous = func.lag(TaskRecord.created_at, type_=TaskRecord.created_at.type).over(
        partition_by=(TaskRecord.instance_id, TaskRecord.workflow_key), order_by=(TaskRecord.created_at, TaskRecord.seq))
    done = (select(TaskRecord.bpmn_id, TaskRecord.name, TaskRecord.created_at, previous.label("previous"))
            .join(ProcessInstance, ProcessInstance.id == TaskRecord.instance_id)
            .where(TaskRecord.process_id == process_id, TaskRecord.state == TaskState.COMPLETED,
                   TaskRecord.bpmn_id.is_not(None), in_scope(ProcessInstance.territory, visible))).subquery()
    durations = {}
    for bpmn_id, name, at, before in session.execute(select(done).where(done.c.previous.is_not(None))):
        line = durations.setdefault(bpmn_id, {"name": name, "hours": []})
        line["hours"].append(max((at - before).total_seconds(), 0) / 3600)
    return durations


def _open(session, process_id, visible):
    waiting = {}
    for bpmn_id, name, since in session.execute(
            select(TaskRecord.bpmn_id, TaskRecord.name, TaskRecord.created_at)
            .join(ProcessInstance, ProcessInstance.id == TaskRecord.instance_id)
            .where(TaskRecord.process_id == process_id, TaskRecord.state.in_(OPEN_TASK_STATES),
                   TaskRecord.bpmn_id.is_not(None), in_scope(ProcessInstance.territory, visible))):
        waiting.setdefault(bpmn_id, {"name": name, "since": []})["since"].append(since)
    return waiting


def _diagram(definition, process_id):
    for filename, text in sorted(json.loads(definition.sources_json).items()):
        if filename.lower().endswith(".bpmn") and process_id in (found := processes_in(text)):
            return text, found[process_id]
    raise NotFound(f"Diagramme du processus « {process_id} » introuvable.")


def _heat(elements):
    """A level from 1 to HEAT_LEVELS by the element's wait (the median of its completions, or of
    its open tasks' waits when longer: where deployments wait now), relative to the longest one."""
    for element in elements:
        element["wait_hours"] = max(element["median_hours"] or 0, element["open_median_hours"] or 0)
    longest = max((e["wait_hours"] for e in elements), default=0)
    for element in elements:
        wait = element["wait_hours"]
        element["heat"] = 0 if not longest or not wait else max(1, round(HEAT_LEVELS * wait / longest))
