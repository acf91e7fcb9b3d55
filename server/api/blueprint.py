"""The API's blueprint and who calls it: a bearer token, or a session (with its CSRF token for writes)."""
from flask import Blueprint, g, request

from workflows.errors import ErrorCode

from ..context import web_settings
from ..extensions import csrf
from ..tokens import bearer_token, token_actor
from ..http import error_response

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PUBLIC_ENDPOINTS = {"api.issue_token", "api.openapi_document"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@bp.before_request
def authenticate_request():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    token = bearer_token()
    if token is not None:
        settings = web_settings()
        g.actor = token_actor(settings.secret_key, token, settings.token_max_age)
        if g.actor is None:
            return error_response(401, ErrorCode.NOT_AUTHENTICATED,
                                  "Jeton invalide ou expiré : demandez-en un nouveau.")
        return None
    if g.get("actor") is None:
        return error_response(401, ErrorCode.NOT_AUTHENTICATED,
                              "Authentification requise : jeton (Authorization: Bearer …) ou session.")
    if request.method not in SAFE_METHODS:
        csrf.protect()   # a session cookie alone must not let another site write
    return None

