"""LDAP logins against the real slapd (ldap_server.py): filter injection, and the same
directory operations whether the login exists or not (counted, never timed)."""
import pytest

from ldap_server import PASSWORDS, SUFFIX
from server import create_app
from server.config import WebSettings
from server.ldap_directory import LdapDirectory, fill_filter
from test_ldap import settings_for
from web_helpers import actor, csrf_token, login
from workflows.services.users import list_users, set_active

INJECTIONS = ["*", "admin)(|(uid=*", "alice)(|(uid=*", "*)(uid=*))(|(uid=*", "\\2a", "\\2A", "al\\2a",
              "alice\\", "alice\x00", "\x00", "alice\x00)(uid=*", "*\x00", "al*ce", "alice)(cn=Alice Martin",
              "(uid=alice)", "alice\r\nuid: bruno"]


@pytest.mark.parametrize("login_name", INJECTIONS)
def test_injected_login_names_match_nobody(slapd, login_name):
    directory = LdapDirectory(settings_for(slapd))
    for password in PASSWORDS.values():
        assert directory.authenticate(login_name, password) is None


@pytest.mark.parametrize("login_name", INJECTIONS)
def test_injected_login_names_match_nobody_with_an_active_directory_filter(slapd, login_name):
    directory = LdapDirectory(settings_for(
        slapd, user_filter="(&(objectClass=adCompatUser)(|(sAMAccountName={login})(mail={login})))"))
    assert directory.authenticate(login_name, PASSWORDS["alice"]) is None


def test_a_password_with_a_nul_is_refused(slapd):
    directory = LdapDirectory(settings_for(slapd))
    assert directory.authenticate("alice", PASSWORDS["alice"] + "\x00anything") is None
    assert directory.authenticate("alice", PASSWORDS["alice"]) is not None


def test_placeholders_are_filled_once_and_escaped():
    # a DN (from the directory) holding "{login}", a login holding "{dn}": neither is read again
    query = fill_filter("(|(member={dn})(memberUid={login})(x={other}))", dn="cn=a{login}b,dc=x", login="{dn}*")
    assert query == "(|(member=cn=a{login}b,dc=x)(memberUid={dn}\\2a)(x={other}))"
    assert fill_filter("(uid={login})", login="a\x00)(uid=*") == "(uid=a\\00\\29\\28uid=\\2a)"


# --- the same operations, found or not ---------------------------------------------------------
class RecordingConnection:
    """A python-ldap connection that writes down the operations made on it."""

    OPERATIONS = {"simple_bind_s", "search_st", "search_s", "start_tls_s", "unbind_s"}

    def __init__(self, connection, log):
        self._connection, self._log = connection, log

    def __getattr__(self, name):
        attribute = getattr(self._connection, name)
        if name not in self.OPERATIONS:
            return attribute

        def operation(*args, **kwargs):
            self._log.append(name)
            return attribute(*args, **kwargs)
        return operation


@pytest.fixture
def ldap_operations(monkeypatch):
    log = []
    connect = LdapDirectory._connect

    def recording(directory):
        log.append("connect")
        return RecordingConnection(connect(directory), log)

    monkeypatch.setattr(LdapDirectory, "_connect", recording)
    return log


def test_a_refusal_makes_the_same_directory_operations_found_or_not(slapd, ldap_operations):
    directory = LdapDirectory(settings_for(slapd))
    seen = {}
    for login_name in ("alice", "personne", "*", "alice)(|(uid=*"):
        ldap_operations.clear()
        assert directory.authenticate(login_name, "mauvais-mot-de-passe") is None
        seen[login_name] = list(ldap_operations)
    assert seen["alice"] == ["connect", "simple_bind_s", "search_st", "connect", "simple_bind_s", "unbind_s",
                             "unbind_s"]
    assert all(operations == seen["alice"] for operations in seen.values()), seen


@pytest.fixture
def ldap_app(slapd, conventio):
    settings = WebSettings(secret_key="test-secret-key-" + "x" * 32, ldap=settings_for(slapd))
    return create_app(conventio=conventio, test_config={"WEB_SETTINGS": settings})


def test_through_the_web_every_directory_name_costs_the_same(ldap_app, conventio, hashes, ldap_operations):
    login(ldap_app.test_client(), "bruno", PASSWORDS["bruno"])             # mirrored, then disabled
    set_active(conventio, "bruno", False, actor(conventio, "admin"))
    work = {}
    for username, password in [("alice", "faux"), ("personne", "faux"), ("bruno", "faux"),
                               ("*", PASSWORDS["alice"]), ("admin)(|(uid=*", PASSWORDS["alice"])]:
        client = ldap_app.test_client()
        token = csrf_token(client)
        hashes.clear()
        ldap_operations.clear()
        response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert response.status_code == 401, (username, response.status_code)
        work[username, password] = (list(hashes), list(ldap_operations))
    first = next(iter(work.values()))
    assert len(first[0]) == 1 and "search_st" in first[1]
    assert all(done == first for done in work.values()), work
    # the disabled mirror with its right password: the directory says yes, Conventio no
    client = ldap_app.test_client()
    response = client.post("/login", data={"username": "bruno", "password": PASSWORDS["bruno"],
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 401


def test_injected_names_through_the_web_log_nobody_in(ldap_app, conventio):
    before = {user["username"] for user in list_users(conventio)}
    client = ldap_app.test_client()
    # a NUL may be refused as hostile input before any check (API 422, page 400): fine too
    for name in INJECTIONS:
        api = client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORDS["alice"]})
        assert api.status_code in ((401, 422) if "\x00" in name else (401,)), (name, api.status_code)
    for name in ("*", "alice)(|(uid=*", "alice\x00", "\\2a"):
        page = client.post("/login", data={"username": name, "password": PASSWORDS["alice"],
                                           "csrf_token": csrf_token(client)})
        assert page.status_code in ((400, 401) if "\x00" in name else (401,)), (name, page.status_code)
    assert {user["username"] for user in list_users(conventio)} == before, "no mirror was created"


def test_the_directory_user_base_is_where_the_decoy_bind_goes(slapd):
    directory = LdapDirectory(settings_for(slapd))
    assert directory._absent_dn().endswith(f",ou=people,{SUFFIX}")
    assert directory._absent_dn() != directory._absent_dn()
