"""Run the Alembic migrations against a Conventio database."""
import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_ASSIGNED = re.compile(r"^(revision|down_revision)\s*=\s*['\"]([^'\"]*)['\"]", re.MULTILINE)


def alembic_config(url):
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database, revision="head"):
    """Bring the schema to `revision`; safe to call on an up-to-date database.

    Every command opens the database this way: an up-to-date one is recognised with one
    query, without loading Alembic (a tenth of a second per command)."""
    if revision == "head" and is_up_to_date(database):
        return
    from alembic import command
    with database.write_engine.begin() as connection:
        config = alembic_config(database.url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@lru_cache(maxsize=1)
def head_revisions():
    """The revisions no other migration revises, read from the migration files' headers."""
    revisions, revised = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        assigned = dict(_ASSIGNED.findall(path.read_text(encoding="utf-8")))
        revisions.add(assigned["revision"])
        revised.add(assigned.get("down_revision"))
    return frozenset(revisions - revised)


def is_up_to_date(database):
    try:
        with database.engine.connect() as connection:
            stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:   # no alembic_version table yet: a new database
        return False
    return frozenset(stored) == head_revisions()


def current_revision(database):
    from alembic.runtime.migration import MigrationContext
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
