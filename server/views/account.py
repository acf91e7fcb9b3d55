"""The user's own page: who they are, their absences (and those where they replace someone), and
declaring an absence with its substitute (for oneself; for a colleague, their territory's
direction or an administrator)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.errors import InvalidData
from workflows.roles import REASSIGNING_ROLES
from workflows.services.absences import declare_absence, list_absences

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("account", __name__)


def _page(status=200, form=None, error=None, errors=None):
    actor = current_actor()
    return render_template("account/index.html", absences=list_absences(conventio(), actor), form=form or {},
                           error=error, errors=errors or {},
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
