"""Alembic environment: the URL and connection come from Conventio, never from an ini file."""
from alembic import context

from workflows.store.models import Base

config = context.config
connection = config.attributes.get("connection")


def run():
    if connection is None:
        from sqlalchemy import create_engine
        with create_engine(config.get_main_option("sqlalchemy.url")).connect() as own_connection:
            context.configure(connection=own_connection, target_metadata=Base.metadata,
                              render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
