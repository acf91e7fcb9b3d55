"""A cycle timer (`R3/PT1H` on a non-interrupting boundary event: a reminder) is scheduled and
fired by the timer sweep like any other timer, once per occurrence, then ends; warm and cold."""
from datetime import datetime, timedelta

import pytest

from bpmn_builder import definitions, flow, process, user_task
from helpers import ADMIN, WARM_AND_COLD, deploy_xml, with_instances
from workflows.services import open_conventio
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import list_tasks
from workflows.services.timers import run_due_timers

REMINDER = ('<bpmn:boundaryEvent id="remind" name="Relance" attachedToRef="work" cancelActivity="false">'
            '<bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">"R3/PT1H"'
            '</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>')
MODEL = definitions(process("relances", "\n".join([
    '<bpmn:startEvent id="start"/>', user_task("work", "Instruire le dossier"), REMINDER,
    user_task("nudge", "Relancer le service"), '<bpmn:endEvent id="end"/>', '<bpmn:endEvent id="end2"/>',
    flow("f1", "start", "work"), flow("f2", "work", "end"), flow("f3", "remind", "nudge"),
    flow("f4", "nudge", "end2")])))


@pytest.fixture(params=WARM_AND_COLD)
def conventio(request, settings):
    app = open_conventio(with_instances(settings, request.param))
    yield app
    app.close()


def reminders(app, instance_id):
    return [t["name"] for t in list_tasks(app, ADMIN, instance_id=instance_id)].count("Relancer le service")


def test_a_cycle_timer_fires_once_per_occurrence_then_ends(conventio):
    deploy_xml(conventio, {"relances.bpmn": MODEL})
    instance = start_instance(conventio, "relances", {}, ADMIN)
    first = datetime.fromisoformat(instance["next_timer_at"])
    [waiting] = get_instance(conventio, instance["id"], ADMIN)["waiting"]
    assert waiting["name"] == "Relance" and waiting["due_at"] == instance["next_timer_at"]

    seen = []
    for hour in range(4):
        run_due_timers(conventio, first + timedelta(hours=hour, minutes=1))
        state = get_instance(conventio, instance["id"], ADMIN)
        seen.append((reminders(conventio, instance["id"]), state["next_timer_at"]))
    occurrences = [(first + timedelta(hours=h)).isoformat() for h in (1, 2)]
    assert seen == [(1, occurrences[0]), (2, occurrences[1]), (3, None), (3, None)]
    assert [w for w in get_instance(conventio, instance["id"], ADMIN)["waiting"] if w["bpmn_id"] == "remind"] == []


def test_a_sweep_before_the_next_occurrence_fires_nothing(conventio):
    deploy_xml(conventio, {"relances.bpmn": MODEL})
    instance = start_instance(conventio, "relances", {}, ADMIN)
    first = datetime.fromisoformat(instance["next_timer_at"])
    run_due_timers(conventio, first + timedelta(minutes=1))
    assert run_due_timers(conventio, first + timedelta(minutes=59))["fired"] == 0
    assert reminders(conventio, instance["id"]) == 1
