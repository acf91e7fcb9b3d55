"""ledger tally: the campaign's counters (booklets per place, prescriber, public and size, the people
holding them; people per public, those in priority neighbourhoods), kept by the ledger's writes,
filled here from the ledger's rows (issue 12)

Revision ID: 0016_ledger_speed
Revises: 0015_regen_attachments
Create Date: 2026-12-06 01:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_ledger_speed'
down_revision = '0015_regen_attachments'
branch_labels = None
depends_on = None


# New tables only: plain CREATE TABLE, no batch (see 0006). A database of the previous version
# may hold campaigns: their counters are the aggregates the figures were read from until now.
def upgrade():
    op.create_table(
        'ledger_tally',
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('place', sa.String(length=20), nullable=False),
        sa.Column('prescriber_id', sa.Integer(), nullable=False),
        sa.Column('public', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('booklets', sa.Integer(), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['ledger_campaign.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('campaign_id', 'place', 'prescriber_id', 'public', 'size'),
    )
    op.create_table(
        'ledger_public_tally',
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('public', sa.String(length=100), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.Column('priority_people', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['ledger_campaign.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('campaign_id', 'public'),
    )
    op.execute(
        "INSERT INTO ledger_tally (campaign_id, place, prescriber_id, public, size, booklets, people) "
        "SELECT b.campaign_id, b.place, "
        "CASE WHEN b.place IN ('prescripteur', 'beneficiaire') THEN b.prescriber_id ELSE 0 END, "
        "CASE WHEN b.place = 'beneficiaire' THEN p.public ELSE '' END, b.size, count(*), "
        "CASE WHEN b.place = 'beneficiaire' THEN count(DISTINCT b.beneficiary_id) ELSE 0 END "
        "FROM ledger_booklet b LEFT JOIN ledger_beneficiary p ON p.id = b.beneficiary_id "
        "GROUP BY b.campaign_id, b.place, "
        "CASE WHEN b.place IN ('prescripteur', 'beneficiaire') THEN b.prescriber_id ELSE 0 END, "
        "CASE WHEN b.place = 'beneficiaire' THEN p.public ELSE '' END, b.size")
    op.execute(
        "INSERT INTO ledger_public_tally (campaign_id, public, people, priority_people) "
        "SELECT campaign_id, public, count(*), sum(CASE WHEN priority_area THEN 1 ELSE 0 END) "
        "FROM ledger_beneficiary WHERE booklets > 0 GROUP BY campaign_id, public")


def downgrade():
    op.drop_table('ledger_public_tally')
    op.drop_table('ledger_tally')
