"""Hostile input gets a clear 4xx (JSON under /api, a French page elsewhere), never a 500; a
database that is down or restarting gets a 503 and the server recovers once it is back.

Each case on the embedded SQLite and on PostgreSQL: what one database stores, the other may refuse.
"""
import json
import socket
import threading

import pytest
from sqlalchemy import func, select

from bpmn_builder import definitions, flow, process, user_task
from conftest import web_settings
from helpers import deploy_xml, sqlite_settings
from server import create_app
from web_helpers import PASSWORD, api_token, csrf_token, login
from workflows.config import Settings
from workflows.services import open_conventio
from workflows.services.users import add_user
from workflows.store.models import ProcessInstance

HUGE = 2 ** 70
MODEL = definitions(process("demande", "\n".join([
    '<bpmn:startEvent id="start"/>', user_task("instruire", "Instruire la demande"), '<bpmn:endEvent id="end"/>',
    flow("f1", "start", "instruire"), flow("f2", "instruire", "end")]), lanes={"Service juridique": ["instruire"]}))
WRITE_ROUTES = ["/api/v1/auth/token", "/api/v1/processes/demande/instances", "/api/v1/tasks/{task}/complete",
                "/api/v1/instances/{instance}/documents"]


def _server(conventio):
    add_user(conventio, "agent", ["legal", "admin"], ["cap-nord"], PASSWORD, "Agent")
    deploy_xml(conventio, {"demande.bpmn": MODEL})
    return create_app(conventio=conventio, test_config={"TESTING": True, "WEB_SETTINGS": web_settings()})


@pytest.fixture
def server(any_db_settings):
    conventio = open_conventio(any_db_settings)
    yield _server(conventio)
    conventio.close()


@pytest.fixture
def api(server):
    client = server.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = api_token(client, "agent")["Authorization"]
    return client


def started(api):
    response = api.post("/api/v1/processes/demande/instances", json={"territory": "cap-nord", "data": {}})
    assert response.status_code == 201, response.get_json()
    instance = response.get_json()["id"]
    [task] = api.get(f"/api/v1/tasks?instance_id={instance}").get_json()
    return instance, task["id"]


def instance_count(server):
    with server.extensions["conventio"].db.sessions() as session:
        return session.scalar(select(func.count()).select_from(ProcessInstance))


def refused(response, status=422):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error", "message", "details"} and body["message"]
    return body


# --- bodies ----------------------------------------------------------------------------------------
def test_json_nested_deep_is_refused_on_every_write_route(api):
    instance, task = started(api)
    for route in WRITE_ROUTES:
        for depth in (100_000, 990, 65):
            deep = '{"data": ' + "[" * depth + "]" * depth + "}"
            body = refused(api.post(route.format(task=task, instance=instance), data=deep,
                                    content_type="application/json"))
            assert "imbriqué" in body["message"], (route, depth)
    assert instance_count(api.application) == 1


def test_a_json_nested_within_the_bound_is_still_read(api):
    shallow = {"data": {"a": [[[[{"b": 1}]]]]}, "territory": "cap-nord"}
    assert api.post("/api/v1/processes/demande/instances", json=shallow).status_code == 201


@pytest.mark.parametrize("text, problem", [("\ud800", "demi-paire UTF-16"), ("a\x00b", "caractère nul")],
                         ids=["lone surrogate", "NUL"])
def test_an_unstorable_text_in_a_title_a_value_or_a_key_is_named(api, text, problem):
    # json.dumps writes the lone surrogate as \ud800, as a hostile client would
    for body, field in [({"title": text, "data": {}}, "title"), ({"data": {"objet": text}}, "data.objet"),
                        ({"data": {text: 1}}, f"data.{text}")]:
        refusal = refused(api.post("/api/v1/processes/demande/instances", data=json.dumps(body),
                                   content_type="application/json"))
        assert problem in refusal["details"][field] and problem in refusal["message"]
    assert instance_count(api.application) == 0


@pytest.mark.parametrize("text", ["\ud800", "a\x00b"], ids=["lone surrogate", "NUL"])
def test_an_unstorable_login_is_refused_by_the_api_and_the_login_page(server, text):
    client = server.test_client()
    refused(client.post("/api/v1/auth/token", data=json.dumps({"username": text, "password": "x"}),
                        content_type="application/json"))
    refused(client.post("/api/v1/auth/token", data=json.dumps({"username": "agent", "password": text}),
                        content_type="application/json"))
    if "\x00" in text:   # a form cannot carry a lone surrogate: the browser encodes UTF-8
        page = client.post("/login", data={"username": text, "password": "x", "csrf_token": csrf_token(client)})
        assert page.status_code == 400 and "caractère nul" in page.get_data(as_text=True)


def test_a_nul_in_a_path_or_a_query_is_refused(api):
    refused(api.get("/api/v1/tasks/a%00b"), 400)
    refused(api.get("/api/v1/processes/de%00mande/start-form"), 400)
    refused(api.get("/api/v1/instances?process_id=a%00b"), 400)


def test_integers_beyond_what_the_database_holds_are_a_4xx_in_paths_queries_and_bodies(api):
    instance, task = started(api)
    # identifiers and versions are INTEGER columns (32 bits on PostgreSQL): beyond, nothing is there
    for path in (f"/api/v1/instances/{HUGE}", f"/api/v1/instances/{HUGE}/documents", f"/api/v1/documents/{HUGE}",
                 f"/api/v1/instances/{2 ** 31}", f"/api/v1/instances/{2 ** 63 - 1}", f"/instances/{HUGE}"):
        assert api.get(path).status_code == 404, path
    for path in (f"/api/v1/instances/{HUGE}/documents", f"/api/v1/instances/{2 ** 31}/documents"):
        refused(api.post(path, json={"template": "convention_anct"}), 404)   # not a 405
    for path in (f"/api/v1/instances/{2 ** 31 - 1}", f"/api/v1/documents/{2 ** 31 - 1}",
                 f"/api/v1/processes/demande/start-form?version={2 ** 31 - 1}"):
        refused(api.get(path), 404)
    for path in (f"/api/v1/tasks?instance_id={HUGE}", f"/api/v1/tasks?instance_id={2 ** 31}",
                 f"/api/v1/processes/demande/start-form?version={HUGE}", "/api/v1/tasks?instance_id=0",
                 "/api/v1/processes/demande/start-form?version=²", "/api/v1/tasks?instance_id=-1"):
        assert "nombre entier" in refused(api.get(path))["message"], path
    for version in (HUGE, -HUGE, 2 ** 31, 0):
        refusal = refused(api.post("/api/v1/processes/demande/instances", json={"version": version, "data": {}}))
        assert "version" in refusal["details"]
    refused(api.post("/api/v1/processes/demande/instances", json={"version": 2 ** 31 - 1, "data": {}}), 404)
    # in the data, a large integer is only a value: JSON holds it, so does the stored state
    response = api.post("/api/v1/processes/demande/instances", json={"territory": "cap-nord",
                                                                     "data": {"montant": HUGE}})
    assert response.status_code == 201
    assert api.get(f"/api/v1/instances/{response.get_json()['id']}").get_json()["data"]["montant"] == HUGE
    assert api.post(f"/api/v1/tasks/{task}/complete", json={"data": {"n": HUGE}}).status_code == 200
    assert instance_count(api.application) == 2


def test_non_finite_numbers_are_refused(api):
    for text in ('{"data": {"x": NaN}}', '{"data": {"x": Infinity}}', '{"data": {"x": 1e400}}'):
        refused(api.post("/api/v1/processes/demande/instances", data=text, content_type="application/json"))
    assert instance_count(api.application) == 0


def test_control_characters_in_document_data_are_named_not_a_500(api):
    from workflows.documents.examples import CONVENTION_ANCT
    # a vertical tab, as Word pastes a manual line break: valid JSON, but no .docx can hold it
    data = dict(CONVENTION_ANCT, collectivite="CAP Nord\x0bMartinique")
    response = api.post("/api/v1/processes/demande/instances", json={"territory": "cap-nord", "data": data})
    instance = response.get_json()["id"]
    refusal = refused(api.post(f"/api/v1/instances/{instance}/documents", json={"template": "convention_anct"}))
    assert "« collectivite »" in refusal["message"] and "U+000B" in refusal["message"]
    data["collectivite"] = "CAP Nord"
    response = api.post("/api/v1/processes/demande/instances", json={"territory": "cap-nord", "data": data})
    assert api.post(f"/api/v1/instances/{response.get_json()['id']}/documents",
                    json={"template": "convention_anct"}).status_code == 201


# --- the database down, restarting, back ------------------------------------------------------------
class Relay:
    """A TCP relay to PostgreSQL that can be cut (the database unreachable) and put back."""

    def __init__(self, host, port):
        self.target = (host, port)
        self.port = None
        self.listener = None
        self.sockets = []
        self.lock = threading.Lock()

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port or 0), reuse_port=False)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for each in (source, sink):
            try:
                each.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)   # wakes the accepting thread (Linux)
        except OSError:
            pass
        self.listener.close()
        with self.lock:
            for each in self.sockets:
                try:
                    each.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                each.close()
            self.sockets.clear()


@pytest.fixture
def relayed(postgres_url, tmp_path):
    from sqlalchemy.engine import make_url
    url = make_url(postgres_url)
    relay = Relay(url.host, url.port or 5432)
    relay.start()
    conventio = open_conventio(Settings.from_env(
        env={}, data_dir=tmp_path, database_url=url.set(port=relay.port).render_as_string(hide_password=False)))
    yield _server(conventio), relay
    relay.cut()
    conventio.close()


@pytest.mark.postgres
def test_a_database_down_gets_503_json_and_a_french_page_then_the_server_recovers(relayed):
    server, relay = relayed
    api, page = server.test_client(), server.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = api_token(api, "agent")["Authorization"]
    login(page, "agent")
    assert api.get("/api/v1/tasks").status_code == 200

    relay.cut()
    for response in (api.get("/api/v1/tasks"), api.post("/api/v1/processes/demande/instances", json={"data": {}}),
                     server.test_client().post("/api/v1/auth/token", json={"username": "agent", "password": "x"})):
        body = refused(response, 503)
        assert body["error"] == "base_indisponible" and "base de données" in body["message"]
        assert response.headers["Retry-After"]
    down = page.get("/inbox")
    assert down.status_code == 503 and "base de données est momentanément indisponible" in down.get_data(as_text=True)

    relay.start()   # the same port: the database is back, the server was not restarted
    assert api.get("/api/v1/tasks").status_code == 200
    assert page.get("/inbox").status_code == 200
    assert api.post("/api/v1/processes/demande/instances",
                    json={"territory": "cap-nord", "data": {}}).status_code == 201


@pytest.mark.postgres
def test_connections_terminated_by_a_restart_are_replaced_without_error(postgres_url, tmp_path):
    import psycopg
    from sqlalchemy.engine import make_url
    conventio = open_conventio(Settings.from_env(env={}, data_dir=tmp_path, database_url=postgres_url))
    try:
        server = _server(conventio)
        api = server.test_client()
        api.environ_base["HTTP_AUTHORIZATION"] = api_token(api, "agent")["Authorization"]
        assert api.get("/api/v1/tasks").status_code == 200
        with psycopg.connect(postgres_url.rsplit("/", 1)[0] + "/test", autocommit=True) as admin:
            killed = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE datname = %s AND pid <> pg_backend_pid()",
                                   (make_url(postgres_url).database,)).fetchone()[0]
        assert killed >= 1
        assert api.get("/api/v1/tasks").status_code == 200
        assert api.post("/api/v1/processes/demande/instances",
                        json={"territory": "cap-nord", "data": {}}).status_code == 201
    finally:
        conventio.close()


def test_an_unexpected_error_is_a_french_500_json_not_a_traceback(tmp_path, monkeypatch):
    conventio = open_conventio(sqlite_settings(tmp_path))
    try:
        server = _server(conventio)
        server.testing = False   # as in production: the error is handled, not raised to the test
        client = server.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = api_token(client, "agent")["Authorization"]
        import server.api.routes as routes
        monkeypatch.setattr(routes, "list_tasks", lambda *a, **k: 1 / 0)
        body = refused(client.get("/api/v1/tasks"), 500)
        assert body["error"] == "erreur_interne" and "journalisé" in body["message"]
    finally:
        conventio.close()
