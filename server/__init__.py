"""The Flask application: pages in French for everyday work, and the JSON API.

    create_app()                        settings from CONVENTIO_* variables
    create_app(settings=Settings(...))  a given database and data dir
    create_app(conventio=opened)        share an opened Conventio (the CLI, the tests)
"""
from datetime import timedelta
from pathlib import Path

from flask import Flask

from workflows.config import Settings
from workflows.services import open_conventio

from . import extensions
from .config import WebSettings

HERE = Path(__file__).resolve().parent


def create_app(settings=None, conventio=None, test_config=None):
    test_config = dict(test_config or {})
    if conventio is None:
        conventio = open_conventio(settings or Settings.from_env())
    web = test_config.pop("WEB_SETTINGS", None) or WebSettings.from_env(conventio.settings.data_dir)

    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(
        SECRET_KEY=web.secret_key,
        SECRET_KEY_FALLBACKS=list(web.previous_secret_keys),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=web.https,
        SESSION_COOKIE_NAME="conventio_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=web.session_hours),
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=web.session_hours * 3600,
        WTF_CSRF_SSL_STRICT=web.https,
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_DEFAULT_TIMEZONE="Europe/Paris",
        PREFERRED_URL_SCHEME="https" if web.https else "http",
    )
    app.config.update(test_config)
    app.json.sort_keys = False   # keep a form's fields in the order its author wrote them
    app.extensions["conventio"] = conventio
    app.extensions["conventio_web"] = web

    extensions.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app):
    from .api import bp as api
    from .views import (
        accessibility, account, admin, attachments, auth, dashboard, documents, drafts, errors, handover, inbox,
        instances, ledger, models, roster, tasks, vendor,
    )
    for module in (auth, accessibility, inbox, tasks, drafts, handover, account, instances, documents, attachments,
                   models, admin, roster, dashboard, ledger, vendor):
        app.register_blueprint(module.bp)
    app.register_blueprint(api)
    errors.init_app(app)
