"""Serialize specs once, and an instance's state as separate task rows.

SpiffWorkflow's own serializer writes the whole workflow (specs and every task) as
one document. Conventio stores the process definition once per content hash and an
instance as a small header per (sub)workflow plus one row per task, so that a step
rewrites only what it changed: finished tasks are never written again.
"""
import json
from dataclasses import dataclass, field
from uuid import UUID, SafeUUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import SimpleTaskConverter
from SpiffWorkflow.bpmn.serializer.helpers import DefaultRegistry
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from .workflow import ConventioWorkflow

TOP = ""  # workflow key of the top-level workflow; a sub-workflow's key is its parent task id
# Tasks in these states may change without a state transition (data edited while
# ready, timers noting their due time, a multi-instance parent counting children).
ALWAYS_REWRITTEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
SETTLED_STATES = TaskState.COMPLETED | TaskState.CANCELLED


class TaskConverter(SimpleTaskConverter):
    """Spiff's simple converter, but only a waiting catching event listens once restored.

    Spiff's version also registers events still in the future with the event manager,
    so that a reloaded instance evaluates the timer expressions of steps not yet reached
    (their data does not exist yet) where a warm one never does.
    """

    def from_dict(self, dct, workflow):
        task = super().from_dict(dct, workflow)
        if not task.has_state(TaskState.WAITING):
            workflow.top_workflow.event_manager.remove_task(task)
        return task


def _build_registry():
    config = dict(SPIFF_CONFIG)
    # Full data per task: Spiff's default stores a delta against the parent, which
    # would tie a stored row to a parent row that later steps rewrite.
    config[Task] = TaskConverter
    config[ConventioWorkflow] = config[BpmnWorkflow]
    registry = DefaultRegistry()
    converters = {cls: converter(cls, registry) for cls, converter in config.items()}
    return registry, converters


REGISTRY, CONVERTERS = _build_registry()
SERIALIZER = BpmnWorkflowSerializer(REGISTRY)


def dumps(value):
    # NaN and infinities are not JSON: stored, they would make every later reader fail.
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def spec_to_dict(spec):
    return REGISTRY.convert(spec)


def specs_from_json(spec_json):
    """Return (spec, subprocess_specs) from a stored definition."""
    stored = json.loads(spec_json)
    spec = REGISTRY.restore(stored["spec"])
    subprocess_specs = {name: REGISTRY.restore(value) for name, value in stored["subprocess_specs"].items()}
    return spec, subprocess_specs


@dataclass
class TaskRow:
    workflow_key: str
    task_id: str
    seq: int
    task: object
    body: str


@dataclass
class StateChanges:
    headers: dict = field(default_factory=dict)      # workflow key -> header JSON
    removed_workflows: list = field(default_factory=list)
    upserts: list = field(default_factory=list)      # [TaskRow]
    deletes: list = field(default_factory=list)      # [task id]

    def is_empty(self):
        return not (self.headers or self.removed_workflows or self.upserts or self.deletes)


@dataclass
class StoredState:
    """An instance's state as the database holds it (plain strings)."""
    headers: dict                 # workflow key -> header JSON
    tasks: list                   # [(workflow key, task id, seq, body JSON)] in seq order


def _fingerprint(task):
    children = task._children
    return (task._state, task.last_state_change, len(children), children[-1] if children else None,
            task.triggered)


def _workflows(workflow):
    yield TOP, workflow
    for key, sub in workflow.subprocesses.items():
        yield str(key), sub


def _header(workflow, key):
    header = {
        "data": REGISTRY.convert(REGISTRY.clean(workflow.data)),
        "correlations": workflow.correlations,
        "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
        "success": workflow.success,
        "completed": workflow.completed,
        "root": str(workflow.task_tree.id),
    }
    if key == TOP:
        header["bpmn_events"] = REGISTRY.convert(workflow.bpmn_events)
    else:
        header["parent_task_id"] = str(workflow.parent_task_id)
        header["spec"] = workflow.spec.name
        header["typename"] = REGISTRY.typenames[BpmnSubWorkflow]
    return dumps(header)


class UnstorableTask(Exception):
    """A task holds data JSON cannot hold (a set, bytes, NaN...): the step cannot be saved."""

    def __init__(self, task):
        super().__init__(task.task_spec.name)
        self.task = task


class StateTracker:
    """Remembers what was last saved for one instance and finds what a step changed."""

    def __init__(self):
        self.fingerprints = {}   # task id (as an int) -> fingerprint as last saved
        self.headers = {}        # workflow key -> header JSON as last saved
        self.next_seq = 0
        # Finished tasks with no predicted child: Spiff never changes them again (it only
        # prunes predicted children), so later steps need not look at them at all.
        self.settled = set()

    def saved_state(self, task_id):
        """The task's state as last saved (a UUID); None if it was not saved."""
        fingerprint = self.fingerprints.get(task_id.int)
        return None if fingerprint is None else fingerprint[0]

    def collect(self, workflow):
        changes = StateChanges()
        # Keyed by the ids' integers: a UUID's hash is Python code, an int's is not, and
        # this loop looks at every unsettled task of the tree at every step.
        fingerprints, settled, present = self.fingerprints, self.settled, set()
        for key, wf in _workflows(workflow):
            header = _header(wf, key)
            if self.headers.get(key) != header:
                changes.headers[key] = header
                self.headers[key] = header
            tasks = wf.tasks
            for task_id, task in tasks.items():
                number = task_id.int
                present.add(number)
                if number in settled:
                    continue
                if task._state & SETTLED_STATES and not any(
                        tasks[child]._state & TaskState.PREDICTED_MASK for child in task._children if child in tasks):
                    settled.add(number)
                fingerprint = _fingerprint(task)
                previous = fingerprints.get(number)
                if previous == fingerprint and not task._state & ALWAYS_REWRITTEN:
                    continue
                fingerprints[number] = fingerprint
                seq = None  # an existing row keeps its position
                if previous is None:
                    seq, self.next_seq = self.next_seq, self.next_seq + 1
                try:
                    body = dumps(REGISTRY.convert(task))
                except (TypeError, ValueError, RecursionError) as exc:
                    raise UnstorableTask(task) from exc
                changes.upserts.append(TaskRow(key, str(task_id), seq, task, body))
        for key in [k for k in self.headers if k != TOP and UUID(k) not in workflow.subprocesses]:
            changes.removed_workflows.append(key)
            del self.headers[key]
        for number in fingerprints.keys() - present:
            changes.deletes.append(str(UUID(int=number)))
            del fingerprints[number]
            settled.discard(number)
        return changes


class _SpecOnFirstRead:
    """The `task_spec` of a restored task: looked up by name the first time it is read, then
    an ordinary attribute of the task (a non-data descriptor gives way to it)."""

    def __get__(self, task, owner=None):
        if task is None:
            return self
        spec = task.__dict__["task_spec"] = task.workflow.spec.task_specs[task._spec_name]
        return spec


class RestoredTask(Task):
    """A task of the top workflow as restored from its row. A step reads the specs of a few
    tasks, not of the whole history nor of every predicted task: not looking them up spares
    unpickling them (see lazy_specs). Serialized as a Task."""
    task_spec = _SpecOnFirstRead()


REGISTRY.typenames[RestoredTask] = REGISTRY.typenames[Task]


def _restore_tasks(workflow, bodies):
    """The top workflow's tasks from their stored JSON, like Spiff's converter but without its
    generic walk; and the ids (as ints) of those StateTracker.collect would find settled.

    Task data holding typed values (dates, events) keeps the converter's path; plain
    JSON data, the usual case, is used as it is.
    """
    # One parse for all rows: far fewer calls than one json.loads per task.
    dcts = json.loads("[" + ",".join(bodies) + "]")
    uuids = {dct["id"]: _uuid(dct["id"]) for dct in dcts}   # each id is also a parent, a child
    states = {dct["id"]: dct["state"] for dct in dcts}
    specs, tasks, settled = workflow.spec.task_specs, {}, set()
    for body, dct in zip(bodies, dcts):
        if dct["task_spec"] in specs and body.count('"typename"') == 1:
            task = _new_task(workflow, dct, uuids)
        else:
            task = REGISTRY.restore(dct, workflow=workflow)
            del workflow.tasks[task.id]  # the converter registered it; the caller sets the dict
        tasks[task.id] = task
        if task._state & SETTLED_STATES:
            for child in dct["children"]:
                if states.get(child, 0) & TaskState.PREDICTED_MASK:
                    break
            else:
                settled.add(task.id.int)
    return tasks, settled


def _new_task(workflow, dct, uuids):
    state = dct["state"]
    task = RestoredTask.__new__(RestoredTask)
    task._spec_name = dct["task_spec"]
    task.id = uuids[dct["id"]]
    task.workflow = workflow
    parent = dct["parent"]
    task._parent = None if parent is None else uuids.get(parent) or _uuid(parent)
    task._children = [uuids.get(child) or _uuid(child) for child in dct["children"]]
    task._state = state
    task.triggered = dct["triggered"]
    task.thread_id = Task.thread_id_pool
    task.data = dct["data"]
    task.internal_data = dct["internal_data"]
    task.last_state_change = dct["last_state_change"]
    if state & TaskState.WAITING and isinstance(task.task_spec, CatchingEvent):
        workflow.event_manager.add_task(task)
    return task


_SET_INT, _SET_SAFETY, _UNKNOWN_SAFETY = UUID.int.__set__, UUID.is_safe.__set__, SafeUUID.unknown


def _uuid(text):
    """UUID(text) for the form str(UUID) wrote in the rows, built directly: UUID() first
    tries the other forms it accepts, most of its cost. Any other text goes to UUID()."""
    if len(text) != 36:
        return UUID(text)
    value = object.__new__(UUID)
    _SET_INT(value, int(text.replace("-", ""), 16))
    _SET_SAFETY(value, _UNKNOWN_SAFETY)
    return value


def restore_workflow(spec, subprocess_specs, stored, script_engine, workflow_class=ConventioWorkflow):
    """Rebuild a workflow from stored rows; return (workflow, tracker primed with them)."""
    tasks_by_key = {}
    for key, task_id, _seq, body in stored.tasks:
        tasks_by_key.setdefault(key, {})[task_id] = body
    headers = {key: json.loads(value) for key, value in stored.headers.items()}
    top_header = headers.pop(TOP)
    workflow = workflow_class(spec, subprocess_specs, script_engine=script_engine, deserializing=True)
    workflow.tasks = {}
    workflow.tasks, settled = _restore_tasks(workflow, list(tasks_by_key.pop(TOP, {}).values()))
    workflow.task_tree = workflow.tasks.get(UUID(top_header["root"]))
    converter = CONVERTERS[BpmnWorkflow]
    converter.set_default_attributes(workflow, top_header)
    subprocesses = {key: dict(header, tasks={tid: json.loads(body) for tid, body in tasks_by_key.get(key, {}).items()})
                    for key, header in headers.items()}
    _restore_subprocesses(subprocesses, workflow, workflow)
    workflow.bpmn_events = REGISTRY.restore(top_header.get("bpmn_events", []))
    tracker = StateTracker()
    for _key, wf in _workflows(workflow):
        for task_id, task in wf.tasks.items():
            tracker.fingerprints[task_id.int] = _fingerprint(task)
    # The top workflow's settled tasks, as the tracker that saved them had found them (the
    # first save after a restore then looks only at the others, as a warm one does).
    tracker.settled = settled
    tracker.headers = dict(stored.headers)
    tracker.next_seq = 1 + max((seq for _k, _t, seq, _b in stored.tasks), default=-1)
    return workflow, tracker


def _restore_subprocesses(dct, workflow, top_workflow):
    """Spiff's BpmnWorkflowConverter.subprocesses_from_dict, testing a task's id before its
    spec (neither test has an effect: the same result) so as not to read every task's spec."""
    for task in workflow.tasks.values() if dct else ():
        if str(task.id) in dct and isinstance(task.task_spec, SubWorkflowTask):
            sub = REGISTRY.restore(dct.pop(str(task.id)), task=task, top_workflow=top_workflow)
            top_workflow.subprocesses[task.id] = sub
            sub.completed_event.connect(task.task_spec._on_subworkflow_completed, task)
            _restore_subprocesses(dct, sub, top_workflow)


def full_json(workflow):
    """SpiffWorkflow's own whole-workflow JSON: the reference the round-trip tests compare."""
    return SERIALIZER.serialize_json(workflow)
