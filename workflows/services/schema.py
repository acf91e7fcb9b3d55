"""The database schema's state, as the migrations left it."""
from ..store.migrate import current_revision


def schema_revision(app):
    """The Alembic revision the database is at."""
    return current_revision(app.db)
