"""Persisted state: a step writes only what it changed, and warm copies are never stale."""
from sqlalchemy import event

from bpmn_builder import sequence, user_task
from helpers import ADMIN, deploy_xml
from workflows.engine import Engine
from workflows.engine.deployment import parse_model_set
from workflows.engine.instance import Definition
from workflows.services import open_conventio
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import TaskRecord


def long_chain(count):
    return sequence("chain", *[(f"t{i}", user_task(f"t{i}", f"Étape {i}")) for i in range(count)])


def test_rows_written_per_step_do_not_grow_with_history():
    [parsed] = parse_model_set({"chain.bpmn": long_chain(120).encode()})
    engine = Engine()
    instance = engine.start(Definition("chain", parsed.spec, parsed.subprocess_specs, parsed.forms), {})
    first = instance.changes()
    assert len(first.upserts) > 120, "the first save writes the whole predicted tree"
    written = []
    for _ in range(110):
        task = instance.ready_human_tasks()[0]
        instance.complete(task.id, {"avis": "favorable"})
        changes = instance.changes()
        written.append((len(changes.upserts), len(changes.deletes), len(changes.headers)))
    # completed task + newly ready task, the header (last task changed), nothing else.
    assert written[5] == written[100] == (2, 0, 1)
    assert set(written) == {(2, 0, 1)}


def test_a_warm_copy_is_not_used_after_another_process_moved_the_instance(settings):
    first, second = open_conventio(settings), open_conventio(settings)   # two servers, one database
    try:
        deploy_xml(first, {"chain.bpmn": long_chain(3)})
        instance_id = start_instance(first, "chain", {}, ADMIN)["id"]
        task = list_tasks(first, ADMIN, instance_id=instance_id)[0]
        complete_task(first, task["id"], {"par": "premier"}, ADMIN)         # first keeps it warm
        task = list_tasks(second, ADMIN, instance_id=instance_id)[0]
        complete_task(second, task["id"], {"par": "second"}, ADMIN)         # second moves it on
        task = list_tasks(first, ADMIN, instance_id=instance_id)[0]
        assert task["name"] == "Étape 2"
        result = complete_task(first, task["id"], {"par": "premier"}, ADMIN)
        assert result["status"] == "completed"
        state = get_instance(second, instance_id, ADMIN)
        assert [h["action"] for h in state["history"]].count("completion") == 3
    finally:
        first.close()
        second.close()


def test_warm_steps_do_not_reload_the_instance(app):
    deploy_xml(app, {"chain.bpmn": long_chain(5)})
    instance_id = start_instance(app, "chain", {}, ADMIN)["id"]
    statements = []

    def count(conn, cursor, statement, *args):
        if "FROM task_record" in statement and "ORDER BY task_record.seq" in statement:
            statements.append(statement)

    # A step reads its instance in a read-only transaction, then writes: count both engines.
    for engine in {app.db.engine, app.db.write_engine}:
        event.listen(engine, "before_cursor_execute", count)
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    complete_task(app, task["id"], {}, ADMIN)
    assert statements == []
    app.cache.clear()
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    complete_task(app, task["id"], {}, ADMIN)
    assert len(statements) == 1
    with app.db.sessions() as session:
        assert session.get(TaskRecord, task["id"]).state == "completed"


def test_a_loop_passed_hundreds_of_times_does_not_stall():
    """Spiff's tree walk stops at depth 1000: a 3-node loop used to stall after 334 turns."""
    from bpmn_builder import definitions, flow, process, script_task
    body = "\n".join([
        '<bpmn:startEvent id="start"/>', user_task("fix", "Corriger"), script_task("count", "n = n + 1"),
        '<bpmn:exclusiveGateway id="again" default="f_end"/>', '<bpmn:endEvent id="end"/>',
        flow("f1", "start", "fix"), flow("f2", "fix", "count"), flow("f3", "count", "again"),
        flow("f_loop", "again", "fix", "n < limite"), flow("f_end", "again", "end")])
    [parsed] = parse_model_set({"loop.bpmn": definitions(process("loop", body)).encode()})
    instance = Engine().start(Definition("loop", parsed.spec, parsed.subprocess_specs, parsed.forms),
                              {"n": 0, "limite": 500})
    turns = 0
    while instance.ready_human_tasks():
        instance.complete(instance.ready_human_tasks()[0].id, {})
        turns += 1
    assert (turns, instance.status, instance.data["n"]) == (500, "completed", 500)
