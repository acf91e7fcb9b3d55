"""A task's draft (/api/v1/tasks/{id}/draft): read, saved whole (PUT), discarded; the rights are
the service's (services/drafts.py), as for the pages and the command line."""
from flask import g, jsonify

from workflows.errors import NotFound
from workflows.services.drafts import discard_draft, read_draft, save_draft

from ..context import conventio
from .blueprint import bp
from .routes import json_body


@bp.get("/tasks/<task_id>/draft")
def draft(task_id):
    found = read_draft(conventio(), task_id, g.actor)
    if found is None:
        raise NotFound(f"La tâche {task_id} n’a pas de brouillon.")
    return jsonify(found)


@bp.put("/tasks/<task_id>/draft")
def save(task_id):
    body = json_body()
    return jsonify(save_draft(conventio(), task_id, body.get("values"), g.actor))


@bp.delete("/tasks/<task_id>/draft")
def discard(task_id):
    return jsonify({"task_id": task_id, "discarded": discard_draft(conventio(), task_id, g.actor)})
