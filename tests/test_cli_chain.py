"""A whole chain driven through separate CLI processes: every step loads its instance
afresh from the database, as an operator's shell, a restarted server or a worker does."""
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from helpers import sqlite_settings
from server.cli import SENT_BACK_EXIT as SENT_BACK
from test_library import LIBRARY, SCENARIOS, _ledger, _matches, check_state
from workflows.services import open_conventio
from workflows.store.models import TaskRecord

CONVENTIO = [str(Path(sys.executable).with_name("conventio"))]


class Shell:
    """Runs `conventio` commands in their own processes on one data directory."""

    def __init__(self, tmp_path):
        self.env = dict(os.environ, CONVENTIO_DATA_DIR=str(tmp_path / "data"))
        self.env.pop("CONVENTIO_DATABASE_URL", None)
        self.cwd = tmp_path
        self.db = None

    def __call__(self, *args, exit_code=0):
        done = subprocess.run([*CONVENTIO, *args], capture_output=True, text=True, env=self.env, cwd=self.cwd,
                              timeout=120)
        assert done.returncode == exit_code, (args[:3], done.stdout, done.stderr)
        return done.stdout

    def rows(self, statement):
        """Read-only look at the task rows (finding a task's id is not the step under test)."""
        if self.db is None:
            self.db = create_engine(f"sqlite:///{self.cwd / 'data' / 'conventio.db'}")
        with self.db.connect() as connection:
            return connection.execute(statement).all()


def _open_task(shell, instance_id, step):
    rows = shell.rows(select(TaskRecord.id, TaskRecord.body).where(
        TaskRecord.instance_id == instance_id, TaskRecord.state == "ready", TaskRecord.bpmn_id == step["task"]))
    for task_id, body in rows:
        if not step.get("where") or _matches(json.loads(body).get("data", {}), step["where"]):
            return task_id
    pytest.fail(f"tâche {step['task']} {step.get('where') or ''} absente")


def _sent_back(steps, position):
    """Whether the scenario expects the step at `position` sent back: the next step expects its
    task open again."""
    following = steps[position + 1] if position + 1 < len(steps) else {}
    return steps[position]["task"] in following.get("expect", {}).get("open", ())


def _due(shell, instance_id, timer):
    rows = shell.rows(select(TaskRecord.due_at).where(
        TaskRecord.instance_id == instance_id, TaskRecord.state == "waiting", TaskRecord.bpmn_id == timer))
    assert rows and rows[0][0], f"minuteur {timer} non armé"
    return datetime.fromisoformat(str(rows[0][0])).replace(tzinfo=timezone.utc)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["achat_public_appel_offres", "pass_numerique_happy"])
def test_a_whole_chain_through_separate_cli_processes(tmp_path, name):
    scenario = json.loads((SCENARIOS / f"{name}.json").read_text())
    shell = Shell(tmp_path)
    shell("db", "upgrade")
    shell("deploy", str(LIBRARY))
    shell("users", "add", "agent", "--role", "admin")
    steps = scenario["steps"]
    started = json.loads(shell("instances", "start", scenario["process"], "--data", json.dumps(steps[0]["start"]),
                               "--json"))
    instance_id = started["id"]
    # The ledger's records go through its service on the same database, as a page or the
    # API records them while the chain's steps go through the command line.
    books = open_conventio(sqlite_settings(tmp_path / "data"))
    campaign, saved = None, {}
    for position, step in enumerate(steps[1:], 1):
        if "ledger" in step:
            campaign = _ledger(books, instance_id, campaign, step, steps[0]["start"].get("territoire", "FR"), saved)
        elif "timer" in step:
            due = _due(shell, instance_id, step["timer"])
            report = shell("timers", "run-due", "--now", (due + timedelta(seconds=1)).isoformat())
            assert not report.startswith("0 minuteur"), report
        elif "expect" in step:
            check_state(json.loads(shell("instances", "show", str(instance_id), "--json")), step["expect"])
        else:
            assert "refused" not in step, "les refus sont vérifiés par les scénarios du module test_library"
            # A step the model's own checks send back exits 3 with the reason (the scenario then
            # expects the same task open again); any other completion exits 0.
            shell("tasks", "complete", _open_task(shell, instance_id, step), "--data",
                  json.dumps(step.get("data", {})), "--as", "agent",
                  exit_code=SENT_BACK if _sent_back(steps, position) else 0)
    assert json.loads(shell("instances", "show", str(instance_id), "--json"))["error"] is None
    books.close()
