"""What the pages and the API share to speak HTTP: the error response, the bounds of an
identifier, the database failures that make a 503, and the uploaded model files."""
from pathlib import PurePosixPath

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import InterfaceError, OperationalError, TimeoutError as PoolTimeout

from workflows.errors import InvalidData

MAX_ID = 2 ** 31 - 1   # identifiers and versions are INTEGER columns: 32 bits on PostgreSQL
# What a database that is down, restarting or saturated raises: the request changed nothing.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)
MODEL_SUFFIXES = (".bpmn", ".dmn", ".json")


def wants_json():
    return request.path.startswith("/api/")


def error_response(status, code, message, details=None):
    if wants_json():
        response = jsonify({"error": code, "message": message, "details": details if details is not None else {}})
        response.status_code = status
        return response
    return render_template("errors/error.html", status=status, message=message, details=details), status


def first_line(exc):
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def uploaded_sources(files):
    """{name: bytes} of uploaded files; forms (.json) also under forms/, where models refer to them."""
    sources = {}
    for file in files:
        name = PurePosixPath((file.filename or "").replace("\\", "/")).name
        if not name:
            continue
        if not name.lower().endswith(MODEL_SUFFIXES):
            raise InvalidData(_("Fichier refusé : %(name)s (attendus : .bpmn, .dmn, .json).", name=name),
                              {"problems": [{"file": name, "reason": "type de fichier non pris en charge"}]})
        content = file.read()
        sources[name] = content
        if name.lower().endswith(".json"):
            sources[f"forms/{name}"] = content
    if not any(n.lower().endswith((".bpmn", ".dmn")) for n in sources):
        raise InvalidData(_("Choisissez au moins un fichier .bpmn."), {"files": "champ obligatoire"})
    return sources
