"""security: the journal's keyed chain and checkpoints, login throttle and sessions shared by every process

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    _upgrade_journal()
    _upgrade_login()


def downgrade():
    _downgrade_login()
    _downgrade_journal()


# --- the journal (issue 10, part 3) ---------------------------------------------------
# Each entry gains its seal: an HMAC with the journal key, which lives outside the
# database. The entries written before stay as they are (no seal, plain SHA-256 chain);
# the first signed checkpoint (the next commit, or `conventio audit checkpoint`) pins
# them by their last hash. Plain ALTER TABLE, never a batch (see 0006).
def _upgrade_journal():
    op.add_column('audit_entry', sa.Column('mac', sa.String(length=64), nullable=True))


def _downgrade_journal():
    op.drop_column('audit_entry', 'mac')


# --- login: throttle and server-side sessions (issue 10, part 5) ---------------------
# Two new tables, so that every server process shares them: the sessions (page cookies
# and API tokens, by the hash of their secret id) and the failed logins of the throttle.
def _upgrade_login():
    op.create_table('login_session',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id_hash')
    )
    op.create_index('ix_login_session_username', 'login_session', ['username'], unique=False)
    op.create_index('ix_login_session_expires_at', 'login_session', ['expires_at'], unique=False)

    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=255), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_login_failure_key', 'login_failure', ['username', 'address', 'at'], unique=False)
    op.create_index('ix_login_failure_at', 'login_failure', ['at'], unique=False)


def _downgrade_login():
    op.drop_index('ix_login_failure_at', table_name='login_failure')
    op.drop_index('ix_login_failure_key', table_name='login_failure')
    op.drop_table('login_failure')
    op.drop_index('ix_login_session_expires_at', table_name='login_session')
    op.drop_index('ix_login_session_username', table_name='login_session')
    op.drop_table('login_session')
