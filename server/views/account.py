"""The user's own page: who they are, their absences (and those where they replace someone), and
declaring an absence with its substitute (for oneself; for a colleague, their territory's
direction or an administrator); cancelling an absence or bringing its last day forward."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.errors import ConventioError, InvalidData
from workflows.roles import REASSIGNING_ROLES
from workflows.services.absences import cancel_absence, declare_absence, list_absences, shorten_absence

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("account", __name__)


def _page(status=200, form=None, error=None, errors=None, change=None):
    """`change`: a refused change of an absence, {"id", "message", "field", "last_day"} (the value typed)."""
    actor = current_actor()
    return render_template("account/index.html", absences=list_absences(conventio(), actor), form=form or {},
                           error=error, errors=errors or {}, change=change,
                           declares_for_others=actor.is_admin or bool(actor.roles & REASSIGNING_ROLES)), status


@bp.get("/compte")
@login_required
def index():
    return _page()


@bp.post("/compte/absences")
@login_required
def declare():
    actor, form = current_actor(), request.form
    try:
        absence = declare_absence(conventio(), form.get("username", "").strip() or actor.username,
                                  form.get("substitute", ""), form.get("first_day", ""), form.get("last_day", ""),
                                  actor)
    except InvalidData as invalid:   # the form again, as typed, the message by its field
        return _page(422, form, invalid.message, invalid.details)
    flash(_("Absence de « %(user)s » enregistrée : « %(substitute)s » la remplace.", user=absence["username"],
            substitute=absence["substitute"]), "success")
    return redirect(url_for(".index"))


@bp.post("/compte/absences/<int:absence_id>/annuler")
@login_required
def cancel(absence_id):
    try:
        absence = cancel_absence(conventio(), absence_id, current_actor())
    except ConventioError as refused:
        return _page(refused.http_status, change={"id": absence_id, "message": refused.message})
    flash(_("Absence de « %(user)s » annulée : « %(substitute)s » ne la remplace plus.", user=absence["username"],
            substitute=absence["substitute"]), "success")
    return redirect(url_for(".index"))


@bp.post("/compte/absences/<int:absence_id>/ecourter")
@login_required
def shorten(absence_id):
    last_day = request.form.get("last_day", "")
    try:
        absence = shorten_absence(conventio(), absence_id, last_day, current_actor())
    except ConventioError as refused:
        field = next(iter(refused.details or {}), None) if isinstance(refused.details, dict) else None
        return _page(refused.http_status, change={"id": absence_id, "message": refused.message, "field": field,
                                                  "last_day": last_day})
    flash(_("Absence de « %(user)s » écourtée.", user=absence["username"]), "success")
    return redirect(url_for(".index"))
