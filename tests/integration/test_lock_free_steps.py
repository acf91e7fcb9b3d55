"""A step holds no database lock while model code runs (issue 10).

A step reads its instance, runs the engine with no transaction open, then locks only to
check that the instance is still at the version it read and to write. These tests pause
or prolong the engine work of one step (a hook around `Instance.complete`, or a script
looping until its budget) and show, by the order of events, that other writers finish
meanwhile, and that the paused step is then computed again on the state they left.
"""
import threading
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bpmn_builder import catch_message, definitions, flow, process, script_task, sequence, throw_message, user_task
from helpers import ADMIN, deploy_xml
from workflows.engine.instance import Instance
from workflows.errors import Conflict, InstanceFailed
from workflows.services import open_conventio
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import AuditEntry, ProcessInstance

WAIT = 60   # seconds: only a bound for a broken run, never what a test measures

TWO_STEPS = sequence("two", ("first", user_task("first", "Première étape")),
                     ("second", user_task("second", "Deuxième étape")))


def branches(process_id, left_script=None):
    """Two parallel branches, « Gauche » (then `left_script`, when given) and « Droite »,
    joined before « Après »."""
    left = [user_task("left", "Gauche")]
    left_flows = []
    left_end = "left"
    if left_script is not None:
        left.append(script_task("loop", left_script, "Boucle"))
        left_flows.append(flow("fl", "left", "loop"))
        left_end = "loop"
    return definitions(process(process_id, "\n".join([
        '<bpmn:startEvent id="start"/>', '<bpmn:parallelGateway id="split"/>',
        *left, user_task("right", "Droite"), '<bpmn:parallelGateway id="join"/>',
        user_task("after", "Après"), '<bpmn:endEvent id="end"/>',
        flow("f1", "start", "split"), flow("f2", "split", "left"), flow("f3", "split", "right"),
        *left_flows, flow("f4", left_end, "join"), flow("f5", "right", "join"),
        flow("f6", "join", "after"), flow("f7", "after", "end")])))


MESSAGES = definitions(
    '<bpmn:message id="msg_signed" name="convention_signee"/>',
    process("waiter", "\n".join([
        '<bpmn:startEvent id="start"/>', '<bpmn:parallelGateway id="split"/>',
        catch_message("wait_signature", "Attendre la signature", "msg_signed", "signature"),
        user_task("distribute", "Distribuer les carnets"), user_task("note", "Noter"),
        '<bpmn:parallelGateway id="join"/>', '<bpmn:endEvent id="end"/>',
        flow("f1", "start", "split"), flow("f2", "split", "wait_signature"), flow("f3", "split", "note"),
        flow("f4", "wait_signature", "distribute"), flow("f5", "distribute", "join"),
        flow("f6", "note", "join"), flow("f7", "join", "end")])),
    process("signer", "\n".join([
        '<bpmn:startEvent id="start_s"/>', user_task("sign", "Signer"),
        throw_message("notify", "Notifier la signature", "msg_signed", '{"par": signataire}'),
        '<bpmn:endEvent id="end_s"/>',
        flow("g1", "start_s", "sign"), flow("g2", "sign", "notify"), flow("g3", "notify", "end_s")])),
)


def task_named(app, instance_id, name):
    return next(t["id"] for t in list_tasks(app, ADMIN, instance_id=instance_id) if t["name"] == name)


def open_names(app, instance_id):
    return sorted(t["name"] for t in get_instance(app, instance_id, ADMIN)["open_tasks"])


def journal(app, action, instance_id=None):
    with app.db.sessions() as session:
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        if instance_id is not None:
            query = query.where(AuditEntry.instance_id == instance_id)
        return session.execute(query).scalar()


class Worker(threading.Thread):
    """Runs `action()` once; keeps its result or its error for the test to look at."""

    def __init__(self, action, on_done=None):
        super().__init__(daemon=True)
        self.action, self.on_done = action, on_done
        self.result = self.error = None
        self.finished = threading.Event()

    def run(self):
        try:
            self.result = self.action()
        except Exception as exc:   # looked at by the test
            self.error = exc
        finally:
            if self.on_done is not None:
                self.on_done(self)
            self.finished.set()

    def outcome(self):
        assert self.finished.wait(WAIT), "l’action ne s’est pas terminée"
        self.join(WAIT)
        return self.result, self.error


class Hook:
    """Around `Instance.complete` for one task: notes each computation of that step, and
    can hold the first one until released (the step's engine work, paused)."""

    def __init__(self, monkeypatch, task_id, hold=False):
        self.task_id, self.calls = str(task_id), 0
        self.entered, self.first_done = threading.Event(), threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()
        original = Instance.complete
        hook = self

        def complete(instance, task_id, *args, **kwargs):
            if str(task_id) != hook.task_id:
                return original(instance, task_id, *args, **kwargs)
            hook.calls += 1
            first = hook.calls == 1
            try:
                if first:
                    hook.entered.set()
                    assert hook.release.wait(WAIT)
                return original(instance, task_id, *args, **kwargs)
            finally:
                if first:
                    hook.first_done.set()

        monkeypatch.setattr(Instance, "complete", complete)


@pytest.fixture
def runaway_app(any_db_settings):
    """Model scripts bounded by a short budget (the loops below run until it)."""
    conventio = open_conventio(replace(any_db_settings, script_budget_seconds=3))
    yield conventio
    conventio.close()


def test_a_runaway_script_blocks_no_other_writer(runaway_app, monkeypatch):
    app = runaway_app
    deploy_xml(app, {"runaway.bpmn": branches("runaway", "n = 0\nwhile True:\n    n = n + 1"),
                     "two.bpmn": TWO_STEPS})
    runaway = start_instance(app, "runaway", {}, ADMIN)["id"]
    other = start_instance(app, "two", {}, ADMIN)["id"]
    looping_task, same_instance_task = task_named(app, runaway, "Gauche"), task_named(app, runaway, "Droite")
    other_task = task_named(app, other, "Première étape")
    hook = Hook(monkeypatch, looping_task)

    def during_the_loop(worker):
        worker.runaway_still_running = not hook.first_done.is_set()

    looping = Worker(lambda: complete_task(app, looping_task, {}, ADMIN))
    looping.start()
    assert hook.entered.wait(WAIT)
    # Meanwhile: a task of another instance, a new instance, and the other branch of the
    # looping instance itself (a colleague's parallel step).
    writers = [Worker(lambda: complete_task(app, other_task, {}, ADMIN), during_the_loop),
               Worker(lambda: start_instance(app, "two", {}, ADMIN), during_the_loop),
               Worker(lambda: complete_task(app, same_instance_task, {}, ADMIN), during_the_loop)]
    for writer in writers:
        writer.start()
    for writer in writers:
        result, error = writer.outcome()
        assert error is None, error
        assert writer.runaway_still_running, "une écriture a attendu la fin de la boucle du modèle"

    _, error = looping.outcome()
    assert isinstance(error, InstanceFailed) and "durée maximale" in error.message
    # The other branch moved on during the loop: the step was computed again on that state.
    assert hook.calls == 2
    assert open_names(app, other) == ["Deuxième étape"]
    assert open_names(app, runaway) == ["Gauche"]
    assert "durée maximale" in get_instance(app, runaway, ADMIN)["error"]
    assert journal(app, "echec", runaway) == 1
    assert journal(app, "completion") == 2
    assert journal(app, "demarrage") == 3


def test_a_step_whose_instance_moved_on_meanwhile_is_computed_again(any_app, monkeypatch):
    deploy_xml(any_app, {"branches.bpmn": branches("branches")})
    instance_id = start_instance(any_app, "branches", {}, ADMIN)["id"]
    left, right = task_named(any_app, instance_id, "Gauche"), task_named(any_app, instance_id, "Droite")
    hook = Hook(monkeypatch, left, hold=True)
    paused = Worker(lambda: complete_task(any_app, left, {}, ADMIN))
    paused.start()
    assert hook.entered.wait(WAIT)
    complete_task(any_app, right, {}, ADMIN)   # commits while the other step computes
    hook.release.set()
    result, error = paused.outcome()
    assert error is None, error
    assert hook.calls == 2
    assert [t["name"] for t in result["next_tasks"]] == ["Après"]
    assert open_names(any_app, instance_id) == ["Après"]
    assert journal(any_app, "completion", instance_id) == 2


def test_a_task_completed_meanwhile_gives_one_winner_and_a_conflict(any_app, monkeypatch):
    deploy_xml(any_app, {"two.bpmn": TWO_STEPS})
    instance_id = start_instance(any_app, "two", {}, ADMIN)["id"]
    task_id = task_named(any_app, instance_id, "Première étape")
    hook = Hook(monkeypatch, task_id, hold=True)
    paused = Worker(lambda: complete_task(any_app, task_id, {"note": 1}, ADMIN))
    paused.start()
    assert hook.entered.wait(WAIT)
    complete_task(any_app, task_id, {}, ADMIN)
    hook.release.set()
    _, error = paused.outcome()
    assert isinstance(error, Conflict) and "plus à faire" in error.message
    assert open_names(any_app, instance_id) == ["Deuxième étape"]
    assert journal(any_app, "completion", instance_id) == 1
    assert get_instance(any_app, instance_id, ADMIN)["error"] is None


def test_a_message_receiver_that_moved_on_meanwhile_gets_the_message_once(any_app, monkeypatch):
    deploy_xml(any_app, {"messages.bpmn": MESSAGES})
    waiter = start_instance(any_app, "waiter", {}, ADMIN)["id"]
    signer = start_instance(any_app, "signer", {}, ADMIN)["id"]
    sign, note = task_named(any_app, signer, "Signer"), task_named(any_app, waiter, "Noter")
    delivered = threading.Event()
    release = threading.Event()
    original = Instance.deliver_message
    deliveries = []

    def deliver_message(instance, name, payload, correlations=None):
        caught = original(instance, name, payload, correlations)
        deliveries.append(caught)
        if len(deliveries) == 1:
            delivered.set()   # the receiver has run the message, nothing is written yet
            assert release.wait(WAIT)
        return caught

    monkeypatch.setattr(Instance, "deliver_message", deliver_message)
    paused = Worker(lambda: complete_task(any_app, sign, {"signataire": "ANCT"}, ADMIN))
    paused.start()
    assert delivered.wait(WAIT)
    complete_task(any_app, note, {}, ADMIN)   # the receiver moves on meanwhile
    release.set()
    _, error = paused.outcome()
    assert error is None, error
    assert deliveries == [True, True]   # delivered again, to the receiver's new state
    assert open_names(any_app, waiter) == ["Distribuer les carnets"]
    assert get_instance(any_app, waiter, ADMIN)["data"]["signature"] == {"par": "ANCT"}
    assert journal(any_app, "message", waiter) == 1
    assert get_instance(any_app, signer, ADMIN)["status"] == "completed"


def version_of(app, instance_id):
    with app.db.sessions() as session:
        return session.execute(select(ProcessInstance.version).where(ProcessInstance.id == instance_id)).scalar()


def test_a_refused_step_leaves_the_version_and_sends_no_concurrent_step_into_a_retry(any_app, monkeypatch):
    """The refused step only notes why on the instance: the branch a colleague completes
    meanwhile, from the same version, writes at its first computation; its success clears the note."""
    deploy_xml(any_app, {"failing.bpmn": branches("failing", "total = montant_inconnu + 1")})
    instance_id = start_instance(any_app, "failing", {}, ADMIN)["id"]
    left, right = task_named(any_app, instance_id, "Gauche"), task_named(any_app, instance_id, "Droite")
    before = version_of(any_app, instance_id)
    hook = Hook(monkeypatch, right, hold=True)
    colleague = Worker(lambda: complete_task(any_app, right, {}, ADMIN))
    colleague.start()
    assert hook.entered.wait(WAIT)           # the colleague's step has read the instance, and computes

    with pytest.raises(InstanceFailed) as refused:
        complete_task(any_app, left, {}, ADMIN)
    assert "montant_inconnu" in refused.value.message
    assert version_of(any_app, instance_id) == before
    assert "montant_inconnu" in get_instance(any_app, instance_id, ADMIN)["error"]
    assert journal(any_app, "echec", instance_id) == 1

    hook.release.set()
    result, error = colleague.outcome()
    assert error is None, error
    assert hook.calls == 1, "the refusal sent the colleague's step into a retry"
    assert version_of(any_app, instance_id) == before + 1
    assert open_names(any_app, instance_id) == ["Gauche"]
    assert get_instance(any_app, instance_id, ADMIN)["error"] is None
    assert journal(any_app, "completion", instance_id) == 1


def test_a_refused_step_changes_no_version_cold_or_warm(any_app):
    deploy_xml(any_app, {"failing.bpmn": branches("failing", "total = montant_inconnu + 1")})
    instance_id = start_instance(any_app, "failing", {}, ADMIN)["id"]
    left = task_named(any_app, instance_id, "Gauche")
    before = version_of(any_app, instance_id)
    for cold in (False, True):
        if cold:
            any_app.cache.clear()
        with pytest.raises(InstanceFailed):
            complete_task(any_app, left, {}, ADMIN)
        assert version_of(any_app, instance_id) == before
    assert journal(any_app, "echec", instance_id) == 2
    complete_task(any_app, task_named(any_app, instance_id, "Droite"), {}, ADMIN)   # the state is as it was
    assert open_names(any_app, instance_id) == ["Gauche"]
