"""Real OS processes racing on one database (SQLite file and PostgreSQL)."""
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bpmn_builder import sequence, user_task
from helpers import ADMIN, ROOT, deploy_xml
from workflows.services.instances import get_instance, start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.audit import verify
from workflows.store.models import AuditEntry, ProcessInstance, TaskRecord

WORKER = Path(__file__).with_name("race_worker.py")
TWO_STEPS = sequence("two", ("first", user_task("first", "Première étape")),
                     ("second", user_task("second", "Deuxième étape")))
TIMED = sequence("timed", ("delay", '<bpmn:intermediateCatchEvent id="delay"><bpmn:timerEventDefinition>'
                                    '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P11D"'
                                    '</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'),
                 ("after", user_task("after", "Signer après le délai de suspension")))


def spawn(mode, url, barrier, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, str(WORKER), mode, url, str(barrier), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def race(url, barrier, mode, args_per_worker, timeout=60):
    barrier.mkdir(parents=True, exist_ok=True)
    workers = [spawn(mode, url, barrier, *args) for args in args_per_worker]
    deadline = time.monotonic() + timeout
    while len(list(barrier.glob("ready-*"))) < len(workers):
        assert time.monotonic() < deadline, "les processus ne sont pas prêts"
        time.sleep(0.01)
    (barrier / "go").touch()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=timeout)
        assert worker.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def count(app, model, *conditions):
    with app.db.sessions() as session:
        return session.execute(select(func.count()).select_from(model).where(*conditions)).scalar()


@pytest.mark.parametrize("round_", range(3))
def test_two_processes_completing_one_task_exactly_one_wins(any_app, any_db_settings, tmp_path, round_):
    deploy_xml(any_app, {"two.bpmn": TWO_STEPS})
    instance_id = start_instance(any_app, "two", {}, ADMIN)["id"]
    task_id = list_tasks(any_app, ADMIN, instance_id=instance_id)[0]["id"]
    results = race(any_db_settings.database_url, tmp_path / "barrier", "complete", [[task_id], [task_id]])
    assert sorted(r["ok"] for r in results) == [False, True], results
    assert [r["error"] for r in results if not r["ok"]] == ["conflit"]
    any_app.cache.clear()
    state = get_instance(any_app, instance_id, ADMIN)
    assert [t["name"] for t in state["open_tasks"]] == ["Deuxième étape"]
    assert count(any_app, AuditEntry, AuditEntry.action == "completion") == 1
    with any_app.db.sessions() as session:
        assert verify(session).ok


def test_two_timer_runners_fire_each_timer_once(any_app, any_db_settings, tmp_path):
    deploy_xml(any_app, {"timed.bpmn": TIMED})
    ids = [start_instance(any_app, "timed", {}, ADMIN)["id"] for _ in range(20)]
    later = (datetime.now(timezone.utc) + timedelta(days=12)).isoformat()
    results = race(any_db_settings.database_url, tmp_path / "barrier", "timers", [[later], [later]])
    assert all(r["ok"] for r in results), results
    assert sum(r["result"]["fired"] for r in results) == 20
    assert count(any_app, AuditEntry, AuditEntry.action == "minuteur") == 20
    for instance_id in ids:
        ready = count(any_app, TaskRecord, TaskRecord.instance_id == instance_id, TaskRecord.state == "ready",
                      TaskRecord.manual.is_(True))
        assert ready == 1


def test_a_process_killed_mid_step_leaves_the_last_committed_state(any_app, any_db_settings, tmp_path):
    deploy_xml(any_app, {"two.bpmn": TWO_STEPS})
    instance_id = start_instance(any_app, "two", {}, ADMIN)["id"]
    task_id = list_tasks(any_app, ADMIN, instance_id=instance_id)[0]["id"]
    with any_app.db.sessions() as session:
        before = session.get(ProcessInstance, instance_id).version
    journal_before = count(any_app, AuditEntry)
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    worker = spawn("hang", any_db_settings.database_url, barrier, task_id)
    deadline = time.monotonic() + 60
    while not (barrier / "in-commit").exists():
        assert worker.poll() is None, worker.stderr.read()
        assert time.monotonic() < deadline, "le processus n’a pas atteint la validation"
        time.sleep(0.01)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)

    any_app.cache.clear()
    with any_app.db.sessions() as session:
        assert session.get(ProcessInstance, instance_id).version == before
        assert session.get(TaskRecord, task_id).state == "ready"
        assert verify(session).ok
    assert count(any_app, AuditEntry) == journal_before
    assert [t["id"] for t in get_instance(any_app, instance_id, ADMIN)["open_tasks"]] == [task_id]
    complete_task(any_app, task_id, {}, ADMIN)   # the database is usable again, locks released
    assert [t["name"] for t in get_instance(any_app, instance_id, ADMIN)["open_tasks"]] == ["Deuxième étape"]
