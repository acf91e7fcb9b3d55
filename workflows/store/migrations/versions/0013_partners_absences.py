"""absences: a user away for a period and the colleague who takes their claimed tasks meanwhile
(issue 15, « Who sees what »)

Revision ID: 0013_partners
Revises: 0012_roster
Create Date: 2026-12-06 02:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_partners'
down_revision = '0012_roster'
branch_labels = None
depends_on = None


# A new table only: plain CREATE TABLE and CREATE INDEX, no batch (see 0006).
def upgrade():
    op.create_table(
        'absence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=255), nullable=False),
        sa.Column('substitute', sa.String(length=255), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('declared_by', sa.String(length=255), nullable=False),
        sa.Column('declared_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('ends_at > starts_at', name='ck_absence_period'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_absence_username', 'absence', ['username'], unique=False)
    op.create_index('ix_absence_substitute', 'absence', ['substitute'], unique=False)


def downgrade():
    op.drop_index('ix_absence_substitute', table_name='absence')
    op.drop_index('ix_absence_username', table_name='absence')
    op.drop_table('absence')
