"""Handing work over (/api/v1/tasks/{id}/reassign, /api/v1/absences): a director gives a task to a
colleague; a user away names a substitute, and cancels or shortens the absence. Each one a service call."""
from flask import g, jsonify, request

from workflows.errors import InvalidData
from workflows.services.absences import cancel_absence, declare_absence, list_absences, shorten_absence
from workflows.services.assignments import colleagues_for, reassign_task

from ..context import conventio
from .blueprint import bp
from .routes import json_body


def _text(body, name, required=True):
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidData(f"« {name} » : un texte est attendu.", {name: "champ obligatoire"})
    return value.strip()


@bp.get("/tasks/<task_id>/colleagues")
def colleagues(task_id):
    return jsonify(colleagues_for(conventio(), task_id, g.actor))


@bp.post("/tasks/<task_id>/reassign")
def reassign(task_id):
    return jsonify(reassign_task(conventio(), task_id, _text(json_body(), "user"), g.actor))


@bp.get("/absences")
def absences():
    return jsonify(list_absences(conventio(), g.actor, request.args.get("username") or None))


@bp.post("/absences")
def declare():
    body = json_body()
    absence = declare_absence(conventio(), _text(body, "username", required=False) or g.actor.username,
                              _text(body, "substitute"), _text(body, "first_day"), _text(body, "last_day"), g.actor)
    return jsonify(absence), 201


@bp.delete("/absences/<int:absence_id>")
def cancel(absence_id):
    return jsonify(cancel_absence(conventio(), absence_id, g.actor))


@bp.patch("/absences/<int:absence_id>")
def shorten(absence_id):
    return jsonify(shorten_absence(conventio(), absence_id, _text(json_body(), "last_day"), g.actor))
