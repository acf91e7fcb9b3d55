"""Timer expressions out of bounds: refused at deployment when written as literals, and
failing their step in French when computed from the data, before SpiffWorkflow loops on them."""
import threading

import pytest
from sqlalchemy import select

from bpmn_builder import definitions, flow, process, script_task, sequence, user_task
from helpers import ADMIN, deploy_xml
from workflows.engine.timer_bounds import (
    CYCLE, DATE, DURATION, MAX_CYCLES, TimerRefused, check_timer_value,
)
from workflows.errors import InstanceFailed, ModelRejected
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import ProcessInstance, TaskRecord, WorkflowHeader

# Without the checks, SpiffWorkflow walks P99999999Y month by month (minutes of CPU): a
# step that does not answer within this many seconds is a hang.
HANG_SECONDS = 30


def timer_event(event_id, kind, expression, name="Délai"):
    return (f'<bpmn:intermediateCatchEvent id="{event_id}" name="{name}"><bpmn:timerEventDefinition>'
            f'<bpmn:{kind} xsi:type="bpmn:tFormalExpression">{expression}</bpmn:{kind}>'
            f'</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')


def timer_model(process_id, kind, expression, *before):
    return sequence(process_id, *before, ("wait", timer_event("wait", kind, expression, "Attendre la réponse")),
                    ("after", user_task("after", "Après le délai")))


def within(seconds, call):
    """call() in a thread: its result or its exception, or a failure when it does not return."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except BaseException as exc:   # handed back to the test
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"l’étape ne répond pas après {seconds} s : le moteur boucle sur le minuteur")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


# --- the bounds ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, value", [
    (DURATION, "P30D"), (DURATION, "PT2H"), (DURATION, "P10Y"), (DURATION, "P120M"),
    (DATE, "2027-01-04T00:00:00+01:00"), (DATE, "2020-01-01T00:00:00+00:00"),
    (CYCLE, "R12/P7D"), (CYCLE, f"R{MAX_CYCLES}/PT1M"), (CYCLE, "R3/2027-01-01T09:00:00+00:00/P1D"),
])
def test_values_within_bounds_pass(kind, value):
    check_timer_value(kind, value)


@pytest.mark.parametrize("kind, value, says", [
    (DURATION, "P99999999Y", "au plus 10 ans"), (DURATION, "P11Y", "au plus 10 ans"),
    (DURATION, "PT99999999999999H", "au plus 10 ans"), (DURATION, "P" + "9" * 5000 + "D", "illisible"),
    (DURATION, "-P1D", "négative"), (DURATION, "P-1D", "négative"), (DURATION, "trente jours", "illisible"),
    (DURATION, 10 ** 100, "un nombre"), (DURATION, None, "vide"), (DURATION, ["P1D"], "une liste"),
    (DATE, "9999-12-31T00:00:00+00:00", "trop lointaine"), (DATE, "P1D", "illisible"),
    (CYCLE, "R100000/PT0S", f"au plus {MAX_CYCLES}"), (CYCLE, "R5/PT0S", "intervalle nul"),
    (CYCLE, "R5/PT10S", "au moins une minute"), (CYCLE, "R/P1D", "sans fin"),
    (CYCLE, "R5/P99999999Y", "au plus 10 ans"), (CYCLE, "P1D", "illisible"),
])
def test_values_out_of_bounds_are_refused_in_french(kind, value, says):
    with pytest.raises(TimerRefused) as refused:
        within(5, lambda: check_timer_value(kind, value))
    assert says in str(refused.value)


# --- at deployment ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, expression, says", [
    ("timeDuration", '"P99999999Y"', "au plus 10 ans"),
    ("timeDuration", '"-P1D"', "négative"),
    ("timeDuration", "5", "un nombre"),
    ("timeDate", '"9999-12-31T00:00:00+00:00"', "trop lointaine"),
    ("timeCycle", '"R100000/PT0S"', f"au plus {MAX_CYCLES}"),
    ("timeCycle", '"R5/PT0S"', "intervalle nul"),
])
def test_a_literal_timer_out_of_bounds_is_refused_at_deployment(app, kind, expression, says):
    with pytest.raises(ModelRejected) as refused:
        within(HANG_SECONDS, lambda: deploy_xml(app, {"attente.bpmn": timer_model("attente", kind, expression)}))
    problem = refused.value.details["problems"][0]
    assert problem["file"] == "attente.bpmn"
    assert (problem["element_id"], problem["element_name"]) == ("wait", "Attendre la réponse")
    assert problem["reason"].startswith("minuteur refusé : ")
    assert says in problem["reason"]


def test_a_boundary_timer_is_checked_and_every_bad_timer_is_listed(app):
    body = "\n".join([
        '<bpmn:startEvent id="start"/>', user_task("sign", "Signer la convention"),
        '<bpmn:boundaryEvent id="late" name="Relance" attachedToRef="sign"><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P500Y"</bpmn:timeDuration>'
        '</bpmn:timerEventDefinition></bpmn:boundaryEvent>',
        timer_event("pause", "timeCycle", '"R/P1D"', "Pause"),
        '<bpmn:endEvent id="end"/>', '<bpmn:endEvent id="end_late"/>',
        flow("f1", "start", "sign"), flow("f2", "sign", "pause"), flow("f3", "pause", "end"),
        flow("f4", "late", "end_late")])
    with pytest.raises(ModelRejected) as refused:
        deploy_xml(app, {"relance.bpmn": definitions(process("relance", body))})
    named = sorted((p["element_id"], p["element_name"]) for p in refused.value.details["problems"])
    assert named == [("late", "Relance"), ("pause", "Pause")]


def test_computed_and_reasonable_timers_deploy(app):
    deploy_xml(app, {"calcul.bpmn": timer_model("calcul", "timeDuration", "delai"),
                     "long.bpmn": timer_model("long", "timeDuration", '"P10Y"'),
                     "cycle.bpmn": timer_model("cycle", "timeCycle", '"R12/P7D"')})


# --- at evaluation ------------------------------------------------------------------------------
def instance_rows(app):
    with app.db.sessions() as session:
        return session.execute(select(ProcessInstance)).scalars().all()


def process_state(app, instance_id):
    """What the engine keeps of an instance: its status, every task row, every workflow header."""
    with app.db.sessions() as session:
        row = session.get(ProcessInstance, instance_id)
        tasks = session.execute(select(TaskRecord.id, TaskRecord.state, TaskRecord.seq, TaskRecord.body)
                                .where(TaskRecord.instance_id == instance_id)).all()
        headers = session.execute(select(WorkflowHeader.workflow_key, WorkflowHeader.body)
                                  .where(WorkflowHeader.instance_id == instance_id)).all()
        return row.status, row.next_timer_at, sorted(tasks), sorted(headers)


@pytest.mark.parametrize("script, says", [
    ('delai = "P99999999Y"', "au plus 10 ans"),
    ('delai = "-P1D"', "négative"),
    ("delai = 10 ** 100", "un nombre"),
])
def test_a_computed_duration_out_of_bounds_refuses_the_start(app, script, says):
    deploy_xml(app, {"calcul.bpmn": timer_model("calcul", "timeDuration", "delai",
                                                ("compute", script_task("compute", script, "Calculer le délai")))})
    with pytest.raises(InstanceFailed) as failed:
        within(HANG_SECONDS, lambda: start_instance(app, "calcul", {}, ADMIN))
    message = str(failed.value)
    assert message.startswith("Démarrage impossible. Échec de l’étape « Attendre la réponse » : minuteur refusé")
    assert says in message
    assert failed.value.details == {"etape": "Attendre la réponse"}
    assert instance_rows(app) == []


def test_a_computed_cycle_out_of_bounds_refuses_the_completion_and_changes_nothing(app):
    model = timer_model("relances", "timeCycle", "cycle",
                        ("ask", user_task("ask", "Fixer les relances")),
                        ("compute", script_task("compute", 'cycle = "R" + str(relances) + "/" + intervalle',
                                                "Calculer les relances")))
    deploy_xml(app, {"relances.bpmn": model})
    instance_id = start_instance(app, "relances", {}, ADMIN)["id"]
    [task] = list_tasks(app, ADMIN, instance_id=instance_id)
    before = process_state(app, instance_id)

    with pytest.raises(InstanceFailed) as failed:
        within(HANG_SECONDS, lambda: complete_task(app, task["id"], {"relances": 100000, "intervalle": "PT0S"}, ADMIN))
    assert "Échec de l’étape « Attendre la réponse » : minuteur refusé : cycle « R100000/PT0S »" in str(failed.value)
    assert f"au plus {MAX_CYCLES}" in str(failed.value)

    # The step kept nothing; the services note why it was refused on the instance (its `error`).
    assert process_state(app, instance_id) == before
    with app.db.sessions() as session:
        assert "minuteur refusé" in session.get(ProcessInstance, instance_id).error
    assert [t["name"] for t in list_tasks(app, ADMIN, instance_id=instance_id)] == ["Fixer les relances"]
    # The task can still be completed with a reasonable value.
    complete_task(app, task["id"], {"relances": 3, "intervalle": "P7D"}, ADMIN)
    assert get_instance(app, instance_id, ADMIN)["status"] == "running"


def test_a_computed_date_too_far_refuses_the_start(app):
    deploy_xml(app, {"echeance.bpmn": timer_model("echeance", "timeDate", "echeance")})
    with pytest.raises(InstanceFailed) as failed:
        start_instance(app, "echeance", {"echeance": "2999-01-01T00:00:00+00:00"}, ADMIN)
    assert "date « 2999-01-01T00:00:00+00:00 » trop lointaine" in str(failed.value)
    instance_id = start_instance(app, "echeance", {"echeance": "2027-01-04T00:00:00+00:00"}, ADMIN)["id"]
    assert get_instance(app, instance_id, ADMIN)["waiting"][0]["due_at"] == "2027-01-04T00:00:00+00:00"
