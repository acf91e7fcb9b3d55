"""Web fixtures: a Flask app on a copy of a prepared database (demo users, library deployed).

The database with the users of two territories and the process library is built once
per session; each test gets its own copy of the file, so tests stay independent and fast.
"""
import shutil

import pytest
import werkzeug.security

from helpers import sqlite_settings
from ldap_server import slapd  # noqa: F401  (the session's OpenLDAP server)
from web_helpers import OTHER_TERRITORY, OTHER_USERS, PASSWORD, web_settings
from server import create_app
from server.demo import create_demo
from workflows.services import open_conventio
from workflows.services.logins import dummy_hash
from workflows.services.users import add_user


@pytest.fixture(scope="session")
def prepared_database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("prepared")
    conventio = open_conventio(sqlite_settings(folder))
    create_demo(conventio, password=PASSWORD)
    for username, role in OTHER_USERS.items():
        add_user(conventio, username, [role], [OTHER_TERRITORY], PASSWORD, username)
    conventio.close()
    return folder / "conventio.db"


@pytest.fixture
def conventio(prepared_database, tmp_path):
    shutil.copy(prepared_database, tmp_path / "conventio.db")
    opened = open_conventio(sqlite_settings(tmp_path))
    yield opened
    opened.close()


@pytest.fixture
def flask_app(conventio):
    return create_app(conventio=conventio, test_config={"TESTING": True, "WEB_SETTINGS": web_settings()})


@pytest.fixture
def client(flask_app):
    return flask_app.test_client()


@pytest.fixture
def hashes(monkeypatch):
    """The methods of every password hash computed (werkzeug's one hashing function)."""
    dummy_hash()   # made once per process, at create_app: not one of the counted ones
    calls = []
    real = werkzeug.security._hash_internal

    def counting(method, salt, password):
        calls.append(method)
        return real(method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counting)
    return calls
