"""The Pass numérique library in bpmn/: it deploys cleanly and its scenarios run to the end.

Each scenario (tests/scenarios/*.json) is a list of steps: {"start": data}, then
{"task": bpmn id, "data": ...} completed through the task service with the form's
validation, and {"timer": bpmn id} fired by the timer service at its due time.
"""
import json
from datetime import datetime, timedelta

import pytest

from helpers import ADMIN, ROOT
from workflows.services.deploy import deploy_paths
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.services.timers import run_due_timers

SCENARIOS = ROOT / "tests" / "scenarios"
PHASES = ["deliberation", "convention_anct", "achat_public", "conventions_partenaires", "distribution",
          "evaluation"]


@pytest.fixture
def library(app):
    deployed = deploy_paths(app, [ROOT / "bpmn"], ADMIN)
    return app, deployed


def test_the_library_deploys_without_warning_with_one_process_per_phase(library):
    _app, deployed = library
    assert {d.process_id for d in deployed} >= {"pass_numerique", *PHASES}
    assert all(not d.warnings for d in deployed), [d.warnings for d in deployed]


def _open_task(app, instance_id, bpmn_id):
    for task in list_tasks(app, ADMIN, instance_id=instance_id):
        if task["bpmn_id"] == bpmn_id:
            return task
    open_tasks = [t["bpmn_id"] for t in list_tasks(app, ADMIN, instance_id=instance_id)]
    pytest.fail(f"tâche {bpmn_id} absente ; ouvertes : {open_tasks}")


def _fire(app, instance_id, bpmn_id):
    waiting = {w["name"]: w for w in get_instance(app, instance_id, ADMIN)["waiting"]}
    due = [w["due_at"] for w in waiting.values() if w["due_at"]]
    assert due, f"aucun minuteur en attente pour {bpmn_id}"
    moment = min(datetime.fromisoformat(d) for d in due) + timedelta(seconds=1)
    assert run_due_timers(app, now=moment)["fired"] >= 1


def run_scenario(app, process_id, steps):
    start = steps[0]["start"] if "start" in steps[0] else {}
    instance_id = start_instance(app, process_id, start, ADMIN)["id"]
    for step in steps[1:] if "start" in steps[0] else steps:
        if "timer" in step:
            _fire(app, instance_id, step["timer"])
        else:
            task = _open_task(app, instance_id, step["task"])
            complete_task(app, task["id"], step.get("data", {}), ADMIN)
    return get_instance(app, instance_id, ADMIN)


@pytest.mark.parametrize("scenario, process_id", [
    ("achat_public_sans_publicite", "achat_public"),
    ("achat_public_mapa", "achat_public"),
    ("achat_public_appel_offres", "achat_public"),
    ("deliberation_sans_quorum", "deliberation"),
])
def test_phase_scenarios_reach_the_end(library, scenario, process_id):
    app, _ = library
    steps = json.loads((SCENARIOS / f"{scenario}.json").read_text())
    final = run_scenario(app, process_id, steps)
    assert final["status"] == "completed", final["open_tasks"]


def test_the_whole_chain_runs_for_a_territory(library):
    app, _ = library
    steps = json.loads((SCENARIOS / "pass_numerique_happy.json").read_text())
    final = run_scenario(app, "pass_numerique", steps)
    assert final["status"] == "completed", final["open_tasks"]
    data = final["data"]
    assert data["deliberation_executoire"] and data["convention_anct_signee"] and data["achat_realise"]
    assert data["procedure"] == "mapa"
