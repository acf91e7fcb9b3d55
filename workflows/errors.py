"""Errors the use cases raise; entry points turn them into HTTP statuses or CLI messages.

Every message is French: it is what the user reads.
"""


class ConventioError(Exception):
    code = "erreur"
    http_status = 400

    def __init__(self, message, details=None):
        super().__init__(message)
        self.message = message
        self.details = details if details is not None else {}

    def to_dict(self):
        return {"error": self.code, "message": self.message, "details": self.details}


class ModelRejected(ConventioError):
    """A BPMN/DMN model that cannot be deployed; details lists every problem found."""
    code = "modele_refuse"
    http_status = 422


class InvalidData(ConventioError):
    """Submitted data does not satisfy a form; details maps field -> message."""
    code = "donnees_invalides"
    http_status = 422


class Conflict(ConventioError):
    """The task is no longer ready, or the instance moved on meanwhile."""
    code = "conflit"
    http_status = 409


class NotFound(ConventioError):
    code = "introuvable"
    http_status = 404


class Forbidden(ConventioError):
    code = "interdit"
    http_status = 403


class InstanceFailed(ConventioError):
    """A script, expression or decision of the model failed while running an instance."""
    code = "erreur_execution"
    http_status = 422
