"""Users and roles (administrators only): list, add, disable, enable, sign out everywhere."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.errors import ConventioError
from workflows.roles import ROLE_LABELS
from workflows.services.logins import sign_out_user
from workflows.services.rights import require_admin
from workflows.services.users import add_user, list_users, set_active

from ..context import conventio
from ..identity import current_actor, login_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(status=200, **context):
    return render_template("admin/users.html", users=list_users(conventio(), current_actor()), roles=ROLE_LABELS,
                           **context), status


@bp.get("/users")
@login_required
def users():
    require_admin(current_actor())
    return _page()


@bp.post("/users")
@login_required
def add():
    actor = current_actor()
    require_admin(actor)
    form = request.form
    territories = [t.strip() for t in form.get("territories", "").split(",") if t.strip()]
    password = form.get("password", "")
    if len(password) < 12:
        return _page(422, error=_("Le mot de passe doit compter au moins 12 caractères."), form=form)
    try:
        add_user(conventio(), form.get("username", ""), form.getlist("roles"), territories, password,
                 form.get("display_name", "").strip() or None, by=actor)
    except ConventioError as refused:
        return _page(refused.http_status, error=refused.message, form=form)
    flash(_("Utilisateur « %(name)s » créé.", name=form.get("username", "").strip()), "success")
    return redirect(url_for(".users"))


@bp.post("/users/<username>/active")
@login_required
def toggle(username):
    actor = current_actor()
    require_admin(actor)
    active = request.form.get("active") == "1"
    if not active and username == actor.username:
        flash(_("Vous ne pouvez pas désactiver votre propre compte."), "error")
        return redirect(url_for(".users"))
    set_active(conventio(), username, active, actor)
    flash(_("Utilisateur « %(name)s » réactivé.", name=username) if active
          else _("Utilisateur « %(name)s » désactivé.", name=username), "success")
    return redirect(url_for(".users"))


@bp.post("/users/<username>/sign-out")
@login_required
def sign_out(username):
    """Every page session and API token of the user ended (the administrator's own included)."""
    ended = sign_out_user(conventio(), username, current_actor())
    flash(_("Utilisateur « %(name)s » déconnecté partout (%(count)d session(s) ou jeton(s) fermé(s)).",
            name=username, count=ended), "success")
    return redirect(url_for(".users"))
