"""Model code is bounded in time and memory whatever it does, C code included.

It runs in worker processes (workflows/engine/model_runner.py): a runaway script fails its
own step in French within its budget plus a second, and the other users' steps go on
meanwhile (the server's interpreter lock is never held by model code).
"""
import math
import threading
import time
from dataclasses import replace

import pytest
from sqlalchemy import select

from bpmn_builder import script_task, sequence, user_task
from helpers import ADMIN, deploy_xml
from workflows.engine import Engine, ScriptResourceExceeded, ScriptTimeout
from workflows.engine.model_runner import _error_reply, _rebuild
from workflows.engine.sandbox import RestrictedEnvironment
from workflows.errors import InstanceFailed
from workflows.services import open_conventio
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import ProcessInstance, TaskRecord, WorkflowHeader

BUDGET = 1.0
GRACE = 1.0    # the bound promised: budget plus a second

C_CODE = "x = (7 ** 7 ** 9) % 10"          # minutes of C work under the interpreter lock
RECURSION = "def f(n):\n    return f(n + 1) + f(n + 1)\nx = f(0)"
CAUGHT_RECURSION = ("def f(n):\n    try:\n        return f(n + 1) + f(n + 1)\n"
                    "    except Exception:\n        return f(n + 1) + f(n + 1)\nx = f(0)")
HUGE = "x = 'x' * 10 ** 10"
ENDLESS = "while True:\n    pass"


def _small_budget(settings):
    return replace(settings, script_budget_seconds=BUDGET)


@pytest.fixture
def quick(settings):
    conventio = open_conventio(_small_budget(settings))
    yield conventio
    conventio.close()


def _waiting_before(app, process_id, script, name="Calcul"):
    """An instance waiting on a task whose completion runs `script`; (instance, task)."""
    deploy_xml(app, {f"{process_id}.bpmn": sequence(
        process_id, ("ask", user_task("ask", "Saisir")), ("run", script_task("run", script, name)),
        ("after", user_task("after", "Suite")))})
    started = start_instance(app, process_id, {}, ADMIN)
    return started, list_tasks(app, ADMIN, instance_id=started["id"])[0]


def _version(app, instance_id):
    with app.db.sessions() as session:
        return session.execute(select(ProcessInstance.version).where(ProcessInstance.id == instance_id)).scalar_one()


def _stored_state(app, instance_id):
    """What the database holds of an instance's state: its headers and task rows."""
    with app.db.sessions() as session:
        headers = session.execute(select(WorkflowHeader.workflow_key, WorkflowHeader.body)
                                  .where(WorkflowHeader.instance_id == instance_id)).all()
        tasks = session.execute(select(TaskRecord.id, TaskRecord.state, TaskRecord.body)
                                .where(TaskRecord.instance_id == instance_id)).all()
    return sorted(headers), sorted(tasks)


def _assert_only_the_failure_noted(app, instance_id, before, version):
    """A refused step leaves the stored state and the instance's version as they were: the
    note of the failure (its own transaction) does not move the version a concurrent step reads."""
    assert _stored_state(app, instance_id) == before
    assert _version(app, instance_id) == version


def _refused(app, script, name="Calcul"):
    """Complete the task before `script`; return (message, seconds) of the refusal, having
    checked that the step changed nothing."""
    started, task = _waiting_before(app, "runaway", script, name)
    before, version = _stored_state(app, started["id"]), _version(app, started["id"])
    begun = time.monotonic()
    with pytest.raises(InstanceFailed) as failed:
        complete_task(app, task["id"], {"saisie": 1}, ADMIN)
    elapsed = time.monotonic() - begun
    _assert_only_the_failure_noted(app, started["id"], before, version)
    state = get_instance(app, started["id"], ADMIN)
    assert [t["id"] for t in state["open_tasks"]] == [task["id"]] and "saisie" not in state["data"]
    assert name in failed.value.message and state["error"] == failed.value.message
    return failed.value.message, elapsed


@pytest.mark.parametrize("script", [C_CODE, CAUGHT_RECURSION, ENDLESS], ids=["C code", "caught recursion", "while"])
def test_a_runaway_script_fails_its_step_in_french_within_its_budget_plus_a_second(quick, script):
    message, elapsed = _refused(quick, script)
    assert "durée maximale d'exécution" in message and "corrigez le modèle" in message
    assert elapsed < BUDGET + GRACE, f"{elapsed:.2f} s"


def test_an_endless_recursion_is_refused_in_french(quick):
    message, elapsed = _refused(quick, RECURSION)
    assert "récursion trop profonde" in message
    assert elapsed < BUDGET + GRACE


def test_a_script_beyond_its_memory_is_refused_in_french(quick):
    message, elapsed = _refused(quick, HUGE)
    assert "mémoire permise (512 Mo)" in message
    assert elapsed < BUDGET + GRACE


def test_the_memory_bound_is_a_setting(settings):
    app = open_conventio(replace(settings, script_budget_seconds=BUDGET, script_memory_mb=64))
    try:
        message, _elapsed = _refused(app, "x = [0] * (20 * 1000 * 1000)")     # 160 MB of pointers
        assert "mémoire permise (64 Mo)" in message
    finally:
        app.close()


def test_the_pool_recovers_and_the_same_task_completes_once_corrected(quick):
    deploy_xml(quick, {"power.bpmn": sequence(
        "power", ("ask", user_task("ask", "Saisir")),
        ("run", script_task("run", "x = (7 ** 7 ** n) % 10", "Puissance")), ("after", user_task("after", "Suite")))})
    started = start_instance(quick, "power", {}, ADMIN)
    task = list_tasks(quick, ADMIN, instance_id=started["id"])[0]
    before, version = _stored_state(quick, started["id"]), _version(quick, started["id"])
    with pytest.raises(InstanceFailed) as failed:
        complete_task(quick, task["id"], {"n": 9}, ADMIN)
    assert "Puissance" in failed.value.message and "durée maximale" in failed.value.message
    _assert_only_the_failure_noted(quick, started["id"], before, version)
    complete_task(quick, task["id"], {"n": 2}, ADMIN)
    state = get_instance(quick, started["id"], ADMIN)
    assert state["data"]["x"] == 7 ** 49 % 10 and state["error"] is None


def _runaway_in_a_thread(app, script):
    """Start a step running `script` in another thread; (thread, outcome dict)."""
    _started, task = _waiting_before(app, "runaway", script)
    outcome = {}

    def run():
        try:
            complete_task(app, task["id"], {"saisie": 1}, ADMIN)
        except InstanceFailed as exc:
            outcome["message"] = exc.message
        outcome["ended"] = time.monotonic()

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.3)     # the runaway is computing in its worker by now
    return thread, outcome


def test_reads_go_on_while_a_script_runs_away_in_c(quick):
    other, other_task = _waiting_before(quick, "calm", "total = 6 * 7")
    thread, runaway = _runaway_in_a_thread(quick, C_CODE)
    state = get_instance(quick, other["id"], ADMIN)
    tasks = list_tasks(quick, ADMIN, instance_id=other["id"])
    read_at = time.monotonic()
    thread.join(30)
    assert state["id"] == other["id"] and [t["id"] for t in tasks] == [other_task["id"]]
    assert "durée maximale" in runaway["message"] and read_at < runaway["ended"]


@pytest.fixture
def quick_any(any_db_settings):
    conventio = open_conventio(_small_budget(any_db_settings))
    yield conventio
    conventio.close()


def test_another_instance_steps_on_while_a_script_runs_away_in_c(quick_any):
    other, other_task = _waiting_before(quick_any, "calm", "total = 6 * 7")
    thread, runaway = _runaway_in_a_thread(quick_any, C_CODE)
    complete_task(quick_any, other_task["id"], {"saisie": 2}, ADMIN)
    stepped_at = time.monotonic()
    thread.join(30)
    assert get_instance(quick_any, other["id"], ADMIN)["data"]["total"] == 42
    assert "durée maximale" in runaway["message"]
    assert stepped_at < runaway["ended"], "the other step waited for the runaway one"


def test_instruction_templates_render_bounded(quick):
    render = "server.instructions:render_instructions"
    assert "42" in str(quick.engine.call_bounded(render, "Total : {{ n * 6 }}", {"n": 7}))
    begun = time.monotonic()
    with pytest.raises(ScriptTimeout):
        quick.engine.call_bounded(render, "{{ (7 ** (7 ** 9)) % 10 }}", {})
    assert time.monotonic() - begun < BUDGET + GRACE


def test_a_runaway_template_shows_a_notice_in_place_of_the_instructions(quick):
    from server import create_app
    from server.views.tasks import _instructions
    flask_app = create_app(conventio=quick, test_config={"TESTING": True})
    with flask_app.test_request_context("/"):
        shown = str(_instructions({"instructions": "{{ (7 ** (7 ** 9)) % 10 }}"}, {}))
        assert shown.startswith("Consignes non affichées")
        assert "7" in str(_instructions({"instructions": "{{ n }}"}, {"n": 7}))


# --- the runner's pieces -------------------------------------------------------------

class NeedsTwoArguments(Exception):
    def __init__(self, code, text):
        super().__init__(f"{code} : {text}")


def test_an_exception_that_cannot_travel_keeps_its_type_name_and_text():
    rebuilt = _rebuild(_error_reply(NeedsTwoArguments(3, "refusé")))
    assert type(rebuilt).__name__ == "NeedsTwoArguments" and type(rebuilt).__module__ == __name__
    assert str(rebuilt) == "3 : refusé"


def test_a_name_error_keeps_the_missing_name():
    rebuilt = _rebuild(_error_reply(NameError("name 'montant' is not defined", name="montant")))
    assert isinstance(rebuilt, NameError) and rebuilt.name == "montant"


def test_functions_given_as_a_dict_run_in_the_workers_when_they_pickle():
    engine = Engine(functions={"racine": math.sqrt}, script_budget_seconds=BUDGET)
    assert engine.script_engine.environment.evaluate("racine(n)", {"n": 16.0}) == 4.0
    context = {"n": 9.0}
    engine.script_engine.environment.execute("r = racine(n)\ndel n", context)
    assert context == {"r": 3.0}
    with pytest.raises(TypeError):
        Engine(functions={"double": lambda x: 2 * x})


def test_in_process_mode_reports_resources_in_french_too():
    environment = RestrictedEnvironment({}, BUDGET)
    with pytest.raises(ScriptResourceExceeded, match="récursion"):
        environment.execute(RECURSION, {})
    with pytest.raises(ScriptTimeout):
        environment.execute(CAUGHT_RECURSION, {})
