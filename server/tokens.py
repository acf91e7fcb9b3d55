"""API tokens: signed (itsdangerous), timed, and registered in the database.

A token names its user and carries the secret of a server-side session of kind "api"
(workflows.services.logins): every request checks the signature, the age, then that
session, so a token can be revoked before it expires; logging out of the pages revokes
the user's tokens. The user is read again at every request, so disabling an account
stops its tokens at once; DELETE /auth/token revokes the token used, and an administrator can
end all of a user's (workflows.services.logins.sign_out_user). The salt keeps tokens apart
from session cookies.
"""
from functools import lru_cache

from flask import request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from workflows.services.logins import open_session, revoke_session, session_actor

from .context import conventio, web_settings

SALT = "conventio-api-token"
KIND = "api"


@lru_cache(maxsize=8)
def _serializer(secret_key, previous=()):
    # itsdangerous signs with the last key and verifies with any of them. Kept: every request
    # checks a token, and a serializer is the same for the same keys.
    return URLSafeTimedSerializer([*previous, secret_key], salt=SALT)


def sign_token(secret_key, username, session_secret):
    return _serializer(secret_key).dumps({"u": username, "s": session_secret})


def token_claims(secret_key, token, max_age, previous=()):
    """(username, session secret) of a token younger than max_age signed with the key or one of
    the `previous` keys (rotation); None otherwise."""
    try:
        payload = _serializer(secret_key, previous).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), str):
        return None
    return payload["u"], payload.get("s")


def issue_token(secret_key, username):
    """A new token for `username`, registered for the configured token lifetime."""
    secret = open_session(conventio(), username, KIND, web_settings().token_max_age)
    return sign_token(secret_key, username, secret)


def token_actor(secret_key, token, max_age):
    """The active user a valid token names, as an Actor (one query); None when forged,
    malformed, expired, revoked, or its user disabled."""
    claims = token_claims(secret_key, token, max_age, web_settings().previous_secret_keys)
    if claims is None:
        return None
    username, secret = claims
    actor = session_actor(conventio(), secret, KIND)
    return actor if actor is not None and actor.username == username else None


def bearer_token():
    """The token of the current request's Authorization: Bearer header; None without one."""
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def revoke_token(secret_key, token, max_age, actor):
    """Revoke the token `actor` authenticated with: refused from then on by every server process."""
    claims = token_claims(secret_key, token, max_age)
    return claims is not None and revoke_session(conventio(), claims[1], actor, KIND)
