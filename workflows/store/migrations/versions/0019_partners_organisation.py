"""user accounts: an outside partner's organisation (the CCAS, the Mission locale, a mediation
place), so that two partners of one lane and territory each reach only their own tasks (issue 15)

Revision ID: 0019_partners_organisation
Revises: 0018_sitting_ticks
Create Date: 2026-12-06 04:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0019_partners_organisation'
down_revision = '0018_sitting_ticks'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never a batch (see 0006). Accounts made before it have none: their display
# name stands for their organisation, as it did (services/partners.py).
def upgrade():
    op.add_column('user_account', sa.Column('organisation', sa.String(length=500), nullable=True))


def downgrade():
    op.drop_column('user_account', 'organisation')
