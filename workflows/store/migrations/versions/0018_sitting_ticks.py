"""sitting ticks: the roster as ticked at an instance's last sitting, for its extract (issue 15)

Revision ID: 0018_sitting_ticks
Revises: 0017_drafts
Create Date: 2026-12-06 05:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_sitting_ticks'
down_revision = '0017_drafts'
branch_labels = None
depends_on = None


# A new table only: plain CREATE TABLE, no batch (see 0006).
def upgrade():
    op.create_table(
        'sitting_ticks',
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('ticks_json', sa.Text(), nullable=False),
        sa.Column('saved_by', sa.String(length=255), nullable=False),
        sa.Column('saved_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('instance_id'),
    )


def downgrade():
    op.drop_table('sitting_ticks')
