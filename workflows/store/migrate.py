"""Run the Alembic migrations against a Conventio database."""
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database, revision="head"):
    """Bring the schema to `revision`; safe to call on an up-to-date database."""
    with database.write_engine.begin() as connection:
        config = alembic_config(database.url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(database):
    from alembic.runtime.migration import MigrationContext
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
