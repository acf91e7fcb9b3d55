"""Shared fixtures: a Conventio on a fresh SQLite file, or on the machine's PostgreSQL."""
import os
import uuid

import pytest

from workflows.config import Settings
from workflows.services import open_conventio
from helpers import sqlite_settings

POSTGRES_URL = os.environ.get("CONVENTIO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")

@pytest.fixture
def settings(tmp_path):
    return sqlite_settings(tmp_path)


@pytest.fixture
def app(settings):
    conventio = open_conventio(settings)
    yield conventio
    conventio.close()


def _postgres_admin_connection():
    import psycopg
    try:
        connection = psycopg.connect(POSTGRES_URL, connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL injoignable ({POSTGRES_URL}) : démarrez-le "
                    f"(pg_ctlcluster 15 main start) ou réglez CONVENTIO_TEST_POSTGRES_URL. {exc}")
    return connection


@pytest.fixture
def postgres_url():
    """A throw-away PostgreSQL database, dropped after the test."""
    admin = _postgres_admin_connection()
    name = f"conventio_test_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_settings(request, tmp_path):
    """The same test on the embedded SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_settings(tmp_path)
    url = request.getfixturevalue("postgres_url")
    return Settings.from_env(env={}, data_dir=tmp_path, database_url=url)


@pytest.fixture
def any_app(any_db_settings):
    conventio = open_conventio(any_db_settings)
    yield conventio
    conventio.close()
