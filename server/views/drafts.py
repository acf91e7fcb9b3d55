"""A task's draft from its page: saved by the form's « Enregistrer le brouillon » button (or by
task_form.js as one types, asking for JSON), discarded by « Effacer le brouillon ». The task page
fills its form from the draft (views/tasks.py)."""
from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask_babel import format_time, gettext as _

from workflows.errors import Conflict, InvalidData, TooLarge
from workflows.services.drafts import discard_draft, save_draft
from workflows.services.tasks import get_task

from ..context import conventio
from ..draft_form import form_draft
from ..formatting import parse_moment
from ..identity import current_actor, login_required

bp = Blueprint("drafts", __name__)


def _asks_json():
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _back(task_id):
    return redirect(url_for("tasks.show", task_id=task_id) + "#task-form")


@bp.post("/tasks/<task_id>/draft")
@login_required
def save(task_id):
    actor = current_actor()
    task = get_task(conventio(), task_id, actor)
    try:
        draft = save_draft(conventio(), task_id, form_draft(task, request.form), actor)
    except (Conflict, InvalidData, TooLarge) as refused:
        if _asks_json():
            return jsonify(refused.to_dict()), refused.http_status
        flash(_("Brouillon non enregistré : %(why)s", why=refused.message), "error")
        return _back(task_id)
    saved = _("Brouillon enregistré à %(time)s.", time=format_time(parse_moment(draft["saved_at"]), "H 'h' mm"))
    if _asks_json():
        return jsonify(dict(draft, message=saved))
    flash(saved, "success")
    return _back(task_id)


@bp.post("/tasks/<task_id>/draft/discard")
@login_required
def discard(task_id):
    try:
        discard_draft(conventio(), task_id, current_actor())
    except Conflict as refused:
        flash(_("Brouillon non effacé : %(why)s", why=refused.message), "error")
        return _back(task_id)
    flash(_("Brouillon effacé : le formulaire reprend les données de la procédure."), "success")
    return _back(task_id)
