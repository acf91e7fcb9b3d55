"""Handing a task over: a director gives it to a colleague, from the task's page when they may
open it (their own lanes), or from the page « Confier » the procedure's page links to (any lane of
their territory); the substitute of an absent colleague takes it (the claim form of the inbox).
The task page includes tasks/_handover.html, which asks `task_handover` what to offer."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.services.absences import replacing
from workflows.services.assignments import colleagues_for, reassign_task, reassignable
from workflows.services.rights import may_reassign

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("handover", __name__)


@bp.app_template_global()
def task_handover(task, claim):
    """What the task's page offers: the colleagues a director may hand it to (None to others), and
    the absent colleague the actor replaces when that colleague holds it (None otherwise)."""
    actor = current_actor()
    if task["state"] != "ready":
        return {"colleagues": None, "replacing": None, "claimed_by": None}
    colleagues = colleagues_for(conventio(), task["id"], actor) if may_reassign(actor, task["territory"]) else None
    held = claim["claimed_by"] if claim else None
    absent = held if held and held != actor.username and held in replacing(conventio(), actor) else None
    return {"colleagues": colleagues, "replacing": absent, "claimed_by": held}


@bp.get("/tasks/<task_id>/confier")
@login_required
def reassign_form(task_id):
    return render_template("tasks/reassign.html", handover=reassignable(conventio(), task_id, current_actor()))


@bp.post("/tasks/<task_id>/reassign")
@login_required
def reassign(task_id):
    claimed = reassign_task(conventio(), task_id, request.form.get("user", ""), current_actor())
    flash(_("Tâche confiée à « %(user)s ».", user=claimed["claimed_by"]), "success")
    back = request.form.get("next", "")   # the page the form was on: the task's, or « Confier »
    return redirect(back if back.startswith("/") and not back.startswith("//") else
                    url_for(".reassign_form", task_id=task_id))
