"""generated documents: why each version was made (generated at a step, on demand, or
regenerated after a step changed what it prints) (issue 15)

Revision ID: 0014_regen
Revises: 0013_partners
Create Date: 2026-12-06 02:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_regen'
down_revision = '0013_partners'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never a batch (see 0006: a rebuilt table would lose 0005's index).
# Versions made before this migration keep no reason: nobody wrote one down.
def upgrade():
    op.add_column('generated_document', sa.Column('reason', sa.String(length=1000), nullable=True))


def downgrade():
    op.drop_column('generated_document', 'reason')
