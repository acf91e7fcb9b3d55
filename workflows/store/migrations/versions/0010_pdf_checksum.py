"""generated documents: the PDF's checksum, verified when it is read back from the storage (issue 17)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never a batch: recreating the table on SQLite would lose the
# expression index of 0005 (Alembic cannot reflect it).
def upgrade():
    op.add_column('generated_document', sa.Column('pdf_checksum', sa.String(length=64), nullable=True))


def downgrade():
    op.drop_column('generated_document', 'pdf_checksum')
