"""Migration 0008 brings a database of the previous version to the ledger's tables, on
SQLite and PostgreSQL, exactly as the models describe them."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from helpers import ADMIN
from ledger_helpers import DIRECTOR, small_campaign
from workflows.services import ledger, open_conventio
from workflows.services.users import add_user, list_users
from workflows.store.db import open_database
from workflows.store.migrate import current_revision, head_revisions, upgrade
from workflows.store.models import Base


# Alembic cannot reflect the expression index of 0005 (not a ledger table): it says so, twice.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_a_database_of_the_previous_version_is_upgraded_to_the_ledger(any_db_settings):
    db = open_database(any_db_settings.database_url)
    try:
        upgrade(db, "0007")
        with db.write_engine.begin() as connection:
            connection.execute(text("INSERT INTO user_account (username, display_name, roles, territories, active, "
                                    "source) VALUES ('ancien', 'Ancien', '[\"director\"]', '[\"CAPN\"]', true, 'local')"))
        upgrade(db)
        assert {current_revision(db)} == set(head_revisions())   # later migrations (0009…) ran too
        with db.engine.connect() as connection:
            differences = [d for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                           if "ledger" in str(d)]
        assert differences == []
    finally:
        db.dispose()
    app = open_conventio(any_db_settings)
    try:
        assert [u["username"] for u in list_users(app)] == ["ancien"]
        campaign = small_campaign(app)
        assert ledger.campaign_figures(app, campaign, DIRECTOR)["carnets"]["stock"] == {"10": 20, "5": 10}
        add_user(app, "nouveau", ["prescriber"], ["CAPN"], by=ADMIN)
    finally:
        app.close()
