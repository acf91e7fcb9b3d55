"""The user of the current request: from the session (pages) or a bearer token (API).

The session cookie is signed, and names a server-side session (workflows.services.logins)
checked at every request: logging out deletes it, so a copy of the cookie taken before
logging out is refused after, by every server process.
"""
from functools import wraps

from flask import g, redirect, request, session, url_for

from workflows.services.logins import close_session, open_session, session_actor

from .context import conventio, web_settings

KIND = "page"


def start_session(actor):
    session.clear()  # a fresh session at login: no fixation
    session["user"] = actor.username
    session["sid"] = open_session(conventio(), actor.username, KIND, web_settings().session_hours * 3600)
    session.permanent = True


def end_session():
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def log_out():
    """Revoke this browser's session and the user's API tokens, then forget the cookie's content."""
    close_session(conventio(), session.get("sid"), revoke_tokens=True)
    end_session()


def load_session_actor():
    g.actor = None
    if "user" not in session:
        return
    actor = session_actor(conventio(), session.get("sid"), KIND)
    if actor is None or actor.username != session["user"]:
        end_session()     # revoked, expired, from before server-side sessions, or user disabled
    else:
        g.actor = actor


def current_actor():
    return g.get("actor")


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_actor() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapper
