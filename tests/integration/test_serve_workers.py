"""`conventio serve --workers 2`: real server processes (gunicorn) on SQLite and PostgreSQL, many
clients completing one task at once: one completion, every other one a conflict; the timers
run in one worker only."""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
from sqlalchemy import func, select

from bpmn_builder import sequence, user_task
from helpers import ADMIN, ROOT, deploy_xml
from workflows.services import open_conventio
from workflows.services.users import add_user
from workflows.store.models import AuditEntry

PASSWORD = "mot-de-passe-des-workers"
STEPS = sequence("etapes", ("first", user_task("first", "Première")), ("second", user_task("second", "Deuxième")))
CLIENTS = 8
TIMERS_LINE = "minuteurs et tâches de fond : dans ce processus"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(port, method, path, body=None, token=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = connection.getresponse()
    status, content = response.status, json.loads(response.read() or b"null")
    connection.close()
    return status, content


@pytest.fixture
def served(any_db_settings, tmp_path):
    """A `serve --workers 2` on the test's database, with a model and a user: (port, log path)."""
    setup = open_conventio(any_db_settings)
    deploy_xml(setup, {"etapes.bpmn": STEPS})
    add_user(setup, "chef", ["admin"], [], PASSWORD)
    setup.close()
    port, log_path = free_port(), tmp_path / "serve.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT), CONVENTIO_DATA_DIR=str(any_db_settings.data_dir),
               CONVENTIO_DATABASE_URL=any_db_settings.database_url,
               CONVENTIO_SECRET_KEY="cle-des-workers-" + uuid.uuid4().hex,
               CONVENTIO_AUDIT_KEY="journal-des-workers-" + uuid.uuid4().hex, CONVENTIO_TIMER_INTERVAL="1")
    with log_path.open("w") as log:
        server = subprocess.Popen([sys.executable, "-c", "from server.cli import main; main()", "serve",
                                   "--port", str(port), "--workers", "2", "--threads", "4"],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(lambda: log_path.read_text().count("Booting worker") == 2 and TIMERS_LINE in log_path.read_text()
                  and _answers(port), server, log_path)
        yield port, log_path
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


def _answers(port):
    try:
        return call(port, "GET", "/api/v1/openapi.json")[0] == 200
    except OSError:
        return False


def _wait_for(ready, server, log_path, timeout=90):
    deadline = time.monotonic() + timeout
    while not ready():
        assert server.poll() is None, log_path.read_text()[-3000:]
        assert time.monotonic() < deadline, log_path.read_text()[-3000:]
        time.sleep(0.2)


def test_two_workers_serve_and_complete_each_task_once_under_concurrency(served, any_db_settings):
    port, log_path = served
    status, body = call(port, "POST", "/api/v1/auth/token", {"username": "chef", "password": PASSWORD})
    assert status == 200, body
    token = body["token"]
    for _round in range(3):
        status, instance = call(port, "POST", "/api/v1/processes/etapes/instances", {"data": {}}, token)
        assert status == 201, instance
        [task] = call(port, "GET", f"/api/v1/tasks?instance_id={instance['id']}", token=token)[1]
        statuses, start = [], threading.Barrier(CLIENTS)

        def complete():
            start.wait()
            statuses.append(call(port, "POST", f"/api/v1/tasks/{task['id']}/complete", {"data": {}}, token)[0])

        clients = [threading.Thread(target=complete) for _ in range(CLIENTS)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(60)
        assert sorted(statuses) == [200] + [409] * (CLIENTS - 1), statuses
        state = call(port, "GET", f"/api/v1/instances/{instance['id']}", token=token)[1]
        assert [t["name"] for t in state["open_tasks"]] == ["Deuxième"]
    app = open_conventio(any_db_settings, migrate=False)
    try:
        with app.db.sessions() as session:
            assert session.execute(select(func.count()).select_from(AuditEntry)
                                   .where(AuditEntry.action == "completion")).scalar() == 3
    finally:
        app.close()
    assert log_path.read_text().count(TIMERS_LINE) == 1, "the timers run in one worker only"
