"""The application's frame: settings, secret key, tokens, throttle, timers, commands."""
import os
import time
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner

from bpmn_builder import definitions, flow, process
from helpers import deploy_xml
from workflows.jobs.embedded import start_embedded_jobs
from server.commands import demo, serve
from server.config import WebSettings, persisted_secret_key
from server.demo import DEMO_USERS
from server.demo_deployments import DEPLOYMENT_USERS
from server.throttle import LoginThrottle
from server.tokens import sign_token, token_claims
from web_helpers import actor
from workflows.config import Settings
from workflows.services.instances import get_instance, start_instance


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    key = persisted_secret_key(tmp_path)
    assert len(key) > 40 and persisted_secret_key(tmp_path) == key
    assert oct(os.stat(tmp_path / "secret_key").st_mode & 0o777) == "0o600"
    assert WebSettings.from_env(tmp_path, env={"CONVENTIO_SECRET_KEY": "given"}).secret_key == "given"
    assert WebSettings.from_env(tmp_path, env={}).secret_key == key


def test_web_settings_from_the_environment(tmp_path):
    settings = WebSettings.from_env(tmp_path, env={"CONVENTIO_HTTPS": "1", "CONVENTIO_LOGIN_ATTEMPTS": "3"})
    assert settings.https and settings.login_attempts == 3
    assert settings.ldap is None


def test_who_may_start_is_a_core_setting(tmp_path):
    """Every door (pages, API, command line) reads it: it is the core's, not the web server's."""
    assert Settings.from_env(env={}).starter_roles == {"director", "dgs", "legal", "admin"}
    assert Settings.from_env(env={"CONVENTIO_STARTER_ROLES": "dgs, admin"}).starter_roles == {"dgs", "admin"}


def test_tokens_are_signed_and_expire():
    token = sign_token("key", "directrice", "session-secret")
    assert token_claims("key", token, 60) == ("directrice", "session-secret")
    assert token_claims("other key", token, 60) is None
    assert token_claims("key", token + "x", 60) is None
    assert token_claims("key", token, -1) is None


def test_throttle_forgets_after_the_window_and_on_success(conventio):
    now = [datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc)]
    throttle = LoginThrottle(conventio, attempts=2, window_seconds=60, clock=lambda: now[0])
    throttle.failed("Alice", "1.2.3.4")
    throttle.failed("alice", "1.2.3.4")
    assert throttle.retry_after("ALICE", "1.2.3.4") == 60 and throttle.retry_after("alice", "5.6.7.8") == 0
    now[0] += timedelta(seconds=61)
    assert throttle.retry_after("alice", "1.2.3.4") == 0
    throttle.failed("alice", "1.2.3.4")
    throttle.succeeded("alice", "1.2.3.4")
    throttle.failed("alice", "1.2.3.4")
    assert throttle.retry_after("alice", "1.2.3.4") == 0


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src" not in response.headers["Content-Security-Policy"]   # default-src 'self' covers it
    assert response.headers["X-Content-Type-Options"] == "nosniff"


TIMER = definitions(process("relance", "\n".join([
    '<bpmn:startEvent id="start"/>',
    '<bpmn:intermediateCatchEvent id="attendre"><bpmn:timerEventDefinition>'
    '<bpmn:timeDuration>"PT1S"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
    '<bpmn:endEvent id="end"/>', flow("f1", "start", "attendre"), flow("f2", "attendre", "end")])))


def test_the_jobs_serve_starts_fire_due_timers_while_it_runs(conventio):
    deploy_xml(conventio, {"relance.bpmn": TIMER})
    instance_id = start_instance(conventio, "relance", {}, actor(conventio, "admin"))["id"]
    jobs = start_embedded_jobs(conventio)
    try:
        deadline = time.monotonic() + 20
        while get_instance(conventio, instance_id, actor(conventio, "admin"))["status"] != "completed":
            assert time.monotonic() < deadline, "the timer was not fired"
            time.sleep(0.1)
    finally:
        jobs.stop(timeout=10)


def logins(output):
    """The demo's table of logins: {login: (role, territory, password)}, read from its columns."""
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split() == ["Identifiant", "Rôle", "Territoire", "Mot",
                                                                          "de", "passe"])
    starts = [lines[header].index(title) for title in ("Identifiant", "Rôle", "Territoire", "Mot de passe")]
    assert set(lines[header + 1].replace(" ", "")) == {"-"}
    table = {}
    for line in lines[header + 2:]:
        if not line.startswith("  "):   # the notes after the table
            break
        cells = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
        table[cells[0]] = tuple(cells[1:])
    return table


def test_demo_creates_one_user_per_role_once(conventio):
    first = CliRunner().invoke(demo, ["--territory", "vexin"], obj=conventio, env={"CONVENTIO_PORT": None})
    assert first.exit_code == 0, first.output
    table = logins(first.output)
    assert table["directrice"] == ("Direction", "vexin", "inchangé"), "the prepared database has it"
    assert set(table) == set(DEMO_USERS) | set(DEPLOYMENT_USERS)
    assert "conventio users reset-password IDENTIFIANT" in first.output
    assert first.output.count("dgas78") == 1, "each login printed once"
    assert "http://127.0.0.1:8000/login" in first.output and "« conventio serve »" in first.output


def test_demo_on_an_empty_database_prints_its_logins_once_with_the_address_served(tmp_path):
    from helpers import sqlite_settings
    from workflows.services import open_conventio
    from workflows.services.users import authenticate
    fresh = open_conventio(sqlite_settings(tmp_path))
    try:
        result = CliRunner().invoke(demo, [], obj=fresh, env={"CONVENTIO_PORT": "8123", "CONVENTIO_HOST": None})
        assert result.exit_code == 0, result.output
        table = logins(result.output)
        role, territory, password = table["dgs"]
        assert (role, territory) == ("DGS", "cap-nord")
        assert authenticate(fresh, "dgs", password).roles == {"dgs"}
        hub = table["hub"]
        assert hub[:2] == ("Observateur", "hub-antilles-guyane")
        assert authenticate(fresh, "hub", hub[2]).roles == {"observer"}
        assert "Notez ces mots de passe : ils ne seront plus affichés." in result.output
        assert "http://127.0.0.1:8123/login" in result.output and "conventio serve --port 8123" in result.output
        assert "8000" not in result.output
        again = CliRunner().invoke(demo, ["--host", "0.0.0.0", "--port", "9001"], obj=fresh,
                                   env={"CONVENTIO_PORT": None})
        assert {password for _, _, password in logins(again.output).values()} == {"inchangé"}
        assert "ils ne seront plus affichés" not in again.output
        assert "déjà chargés, rien n’a changé" in again.output
        assert "« conventio serve --host 0.0.0.0 --port 9001 »" in again.output
        assert "http://127.0.0.1:9001/login" in again.output
    finally:
        fresh.close()


def test_serve_runs_waitress_with_the_embedded_jobs(conventio, monkeypatch):
    import waitress
    calls = {}

    def fake_serve(app, **options):
        calls.update(options, app=app)
        import threading
        calls["jobs_thread"] = any(t.name == "conventio-jobs" for t in threading.enumerate())

    monkeypatch.setattr(waitress, "serve", fake_serve)
    result = CliRunner().invoke(serve, ["--host", "127.0.0.1", "--port", "8123"], obj=conventio)
    assert result.exit_code == 0, result.output
    assert (calls["host"], calls["port"]) == ("127.0.0.1", 8123) and calls["jobs_thread"]
    assert calls["app"].extensions["conventio"] is conventio
