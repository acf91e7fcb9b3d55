"""A script that leaves a set, bytes or a NaN in the data fails its step in French; nothing is stored."""
import pytest
from sqlalchemy import func, select

from bpmn_builder import script_task, sequence, user_task
from helpers import ADMIN, deploy_xml
from workflows.errors import InstanceFailed
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import ProcessInstance

UNSTORABLE = {"x = {1, 2}": "set", "x = b'abc'": "bytes", "x = [1, {'a': frozenset([1])}]": "frozenset",
              "x = 1j": "complex", "x = float('nan')": "non fini", "x = {'a': [1e400]}": "non fini"}


def instance_count(app):
    with app.db.sessions() as session:
        return session.execute(select(func.count()).select_from(ProcessInstance)).scalar()


@pytest.mark.parametrize("script", UNSTORABLE)
def test_a_script_storing_what_json_cannot_hold_fails_the_start_in_french(app, script):
    deploy_xml(app, {"p.bpmn": sequence("p", ("run", script_task("run", script, "Calcul")),
                                        ("after", user_task("after", "Suite")))})
    with pytest.raises(InstanceFailed) as failed:
        start_instance(app, "p", {}, ADMIN)
    message = failed.value.message
    assert "« Calcul »" in message and "« x »" in message and UNSTORABLE[script] in message, message
    assert instance_count(app) == 0


def test_after_a_completion_the_task_stays_ready_and_the_error_is_noted(app):
    deploy_xml(app, {"late.bpmn": sequence(
        "late", ("ask", user_task("ask", "Saisir")),
        ("run", script_task("run", "x = set(liste) if doublons else liste", "Dédoublonner")),
        ("after", user_task("after", "Suite")))})
    started = start_instance(app, "late", {}, ADMIN)
    [task] = list_tasks(app, ADMIN, instance_id=started["id"])
    with pytest.raises(InstanceFailed) as failed:
        complete_task(app, task["id"], {"liste": [1, 1], "doublons": True}, ADMIN)
    assert "Dédoublonner" in failed.value.message and "set" in failed.value.message
    state = get_instance(app, started["id"], ADMIN)
    assert [t["id"] for t in state["open_tasks"]] == [task["id"]] and "Dédoublonner" in state["error"]
    complete_task(app, task["id"], {"liste": [1, 1], "doublons": False}, ADMIN)
    assert get_instance(app, started["id"], ADMIN)["data"]["x"] == [1, 1]


def test_a_pre_script_of_a_user_task_is_checked_too(app):
    pre = ('<bpmn:userTask id="ask" name="Saisir"><bpmn:extensionElements>'
           "<spiffworkflow:preScript>x = b'octets'</spiffworkflow:preScript>"
           "</bpmn:extensionElements></bpmn:userTask>")
    deploy_xml(app, {"pre.bpmn": sequence("pre", ("ask", pre))})
    with pytest.raises(InstanceFailed) as failed:
        start_instance(app, "pre", {}, ADMIN)
    assert "« Saisir »" in failed.value.message and "bytes" in failed.value.message
    assert instance_count(app) == 0
