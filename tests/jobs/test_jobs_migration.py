"""Migration 0004 creates exactly the jobs tables of the models, and goes down cleanly."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from helpers import downgrade
from workflows.store.migrate import upgrade
from workflows.store.models import Base

JOBS_TABLES = {"job_run", "notification", "timer_dispatch", "indicator_value"}


def _is_jobs_object(obj, name, type_, _reflected, _compare_to):
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in JOBS_TABLES


def jobs_differences(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _is_jobs_object})
        return compare_metadata(context, Base.metadata)


def tables(db):
    return set(inspect(db.engine).get_table_names())


def test_the_jobs_tables_match_the_models_and_the_migration_goes_down_and_up(any_app):
    assert JOBS_TABLES <= tables(any_app.db)
    assert jobs_differences(any_app.db) == []
    downgrade(any_app.db, "0003")
    assert not JOBS_TABLES & tables(any_app.db)
    upgrade(any_app.db)
    assert jobs_differences(any_app.db) == []
