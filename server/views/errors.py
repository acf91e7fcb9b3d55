"""Errors as pages (French, with the right status), or as JSON under /api/."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflows.errors import ConventioError

HTTP_CODES = {400: "requete_invalide", 401: "non_authentifie", 403: "interdit", 404: "introuvable",
              405: "methode_non_permise", 409: "conflit", 413: "trop_volumineux", 429: "trop_de_tentatives"}


def wants_json():
    return request.path.startswith("/api/")


def error_response(status, code, message, details=None):
    if wants_json():
        response = jsonify({"error": code, "message": message, "details": details if details is not None else {}})
        response.status_code = status
        return response
    return render_template("errors/error.html", status=status, message=message, details=details), status


def _domain_error(exc):
    return error_response(exc.http_status, exc.code, exc.message, exc.details)


def _csrf_error(exc):
    return error_response(400, "jeton_csrf", _("Le formulaire a expiré ou ne vient pas de Conventio : "
                                               "rechargez la page et recommencez."))


def _http_error(exc):
    messages = {404: _("Page introuvable."), 405: _("Méthode non permise."),
                413: _("Fichier trop volumineux."), 400: _("Requête invalide.")}
    return error_response(exc.code, HTTP_CODES.get(exc.code, "erreur"),
                          messages.get(exc.code, exc.description or exc.name))


def init_app(app):
    app.register_error_handler(ConventioError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
