"""The inbox: my claimed tasks, my roles' queue, colleagues' tasks; claim and release."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.services.assignments import claim_task, inbox, release_task
from workflows.services.names import names_for

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("inbox", __name__)


@bp.get("/inbox")
@login_required
def index():
    lists = inbox(conventio(), current_actor())
    tasks = [task for listed in lists.values() for task in listed]
    names = names_for(conventio(), territories={t["territory"] for t in tasks},
                      processes={t["process_id"] for t in tasks}, people={t["claimed_by"] for t in tasks})
    return render_template("inbox/index.html", lists=lists, names=names)


def _back():
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for(".index"))


@bp.post("/tasks/<task_id>/claim")
@login_required
def claim(task_id):
    claim_task(conventio(), task_id, current_actor())
    flash(_("Tâche prise en charge."), "success")
    return _back()


@bp.post("/tasks/<task_id>/release")
@login_required
def release(task_id):
    release_task(conventio(), task_id, current_actor())
    flash(_("Tâche remise dans la file de son rôle."), "success")
    return _back()
