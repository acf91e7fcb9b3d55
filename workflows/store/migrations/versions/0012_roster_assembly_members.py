"""the members of each territory's assemblies, over their periods of office (issue 15, the roster)

Revision ID: 0012_roster
Revises: 0011
Create Date: 2026-12-06 02:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_roster'
down_revision = '0011'
branch_labels = None
depends_on = None


# A new table only: plain CREATE TABLE and CREATE INDEX, no batch (see 0006).
def upgrade():
    op.create_table(
        'assembly_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('territory_code', sa.String(length=100), nullable=False),
        sa.Column('assembly', sa.String(length=60), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('function', sa.String(length=200), nullable=True),
        sa.Column('start_on', sa.Date(), nullable=True),
        sa.Column('end_on', sa.Date(), nullable=True),
        sa.Column('updated_by', sa.String(length=255), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('end_on IS NULL OR start_on IS NULL OR end_on >= start_on',
                           name='ck_assembly_member_period'),
        sa.ForeignKeyConstraint(['territory_code'], ['territory.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_assembly_member_territory_code', 'assembly_member', ['territory_code'], unique=False)


def downgrade():
    op.drop_index('ix_assembly_member_territory_code', table_name='assembly_member')
    op.drop_table('assembly_member')
