"""generated documents: why the PDF could not be made (so that the sweep does not retry it forever)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:05:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never a batch: recreating the table on SQLite would lose the
# expression index of 0005 (Alembic cannot reflect it).
def upgrade():
    op.add_column('generated_document', sa.Column('pdf_error', sa.Text(), nullable=True))


def downgrade():
    op.drop_column('generated_document', 'pdf_error')
