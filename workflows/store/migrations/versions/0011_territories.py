"""territories as data: code, name, kind, population and its year, time zone; groupings
(an operator acting for several territories, a hub observing several) (issue 13)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


# New tables only: plain CREATE TABLE and CREATE INDEX, no batch (see 0006).
def upgrade():
    op.create_table(
        'territory',
        sa.Column('code', sa.String(length=100), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('population', sa.Integer(), nullable=True),
        sa.Column('population_year', sa.Integer(), nullable=True),
        sa.Column('time_zone', sa.String(length=64), nullable=False),
        sa.Column('updated_by', sa.String(length=255), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('population IS NULL OR population >= 0', name='ck_territory_population'),
        sa.PrimaryKeyConstraint('code'),
    )
    op.create_table(
        'territory_link',
        sa.Column('group_code', sa.String(length=100), nullable=False),
        sa.Column('member_code', sa.String(length=100), nullable=False),
        sa.Column('relation', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['group_code'], ['territory.code'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member_code'], ['territory.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('group_code', 'member_code'),
    )
    op.create_index('ix_territory_link_member_code', 'territory_link', ['member_code'], unique=False)


def downgrade():
    op.drop_index('ix_territory_link_member_code', table_name='territory_link')
    op.drop_table('territory_link')
    op.drop_table('territory')
