"""Logging in, shared by every server process: the password check, sessions, failed attempts.

- The password check costs one hash whatever the account: an unknown, disabled or
  passwordless account is checked against a dummy hash made by the same hasher at the
  same cost, so the time of a refusal does not tell whether the user exists.
- A session (a page cookie or an API token) carries a random secret; the database keeps
  its SHA-256 with the user and the expiry. Every request looks it up, and logging out
  deletes it: a copy of the cookie taken before is refused after.
- An API token can be revoked before it expires by whoever holds it (DELETE /auth/token),
  and an administrator can end every session and token of a user at once (sign_out_user):
  both delete rows, so every server process refuses them at its next request. Journaled.
- Failed logins are rows (user name, client address, time), so that every process behind
  the same database counts them together; rows older than the throttle's window are
  pruned as new failures come. Each failure is also counted for its address alone, in a
  row whose name is ANY_NAME, so that trying many names from one address is slowed too.
"""
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import NotFound
from ..states import JournalAction
from ..store.models import LoginFailure, LoginSession, UserAccount
from ..store.uow import UnitOfWork
from .actors import Actor
from .persistence import aware, db_time
from .rights import require_admin
from .steps import Step, utc_now
from .territories import account_actor

NAME_LENGTH = 255
ADDRESS_LENGTH = 64
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def storable(text, length=NAME_LENGTH):
    """`text` as any database holds it: no control character (PostgreSQL refuses NUL), no
    lone surrogate, at most `length` characters."""
    text = _CONTROL.sub("", text or "").encode("utf-8", "replace").decode("utf-8")
    return text[:length]


# --- the password check --------------------------------------------------------------------
@lru_cache(maxsize=1)
def dummy_hash():
    """A hash of a random password, by the hasher and cost of generate_password_hash."""
    return generate_password_hash(secrets.token_urlsafe(16))


def password_matches(stored_hash, password):
    """Check `password` against `stored_hash`, or against the dummy hash when there is none:
    one hash computation in every case."""
    if not stored_hash or stored_hash.count("$") < 2:   # werkzeug would answer at once
        stored_hash = None
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:      # a lone surrogate (JSON "\ud800"): no password has it
        password, stored_hash = password.encode("utf-8", "replace").decode("utf-8"), None
    matched = check_password_hash(stored_hash or dummy_hash(), password)
    return matched and stored_hash is not None


@dataclass(frozen=True)
class Account:
    username: str
    source: str
    active: bool
    password_hash: str | None
    actor: Actor


def find_account(app, name):
    """The account `name` (or its casefolded form), in one query; None if there is none."""
    if not name or storable(name) != name:
        return None
    names = {name, name.casefold()}
    with app.db.sessions() as session:
        rows = {a.username: a for a in session.execute(
            select(UserAccount).where(UserAccount.username.in_(names))).scalars()}
        account = rows.get(name) or rows.get(name.casefold())
        if account is None:
            return None
        return Account(account.username, account.source, bool(account.active), account.password_hash,
                       account_actor(session, account))


def check_local_password(account, password):
    """The account's Actor when it is active and `password` is its own; None otherwise.
    One hash either way."""
    matched = password_matches(account.password_hash if account.active else None, password)
    return account.actor if matched and account.active else None


# --- sessions: page cookies and API tokens -----------------------------------------------
def _digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def open_session(app, username, kind, lifetime_seconds, now=None):
    """A new session of `username` for `lifetime_seconds`; returns its secret (keep it in the
    cookie or the token, never in the database). Expired sessions are pruned here."""
    now = db_time(now or utc_now())
    secret = secrets.token_urlsafe(32)
    with UnitOfWork(app.db, write=True) as uow:
        uow.session.execute(delete(LoginSession).where(LoginSession.expires_at <= now))
        uow.session.add(LoginSession(id_hash=_digest(secret), username=username, kind=kind, created_at=now,
                                     expires_at=now + timedelta(seconds=lifetime_seconds)))
        uow.commit()
    return secret


def session_actor(app, secret, kind, now=None):
    """The active user of a live session of this kind, as an Actor; None when the secret is
    unknown, revoked, expired, or its user disabled. One query, and one for its groupings."""
    if not isinstance(secret, str) or not secret:
        return None
    now = db_time(now or utc_now())
    with app.db.sessions() as session:
        account = session.execute(
            select(UserAccount).join(LoginSession, LoginSession.username == UserAccount.username)
            .where(LoginSession.id_hash == _digest(secret), LoginSession.kind == kind,
                   LoginSession.expires_at > now, UserAccount.active.is_(True))).scalar_one_or_none()
        return None if account is None else account_actor(session, account)


def close_session(app, secret, revoke_tokens=False):
    """Revoke the session `secret`; with revoke_tokens, its user's API tokens too."""
    if not isinstance(secret, str) or not secret:
        return
    with UnitOfWork(app.db, write=True) as uow:
        row = uow.session.get(LoginSession, _digest(secret))
        if row is not None:
            if revoke_tokens:
                uow.session.execute(delete(LoginSession).where(LoginSession.username == row.username,
                                                               LoginSession.kind == "api"))
            uow.session.delete(row)
        uow.commit()


def revoke_session(app, secret, actor, kind):
    """Revoke the session `secret` of kind `kind` that `actor` is using (an API token before it
    expires), journaled; False when it was no longer there."""
    if not isinstance(secret, str) or not secret:
        return False
    with Step(app) as step:
        row = step.session.get(LoginSession, _digest(secret))
        if row is None or row.kind != kind or row.username != actor.username:
            return False
        step.session.delete(row)
        step.record(JournalAction.SESSION,
                    "Jeton d’API révoqué par son titulaire" if kind == "api" else "Session fermée",
                    actor, payload={"utilisateur": actor.username, "type": kind})
        step.commit()
    return True


def sign_out_user(app, username, by):
    """An administrator `by` ends every page session and API token of `username` at once (a
    stolen laptop, a departure): the number ended. Journaled, even when there was none."""
    require_admin(by)
    with Step(app) as step:
        if step.session.get(UserAccount, username) is None:
            raise NotFound(f"Utilisateur « {username} » inconnu.")
        ended = step.session.execute(delete(LoginSession).where(LoginSession.username == username)).rowcount
        step.record(JournalAction.SESSION,
                    f"Sessions et jetons de « {username} » fermés par un administrateur ({ended})", by,
                    payload={"utilisateur": username, "sessions": ended})
        step.commit()
    return ended


# --- failed attempts -----------------------------------------------------------------------
# The name of the rows counting an address's failures whatever the name tried: no login
# has it, since storable() removes control characters from the names it keys.
ANY_NAME = "\x7f"


def throttle_key(username, address):
    """(name, address) of the rows counting failures; username None: the address's own rows."""
    name = ANY_NAME if username is None else storable((username or "").strip().casefold())
    return name, storable(address or "", ADDRESS_LENGTH)


def nth_recent_failure(app, username, address, since, n):
    """The time of the n-th most recent failure for (username, address) after `since` (username
    None: for the address, whatever the name); None when there are fewer. One indexed query."""
    name, address = throttle_key(username, address)
    with app.db.sessions() as session:
        moment = session.execute(
            select(LoginFailure.at).where(LoginFailure.username == name, LoginFailure.address == address,
                                          LoginFailure.at > db_time(since))
            .order_by(LoginFailure.at.desc()).offset(n - 1).limit(1)).scalar_one_or_none()
    return aware(moment)


def record_failure(app, username, address, now, forget_before):
    """Count one failure, for (username, address) and for the address alone; forget everyone's
    failures older than `forget_before`."""
    name, address = throttle_key(username, address)
    with UnitOfWork(app.db, write=True) as uow:
        uow.session.execute(delete(LoginFailure).where(LoginFailure.at <= db_time(forget_before)))
        uow.session.add_all([LoginFailure(username=name, address=address, at=db_time(now)),
                             LoginFailure(username=ANY_NAME, address=address, at=db_time(now))])
        uow.commit()


def clear_failures(app, username, address):
    """Forget the failures of (username, address) after a success; not the address's own count
    (one valid account must not reset the count of the names tried from its address)."""
    name, address = throttle_key(username, address)
    with UnitOfWork(app.db, write=True) as uow:
        uow.session.execute(delete(LoginFailure).where(LoginFailure.username == name,
                                                       LoginFailure.address == address))
        uow.commit()
