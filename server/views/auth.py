"""Logging in and out of the pages."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts import LoginRefused, ldap_enabled, log_in
from ..identity import current_actor, log_out, start_session
from ..throttle import client_address

bp = Blueprint("auth", __name__)


def _safe_next(target):
    """Only a path of this site: never send someone elsewhere after logging in."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not (target or "").startswith("/") or target.startswith("//"):
        return url_for("inbox.index")
    return target


@bp.get("/")
def home():
    return redirect(url_for("inbox.index" if current_actor() else "auth.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_page = _safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_actor() is not None:
            return redirect(next_page)
        return render_template("auth/login.html", next=next_page, ldap=ldap_enabled())
    username = request.form.get("username", "")
    try:
        actor = log_in(username, request.form.get("password", ""), client_address())
    except LoginRefused as refused:
        return render_template("auth/login.html", next=next_page, ldap=ldap_enabled(), username=username,
                               error=refused.message), refused.status
    start_session(actor)
    flash(_("Bienvenue, %(name)s.", name=actor.display_name or actor.username), "success")
    return redirect(next_page)


@bp.post("/logout")
def logout():
    log_out()
    flash(_("Vous êtes déconnecté(e)."), "success")
    return redirect(url_for("auth.login"))
