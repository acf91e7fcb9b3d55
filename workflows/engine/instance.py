"""A running process instance: SpiffWorkflow behind a small, plain-data interface."""
import math
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from uuid import UUID

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition, TimeDateEventDefinition, TimerEventDefinition,
)
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition as SpiffMessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from ..roles import role_for_lane
from ..states import InstanceStatus, TaskState as TaskStateName
from .forms import occurrence_fields, undeclared_fields, validate_form_data
from .serialization import REGISTRY, StateTracker, UnstorableTask, dumps, restore_workflow
from .workflow import ConventioWorkflow

STATE_NAMES = {TaskState.READY: TaskStateName.READY, TaskState.WAITING: TaskStateName.WAITING,
               TaskState.STARTED: TaskStateName.STARTED, TaskState.COMPLETED: TaskStateName.COMPLETED,
               TaskState.CANCELLED: TaskStateName.CANCELLED, TaskState.ERROR: TaskStateName.ERROR,
               TaskState.FUTURE: TaskStateName.FUTURE, TaskState.LIKELY: TaskStateName.LIKELY,
               TaskState.MAYBE: TaskStateName.MAYBE}


# The data name under which scripts find who completed the step they follow.
STEP_AUTHOR = "auteur_etape"


class TaskNotReady(Exception):
    """The task is unknown, done, cancelled or not a human task."""


class FormRejected(Exception):
    def __init__(self, errors):
        super().__init__("données invalides")
        self.errors = errors


class ExecutionFailed(Exception):
    """A script, expression or decision of the model failed."""

    def __init__(self, message, task_name=None, rule=None):
        super().__init__(message)
        self.task_name = task_name
        self.rule = rule   # the application's own refusal (a domain rule), written for users; else None


@dataclass(frozen=True)
class TaskView:
    """A task as the rest of Conventio sees it: plain data, no SpiffWorkflow object."""
    id: str
    process_id: str
    bpmn_id: str
    name: str
    lane: str | None
    role: str | None
    form: dict | None
    data: dict
    state: str
    created_at: datetime
    due_at: datetime | None
    documents: tuple
    instructions: str | None
    due_source: str | None = None
    partner: str | None = None   # the organisation the task is for (PARTNER_PROPERTY), None: its whole lane


@dataclass(frozen=True)
class Definition:
    """What an instance needs of its deployed process definition."""
    process_id: str
    spec: object
    subprocess_specs: dict
    forms: dict

    @property
    def start_form(self):
        """The form of the process's own start event: what starting it asks for. The start
        events of called processes are not its: a call passes the caller's data."""
        for start_event in self.spec.start.outputs:
            form = self.forms.get(f"{self.spec.name}:{start_event.name}")
            if form is not None:
                return form
        return None

    def instructions(self, process_id, spec_name):
        """The instructionsForEndUser text of a task, as the model wrote it."""
        spec = self.spec if process_id == self.spec.name else self.subprocess_specs.get(process_id)
        task_spec = spec.task_specs.get(spec_name) if spec is not None else None
        return (getattr(task_spec, "extensions", None) or {}).get("instructionsForEndUser")

    def partner(self, process_id, spec_name, data):
        """The organisation a stored task of `process_id` is for, read in its `data` (PARTNER_PROPERTY)."""
        spec = self.spec if process_id == self.spec.name else self.subprocess_specs.get(process_id)
        task_spec = spec.task_specs.get(spec_name) if spec is not None else None
        return partner_named(task_spec, data)

    def deadline_name(self, process_id, spec_name):
        """The name of the date timer attached to a task without interrupting it (its deadline,
        see _deadline_timer), or None: what the task's due date comes from."""
        spec = self.spec if process_id == self.spec.name else self.subprocess_specs.get(process_id)
        task_spec = spec.task_specs.get(spec_name) if spec is not None else None
        for split in (task_spec.inputs if task_spec is not None else ()):
            for event in split.outputs if isinstance(split, BoundaryEventSplit) else ():
                if _is_deadline(event):
                    return event.bpmn_name or event.bpmn_id
        return None


# A task property naming, as a dotted path in the task's data, the organisation the task is for: a
# prescriber's handout task made per dotation by a multi-instance ("dotation.prescripteur"), a
# mediation place's statement ("lieu_mediation"). Without it, a task is for its whole lane.
PARTNER_PROPERTY = "partenaire"


def partner_named(task_spec, data):
    """The organisation named in `data` by the task's PARTNER_PROPERTY, as text; None without one."""
    properties = (getattr(task_spec, "extensions", None) or {}).get("properties") or {}
    path = (properties.get(PARTNER_PROPERTY) or "").strip()
    if not path:
        return None
    value = data
    for key in path.split("."):
        value = value.get(key.strip()) if isinstance(value, dict) else None
    if value is None or isinstance(value, (dict, list)) or not str(value).strip():
        return None
    return str(value).strip()


def _utc(timestamp):
    return datetime.fromtimestamp(timestamp, tz=timezone.utc)


def _due_after(start, duration):
    try:
        parsed = TimerEventDefinition.parse_iso_duration(duration)
        return start + TimerEventDefinition.get_timedelta_from_start(parsed, start)
    except Exception:
        return None


class Instance:
    """Wraps a BpmnWorkflow with its definition and what was last saved of it."""

    def __init__(self, definition, workflow, tracker):
        self.definition = definition
        self.workflow = workflow
        self.tracker = tracker

    @classmethod
    def start(cls, definition, data, script_engine, facts=None):
        """Start with data valid for the definition's start form (FormRejected otherwise),
        `facts` offered to the scripts that run until the first wait."""
        errors = validate_form_data(definition.start_form, data)
        if errors:
            raise FormRejected(errors)
        workflow = ConventioWorkflow(definition.spec, definition.subprocess_specs, script_engine=script_engine)
        # workflow.set_data() does not reach task data: the start data goes on the first task.
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(data)
        instance = cls(definition, workflow, StateTracker())
        with instance.offering(facts):
            instance.run()
        return instance

    @classmethod
    def restore(cls, definition, stored, script_engine):
        workflow, tracker = restore_workflow(definition.spec, definition.subprocess_specs, stored,
                                             script_engine)
        return cls(definition, workflow, tracker)

    # --- reading -----------------------------------------------------------------
    @property
    def status(self):
        return InstanceStatus.COMPLETED if self.workflow.is_completed() else InstanceStatus.RUNNING

    @property
    def data(self):
        """The data of the last task run: what the process knows now."""
        last = self.workflow.last_task
        return dict(last.data) if last is not None else {}

    def ready_human_tasks(self):
        return [self.view(t) for t in self.workflow.get_tasks(state=TaskState.READY, manual=True)]

    def view(self, task):
        spec = task.task_spec
        process_id = task.workflow.spec.name
        properties = (getattr(spec, "extensions", None) or {}).get("properties") or {}
        created = _utc(task.last_state_change)
        due, due_source = _deadline_timer(task)
        if due is None and "dueIn" in properties:
            due = _due_after(created, properties["dueIn"])
        documents = tuple(d.strip() for d in properties.get("documents", "").split(",") if d.strip())
        return TaskView(
            id=str(task.id), process_id=process_id, bpmn_id=spec.bpmn_id or spec.name,
            name=spec.bpmn_name or spec.bpmn_id or spec.name, lane=spec.lane,
            role=role_for_lane(spec.lane), form=self.definition.forms.get(f"{process_id}:{spec.name}"),
            data=dict(task.data), state=STATE_NAMES.get(task.state, str(task.state)),
            created_at=created, due_at=due, documents=documents,
            instructions=(getattr(spec, "extensions", None) or {}).get("instructionsForEndUser"),
            due_source=due_source, partner=partner_named(spec, task.data),
        )

    def was_saved_ready(self, task_id):
        """Whether the task was ready in the state last saved (only such a task can have been claimed)."""
        return bool((self.tracker.saved_state(UUID(str(task_id))) or 0) & TaskState.READY)

    def find_task(self, task_id):
        try:
            return self.workflow.get_task_from_id(UUID(str(task_id)))
        except Exception:
            return None

    def waiting_timers(self):
        """[(task id, due datetime UTC)] of every timer waiting to fire."""
        timers = []
        for task in self.workflow.get_tasks(state=TaskState.WAITING):
            due = _timer_due(task)
            if due is not None:
                timers.append((str(task.id), due))
        return timers

    def next_timer_due(self):
        return min((due for _id, due in self.waiting_timers()), default=None)

    # --- acting ------------------------------------------------------------------
    def complete(self, task_id, data, recorded_by=None, facts=None):
        """Complete a ready human task with validated data, then run to the next wait.
        `recorded_by` (who completes it) is given to the scripts that follow as `auteur_etape`;
        `facts` (plain values the services read for this step, such as its campaign's figures)
        are offered to its scripts and conditions under their own names, for this step only:
        a warm instance then runs its next step as one loaded afresh does."""
        task = self.find_task(task_id)
        if task is None or not task.task_spec.manual or task.state != TaskState.READY:
            raise TaskNotReady(task_id)
        view = self.view(task)
        errors = undeclared_fields(view.form, data) or validate_form_data(view.form, data) \
            or {name: "nom réservé aux faits que l’étape lit" for name in sorted(set(data) & set(facts or {}))}
        if errors:
            raise FormRejected(errors)
        # An earlier occurrence's decision and comment are not this one's: cleared, then the submission.
        task.data.update(dict.fromkeys(occurrence_fields(view.form)))
        task.data.update(data)
        if recorded_by is not None:
            task.data[STEP_AUTHOR] = recorded_by
        with self.offering(facts):
            self._guarded(task.run, task)
            self.run()
        return view

    @contextmanager
    def offering(self, facts):
        """`facts` offered to the scripts and conditions run meanwhile, under their own names."""
        self.workflow.step_facts = dict(facts or {})
        try:
            yield self
        finally:
            self.workflow.step_facts = {}

    def sent_back(self, task_id):
        """Whether the run that followed the completion of `task_id` made the same task
        ready again downstream of it: the model's own checks refused the step and sent it
        back for correction (a sequential multi-instance's next item is not downstream)."""
        done = self.find_task(task_id)
        if done is None:
            return False
        return any(self._descends_from(task, done)
                   for task in self.workflow.get_tasks(state=TaskState.READY, manual=True)
                   if task.task_spec is done.task_spec and task.workflow is done.workflow)

    @staticmethod
    def _descends_from(task, ancestor):
        parent = task.parent
        while parent is not None:
            if parent is ancestor:
                return True
            parent = parent.parent
        return False

    def run(self):
        self._guarded(self.workflow.do_engine_steps)

    def fire_due_timers(self, now):
        """Fire every timer due at `now` (UTC); return the names of those that fired."""
        due = [self.find_task(task_id) for task_id, at in self.waiting_timers() if at <= now]
        cycles = []
        for task in due:
            # Spiff compares with the wall clock itself; marking the timer fired lets
            # the caller's `now` decide (tests and catch-up after downtime alike).
            if isinstance(_timer_definition(task.task_spec), CycleTimerEventDefinition):
                cycles.append(_cycle_due_now(task))
            else:
                task._set_internal_data(event_fired=True)
        if due:
            self._guarded(self.workflow.refresh_timers)
            exhausted = [_cycle_next_at(task, next_at) for task, next_at in cycles]
            if any(exhausted):   # Spiff ends a cycle at the refresh after its last occurrence
                self._guarded(self.workflow.refresh_timers)
            self.run()
        return [task.task_spec.bpmn_name or task.task_spec.bpmn_id or task.task_spec.name for task in due]

    def deliver_message(self, name, payload, correlations=None):
        """Deliver a BPMN message; return True when one of the instance's waiting events caught it."""
        waiting = [t for t in self.workflow.get_tasks(state=TaskState.WAITING) if _catches_message(t, name)]
        if not waiting:
            return False
        # Event definitions only match their own class: the Spiff parser's, not the base one.
        event = BpmnEvent(SpiffMessageEventDefinition(name), payload, correlations or {})
        self._guarded(lambda: self.workflow.send_event(event))
        self.run()
        return any(task.state != TaskState.WAITING for task in waiting)

    def waiting_messages(self):
        return sorted({e.name for e in self.workflow.waiting_events() if e.event_type == "MessageEventDefinition"})

    def outgoing_messages(self):
        """Messages thrown by the instance since last asked (taken off the workflow)."""
        events = [e for e in self.workflow.get_events() if isinstance(e.event_definition, MessageEventDefinition)]
        return [(e.event_definition.name, e.payload, dict(e.correlations or {})) for e in events]

    def changes(self):
        """What the last steps changed, as plain rows for the store."""
        try:
            changes = self.tracker.collect(self.workflow)
        except UnstorableTask as exc:
            raise _unstorable(exc.task) from None
        changes.upserts = [self._row(row) for row in changes.upserts]
        return changes

    def _row(self, row):
        task, spec = row.task, row.task.task_spec
        due = None
        if task.state == TaskState.WAITING:
            due = _timer_due(task)
        elif task.state == TaskState.READY and spec.manual:
            due = self.view(task).due_at
        return {
            "id": row.task_id, "workflow_key": row.workflow_key, "seq": row.seq,
            "state": STATE_NAMES.get(task.state, str(task.state)), "manual": bool(spec.manual),
            "process_id": task.workflow.spec.name, "spec_name": spec.name, "bpmn_id": spec.bpmn_id,
            "name": spec.bpmn_name, "lane": spec.lane, "role": role_for_lane(spec.lane),
            "created_at": _utc(task.last_state_change), "due_at": due, "body": row.body,
        }

    def _guarded(self, action, task=None):
        try:
            action()
        except SpiffWorkflowException as exc:
            failing = getattr(exc, "task", None) or task
            name = None
            if failing is not None:
                name = failing.task_spec.bpmn_name or failing.task_spec.bpmn_id
            raise ExecutionFailed(_french_error(exc, name), name, _rule_refusal(exc)) from exc


def _cause(exc):
    # Spiff wraps a script's error without keeping it: it is the context of the wrapper.
    return getattr(exc, "exception", None) or exc.__context__


def _rule_refusal(exc):
    """The message of a refusal by the application's own rules (not a fault of the model)."""
    cause = _cause(exc)
    if cause is not None and not isinstance(cause, NameError) and type(cause).__module__ != "builtins":
        return str(cause) or None
    return None


def _french_error(exc, task_name):
    where = f"l’étape « {task_name} »" if task_name else "le modèle"
    cause = _cause(exc)
    if isinstance(cause, NameError) and cause.name:
        # A phase started alone lacks what an earlier phase would have given it.
        detail = (f"donnée « {cause.name} » absente : elle vient d'une étape précédente "
                  "ou des données de départ")
    elif cause is not None and type(cause).__module__ != "builtins" and str(cause):
        # The application's own errors (a domain rule refusing the data) are written for users.
        detail = str(cause)
    else:
        detail = str(exc).strip() or type(exc).__name__
    return f"Échec de {where} : {detail}"


def _unstorable(task):
    """The step's failure, in French like any model failure, when a script left in the data
    what the store cannot write (a set, bytes, NaN…): found when the step is saved, where the
    data is serialized anyway, so nothing of the step is stored."""
    name = task.task_spec.bpmn_name or task.task_spec.bpmn_id or task.task_spec.name
    for key, value in REGISTRY.clean(task.data).items():
        try:
            dumps(REGISTRY.convert(value))
        except (TypeError, ValueError, RecursionError):
            kind = _foreign_type(value)
            what = f"est de type {kind}" if kind else "est circulaire ou trop imbriquée"
            return ExecutionFailed(
                f"Échec de l’étape « {name} » : la donnée « {key} » {what}, que Conventio ne sait pas "
                "enregistrer (attendu : texte, nombre, booléen, date, liste ou objet).", name)
    return ExecutionFailed(f"Échec de l’étape « {name} » : ses données ne peuvent pas être enregistrées.", name)


def _foreign_type(value, depth=0):
    """The name of the first type inside `value` that JSON cannot hold, or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nombre non fini (NaN ou infini)"
    if depth > 50 or value is None or isinstance(value, (str, int, float, bool)):
        return None
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        try:
            dumps(REGISTRY.convert(value))   # dates and the like: the registry knows them
            return None
        except (TypeError, ValueError, RecursionError):
            return type(value).__name__
    for item in items:
        found = _foreign_type(item, depth + 1)
        if found:
            return found
    return None


def _catches_message(task, name):
    definition = getattr(task.task_spec, "event_definition", None)
    return isinstance(definition, MessageEventDefinition) and definition.name == name


def _timer_definition(task_spec):
    """The timer a waiting task waits for, also inside an event-based gateway's set."""
    definition = getattr(task_spec, "event_definition", None)
    if isinstance(definition, MultipleEventDefinition):
        timers = [d for d in definition.event_definitions if isinstance(d, TimerEventDefinition)]
        return timers[0] if timers else None
    return definition if isinstance(definition, TimerEventDefinition) else None


def _deadline_timer(task):
    """(due time, timer name) of the date timer attached to `task` without interrupting it:
    the deadline the model computed for it (a legal delay, from the domain's dated data),
    which wins over a mere processing time (dueIn). (None, None) without one. A timer that
    has fired (the deadline has passed) still tells when it was due."""
    parent = task.parent
    for sibling in (parent.children if parent is not None else ()):
        if sibling is not task and sibling.state in (TaskState.WAITING, TaskState.COMPLETED) \
                and _is_deadline(sibling.task_spec):
            due = _timer_due(sibling)
            if due is not None:
                return due, sibling.task_spec.bpmn_name or sibling.task_spec.bpmn_id
    return None, None


def _is_deadline(spec):
    return getattr(spec, "cancel_activity", True) is False and \
        isinstance(getattr(spec, "event_definition", None), TimeDateEventDefinition)


def _timer_due(task):
    definition = _timer_definition(task.task_spec)
    value = task._get_internal_data("event_value")
    if definition is None or value is None:
        return None
    try:
        if isinstance(definition, CycleTimerEventDefinition):
            # {"cycles": left, "next": ISO date, "duration": s}; with none left, the next
            # refresh ends the timer, so it is due at once.
            return datetime.fromisoformat(value["next"]).astimezone(timezone.utc)
        parsed = TimerEventDefinition.get_datetime(value) if isinstance(value, str) else value
        if isinstance(parsed, datetime):
            return parsed.astimezone(timezone.utc)
    except Exception:
        return None
    return None


_LONG_AGO = datetime(2000, 1, 1, tzinfo=timezone.utc)


def _cycle_due_now(task):
    """Make Spiff's wall-clock test see this cycle's occurrence as passed; returns what its next
    occurrence really is, for _cycle_next_at to put back once Spiff has counted this one."""
    value = dict(task._get_internal_data("event_value"))
    next_at = datetime.fromisoformat(value["next"]) + timedelta(seconds=value["duration"])
    task._set_internal_data(event_value=dict(value, next=_LONG_AGO.isoformat()))
    return task, next_at


def _cycle_next_at(task, next_at):
    """Put back the next occurrence; True when none is left."""
    value = task._get_internal_data("event_value")
    if value is None:
        return False
    task._set_internal_data(event_value=dict(value, next=next_at.isoformat()))
    return value["cycles"] == 0


def utc_now():
    return datetime.now(timezone.utc)


