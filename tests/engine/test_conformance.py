"""Diagrams drawn by others (SpiffWorkflow's own test corpus) deploy, start, persist and run.

valid/: every unit deploys; each top-level process starts; its save/restore round trip
gives the same state; the ones with user tasks are driven to the end through the task
service. invalid/: each is refused with the file, the element and the reason, and
nothing of it is deployed.
"""
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from helpers import ADMIN, CONFORMANCE, sqlite_settings, with_instances
from workflows.engine.serialization import full_json
from workflows.errors import ModelRejected
from workflows.services import open_conventio
from workflows.services.deploy import collect_sources, deploy_sources
from workflows.services.instances import get_instance, start_instance
from workflows.services.persistence import load_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.services.timers import run_due_timers
from workflows.store.models import ProcessDefinition, ProcessInstance

pytestmark = pytest.mark.skipif(not CONFORMANCE.exists(), reason=f"corpus absent : {CONFORMANCE}")

TOMORROW = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()

# What each unit needs to start and to get through its gateways (read off its conditions).
START_DATA = {
    "Timer-Intermediate.bpmn20.xml": {"due_time": TOMORROW},
    "spiff_multiinstance.bpmn": {"input_data": [1, 2, 3]},
}
TASK_DATA = {
    "inclusive_gateway.bpmn": {"u": 1, "v": 0, "w": 1},
    "lanes.bpmn": {"NeedClarification": "No"},
    "spiff_multiinstance.bpmn": {"output_item": 0},
}
# Processes that only make sense called by another one of their unit.
CALLED_ONLY = {"Nested-Sub-level1", "Nested-Sub-level2"}


def units(kind):
    folder = CONFORMANCE / kind
    return sorted(p.name for p in folder.iterdir() if p.name != "README.md") if folder.exists() else []


def _started_processes(deployed):
    return [d.process_id for d in deployed if not any(c in d.name for c in CALLED_ONLY)]


def _round_trip_equal(app, instance_id):
    warm = app.cache.take(instance_id, _version(app, instance_id))
    assert warm is not None, "l’instance aurait dû rester en cache après son pas"
    with app.db.sessions() as session:
        cold = load_instance(app, session, session.get(ProcessInstance, instance_id))
    app.cache.put(instance_id, _version(app, instance_id), warm)
    assert json.loads(full_json(cold.workflow)) == json.loads(full_json(warm.workflow))


def _version(app, instance_id):
    with app.db.sessions() as session:
        return session.get(ProcessInstance, instance_id).version


def _drive_to_end(app, instance_id, task_data, max_rounds=50):
    later = datetime.now(timezone.utc) + timedelta(days=400)
    for _ in range(max_rounds):
        state = get_instance(app, instance_id, ADMIN)
        if state["status"] == "completed":
            return state
        tasks = list_tasks(app, ADMIN, instance_id=instance_id)
        if tasks:
            complete_task(app, tasks[0]["id"], dict(task_data), ADMIN)
        else:
            assert run_due_timers(app, now=later)["fired"] > 0, f"instance bloquée : {state}"
    pytest.fail(f"instance {instance_id} non terminée après {max_rounds} actions")


@pytest.mark.parametrize("unit", units("valid"))
def test_valid_unit_deploys_starts_round_trips_and_runs(app, unit):
    deployed = deploy_sources(app, collect_sources([CONFORMANCE / "valid" / unit]), ADMIN)
    assert deployed and all(d.created for d in deployed)
    for process_id in _started_processes(deployed):
        started = start_instance(app, process_id, dict(START_DATA.get(unit, {})), ADMIN)
        _round_trip_equal(app, started["id"])
        final = _drive_to_end(app, started["id"], TASK_DATA.get(unit, {}))
        assert final["status"] == "completed"
        _round_trip_equal(app, started["id"])


@pytest.mark.parametrize("unit", units("valid"))
def test_valid_unit_runs_cold_as_it_runs_warm(unit, tmp_path):
    """Every step from an instance loaded afresh, as a CLI command or a restarted server takes it."""
    finals = {}
    for mode in ("warm", "cold"):
        (tmp_path / mode).mkdir()
        app = open_conventio(with_instances(sqlite_settings(tmp_path / mode), mode))
        try:
            deployed = deploy_sources(app, collect_sources([CONFORMANCE / "valid" / unit]), ADMIN)
            finals[mode] = [_drive_to_end(app, start_instance(app, process_id, dict(START_DATA.get(unit, {})),
                                                              ADMIN)["id"], TASK_DATA.get(unit, {}))
                            for process_id in _started_processes(deployed)]
        finally:
            app.close()
    assert [f["status"] for f in finals["cold"]] == ["completed"] * len(finals["warm"])
    assert [f["data"] for f in finals["cold"]] == [f["data"] for f in finals["warm"]]


@pytest.mark.parametrize("unit", units("invalid"))
def test_invalid_unit_is_refused_whole_with_file_element_and_reason(app, unit):
    with pytest.raises(ModelRejected) as refused:
        deploy_sources(app, collect_sources([CONFORMANCE / "invalid" / unit]), ADMIN)
    problems = refused.value.details["problems"]
    assert problems and all(p["file"] and unit in p["file"] for p in problems)
    assert all(p["reason"] for p in problems)
    no_process = "aucun processus exécutable" in problems[0]["reason"]
    assert no_process or any(p["element_id"] or p["element_name"] or p["line"] for p in problems)
    with app.db.sessions() as session:
        assert session.execute(select(func.count()).select_from(ProcessDefinition)).scalar() == 0
