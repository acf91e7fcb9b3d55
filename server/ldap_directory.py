"""LDAP / Active Directory login with python-ldap: search, then bind as the user found.

1. bind with the service account (or anonymously) and search the user base with the
   configured filter, the login escaped (escape_filter_chars): one entry or nobody;
2. bind as that entry with the password given (never with an empty one: an LDAP simple
   bind without password is an anonymous bind, and "succeeds");
3. read the groups: the entry's memberOf (AD, OpenLDAP memberof overlay) and a search of
   the group base for groups listing the user (groupOfNames member, uniqueMember);
4. map groups (by DN or cn, case-insensitive) to roles and territories.

A login that finds nobody (or several entries) still costs a bind, on its own connection,
to a DN that does not exist, with a random password: found or not, a refused login makes
the same operations (bind, search, bind), so its time does not tell who exists.
"""
import logging
import re
import secrets
from dataclasses import dataclass, field

import ldap
from ldap.dn import escape_dn_chars, str2dn
from ldap.filter import escape_filter_chars

log = logging.getLogger(__name__)


class DirectoryUnavailable(Exception):
    """The LDAP server cannot be reached or did not answer in time."""


@dataclass(frozen=True)
class DirectoryUser:
    username: str
    dn: str
    display_name: str
    mail: str | None
    groups: tuple
    roles: frozenset = field(default_factory=frozenset)
    territories: frozenset = field(default_factory=frozenset)
    organisation: str | None = None


def _first(entry, attribute):
    for name, values in entry.items():
        if name.lower() == attribute.lower() and values:
            return values[0].decode("utf-8", "replace")
    return None


def _all(entry, attribute):
    return [v.decode("utf-8", "replace") for name, values in entry.items()
            if name.lower() == attribute.lower() for v in values]


def fill_filter(template, **values):
    """The filter `template` with each {name} replaced by its value, escaped (RFC 4515), in one
    pass: a value is never read again as a placeholder."""
    return re.sub(r"\{(\w+)\}", lambda m: escape_filter_chars(values[m.group(1)]) if m.group(1) in values
                  else m.group(0), template)


def group_cn(group_dn):
    try:
        first = str2dn(group_dn)[0]
    except ldap.DECODING_ERROR:
        return None
    return next((value for name, value, _ in first if name.lower() == "cn"), None)


class LdapDirectory:
    def __init__(self, settings):
        self.settings = settings

    def _connect(self):
        s = self.settings
        connection = ldap.initialize(s.uri)
        connection.set_option(ldap.OPT_PROTOCOL_VERSION, 3)
        connection.set_option(ldap.OPT_REFERRALS, 0)   # AD: do not chase referrals anonymously
        connection.set_option(ldap.OPT_NETWORK_TIMEOUT, s.network_timeout)
        connection.set_option(ldap.OPT_TIMEOUT, s.operation_timeout)
        if s.ca_file:
            connection.set_option(ldap.OPT_X_TLS_CACERTFILE, s.ca_file)
        connection.set_option(ldap.OPT_X_TLS_REQUIRE_CERT,
                              ldap.OPT_X_TLS_DEMAND if s.require_cert else ldap.OPT_X_TLS_NEVER)
        connection.set_option(ldap.OPT_X_TLS_NEWCTX, 0)  # applies the TLS options above
        if s.start_tls and not s.uri.lower().startswith("ldaps://"):
            connection.start_tls_s()
        return connection

    def authenticate(self, login, password):
        """The DirectoryUser for valid credentials; None otherwise. DirectoryUnavailable if down."""
        login = (login or "").strip()
        if not login or not password:
            return None
        try:
            return self._authenticate(login, password)
        except (ldap.SERVER_DOWN, ldap.TIMEOUT, ldap.TIMELIMIT_EXCEEDED, ldap.CONNECT_ERROR) as exc:
            log.warning("annuaire LDAP injoignable (%s) : %s", self.settings.uri, exc)
            raise DirectoryUnavailable(str(exc)) from exc

    def _authenticate(self, login, password):
        service = self._connect()
        try:
            service.simple_bind_s(self.settings.bind_dn, self.settings.bind_password)
            found = self._find_user(service, login)
            if found is None:
                self._password_ok(self._absent_dn(), secrets.token_urlsafe(24))   # the bind a found user costs
                return None
            dn, entry = found
            if not self._password_ok(dn, password):
                return None
            groups = self._groups(service, dn, login, entry)
        finally:
            service.unbind_s()
        return self._user(login, dn, entry, groups)

    def _absent_dn(self):
        return f"cn={escape_dn_chars('conventio-absent-' + secrets.token_hex(8))},{self.settings.user_base}"

    def _find_user(self, connection, login):
        s = self.settings
        query = fill_filter(s.user_filter, login=login)
        attributes = [s.display_name_attribute, s.mail_attribute, "cn", "memberOf",
                      *([s.organisation_attribute] if s.organisation_attribute else [])]
        results = [(dn, entry) for dn, entry in
                   connection.search_st(s.user_base, ldap.SCOPE_SUBTREE, query, attributes,
                                        timeout=s.operation_timeout)
                   if dn]  # AD answers referrals as entries without DN
        if len(results) != 1:
            if len(results) > 1:
                log.warning("identifiant LDAP ambigu « %s » : %d entrées", login, len(results))
            return None
        return results[0]

    def _password_ok(self, dn, password):
        connection = self._connect()
        try:
            connection.simple_bind_s(dn, password)
            return True
        except (ldap.INVALID_CREDENTIALS, ldap.UNWILLING_TO_PERFORM, ldap.INAPPROPRIATE_AUTH,
                ldap.INVALID_DN_SYNTAX, ldap.NO_SUCH_OBJECT):
            return False
        finally:
            connection.unbind_s()

    def _groups(self, connection, dn, login, entry):
        s = self.settings
        groups = set(_all(entry, "memberOf"))
        if s.group_base:
            query = fill_filter(s.group_filter, dn=dn, login=login)
            for group_dn, _ in connection.search_st(s.group_base, ldap.SCOPE_SUBTREE, query, ["cn"],
                                                    timeout=s.operation_timeout):
                if group_dn:
                    groups.add(group_dn)
        return tuple(sorted(groups, key=str.lower))

    def _user(self, login, dn, entry, groups):
        s = self.settings
        roles, territories = set(), set()
        for group in groups:
            grant = s.group_map.get(group.lower()) or s.group_map.get((group_cn(group) or "").lower())
            if grant:
                roles.update(grant["roles"])
                territories.update(grant["territories"])
        return DirectoryUser(
            username=login.casefold(), dn=dn,
            display_name=_first(entry, s.display_name_attribute) or _first(entry, "cn") or login,
            mail=_first(entry, s.mail_attribute), groups=groups, roles=frozenset(roles),
            territories=frozenset(territories or s.default_territories),
            organisation=_first(entry, s.organisation_attribute) if s.organisation_attribute else None)
