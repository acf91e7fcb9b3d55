"""One task: its form rendered from the JSON schema, and its completion."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import escape

from workflows.errors import InvalidData
from workflows.services import ModelCodeStopped
from workflows.services.assignments import claims_for
from workflows.services.tasks import complete_task, get_task

from ..context import conventio
from ..identity import current_actor, login_required
from ..instructions import render_instructions
from ..schema_form import approval_choices, build_fields, parse_submission, unplaced_errors

# Rendered by name in a model code worker (engine.call_bounded), bounded like model code.
RENDER_INSTRUCTIONS = f"{render_instructions.__module__}:{render_instructions.__name__}"

bp = Blueprint("tasks", __name__)


def _instructions(task, values):
    """The task's instructions, rendered in a model code worker: a template that runs past
    the script budget or memory shows a notice, and the server goes on."""
    try:
        return conventio().engine.call_bounded(RENDER_INSTRUCTIONS, task.get("instructions"), values)
    except ModelCodeStopped:
        return escape(_("Consignes non affichées : leur mise en forme dépasse la durée ou la mémoire "
                        "permises ; signalez-le au responsable du modèle."))


def _render(task, values, errors=None, use_defaults=True, extra_rows=None, status=200):
    schema = task["form"]
    approval = approval_choices(schema)
    fields = build_fields(schema, values, errors, use_defaults, extra_rows, skip={"decision"} if approval else ())
    claim = claims_for(conventio(), [task["id"]]).get(task["id"])
    return render_template("tasks/task.html", task=task, fields=fields, approval=approval,
                           decision_error=(errors or {}).get("decision"), claim=claim,
                           general_errors=unplaced_errors(fields, errors or {}) if errors else {},
                           schema=schema, instructions=_instructions(task, values)), status


@bp.get("/tasks/<task_id>")
@login_required
def show(task_id):
    task = get_task(conventio(), task_id, current_actor())
    return _render(task, task.get("data") or {})


@bp.post("/tasks/<task_id>")
@login_required
def complete(task_id):
    actor = current_actor()
    task = get_task(conventio(), task_id, actor)
    schema = task["form"]
    data = parse_submission(schema, request.form)
    grow = request.form.get("_add_row")
    if grow:   # "Ajouter une ligne": show the form again, one row longer, nothing submitted
        return _render(task, data, use_defaults=False, extra_rows={grow: 1})
    try:
        result = complete_task(conventio(), task_id, data, actor)
    except InvalidData as invalid:
        return _render(task, data, invalid.details, use_defaults=False, status=422)
    flash(_("« %(name)s » est terminée.", name=task["name"]), "success")
    mine = [t for t in result["next_tasks"] if actor.may_act_in(t["role"])]
    if len(mine) == 1:
        return redirect(url_for(".show", task_id=mine[0]["id"]))
    return redirect(url_for("inbox.index"))
