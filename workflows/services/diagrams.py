"""The BPMN diagrams of an instance, with the state of each element, for bpmn-js.

The XML is the one the instance started with (ProcessDefinition.sources_json), not
the latest version. One diagram per process the instance went through: the top
process, then each called sub-process in the order it was entered.
"""
import json

from lxml import etree
from sqlalchemy import select

from ..states import InstanceStatus, TaskState
from ..store.models import ProcessDefinition, ProcessInstance, TaskRecord
from .deploy import list_definitions
from .instances import get_instance

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
ACTIVE_STATES = (TaskState.READY, TaskState.STARTED)


def processes_in(xml_text):
    """{process id: name} of the processes a BPMN file defines."""
    root = etree.fromstring(xml_text.encode("utf-8"), _PARSER)
    return {p.get("id"): p.get("name") or p.get("id") for p in root.iter(f"{{{BPMN_NS}}}process")}


def instance_diagram(app, instance_id, actor):
    summary = get_instance(app, instance_id, actor)   # NotFound outside the actor's territories
    with app.db.sessions() as session:
        row = session.get(ProcessInstance, instance_id)
        sources = json.loads(session.get(ProcessDefinition, row.definition_id).sources_json)
        tasks = session.execute(select(TaskRecord.process_id, TaskRecord.bpmn_id, TaskRecord.state)
                                .where(TaskRecord.instance_id == instance_id, TaskRecord.bpmn_id.is_not(None))
                                .order_by(TaskRecord.seq)).all()
    files = {}
    for filename, xml_text in sorted(sources.items()):
        if filename.lower().endswith(".bpmn"):
            for process_id, name in processes_in(xml_text).items():
                files.setdefault(process_id, (filename, name, xml_text))
    order = [summary["process_id"]] + [p for p, _, _ in tasks if p != summary["process_id"]]
    diagrams = []
    for process_id in dict.fromkeys(order):
        if process_id not in files:
            continue
        filename, name, xml_text = files[process_id]
        mine = [(bpmn_id, state) for p, bpmn_id, state in tasks if p == process_id]
        active = sorted({b for b, s in mine if s in ACTIVE_STATES})
        waiting = sorted({b for b, s in mine if s == TaskState.WAITING} - set(active))
        done = sorted({b for b, s in mine if s == TaskState.COMPLETED} - set(active) - set(waiting))
        diagrams.append({"process_id": process_id, "name": name, "file": filename, "xml": xml_text,
                         "done": done, "active": active, "waiting": waiting})
    return {"instance_id": instance_id, "process_id": summary["process_id"], "diagrams": diagrams}


def phases(app, summary):
    """The processes of an instance in the order entered, each done or active: its timeline."""
    open_processes = {t["process_id"] for t in summary["open_tasks"]}
    seen = [t["process_id"] for t in summary["completed_tasks"]] + [t["process_id"] for t in summary["open_tasks"]]
    names = {d["process_id"]: d["name"] for d in list_definitions(app)}
    steps = [p for p in dict.fromkeys(seen) if p != summary["process_id"]] or [summary["process_id"]]
    return [{"process_id": p, "name": names.get(p, p),
             "state": "active" if p in open_processes else ("done" if summary["status"] == InstanceStatus.COMPLETED
                                                            or p != steps[-1] else "active")}
            for p in steps]

