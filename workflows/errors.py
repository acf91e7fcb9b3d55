"""Errors the use cases raise; entry points turn them into HTTP statuses or CLI messages.

Every message is French: it is what the user reads; the codes are stable, for programs.
"""
from enum import StrEnum


class ErrorCode(StrEnum):
    """The `error` of every refusal the API answers (and the CLI's exit reasons are its messages)."""
    ERROR = "erreur"
    MODEL_REJECTED = "modele_refuse"
    INVALID_DATA = "donnees_invalides"
    CONFLICT = "conflit"
    NOT_FOUND = "introuvable"
    FORBIDDEN = "interdit"
    EXECUTION_FAILED = "erreur_execution"
    CONFIGURATION = "configuration"
    DOCUMENT_DAMAGED = "document_altere"
    INVALID_REQUEST = "requete_invalide"
    NOT_AUTHENTICATED = "non_authentifie"
    CSRF_TOKEN = "jeton_csrf"
    METHOD_NOT_ALLOWED = "methode_non_permise"
    TOO_LARGE = "trop_volumineux"
    TOO_MANY_ATTEMPTS = "trop_de_tentatives"
    INTERNAL_ERROR = "erreur_interne"
    DATABASE_UNAVAILABLE = "base_indisponible"
    INVALID_CREDENTIALS = "identifiants_invalides"
    DIRECTORY_UNAVAILABLE = "annuaire_indisponible"
    NO_ROLE = "aucun_role"


class ConventioError(Exception):
    code = ErrorCode.ERROR
    http_status = 400

    def __init__(self, message, details=None):
        super().__init__(message)
        self.message = message
        self.details = details if details is not None else {}

    def to_dict(self):
        return {"error": self.code, "message": self.message, "details": self.details}


class ModelRejected(ConventioError):
    """A BPMN/DMN model that cannot be deployed; details lists every problem found."""
    code = ErrorCode.MODEL_REJECTED
    http_status = 422


class InvalidData(ConventioError):
    """Submitted data does not satisfy a form; details maps field -> message."""
    code = ErrorCode.INVALID_DATA
    http_status = 422


class Conflict(ConventioError):
    """The task is no longer ready, or the instance moved on meanwhile."""
    code = ErrorCode.CONFLICT
    http_status = 409


class NotFound(ConventioError):
    code = ErrorCode.NOT_FOUND
    http_status = 404


class Forbidden(ConventioError):
    code = ErrorCode.FORBIDDEN
    http_status = 403


class InstanceFailed(ConventioError):
    """A script, expression or decision of the model failed while running an instance."""
    code = ErrorCode.EXECUTION_FAILED
    http_status = 422


class TooLarge(ConventioError):
    """What was sent is beyond the size the use case keeps (a draft, for instance)."""
    code = ErrorCode.TOO_LARGE
    http_status = 413
