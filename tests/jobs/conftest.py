"""Fixtures of the jobs tests: a Conventio on PostgreSQL, a local SMTP server, real Celery processes."""
import uuid

import pytest

from jobs_helpers import CeleryProcesses, Inbox
from workflows.config import Settings
from workflows.services import open_conventio


@pytest.fixture
def pg_settings(postgres_url, tmp_path):
    return Settings.from_env(env={}, data_dir=tmp_path, database_url=postgres_url)


@pytest.fixture
def pg_app(pg_settings):
    conventio = open_conventio(pg_settings)
    yield conventio
    conventio.close()


@pytest.fixture
def queue():
    return f"conventio-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def inbox():
    with Inbox() as server:
        yield server


@pytest.fixture
def celery_processes(tmp_path):
    processes = CeleryProcesses(tmp_path, {})
    yield processes
    processes.stop()
