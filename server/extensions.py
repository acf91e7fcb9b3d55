"""Flask extensions and what every request needs: language, CSRF, security headers."""
from flask import current_app
from flask_babel import Babel, get_locale
from flask_wtf.csrf import CSRFProtect

from .formatting import register_filters

# French only (issue 15): task names, rule messages and documents come from French models and
# services, so an English page would be half French. The pages keep their gettext marks: a
# language can come back with a complete catalogue, not before.
LOCALE = "fr"

babel = Babel()
csrf = CSRFProtect()


def select_locale():
    return LOCALE


def security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # bpmn-js sets inline style attributes on the SVG it draws; scripts stay same-origin only.
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                "frame-ancestors 'none'; form-action 'self'")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app):
    from . import accounts
    from .identity import load_session_actor
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    accounts.init_app(app)
    app.before_request(load_session_actor)
    app.after_request(security_headers)
    register_filters(app)
    app.jinja_env.globals["get_locale"] = get_locale
