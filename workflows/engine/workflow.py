"""BpmnWorkflow with task look-ups that do not walk the task tree.

SpiffWorkflow finds tasks by walking the tree depth first from the root, several times
per step: the cost grows with the instance's history, and the walk silently stops at a
depth of 1000 (long loops then stall). Every task is also in the workflow's `tasks`
dict, so a flat pass over it answers the same filters at a small, depth-free cost.
"""
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.util.task import BpmnTaskFilter
from SpiffWorkflow.util.task import TaskState

from .timer_bounds import checking_timers

# Keyword filters a flat pass answers exactly; anything else (first_task, end_at_spec,
# breadth-first order...) keeps SpiffWorkflow's own tree walk.
FLAT_FILTERS = frozenset({"state", "manual", "spec_name", "spec_class", "lane", "catches_event",
                          "updated_ts", "skip_subprocesses", "task_filter"})


class FlatTaskIterator:
    def __init__(self, workflow, skip_subprocesses=False, task_filter=None, **filters):
        self._filter = task_filter or BpmnTaskFilter(**filters)
        mask = self._filter.state
        # The state mask is the cheap, selective part of a filter: apply it first.
        self._tasks = iter([t for t in _all_tasks(workflow, skip_subprocesses) if t._state & mask])

    def __iter__(self):
        return self

    def __next__(self):
        matches = self._filter.matches
        for task in self._tasks:
            if matches(task):
                return task
        raise StopIteration


def _all_tasks(workflow, skip_subprocesses):
    yield from workflow.tasks.values()
    if not skip_subprocesses:
        for subprocess in workflow.subprocesses.values():
            yield from subprocess.tasks.values()


class StepFactsScriptEngine:
    """A script engine offering the facts of the running step (the values the services read
    for it: a campaign's figures) to every script and condition, at any depth of
    sub-processes, as names they read; they are never stored in the task data."""

    def __init__(self, engine):
        self.engine = engine

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def evaluate(self, task, expression, external_context=None):
        return self.engine.evaluate(task, expression, _with_facts(task, external_context))

    def execute(self, task, script, external_context=None):
        return self.engine.execute(task, script, _with_facts(task, external_context))


def _with_facts(task, external_context):
    facts = getattr(getattr(task.workflow, "top_workflow", task.workflow), "step_facts", None)
    return {**facts, **(external_context or {})} if facts else external_context


class ConventioWorkflow(BpmnWorkflow):
    """The top-level workflow of an instance (sub-workflows keep Spiff's classes)."""

    def __init__(self, spec, subprocess_specs=None, script_engine=None, **kwargs):
        # Sub-workflows use the top workflow's engine: every timer value is checked here.
        engine = script_engine or PythonScriptEngine()
        super().__init__(spec, subprocess_specs, script_engine=checking_timers(StepFactsScriptEngine(engine)),
                         **kwargs)
        self.step_facts = {}

    def get_tasks_iterator(self, first_task=None, **kwargs):
        if first_task is None and FLAT_FILTERS.issuperset(kwargs):
            return FlatTaskIterator(self, **kwargs)
        return super().get_tasks_iterator(first_task, **kwargs)

    def is_completed(self):
        if not self.completed:
            # Newest tasks are the likeliest to be unfinished: look at them first.
            unfinished = any(task._state & TaskState.NOT_FINISHED_MASK for task in reversed(self.tasks.values()))
            self.completed = not unfinished
        return self.completed

    def update_waiting_tasks(self):
        # Spiff walks the whole tree after every completed task to find waiting ones.
        for task in [t for t in self.tasks.values() if t._state == TaskState.WAITING]:
            task.task_spec._update(task)
