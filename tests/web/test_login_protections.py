"""Login protections: the same work for every user name, sessions revoked at logout, the
throttle shared by every server process, the client's address behind a trusted proxy.

No timing here: the work is counted (hashes computed), the rest read from the database.
"""
import ipaddress
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, func, select

from server import create_app
from server.config import WebSettings
from server.throttle import LoginThrottle, resolve_client
from web_helpers import PASSWORD, actor, api_token, csrf_token, login, post, web_settings
from workflows.services import open_conventio
from workflows.services.logins import ANY_NAME, find_account, open_session, password_matches, session_actor
from workflows.services.users import add_user, set_active
from workflows.store.models import LoginFailure, LoginSession, UserAccount

TOKEN = "/api/v1/auth/token"


# --- the same work whether the user exists or not ------------------------------------------
def _stored_method(conventio, username):
    with conventio.db.sessions() as session:
        return session.get(UserAccount, username).password_hash.split("$")[0]


def _page_login(client, username, password):
    token = csrf_token(client)
    return lambda: client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def _api_login(client, username, password):
    return lambda: client.post(TOKEN, json={"username": username, "password": password})


@pytest.mark.parametrize("entry", [_page_login, _api_login], ids=["page", "api"])
def test_every_login_costs_one_hash_of_the_same_cost_whoever_asks(client, conventio, hashes, entry):
    add_user(conventio, "sans-mot-de-passe", ["legal"], ["cap-nord"])          # no password at all
    set_active(conventio, "dgs", False, actor(conventio, "admin"))              # disabled
    method = _stored_method(conventio, "directrice")
    attempts = {
        "known, right password": ("directrice", PASSWORD),
        "known, wrong password": ("juriste", "faux"),
        "unknown": ("personne-de-ce-nom", "faux"),
        "unknown, right password of another": ("directrice2", PASSWORD),
        "disabled, right password": ("dgs", PASSWORD),
        "without password": ("sans-mot-de-passe", "faux"),
        "other case": ("DIRECTRICE", "faux"),
        "control characters": ("directrice\x07", "faux"),
        "NUL": ("directrice\x00", "faux"),      # may be refused as hostile input (400, 422) first
        "too long": ("x" * 1000, "faux"),
    }
    for label, (username, password) in attempts.items():
        send = entry(client.application.test_client(), username, password)
        hashes.clear()
        response = send()
        if response.status_code in (400, 422) and label == "NUL":
            assert hashes == []     # refused before any account is looked at: nothing to tell
            continue
        expected = {200, 302} if label == "known, right password" else {401}
        assert response.status_code in expected, label
        assert hashes == [method], f"{label}: {hashes}"


def test_an_unencodable_password_costs_the_same_hash(conventio, hashes):
    stored = find_account(conventio, "directrice").password_hash
    hashes.clear()
    assert password_matches(stored, "\ud800") is False and password_matches(None, "\ud800") is False
    assert password_matches(stored, "faux") is False and password_matches(stored, PASSWORD) is True
    assert password_matches("!", "faux") is False, "a malformed stored hash still costs one hash"
    assert hashes == [stored.split("$")[0]] * 5


# --- sessions revoked at logout ---------------------------------------------------------------
def _cookie(client):
    return client.get_cookie("conventio_session").value


def _with_cookie(app, value):
    other = app.test_client()
    other.set_cookie("conventio_session", value)
    return other


def test_a_session_cookie_copied_before_logout_is_refused_after(flask_app):
    client = flask_app.test_client()
    login(client, "directrice")
    copied = _cookie(client)
    assert _with_cookie(flask_app, copied).get("/inbox").status_code == 200, "the copy works before"
    assert post(client, "/logout").status_code == 302
    thief = _with_cookie(flask_app, copied)
    page = thief.get("/inbox")
    assert page.status_code == 302 and "/login" in page.location
    assert thief.get("/api/v1/tasks").status_code == 401


def test_a_cookie_without_server_side_session_is_refused(client):
    # a cookie signed before sessions were kept server-side names only its user
    with client.session_transaction() as session:
        session["user"] = "directrice"
    assert client.get("/inbox").status_code == 302


def test_logout_revokes_the_users_api_tokens_not_the_others(flask_app):
    client = flask_app.test_client()
    hers, his = api_token(client, "directrice"), api_token(client, "juriste")
    assert client.get("/api/v1/tasks", headers=hers).status_code == 200
    login(client, "directrice")
    post(client, "/logout")
    refused = client.get("/api/v1/tasks", headers=hers)
    assert refused.status_code == 401 and refused.get_json()["error"] == "non_authentifie"
    assert client.get("/api/v1/tasks", headers=his).status_code == 200


def test_a_token_whose_session_is_gone_is_refused(flask_app, conventio):
    client = flask_app.test_client()
    headers = api_token(client, "directrice")
    with conventio.db.write_sessions() as session, session.begin():
        session.query(LoginSession).filter_by(kind="api").delete()
    assert client.get("/api/v1/tasks", headers=headers).status_code == 401


def test_sessions_expire_and_expired_ones_are_pruned(conventio):
    long_ago = datetime(2026, 1, 1, tzinfo=timezone.utc)
    old = open_session(conventio, "directrice", "page", 3600, now=long_ago)
    assert session_actor(conventio, old, "page", now=long_ago + timedelta(minutes=59)).username == "directrice"
    assert session_actor(conventio, old, "page", now=long_ago + timedelta(minutes=61)) is None
    assert session_actor(conventio, old, "api", now=long_ago) is None, "a page session is not a token"
    new = open_session(conventio, "juriste", "page", 3600)
    with conventio.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(LoginSession)) == 1
    assert session_actor(conventio, new, "page").username == "juriste"


# --- two server processes on one database (SQLite and PostgreSQL) ---------------------------
@pytest.fixture
def two_servers(any_db_settings):
    first, second = open_conventio(any_db_settings), open_conventio(any_db_settings)
    add_user(first, "agent", ["legal"], ["cap-nord"], PASSWORD, "Agent")
    settings = web_settings(login_attempts=3)
    yield [create_app(conventio=c, test_config={"TESTING": True, "WEB_SETTINGS": settings})
           for c in (first, second)]
    first.close()
    second.close()


def test_two_servers_on_one_database_share_the_throttle(two_servers):
    first, second = (app.test_client() for app in two_servers)
    assert first.post(TOKEN, json={"username": "agent", "password": "faux"}).status_code == 401
    assert second.post(TOKEN, json={"username": "Agent", "password": "faux"}).status_code == 401
    assert first.post(TOKEN, json={"username": "agent", "password": "faux"}).status_code == 401
    blocked = second.post(TOKEN, json={"username": "agent", "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    page = first.post("/login", data={"username": "agent", "password": PASSWORD, "csrf_token": csrf_token(first)})
    assert page.status_code == 429
    elsewhere = second.post(TOKEN, json={"username": "agent", "password": PASSWORD},
                            environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert elsewhere.status_code == 200, "the throttle counts per user and address"


def test_a_logout_on_one_server_revokes_the_cookie_on_the_other(two_servers):
    first_app, second_app = two_servers
    client = first_app.test_client()
    login(client, "agent")
    copied = _cookie(client)
    on_second = _with_cookie(second_app, copied)
    assert on_second.get("/inbox").status_code == 200
    post(on_second, "/logout")
    assert _with_cookie(first_app, copied).get("/inbox").status_code == 302


# --- the throttle's table ----------------------------------------------------------------------
def test_the_throttle_prunes_old_failures_and_forgets_on_success(conventio):
    now = [datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc)]
    throttle = LoginThrottle(conventio, attempts=3, window_seconds=600, clock=lambda: now[0])
    for name in ("alice", "bruno", "alice"):
        throttle.failed(name, "192.0.2.1")
    now[0] += timedelta(minutes=11)
    throttle.failed("chloe", "192.0.2.1")
    with conventio.db.sessions() as session:
        assert sorted(session.execute(select(LoginFailure.username)).scalars()) == ["chloe", ANY_NAME]
    for _ in range(3):
        throttle.failed("chloe", "192.0.2.1")
    assert throttle.retry_after("chloe", "192.0.2.1") == 600
    now[0] += timedelta(minutes=2)
    assert throttle.retry_after("chloe", "192.0.2.1") == 480
    throttle.succeeded("chloe", "192.0.2.1")
    assert throttle.retry_after("chloe", "192.0.2.1") == 0


def test_the_throttles_checks_read_their_index(conventio):
    throttle = LoginThrottle(conventio, attempts=5, window_seconds=600, attempts_per_address=50)
    throttle.failed("alice", "192.0.2.1")
    statements = []

    def seen(_connection, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(conventio.db.engine, "before_cursor_execute", seen)
    try:
        throttle.retry_after("alice", "192.0.2.1")
    finally:
        event.remove(conventio.db.engine, "before_cursor_execute", seen)
    checks = [s for s in statements if "login_failure" in s[0]]
    assert [parameters[0] for _, parameters in checks] == ["alice", ANY_NAME]   # per name, per address
    with conventio.db.engine.connect() as connection:
        for statement, parameters in checks:
            plan = " ".join(str(row) for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                           parameters))
            assert "ix_login_failure_key" in plan, plan


# --- the throttle per address, whatever the names tried ------------------------------------------
def test_many_names_from_one_address_are_slowed_the_per_name_limit_stays(conventio):
    now = [datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc)]
    throttle = LoginThrottle(conventio, attempts=3, window_seconds=600, clock=lambda: now[0],
                             attempts_per_address=4)
    for name in ("alice", "bruno", "chloe"):
        throttle.failed(name, "192.0.2.1")
    assert throttle.retry_after("denis", "192.0.2.1") == 0
    now[0] += timedelta(minutes=1)
    throttle.failed("denis", "192.0.2.1")
    for name in ("emma", "alice", "directrice"):
        assert throttle.retry_after(name, "192.0.2.1") == 540, name   # the first of the four leaves at 9:10
    assert throttle.retry_after("emma", "192.0.2.2") == 0, "another address is not slowed"
    throttle.succeeded("alice", "192.0.2.1")
    assert throttle.retry_after("emma", "192.0.2.1") == 540, "a success does not reset the address's count"
    now[0] += timedelta(minutes=9)
    assert throttle.retry_after("emma", "192.0.2.1") == 0     # the three of 9:00 left the window
    # The per-name limit stays, below the address's: three failures of one name.
    for _ in range(3):
        throttle.failed("fanny", "192.0.2.3")
    assert throttle.retry_after("fanny", "192.0.2.3") == 600
    assert throttle.retry_after("gaston", "192.0.2.3") == 0


def test_the_per_address_limit_is_a_setting_with_a_default(tmp_path):
    assert WebSettings.from_env(tmp_path, env={}).login_attempts_per_address == 50
    settings = WebSettings.from_env(tmp_path, env={"CONVENTIO_LOGIN_ATTEMPTS_PER_ADDRESS": "0"})
    assert settings.login_attempts_per_address == 0
    throttle = LoginThrottle(None, attempts=5, window_seconds=600, attempts_per_address=0)
    assert throttle.attempts_per_address == 0


@pytest.fixture
def servers_limiting_addresses(any_db_settings):
    """Two server processes on one database (SQLite and PostgreSQL), 3 failures per address."""
    first, second = open_conventio(any_db_settings), open_conventio(any_db_settings)
    add_user(first, "agent", ["legal"], ["cap-nord"], PASSWORD, "Agent")
    settings = web_settings(login_attempts=5, login_attempts_per_address=3)
    yield [create_app(conventio=c, test_config={"TESTING": True, "WEB_SETTINGS": settings}).test_client()
           for c in (first, second)]
    first.close()
    second.close()


def test_names_tried_from_one_address_on_two_servers_block_it_through_every_door(servers_limiting_addresses):
    first, second = servers_limiting_addresses
    for server, name in ((first, "alice"), (second, "bruno"), (first, "chloe")):
        assert _fail(server, "192.0.2.1", username=name).status_code == 401
    blocked = second.post(TOKEN, json={"username": "agent", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert blocked.status_code == 429 and 0 < int(blocked.headers["Retry-After"]) <= 900
    assert blocked.get_json()["error"] == "trop_de_tentatives"
    assert blocked.get_json()["message"] == "Trop d’échecs de connexion : réessayez dans 15 minute(s)."
    page = first.post("/login", data={"username": "agent", "password": PASSWORD, "csrf_token": csrf_token(first)},
                      environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert page.status_code == 429 and "Trop d’échecs de connexion" in page.get_data(as_text=True)
    elsewhere = first.post(TOKEN, json={"username": "agent", "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "192.0.2.2"})
    assert elsewhere.status_code == 200, "only the address that tried the names is slowed"


# --- the client's address --------------------------------------------------------------------
PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1/128"))


@pytest.mark.parametrize("remote, forwarded, client", [
    ("192.0.2.1", ["203.0.113.7"], "192.0.2.1"),                      # not a proxy: its header is ignored
    ("10.0.0.2", [], "10.0.0.2"),
    ("10.0.0.2", ["203.0.113.7"], "203.0.113.7"),
    ("10.0.0.2", ["6.6.6.6, 203.0.113.7"], "203.0.113.7"),            # the client wrote 6.6.6.6 itself
    ("10.0.0.2", ["203.0.113.7, 10.0.0.9"], "203.0.113.7"),           # two proxies of ours
    ("10.0.0.2", ["6.6.6.6", "203.0.113.7"], "203.0.113.7"),          # the header twice
    ("10.0.0.2", ["203.0.113.7, n'importe quoi"], "10.0.0.2"),         # garbage: the last readable hop
    ("::ffff:10.0.0.2", ["203.0.113.7"], "203.0.113.7"),
    ("::1", ["[2001:db8::7]"], "2001:db8::7"),
])
def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(remote, forwarded, client):
    assert resolve_client(remote, forwarded, PROXIES) == client


def test_trusted_proxies_from_the_environment(tmp_path):
    settings = WebSettings.from_env(tmp_path, env={"CONVENTIO_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/24 ::1"})
    assert settings.trusted_proxies == tuple(ipaddress.ip_network(n) for n in ("10.0.0.1/32", "192.168.0.0/24",
                                                                               "::1/128"))
    assert WebSettings.from_env(tmp_path, env={}).trusted_proxies == ()
    with pytest.raises(ValueError, match="CONVENTIO_TRUSTED_PROXIES"):
        WebSettings.from_env(tmp_path, env={"CONVENTIO_TRUSTED_PROXIES": "proxy.local"})


def _fail(client, address, forwarded=None, username="directrice"):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(TOKEN, json={"username": username, "password": "faux"},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def _keyed_addresses(conventio):
    with conventio.db.sessions() as session:
        return set(session.execute(select(LoginFailure.address)).scalars())


def test_a_forged_forwarded_address_from_an_untrusted_peer_is_ignored(client, conventio):
    for n in range(5):
        _fail(client, "192.0.2.1", forwarded=f"198.51.100.{n}")
    assert _keyed_addresses(conventio) == {"192.0.2.1"}
    assert _fail(client, "192.0.2.1", forwarded="198.51.100.99").status_code == 429


def test_behind_a_trusted_proxy_the_real_client_is_keyed(conventio):
    app = create_app(conventio=conventio, test_config={
        "TESTING": True, "WEB_SETTINGS": web_settings(trusted_proxies=(ipaddress.ip_network("10.0.0.0/8"),))})
    client = app.test_client()
    for _ in range(5):
        assert _fail(client, "10.0.0.2", forwarded="203.0.113.7").status_code == 401
    assert _keyed_addresses(conventio) == {"203.0.113.7"}
    assert _fail(client, "10.0.0.2", forwarded="6.6.6.6, 203.0.113.7").status_code == 429, \
        "a hop the client wrote does not free it"
    other = client.post(TOKEN, json={"username": "directrice", "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.0.0.2"}, headers={"X-Forwarded-For": "203.0.113.8"})
    assert other.status_code == 200, "another client behind the same proxy is not blocked"


# --- the migration ---------------------------------------------------------------------------
LOGIN_TABLES = {"login_session", "login_failure"}


def _login_differences(db):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from workflows.store.models import Base

    def is_login_object(obj, name, type_, _reflected, _compare_to):
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in LOGIN_TABLES

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": is_login_object})
        return compare_metadata(context, Base.metadata)


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def test_the_login_tables_match_the_models_and_the_migration_goes_down_and_up(any_app):
    from alembic import command
    from sqlalchemy import inspect
    from workflows.store.migrate import alembic_config, upgrade
    assert LOGIN_TABLES <= set(inspect(any_app.db.engine).get_table_names())
    assert _login_differences(any_app.db) == []
    with any_app.db.write_engine.begin() as connection:
        config = alembic_config(any_app.db.url)
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    assert not LOGIN_TABLES & set(inspect(any_app.db.engine).get_table_names())
    upgrade(any_app.db)
    assert _login_differences(any_app.db) == []
