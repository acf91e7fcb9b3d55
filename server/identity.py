"""The user of the current request: from the session (pages) or a bearer token (API)."""
from functools import wraps

from flask import g, redirect, request, session, url_for

from workflows.errors import Forbidden, NotFound
from workflows.services.users import get_actor

from .context import conventio


def start_session(actor):
    session.clear()  # a fresh session at login: no fixation
    session["user"] = actor.username
    session.permanent = True


def end_session():
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def actor_named(username):
    """The active user `username`, or None (unknown or disabled since)."""
    if not username:
        return None
    try:
        return get_actor(conventio(), username)
    except NotFound:
        return None


def load_session_actor():
    g.actor = actor_named(session.get("user"))
    if g.actor is None and "user" in session:
        end_session()


def current_actor():
    return g.get("actor")


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_actor() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapper


def require_admin(actor):
    if not actor.is_admin:
        raise Forbidden("Cette action est réservée aux administrateurs de Conventio.")


def require_starter(actor, starter_roles):
    if not actor.roles & starter_roles:
        raise Forbidden("Votre rôle ne permet pas de démarrer une procédure.")
