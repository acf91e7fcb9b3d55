"""ledger: the pass ledger in its own tables (campaign, receptions, booklets, moves, beneficiaries,
statements and redemptions, credit of unused passes)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 14:14:11.850786
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


# New tables only: plain CREATE TABLE and CREATE INDEX, no batch (see 0006).
def upgrade():
    op.create_table('ledger_campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('territory', sa.String(length=100), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('redeemed_passes', sa.Integer(), nullable=False),
    sa.Column('opened_by', sa.String(length=255), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('instance_id')
    )
    op.create_index('ix_ledger_campaign_territory', 'ledger_campaign', ['territory'], unique=False)

    op.create_table('ledger_beneficiary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=100), nullable=False),
    sa.Column('public', sa.String(length=100), nullable=False),
    sa.Column('age_band', sa.String(length=20), nullable=True),
    sa.Column('commune', sa.String(length=200), nullable=True),
    sa.Column('priority_area', sa.Boolean(), nullable=False),
    sa.Column('booklets', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['ledger_campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'identifier', name='uq_ledger_beneficiary')
    )
    op.create_index('ix_ledger_beneficiary_public', 'ledger_beneficiary', ['campaign_id', 'public'], unique=False)

    op.create_table('ledger_credit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('validity_year', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('unused_passes', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('recorded_by', sa.String(length=255), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['ledger_campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'validity_year', name='uq_ledger_credit')
    )
    op.create_table('ledger_prescriber',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('executory_on', sa.Date(), nullable=True),
    sa.Column('recorded_by', sa.String(length=255), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['ledger_campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'name', name='uq_ledger_prescriber_name')
    )
    op.create_table('ledger_reception',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('booklet_size', sa.Integer(), nullable=False),
    sa.Column('first_serial', sa.String(length=100), nullable=False),
    sa.Column('last_serial', sa.String(length=100), nullable=False),
    sa.Column('booklets', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('validity_year', sa.Integer(), nullable=False),
    sa.Column('order_reference', sa.String(length=255), nullable=False),
    sa.Column('face_value', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=255), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['ledger_campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_ledger_reception_campaign_id', 'ledger_reception', ['campaign_id'], unique=False)

    op.create_table('ledger_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=500), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('passes', sa.Integer(), nullable=False),
    sa.Column('workshops', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.String(length=255), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['ledger_campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'place', 'month', name='uq_ledger_statement')
    )
    op.create_index('ix_ledger_statement_month', 'ledger_statement', ['campaign_id', 'month'], unique=False)

    op.create_table('ledger_agent',
    sa.Column('prescriber_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['prescriber_id'], ['ledger_prescriber.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('prescriber_id', 'username')
    )
    op.create_index('ix_ledger_agent_username', 'ledger_agent', ['username'], unique=False)

    op.create_table('ledger_booklet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('reception_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('validity_year', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=20), nullable=False),
    sa.Column('prescriber_id', sa.Integer(), nullable=True),
    sa.Column('beneficiary_id', sa.Integer(), nullable=True),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['beneficiary_id'], ['ledger_beneficiary.id'], ),
    sa.ForeignKeyConstraint(['campaign_id'], ['ledger_campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prescriber_id'], ['ledger_prescriber.id'], ),
    sa.ForeignKeyConstraint(['reception_id'], ['ledger_reception.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'serial', name='uq_ledger_booklet_serial')
    )
    op.create_index('ix_ledger_booklet_beneficiary_id', 'ledger_booklet', ['beneficiary_id'], unique=False)
    op.create_index('ix_ledger_booklet_place', 'ledger_booklet', ['campaign_id', 'place', 'size'], unique=False)
    op.create_index('ix_ledger_booklet_prescriber', 'ledger_booklet', ['prescriber_id', 'place', 'size'], unique=False)
    op.create_index('ix_ledger_booklet_reception_id', 'ledger_booklet', ['reception_id'], unique=False)

    op.create_table('ledger_mandate',
    sa.Column('prescriber_id', sa.Integer(), nullable=False),
    sa.Column('booklet_size', sa.Integer(), nullable=False),
    sa.Column('booklets', sa.Integer(), nullable=False),
    sa.Column('endowed', sa.Integer(), nullable=False),
    sa.CheckConstraint('endowed <= booklets', name='ck_ledger_mandate_within'),
    sa.ForeignKeyConstraint(['prescriber_id'], ['ledger_prescriber.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('prescriber_id', 'booklet_size')
    )
    op.create_table('ledger_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('from_prescriber_id', sa.Integer(), nullable=True),
    sa.Column('to_prescriber_id', sa.Integer(), nullable=True),
    sa.Column('beneficiary_id', sa.Integer(), nullable=True),
    sa.Column('booklets', sa.Integer(), nullable=False),
    sa.Column('passes', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('corrects_move_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.String(length=255), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['beneficiary_id'], ['ledger_beneficiary.id'], ),
    sa.ForeignKeyConstraint(['campaign_id'], ['ledger_campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['corrects_move_id'], ['ledger_move.id'], ),
    sa.ForeignKeyConstraint(['from_prescriber_id'], ['ledger_prescriber.id'], ),
    sa.ForeignKeyConstraint(['to_prescriber_id'], ['ledger_prescriber.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('corrects_move_id')
    )
    op.create_index('ix_ledger_move_beneficiary_id', 'ledger_move', ['beneficiary_id'], unique=False)
    op.create_index('ix_ledger_move_campaign', 'ledger_move', ['campaign_id', 'kind', 'happened_on'], unique=False)
    op.create_index('ix_ledger_move_from', 'ledger_move', ['from_prescriber_id', 'kind', 'happened_on'], unique=False)
    op.create_index('ix_ledger_move_to', 'ledger_move', ['to_prescriber_id', 'kind', 'happened_on'], unique=False)

    op.create_table('ledger_move_booklet',
    sa.Column('move_id', sa.Integer(), nullable=False),
    sa.Column('booklet_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['booklet_id'], ['ledger_booklet.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['move_id'], ['ledger_move.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('move_id', 'booklet_id'),
    sa.UniqueConstraint('booklet_id', 'seq', name='uq_ledger_booklet_seq')
    )
    op.create_table('ledger_redemption',
    sa.Column('booklet_id', sa.Integer(), nullable=False),
    sa.Column('pass_number', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['booklet_id'], ['ledger_booklet.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['ledger_statement.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('booklet_id', 'pass_number')
    )
    op.create_index('ix_ledger_redemption_statement_id', 'ledger_redemption', ['statement_id'], unique=False)



def downgrade():
    op.drop_index('ix_ledger_redemption_statement_id', table_name='ledger_redemption')

    op.drop_table('ledger_redemption')
    op.drop_table('ledger_move_booklet')
    op.drop_index('ix_ledger_move_to', table_name='ledger_move')
    op.drop_index('ix_ledger_move_from', table_name='ledger_move')
    op.drop_index('ix_ledger_move_campaign', table_name='ledger_move')
    op.drop_index('ix_ledger_move_beneficiary_id', table_name='ledger_move')

    op.drop_table('ledger_move')
    op.drop_table('ledger_mandate')
    op.drop_index('ix_ledger_booklet_reception_id', table_name='ledger_booklet')
    op.drop_index('ix_ledger_booklet_prescriber', table_name='ledger_booklet')
    op.drop_index('ix_ledger_booklet_place', table_name='ledger_booklet')
    op.drop_index('ix_ledger_booklet_beneficiary_id', table_name='ledger_booklet')

    op.drop_table('ledger_booklet')
    op.drop_index('ix_ledger_agent_username', table_name='ledger_agent')

    op.drop_table('ledger_agent')
    op.drop_index('ix_ledger_statement_month', table_name='ledger_statement')

    op.drop_table('ledger_statement')
    op.drop_index('ix_ledger_reception_campaign_id', table_name='ledger_reception')

    op.drop_table('ledger_reception')
    op.drop_table('ledger_prescriber')
    op.drop_table('ledger_credit')
    op.drop_index('ix_ledger_beneficiary_public', table_name='ledger_beneficiary')

    op.drop_table('ledger_beneficiary')
    op.drop_index('ix_ledger_campaign_territory', table_name='ledger_campaign')

    op.drop_table('ledger_campaign')
