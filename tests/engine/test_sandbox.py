"""Model scripts run restricted: the classic escapes are refused at deployment or fail cleanly."""
import pytest
from sqlalchemy import func, select

from bpmn_builder import definitions, flow, process, script_task, sequence, user_task
from helpers import ADMIN, deploy_xml
from workflows.errors import InstanceFailed, ModelRejected
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import ProcessInstance

REFUSED_AT_DEPLOYMENT = [
    "import os",
    "from subprocess import run",
    "x = __import__('os').system('id')",
    "x = ().__class__.__bases__[0].__subclasses__()",
    "x = open('/etc/passwd').read()",
    "x = (lambda: 0).__globals__",
    "x = eval('1+1')",
    "exec('y = 1')",
    "x = [c for c in ().__class__.__mro__]",
    "x = type.__subclasses__(type)",
    "x = _secret",
    "x = __builtins__",
    "x = getattr((), '__cl' + 'ass__')",
    "x = globals()",
    "x = type(1).__mro__",
    "f = [open][0]",
]

FAILING_AT_RUN_TIME = [
    "x = '{0.__class__}'.format(1)",
    "x = 'a'.format_map({})",
    "x = {}['clef']",
    "x = [1][5]",
]


def scripted(script):
    return sequence("scripted", ("run", script_task("run", script, "Calcul")),
                    ("after", user_task("after", "Suite")))


def started_before_a_script(app, process_id, script, name):
    """An instance waiting on a first task, whose completion runs `script`; that task."""
    deploy_xml(app, {f"{process_id}.bpmn": sequence(
        process_id, ("ask", user_task("ask", "Saisir")), ("run", script_task("run", script, name)),
        ("after", user_task("after", "Suite")))})
    started = start_instance(app, process_id, {}, ADMIN)
    return started, list_tasks(app, ADMIN, instance_id=started["id"])[0]


@pytest.mark.parametrize("script", REFUSED_AT_DEPLOYMENT)
def test_escape_is_refused_at_deployment_naming_the_script_task(app, script):
    with pytest.raises(ModelRejected) as refused:
        deploy_xml(app, {"evil.bpmn": scripted(script)})
    problem = refused.value.details["problems"][0]
    assert problem["element_id"] == "run" and "bac à sable" in problem["reason"]


@pytest.mark.parametrize("script", FAILING_AT_RUN_TIME)
def test_escape_that_compiles_fails_the_step_and_creates_nothing(app, script):
    deploy_xml(app, {"evil.bpmn": scripted(script)})
    with pytest.raises(InstanceFailed) as failed:
        start_instance(app, "scripted", {}, ADMIN)
    assert "Calcul" in failed.value.message
    with app.db.sessions() as session:
        assert session.execute(select(func.count()).select_from(ProcessInstance)).scalar() == 0


def test_gateway_conditions_are_restricted_too(app):
    body = ('<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="choice" default="f_no"/>'
            '<bpmn:endEvent id="yes"/><bpmn:endEvent id="no"/>'
            + flow("f0", "start", "choice") + flow("f_yes", "choice", "yes", "().__class__ is tuple")
            + flow("f_no", "choice", "no"))
    with pytest.raises(ModelRejected) as refused:
        deploy_xml(app, {"gw.bpmn": definitions(process("gw", body))})
    assert "bac à sable" in refused.value.details["problems"][0]["reason"]


def test_plain_scripts_still_compute(app):
    deploy_xml(app, {"ok.bpmn": scripted(
        "total = sum([montant * 1.04 for montant in [100, 200]])\nlabels = sorted(['b', 'a'])\n"
        "n = len(labels)\nn += 1")})
    started = start_instance(app, "scripted", {}, ADMIN)
    state = get_instance(app, started["id"], ADMIN)
    assert state["data"]["total"] == pytest.approx(312.0)
    assert (state["data"]["labels"], state["data"]["n"]) == (["a", "b"], 3)


def test_a_failing_script_after_a_completion_keeps_the_task_ready_and_notes_the_error(app):
    started, task = started_before_a_script(app, "late", "x = 1 / diviseur", "Division")
    with pytest.raises(InstanceFailed) as failed:
        complete_task(app, task["id"], {"diviseur": 0}, ADMIN)
    assert "Division" in failed.value.message and "ZeroDivisionError" in failed.value.message
    state = get_instance(app, started["id"], ADMIN)
    assert [t["id"] for t in state["open_tasks"]] == [task["id"]]
    assert "Division" in state["error"]
    complete_task(app, task["id"], {"diviseur": 4}, ADMIN)
    state = get_instance(app, started["id"], ADMIN)
    assert state["data"]["x"] == 0.25 and state["error"] is None


ENDLESS = [
    "n = 0\nwhile True:\n    n = n + 1",
    "n = 0\nfor i in range(10000000):\n    for j in range(10000000):\n        n = i",
    "n = len([i for i in range(10000000) for j in range(10000000)])",
]


@pytest.fixture
def quick_budget(settings):
    from dataclasses import replace
    from workflows.services import open_conventio
    conventio = open_conventio(replace(settings, script_budget_seconds=0.2))
    yield conventio
    conventio.close()


@pytest.mark.parametrize("script", ENDLESS, ids=["while", "nested for", "comprehension"])
def test_an_endless_script_is_stopped_by_its_budget_and_changes_nothing(quick_budget, script):
    app = quick_budget
    started, task = started_before_a_script(app, "endless", script, "Boucle")
    with pytest.raises(InstanceFailed) as failed:
        complete_task(app, task["id"], {"saisie": 1}, ADMIN)
    assert "Boucle" in failed.value.message and "durée maximale" in failed.value.message
    state = get_instance(app, started["id"], ADMIN)
    assert [t["id"] for t in state["open_tasks"]] == [task["id"]] and "saisie" not in state["data"]


def test_a_range_too_large_for_the_budget_to_reach_is_refused(app):
    deploy_xml(app, {"big.bpmn": scripted("total = sum(range(10 ** 12))")})
    with pytest.raises(InstanceFailed) as failed:
        start_instance(app, "scripted", {}, ADMIN)
    assert "range" in failed.value.message and "refusé" in failed.value.message
    with app.db.sessions() as session:
        assert session.execute(select(func.count()).select_from(ProcessInstance)).scalar() == 0
