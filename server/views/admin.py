"""Users and roles (list, add, disable, enable, sign out everywhere), territories and their groupings
(administrators only)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.errors import ConventioError
from workflows.roles import ROLE_LABELS
from workflows.services.logins import sign_out_user
from workflows.services.rights import require_admin
from workflows.services.territories import KINDS as TERRITORY_KINDS, add_territory, list_territories
from workflows.services.territory_import import import_territories
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
                 form.get("display_name", "").strip() or None, by=actor,
                 organisation=form.get("organisation", "").strip() or None)
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


# --- territories and groupings ------------------------------------------------------------------
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _territories_page(status=200, **context):
    return render_template("admin/territories.html", territories=list_territories(conventio(), current_actor()),
                           kinds=TERRITORY_KINDS, **context), status


@bp.get("/territories")
@login_required
def territories():
    require_admin(current_actor())
    return _territories_page()


@bp.post("/territories")
@login_required
def add_territory_page():
    actor = current_actor()
    require_admin(actor)
    form = request.form
    fields = ("code", "name", "kind", "population", "population_year", "time_zone", "operator")
    try:
        add_territory(conventio(), actor, **{f: form.get(f, "") for f in fields},
                      hubs=form.get("hubs", "").replace(",", "|"))
    except ConventioError as refused:
        return _territories_page(refused.http_status, error=refused.message, errors=refused.details, form=form)
    flash(_("Territoire « %(code)s » ajouté.", code=form.get("code", "").strip()), "success")
    return redirect(url_for(".territories"))


@bp.post("/territories/import")
@login_required
def import_territories_page():
    actor = current_actor()
    require_admin(actor)
    upload = request.files.get("file")
    content = upload.read(MAX_IMPORT_BYTES + 1) if upload else b""
    if len(content) > MAX_IMPORT_BYTES:
        return _territories_page(413, import_error=_("Fichier trop gros : 5 Mo au plus."))
    try:
        done = import_territories(conventio(), actor, content)
    except ConventioError as refused:
        return _territories_page(refused.http_status, import_error=refused.message,
                                 import_problems=refused.details)
    flash(_("%(n)s territoire(s) importé(s) : %(created)s créé(s), %(updated)s mis à jour.",
            n=len(done["codes"]), created=done["created"], updated=done["updated"]), "success")
    return redirect(url_for(".territories"))
