"""Who may log in: local accounts first, then the LDAP directory when one is configured.

A local account (source "local") is only ever checked against its own password, so a
directory entry of the same name cannot take it over. A directory user is mirrored
into the local user table at each login, with roles and territories refreshed from
their groups; an administrator can still disable the mirrored account.

A refusal costs the same whether the user exists or not: every attempt computes one
password hash (the account's, or a dummy one of the same cost for an unknown, disabled
or directory user), and every name that is not a local account goes through the same
directory operations, found or not (see LdapDirectory). What still differs: with a
directory configured, a local account's check skips the directory's round trip.
"""
from flask import current_app
from flask_babel import gettext as _

from workflows.errors import ErrorCode
from workflows.roles import ROLE_LABELS
from workflows.services.logins import check_local_password, dummy_hash, find_account, password_matches
from workflows.services.users import mirror_directory_user

from .context import conventio, web_settings
from .ldap_directory import DirectoryUnavailable, LdapDirectory
from .throttle import LoginThrottle


class LoginRefused(Exception):
    def __init__(self, message, status=401, code=ErrorCode.INVALID_CREDENTIALS, retry_after=None):
        super().__init__(message)
        self.message, self.status, self.code, self.retry_after = message, status, code, retry_after


def init_app(app):
    web = app.extensions["conventio_web"]
    app.extensions["conventio_throttle"] = LoginThrottle(app.extensions["conventio"], web.login_attempts,
                                                        web.login_window_seconds,
                                                        attempts_per_address=web.login_attempts_per_address)
    app.extensions["conventio_directory"] = LdapDirectory(web.ldap) if web.ldap else None
    dummy_hash()   # made now, so that no login pays for it


def log_in(username, password, address):
    """The Actor for valid credentials; LoginRefused (401, 403, 429 or 503) otherwise."""
    throttle = current_app.extensions["conventio_throttle"]
    wait = throttle.retry_after(username, address)
    if wait:
        raise LoginRefused(_("Trop d’échecs de connexion : réessayez dans %(minutes)d minute(s).",
                             minutes=max(1, round(wait / 60))), 429, ErrorCode.TOO_MANY_ATTEMPTS, wait)
    actor = check_credentials((username or "").strip(), password or "")
    if actor is None:
        throttle.failed(username, address)
        raise LoginRefused(_("Identifiant ou mot de passe incorrect."))
    throttle.succeeded(username, address)
    return actor


def check_credentials(username, password):
    if not username or not password:
        return None
    account = find_account(conventio(), username)
    if account is not None and account.source != "ldap":
        return check_local_password(account, password)
    password_matches(None, password)   # the hash a local account's check would have cost
    directory = current_app.extensions["conventio_directory"]
    if directory is None:
        return None
    try:
        user = directory.authenticate(username, password)
    except DirectoryUnavailable as exc:
        raise LoginRefused(_("L’annuaire LDAP ne répond pas : réessayez plus tard."), 503,
                           ErrorCode.DIRECTORY_UNAVAILABLE) from exc
    if user is None or (account is not None and not account.active):   # a disabled mirror: same work, refused
        return None
    roles = {role for role in user.roles if role in ROLE_LABELS}
    if not roles:
        raise LoginRefused(_("Votre compte de l’annuaire n’a aucun rôle dans Conventio : "
                             "demandez-en un à l’administrateur."), 403, ErrorCode.NO_ROLE)
    return mirror_directory_user(conventio(), user.username, user.display_name, roles, user.territories,
                                 user.organisation)


def ldap_enabled():
    return web_settings().ldap is not None
