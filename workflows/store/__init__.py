"""Persistence: SQLAlchemy models, Alembic migrations, the database and the unit of work."""
