"""Opening a database checks its schema with one query; Alembic runs only when behind."""
from alembic.script import ScriptDirectory
from sqlalchemy import text

from workflows.store.db import open_database
from workflows.store.migrate import alembic_config, current_revision, head_revisions, is_up_to_date, upgrade


def test_the_heads_read_from_the_files_are_alembics():
    assert head_revisions() == frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def test_a_new_database_is_behind_then_up_to_date_and_an_older_one_is_brought_to_head(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        assert not is_up_to_date(db)
        upgrade(db, "0002")
        assert not is_up_to_date(db) and current_revision(db) == "0002"
        upgrade(db)
        assert is_up_to_date(db) and {current_revision(db)} == set(head_revisions())
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM generated_document")).scalar() == 0
            indexes = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' "
                                              "AND tbl_name = 'generated_document'")).scalars().all()
        assert "uq_document_recipient_revision" in indexes   # no later migration rebuilt the table without it
    finally:
        db.dispose()
