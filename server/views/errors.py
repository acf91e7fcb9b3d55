"""Errors as pages (French, with the right status), or as JSON under /api/."""
import logging

from flask import abort, make_response, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from workflows.errors import ConventioError, ErrorCode

from ..http import DATABASE_UNAVAILABLE, MAX_ID, error_response, first_line

log = logging.getLogger(__name__)

HTTP_CODES = {400: ErrorCode.INVALID_REQUEST, 401: ErrorCode.NOT_AUTHENTICATED, 403: ErrorCode.FORBIDDEN,
              404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED, 409: ErrorCode.CONFLICT,
              413: ErrorCode.TOO_LARGE, 429: ErrorCode.TOO_MANY_ATTEMPTS, 500: ErrorCode.INTERNAL_ERROR}


def _domain_error(exc):
    return error_response(exc.http_status, exc.code, exc.message, exc.details)


def _csrf_error(exc):
    return error_response(400, ErrorCode.CSRF_TOKEN, _("Le formulaire a expiré ou ne vient pas de Conventio : "
                                                       "rechargez la page et recommencez."))


def _http_error(exc):
    messages = {404: _("Page introuvable."), 405: _("Méthode non permise."),
                413: _("Fichier trop volumineux."), 400: _("Requête invalide."),
                500: _("Erreur interne : l’incident est journalisé ; réessayez plus tard.")}
    response = error_response(exc.code, HTTP_CODES.get(exc.code, ErrorCode.ERROR),
                              messages.get(exc.code, exc.description or exc.name))
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        response = make_response(response)
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _database_unavailable(exc):
    log.warning("Base de données indisponible (%s) : %s", request.path, first_line(exc))
    response = make_response(error_response(
        503, ErrorCode.DATABASE_UNAVAILABLE,
        _("La base de données est momentanément indisponible : réessayez dans quelques instants.")))
    response.headers["Retry-After"] = "5"
    return response


def _data_refused(exc):
    """The last guard: a value the database refuses (out of range, too long…) is the request's fault."""
    log.warning("Valeur refusée par la base (%s) : %s", request.path, first_line(exc))
    return error_response(422, ErrorCode.INVALID_DATA, _("Valeur refusée par la base de données (hors limites)."))


def refuse_nul_characters():
    """A NUL in a path, a query or a form field: PostgreSQL cannot hold it, and no user types it."""
    values = [*(request.view_args or {}).values(), *request.args.values()]
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        values += request.form.values()
    if any(isinstance(value, str) and "\x00" in value for value in values):
        return error_response(400, ErrorCode.INVALID_REQUEST, _("Requête invalide : caractère nul."))
    return None


def refuse_identifiers_out_of_range(_endpoint, values):
    """<int:…> is an identifier: beyond what its column holds there is no such thing (404).
    Checked here rather than by the converter, for which Werkzeug would answer 405 to a
    method another route of the same path accepts."""
    if values and any(isinstance(v, int) and v > MAX_ID for v in values.values()):
        abort(404)


def init_app(app):
    app.register_error_handler(ConventioError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, _database_unavailable)
    app.register_error_handler(DataError, _data_refused)
    app.before_request(refuse_nul_characters)
    app.url_value_preprocessor(refuse_identifiers_out_of_range)
