"""LDAP / Active Directory login against a real OpenLDAP slapd (fixture in ldap_server.py)."""
import json

import pytest

from ldap_server import PASSWORDS, SUFFIX
from server.config import LdapSettings, parse_group_map
from server.ldap_directory import DirectoryUnavailable, LdapDirectory
from web_helpers import csrf_token, login
from workflows.store.models import UserAccount

GROUP_MAP = {
    f"cn=conventio-directeurs,ou=groups,{SUFFIX}": "director",
    "conventio-juristes": ["legal"],                                   # by cn
    "territoire-cap-nord": {"territories": ["cap-nord"]},
}


def settings_for(server, **overrides):
    values = dict(uri=server.ldap_uri, user_base=f"ou=people,{SUFFIX}", bind_dn=f"cn=service,{SUFFIX}",
                  bind_password="service-secret", group_base=f"ou=groups,{SUFFIX}",
                  group_map=parse_group_map(json.dumps(GROUP_MAP)), network_timeout=2, operation_timeout=5)
    values.update(overrides)
    return LdapSettings(**values)


def test_search_then_bind_reads_name_mail_groups_roles_and_territories(slapd):
    user = LdapDirectory(settings_for(slapd)).authenticate("alice", PASSWORDS["alice"])
    assert user.dn == f"uid=alice,ou=people,{SUFFIX}"
    assert (user.display_name, user.mail) == ("Alice Martin", "alice@conventio.test")
    assert user.roles == {"director"} and user.territories == {"cap-nord"}


def test_wrong_password_empty_password_and_unknown_user_are_refused(slapd):
    directory = LdapDirectory(settings_for(slapd))
    assert directory.authenticate("alice", "mauvais") is None
    assert directory.authenticate("alice", "") is None, "an empty password would be an anonymous bind"
    assert directory.authenticate("personne", "x") is None


def test_groups_through_member_search(slapd):
    # no memberOf attribute read: a directory without the overlay
    user = LdapDirectory(settings_for(slapd)).authenticate("denis", PASSWORDS["denis"])
    assert f"cn=territoire-cap-nord,ou=groups,{SUFFIX}" in user.groups and user.roles == frozenset()


def test_an_outside_partner_s_organisation_is_read_from_its_attribute(slapd):
    assert LdapDirectory(settings_for(slapd)).authenticate("denis", PASSWORDS["denis"]).organisation == \
        "CCAS du Lorrain"
    assert LdapDirectory(settings_for(slapd)).authenticate("alice", PASSWORDS["alice"]).organisation is None
    unread = LdapDirectory(settings_for(slapd, organisation_attribute="")).authenticate("denis", PASSWORDS["denis"])
    assert unread.organisation is None


def test_groups_through_memberof_only(slapd):
    directory = LdapDirectory(settings_for(slapd, group_base=""))   # AD style: the entry's memberOf
    user = directory.authenticate("bruno", PASSWORDS["bruno"])
    assert f"cn=conventio-juristes,ou=legacy,{SUFFIX}" in user.groups
    assert user.roles == {"legal"} and user.territories == {"cap-nord"}


def test_active_directory_login_attribute(slapd):
    directory = LdapDirectory(settings_for(slapd, user_filter="(&(objectClass=adCompatUser)(sAMAccountName={login}))"))
    user = directory.authenticate("AMartin", PASSWORDS["alice"])
    assert user.dn == f"uid=alice,ou=people,{SUFFIX}" and user.username == "amartin"
    assert directory.authenticate("bruno", PASSWORDS["bruno"]) is None, "bruno has no sAMAccountName"


@pytest.mark.parametrize("login_name", ["*)(uid=*", "*", "alice)(|(uid=*", "al*", "alice\\", "*)(objectClass=*"])
def test_filter_injection_is_escaped(slapd, login_name):
    directory = LdapDirectory(settings_for(slapd))
    assert directory.authenticate(login_name, PASSWORDS["alice"]) is None


def test_default_territories_when_groups_give_none(slapd):
    directory = LdapDirectory(settings_for(slapd, group_map={}, default_territories=("cap-nord",)))
    assert directory.authenticate("chloe", PASSWORDS["chloe"]).territories == {"cap-nord"}


def test_unreachable_directory_is_reported(slapd):
    directory = LdapDirectory(settings_for(slapd, uri="ldap://127.0.0.1:9", network_timeout=1))
    with pytest.raises(DirectoryUnavailable):
        directory.authenticate("alice", PASSWORDS["alice"])


def test_start_tls_with_the_directory_certificate(slapd):
    secure = settings_for(slapd, start_tls=True, ca_file=slapd.cafile)   # its certificate names 127.0.0.1
    assert LdapDirectory(secure).authenticate("alice", PASSWORDS["alice"]).roles == {"director"}
    untrusted = settings_for(slapd, start_tls=True, ca_file=slapd.clientcert)   # not the CA that signed it
    with pytest.raises(DirectoryUnavailable):
        LdapDirectory(untrusted).authenticate("alice", PASSWORDS["alice"])


# --- through the web: the mirror in the local user table ------------------------------------
@pytest.fixture
def ldap_client(slapd, conventio):
    from conftest import web_settings
    from server import create_app
    app = create_app(conventio=conventio, test_config={"WEB_SETTINGS": web_settings(ldap=settings_for(slapd))})
    return app.test_client()


def _account(conventio, username):
    with conventio.db.sessions() as session:
        return session.get(UserAccount, username)


def test_a_directory_user_is_mirrored_at_login_and_refreshed(ldap_client, conventio, slapd):
    login(ldap_client, "alice", PASSWORDS["alice"])
    mirrored = _account(conventio, "alice")
    assert mirrored.source == "ldap" and mirrored.password_hash is None
    assert json.loads(mirrored.roles) == ["director"] and json.loads(mirrored.territories) == ["cap-nord"]
    assert "Alice Martin" in ldap_client.get("/inbox").get_data(as_text=True)
    slapd.ldapmodify(f"dn: cn=conventio-juristes,ou=legacy,{SUFFIX}\nchangetype: modify\nadd: member\n"
                     f"member: uid=alice,ou=people,{SUFFIX}\n")
    try:
        fresh = ldap_client.application.test_client()
        login(fresh, "alice", PASSWORDS["alice"])
        assert json.loads(_account(conventio, "alice").roles) == ["director", "legal"]
    finally:
        slapd.ldapmodify(f"dn: cn=conventio-juristes,ou=legacy,{SUFFIX}\nchangetype: modify\ndelete: member\n"
                         f"member: uid=alice,ou=people,{SUFFIX}\n")


def test_api_token_for_a_directory_user(ldap_client):
    response = ldap_client.post("/api/v1/auth/token", json={"username": "bruno", "password": PASSWORDS["bruno"]})
    assert response.status_code == 200
    tasks = ldap_client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {response.get_json()['token']}"})
    assert tasks.status_code == 200


def test_a_directory_user_without_role_is_told_so(ldap_client):
    response = ldap_client.post("/login", data={"username": "chloe", "password": PASSWORDS["chloe"],
                                                "csrf_token": csrf_token(ldap_client)})
    assert response.status_code == 403 and "aucun rôle" in response.get_data(as_text=True)


def test_a_local_account_is_never_taken_over_by_the_directory(ldap_client, conventio):
    from workflows.services.users import add_user
    add_user(conventio, "alice", ["admin"], [], "mot-de-passe-local-long")
    refused = ldap_client.post("/login", data={"username": "alice", "password": PASSWORDS["alice"],
                                               "csrf_token": csrf_token(ldap_client)})
    assert refused.status_code == 401
    login(ldap_client, "alice", "mot-de-passe-local-long")


def test_a_disabled_mirror_cannot_log_in(ldap_client, conventio):
    from workflows.services.users import set_active
    from web_helpers import actor
    login(ldap_client, "bruno", PASSWORDS["bruno"])
    set_active(conventio, "bruno", False, actor(conventio, "admin"))
    fresh = ldap_client.application.test_client()
    response = fresh.post("/login", data={"username": "bruno", "password": PASSWORDS["bruno"],
                                          "csrf_token": csrf_token(fresh)})
    assert response.status_code == 401


def test_local_users_still_log_in_with_ldap_configured(ldap_client):
    login(ldap_client, "directrice")
    assert "Claire Directrice" in ldap_client.get("/inbox").get_data(as_text=True)


def test_ldap_settings_from_the_environment():
    env = {"CONVENTIO_LDAP_URI": "ldaps://ad.example:636", "CONVENTIO_LDAP_USER_BASE": "dc=example",
           "CONVENTIO_LDAP_USER_FILTER": "(sAMAccountName={login})",
           "CONVENTIO_LDAP_GROUP_MAP": json.dumps({"CN=Juristes,DC=example": "legal"}),
           "CONVENTIO_LDAP_TIMEOUT": "3", "CONVENTIO_LDAP_STARTTLS": "1"}
    settings = LdapSettings.from_env(env)
    assert settings.user_filter == "(sAMAccountName={login})" and settings.start_tls
    assert settings.group_map == {"cn=juristes,dc=example": {"roles": ["legal"], "territories": []}}
    assert settings.operation_timeout == 3.0
    assert LdapSettings.from_env({}) is None


def test_a_directory_partner_is_mirrored_with_their_organisation_and_refreshed(ldap_client, conventio, slapd):
    from server.config import parse_group_map
    partners = dict(GROUP_MAP, **{"territoire-cap-nord": {"roles": ["prescriber"], "territories": ["cap-nord"]}})
    from conftest import web_settings
    from server import create_app
    app = create_app(conventio=conventio, test_config={"WEB_SETTINGS": web_settings(ldap=settings_for(
        slapd, group_map=parse_group_map(json.dumps(partners))))})
    login(app.test_client(), "denis", PASSWORDS["denis"])
    assert _account(conventio, "denis").organisation == "CCAS du Lorrain"
    slapd.ldapmodify(f"dn: uid=denis,ou=people,{SUFFIX}\nchangetype: modify\nreplace: o\no: Mission locale\n")
    try:
        login(app.test_client(), "denis", PASSWORDS["denis"])
        assert _account(conventio, "denis").organisation == "Mission locale"
    finally:
        slapd.ldapmodify(f"dn: uid=denis,ou=people,{SUFFIX}\nchangetype: modify\nreplace: o\no: CCAS du Lorrain\n")
