"""API tokens: signed (itsdangerous) and timed, so that no token table is needed.

A token names its user; the user is read again at every request, so disabling an
account stops its tokens at once. The salt keeps tokens apart from session cookies.
"""
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "conventio-api-token"


def _serializer(secret_key):
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def issue_token(secret_key, username):
    return _serializer(secret_key).dumps({"u": username})


def read_token(secret_key, token, max_age):
    """The username a valid token names; None when forged, malformed or expired."""
    try:
        payload = _serializer(secret_key).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return payload.get("u") if isinstance(payload, dict) else None
