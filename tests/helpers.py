"""Helpers shared by the tests."""
import os
from dataclasses import replace
from pathlib import Path

from alembic import command

from workflows.config import Settings
from workflows.store.migrate import alembic_config
from workflows.services.actors import Actor
from workflows.services.deploy import deploy_sources

ROOT = Path(__file__).resolve().parent.parent
# CI clones the repository with shared/ beside it; a developer's checkout has it one level up.
CONFORMANCE = Path(os.environ.get("CONVENTIO_CONFORMANCE_DIR", ROOT.parent / "shared" / "conformance"))

ADMIN = Actor("admin", frozenset({"admin"}), display_name="Administrateur")


def actor(username, *roles, territories=()):
    return Actor(username, frozenset(roles), frozenset(territories), username)


def sqlite_settings(tmp_path):
    return Settings.from_env(env={}, data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'conventio.db'}")


# How a test's Conventio keeps its instances between steps: "warm" as a long-running
# server does, "cold" as every CLI command, restart, other server process and worker
# does (each step loads the instance afresh from the database).
WARM_AND_COLD = ("warm", "cold")


def with_instances(settings, mode):
    """The settings for a warm or a cold Conventio."""
    return settings if mode == "warm" else replace(settings, instance_cache_size=0)


def deploy_xml(app, files, by=ADMIN):
    """Deploy {name: xml text} and return the Deployed list."""
    return deploy_sources(app, {name: text.encode() for name, text in files.items()}, by)


def downgrade(db, revision):
    """Take the database down to `revision` (the migrations' tests: down, then up again)."""
    with db.write_engine.begin() as connection:
        config = alembic_config(db.url)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
