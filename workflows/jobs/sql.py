"""INSERT … ON CONFLICT for the two databases we run on (both dialects spell it the same)."""
from sqlalchemy.dialects import postgresql, sqlite


def insert_on_conflict(session, model):
    """An insert of `model` that offers on_conflict_do_nothing / on_conflict_do_update."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)
