"""Several machines, one installation (issue 17): two `conventio serve` and one `conventio worker`
(and the one `conventio beat`), each with its own EMPTY data directory, sharing only PostgreSQL,
Redis, the document storage (the database) and the keys given in their environment."""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bpmn_builder import sequence, user_task
from helpers import ADMIN, ROOT, deploy_xml
from jobs_helpers import CONVENTIO_CLI, delete_queue, free_port, require_redis, wait_until
from workflows.config import Settings
from workflows.documents import pdf_available
from workflows.documents.examples import EXAMPLES
from workflows.jobs.celery_app import make_celery
from workflows.jobs.settings import JobSettings
from workflows.jobs.tasks import CONVERT_PDFS
from workflows.services import open_conventio
from workflows.services.audit import verify_journal
from workflows.services.users import add_user
from workflows.store.models import AuditEntry

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

POSTGRES_URL = os.environ.get("CONVENTIO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "mot-de-passe-partage"
RELAY = sequence("relais", ("rediger", user_task("rediger", "Rédiger l’acte")),
                 ("delai", '<bpmn:intermediateCatchEvent id="delai" name="Délai"><bpmn:timerEventDefinition>'
                           '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">echeance</bpmn:timeDate>'
                           '</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'),
                 ("signer", user_task("signer", "Signer l’acte")),
                 lanes={"Service juridique": ["rediger", "signer"]})


def throwaway_database():
    import psycopg
    try:
        admin = psycopg.connect(POSTGRES_URL, connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL injoignable ({POSTGRES_URL}) : démarrez-le (pg_ctlcluster 15 main start) "
                    f"ou réglez CONVENTIO_TEST_POSTGRES_URL. {exc}")
    name = f"conventio_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    return admin, name, f"{POSTGRES_URL.rsplit('/', 1)[0]}/{name}"


class Machine:
    """One `conventio` process with its own data directory and the installation's shared settings."""

    def __init__(self, folder, shared, args):
        folder.mkdir()
        self.data_dir, self.log_path = folder / "data", folder / "process.log"
        self.env = dict(os.environ, PYTHONPATH=str(ROOT), CONVENTIO_DATA_DIR=str(self.data_dir), **shared)
        self.port = free_port() if args[0] == "serve" else None
        args = [*args, "--port", str(self.port)] if self.port else args
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen([sys.executable, "-c", CONVENTIO_CLI, *args], cwd=ROOT, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def log(self):
        return self.log_path.read_text()

    def wait_for(self, text):
        wait_until(lambda: text in self.log() or self.process.poll() is not None, 90,
                   f"processus pas prêt : {self.log()[-2000:]}")
        assert self.process.poll() is None, self.log()[-3000:]

    def cli(self, *args):
        return subprocess.Popen([sys.executable, "-c", CONVENTIO_CLI, *args], cwd=ROOT, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def request(self, method, path, body=None, token=None):
        """(status, bytes, headers) of one HTTP request to this server."""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers

    def json(self, method, path, body=None, token=None):
        status, content, _headers = self.request(method, path, body, token)
        return status, json.loads(content or b"null")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    broker = require_redis()
    admin, name, url = throwaway_database()
    tmp = tmp_path_factory.mktemp("plusieurs-machines")
    shared = {"CONVENTIO_DATABASE_URL": url, "CONVENTIO_BROKER_URL": broker,
              "CONVENTIO_JOBS_QUEUE": f"conventio-test-{uuid.uuid4().hex[:10]}",
              "CONVENTIO_SECRET_KEY": "cle-partagee-" + uuid.uuid4().hex, "CONVENTIO_AUDIT_KEY": uuid.uuid4().hex,
              "CONVENTIO_DOCUMENT_STORAGE": "database", "CONVENTIO_TIMER_INTERVAL": "1"}
    settings = Settings.from_env(env={**shared, "CONVENTIO_DATA_DIR": str(tmp / "installation")})
    setup = open_conventio(settings)   # the operator's `conventio db upgrade`, `deploy`, `users add`
    deploy_xml(setup, {"relais.bpmn": RELAY})
    add_user(setup, "juriste", ["legal"], ["cap-nord"], PASSWORD, "Jeanne Juriste")
    machines = {}
    celery = make_celery(settings, JobSettings.from_env(shared))
    try:
        for machine, args in (("serveur1", ["serve"]), ("serveur2", ["serve"]), ("worker", ["worker", "--pool=solo"]),
                              ("beat", ["beat"])):
            machines[machine] = Machine(tmp / machine, shared, args)
        for machine in ("serveur1", "serveur2"):
            machines[machine].wait_for("Serving on")
        machines["worker"].wait_for("ready.")
        yield setup, machines, celery
    finally:
        for machine in machines.values():
            machine.stop()
        delete_queue(celery, shared["CONVENTIO_JOBS_QUEUE"])
        setup.close()
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def token_from(server):
    status, body = server.json("POST", "/api/v1/auth/token", {"username": "juriste", "password": PASSWORD})
    assert status == 200, body
    return body["token"]


def started(server, token, data):
    status, body = server.json("POST", "/api/v1/processes/relais/instances", {"data": data, "territory": "cap-nord"},
                               token)
    assert status == 201, body
    return body["id"]


def test_a_token_taken_on_the_first_server_works_on_the_second(installation):
    _setup, machines, _celery = installation
    token = token_from(machines["serveur1"])
    status, tasks = machines["serveur2"].json("GET", "/api/v1/tasks", token=token)
    assert status == 200 and isinstance(tasks, list)
    assert machines["serveur2"].json("GET", "/api/v1/tasks", token=token + "x")[0] == 401


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) absent : installez libreoffice-writer-nogui")
def test_a_document_made_through_the_first_is_downloaded_through_the_second_with_the_workers_pdf(installation):
    _setup, machines, celery = installation
    first, second = machines["serveur1"], machines["serveur2"]
    token = token_from(first)
    instance_id = started(first, token, EXAMPLES["extrait_deliberation"])
    status, made = first.json("POST", f"/api/v1/instances/{instance_id}/documents",
                              {"template": "extrait_deliberation"}, token)
    assert status == 201 and not made["has_pdf"], made
    status, content, headers = second.request("GET", f"/api/v1/documents/{made['id']}", token=token)
    assert status == 200 and content.startswith(b"PK")
    assert headers["Content-Disposition"].endswith("extrait_deliberation-v1.docx")

    celery.send_task(CONVERT_PDFS)   # what beat sends every 30 s
    wait_until(lambda: second.json("GET", f"/api/v1/instances/{instance_id}/documents", token=token)[1][0]["has_pdf"],
               120, "PDF jamais produit par le worker")
    status, pdf, _headers = second.request("GET", f"/api/v1/documents/{made['id']}?format=pdf", token=token)
    assert status == 200 and pdf.startswith(b"%PDF")
    assert f"{CONVERT_PDFS}[" in machines["worker"].log()


def test_a_task_completed_on_the_second_is_seen_on_the_first_and_its_timer_fires_once(installation):
    setup, machines, _celery = installation
    first, second = machines["serveur1"], machines["serveur2"]
    token = token_from(second)
    instance_id = started(first, token, {})
    [task] = second.json("GET", f"/api/v1/tasks?instance_id={instance_id}", token=token)[1]
    due = datetime.now(timezone.utc) + timedelta(seconds=3)
    status, body = second.json("POST", f"/api/v1/tasks/{task['id']}/complete",
                               {"data": {"echeance": due.isoformat()}}, token)
    assert status == 200, body
    seen = first.json("GET", f"/api/v1/instances/{instance_id}", token=token)[1]
    assert task["id"] not in [t["id"] for t in seen["open_tasks"]]

    wait_until(lambda: datetime.now(timezone.utc) >= due, 30, "échéance jamais atteinte")
    # Both servers' sweeps at once, and beat's through the worker: the timer fires once.
    sweeps = [server.cli("timers", "run-due") for server in (first, second)]
    assert all(sweep.wait(timeout=120) == 0 for sweep in sweeps), [sweep.stderr.read() for sweep in sweeps]
    wait_until(lambda: [t["name"] for t in first.json("GET", f"/api/v1/instances/{instance_id}",
                                                      token=token)[1]["open_tasks"]] == ["Signer l’acte"],
               60, "minuteur jamais déclenché")
    time.sleep(2)   # more sweeps of beat: nothing may fire twice
    with setup.db.sessions() as session:
        firings = session.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "minuteur", AuditEntry.instance_id == instance_id)).scalar()
    assert firings == 1


def test_each_machine_keeps_its_own_cache_signed_with_the_shared_key_and_nothing_else(installation):
    setup, machines, _celery = installation
    token = token_from(machines["serveur1"])
    instance_id = started(machines["serveur1"], token, {})
    [task] = machines["serveur2"].json("GET", f"/api/v1/tasks?instance_id={instance_id}", token=token)[1]
    assert machines["serveur2"].json("GET", f"/api/v1/tasks/{task['id']}", token=token)[0] == 200
    for machine in ("serveur1", "serveur2"):
        data_dir = machines[machine].data_dir
        assert list((data_dir / "cache" / "definitions").glob("*.pickle")), machine
        assert not (data_dir / "secret_key").exists() and not (data_dir / "audit_key").exists()
        assert not (data_dir / "documents").exists()
    assert verify_journal(setup).ok
