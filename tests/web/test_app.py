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


def test_demo_creates_one_user_per_role_once(conventio):
    runner = CliRunner()
    first = runner.invoke(demo, ["--territory", "vexin"], obj=conventio)
    assert first.exit_code == 0, first.output
    assert "directrice" in first.output and "existe déjà" in first.output, "the prepared database has them"
    conventio_users = {u for u in ("elu", "admin", "anct")}
    assert all(u in first.output for u in conventio_users)
    assert "http://127.0.0.1:8000/login" in first.output


def test_demo_on_an_empty_database_prints_passwords(tmp_path):
    from helpers import sqlite_settings
    from workflows.services import open_conventio
    from workflows.services.users import authenticate
    fresh = open_conventio(sqlite_settings(tmp_path))
    try:
        result = CliRunner().invoke(demo, [], obj=fresh)
        assert result.exit_code == 0, result.output
        line = next(l for l in result.output.splitlines() if l.strip().startswith("dgs "))
        password = line.split("mot de passe : ")[1].strip()
        assert authenticate(fresh, "dgs", password).roles == {"dgs"}
        assert "8 déployé(s)" in result.output or "déployé(s)" in result.output
        again = CliRunner().invoke(demo, [], obj=fresh)
        assert again.output.count("existe déjà") == len(DEMO_USERS) + len(DEPLOYMENT_USERS)
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
